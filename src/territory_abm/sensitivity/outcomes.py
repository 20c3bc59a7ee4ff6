"""Scalar outcomes of one run, the ``Y`` that sensitivity analysis explains.

Each is computed from the run's territory table (one row per year) and typology table
(one row per node). Any territory outcome column can also be named directly; it then
means its value in the final year.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..model.outcomes import NODE_OUTCOMES


def _first_last(territory: pd.DataFrame, column: str) -> tuple[float, float]:
    values = territory.sort_values("year")[column].to_numpy(float)
    return float(values[0]), float(values[-1])


def _growth_per_year(territory, typology):
    first, last = _first_last(territory, "mean_income_pc")
    years = float(territory["year"].max() - territory["year"].min())
    return (last / first) ** (1.0 / years) - 1.0 if first > 0 and last > 0 and years > 0 else np.nan


def _change(column):
    def change(territory, typology):
        first, last = _first_last(territory, column)
        return last - first
    return change


def _relative_change(column):
    def change(territory, typology):
        first, last = _first_last(territory, column)
        return last / first - 1.0 if first > 0 else np.nan
    return change


def _net_migration_rate(territory, typology):
    t = territory.sort_values("year").iloc[1:]  # the start row has no flows
    return float((t["net_migration"] / t["population"]).mean()) if len(t) else np.nan


def _type_share(*types):
    def share(territory, typology):
        nodes = typology[np.isfinite(typology["population_start"].to_numpy(float))]
        return float(nodes["type"].isin(types).mean()) if len(nodes) else np.nan
    return share


def _total(column):
    def total(territory, typology):
        return float(territory[column].sum())
    return total


DERIVED: dict[str, tuple[str, Callable[[pd.DataFrame, pd.DataFrame], float]]] = {
    "income_growth": ("mean income per person, growth per year over the run (1/yr)", _growth_per_year),
    "poverty_change": ("final minus initial poverty headcount", _change("poverty_headcount")),
    "gini_change": ("final minus initial Gini of income", _change("gini_income")),
    "natural_capital_change": ("relative change of natural capital over the run", _relative_change("natural_capital")),
    "population_change": ("relative change of population over the run", _relative_change("population")),
    "net_migration_rate": ("mean yearly net migration per resident (1/yr)", _net_migration_rate),
    "win_win_win_share": ("share of municipalities and cities where income grew and poverty and inequality fell",
                          _type_share("win-win-win", "sustainable win-win-win")),
    "sustainable_share": ("share of municipalities and cities on the sustainable win-win-win path",
                          _type_share("sustainable win-win-win")),
    "total_policy_cost": ("programme cost summed over the run (USD)", _total("policy_cost")),
}
"""Outcomes derived from the whole run: name -> (meaning, function)."""


def known_outcomes() -> dict[str, str]:
    """Every outcome a design may name, with its meaning."""
    final = {name: f"final year: {meaning}" for name, meaning in NODE_OUTCOMES.items()}
    return {**final, **{name: meaning for name, (meaning, _) in DERIVED.items()}}


def run_outcomes(names: list[str], territory: pd.DataFrame, typology: pd.DataFrame) -> dict[str, float]:
    """Value of each named outcome for one run."""
    out = {}
    final = territory.sort_values("year").iloc[-1]
    for name in names:
        if name in DERIVED:
            out[name] = float(DERIVED[name][1](territory, typology))
        else:
            out[name] = float(final[name])
    return out
