"""How arrivals fare over the years after a move: the households that moved in years 1-3
(whole households moving inside the territory and single movers' new households,
``movers_fare.moves_of_the_year``), their income per person over their destination's mean
1, 3, 5 and 8 years after the move, and the share of their persons poor, by kind of destination
and move (those still at their destination).

    python benchmarks/movers_climb.py [--seeds 4] [--years 11] [--set NAME=VALUE ...]
"""

from __future__ import annotations

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np

import movers_fare
from stationarity import run_seeds, seed_model

LAGS = (1, 3, 5, 8)
"""Years after the move at which the arrivals are read."""
COHORT_YEARS = 3
"""The moves of years 1..COHORT_YEARS are followed."""


def one_run(args) -> list[tuple[int, str, str, float, int, bool]]:
    """Per arrival still at its destination at each lag: (lag, destination kind, move kind,
    income per person over the destination's mean, persons, poor)."""
    model = seed_model(args)
    kinds = np.asarray(model.territory.kinds)
    cohorts, out = [], []
    for year in range(1, args[3] + 1):
        moves = movers_fare.moves_of_the_year(model, model.step)
        if year <= COHORT_YEARS:
            cohorts.append((year, moves))
        for moved, rows in cohorts:
            if year - moved in LAGS:
                out.extend((year - moved, kinds[move[2]], move[4], after, persons, poor)
                           for move, after, persons, poor in movers_fare.where_they_are(model, rows))
    model.release()
    return out


def main() -> None:
    args, overrides, runs = run_seeds(__doc__.splitlines()[0], one_run, seeds=4, years=COHORT_YEARS + max(LAGS))
    rows = [r for run in runs for r in run]
    print(f"{args.seeds} seeds, households_scale {args.scale}, the moves of years 1-{COHORT_YEARS}, {overrides}")
    print("arrivals: households still there, income per person over the destination's mean, share of persons poor")
    for dest in ("city", "municipality"):
        for kind in ("whole", "single"):
            cells = []
            for lag in LAGS:
                v = np.array([(r[3], r[4], r[5]) for r in rows if r[:3] == (lag, dest, kind)], float)
                if len(v):
                    cells.append(f"{lag} yr: {len(v)}, {v[:, 0].mean():.2f}, {np.average(v[:, 2], weights=v[:, 1]):.2f}")
            print(f"{kind:6s} into {dest:12s} " + " | ".join(cells))


if __name__ == "__main__":
    main()
