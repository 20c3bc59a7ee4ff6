"""What moves the poverty of the households that stay: the start's households alive at both
ends of the run (same id), their poverty (persons poor) at the start and at the end, split into
what their change of income alone and their change of size alone would give, with their persons,
adults and wage jobs at both ends (mean over seeds). A stationary run whose kept households get
poorer by growing, or less poor by shrinking while keeping their jobs, shows it here
(docs/model_choices.md, "Moving costs with the livelihood rules", session 24).

    python benchmarks/kept_households.py [--scenario scenarios/stationary.toml] [--seeds 4]
        [--scale 0.25] [--years 20] [--workers 2] [--set NAME=VALUE ...]

The options are ``stationarity.py``'s (``run_seeds``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from stationarity import run_seeds, seed_model

SOURCES = ("farm_income", "wage_income", "enterprise_income", "other_income", "remittance_income")
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


def one_run(args) -> np.ndarray:
    """:func:`kept` of one seed's run."""
    model = seed_model(args)
    hh = model.households
    alive = hh.alive
    start = {c: getattr(hh, c)[alive].copy() for c in ("id", "income", "members", "adults", "employed", *SOURCES)}
    model.run()
    return kept(start, model)


def main() -> None:
    args, overrides, runs = run_seeds(__doc__.splitlines()[0], one_run, seeds=4)
    mean = np.array(runs).mean(axis=0)
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


if __name__ == "__main__":
    main()
