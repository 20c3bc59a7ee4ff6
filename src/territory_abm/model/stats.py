"""Grouped distribution statistics over household columns (pure array functions).

All functions take household-level arrays and an integer group (node) per household and
return one value per group. Sorting is done once for all groups.
"""

from __future__ import annotations

import numpy as np


def sort_order(x: np.ndarray, previous: np.ndarray | None = None) -> np.ndarray:
    """Order that sorts ``x`` (ties in any order).

    ``previous`` is an earlier order of the first rows (e.g. last year's); rows beyond it
    are appended and a stable sort (timsort) starts from it, which is faster when values
    change little between calls.
    """
    if previous is None or len(previous) > len(x):
        return np.argsort(x)
    start = np.concatenate((previous, np.arange(len(previous), len(x))))
    return start[np.argsort(x[start], kind="stable")]


def group_order(order: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Reorder ``order`` by group, keeping its order within each group (a stable radix sort
    on 16-bit group numbers, linear in the number of rows)."""
    small = group.astype(np.int16) if n_groups < 2**15 else group
    return order[np.argsort(small[order], kind="stable")]


def sort_within_groups(x: np.ndarray, group: np.ndarray, previous: np.ndarray | None = None) -> np.ndarray:
    """Order that sorts rows by group, then by ``x`` within the group (``previous`` as in
    ``sort_order``: an earlier order of ``x`` to start from)."""
    n_groups = int(group.max()) + 1 if group.size else 1
    return group_order(sort_order(x, previous), group, n_groups)


class OrderCache:
    """Last order per named variable, so that a yearly re-sort starts from nearly sorted data."""

    def __init__(self) -> None:
        self._orders: dict[str, np.ndarray] = {}

    def order(self, name: str, x: np.ndarray) -> np.ndarray:
        order = sort_order(x, self._orders.get(name))
        self._orders[name] = order
        return order


class SortedGroups:
    """Values and weights gathered once in group-then-value order, with per-group weight
    and value totals: the common part of the grouped Gini and median.

    ``group`` None means one group (no per-group bookkeeping).
    """

    def __init__(self, x: np.ndarray, group: np.ndarray | None, n_groups: int, weights: np.ndarray | None,
                 order: np.ndarray) -> None:
        self.n_groups = n_groups
        self.xs = x[order].astype(float, copy=False)
        self.ws = np.ones(len(order)) if weights is None else weights[order].astype(float, copy=False)
        self.wx = self.ws * self.xs
        if group is None:
            self.gs = None
            self.wsum = np.array([self.ws.sum()])
            self.totals = np.array([self.wx.sum()])
            self.counts = np.array([len(order)])
        else:
            self.gs = group[order]
            self.wsum = np.bincount(self.gs, self.ws, minlength=n_groups)
            self.totals = np.bincount(self.gs, self.wx, minlength=n_groups)
            self.counts = np.bincount(self.gs, minlength=n_groups)

    def _within(self, values: np.ndarray, totals: np.ndarray) -> np.ndarray:
        """Cumulative sum of ``values`` restarted at each group."""
        csum = np.cumsum(values)
        if self.gs is None:
            return csum
        offsets = np.cumsum(totals) - totals
        return csum - offsets[self.gs]

    def _per_group(self, values: np.ndarray) -> np.ndarray:
        if self.gs is None:
            return np.array([values.sum()])
        return np.bincount(self.gs, values, minlength=self.n_groups)

    def gini(self) -> np.ndarray:
        """G = 1 - sum_i w_i (S_{i-1} + S_i) / (W S), S_i the cumulative weighted sum in the group."""
        s_i = self._within(self.wx, self.totals)
        num = self._per_group(self.ws * (2.0 * s_i - self.wx))
        with np.errstate(invalid="ignore", divide="ignore"):
            gini = 1.0 - num / (self.wsum * self.totals)
        gini[(self.wsum <= 0) | (self.totals <= 0)] = np.nan
        return gini

    def median(self) -> np.ndarray:
        """Smallest value whose cumulative weight reaches half the group's weight."""
        within = self._within(self.ws, self.wsum)
        half = 0.5 * self.wsum - 1e-12
        below_mask = within < (half[0] if self.gs is None else half[self.gs])
        below = self._per_group(below_mask).astype(np.int64)
        starts = np.cumsum(self.counts) - self.counts
        idx = np.minimum(starts + below, max(len(self.xs) - 1, 0))
        out = np.full(self.n_groups, np.nan)
        has = self.wsum > 0
        out[has] = self.xs[idx[has]]
        return out


def grouped_gini(x: np.ndarray, group: np.ndarray, n_groups: int,
                 weights: np.ndarray | None = None, order: np.ndarray | None = None) -> np.ndarray:
    """Gini coefficient of ``x`` within each group, optionally weighted. Groups with no
    weight or a zero total get NaN.

    Parameters
    ----------
    x : (n,) array of non-negative values
    group : (n,) int array in [0, n_groups)
    weights : (n,) array, optional (default 1)
    order : (n,) int array from ``sort_within_groups(x, group)``, optional
    """
    order = sort_within_groups(x, group) if order is None else order
    return SortedGroups(x, group, n_groups, weights, order).gini()


def grouped_weighted_median(x: np.ndarray, group: np.ndarray, n_groups: int,
                            weights: np.ndarray, order: np.ndarray | None = None) -> np.ndarray:
    """Weighted median of ``x`` per group: the smallest value whose cumulative weight
    reaches half the group's weight. NaN for groups without weight. ``order`` as in
    ``grouped_gini``."""
    order = sort_within_groups(x, group) if order is None else order
    return SortedGroups(x, group, n_groups, weights, order).median()


def poverty_counts(income_pc: np.ndarray, members: np.ndarray, group: np.ndarray,
                   n_groups: int, line: float) -> tuple[np.ndarray, np.ndarray]:
    """Poor persons and person-weighted poverty gap sums per group (divide by the group's
    persons for the headcount and gap, FGT0 and FGT1)."""
    poor = income_pc < line
    head = np.bincount(group, members * poor, minlength=n_groups)
    gap = np.bincount(group, members * np.maximum((line - income_pc) / line, 0.0), minlength=n_groups)
    return head, gap


def poverty_measures(income_pc: np.ndarray, members: np.ndarray, group: np.ndarray,
                     n_groups: int, line: float) -> tuple[np.ndarray, np.ndarray]:
    """Person-weighted poverty headcount and poverty gap (FGT0, FGT1) per group."""
    people = np.bincount(group, members, minlength=n_groups)
    head, gap = poverty_counts(income_pc, members, group, n_groups, line)
    with np.errstate(invalid="ignore", divide="ignore"):
        return head / people, gap / people


def gini_of_sample(x: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Gini of one sample (convenience wrapper)."""
    return float(grouped_gini(np.asarray(x, float), np.zeros(len(x), np.int64), 1, weights)[0])
