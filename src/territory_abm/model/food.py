"""The local food market: farm output is sold in local food markets over the network, at
prices that clear against households' food spending, or to dynamic markets at the
farm-gate price.

**Demand (Engel's law).** A household spends a share w of its consumption on food, falling
with consumption per person c (a Working–Leser Engel curve, linear in log spending):
w = w0 (1 - (1 - e) ln(c / c0)), w0 the ``food_budget_share`` at the reference spending
c0 (``food_reference_pc``) and e the income elasticity of food spending at c0
(``food_income_elasticity``); w is kept between 0 and one minus the node's local
non-tradables share. Each node's food spending is its market's demand, in money.

**Supply: where farmers sell.** A producer at node i can sell in any populated node's food
market j within ``food_trade_limit`` hours, receiving the price p_j net of transport,
p_j (1 - t tau_ij) (t the ``transport_cost_per_hour`` of the farm-gate price), or to the
dynamic markets at D = farm gate x its price share (what intermediaries leave it; market
linkage raises it). Outlets are chosen by a two-level logit in net prices with elasticity
s (``food_market_elasticity``): among the reachable local markets in proportion to
(p_j (1 - t tau_ij))^s, and between local markets and dynamic markets with local share
V^s / (V^s + D^s), V the power mean of the reachable net local prices. Roads raise the
farm gate (more sales to dynamic markets) and shorten the way to other nodes' markets;
linkage raises D for linked producers. Farmers plan production with the food prices they
expect (adaptive, ``expectation_adjustment``), as local firms plan with the local price;
once the harvest is in, they choose outlets at the year's prices.

**Clearing.** Each market's price clears the quantity that arrives against its food
spending: p_j = spending / quantity, at most the import parity price (the dynamic-market
price plus transport from the nearest market, 1 + t x hours), where spending beyond what
local producers supply buys imported food. Since outlets answer the prices themselves, the
prices are a fixed point (``clearing_prices``, damped in log prices), not a cobweb of
expectations. Urban food demand thus reaches the cities' hinterland: richer city households
raise the city price, producers within reach send more there, and their own markets' prices
rise with it.

**Timing and money.** Households budget on the farm income they expect (the planned output
at the expected prices); when the year's prices and outlets differ, the difference is a
windfall or a loss that goes to (or comes out of) their savings; a household without the
savings cuts its imported consumption. Flows booked: local food sales (households to
households), food transport and imported food (to the rest of the world), farm sales to
dynamic markets (from the rest of the world).

**The start** finds the food prices at which every market clears with the starting farm
incomes and food spending (a damped fixed point), sets the expectations to them and
rescales farm productivity so that planned farm income at the expected prices is the
starting farm income: the model's own rules keep the start.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from numba import njit

from . import context
from .exact import nan_to_num
from .kernels import kernel
from .network import Pairs
from .public import MIN_FARM_GATE_SHARE

START_TOLERANCE = 1e-11
"""Largest change of any log food price at which the starting fixed point counts as found."""
START_ITERATIONS = 20_000
"""Most iterations of the starting fixed point (it converges in a few hundred in the example)."""
PRICE_FLOOR = 1e-9
"""Food prices (USD/unit) below this count as this where a logarithm or ratio needs them."""
YEAR_TOLERANCE = 1e-9
"""Largest change of any log food price at which a year's clearing prices count as found."""
YEAR_ITERATIONS = 5_000
"""Most iterations of a year's clearing (a few dozen from last year's expectation)."""
MAX_GROUPS_PER_NODE = 64
"""Most distinct price shares among a node's households (base share and one per linkage policy)."""


class Outlets(NamedTuple):
    """Where each producer node's local sales go, at given market prices."""

    pairs: Pairs            # producer node (origin) and the food markets within its reach (destinations)
    share: np.ndarray       # (pairs,) share of the origin's local sales sent to the market (rows sum to 1)
    net: np.ndarray         # (pairs,) share of the market's price kept by a producer of the origin after transport
    net_price: np.ndarray   # (n,) mean price net of transport a producer of node i receives locally (USD/unit)
    value: np.ndarray       # (n,) power mean of node i's reachable net prices, the local option's value (USD/unit)


class SalesPlan(NamedTuple):
    """Each household's planned outlets and the price it expects per unit of output."""

    split: np.ndarray       # (households,) share of output sold in local food markets
    price: np.ndarray       # (households,) expected price per unit of output (USD/unit)


