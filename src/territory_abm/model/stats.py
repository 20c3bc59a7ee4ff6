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


INCOME_SOURCES = ("farm_income", "wage_income", "enterprise_income", "transfer_income", "remittance_income",
                  "other_income")
"""The household columns whose sum is a household's income (``budgets``)."""


def concentration_by_source(sources: dict[str, np.ndarray], weights: np.ndarray) -> tuple[float, dict]:
    """The Gini of per-person income taken apart by source (Lerman and Yitzhaki 1985, Rev. Econ.
    Stat. 67(1)): with y the total of the per-person ``sources`` (each an array over the same
    households) and F each household's place in the ``weights``' (persons') distribution of y
    (the mid-point of its weight after everyone poorer; households ranked equal share the
    mid-point of their joint weight), G = 2 cov(y, F) / mean(y) = sum over sources of their
    contributions 2 cov(y_k, F) / mean(y) = s_k C_k, s_k the source's share of income and C_k =
    2 cov(y_k, F) / mean(y_k) its concentration coefficient (the source's Gini were it ranked
    by its own amount, its Gini times its correlation with income otherwise: 0 for a source
    shared equally, negative for one that goes mostly to the poorest). Returns G and, by
    source, (s_k, C_k, contribution) (C_k NaN where the source's mean is 0; its contribution
    is still counted); G and every figure NaN where there is no weight or no income. numpy's sums,
    not BLAS dot products, whose last bits follow the machine's threads."""
    w = np.asarray(weights, float)
    total = np.zeros(len(w))
    for x in sources.values():
        total += x
    weight = w.sum()
    mean = float(np.sum(total * w)) / weight if weight > 0 else float("nan")
    if not (weight > 0 and mean != 0 and np.isfinite(mean)):
        return float("nan"), {name: (float("nan"),) * 3 for name in sources}
    order = np.argsort(total, kind="stable")
    cum = np.cumsum(w[order])
    # the mid-point of each run of equal totals' joint weight
    values, first = np.unique(total[order], return_index=True)
    last = np.append(first[1:], len(w)) - 1
    joint_end = cum[last]
    joint_start = np.append(0.0, joint_end[:-1])
    run = np.repeat(np.arange(len(values)), last - first + 1)
    rank = np.empty(len(w))
    rank[order] = (0.5 * (joint_start + joint_end) / weight)[run]
    centred = rank - float(np.sum(rank * w)) / weight

    def covariance(x):
        return float(np.sum((x - float(np.sum(x * w)) / weight) * centred * w)) / weight

    out = {}
    for name, x in sources.items():
        mean_k = float(np.sum(x * w)) / weight
        contribution = 2.0 * covariance(x) / mean
        out[name] = (mean_k / mean, contribution * mean / mean_k if mean_k != 0 else float("nan"), contribution)
    return 2.0 * covariance(total) / mean, out
