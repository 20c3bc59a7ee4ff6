"""Compiled passes over households for the non-farm enterprises (``enterprises``): each
phase of the enterprises' year reads and writes the household columns in one loop instead
of a dozen numpy passes and temporaries. The rules are those of ``enterprises``; results
are bit for bit those of the numpy expressions they replace (``exact``), so the golden
tables do not move.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .exact import maximum, pairwise_sum_at
from .kernels import kernel


class PlannedIncome(NamedTuple):
    upkeep: float           # wear of the enterprises' capital (USD/yr)
    outside: float          # sales outside the territory (USD/yr)


class Settled(NamedTuple):
    sold: float             # local sales at the clearing prices (USD/yr)
    written_off: float      # losses beyond households' savings, owed outside (USD/yr)


class OwnerTotals(NamedTuple):
    """Sums over alive households by node (``owner``: runs an enterprise)."""

    owners: np.ndarray      # households with an enterprise
    scale: np.ndarray       # enterprise scale of the owners (USD/yr)
    households: np.ndarray  # households
    income: np.ndarray      # income of the households (USD/yr)


class Candidates(NamedTuple):
    rows: np.ndarray        # households that could open an enterprise, in row order
    by_node: np.ndarray     # their number by node


@kernel(PlannedIncome)
def plan_income(scale, tfp, adults, employed, alive, capital, outside, node, expected_price, labour_power,
                depreciation, sales, income, ids, ever):
    """Each enterprise's sales with this year's labour, ``scale`` x (1 + L)^e
    (``labour_power[L]``, L the adults of a household without a farm not in wage jobs, 0 on
    a farm), and its income at the ``expected_price`` of its node less the wear of its
    capital (``depreciation`` x capital); in place on ``sales`` and ``income``. Returns the
    total wear and sales outside the territory (USD/yr; summed over the rows as if none was
    dropped: ``ids`` the households' ids, ``ever`` the households ever made,
    ``exact.pairwise_sum_at``)."""
    n = node.shape[0]
    upkeep = np.empty(n)
    sold_outside = np.empty(n)
    for i in range(n):
        in_enterprise = 0 if tfp[i] > 0 else max(adults[i] - employed[i], 0)
        sales[i] = scale[i] * labour_power[in_enterprise]
        here = 1.0 if alive[i] else 0.0
        upkeep[i] = depreciation * capital[i] * here
        sold_outside[i] = outside[i] * here
        income[i] = expected_price[node[i]] * sales[i] * here + sold_outside[i] - upkeep[i]
    return pairwise_sum_at(upkeep, ids, ever), pairwise_sum_at(sold_outside, ids, ever)


@kernel()
def node_sales(sales, alive, node, n_nodes):
    """Sales of the alive households' enterprises by node (USD/yr at price 1)."""
    out = np.zeros(n_nodes)
    i = 0
    while i < node.shape[0]:  # a run of one node's rows: its sums in registers (the same additions in row order)
        g = node[i]
        total = out[g]
        while i < node.shape[0] and node[i] == g:
            total += sales[i] * (1.0 if alive[i] else 0.0)
            i += 1
        out[g] = total
    return out


@kernel(Settled)
def settle_sales(price, expected_price, sales, alive, node, assets, enterprise_income, income, ids, ever):
    """Sales at the clearing ``price`` (by node, 0 where nothing sold) replace the sales
    planned at ``expected_price``: the difference goes to ``assets``, ``enterprise_income``
    and ``income`` (in place); a loss beyond the assets is written off. Returns the sales
    and the losses written off (USD/yr; summed as :func:`plan_income` sums)."""
    n = node.shape[0]
    sold = np.empty(n)
    lost = np.empty(n)
    for i in range(n):
        g = node[i]
        here = 1.0 if alive[i] else 0.0
        sold[i] = price[g] * sales[i] * here
        windfall = sold[i] - expected_price[g] * sales[i] * here
        after = assets[i] + windfall
        lost[i] = maximum(-after, 0.0)
        assets[i] = maximum(after, 0.0)
        enterprise_income[i] += windfall
        income[i] += windfall
    return pairwise_sum_at(sold, ids, ever), pairwise_sum_at(lost, ids, ever)


@kernel()
def closing_candidates(alive, capital, node, fall):
    """Alive households with an enterprise in a node where ``fall`` > 0, in row order."""
    n = node.shape[0]
    rows = np.empty(n, np.int64)
    k = 0
    for i in range(n):  # every row written at the next place, which only a candidate keeps (no jump)
        rows[k] = i
        k += alive[i] & (capital[i] > 0) & (fall[node[i]] > 0)
    return rows[:k]


@kernel()
def add_by_node(column, per_node, node, weight, where):
    """``column`` + ``per_node[node]`` x ``weight``, in place on ``column``, bit for bit as numpy
    gives it; with a mask ``where`` (not empty), ``column`` + ``where`` x ``per_node[node]`` x
    ``weight`` (the mask as 1.0 or 0.0 multiplied first, as numpy's left to right)."""
    masked = where.shape[0] > 0
    for i in range(column.shape[0]):
        part = per_node[node[i]]
        if masked:
            part = np.float64(where[i]) * part
        column[i] = column[i] + part * weight[i]


