"""Compiled loops (numba) for the household rules and statistics that arrays express only
as many passes over all households.

Each kernel is a plain function of arrays, deterministic (random draws come in as arrays
drawn by the model's generators), compiled once and cached on disk (``cache=True``).
Kernels add in row order, so sums can differ from numpy's pairwise sums in the last bits.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def sorted_group_pass(x, weights, group, n_groups, order):
    """Gini and weighted median of ``x`` per group and over all groups, in one pass over
    ``order`` (an order that sorts ``x``; ties in any order). Rows with ``group`` outside
    [0, n_groups) are left out.

    Gini: G = 1 - sum_i w_i (S_{i-1} + S_i) / (W S), S_i the cumulative weighted sum in
    ascending order; median: the smallest value whose cumulative weight reaches half the
    weight. Returns (gini per group, median per group, gini of all, median of all); NaN
    where a group has no weight (Gini also where its total is zero).
    """
    wsum = np.zeros(n_groups)
    for row in range(x.shape[0]):
        g = group[row]
        if 0 <= g < n_groups:
            wsum[g] += weights[row]
    half = 0.5 * wsum - 1e-12
    total_weight = wsum.sum()
    half_all = 0.5 * total_weight - 1e-12
    running = np.zeros(n_groups)  # cumulative w x per group
    cum_w = np.zeros(n_groups)
    num = np.zeros(n_groups)
    median = np.full(n_groups, np.nan)
    running_all = 0.0
    cum_all = 0.0
    num_all = 0.0
    median_all = np.nan
    for k in range(order.shape[0]):
        row = order[k]
        g = group[row]
        if g < 0 or g >= n_groups:
            continue
        w = weights[row]
        wx = w * x[row]
        num[g] += w * (2.0 * running[g] + wx)
        running[g] += wx
        num_all += w * (2.0 * running_all + wx)
        running_all += wx
        cum_w[g] += w
        cum_all += w
        if np.isnan(median[g]) and cum_w[g] >= half[g] and wsum[g] > 0:
            median[g] = x[row]
        if np.isnan(median_all) and cum_all >= half_all and total_weight > 0:
            median_all = x[row]
    gini = np.full(n_groups, np.nan)
    for g in range(n_groups):
        if wsum[g] > 0 and running[g] > 0:
            gini[g] = 1.0 - num[g] / (wsum[g] * running[g])
    gini_all = np.nan
    if total_weight > 0 and running_all > 0:
        gini_all = 1.0 - num_all / (total_weight * running_all)
    return gini, median, gini_all, median_all


@njit(cache=True)
def node_household_totals(node, alive, members, adults, employed, income, education, land, poverty_line, n_nodes):
    """Sums over alive households by node, in one pass (rows: persons, households, adults,
    income USD/yr, adult-years of schooling, poor persons, person-weighted poverty gaps
    as shares of the line, adults farming their own land)."""
    out = np.zeros((8, n_nodes))
    for i in range(node.shape[0]):
        if not alive[i]:
            continue
        g = node[i]
        persons = float(members[i])
        grown = float(adults[i])
        out[0, g] += persons
        out[1, g] += 1.0
        out[2, g] += grown
        out[3, g] += income[i]
        out[4, g] += education[i] * grown
        income_pc = income[i] / max(persons, 1.0)
        if income_pc < poverty_line:
            out[5, g] += persons
            out[6, g] += persons * (poverty_line - income_pc) / poverty_line
        if land[i] > 0:
            out[7, g] += grown - employed[i]
    return out


@njit(cache=True)
def hand_over_land(node, alive, land, rows, n_nodes):
    """Land of ``rows`` (households leaving their node) passes to the node's other alive
    landholders in proportion to their holdings (ha, in place). Where a node has no other
    holder the land is abandoned."""
    freed = np.zeros(n_nodes)
    for r in rows:
        freed[node[r]] += land[r]
        land[r] = 0.0
    held = np.zeros(n_nodes)
    for i in range(node.shape[0]):
        if alive[i] and land[i] > 0:
            held[node[i]] += land[i]
    growth = np.zeros(n_nodes)
    for g in range(n_nodes):
        if held[g] > 0:
            growth[g] = freed[g] / held[g]
    for i in range(node.shape[0]):
        if alive[i] and land[i] > 0:
            land[i] *= 1.0 + growth[node[i]]
