"""Who moves, by income: each year's share of households with a mover (a single member or the
whole household), by fifth of income per person within their node, and the poorest fifth's
rate over the richest's.

The fifths are those of the year's incomes as the migration choice weighs them (the alive
households with adults of each node, at the moment ``migration.choose_movers`` runs), so they
are recomputed every year. Figures in the README ("Not yet reproduced": who migrates) and
docs/model_choices.md ("Migration: who leaves") come from here.

    python benchmarks/movers_by_fifth.py [--scenario scenarios/stationary.toml] [--seeds 3]
        [--years 3] [--scale 0.25] [--set NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from territory_abm import TerritoryModel, load_scenario
from territory_abm.model import migration

ROOT = Path(__file__).resolve().parents[1]


def fifths(income: np.ndarray, members: np.ndarray, node: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Each row's fifth (0 poorest .. 4 richest) of income per person among the ``eligible``
    rows of its node; -1 for rows not eligible."""
    pc = income / np.maximum(members, 1)
    out = np.full(len(pc), -1)
    for g in np.unique(node[eligible]):
        rows = np.flatnonzero(eligible & (node == g))
        out[rows] = np.searchsorted(np.quantile(pc[rows], [0.2, 0.4, 0.6, 0.8]), pc[rows])
    return out


def run(scenario: Path, seed: int, years: int, scale: float, overrides: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Households and households with a mover by fifth, summed over the run's ``years``."""
    sc = load_scenario(scenario).replace(seed=seed, households_scale=scale, steps=years)
    sc = sc.replace(parameters=sc.parameters.with_overrides(overrides, source="--set"))
    model = TerritoryModel(sc)
    households, moving = np.zeros(5), np.zeros(5)
    original = migration.choose_movers

    def record(**kw):
        rows = original(**kw)
        hh = model.households
        fifth = fifths(hh.income, hh.members, hh.node, kw["alive"] & (kw["adults"] > 0))
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "stationary.toml")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    overrides = {name: float(value) for name, value in (item.split("=", 1) for item in args.set)}
    print(f"{args.scenario.name}: seeds 1-{args.seeds}, years 1-{args.years}, households_scale {args.scale}, {overrides}")
    print("seed  share of households with a mover a year, poorest .. richest fifth   poorest / richest")
    total, moved = np.zeros(5), np.zeros(5)
    for seed in range(1, args.seeds + 1):
        households, moving = run(args.scenario, seed, args.years, args.scale, overrides)
        total += households
        moved += moving
        rate = moving / households
        print(f"{seed:>4}  " + "  ".join(f"{r:6.2%}" for r in rate) + f"   {rate[0] / rate[4]:.1f}")
    rate = moved / total
    print(" all  " + "  ".join(f"{r:6.2%}" for r in rate) + f"   {rate[0] / rate[4]:.1f}")


if __name__ == "__main__":
    main()
