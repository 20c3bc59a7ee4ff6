"""What a scenario's context does to the economy in 20 years: wage jobs, wages per skill unit,
firms and household enterprises (change from the start, mean and range over seeds), income
per person by source, and each year's mean poverty and Gini over the seeds (the README's
"What the baseline's context does" and the baseline's path).

    python benchmarks/context_effects.py [--scenario scenarios/baseline.toml] [--seeds 8]
        [--scale 0.25] [--years 20] [--workers 2] [--set NAME=VALUE ...]

The options are ``stationarity.py``'s (``run_seeds``), with the baseline as the default scenario.
"""

from __future__ import annotations

from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from stationarity import run_seeds, seed_model

SOURCES = ("farm_income", "wage_income", "enterprise_income", "other_income", "remittance_income", "transfer_income")
"""Every column of a household's income (``stats.INCOME_SOURCES``, in this script's order)."""


def economy(model) -> dict[str, float]:
    """Wage jobs, the firms' mean wage per skill unit (weighted by their labour), firms,
    household enterprises, and income per person by source."""
    ft, hh = model.firm_table, model.households
    alive_firm, alive = ft.alive[:ft.n], hh.alive
    labour = ft.labour[:ft.n][alive_firm]
    persons = hh.members[alive].sum()
    return {"wage jobs": float(hh.employed[alive].sum()),
            "wage per skill unit": float((ft.wage[:ft.n][alive_firm] * labour).sum() / labour.sum()),
            "firms": float(alive_firm.sum()),
            "household enterprises": float((alive & (hh.enterprise_capital > 0)).sum()),
            **{c: float(getattr(hh, c)[alive].sum() / persons) for c in SOURCES}}


def one_run(args):
    model = seed_model(args)
    start = economy(model)
    model.run()
    path_table = model.datacollector.get_model_vars_dataframe()[["poverty_headcount", "gini_income"]].to_numpy()
    end = economy(model)
    model.release()
    return start, end, path_table, model.start_year


def main() -> None:
    args, overrides, runs = run_seeds(__doc__.splitlines()[0], one_run, scenario="baseline.toml")
    print(f"{Path(args.scenario).name}: {args.seeds} seeds, households_scale {args.scale}, {args.years} years"
          + (f", {overrides}" if overrides else ""))
    for key in ("wage jobs", "wage per skill unit", "firms", "household enterprises"):
        change = np.array([end[key] / start[key] - 1.0 for start, end, _, _ in runs]) * 100
        print(f"{key:<22} {np.mean([r[0][key] for r in runs]):10.1f} -> {np.mean([r[1][key] for r in runs]):10.1f}"
              f"   {change.mean():+.1f} % (seeds {change.min():+.1f} to {change.max():+.1f} %)")
    for key in SOURCES:
        print(f"{key + ' per person':<22} {np.mean([r[0][key] for r in runs]):10.1f} -> "
              f"{np.mean([r[1][key] for r in runs]):10.1f}   {np.mean([r[1][key] - r[0][key] for r in runs]):+.1f} USD")
    paths = np.mean([r[2] for r in runs], axis=0)
    print("year  poverty  Gini   (mean over seeds)")
    for k, (poverty, gini) in enumerate(paths):
        print(f"{runs[0][3] + k}  {poverty:.3f}    {gini:.3f}")


if __name__ == "__main__":
    main()
