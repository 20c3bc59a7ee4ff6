"""Travel times over the territory network.

networkx holds the graph; shortest paths are computed with scipy's compiled Dijkstra on
a sparse adjacency built from its edges, fast enough to redo every year as roads change.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import shortest_path


def effective_time(travel_time: float, road_quality: float, penalty: float) -> float:
    """Travel time (h) adjusted for road quality: ``t * (1 + penalty * (1 - q))``."""
    return travel_time * (1.0 + penalty * (1.0 - road_quality))


def travel_time_matrix(graph: nx.Graph, ids: list[str], penalty: float) -> np.ndarray:
    """All-pairs shortest effective travel times (h), in node order ``ids``."""
    index = {node_id: i for i, node_id in enumerate(ids)}
    rows, cols, times = [], [], []
    for a, b, data in graph.edges(data=True):
        data["effective_time"] = t = effective_time(data["travel_time"], data["road_quality"], penalty)
        rows += (index[a], index[b])
        cols += (index[b], index[a])
        times += (t, t)
    adjacency = csr_array((times, (rows, cols)), shape=(len(ids), len(ids)))
    return shortest_path(adjacency, method="D", directed=False)


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
