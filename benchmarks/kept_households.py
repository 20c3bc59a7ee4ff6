"""What moves the poverty of the households that stay: the start's households alive at both
ends of the run (same id), their poverty (persons poor) at the start and at the end, split into
what their change of income alone and their change of size alone would give, with their persons,
adults and wage jobs at both ends (mean over seeds). A stationary run whose kept households get
poorer by growing, or less poor by shrinking while keeping their jobs, shows it here
(docs/model_choices.md, "Moving costs with the livelihood rules", session 24). Then the same
households by fifth of their starting income per person: the change of their wage jobs, adults
and persons, and of each income source per person, which shows where the jobs that workers'
deaths free go (docs/model_choices.md, "Where the jobs go without turnover", session 26).

    python benchmarks/kept_households.py [--scenario scenarios/stationary.toml] [--seeds 4]
        [--scale 0.25] [--years 20] [--workers 2] [--set NAME=VALUE ...]

The options are ``stationarity.py``'s (``run_seeds``).
"""

from __future__ import annotations

from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from stationarity import run_seeds, seed_model

SOURCES = ("farm_income", "wage_income", "enterprise_income", "other_income", "remittance_income", "transfer_income")
"""Every column of a household's income (``stats.INCOME_SOURCES``, in this script's order)."""
MEASURES = ("poor at the start", "poor at the end", "end income, start size", "start income, end size",
            "persons at the start", "persons at the end", "adults at the start", "adults at the end",
            "wage jobs at the start", "wage jobs at the end",
            *(f"{source} per person at the {when}" for when in ("start", "end") for source in SOURCES))


def kept(start: dict, model) -> np.ndarray:
    """:data:`MEASURES` of the households of ``start`` (their ``id``, ``income``, ``members``,
    ``adults``, ``employed`` and income by source, :data:`SOURCES`, at the start) still alive
    in ``model``."""
    hh = model.households
    alive = hh.alive
    row_of = dict(zip(hh.id[alive].tolist(), np.flatnonzero(alive).tolist()))
    keep = np.array([i in row_of for i in start["id"].tolist()], bool)
    rows = np.array([row_of[i] for i in start["id"][keep].tolist()], np.int64)
    inc0, mem0 = start["income"][keep], start["members"][keep].astype(float)
    inc1, mem1 = hh.income[rows], hh.members[rows].astype(float)
    line = model.poverty_line

    def poor(income, members, weights):
        return float(np.average(income / np.maximum(members, 1.0) < line, weights=weights))

    return np.array([poor(inc0, mem0, mem0), poor(inc1, mem1, mem1), poor(inc1, mem0, mem0), poor(inc0, mem1, mem1),
                     mem0.sum(), mem1.sum(), start["adults"][keep].sum(), hh.adults[rows].sum(),
                     start["employed"][keep].sum(), hh.employed[rows].sum(),
                     *(start[c][keep].sum() / mem0.sum() for c in SOURCES),
                     *(getattr(hh, c)[rows].sum() / mem1.sum() for c in SOURCES)], float)


FIFTH_MEASURES = ("wage jobs", "adults", "persons", *(source.removesuffix("_income") for source in SOURCES))


def by_fifth(start: dict, model) -> np.ndarray:
    """(5, :data:`FIFTH_MEASURES`): the change from the start to ``model`` of the start's
    households still alive, by fifth of their starting income per person (the start's
    fifths of households): their wage jobs, adults and persons (sums) and each income source
    per person (USD/yr)."""
    hh = model.households
    alive = hh.alive
    pc = start["income"] / np.maximum(start["members"], 1)
    fifth = np.searchsorted(np.quantile(pc, [0.2, 0.4, 0.6, 0.8]), pc)
    _, first, later = np.intersect1d(start["id"], hh.id[alive], return_indices=True)
    rows = np.flatnonzero(alive)[later]
    out = np.zeros((5, len(FIFTH_MEASURES)))
    for k in range(5):
        were, are = first[fifth[first] == k], rows[fifth[first] == k]
        persons0, persons1 = start["members"][were].sum(), max(hh.members[are].sum(), 1)
        out[k, :3] = [hh.employed[are].sum() - start["employed"][were].sum(),
                      hh.adults[are].sum() - start["adults"][were].sum(), persons1 - persons0]
        out[k, 3:] = [getattr(hh, c)[are].sum() / persons1 - start[c][were].sum() / max(persons0, 1) for c in SOURCES]
    return out


def one_run(args) -> tuple[np.ndarray, np.ndarray]:
    """:func:`kept` and :func:`by_fifth` of one seed's run."""
    model = seed_model(args)
    hh = model.households
    alive = hh.alive
    start = {c: getattr(hh, c)[alive].copy() for c in ("id", "income", "members", "adults", "employed", *SOURCES)}
    model.run()
    return kept(start, model), by_fifth(start, model)


def main() -> None:
    args, overrides, runs = run_seeds(__doc__.splitlines()[0], one_run, seeds=4)
    mean = np.array([run[0] for run in runs]).mean(axis=0)
    fifths = np.array([run[1] for run in runs]).mean(axis=0)
    print(f"{Path(args.scenario).name}: {args.seeds} seeds, households_scale {args.scale}, {args.years} years"
          + (f", {overrides}" if overrides else ""))
    print(f"kept households' poverty {mean[0]:.3f} -> {mean[1]:.3f}; with their end income at their start size "
          f"{mean[2]:.3f}, with their start income at their end size {mean[3]:.3f}")
    print(f"persons {mean[4]:,.0f} -> {mean[5]:,.0f}; adults {mean[6]:,.0f} -> {mean[7]:,.0f}; "
          f"wage jobs {mean[8]:,.0f} -> {mean[9]:,.0f}")
    k = len(SOURCES)
    print("their income per person by source (USD/yr), start -> end: " + ", ".join(
        f"{source.removesuffix('_income')} {a:,.0f} -> {b:,.0f}" for source, a, b in zip(SOURCES, mean[10:10 + k],
                                                                                       mean[10 + k:])))
    print("the same households by fifth of starting income per person, change start -> end (sums; sources per person):")
    print("fifth " + " ".join(f"{name:>10}" for name in FIFTH_MEASURES))
    for k, row in enumerate(fifths):
        print(f"{k + 1:>5} " + " ".join(f"{value:>10,.1f}" for value in row))


if __name__ == "__main__":
    main()
