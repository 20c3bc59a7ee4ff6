"""Pattern statistics over municipalities: pure functions of arrays, one per kind.

Each takes the values of the units pooled over an ensemble's territories and seeds and
returns one number (NaN when undefined: no units, no variance). Groups of municipalities
(:data:`GROUPS`) split units into a group and the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd


def share(values: np.ndarray) -> float:
    """Share of units where a 0/1 ``values`` is 1 (shape (units,)); NaN without units."""
    v = np.asarray(values, float)
    return float(v.mean()) if v.size else np.nan


def mean(values: np.ndarray) -> float:
    """Mean over units (NaN values left out)."""
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    return float(v.mean()) if v.size else np.nan


def correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of ``x`` and ``y`` (shape (units,)) over the units where both are
    finite; NaN with fewer than 3 such units or no variance."""
    x, y = _finite_pairs(x, y)
    if x.size < 3 or x.std() == 0 or y.std() == 0:
        return np.nan
    return float(np.corrcoef(x, y)[0, 1])


def slope(x: np.ndarray, y: np.ndarray) -> float:
    """Ordinary least-squares slope of ``y`` on ``x`` with an intercept:
    cov(x, y) / var(x) (units of y per unit of x); NaN with fewer than 3 units or no
    variance of x. With ``x`` the log of initial income and ``y`` the annual log income
    growth it is the (unconditional) beta-convergence coefficient (Barro and
    Sala-i-Martin 1992, doi:10.1086/261816)."""
    x, y = _finite_pairs(x, y)
    if x.size < 3 or x.var() == 0:
        return np.nan
    return float(((x - x.mean()) * (y - y.mean())).mean() / x.var())


def difference(values: np.ndarray, in_group: np.ndarray) -> float:
    """Mean of ``values`` over the units in the group minus the mean over the others;
    NaN when either side has no finite value."""
    v = np.asarray(values, float)
    g = np.asarray(in_group, bool)
    return mean(v[g]) - mean(v[~g])


def _finite_pairs(x, y):
    x, y = np.asarray(x, float), np.asarray(y, float)
    keep = np.isfinite(x) & np.isfinite(y)
    return x[keep], y[keep]


@dataclass(frozen=True)
class Group:
    """A split of municipalities into a group and the rest.

    name : key used by pattern files
    meaning : what the group is (the rest is its complement)
    rule : ``rule(units) -> bool array``, over a pooled units table (``municipalities.csv`` rows)
    """

    name: str
    meaning: str
    rule: Callable[[pd.DataFrame], np.ndarray]


def _above_median(column: str, at_least: bool):
    def rule(units: pd.DataFrame) -> np.ndarray:
        v = units[column].to_numpy(float)
        m = np.nanmedian(v) if v.size else np.nan
        return v >= m if at_least else v <= m
    return rule


_GROUPS = (
    Group("has_city", "units of territories with an intermediate city (vs without)",
          lambda u: u["has_city"].to_numpy(int) == 1),
    Group("near_market", "units at most the median travel time from the dynamic market (vs farther)",
          _above_median("travel_time_to_market", at_least=False)),
    Group("high_land_gini", "units with a land Gini at least the median (vs below)",
          _above_median("land_gini", at_least=True)),
    Group("high_governance", "units with governance quality at least the median (vs below)",
          _above_median("governance", at_least=True)),
)
GROUPS: Mapping[str, Group] = MappingProxyType({g.name: g for g in _GROUPS})
"""Groups a ``difference`` pattern may name; medians are over the units the pattern pools."""
