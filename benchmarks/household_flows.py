"""The households' adults, phase by phase: how each phase of the year changes how many
households have no adult, one, two, three or four and more adults at home, and how many hold
one person.

Each phase that changes households' adults or members is wrapped in its module, through which
``model.py`` calls it (demography's births, deaths and children coming of age; formation's new households and
unions; migration's returns from abroad and its moves, single members and whole households);
the script counts the alive households of each class before and after it, and prints the
mean over seeds of each phase's net change a year, for each period of ``--window`` years, and
what the phases leave unexplained (0 unless another phase changes them). In a territory at
rest the classes hold, each phase's change balanced by the others'; the stationary run's
drift (more households of one adult and of one person, fewer of two and three: README, "Where
the model stands"; docs/model_choices.md, "The migrants abroad run down") shows here as
the phases that do not balance.

    python benchmarks/household_flows.py [--scenario scenarios/stationary.toml] [--seeds 4]
        [--years 20] [--scale 0.25] [--workers 2] [--set NAME=VALUE ...] [--window 5]

The options are ``stationarity.py``'s (``run_seeds``, ``--window`` among them).
"""

from __future__ import annotations

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from patching import patched
from stationarity import periods, seed_means, seed_model

from territory_abm.model import demography, formation, migration

CLASSES = ("0", "1", "2", "3", "4+", "one person")
PHASES = ((demography, "births_and_deaths"), (formation, "form_households"), (formation, "unite"),
          (migration, "return_migration"), (migration, "migrate"))
"""The phases wrapped (module, function); ``migrate`` calls ``return_migration`` first, whose
change is counted apart (``migrate``'s row is the moves alone)."""


def classes(hh) -> np.ndarray:
    """Alive households with 0, 1, 2, 3 and 4+ adults at home, and those of one person."""
    alive = hh.alive
    by_adults = np.bincount(np.minimum(hh.adults[alive], 4), minlength=5).astype(float)
    return np.append(by_adults, float((hh.members[alive] == 1).sum()))


def run(args) -> dict[str, np.ndarray]:
    """One seed's net change a year of each class by phase (``args`` as ``run_seeds`` gives
    them): (years, classes) for each phase, ``unexplained`` and ``total``; ``start`` (classes,)."""
    model = seed_model(args)
    years = args[3]
    names = [name for _, name in PHASES]
    out = {name: np.zeros((years, len(CLASSES))) for name in (*names, "unexplained", "total")}
    out["start"] = classes(model.households)
    year = [0]

    def wrapped(name, function):
        def phase(model, *rest, **kw):
            before = classes(model.households)
            result = function(model, *rest, **kw)
            out[name][year[0]] += classes(model.households) - before
            return result
        return phase

    try:
        with patched({(module, name): wrapped(name, getattr(module, name)) for module, name in PHASES}):
            for t in range(years):
                year[0] = t
                before = classes(model.households)
                model.step()
                out["total"][t] = classes(model.households) - before
                out["migrate"][t] -= out["return_migration"][t]  # migrate's own change holds the returns'
                out["unexplained"][t] = out["total"][t] - sum(out[name][t] for name in names)
    finally:
        model.release()
    return out


def main() -> None:
    args, mean = seed_means(__doc__.split("\n\n")[0], run, seeds=4, years=20, window=5)
    header = "".join(f"{c:>11}" for c in CLASSES)
    print(f"households by adults at home and of one person, mean over seeds\n{'':<20}{header}")
    print(f"{'start':<20}" + "".join(f"{v:11,.0f}" for v in mean["start"]))
    level = mean["start"].copy()
    for first, last, span in periods(args.years, args.window):
        level = level + mean["total"][span].sum(axis=0)
        print(f"years {first + 1}-{last}, change a year by phase:")
        for name in (*(name for _, name in PHASES), "unexplained", "total"):
            print(f"  {name:<18}" + "".join(f"{v:+11.1f}" for v in mean[name][span].mean(axis=0)))
        print(f"  {'at the end':<18}" + "".join(f"{v:11,.0f}" for v in level))


if __name__ == "__main__":
    main()
