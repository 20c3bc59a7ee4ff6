"""Write the illustrative census observations of the example territory.

The example territory is illustrative, so are its observations: they are the model's own
outcomes at known parameter values (``TRUTH`` below), observed at the 2020 "census" with
census-like noise. Calibrating ``example.toml`` against them is thus also a check that
the calibration finds what produced the data. Run from the repository root:

    python calibration/make_example_observations.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from territory_abm import TerritoryModel
from territory_abm.output import tables
from territory_abm.scenarios.loader import load_scenario

HERE = Path(__file__).resolve().parent
TRUTH = {"migration_stay_preference": 6.8, "clearing_propensity": 0.05, "farm_asset_elasticity": 0.05,
         "birth_rate": 0.018}
SEED, END_YEAR = 2718, 2020
NOISE = {"population": 0.01, "mean_income_pc": 0.03, "poverty_headcount": 0.01, "gini_income": 0.005,
         "forest_cover": 0.01, "net_migration": 0.05}
"""Census noise: relative standard deviation (population, income, net migration) or
absolute (shares)."""


def main() -> None:
    base = load_scenario(HERE.parent / "scenarios" / "baseline.toml")
    scenario = base.replace(seed=SEED, steps=END_YEAR - base.start_year,
                            parameters=base.parameters.with_overrides(TRUTH))
    model = TerritoryModel(scenario)
    model.run(scenario.steps)
    nodes = tables.node_table(model)
    nodes = nodes[nodes["kind"] != "market"]
    end = nodes[nodes["year"] == END_YEAR].set_index("node_id")
    period = nodes[nodes["year"] > base.start_year].groupby("node_id")["net_migration"].sum()
    rng = np.random.default_rng(SEED)
    rows = []
    for node_id, row in end.iterrows():
        noisy = {}
        for col, sd in NOISE.items():
            value = period[node_id] if col == "net_migration" else row[col]
            relative = col in ("population", "mean_income_pc", "net_migration")
            value = value * (1 + sd * rng.standard_normal()) if relative else value + sd * rng.standard_normal()
            noisy[col] = value
        rows.append({"municipality": node_id, "year": END_YEAR,
                     "population": int(round(noisy["population"])),
                     "mean_income_pc": round(noisy["mean_income_pc"]),
                     "poverty_headcount": round(float(np.clip(noisy["poverty_headcount"], 0, 1)), 3),
                     "gini_income": round(float(np.clip(noisy["gini_income"], 0, 1)), 3),
                     "forest_cover": round(float(np.clip(noisy["forest_cover"], 0, 1)), 3),
                     "net_migration": int(round(noisy["net_migration"]))})
    tables.write_csv(pd.DataFrame(rows), HERE / "data" / "example" / "observations.csv")


if __name__ == "__main__":
    main()