class FoodClearing(NamedTuple):
    """One year's food markets, by market node (quantities in units of output)."""

    price: np.ndarray       # (n,) clearing price (USD/unit), import parity where nothing arrives
    supply: np.ndarray      # (n,) quantity arriving from the territory's producers
    absorbed: np.ndarray    # (n,) spending received by the territory's producers (USD/yr, before transport)
    imports: np.ndarray     # (n,) spending on food bought outside the territory (USD/yr)
    net_price: np.ndarray   # (n,) mean price net of transport a producer of node i received (USD/unit)


# ---------------------------------------------------------------------- pure rules
def trade_routes(travel: Pairs, populated: np.ndarray, *, transport_cost: float,
                 trade_limit: float) -> tuple[Pairs, np.ndarray]:
    """Which producer node (origin) reaches which food market (destination): the pairs of
    ``travel`` within ``trade_limit`` hours between populated nodes; and the share of the
    market's price it keeps after transport (see ``outlets``). Made once per ``travel`` and
    arguments (``Pairs.memo``; read-only)."""
    def make() -> tuple[Pairs, np.ndarray]:
        reach = travel.where((travel.time <= trade_limit) & populated[travel.origin()] & populated[travel.dest])
        net = np.maximum(1.0 - transport_cost * reach.time, MIN_FARM_GATE_SHARE)
        net.flags.writeable = False
        return reach, net

    return travel.memo(("trade_routes", float(transport_cost), float(trade_limit), populated.tobytes()), make)


def outlets(travel: Pairs, populated: np.ndarray, prices: np.ndarray, *, transport_cost: float,
            trade_limit: float, elasticity: float) -> Outlets:
    """Local outlets of each producer node at market ``prices`` (USD/unit, by node).

    Node i reaches market j when both are populated and ``travel`` holds the pair within
    ``trade_limit`` hours; it keeps n_ij = 1 - ``transport_cost`` x hours of the price there.
    Its local sales go to market j in proportion to (p_j n_ij)^s (s = ``elasticity``); the
    mean net price it gets is the share-weighted sum of p_j n_ij, and the local option's value
    is the power mean (mean_j (p_j n_ij)^s)^(1/s).
    """
    reach, net = trade_routes(travel, populated, transport_cost=transport_cost, trade_limit=trade_limit)
    origin, dest = reach.origin(), reach.dest
    weight = np.power(np.maximum(prices, 0.0)[dest] * net, elasticity)
    total, count = reach.by_origin(weight), np.diff(reach.indptr)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = nan_to_num(weight / total[origin])
        value = np.where(count > 0, np.power(total / np.maximum(count, 1), 1.0 / elasticity), 0.0)
    return Outlets(pairs=reach, share=share, net=net, net_price=reach.by_origin(share * net * prices[dest]),
                   value=value)


def clear_food(demand: np.ndarray, local_quantity: np.ndarray, routes: Outlets, cap: np.ndarray) -> FoodClearing:
    """Clear every food market: ``local_quantity`` (units by producer node) travels along
    ``routes.share``; each market's price is its ``demand`` (USD/yr) over the quantity that
    arrives, at most ``cap`` (import parity, USD/unit); spending beyond what arrives at the
    cap buys imported food. At the clearing price the quantity sold equals the quantity bought."""
    pairs = routes.pairs
    supply = pairs.to_dest(local_quantity[pairs.origin()] * routes.share)
    with np.errstate(invalid="ignore", divide="ignore"):
        price = np.where(supply > 0, np.minimum(demand / supply, cap), cap)
    absorbed = price * supply
    received = pairs.by_origin(routes.share * routes.net * price[pairs.dest])
    return FoodClearing(price=price, supply=supply, absorbed=absorbed, imports=demand - absorbed, net_price=received)


@njit(cache=True)
def engel_share(spend_pc, budget_share, reference_pc, elasticity):
    """Food share of consumption at spending per person ``spend_pc`` (Working–Leser):
    w0 (1 - (1 - e) ln(c / c0)), not below 0."""
    return max(budget_share * (1.0 - (1.0 - elasticity) * np.log(max(spend_pc, PRICE_FLOOR) / reference_pc)), 0.0)


@njit(cache=True)
def local_split(dynamic, value, elasticity):
    """Share of output sold in local food markets: V^s / (V^s + D^s), V the local option's
    value and D the dynamic-market price (USD/unit)."""
    if value <= 0:
        return 0.0
    if dynamic <= 0:
        return 1.0
    return 1.0 / (1.0 + (dynamic / value) ** elasticity)


