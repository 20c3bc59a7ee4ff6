"""Grouped distribution statistics over household columns.

All functions take household-level arrays and an integer group (node) per household and
return one value per group. One sort of the values serves all groups and the whole
(``distribution_kernels``).
"""

from __future__ import annotations

import numpy as np

from . import distribution_kernels


def grouped_distribution(x: np.ndarray, group: np.ndarray, n_groups: int,
                         weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Gini and weighted median of ``x`` per group and over all groups, from one sort.

    Rows whose group is outside [0, n_groups) (e.g. households no longer alive) are left
    out. Returns (gini per group, median per group, gini of all, median of all); NaN where
    a group has no weight (the Gini also where its total is zero).
    """
    x = np.ascontiguousarray(x, float)
    weights = np.ones(len(x)) if weights is None else np.asarray(weights, float)
    return distribution_kernels.grouped_distribution(x=x, weights=weights, group=np.asarray(group, np.int64),
                                                     n_groups=n_groups)


def grouped_gini(x: np.ndarray, group: np.ndarray, n_groups: int,
                 weights: np.ndarray | None = None) -> np.ndarray:
    """Gini coefficient of ``x`` (non-negative) within each group, optionally weighted.
    Groups with no weight or a zero total get NaN."""
    return grouped_distribution(x, group, n_groups, weights)[0]


def grouped_weighted_median(x: np.ndarray, group: np.ndarray, n_groups: int,
                            weights: np.ndarray) -> np.ndarray:
    """Weighted median of ``x`` per group: the smallest value whose cumulative weight
    reaches half the group's weight. NaN for groups without weight."""
    return grouped_distribution(x, group, n_groups, weights)[1]


def gini_of_sample(x: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Gini of one sample (convenience wrapper)."""
    return float(grouped_gini(np.asarray(x, float), np.zeros(len(x), np.int64), 1, weights)[0])


def grouped_fifths(x: np.ndarray, group: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Each row's fifth (0 lowest .. 4 highest) of ``x`` among the ``eligible`` rows of its
    group (quintile cut points by ``numpy.quantile``'s linear rule; a value on a cut point
    goes to the lower fifth); -1 for rows not eligible."""
    out = np.full(len(x), -1)
    for g in np.unique(group[eligible]):
        rows = np.flatnonzero(eligible & (group == g))
        out[rows] = np.searchsorted(np.quantile(x[rows], [0.2, 0.4, 0.6, 0.8]), x[rows])
    return out
