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


def slope_difference(x: np.ndarray, y: np.ndarray, in_group: np.ndarray) -> float:
    """:func:`slope` of ``y`` on ``x`` over the units in the group minus the slope over the
    others (units of y per unit of x); NaN when either slope is. With ``x`` the relative
    income change, ``y`` the relative poverty change and the group the more unequal units,
    a positive value says growth reduces poverty less where inequality is high (Ravallion
    1997, Economics Letters 56:51-57; Modrego and Berdegue 2015, World Development 73:11-31)."""
    x, y, g = np.asarray(x, float), np.asarray(y, float), np.asarray(in_group, bool)
    return slope(x[g], y[g]) - slope(x[~g], y[~g])


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
    Group("high_income_gini", "units whose drawn starting income Gini is at least the median (vs below)",
          _above_median("income_gini", at_least=True)),
)
GROUPS: Mapping[str, Group] = MappingProxyType({g.name: g for g in _GROUPS})
"""Groups a ``difference`` or ``slope_difference`` pattern may name; medians are over the
units the pattern pools."""


SUMS = 10
"""Length of a pattern's sufficient statistics (:func:`sums`), padded with zeros."""


def sums(kind: str, a: np.ndarray, b: np.ndarray | None = None, c: np.ndarray | None = None) -> np.ndarray:
    """Sufficient statistics of one statistic ``kind`` over some units, shape (``SUMS``,):
    summed over several sets of units, :func:`from_sums` gives the statistic of their union.

    share, mean : a the values (0/1 for a share); [n, sum a] over finite a
    correlation, slope : a = x, b = y; [n, sum x, sum y, sum x^2, sum xy, sum y^2] over finite pairs
    difference : a the values, b the group (bool); [n in group, sum in group, n rest, sum rest]
    slope_difference : a = x, b = y, c the group; [n, sum x, sum y, sum x^2, sum xy] over the
        finite pairs in the group, then the same over the rest
    """
    out = np.zeros(SUMS)
    if kind == "slope_difference":
        x, y, g = np.asarray(a, float), np.asarray(b, float), np.asarray(c, bool)
        for k, side in enumerate((g, ~g)):
            xs, ys = _finite_pairs(x[side], y[side])
            out[5 * k:5 * k + 5] = (xs.size, xs.sum(), ys.sum(), (xs * xs).sum(), (xs * ys).sum())
        return out
    if kind in ("correlation", "slope"):
        x, y = _finite_pairs(a, b)
        out[:6] = (x.size, x.sum(), y.sum(), (x * x).sum(), (x * y).sum(), (y * y).sum())
        return out
    v = np.asarray(a, float)
    if kind == "difference":
        g = np.asarray(b, bool)
        inside, rest = v[g & np.isfinite(v)], v[~g & np.isfinite(v)]
        out[:4] = (inside.size, inside.sum(), rest.size, rest.sum())
        return out
    v = v[np.isfinite(v)]
    out[:2] = (v.size, v.sum())
    return out


def from_sums(kind: str, s: np.ndarray) -> np.ndarray:
    """The statistic from sufficient statistics ``s`` (shape (..., ``SUMS``)), as
    :func:`share`, :func:`mean`, :func:`correlation`, :func:`slope`, :func:`difference` or
    :func:`slope_difference` give it on the pooled units (NaN where they give NaN)."""
    s = np.asarray(s, float)
    if kind == "slope_difference":
        zeros = np.zeros_like(s[..., :1])
        inside, rest = (np.concatenate([s[..., 5 * k:5 * k + 5], zeros], axis=-1) for k in (0, 1))
        return from_sums("slope", inside) - from_sums("slope", rest)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind in ("share", "mean"):
            return np.where(s[..., 0] > 0, s[..., 1] / s[..., 0], np.nan)
        if kind == "difference":
            both = (s[..., 0] > 0) & (s[..., 2] > 0)
            return np.where(both, s[..., 1] / s[..., 0] - s[..., 3] / s[..., 2], np.nan)
        n, sx, sy, sxx, sxy, syy = np.moveaxis(s[..., :6], -1, 0)
        vx, vy, cov = sxx / n - (sx / n) ** 2, syy / n - (sy / n) ** 2, sxy / n - sx * sy / n**2
        tiny = 1e-12 * np.maximum(sxx / n, 1e-300)  # rounding left of a zero variance
        if kind == "slope":
            return np.where((n >= 3) & (vx > tiny), cov / vx, np.nan)
        tiny_y = 1e-12 * np.maximum(syy / n, 1e-300)
        return np.where((n >= 3) & (vx > tiny) & (vy > tiny_y), cov / np.sqrt(vx * vy), np.nan)
