"""Travel times over the territory network.

networkx holds the graph; shortest paths are computed with scipy's compiled Dijkstra on a
sparse adjacency built from its edges. Nothing that grows with the square of the number of
nodes is kept: :class:`TravelTimes` stores the times between the node pairs within a
cutoff (compressed rows, :class:`Pairs`) and a dense block from every node to each external
market, which every node reaches. Each consumer looks up the pairs within its own limit
(commuting, food trade, migration reach). When roads change, only the origins within the
cutoff of a changed edge are searched again.
"""

from __future__ import annotations

from typing import NamedTuple

import networkx as nx
import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra, shortest_path

ROW_CHUNK = 256
"""Origins searched at once (bounds the dense block of one Dijkstra call to ROW_CHUNK x n)."""


def effective_time(travel_time: float, road_quality: float, penalty: float) -> float:
    """Travel time (h) adjusted for road quality: ``t * (1 + penalty * (1 - q))``."""
    return travel_time * (1.0 + penalty * (1.0 - road_quality))


class _PairArrays(NamedTuple):
    indptr: np.ndarray  # (n + 1,) int64
    dest: np.ndarray    # (pairs,) int64 destination node
    time: np.ndarray    # (pairs,) shortest effective travel time (h)


class Pairs(_PairArrays):
    """Origin-destination node pairs in compressed rows: origin i's pairs are
    ``indptr[i]:indptr[i + 1]``, destinations ascending.

    The arrays are not changed once made (new times make new pairs), so what is derived
    from ``indptr`` alone (each pair's origin, the origins with pairs) is computed once per
    object and returned read-only: the food, labour and migration phases ask for it many
    times a year (and the start's food-price fixed point about a hundred times)."""

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    def _derived(self, name: str, make) -> np.ndarray:
        """``make()`` for this object's ``indptr``, made once (read-only)."""
        made = self.__dict__.get("_memo", {}).get(("derived", name))
        if made is not None:  # asked for many times a year: found without making the closure below
            return made

        def read_only() -> np.ndarray:
            value = make()
            value.flags.writeable = False
            return value

        return self.memo(("derived", name), read_only)

    def memo(self, key: tuple, make):
        """``make()``, a function of these pairs and of ``key`` alone, made once per key and
        kept with this object (e.g. the food trade routes of the year's roads, asked for
        several times a year); its arrays must not be changed."""
        cache = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def origin(self) -> np.ndarray:
        """(pairs,) origin node of each pair (read-only)."""
        return self._derived("origin", lambda: np.repeat(np.arange(self.n), np.diff(self.indptr)))

    def where(self, keep: np.ndarray) -> Pairs:
        """The pairs where ``keep`` (bool, one per pair) holds (these pairs themselves where it
        holds for all: pairs are not changed once made)."""
        if keep.all():
            return self
        count = np.bincount(self.origin()[keep], minlength=self.n)
        return Pairs(np.concatenate([[0], np.cumsum(count)]), self.dest[keep], self.time[keep])

    def row_max(self, values: np.ndarray, empty: float = 0.0) -> np.ndarray:
        """(n,) largest of ``values`` (one per pair) in each origin's row; ``empty`` without pairs."""
        out = np.full(self.n, empty)
        rows = self._derived("rows", lambda: np.flatnonzero(np.diff(self.indptr) > 0))
        if rows.size:
            out[rows] = np.maximum.reduceat(values, self.indptr[rows])
        return out

    def to_dest(self, values: np.ndarray) -> np.ndarray:
        """(n,) sum of ``values`` (one per pair) by destination."""
        return np.bincount(self.dest, values, minlength=self.n)

    def by_origin(self, values: np.ndarray) -> np.ndarray:
        """(n,) sum of ``values`` (one per pair) by origin."""
        return np.bincount(self.origin(), values, minlength=self.n)

    def dense(self, values: np.ndarray | None = None, fill: float = np.inf) -> np.ndarray:
        """(n, n) matrix of ``values`` (default: the times), ``fill`` off the pairs: for small
        territories, tests and pictures."""
        out = np.full((self.n, self.n), fill)
        out[self.origin(), self.dest] = self.time if values is None else values
        return out

    @classmethod
    def from_dense(cls, times: np.ndarray) -> Pairs:
        """The finite entries of an (n, n) matrix of times (tests and small territories)."""
        origin, dest = np.nonzero(np.isfinite(times))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(origin, minlength=times.shape[0]))])
        return cls(indptr.astype(np.int64), dest.astype(np.int64), times[origin, dest].astype(float))


