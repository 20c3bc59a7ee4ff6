"""Compiled loops (numba) of migration's destination draws: free moves draw by their origin's
logit shares (``draw_destinations``); where moves cost money a household pays for a leading run
of its origin's destinations ordered by cost, so its choice set is found by a binary search and
its draw and inclusive value by sums restarted at each origin's row.

Conventions as in :mod:`.kernels` (keyword-only calls). They are kept out of ``kernels``:
``experiments.engines.kernels_need_compiling`` asks whether every kernel there is cached after
a run, and a run calls the draws of free moves or those of moves that cost money, never both
(with ``draw_destinations`` in ``kernels``, every run with moving costs said it compiled).
"""

from __future__ import annotations

import numpy as np

from .kernels import _row_cumsum, kernel


@kernel()
def draw_destinations(origins, indptr, shares, u):
    """For each mover, the first pair of its origin's row (``indptr``: compressed rows of
    ``shares``, the logit shares of each pair) whose cumulative share over the row's total
    reaches its uniform draw ``u``; returns the pair's index."""
    cumulative = _row_cumsum(indptr, shares)
    for row in range(indptr.shape[0] - 1):
        total = cumulative[indptr[row + 1] - 1] if indptr[row + 1] > indptr[row] else 0.0
        if total > 0:
            for k in range(indptr[row], indptr[row + 1]):
                cumulative[k] /= total
    pair = np.empty(origins.shape[0], np.int64)
    for m in range(origins.shape[0]):
        k, last = indptr[origins[m]], indptr[origins[m] + 1] - 1
        while k < last and cumulative[k] < u[m]:
            k += 1
        pair[m] = k
    return pair


@kernel()
def segment_cumsum(indptr, values):
    """Cumulative sums of ``values`` restarted at each row of the compressed rows ``indptr``."""
    return _row_cumsum(indptr, values)


@kernel()
def affordable_ends(indptr, cost, node, budget):
    """For each household, the end (exclusive) of the run of its home node's row (``indptr``
    over ``cost``, each row ascending) whose cost is at most its ``budget``: the row's start
    when it can pay for none."""
    ends = np.empty(node.shape[0], np.int64)
    for i in range(node.shape[0]):
        lo, hi = indptr[node[i]], indptr[node[i] + 1]
        if lo < hi and cost[hi - 1] <= budget[i]:  # the whole row (most households: no search)
            ends[i] = hi
            continue
        while lo < hi:  # first entry costing more than the budget
            mid = (lo + hi) // 2
            if cost[mid] <= budget[i]:
                lo = mid + 1
            else:
                hi = mid
        ends[i] = lo
    return ends


@kernel()
def draw_within(starts, ends, cumulative, u):
    """For each mover, the first entry k of ``starts[m]:ends[m]`` (a run of ``cumulative``, sums
    of shares restarted at ``starts``) with cumulative[k] >= u[m] x cumulative[ends[m] - 1]."""
    pick = np.empty(starts.shape[0], np.int64)
    for m in range(starts.shape[0]):
        k, last = starts[m], ends[m] - 1
        target = u[m] * cumulative[last]
        while k < last and cumulative[k] < target:
            k += 1
        pick[m] = k
    return pick


@kernel()
def value_at_ends(ends, node, indptr, per_pair, open_row, none):
    """For each household, ``per_pair`` at the last entry of the run of its home node's row
    (``indptr``) it pays for, ``ends`` - 1, where the run is not empty and its row is
    ``open_row``; ``none`` otherwise."""
    out = np.empty(node.shape[0])
    for i in range(node.shape[0]):
        g = node[i]
        out[i] = per_pair[ends[i] - 1] if ends[i] > indptr[g] and open_row[g] else none
    return out
