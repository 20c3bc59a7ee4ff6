"""Compiled Gini and weighted median per group and over all groups, from one stable sort.

The median and Gini outcomes of every year sort each household's income per person and
land. :func:`grouped_distribution` does it in three passes over the households:

1. the rows of a valid group are listed, in row order, with the weight of each group;
2. their values are sorted (:func:`stable_order`);
3. the sums of the Gini and the running weights of the median are taken in sorted order.

The sort orders the values' bit patterns mapped to unsigned integers that sort like the
floats (negatives: all bits inverted; others: sign bit set), so -0.0 comes before 0.0
and NaN after +inf, and equal values keep their row order. A radix sort (``DIGIT_BITS``
at a time, ``WIDE_DIGIT_BITS`` for many values) orders one 64-bit word per value, the top
32 bits of its key above its position, and then the few runs of values that share their
top 32 bits are ordered by their full keys (computed from the values where needed, not
stored). That moves about half the memory of a radix sort of all 64 bits with a separate
index (what the sort costs at 10^5 households is memory traffic).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .kernels import kernel

DIGIT_BITS = 11
"""Bits sorted per pass of the radix sort (2^11 counters fit in the first-level cache)."""
WIDE_DIGIT_BITS = 16
"""Bits sorted per pass from ``WIDE_FROM`` values on: two passes over the top 32 bits instead
of three (at 10^5 households the 2^16 counters, in the second-level cache, cost less than a
third pass over the values: an order of 10^5 incomes per person in 0.63 ms against 0.79)."""
WIDE_FROM = 1 << 15
"""Values from which the radix sort takes ``WIDE_DIGIT_BITS`` at a time (for fewer, the 2^16
counters to clear and add up would cost more than the pass they save)."""
SHORT_RUN = 48
"""Runs of keys sharing their top 32 bits up to this long are ordered by insertion; longer
ones by a radix sort of the rest of their keys."""
MEDIAN_TOLERANCE = 1e-12
"""Cumulative weight that counts as reaching half (rounding of weighted sums)."""
_HIGH = np.uint64(32)
_LOW_MASK = np.uint64(0xFFFFFFFF)


class GroupDistribution(NamedTuple):
    gini: np.ndarray        # (n_groups,) Gini by group; NaN without weight or total
    median: np.ndarray      # (n_groups,) weighted median by group; NaN without weight
    gini_all: float         # Gini over all groups
    median_all: float       # weighted median over all groups


@njit(cache=True)
def _sort_key(bits):
    """A float64's ``bits`` (uint64) as an unsigned integer that sorts like the float."""
    sign = np.uint64(1) << np.uint64(63)
    return ~bits if bits & sign else bits | sign


def _make_radix(digit):
    """A compiled sort of uint64 words, stable by their top 32 bits: a radix sort ``digit``
    bits at a time (a constant of the compiled code), skipping digits that all words share;
    it returns the sorted copy (or its argument)."""
    radix = 1 << digit
    mask = np.uint64(radix - 1)
    passes = (32 + digit - 1) // digit

    @njit(cache=True)
    def sort(packed):
        m = packed.shape[0]
        count = np.zeros((passes, radix), np.int64)
        for j in range(m):
            top = packed[j] >> _HIGH
            for p in range(passes):
                count[p, (top >> np.uint64(p * digit)) & mask] += 1
        other = np.empty(m, np.uint64)
        for p in range(passes):
            c = count[p]
            shift = np.uint64(32 + p * digit)
            if m == 0 or c[(packed[0] >> shift) & mask] == m:
                continue  # every word has the same digit: nothing to move
            total = 0
            for d in range(radix):
                v = c[d]
                c[d] = total
                total += v
            for j in range(m):
                v = packed[j]
                d = (v >> shift) & mask
                other[c[d]] = v
                c[d] += 1
            packed, other = other, packed
        return packed
    return sort


_narrow = _make_radix(DIGIT_BITS)
_wide = _make_radix(WIDE_DIGIT_BITS)


@njit(cache=True)
def _sort_by_high_words(packed):
    """``packed`` (uint64) sorted stably by their top 32 bits, ``DIGIT_BITS`` at a time
    (``WIDE_DIGIT_BITS`` from ``WIDE_FROM`` words on). Returns the sorted copy (or ``packed``)."""
    if packed.shape[0] >= WIDE_FROM:
        return _wide(packed)
    return _narrow(packed)