def _adjacency(n: int, a: np.ndarray, b: np.ndarray, times: np.ndarray) -> csr_array:
    """Symmetric sparse adjacency of edges ``a``-``b`` weighted by ``times``. Searched as a
    directed graph: each edge is there both ways, so the times are the undirected search's
    (the same sums, each shortest time the least of the same candidates), without the
    transposed copy that scipy makes for an undirected search."""
    return _symmetric(n, a, b, np.concatenate([times, times]))


def _symmetric(n: int, a: np.ndarray, b: np.ndarray, data: np.ndarray) -> csr_array:
    """(n, n) sparse matrix of ``data`` at (a, b) and then at (b, a) (scipy sums repeated entries)."""
    return csr_array((data, (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n))


def _entry_order(n: int, a: np.ndarray, b: np.ndarray, adjacency: csr_array) -> np.ndarray | None:
    """Where each stored entry of ``adjacency`` (:func:`_adjacency` of the edges ``a``-``b``)
    comes from in ``concatenate([times, times])``: new times of the same edges, taken in this
    order, are the data of the adjacency that :func:`_adjacency` would make of them. None when
    two entries share a pair of ends (a repeated edge or a loop, whose times scipy sums)."""
    position = _symmetric(n, a, b, np.arange(1.0, 2 * len(a) + 1.0))  # one-based: no entry is 0
    if (position.nnz != 2 * len(a) or not np.array_equal(position.indptr, adjacency.indptr)
            or not np.array_equal(position.indices, adjacency.indices)):
        return None
    return position.data.astype(np.int64) - 1


def _edge_times(graph: nx.Graph, index: dict[str, int], penalty: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both ends (node indices) and effective time of every edge; sets each edge's
    ``effective_time`` (read by :func:`path_edges`)."""
    a, b, times = [], [], []
    for u, v, data in graph.edges(data=True):
        data["effective_time"] = t = effective_time(data["travel_time"], data["road_quality"], penalty)
        a.append(index[u])
        b.append(index[v])
        times.append(t)
    return np.array(a, np.int64), np.array(b, np.int64), np.array(times, float)


def travel_time_matrix(graph: nx.Graph, ids: list[str], penalty: float) -> np.ndarray:
    """All-pairs shortest effective travel times (h), in node order ``ids`` (dense: for the
    small reference models in ``benchmarks/``; the model uses :class:`TravelTimes`)."""
    a, b, times = _edge_times(graph, {node_id: i for i, node_id in enumerate(ids)}, penalty)
    return shortest_path(_adjacency(len(ids), a, b, times), method="D", directed=False)


class TravelTimes:
    """Shortest effective travel times (h) between the node pairs within ``cutoff`` hours
    (external markets left out as destinations) and from every node to every external market.

    Parameters
    ----------
    graph : the territory network; edges carry ``travel_time`` (h) and ``road_quality`` (0-1)
    ids : node ids in node order
    is_market : (n,) bool, the external markets
    penalty : ``road_quality_penalty``
    cutoff : longest travel time kept between nodes (h): at least every consumer's limit
    """

    def __init__(self, graph: nx.Graph, ids: list[str], is_market: np.ndarray, penalty: float, cutoff: float):
        self.n = len(ids)
        self.cutoff = float(cutoff)
        self._index = {node_id: i for i, node_id in enumerate(ids)}
        self.markets = np.flatnonzero(is_market)
        self._inner = ~np.asarray(is_market, bool)
        self._edges = None
        self._adjacency, self._order = None, None
        self.pairs = Pairs(np.zeros(self.n + 1, np.int64), np.zeros(0, np.int64), np.zeros(0))
        self.update(graph, penalty)

    def update(self, graph: nx.Graph, penalty: float) -> int:
        """Recompute the times after roads changed: only the origins within the cutoff of an
        edge whose time changed (with each edge at the shorter of its old and new times) are
        searched again. Returns how many origins were."""
        a, b, times = _edge_times(graph, self._index, penalty)
        same_edges = self._edges is not None and np.array_equal(self._edges[0], a) and np.array_equal(self._edges[1], b)
        if same_edges:
            changed = times != self._edges[2]
            if not changed.any():
                return 0
            ends = np.unique(np.concatenate([a[changed], b[changed]]))
            if ends.size == self.n:  # every node is an end of a changed edge (each year's upkeep moves them all)
                origins = np.arange(self.n)
            else:
                near = dijkstra(_adjacency(self.n, a, b, np.minimum(times, self._edges[2])), directed=True,
                                indices=ends, limit=self.cutoff, min_only=True)
                origins = np.flatnonzero(np.isfinite(near))
        else:
            origins = np.arange(self.n)
        self._edges = (a, b, times)
        if same_edges and self._order is not None:
            # the same edges: only the weights of the adjacency change (scipy sorts a new one the same way)
            adjacency = self._adjacency
            adjacency.data = np.concatenate([times, times])[self._order]
        else:
            adjacency = self._adjacency = _adjacency(self.n, a, b, times)
            self._order = _entry_order(self.n, a, b, adjacency)
        self._search(adjacency, origins)
        self._within: dict[tuple[float, bool], Pairs] = {}
        return len(origins)

    def _search(self, adjacency: csr_array, origins: np.ndarray) -> None:
        """Replace the rows of ``origins`` (ascending) by new searches within the cutoff, and
        find the times to the markets. When every node is an origin (the roads' upkeep moves
        every edge each year) and they fit in one block, one search from all of them without
        the cutoff does both: its times within the cutoff are the cut search's (a path through
        a node beyond the cutoff is longer), its markets' rows are the markets' searches."""
        if len(origins) == self.n <= ROW_CHUNK:
            found = dijkstra(adjacency, directed=True)
            origin, dest, time = self._within_cutoff(found, origins)
            self.to_market = found[self.markets].T
        else:
            old = self.pairs
            kept = ~np.isin(old.origin(), origins)  # the pairs of the origins not searched again
            parts = [(old.origin()[kept], old.dest[kept], old.time[kept])]
            for start in range(0, len(origins), ROW_CHUNK):
                chunk = origins[start:start + ROW_CHUNK]
                parts.append(self._within_cutoff(dijkstra(adjacency, directed=True, indices=chunk,
                                                          limit=self.cutoff), chunk))
            origin, dest, time = (np.concatenate(column) for column in zip(*parts))
            order = np.argsort(origin, kind="stable")  # each origin's pairs come from one search, in order
            origin, dest, time = origin[order], dest[order], time[order]
            self.to_market = (dijkstra(adjacency, directed=True, indices=self.markets).T if self.markets.size
                              else np.zeros((self.n, 0)))
        count = np.bincount(origin, minlength=self.n)
        self.pairs = Pairs(np.concatenate([[0], np.cumsum(count)]), dest.astype(np.int64), time)

    def _within_cutoff(self, found: np.ndarray, origins: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The origin, destination (not a market) and time of the pairs of ``found`` (times from
        each of ``origins``, a row each) within the cutoff: row by row, destinations ascending."""
        row, col = np.nonzero((found <= self.cutoff) & self._inner)
        return origins[row], col, found[row, col]

    @property
    def market_time(self) -> np.ndarray:
        """(n,) time to the nearest external market (h; inf without markets)."""
        return self.to_market.min(axis=1) if self.markets.size else np.full(self.n, np.inf)

    def within(self, limit: float, markets: bool = False) -> Pairs:
        """Pairs at most ``limit`` hours apart (``limit`` <= ``cutoff``); with ``markets``,
        every node's pairs with every external market as well, whatever the time."""
        if limit > self.cutoff:
            raise ValueError(f"travel times are kept up to {self.cutoff} h, not {limit} h")
        key = (float(limit), markets)
        if key not in self._within:
            pairs = self.pairs.where(self.pairs.time <= limit)
            if markets and self.markets.size:
                pairs = _with_markets(pairs, self.markets, self.to_market)
            self._within[key] = pairs
        return self._within[key]


def _with_markets(pairs: Pairs, markets: np.ndarray, to_market: np.ndarray) -> Pairs:
    """``pairs`` and every origin's pair with each of ``markets`` (ascending; times
    ``to_market``), destinations ascending in each row: a merge of two sorted key lists."""
    n, m = pairs.n, len(markets)
    keys = pairs.origin() * n + pairs.dest
    market_keys = (np.arange(n)[:, None] * n + markets[None, :]).ravel()
    at = np.searchsorted(keys, market_keys)
    indptr = pairs.indptr + m * np.arange(n + 1)
    return Pairs(indptr, np.insert(pairs.dest, at, np.tile(markets, n)), np.insert(pairs.time, at, to_market.ravel()))


def path_edges(graph: nx.Graph, source: str, targets: set[str]) -> list[tuple[str, str]]:
    """Edges on the quickest path from ``source`` to the nearest node in ``targets``."""
    if source in targets:
        return []
    lengths, paths = nx.single_source_dijkstra(graph, source, weight="effective_time")
    reachable = [t for t in targets if t in lengths]
    if not reachable:
        return []
    best = min(reachable, key=lambda t: (lengths[t], t))
    nodes = paths[best]
    return list(zip(nodes[:-1], nodes[1:]))
