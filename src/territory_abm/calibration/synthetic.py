"""Observations simulated by the model itself at known parameter values: the data of
parameter-recovery checks and of the illustrative example territory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..model import TerritoryModel
from ..output import tables
from ..scenarios.loader import Scenario

COUNTS = ("population", "net_migration")
"""Columns counted in persons: divided by the households scale so they read as real counts."""


def simulated_observations(scenario: Scenario, truth: dict[str, float], seed: int, steps: int,
                           noise: dict[str, float] | None = None, with_start: bool = False) -> pd.DataFrame:
    """What a census would have seen in the scenario's territory after ``steps`` years when
    the parameters are ``truth``: one row per municipality (and the start year too if
    ``with_start``), in the observations format.

    ``noise`` adds census error per column: relative standard deviation for counts and
    income, absolute for shares (drawn from a generator seeded with ``seed``).
    """
    run = scenario.replace(seed=seed, steps=steps, parameters=scenario.parameters.with_overrides(truth))
    model = TerritoryModel(run)
    model.run(steps)
    nodes = tables.node_table(model)
    nodes = nodes[nodes["kind"] != "market"]
    end_year = scenario.start_year + steps
    net = nodes[nodes["year"] > scenario.start_year].groupby("node_id")["net_migration"].sum()
    rng = np.random.default_rng(seed)
    rows = []
    for year in ([scenario.start_year] if with_start else []) + [end_year]:
        for _, row in nodes[nodes["year"] == year].iterrows():
            record = {"municipality": row["node_id"], "year": year}
            for col in ("population", "mean_income_pc", "poverty_headcount", "gini_income", "forest_cover",
                        "net_migration"):
                value = net[row["node_id"]] if col == "net_migration" else row[col]
                if col == "net_migration" and year != end_year:
                    record[col] = np.nan
                    continue
                value = value / scenario.households_scale if col in COUNTS else value
                sd = (noise or {}).get(col, 0.0)
                if sd:
                    relative = col in COUNTS or col == "mean_income_pc"
                    value = value * (1 + sd * rng.standard_normal()) if relative else value + sd * rng.standard_normal()
                record[col] = value if col in COUNTS or col == "mean_income_pc" else float(np.clip(value, 0, 1))
            rows.append(record)
    return pd.DataFrame(rows)


def write_observations(df: pd.DataFrame, path: Path) -> None:
    tables.write_csv(df, path)