@njit(cache=True)
def household_food_spending(spending, members, local_share, budget_share, reference_pc, elasticity):
    """A household's food spending (USD/yr): its consumption ``spending`` (> 0) times its Engel
    share at consumption per person, at most one minus its node's ``local_share``."""
    w = engel_share(spending / max(members, 1), budget_share, reference_pc, elasticity)
    return min(w, 1.0 - local_share) * spending


# ---------------------------------------------------------------------- compiled household passes
@kernel()
def food_spending(spending, members, alive, node, local_share, budget_share, reference_pc, elasticity, n_nodes):
    """Food spending by node (USD/yr): each household's consumption times its Engel share
    (``engel_share``, at consumption per person), at most one minus its node's local share."""
    out = np.zeros(n_nodes)
    run = -1  # a run of one node's rows: its sums in registers (the same additions in row order)
    total = 0.0
    for i in range(spending.shape[0]):
        if not alive[i] or spending[i] <= 0:
            continue
        g = node[i]
        if g != run:
            if run >= 0:
                out[run] = total
            run, total = g, out[g]
        total += household_food_spending(spending[i], members[i], local_share[g], budget_share, reference_pc,
                                         elasticity)
    if run >= 0:
        out[run] = total
    return out


@kernel(SalesPlan)
def plan_sales(node, price_share, alive, farm_gate, local_value, local_price, elasticity):
    """Each household's local share V^s / (V^s + D^s) and expected price per unit
    split x P + (1 - split) x D, with D = farm gate x price share, V the local option's value
    and P the mean net local price of its node. Households of a node with the same price
    share have the same plan, so it is computed once per node and price share met in a row."""
    n, n_nodes = node.shape[0], farm_gate.shape[0]
    split = np.zeros(n)
    price = np.zeros(n)
    last_share = np.full(n_nodes, -1.0)
    last_split = np.zeros(n_nodes)
    last_price = np.zeros(n_nodes)
    for i in range(n):
        if not alive[i]:
            continue
        g = node[i]
        if price_share[i] != last_share[g]:
            dynamic = farm_gate[g] * price_share[i]
            s = local_split(dynamic, local_value[g], elasticity)
            last_share[g], last_split[g] = price_share[i], s
            last_price[g] = s * local_price[g] + (1.0 - s) * dynamic
        split[i] = last_split[g]
        price[i] = last_price[g]
    return split, price


@kernel()
def local_quantity(farm_income, group, split, price, node, n_nodes):
    """Output each node's households send to local food markets (units): farm income over
    the price per unit of the household's sales ``group`` (-1: none), times the group's local
    share (``plan_sales``'s plan of each of its households)."""
    quantity = np.zeros(n_nodes)
    run = -1  # a run of one node's rows: its sums in registers (the same additions in row order)
    total = 0.0
    for i in range(node.shape[0]):
        g = group[i]
        if g >= 0 and price[g] > 0:
            if node[i] != run:
                if run >= 0:
                    quantity[run] = total
                run, total = node[i], quantity[node[i]]
            total += farm_income[i] * split[g] / price[g]
    if run >= 0:
        quantity[run] = total
    return quantity


class SalesGroups(NamedTuple):
    """Households of a node with the same price share sell alike: one group each."""

    of: np.ndarray          # (households,) group of each household (-1: not alive or no output)
    node: np.ndarray        # (groups,) node of the group
    dynamic: np.ndarray     # (groups,) dynamic-market price D = farm gate x price share (USD/unit)
    quantity: np.ndarray    # (groups,) output of the group this year (units)


