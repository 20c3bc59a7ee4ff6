"""The public sector of a year: municipalities collect revenue and spend; roads are kept up.

Each municipality receives national transfers (its decentralised share) and last year's
firm taxes, spends on roads, services and enforcement (``Municipality.spend``); road
quality on each edge moves toward the quality that the road spending per resident of its
two ends sustains (``sustained_quality``); travel times are then recomputed
(:func:`update_travel`).
"""

from __future__ import annotations

import numpy as np

from . import context
from .municipality import Municipality, sustained_quality
from .network import TravelTimes

MIN_ROAD_QUALITY = 0.01
"""Road quality never falls below this (0-1): every edge stays passable."""
MIN_FARM_GATE_SHARE = 0.05
"""Farm-gate price is at least this share of the dynamic-market price, however remote."""


def update_travel(model) -> None:
    """Travel times (h) over the current roads (``model.travel``, between the node pairs
    within the longest of the commuting limit, the food trade limit and the migration reach,
    and to every external market), time to the nearest dynamic market, farm-gate price, and
    which nodes are within commuting range (``model.commute``, pairs)."""
    p = model.params
    cutoff = max(p.commute_limit, p.food_trade_limit, p.migration_reach)
    travel = getattr(model, "travel", None)
    if travel is None or travel.cutoff < cutoff:  # a limit raised during the run needs a wider search
        model.travel = TravelTimes(model.graph, model.territory.ids, model.is_market, p.road_quality_penalty, cutoff)
    else:
        travel.update(model.graph, p.road_quality_penalty)
    model.market_time = model.travel.market_time
    cut = 1.0 - p.transport_cost_per_hour * model.market_time
    model.farm_gate = context.market_price(model) * np.maximum(cut, MIN_FARM_GATE_SHARE)
    model.commute = model.travel.within(p.commute_limit)


def public_sector(model) -> None:
    """Revenue, spending, road upkeep and service quality; then travel times."""
    p = model.params
    pop = model.populations()
    model.agents_by_type[Municipality].do("govern", pop)
    model.last_taxes[:] = 0.0
    index = model.territory.index
    for a, b, data in model.graph.edges(data=True):
        upkeep = 0.0  # road spending per resident of the edge's ends, half from each (USD/yr)
        for end in (a, b):
            m = model.municipalities[index(end)]
            if m is not None:
                upkeep += 0.5 * m.infrastructure_spending / max(pop[m.node], 1.0)
        if "upkeep_reference" not in data:  # the data's quality is what the first year's upkeep sustains
            data["quality_start"], data["upkeep_reference"] = data["road_quality"], upkeep
        target = sustained_quality(data["quality_start"], upkeep, data["upkeep_reference"], p.roads_spending_elasticity)
        q = data["road_quality"] + p.quality_adjustment * (target - data["road_quality"])
        data["road_quality"] = min(max(q, MIN_ROAD_QUALITY), 1.0)
    update_travel(model)


def node_road_quality(model) -> np.ndarray:
    """Mean road quality of the edges at each node (0-1; 0 without edges)."""
    index = model.territory.index
    ends, quality = [], []
    for a, b, q in model.graph.edges(data="road_quality"):
        ends += (index(a), index(b))
        quality += (q, q)
    # bincount adds in the order given: the sums a loop over the edges' ends makes
    total = np.bincount(np.array(ends, np.int64), np.array(quality, float), minlength=model.n_nodes)
    count = np.bincount(np.array(ends, np.int64), minlength=model.n_nodes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, 0.0)
