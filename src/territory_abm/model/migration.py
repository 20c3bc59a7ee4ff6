"""Random-utility (logit) migration choice.

A household at node i compares staying (its own income per person, the home node's
services and a preference for staying) with every other node d:

    V[i, d] = a log(y_d) - c T[i, d] + n log(1 + 100 M[i, d] / P_i) + s q_d

with y_d expected income per person at d, T travel time, M the migrants from i already
at d, P_i the origin population and q_d service quality. The destinations weighed are the
nodes within ``migration_reach`` hours and every external market (so that at national scale
the choice set, like the migrant stock, which is kept sparse, grows with the number of
nodes, not its square). Choice probabilities follow the multinomial logit; who leaves is
drawn by ``kernels.choose_movers``.

The yearly phase (:func:`migrate`): single members or whole households move; whole
households leaving the territory dissolve, inside it they take a new home; single members
abroad remit to their household, inside the territory they form a new household.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_array

from . import context
from .demography import dissolve
from .environment import give_up_land
from .households import farming_households
from .kernels import choose_movers, draw_destinations
from .network import Pairs

NETWORK_SCALE = 100.0
"""Migrant networks enter utility as log(1 + NETWORK_SCALE x migrants / origin population): the
network term counts migrants per hundred residents of the origin (a unit; its weight is
``migration_network_weight``)."""


def destination_utilities(income_pc: np.ndarray, destinations: Pairs, migrant_stock: csr_array,
                          population: np.ndarray, services: np.ndarray, valid_dest: np.ndarray,
                          income_w: float, cost_w: float, network_w: float, services_w: float) -> np.ndarray:
    """(pairs,) utility of moving along each pair of ``destinations`` (origin to a node
    within the migration reach or an external market); -inf to the origin itself or an
    invalid destination. ``migrant_stock`` is (n, n) sparse, origin x destination."""
    origin, dest = destinations.origin(), destinations.dest
    with np.errstate(divide="ignore", invalid="ignore"):
        network = np.log1p(NETWORK_SCALE * stock_at(migrant_stock, origin, dest)
                           / np.maximum(population, 1.0)[origin])
    v = (income_w * np.log(np.maximum(income_pc, 1.0))[dest] - cost_w * destinations.time
         + network_w * network + services_w * services[dest])
    return np.where(valid_dest[dest] & np.isfinite(destinations.time) & (origin != dest), v, -np.inf)


def stock_at(stock: csr_array, origin: np.ndarray, dest: np.ndarray) -> np.ndarray:
    """Entries of the sparse (n, n) ``stock`` at the pairs ``origin``, ``dest`` (0 where none)."""
    stock = stock.tocsr()
    stock.sum_duplicates()  # sorted, one entry per pair
    if stock.nnz == 0:
        return np.zeros(len(origin))
    n = stock.shape[1]
    keys = np.repeat(np.arange(stock.shape[0], dtype=np.int64), np.diff(stock.indptr)) * n + stock.indices
    wanted = origin.astype(np.int64) * n + dest
    at = np.minimum(np.searchsorted(keys, wanted), stock.nnz - 1)
    return np.where(keys[at] == wanted, stock.data[at], 0.0)


def choose_destinations(origins: np.ndarray, destinations: Pairs, utilities: np.ndarray,
                        rng: np.random.Generator) -> np.ndarray:
    """Draw one destination per mover from the logit shares of its origin's pairs."""
    if len(origins) == 0:
        return np.zeros(0, np.int64)
    top = destinations.row_max(utilities, -np.inf)
    with np.errstate(invalid="ignore"):
        shares = np.nan_to_num(np.exp(utilities - top[destinations.origin()]))
    pair = draw_destinations(origins=origins, indptr=destinations.indptr, shares=shares, u=rng.random(len(origins)))
    return destinations.dest[pair]