@kernel(SalesGroups)
def sales_groups(farm_income, price, node, alive, price_share, farm_gate, n_nodes, max_groups):
    """Group households by node and price share; each group's output is its households'
    planned farm income over their expected price per unit. At most ``max_groups`` price
    shares per node (policies give a few values; ValueError beyond)."""
    n = node.shape[0]
    shares = np.zeros((n_nodes, max_groups))
    index = np.zeros((n_nodes, max_groups), np.int64)
    count = np.zeros(n_nodes, np.int64)
    of = np.full(n, -1, np.int64)
    group_node = np.zeros(n_nodes * max_groups, np.int64)
    dynamic = np.zeros(n_nodes * max_groups)
    quantity = np.zeros(n_nodes * max_groups)
    groups = 0
    run = -1  # a run of one group's rows: its quantity in a register (the same additions in row order)
    total = 0.0
    for i in range(n):
        if not alive[i] or price[i] <= 0:
            continue
        k = node[i]
        found = -1
        for j in range(count[k]):
            if shares[k, j] == price_share[i]:
                found = index[k, j]
                break
        if found < 0:
            if count[k] == max_groups:
                raise ValueError("more distinct price shares in a node than food.MAX_GROUPS_PER_NODE")
            shares[k, count[k]], index[k, count[k]] = price_share[i], groups
            count[k] += 1
            group_node[groups], dynamic[groups] = k, farm_gate[k] * price_share[i]
            found = groups
            groups += 1
        of[i] = found
        if found != run:
            if run >= 0:
                quantity[run] = total
            run, total = found, quantity[found]
        total += farm_income[i] / price[i]
    if run >= 0:
        quantity[run] = total
    return of, group_node[:groups], dynamic[:groups], quantity[:groups]


@kernel()
def group_splits(group_node, group_dynamic, local_value, elasticity):
    """Each sales group's share of output sold in local food markets (``local_split``)."""
    split = np.zeros(group_node.shape[0])
    for g in range(group_node.shape[0]):
        split[g] = local_split(group_dynamic[g], local_value[group_node[g]], elasticity)
    return split


@kernel()
def clearing_prices(prices, indptr, dest, reach_weight, group_node, group_dynamic, group_quantity, demand, cap,
                    elasticity, damping, tolerance, iterations):
    """Food prices at which every market clears when producers choose their outlets at the
    prices themselves (``outlets`` and ``plan_sales`` at once, for fixed outputs
    ``group_quantity``): p_j = min(demand_j / quantity arriving at j, cap_j). Damped fixed
    point in log prices from ``prices`` (``reach_weight`` = (1 - t tau)^s of each producer
    node's markets within reach, in compressed rows ``indptr``, ``dest``).
    Returns the prices and the iterations used (``iterations`` if not converged)."""
    n = prices.shape[0]
    p = np.maximum(prices, PRICE_FLOOR)
    count = np.zeros(n)
    for i in range(n):
        for k in range(indptr[i], indptr[i + 1]):
            if reach_weight[k] > 0:
                count[i] += 1.0
    power = np.zeros(n)
    total = np.zeros(n)
    local = np.zeros(n)
    supply = np.zeros(n)
    for it in range(iterations):
        for j in range(n):
            power[j] = p[j] ** elasticity
        local[:] = 0.0
        for i in range(n):
            total[i] = 0.0
            for k in range(indptr[i], indptr[i + 1]):
                total[i] += reach_weight[k] * power[dest[k]]
        for g in range(group_node.shape[0]):
            i = group_node[g]
            value = (total[i] / count[i]) ** (1.0 / elasticity) if count[i] > 0 else 0.0
            local[i] += group_quantity[g] * local_split(group_dynamic[g], value, elasticity)
        supply[:] = 0.0
        for i in range(n):
            if total[i] > 0:
                for k in range(indptr[i], indptr[i + 1]):
                    supply[dest[k]] += local[i] * reach_weight[k] * power[dest[k]] / total[i]
        largest = 0.0
        new = np.empty(n)
        for j in range(n):
            target = min(demand[j] / supply[j], cap[j]) if supply[j] > 0 else cap[j]
            new[j] = np.log(max(target, PRICE_FLOOR)) - np.log(p[j])
            largest = max(largest, abs(new[j]))
        if largest < tolerance:
            return p, it
        for j in range(n):
            p[j] *= np.exp(damping * new[j])
    return p, iterations


@kernel()
def settle(farm_income, price, group, unit_price, income, assets, consumption, shortfall):
    """Households' farm sales at the year's prices and outlets: output (planned farm income
    over the expected price) times its group's realized price per unit ``unit_price``
    replaces the planned farm income; the difference goes to income and assets (in place).
    A loss larger than the assets cuts consumption (imported goods) by the rest, recorded in
    ``shortfall``. Returns the consumption cut in all (USD/yr)."""
    cut = 0.0
    for i in range(group.shape[0]):
        g = group[i]
        if g < 0:
            continue
        gain = farm_income[i] / price[i] * unit_price[g] - farm_income[i]
        farm_income[i] += gain
        income[i] += gain
        assets[i] += gain
        if assets[i] < 0:
            consumption[i] += assets[i]
            shortfall[i] = -assets[i]
            cut -= assets[i]
            assets[i] = 0.0
    return cut


