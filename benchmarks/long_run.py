"""How the stationary run moves beyond 20 years: territory poverty, Gini, income per person and
population every 10 years of a long run (mean over seeds), with each decade's change and its
seed-to-seed standard deviation; then income per person by source and the household
enterprises every 10 years (mean over seeds), which show where a later decade's change comes
from. The 20-year stationarity of ``stationarity.py`` is not a rest point if later decades keep
moving one way.

    python benchmarks/long_run.py [--scenario scenarios/stationary.toml] [--years 60] [--seeds 8]
        [--scale 0.25] [--workers 2] [--set NAME=VALUE ...]

The options are ``stationarity.py``'s (``run_seeds``).
"""

from __future__ import annotations

from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from stationarity import run_seeds, seed_model

COLUMNS = ("poverty_headcount", "gini_income", "mean_income_pc", "population")
SOURCES = ("farm_income", "wage_income", "enterprise_income", "other_income", "remittance_income", "transfer_income")
"""Every column of a household's income (``stats.INCOME_SOURCES``, in this script's order)."""
PARTS = ("farm", "wage", "enterprise", "other", "remittances", "transfers", "enterprises", "wage jobs")


def parts(model) -> list[float]:
    """Income per person by source (USD/yr), the household enterprises and the wage jobs."""
    hh = model.households
    alive = hh.alive
    persons = max(hh.members[alive].sum(), 1)
    return ([getattr(hh, c)[alive].sum() / persons for c in SOURCES]
            + [float((alive & (hh.enterprise_capital > 0)).sum()), float(hh.employed[alive].sum())])


def one_run(args) -> tuple[np.ndarray, np.ndarray]:
    """The outcomes every 10 years of one seed's run (rows: years 0, 10, ...), and :func:`parts`
    at the same years."""
    years = args[3]
    model = seed_model(args)
    decades = [parts(model)]
    for year in range(1, years + 1):
        model.step()
        if year % 10 == 0:
            decades.append(parts(model))
    return model.datacollector.get_model_vars_dataframe()[list(COLUMNS)].to_numpy()[::10], np.array(decades)


def main() -> None:
    args, overrides, runs = run_seeds(__doc__.splitlines()[0], one_run, seeds=8, years=60)
    paths = np.array([r[0] for r in runs])
    sources = np.array([r[1] for r in runs]).mean(axis=0)
    print(f"{Path(args.scenario).name}: {args.seeds} seeds, households_scale {args.scale}, {args.years} years, "
          f"{overrides}")
    print(f"{'year':>4s} " + " ".join(f"{c:>17s}" for c in COLUMNS) + "   decade's change (seed sd) of each, in order")
    for k in range(paths.shape[1]):
        change = paths[:, k] - paths[:, k - 1] if k else np.zeros_like(paths[:, 0])
        print(f"{10 * k:4d} " + " ".join(f"{v:17.4f}" for v in paths[:, k].mean(axis=0)) + "   "
              + " ".join(f"{m:+.4f} ({s:.4f})" for m, s in zip(change.mean(axis=0), change.std(axis=0, ddof=1))))
    print("income per person by source (USD/yr), household enterprises and wage jobs (mean over seeds)")
    print(f"{'year':>4s} " + " ".join(f"{c:>12s}" for c in PARTS))
    for k, row in enumerate(sources):
        print(f"{10 * k:4d} " + " ".join(f"{v:12.1f}" for v in row))


if __name__ == "__main__":
    main()
