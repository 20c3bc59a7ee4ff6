"""The migrants abroad, flow by flow: where the stock of former members living outside the
territory goes in the run, by the adults at home of the households that hold it.

Each year the stock (migrants abroad of the alive households) changes by

    single members leaving abroad - returns - the stock of whole households emigrating
    - the stock of households dying out

(a union moves a single's migrants to the host's household and loses none). The script
counts each flow where the model makes it, by the adults at home of the household at that
moment (1, 2, 3, 4 or more; for a household leaving a member abroad, before it leaves; for
returns, before they rejoin), and
the stock each class holds at the year's end; it prints the means over seeds of each period
of ``--window`` years and what the flows leave unexplained (0 unless a phase moves the stock
unseen). The start places migrants abroad with households that send members abroad
(``migration.migrants_abroad_at_rest``: a household of one adult always moves whole, so it
holds none at the start), while in the run a household of two adults that sends one becomes
a household of one adult with a migrant abroad, which then emigrates whole with its chance of
moving: the flow that takes the stock down in the stationary run (README, "Where the model
stands"; docs/model_choices.md, "The migrants abroad run down").

    python benchmarks/abroad_flows.py [--scenario scenarios/stationary.toml] [--seeds 4]
        [--years 20] [--scale 0.25] [--workers 2] [--set NAME=VALUE ...] [--window 5]

The options are ``stationarity.py``'s (``run_seeds``, ``--window`` among them).
"""

from __future__ import annotations

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from patching import patched
from stationarity import periods, seed_means, seed_model

from territory_abm.model import demography, migration

CLASSES = ("1", "2", "3", "4+")
FLOWS = ("departures", "returns", "emigrating", "dying_out")


def adult_class(adults: np.ndarray) -> np.ndarray:
    """0 for households of one adult at home (or none), 1, 2 for two and three, 3 for four or more."""
    return np.clip(adults, 1, 4) - 1


def by_class(adults: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.bincount(adult_class(adults), weights=values, minlength=len(CLASSES)).astype(float)


def stock(hh) -> float:
    return float(hh.migrants_abroad[hh.alive].sum())


def run(args) -> dict[str, np.ndarray]:
    """One seed's flows (``args`` as ``run_seeds`` gives them): for each flow and ``held``,
    (years, classes) persons; ``held_at_start`` (classes,); ``stock`` and ``unexplained``
    (years,) persons."""
    model = seed_model(args)
    years = args[3]
    out = {name: np.zeros((years, len(CLASSES))) for name in (*FLOWS, "held")}
    out["stock"], out["unexplained"] = np.zeros(years), np.zeros(years)
    hh = model.households
    out["held_at_start"] = by_class(hh.adults[hh.alive], hh.migrants_abroad[hh.alive].astype(float))
    year = [0]
    leaving: dict[str, np.ndarray] = {}
    originals = (migration.return_migration, migration.single_leaves, migration.dissolve, demography.dissolve)
    # the functions each wrapper below calls

    def returns(model):
        hh = model.households
        before, adults = hh.migrants_abroad.copy(), hh.adults.copy()
        result = originals[0](model)
        back = (before - hh.migrants_abroad).astype(float)  # 0 where nobody returned
        out["returns"][year[0]] += by_class(adults, back)
        return result

    def single_leaves(hh, rows):
        leaving["rows"], leaving["adults"], leaving["abroad"] = rows.copy(), hh.adults[rows].copy(), hh.migrants_abroad[rows].copy()
        return originals[1](hh, rows)

    def emigrating(model, rows, *rest):
        hh = model.households
        out["emigrating"][year[0]] += by_class(hh.adults[rows], hh.migrants_abroad[rows].astype(float))
        return originals[2](model, rows, *rest)

    def dying_out(model, rows, *rest):
        hh = model.households
        # the adults they had before the year's deaths are gone with them: count them as of one adult or none
        out["dying_out"][year[0]] += by_class(hh.adults[rows], hh.migrants_abroad[rows].astype(float))
        return originals[3](model, rows, *rest)

    try:
        with patched({(migration, "return_migration"): returns, (migration, "single_leaves"): single_leaves,
                      (migration, "dissolve"): emigrating, (demography, "dissolve"): dying_out}):
            for t in range(years):
                year[0] = t
                leaving.clear()
                before = stock(model.households)
                model.step()
                hh = model.households
                if leaving:
                    # a single who left abroad raised its household's migrants by one (the rows of the
                    # year's single movers are still those rows: rows are compacted at a year's start)
                    went = hh.migrants_abroad[leaving["rows"]] > leaving["abroad"]
                    out["departures"][t] += by_class(leaving["adults"][went], np.ones(int(went.sum())))
                alive = hh.alive
                out["held"][t] = by_class(hh.adults[alive], hh.migrants_abroad[alive].astype(float))
                out["stock"][t] = stock(hh)
                flows = out["departures"][t].sum() - sum(out[name][t].sum() for name in FLOWS[1:])
                out["unexplained"][t] = out["stock"][t] - before - flows
    finally:
        model.release()
    return out


def main() -> None:
    args, mean = seed_means(__doc__.split("\n\n")[0], run, seeds=4, years=20, window=5)
    print("persons a year, mean over seeds, by the adults at home of the household (1, 2, 3, 4+)")
    print(f"start: stock {mean['held_at_start'].sum():,.0f}, held " + " ".join(f"{v:,.0f}" for v in mean["held_at_start"]))
    for first, last, span in periods(args.years, args.window):
        print(f"years {first + 1}-{last}: stock at the end {mean['stock'][last - 1]:,.0f}, held "
              + " ".join(f"{v:,.0f}" for v in mean["held"][last - 1]))
        for name in FLOWS:
            flow = mean[name][span].mean(axis=0)
            print(f"  {name:<11} {flow.sum():8.1f}  (" + ", ".join(f"{v:.1f}" for v in flow) + ")")
        print(f"  {'unexplained':<11} {mean['unexplained'][span].mean():8.1f}")


if __name__ == "__main__":
    main()