# ---------------------------------------------------------------------- phases
def routes(model, prices: np.ndarray) -> Outlets:
    """The model's outlets at market ``prices`` over the current roads."""
    p = model.params
    return outlets(model.travel.within(p.food_trade_limit), model.populated, prices,
                   transport_cost=p.transport_cost_per_hour, trade_limit=p.food_trade_limit,
                   elasticity=p.food_market_elasticity)


def import_parity(model) -> np.ndarray:
    """Highest food price by node (USD/unit): the dynamic-market price plus transport from the
    nearest market."""
    return context.market_price(model) * (1.0 + model.params.transport_cost_per_hour * model.market_time)


def sales_plan(model, prices: np.ndarray) -> tuple[SalesPlan, Outlets]:
    """Households' outlets and expected price per unit at market ``prices``."""
    hh = model.households
    way = routes(model, prices)
    plan = plan_sales(node=hh.node, price_share=hh.price_share, alive=hh.alive, farm_gate=model.farm_gate,
                      local_value=way.value, local_price=way.net_price, elasticity=model.params.food_market_elasticity)
    return plan, way


def farm_prices(model) -> np.ndarray:
    """This year's expected price per unit of each household's farm output (USD/unit),
    planned at the expected food prices (sets ``model.food_plan``)."""
    model.food_plan, _ = sales_plan(model, model.expected_food_price)
    return model.food_plan.price


def demand(model, spending: np.ndarray, local_share: np.ndarray) -> np.ndarray:
    """Food spending by node (USD/yr) of households consuming ``spending`` (USD/yr)."""
    p, hh = model.params, model.households
    return food_spending(spending=spending, members=hh.members, alive=hh.alive, node=hh.node, local_share=local_share,
                         budget_share=p.food_budget_share, reference_pc=p.food_reference_pc,
                         elasticity=p.food_income_elasticity, n_nodes=model.n_nodes)


def food_market(model, food_demand: np.ndarray) -> float:
    """Clear this year's food markets against ``food_demand`` (USD/yr by node): outputs were
    planned at the expected prices; outlets are chosen at the clearing prices themselves.
    Settle households' farm sales, book the flows and update the expected prices. Returns the
    consumption households cut for lack of savings (USD/yr)."""
    p, hh, n = model.params, model.households, model.n_nodes
    groups = sales_groups(farm_income=hh.farm_income, price=model.food_plan.price, node=hh.node, alive=hh.alive,
                          price_share=hh.price_share, farm_gate=model.farm_gate, n_nodes=n,
                          max_groups=MAX_GROUPS_PER_NODE)
    cap = import_parity(model)
    reach, net = trade_routes(model.travel.within(p.food_trade_limit), model.populated,
                              transport_cost=p.transport_cost_per_hour, trade_limit=p.food_trade_limit)
    sigma = p.food_market_elasticity
    prices, used = clearing_prices(prices=np.where(model.populated, model.expected_food_price, cap),
                                   indptr=reach.indptr, dest=reach.dest, reach_weight=np.power(net, sigma),
                                   group_node=groups.node,
                                   group_dynamic=groups.dynamic, group_quantity=groups.quantity, demand=food_demand,
                                   cap=cap, elasticity=sigma, damping=1.0 / (1.0 + 2.0 * sigma),
                                   tolerance=YEAR_TOLERANCE, iterations=YEAR_ITERATIONS)
    if used == YEAR_ITERATIONS:
        raise RuntimeError(f"the food markets of {model.year} did not clear in {YEAR_ITERATIONS} iterations")
    way = routes(model, prices)
    split = group_splits(group_node=groups.node, group_dynamic=groups.dynamic, local_value=way.value, elasticity=sigma)
    quantity = np.bincount(groups.node, groups.quantity * split, minlength=n)
    cleared = clear_food(food_demand, quantity, way, cap)
    model.food_shortfall = np.zeros(hh.n)  # imported consumption cut for lack of savings, by household
    cut = settle(farm_income=hh.farm_income, price=model.food_plan.price, group=groups.of,
                 unit_price=split * cleared.net_price[groups.node] + (1.0 - split) * groups.dynamic,
                 income=hh.income, assets=hh.assets, consumption=hh.consumption, shortfall=model.food_shortfall)
    dynamic = np.bincount(groups.node, groups.quantity * (1.0 - split) * groups.dynamic, minlength=n)
    local_sales = quantity * cleared.net_price
    ledger = model.ledger
    ledger.record("rest_of_world", "households", "farm sales to dynamic markets", dynamic.sum())
    ledger.record("households", "households", "local food sales", cleared.absorbed.sum())
    ledger.record("households", "rest_of_world", "food transport", cleared.absorbed.sum() - local_sales.sum())
    ledger.record("households", "rest_of_world", "imported food", cleared.imports.sum())
    price = np.where(model.populated, cleared.price, 0.0)  # external markets have no food market here
    model.expected_food_price += p.expectation_adjustment * (price - model.expected_food_price)
    model.food_price = np.where(model.populated, price, np.nan)
    model.flows.farm_sales, model.flows.local_food_sales = dynamic + local_sales, local_sales
    away = way.pairs.origin() != way.pairs.dest
    elsewhere = way.pairs.by_origin(np.where(away, way.share * way.net * cleared.price[way.pairs.dest], 0.0))
    model.flows.food_sold_elsewhere = quantity * elsewhere  # net price of units sent away
    model.flows.food_demand = food_demand
    return cut


