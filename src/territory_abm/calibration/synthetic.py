"""Observations simulated by the model itself at known parameter values: the data of
parameter-recovery checks and of the illustrative example territory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..model import TerritoryModel
from ..output import tables
from ..scenarios.loader import Scenario

COUNTS = ("population", "net_migration")
"""Columns counted in persons: divided by the households scale so they read as real counts."""


def simulated_observations(scenario: Scenario, truth: dict[str, float], seed: int, steps: int,
                           noise: dict[str, float] | None = None, with_start: bool = False,
                           census_years: Sequence[int] | None = None) -> pd.DataFrame:
    """What censuses would have seen in the scenario's territory when the parameters are
    ``truth``: one row per municipality and census year (``census_years``, default the year
    ``steps`` years after the start; the start year too if ``with_start``), in the
    observations format, net migration counted since the census before.

    ``noise`` adds census error per column: relative standard deviation for counts and
    income, absolute for shares (drawn from a generator seeded with ``seed``).
    """
    run = scenario.replace(seed=seed, steps=steps, parameters=scenario.parameters.with_overrides(truth))
    model = TerritoryModel(run)
    model.run(steps)
    nodes = tables.node_table(model)
    nodes = nodes[nodes["kind"] != "market"]
    dates = [scenario.start_year, *sorted(census_years or [scenario.start_year + steps])]
    rng = np.random.default_rng(seed)
    rows = []
    for before, year in zip([None, *dates[:-1]], dates):
        if before is None and not with_start:
            continue
        since = nodes[(nodes["year"] > (before or year)) & (nodes["year"] <= year)]
        net = since.groupby("node_id")["net_migration"].sum()
        for _, row in nodes[nodes["year"] == year].iterrows():
            record = {"municipality": row["node_id"], "year": year}
            for col in ("population", "mean_income_pc", "poverty_headcount", "gini_income", "forest_cover",
                        "net_migration"):
                if col == "net_migration" and before is None:
                    record[col] = np.nan
                    continue
                value = net[row["node_id"]] if col == "net_migration" else row[col]
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


def simulated_patterns(design, patterns, truth: dict[str, float], seed: int, out_dir: Path,
                       workers: int | None = None) -> list:
    """Patterns as a field study would have observed them if the parameters were ``truth``:
    the ensemble ``design`` (an ``EnsembleDesign``) with ``truth`` and another ``seed``
    (other territories, contexts and runs) is run into ``out_dir``, and each of
    ``patterns`` gets its simulated value as ``observed`` and, as ``tolerance``,
    ``TOLERANCE_SD`` times its standard error (the 5-95 % bootstrap interval over runs / 3.29).
    """
    from dataclasses import replace

    from ..ensemble.command import run_design
    from ..ensemble.patterns import evaluate, read_units
    from .pattern_design import TOLERANCE_SD, with_truth

    status = run_design(with_truth(design, truth, seed), out_dir, workers=workers, progress=False)
    if not status.complete:
        raise RuntimeError(f"the ensemble at the truth failed: {status.failures[:3]}")
    units, territories = read_units(Path(out_dir))
    result = evaluate(patterns, units, seed=seed, territories=territories)
    out = []
    for p, r in zip(patterns, result.itertuples()):
        error = (r.high - r.low) / (2 * 1.6449)
        out.append(replace(p, observed=float(r.simulated), tolerance=float(TOLERANCE_SD * max(error, 1e-6)),
                           status="assumption", source=f"simulated: {design.name} with {truth}, seed {seed}"))
    return out


def write_patterns(patterns, path: Path) -> None:
    """A patterns file (``[[patterns]]`` tables) holding ``patterns``."""
    from ..ensemble.patterns import KEYS
    from .report import toml_string

    lines = []
    for p in patterns:
        lines.append("[[patterns]]")
        for key in KEYS:
            value = getattr(p, key)
            if value == "":
                continue
            lines.append(f"{key} = {toml_string(value) if isinstance(value, str) else repr(float(value))}")
        lines.append("")
    Path(path).write_text("\n".join(lines), encoding="utf-8")