def migrate(model) -> None:
    """Logit migration of single members or whole households."""
    p, hh, rng, n = model.params, model.households, model.streams["migration"], model.n_nodes
    alive = hh.alive
    pop = model.populations()
    income_node = np.array(model.node_stats["mean_income_pc"], float)
    income_node = np.where(model.is_market, context.external_income_pc(model), np.nan_to_num(income_node, nan=1.0))
    services = np.array([m.service_quality if m else 1.0 for m in model.municipalities])
    valid = model.is_market | (pop > 0)
    destinations = model.travel.within(p.migration_reach, markets=True)
    util = destination_utilities(income_node, destinations, model.migrant_stock, pop, services, valid,
                                 p.migration_income_weight, p.migration_cost_per_hour,
                                 p.migration_network_weight, p.migration_services_weight)
    top = destinations.row_max(util, -np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        lse = top + np.log(destinations.by_origin(np.exp(util - top[destinations.origin()])))
    lse = np.where(np.isfinite(top), lse, -np.inf)
    log_income_pc = np.log(np.maximum(hh.income / np.maximum(hh.members, 1), 1.0))
    u = rng.random(hh.n)
    with np.errstate(divide="ignore"):
        logit_u = np.log1p(-u) - np.log(u)
    movers = choose_movers(log_income_pc=log_income_pc, alive=alive, adults=hh.adults, node=hh.node,
                           services=services, log_sum_exp=lse, logit_u=logit_u,
                           stay_preference=p.migration_stay_preference, income_weight=p.migration_income_weight,
                           services_weight=p.migration_services_weight)
    model.flows.out_migrants = np.zeros(n)
    model.flows.in_migrants = np.zeros(n)
    if movers.size == 0:
        return
    origin = hh.node[movers]
    dest = choose_destinations(origin, destinations, util, rng)
    whole = (hh.adults[movers] <= 1) | (rng.random(movers.size) < p.whole_household_share)
    people = np.where(whole, hh.members[movers], 1)
    model.migrant_stock = model.migrant_stock + csr_array((people.astype(float), (origin, dest)), shape=(n, n))
    model.flows.out_migrants = np.bincount(origin, people, minlength=n).astype(float)
    internal = ~model.is_market[dest]
    model.flows.in_migrants = np.bincount(dest[internal], people[internal], minlength=n).astype(float)
    # whole households leaving the territory take their assets with them
    leave = movers[whole & ~internal]
    if leave.size:
        dissolve(model, leave, "assets of emigrating households", "rest_of_world")
    # whole households moving inside the territory: new home, land left to the old node
    move = movers[whole & internal]
    give_up_land(model, move)
    hh.node[move] = dest[whole & internal]
    # single members: leave the household; abroad they remit, inside they form a new household
    single = ~whole
    rows = movers[single]
    hh.members[rows] -= 1
    hh.adults[rows] -= 1
    abroad = rows[~internal[single]]
    hh.migrants_abroad[abroad] += 1
    inside = rows[internal[single]]
    if inside.size:
        k = inside.size
        hh.append({
            "alive": np.ones(k, bool), "node": dest[single][internal[single]],
            "members": np.ones(k, np.int32), "adults": np.ones(k, np.int32),
            "education": hh.education[inside], "tfp": hh.tfp[inside],
            "price_share": np.full(k, 1.0 - p.intermediary_margin), "remits_to": inside,
        })
    settle_farms(model, np.concatenate([move, np.arange(hh.n - inside.size, hh.n)]))


def settle_farms(model, rows: np.ndarray) -> None:
    """Households ``rows`` that settled in a new node farm as its households do: in a city
    without land to farm they stop farming (TFP 0); in a rural municipality one that did not
    farm takes the median TFP of the node's farming households at the start
    (``model.settler_tfp``)."""
    hh = model.households
    farms = farming_households(model, hh.node[rows], hh.land[rows])
    hh.tfp[rows[~farms]] = 0.0
    start = rows[farms & (hh.tfp[rows] <= 0)]
    hh.tfp[start] = model.settler_tfp[hh.node[start]]