def start(model, spending: np.ndarray) -> None:
    """Starting food prices at which every market clears with the starting farm incomes and
    the food spending of each household's first-year consumption at its starting income,
    ``spending`` (USD/yr, ``start.starting_consumption``); farm productivity is rescaled so that planned farm income at
    these prices is the starting farm income. Sets ``model.food_price`` and
    ``model.expected_food_price``.

    The fixed point p = clearing price(plan at p) is found in logs with damping
    1 / (1 + 2 s): the quantity a market receives rises with its own price with an elasticity
    below about 2 s, so the damped step contracts.
    """
    hh, n, sigma = model.households, model.n_nodes, model.params.food_market_elasticity
    food_demand = demand(model, spending, model.local_spending_share)
    reference = model.farm_gate[hh.node] * hh.price_share  # the price farm productivity was backed out with
    cap = import_parity(model)
    prices = np.where(model.populated, np.minimum(context.market_price(model), cap), 0.0)
    damping = 1.0 / (1.0 + 2.0 * sigma)
    # the households of a node with the same price share plan alike (``plan_sales``): their
    # plan is found once a group (the groups of every alive household: quantities unused)
    groups = sales_groups(farm_income=hh.farm_income, price=np.ones(hh.n), node=hh.node, alive=hh.alive,
                          price_share=hh.price_share, farm_gate=model.farm_gate, n_nodes=n,
                          max_groups=MAX_GROUPS_PER_NODE)
    # households without farm income send 0 (their terms, 0 x a finite split over a positive
    # price, leave every sum as it is): the sums run over the others alone, in the same order
    farms = np.flatnonzero(hh.farm_income != 0)
    farm_income, farm_group, farm_node = hh.farm_income[farms], groups.of[farms], hh.node[farms]
    for _ in range(START_ITERATIONS):
        way = routes(model, prices)
        split = group_splits(group_node=groups.node, group_dynamic=groups.dynamic, local_value=way.value,
                             elasticity=sigma)
        quantity = local_quantity(farm_income=farm_income, group=farm_group, split=split,
                                  price=split * way.net_price[groups.node] + (1.0 - split) * groups.dynamic,
                                  node=farm_node, n_nodes=n)
        cleared = clear_food(food_demand, quantity, way, cap)
        step = np.where(model.populated, np.log(np.maximum(cleared.price, PRICE_FLOOR))
                        - np.log(np.maximum(prices, PRICE_FLOOR)), 0.0)
        if np.abs(step).max() < START_TOLERANCE:
            break
        prices = prices * np.exp(damping * step)
    else:
        raise RuntimeError(f"the starting food prices did not converge in {START_ITERATIONS} iterations "
                           f"(largest log change {np.abs(step).max():.2e})")
    plan, _ = sales_plan(model, prices)
    with np.errstate(invalid="ignore", divide="ignore"):
        hh.tfp = np.where(plan.price > 0, hh.tfp * reference / plan.price, hh.tfp)
    model.food_price = np.where(model.populated, prices, np.nan)
    model.expected_food_price = np.where(model.populated, prices, 0.0)
