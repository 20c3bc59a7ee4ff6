"""Compiled loops (numba) of the money cost of moving (``migration``): a household pays for a
leading run of its origin's destinations ordered by cost, so its choice set is found by a
binary search and its draw and inclusive value by sums restarted at each origin's row.

Conventions as in :mod:`.kernels` (keyword-only calls). They are kept out of ``kernels``:
``experiments.engines.kernels_need_compiling`` asks whether every kernel there is cached after
a run, and a run without moving costs (the default) never compiles these.
"""

from __future__ import annotations

import numpy as np

from .kernels import _row_cumsum, kernel


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
