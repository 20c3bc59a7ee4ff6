"""The first years of the stationary run, year by year: territory poverty, Gini, income per
person and population (mean over seeds), and each year's poverty change since the start with its
seed-to-seed standard deviation. A start the model's rules keep does not jump in year 1 (issue 12:
at the defaults poverty rises about half a point in the first year and then holds; with job
turnover it does not rise; docs/model_choices.md, "Turnover and weaker selection as the default,
measured again").

    python benchmarks/first_years.py [--scenario scenarios/stationary.toml] [--years 6] [--seeds 6]
        [--scale 0.25] [--workers 2] [--set NAME=VALUE ...]

The options are ``stationarity.py``'s (``run_seeds``).
"""

from __future__ import annotations

from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from stationarity import run_seeds, seed_model

COLUMNS = ("poverty_headcount", "gini_income", "mean_income_pc", "population")


def one_run(args) -> np.ndarray:
    """One seed's yearly outcomes (rows: years 0 .. years; columns: :data:`COLUMNS`)."""
    model = seed_model(args)
    model.run()
    return model.datacollector.get_model_vars_dataframe()[list(COLUMNS)].to_numpy()


def main() -> None:
    args, overrides, runs = run_seeds(__doc__.splitlines()[0], one_run, seeds=6, years=6)
    paths = np.array(runs)  # seeds x years x outcomes
    poverty = paths[:, :, 0] - paths[:, :1, 0]
    print(f"{Path(args.scenario).name}: {args.seeds} seeds, households_scale {args.scale}, {args.years} years"
          + (f", {overrides}" if overrides else ""))
    print(f"{'year':>4s} " + " ".join(f"{c:>17s}" for c in COLUMNS) + "   poverty change since the start (seed sd)")
    for year in range(paths.shape[1]):
        print(f"{year:4d} " + " ".join(f"{v:17.4f}" for v in paths[:, year].mean(axis=0))
              + f"   {poverty[:, year].mean():+.4f} ({poverty[:, year].std(ddof=1) if args.seeds > 1 else 0.0:.4f})")


if __name__ == "__main__":
    main()