@njit(cache=True)
def _order_by_keys(bits, rows):
    """The ``rows`` ordered stably by the sort keys of their values (``bits``: the values'
    float64 bits, indexed by row): a radix sort of the top 32 bits of each key packed with
    its row in the low 32, then runs that share their top 32 bits ordered by the rest."""
    m = rows.shape[0]
    packed = np.empty(m, np.uint64)
    for j in range(m):
        packed[j] = ((_sort_key(bits[rows[j]]) >> _HIGH) << _HIGH) | np.uint64(rows[j])
    packed = _sort_by_high_words(packed)
    order = np.empty(m, np.int64)
    for j in range(m):
        order[j] = packed[j] & _LOW_MASK
    start = 0
    while start < m:
        end = start + 1
        top = packed[start] >> _HIGH
        while end < m and packed[end] >> _HIGH == top:
            end += 1
        if end - start > 1:
            _order_run(order, bits, start, end)
        start = end
    return order


@njit(cache=True)
def _order_run(order, bits, start, end):
    """Order ``order[start:end]``, rows whose keys share their top 32 bits and stand in row
    order, stably by the sort keys of ``bits`` (in place): by insertion when short, else by
    the radix sort of their low 32 bits packed with their place in the run."""
    ordered = True
    for t in range(start + 1, end):
        if _sort_key(bits[order[t - 1]]) > _sort_key(bits[order[t]]):
            ordered = False
            break
    if ordered:  # e.g. equal values
        return
    if end - start <= SHORT_RUN:
        for a in range(start + 1, end):
            row = order[a]
            key = _sort_key(bits[row])
            t = a
            while t > start and _sort_key(bits[order[t - 1]]) > key:
                order[t] = order[t - 1]
                t -= 1
            order[t] = row
    else:
        run = order[start:end].copy()
        packed = np.empty(run.shape[0], np.uint64)
        for t in range(run.shape[0]):
            packed[t] = (_sort_key(bits[run[t]]) << _HIGH) | np.uint64(t)
        packed = _sort_by_high_words(packed)
        for t in range(run.shape[0]):
            order[start + t] = run[packed[t] & _LOW_MASK]


@kernel()
def stable_order(x):
    """An order that sorts the float64 array ``x`` ascending (``x[order]`` is sorted; ties keep
    their row order; -0.0 before 0.0; NaN after +inf, and NaN with the sign bit before -inf). ``x``
    must be contiguous."""
    return _order_by_keys(x.view(np.uint64), np.arange(x.shape[0]))


@njit(cache=True)
def _rows_in_groups(group, n_groups):
    """Rows whose ``group`` is in [0, n_groups), in row order."""
    rows = np.empty(group.shape[0], np.int64)
    m = 0
    for row in range(group.shape[0]):
        if 0 <= group[row] < n_groups:
            rows[m] = row
            m += 1
    return rows[:m]


@njit(cache=True)
def _distribution(x, weights, group, rows, n_groups):
    """Gini and weighted median of ``x`` over ``rows`` (all in a group), per group and over
    all groups (the formulas of :func:`grouped_distribution`)."""
    wsum = np.zeros(n_groups)
    k = 0
    while k < rows.shape[0]:  # a run of one group's rows: its sum in a register (the same additions in order)
        g = group[rows[k]]
        total = wsum[g]
        while k < rows.shape[0] and group[rows[k]] == g:
            total += weights[rows[k]]
            k += 1
        wsum[g] = total
    return _sums_in_order(x, weights, group, _order_by_keys(x.view(np.uint64), rows), wsum, n_groups)


