"""Compiled loops (numba) of the start's searches over all households (:mod:`.start`).

The start solves per-node quantities by bisection; each step of a search needs a sum over
every household of its node. These kernels make one pass for that sum instead of numpy's
several (gather, multiply, clip, select, bincount) and add in row order, as ``np.bincount``
does, so that the searches give bit for bit what the numpy passes gave. Conventions as in
:mod:`.kernels` (keyword-only calls).
"""

from __future__ import annotations

import numpy as np

from .kernels import kernel


@kernel()
def capped_farm_sums(scale, capacity, floor, top, farms, node, n_nodes):
    """By node, the sum over households of ``clip(scale[node] * capacity, floor, top)`` for
    farming households (``farms``) and 0 for the others (USD/yr): the node's farm income at
    a farm productivity scale (``start.split_residual``)."""
    out = np.zeros(n_nodes)
    run = -1
    total = 0.0
    for i in range(node.shape[0]):
        g = node[i]
        if g != run:  # a run of one node's rows: its sum in a register (the same additions in row order)
            if run >= 0:
                out[run] = total
            run = g
            total = out[g]
        value = 0.0
        if farms[i]:
            value = min(max(scale[g] * capacity[i], floor[i]), top[i])
        total += value
    if run >= 0:
        out[run] = total
    return out
