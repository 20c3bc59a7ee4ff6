"""Who moves, by income: each year's share of households with a mover (a single member or the
whole household), by fifth of income per person within their node, and the poorest fifth's
rate over the richest's.

The fifths are those of the year's incomes as the migration choice weighs them (the alive
households with adults of each node, at the moment ``migration.choose_movers`` runs), so they
are recomputed every year. Figures in the README ("Not yet reproduced": who migrates) and
docs/model_choices.md ("Migration: who leaves") come from here.

    python benchmarks/movers_by_fifth.py [--scenario scenarios/stationary.toml] [--seeds 3]
        [--years 3] [--scale 0.25] [--workers 2] [--set NAME=VALUE ...]

The options are ``stationarity.py``'s (``run_seeds``).
"""

from __future__ import annotations

from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from stationarity import run_seeds, seed_model

from territory_abm.model import migration
from territory_abm.model.stats import grouped_fifths


def run(args) -> tuple[np.ndarray, np.ndarray]:
    """Households and households with a mover by fifth, summed over the run's years (``args``:
    scenario, seed, scale, years and parameter overrides, as ``run_seeds`` gives them)."""
    model = seed_model(args)
    households, moving = np.zeros(5), np.zeros(5)
    original = migration.choose_movers

    def record(**kw):
        rows = original(**kw)
        hh = model.households
        fifth = grouped_fifths(hh.income / np.maximum(hh.members, 1), hh.node, kw["alive"] & (kw["adults"] > 0))
        households[:] += np.bincount(fifth[fifth >= 0], minlength=5)
        moving[:] += np.bincount(fifth[rows], minlength=5)
        return rows

    migration.choose_movers = record
    try:
        model.run()
    finally:
        migration.choose_movers = original
    model.release()
    return households, moving


def main() -> None:
    args, overrides, results = run_seeds(__doc__.split("\n\n")[0], run, seeds=3, years=3)
    print(f"{Path(args.scenario).name}: seeds 1-{args.seeds}, years 1-{args.years}, "
          f"households_scale {args.scale}, {overrides}")
    print("seed  share of households with a mover a year, poorest .. richest fifth   poorest / richest")
    for seed, (households, moving) in enumerate(results, start=1):
        rate = moving / households
        print(f"{seed:>4}  " + "  ".join(f"{r:6.2%}" for r in rate) + f"   {rate[0] / rate[4]:.1f}")
    rate = sum(r[1] for r in results) / sum(r[0] for r in results)
    print(" all  " + "  ".join(f"{r:6.2%}" for r in rate) + f"   {rate[0] / rate[4]:.1f}")


if __name__ == "__main__":
    main()