@njit(cache=True)
def _sums_in_order(x, weights, group, order, wsum, n_groups):
    """Gini and weighted median of ``x`` per group and over all groups, from the rows in
    ascending order of ``x`` (``order``) and each group's weight ``wsum`` (its rows' weights
    added in row order). A group's median is the first value at which its cumulative weight
    reaches half, or the first value after it that is not NaN."""
    half = 0.5 * wsum - MEDIAN_TOLERANCE
    total_weight = wsum.sum()
    half_all = 0.5 * total_weight - MEDIAN_TOLERANCE
    running = np.zeros(n_groups)  # cumulative w x per group
    cum_w = np.zeros(n_groups)
    num = np.zeros(n_groups)
    median = np.full(n_groups, np.nan)
    searching = wsum > 0
    running_all = 0.0
    cum_all = 0.0
    num_all = 0.0
    median_all = np.nan
    searching_all = total_weight > 0
    for row in order:
        g = group[row]
        w = float(weights[row])
        value = x[row]
        wx = w * value
        num[g] += w * (2.0 * running[g] + wx)
        running[g] += wx
        num_all += w * (2.0 * running_all + wx)
        running_all += wx
        cum = cum_w[g] + w
        cum_w[g] = cum
        cum_all += w
        if searching[g] and cum >= half[g]:
            median[g] = value
            searching[g] = np.isnan(value)
        if searching_all and cum_all >= half_all:
            median_all = value
            searching_all = np.isnan(value)
    gini = np.full(n_groups, np.nan)
    for g in range(n_groups):
        if wsum[g] > 0 and running[g] > 0:
            gini[g] = 1.0 - num[g] / (wsum[g] * running[g])
    gini_all = np.nan
    if total_weight > 0 and running_all > 0:
        gini_all = 1.0 - num_all / (total_weight * running_all)
    return gini, median, gini_all, median_all


@kernel(GroupDistribution)
def grouped_distribution(x, weights, group, n_groups):
    """Gini and weighted median of ``x`` per group and over all groups. Rows with ``group``
    outside [0, n_groups) are left out.

    Gini: G = 1 - sum_i w_i (S_{i-1} + S_i) / (W S), S_i the cumulative weighted sum in
    ascending order; median: the smallest value whose cumulative weight reaches half the
    weight. Returns (gini per group, median per group, gini of all, median of all); NaN
    where a group has no weight (Gini also where its total is zero). ``x`` must be contiguous.
    """
    return _distribution(x, weights, group, _rows_in_groups(group, n_groups), n_groups)


class HouseholdDistributions(NamedTuple):
    """Distributions over the alive households, by node and over all nodes."""

    income: GroupDistribution  # of income per person, weighted by members
    land: GroupDistribution    # of land per household


@njit(cache=True)
def _income_per_person(income, members):
    """Income over members (at least 1) of every row."""
    out = np.empty(income.shape[0])
    for i in range(income.shape[0]):
        out[i] = income[i] / max(float(members[i]), 1.0)
    return out


@njit(cache=True)
def _household_distributions(income_pc, members, land, node, alive, n_nodes):
    n = node.shape[0]
    group = np.empty(n, np.int32)
    rows = np.empty(n, np.int64)  # the alive rows, in row order
    people = np.zeros(n_nodes)  # weights of the income distribution by node: persons (added in row order)
    count = np.zeros(n_nodes)  # of the land distribution: households
    m = 0
    for i in range(n):
        persons = float(members[i])
        g = node[i] if alive[i] else n_nodes
        group[i] = g
        if 0 <= g < n_nodes:
            rows[m] = i
            m += 1
            people[g] += persons
            count[g] += 1.0
    rows = rows[:m]
    # weights and groups in their narrowest types: less to read in the rows' sorted (random) order
    return (_sums_in_order(income_pc, members, group, _order_by_keys(income_pc.view(np.uint64), rows), people,
                           n_nodes),
            _sums_in_order(land, np.ones(n, np.int8), group, _order_by_keys(land.view(np.uint64), rows), count, n_nodes))


def household_distributions(*, income, members, land, node, alive, n_nodes,
                            income_pc: np.ndarray | None = None) -> HouseholdDistributions:
    """The distributions of income per person (income over members, at least 1; weighted by
    members) and of land (ha per household) over the alive households, by ``node`` and over
    all nodes (:func:`grouped_distribution`), from one listing of the alive rows. ``income_pc``:
    the rows' income per person where already computed (``kernels.node_household_totals``
    gives it with the year's sums)."""
    if income_pc is None:
        income_pc = _income_per_person(income, members)
    by_income, by_land = _household_distributions(np.ascontiguousarray(income_pc, float), members,
                                                  np.ascontiguousarray(land, float), node, alive, n_nodes)
    return HouseholdDistributions(income=GroupDistribution._make(by_income), land=GroupDistribution._make(by_land))
