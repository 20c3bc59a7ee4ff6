"""Period statistics: changes of yearly outcomes between a start and an end year, each
declared once and computed by one function for municipalities (arrays) and the territory
(one-element arrays).

Two income growth rates exist on purpose and carry distinct names: ``income_growth_log``
(annual log rate; additive over years, used by calibration distances and sensitivity
analysis) and ``income_growth_total`` (relative change over the whole period; shown in the
typology table). Their signs agree, so the typology flag ``grew`` is the same with either.
Non-finite results (a start value of zero, a missing value) are NaN.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

Columns = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Statistic:
    """One period statistic.

    Attributes
    ----------
    name : str
        Name used by calibration files, sensitivity designs and the typology table.
    unit : str
        Unit of the value (``"1"`` for dimensionless, ``"1/yr"`` for annual rates).
    label : str
        One-line meaning.
    needs : tuple of str
        Yearly outcome columns it is computed from.
    formula : callable
        ``formula(start, end, net_migration, years) -> ndarray`` with ``start``/``end``
        mappings of column -> array at the start and end year, ``net_migration`` the net
        migrants (persons) over the years after the start, ``years`` the period length.
    """

    name: str
    unit: str
    label: str
    needs: tuple[str, ...]
    formula: Callable[[Columns, Columns, np.ndarray, float], np.ndarray]


def _log_rate(column):
    return lambda a, b, net, years: np.log(b[column] / a[column]) / years


def _total_change(column):
    return lambda a, b, net, years: b[column] / a[column] - 1.0


def _difference(column):
    return lambda a, b, net, years: b[column] - a[column]


def _forest_change(a, b, net, years):
    f0, f1 = a["forest_cover"], b["forest_cover"]
    change = np.where(f0 > 0, f1 / np.where(f0 > 0, f0, 1.0) - 1.0, np.where(f1 > 0, np.inf, 0.0))
    return np.where(np.isnan(f0) | np.isnan(f1), np.nan, change)


def _net_migration_rate(a, b, net, years):
    return np.asarray(net, float) / a["population"] / years


_ENTRIES: tuple[Statistic, ...] = (
    Statistic("income_growth_log", "1/yr", "annual log growth of mean income per person: log(end / start) / years",
              ("mean_income_pc",), _log_rate("mean_income_pc")),
    Statistic("income_growth_total", "1", "relative change of mean income per person over the period: end / start - 1",
              ("mean_income_pc",), _total_change("mean_income_pc")),
    Statistic("poverty_change", "1", "end minus start poverty headcount (share points)",
              ("poverty_headcount",), _difference("poverty_headcount")),
    Statistic("gini_change", "1", "end minus start Gini of income per person",
              ("gini_income",), _difference("gini_income")),
    Statistic("forest_change", "1", "relative change of forest cover (and natural capital) over the period: "
              "end / start - 1 (0 if there was never forest)", ("forest_cover",), _forest_change),
    Statistic("population_growth", "1/yr", "annual log growth of population: log(end / start) / years",
              ("population",), _log_rate("population")),
    Statistic("net_migration_rate", "1/yr", "net migrants over the period per start resident and year",
              ("population", "net_migration"), _net_migration_rate),
)

REGISTRY: Mapping[str, Statistic] = MappingProxyType({s.name: s for s in _ENTRIES})
"""Every period statistic by name, in a fixed order (the order of calibration's value arrays)."""


def period_statistics(start: Columns, end: Columns, net_migration, years: float) -> dict[str, np.ndarray]:
    """Every period statistic from start and end values.

    Parameters
    ----------
    start, end : mapping of column -> array, shape (units,)
        Yearly outcomes at the start and end year (a DataFrame works). Missing columns
        give NaN for the statistics that need them.
    net_migration : array, shape (units,)
        Net migrants (persons) over the years after the start.
    years : float
        Length of the period (yr).

    Returns
    -------
    dict of str to ndarray, shape (units,)
        One array per statistic of ``REGISTRY``, in its order; non-finite values are NaN.
    """
    n = len(np.asarray(net_migration, float).reshape(-1))
    columns = {side: {c: np.asarray(frame[c], float) if c in frame else np.full(n, np.nan)
                      for c in {c for s in _ENTRIES for c in s.needs}} for side, frame in (("a", start), ("b", end))}
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for s in _ENTRIES:
            value = np.asarray(s.formula(columns["a"], columns["b"], net_migration, float(years)), float)
            out[s.name] = np.where(np.isfinite(value), value, np.nan)
    return out


def period_frames(table: pd.DataFrame, start_year: int | None = None, end_year: int | None = None,
                  key: str | None = "node_id", order=None) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, int]:
    """Start rows, end rows, net migration over the period and its length from a yearly table.

    Parameters
    ----------
    table : DataFrame
        A municipality table (one row per ``key`` and year) or, with ``key=None``, a
        territory table (one row per year).
    start_year, end_year : int, optional
        The period (default: first and last year of ``table``).
    order : sequence, optional
        Units to return, in this order (default: those of the start year).

    Returns
    -------
    start, end : DataFrame
        Rows at the start and end year, aligned.
    net_migration : ndarray
        ``net_migration`` summed over the years after the start up to the end (persons).
    years : int
        ``end_year - start_year``.
    """
    start_year = int(table["year"].min()) if start_year is None else int(start_year)
    end_year = int(table["year"].max()) if end_year is None else int(end_year)
    later = table[(table["year"] > start_year) & (table["year"] <= end_year)]
    if key is None:
        start = table[table["year"] == start_year].iloc[:1].reset_index(drop=True)
        end = table[table["year"] == end_year].iloc[:1].reset_index(drop=True)
        net = np.array([later["net_migration"].sum()], float)
    else:
        start = table[table["year"] == start_year].set_index(key)
        order = start.index if order is None else order
        start = start.reindex(order)
        end = table[table["year"] == end_year].set_index(key).reindex(order)
        net = later.groupby(key)["net_migration"].sum().reindex(order).to_numpy(float)
    return start, end, net, end_year - start_year


def markdown_table() -> str:
    """The period statistics as a Markdown table (for the README)."""
    lines = ["| name | unit | from | meaning |", "|---|---|---|---|"]
    for s in _ENTRIES:
        lines.append(f"| `{s.name}` | {s.unit} | {', '.join(s.needs)} | {s.label} |")
    return "\n".join(lines)