@kernel(OwnerTotals)
def owner_totals(alive, capital, scale, income, node, n_nodes):
    """By node: enterprises, their total scale, households and their income (alive
    households; an owner has capital > 0)."""
    owners = np.zeros(n_nodes)
    total = np.zeros(n_nodes)
    households = np.zeros(n_nodes)
    node_income = np.zeros(n_nodes)
    run = -1  # a run of one node's rows: its sums in registers (the same additions in row order)
    run_owners = run_total = run_households = run_income = 0.0
    for i in range(node.shape[0]):
        if not alive[i]:
            continue
        g = node[i]
        if g != run:
            if run >= 0:
                owners[run], total[run], households[run], node_income[run] = \
                    run_owners, run_total, run_households, run_income
            run, run_owners, run_total, run_households, run_income = g, owners[g], total[g], households[g], \
                node_income[g]
        run_households += 1.0
        run_income += income[i]
        # an owner's scale, else 0.0, which leaves the sum as it is (it starts at 0.0, never -0.0): a
        # choice of values rather than a jump on whether it runs an enterprise, which no processor predicts
        owner = capital[i] > 0
        its_scale = scale[i]
        run_owners += 1.0 if owner else 0.0
        run_total += its_scale if owner else 0.0
    if run >= 0:
        owners[run], total[run], households[run], node_income[run] = run_owners, run_total, run_households, run_income
    return owners, total, households, node_income


@kernel(Candidates)
def opening_candidates(alive, capital, assets, node, rise, typical, price):
    """Alive households without an enterprise in a node where ``rise`` > 0 and a typical
    enterprise exists (``typical`` > 0) whose assets cover its ``price`` (USD, by node), in
    row order, and their number by node."""
    n = node.shape[0]
    rows = np.empty(n, np.int64)
    by_node = np.zeros(rise.shape[0], np.int64)
    k = 0
    for i in range(n):
        g = node[i]
        # every row is written at the next place, which only a candidate keeps (k <= i: within
        # the array): no jump on whether its assets cover the price, which no processor predicts
        able = alive[i] & (not capital[i] > 0) & (rise[g] > 0) & (typical[g] > 0) & (assets[i] >= price[g])
        rows[k] = i
        by_node[g] += able
        k += able
    return rows[:k], by_node


class RunningTotals(NamedTuple):
    """Sums over the running enterprises (alive households with capital > 0) by node."""

    outside: np.ndarray     # their sales outside the territory (USD/yr)
    scale: np.ndarray       # their scale (USD/yr)


@kernel(RunningTotals)
def running_totals(alive, capital, outside, scale, node, n_nodes):
    """Sales outside the territory and scale of the running enterprises by node, as
    ``np.bincount(node, outside * running)`` and ``np.bincount(node, scale * running)`` add
    them (``running`` = alive and capital > 0; in row order), in one pass."""
    sold = np.zeros(n_nodes)
    total = np.zeros(n_nodes)
    i = 0
    while i < node.shape[0]:  # a run of one node's rows: its sums in registers (the same additions in row order)
        g = node[i]
        run_sold, run_total = sold[g], total[g]
        while i < node.shape[0] and node[i] == g:
            running = np.float64(alive[i] & (capital[i] > 0))  # no jump on it: no processor predicts it
            run_sold += outside[i] * running
            run_total += scale[i] * running
            i += 1
        sold[g], total[g] = run_sold, run_total
    return sold, total


@kernel()
def node_sums_where(values, where, node, n_nodes):
    """``np.bincount(node, values * where, minlength=n_nodes)`` (``where`` a mask), bit for bit:
    the products added in row order, without the product's array."""
    out = np.zeros(n_nodes)
    i = 0
    while i < node.shape[0]:  # a run of one node's rows: its sum in a register
        g = node[i]
        total = out[g]
        while i < node.shape[0] and node[i] == g:
            total += values[i] * np.float64(where[i])  # (no jump on ``where``)
            i += 1
        out[g] = total
    return out


@kernel()
def first_at_random(rows, group, keys, wanted, n_groups):
    """Of ``rows`` in groups ``group`` (by row), ordered by group and within it by ``keys``
    (no NaN; ties in the order of ``rows``: ``rows[np.lexsort((keys, group))]``), the first
    ``wanted[g]`` of each group g: the same rows in the same order as taking those whose rank
    within their group is below ``wanted``. Each group's first are found by their largest key
    (a partition) and only they are sorted."""
    count = np.zeros(n_groups + 1, np.int64)
    for j in range(rows.shape[0]):
        count[group[j] + 1] += 1
    start = np.cumsum(count)  # each group's first place in the rows by group
    at = start[:n_groups].copy()
    by_group = np.empty(rows.shape[0], np.int64)  # positions in ``rows``, by group, in their order
    for j in range(rows.shape[0]):
        by_group[at[group[j]]] = j
        at[group[j]] += 1
    out = np.empty(rows.shape[0], np.int64)
    k = 0
    for g in range(n_groups):
        lo, hi = start[g], start[g + 1]
        if hi == lo or not wanted[g] > 0:
            continue
        place = by_group[lo:hi]
        seg = keys[place]
        take = hi - lo if wanted[g] >= hi - lo else int(np.ceil(wanted[g]))  # ranks r < wanted
        last = np.partition(seg, take - 1)[take - 1]  # the largest key taken
        ties = take - np.sum(seg < last)  # of the keys equal to it, the first in order
        chosen = np.empty(take, np.int64)
        c = 0
        for r in range(hi - lo):
            if seg[r] < last or (seg[r] == last and ties > 0):
                if seg[r] == last:
                    ties -= 1
                chosen[c] = place[r]
                c += 1
        order = np.argsort(keys[chosen], kind="mergesort")  # stable: ties in the order of ``rows``
        for r in range(take):
            out[k] = rows[chosen[order[r]]]
            k += 1
    return out[:k]
