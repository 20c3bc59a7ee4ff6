"""Compiled shortest travel times (numba) for :mod:`.network`: Dijkstra's algorithm over the
road network's edge lists, in place of scipy's ``csgraph.dijkstra``, whose fixed cost per call
(building and checking a sparse matrix, a dense result) was most of a year's travel update on
a territory of a few dozen nodes.

The times are scipy's to the last bit: each node's time is the least, over the paths to it,
of the edge times added from the source outward (rounding is monotone, so every correct
Dijkstra finds that least sum), and a node farther than ``limit`` is ``inf`` (only paths whose
every step stays within the limit are followed; with positive times they include the
shortest). Conventions as in :mod:`.kernels` (keyword-only calls).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .kernels import kernel


@kernel()
def undirected_rows(n, a, b, times):
    """Compressed rows of the undirected edges ``a``-``b`` (node indices) weighted by ``times``:
    each edge in both ends' rows. Returns (indptr, neighbour, time)."""
    count = np.zeros(n + 1, np.int64)
    for e in range(a.shape[0]):
        count[a[e] + 1] += 1
        count[b[e] + 1] += 1
    indptr = np.cumsum(count)
    fill = indptr[:-1].copy()
    neighbour = np.empty(indptr[n], np.int64)
    weight = np.empty(indptr[n])
    for e in range(a.shape[0]):
        u, v = a[e], b[e]
        neighbour[fill[u]], weight[fill[u]] = v, times[e]
        fill[u] += 1
        neighbour[fill[v]], weight[fill[v]] = u, times[e]
        fill[v] += 1
    return indptr, neighbour, weight


@njit(cache=True)
def _search(indptr, neighbour, weight, sources, limit, out):
    """Dijkstra from every node of ``sources`` at once (time 0) into ``out`` (inf beyond ``limit``)."""
    n = out.shape[0]
    out[:] = np.inf
    done = np.zeros(n, np.bool_)
    # binary heap of (time, node), stale entries skipped when popped
    heap_time = np.empty(indptr[n] + sources.shape[0] + 1)
    heap_node = np.empty(indptr[n] + sources.shape[0] + 1, np.int64)
    size = 0
    for s in sources:
        if out[s] > 0.0:
            out[s] = 0.0
            size = _push(heap_time, heap_node, size, 0.0, s)
    while size > 0:
        t, u = heap_time[0], heap_node[0]
        size = _pop(heap_time, heap_node, size)
        if done[u]:
            continue
        done[u] = True
        for k in range(indptr[u], indptr[u + 1]):
            v = neighbour[k]
            if done[v]:
                continue
            nxt = t + weight[k]
            if nxt <= limit and nxt < out[v]:
                out[v] = nxt
                size = _push(heap_time, heap_node, size, nxt, v)


@njit(cache=True)
def _push(heap_time, heap_node, size, t, u):
    i = size
    while i > 0:
        parent = (i - 1) // 2
        if heap_time[parent] <= t:
            break
        heap_time[i], heap_node[i] = heap_time[parent], heap_node[parent]
        i = parent
    heap_time[i], heap_node[i] = t, u
    return size + 1


@njit(cache=True)
def _pop(heap_time, heap_node, size):
    size -= 1
    t, u = heap_time[size], heap_node[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and heap_time[child + 1] < heap_time[child]:
            child += 1
        if heap_time[child] >= t:
            break
        heap_time[i], heap_node[i] = heap_time[child], heap_node[child]
        i = child
    if size > 0:
        heap_time[i], heap_node[i] = t, u
    return size


@kernel()
def shortest_times(indptr, neighbour, weight, sources, limit):
    """(sources, n) shortest times (h) from each of ``sources`` to every node over the rows
    of :func:`undirected_rows`; ``inf`` beyond ``limit`` hours (``np.inf``: none)."""
    n = indptr.shape[0] - 1
    out = np.empty((sources.shape[0], n))
    one = np.empty(1, np.int64)
    for i in range(sources.shape[0]):
        one[0] = sources[i]
        _search(indptr, neighbour, weight, one, limit, out[i])
    return out


@kernel()
def nearest_time(indptr, neighbour, weight, sources, limit):
    """(n,) shortest time (h) from the nearest of ``sources`` to every node; ``inf`` beyond ``limit``."""
    out = np.empty(indptr.shape[0] - 1)
    _search(indptr, neighbour, weight, sources, limit, out)
    return out
