"""Grouped distribution statistics over household columns (pure array functions).

All functions take household-level arrays and an integer group (node) per household and
return one value per group. Sorting is done once for all groups.
"""

from __future__ import annotations

import numpy as np


def sort_within_groups(x: np.ndarray, group: np.ndarray, previous: np.ndarray | None = None) -> np.ndarray:
    """Order that sorts rows by group, then by ``x`` within the group.

    ``previous`` is an earlier order of the first rows (e.g. last year's); rows beyond it
    are appended and a stable sort (timsort) starts from it, which is faster when values
    change little between calls. Ties may come out in any order; the statistics below do
    not depend on the order of equal values. The key is ``group * 2 span + x`` in float64,
    so values closer than about 1e-15 of the largest count as equal.
    """
    span = float(np.max(np.abs(x))) + 1.0 if x.size else 1.0
    key = group * (2.0 * span) + x
    if previous is None or len(previous) > len(x):
        return np.argsort(key)
    start = np.concatenate((previous, np.arange(len(previous), len(x))))
    return start[np.argsort(key[start], kind="stable")]


class OrderCache:
    """Last order per named variable, so that a yearly re-sort starts from nearly sorted data."""

    def __init__(self) -> None:
        self._orders: dict[str, np.ndarray] = {}

    def order(self, name: str, x: np.ndarray, group: np.ndarray) -> np.ndarray:
        order = sort_within_groups(x, group, self._orders.get(name))
        self._orders[name] = order
        return order


def grouped_gini(x: np.ndarray, group: np.ndarray, n_groups: int,
                 weights: np.ndarray | None = None, order: np.ndarray | None = None) -> np.ndarray:
    """Gini coefficient of ``x`` within each group, optionally weighted.

    Uses G = 1 - sum_i w_i (S_{i-1} + S_i) / (W S), with S_i the cumulative weighted sum
    of sorted values. Groups with no weight or a zero total get NaN.

    Parameters
    ----------
    x : (n,) array of non-negative values
    group : (n,) int array in [0, n_groups)
    weights : (n,) array, optional (default 1)
    order : (n,) int array from ``sort_within_groups(x, group)``, optional
    """
    w = np.ones_like(x, dtype=float) if weights is None else weights.astype(float)
    order = sort_within_groups(x, group) if order is None else order
    xs, ws, gs = x[order].astype(float), w[order], group[order]
    wx = ws * xs
    csum = np.cumsum(wx)
    totals = np.bincount(gs, wx, minlength=n_groups)
    offsets = np.concatenate(([0.0], np.cumsum(totals)[:-1]))
    s_i = csum - offsets[gs]
    num = np.bincount(gs, ws * (2.0 * s_i - wx), minlength=n_groups)
    wsum = np.bincount(gs, ws, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        gini = 1.0 - num / (wsum * totals)
    gini[(wsum <= 0) | (totals <= 0)] = np.nan
    return gini


def grouped_weighted_median(x: np.ndarray, group: np.ndarray, n_groups: int,
                            weights: np.ndarray, order: np.ndarray | None = None) -> np.ndarray:
    """Weighted median of ``x`` per group: the smallest value whose cumulative weight
    reaches half the group's weight. NaN for groups without weight. ``order`` as in
    ``grouped_gini``."""
    order = sort_within_groups(x, group) if order is None else order
    xs, ws, gs = x[order], weights[order].astype(float), group[order]
    csum = np.cumsum(ws)
    wsum = np.bincount(gs, ws, minlength=n_groups)
    counts = np.bincount(gs, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    offsets = np.concatenate(([0.0], np.cumsum(wsum)[:-1]))
    within = csum - offsets[gs]
    below = np.bincount(gs, within < 0.5 * wsum[gs] - 1e-12, minlength=n_groups).astype(np.int64)
    idx = np.minimum(starts + below, max(len(xs) - 1, 0))
    out = np.full(n_groups, np.nan)
    has = wsum > 0
    out[has] = xs[idx[has]]
    return out


def poverty_measures(income_pc: np.ndarray, members: np.ndarray, group: np.ndarray,
                     n_groups: int, line: float) -> tuple[np.ndarray, np.ndarray]:
    """Person-weighted poverty headcount and poverty gap (FGT0, FGT1) per group."""
    people = np.bincount(group, members, minlength=n_groups)
    poor = income_pc < line
    head = np.bincount(group, members * poor, minlength=n_groups)
    gap = np.bincount(group, members * np.clip((line - income_pc) / line, 0.0, None), minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return head / people, gap / people


def gini_of_sample(x: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Gini of one sample (convenience wrapper)."""
    return float(grouped_gini(np.asarray(x, float), np.zeros(len(x), np.int64), 1, weights)[0])
