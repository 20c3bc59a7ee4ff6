"""The public sector of a year: municipalities collect revenue and spend; roads are kept up.

Each municipality receives national transfers (its decentralised share) and last year's
firm taxes, spends on roads, services and enforcement (``Municipality.spend``); road
quality on each edge rises with the infrastructure spending per resident of its two ends
and depreciates; travel times are then recomputed (:func:`update_travel`).
"""

from __future__ import annotations

import numpy as np

from .municipality import Municipality
from .network import travel_time_matrix

MIN_ROAD_QUALITY = 0.01
"""Road quality never falls below this (0-1): every edge stays passable."""
MIN_FARM_GATE_SHARE = 0.05
"""Farm-gate price is at least this share of the dynamic-market price, however remote."""


def update_travel(model) -> None:
    """Travel times (h) between all nodes over the current roads, time to the nearest
    dynamic market, farm-gate price, and which nodes are within commuting range."""
    p = model.params
    model.travel = travel_time_matrix(model.graph, model.territory.ids, p.road_quality_penalty)
    markets = np.flatnonzero(model.is_market)
    model.market_time = model.travel[:, markets].min(axis=1)
    cut = 1.0 - p.transport_cost_per_hour * model.market_time
    model.farm_gate = p.dynamic_market_price * np.maximum(cut, MIN_FARM_GATE_SHARE)
    model.reachable = model.travel <= p.commute_limit
    model.reachable[:, markets] = False


def public_sector(model) -> None:
    """Revenue, spending, road upkeep and service quality; then travel times."""
    p = model.params
    pop = model.populations()
    model.agents_by_type[Municipality].do("govern", pop)
    model.last_taxes[:] = 0.0
    index = model.territory.index
    for a, b, data in model.graph.edges(data=True):
        q = data["road_quality"]
        gain = 0.0
        for end in (a, b):
            m = model.municipalities[index(end)]
            if m is not None:
                gain += 0.5 * p.infrastructure_effectiveness * m.infrastructure_spending / max(pop[m.node], 1.0)
        data["road_quality"] = min(max(q + gain * (1 - q) - p.quality_depreciation * q, MIN_ROAD_QUALITY), 1.0)
    update_travel(model)


def node_road_quality(model) -> np.ndarray:
    """Mean road quality of the edges at each node (0-1; 0 without edges)."""
    total, count = np.zeros(model.n_nodes), np.zeros(model.n_nodes)
    index = model.territory.index
    for a, b, q in model.graph.edges(data="road_quality"):
        for end in (a, b):
            total[index(end)] += q
            count[index(end)] += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, 0.0)
