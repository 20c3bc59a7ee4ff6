"""Random-utility (logit) migration choice.

A household at node i compares staying (its own income per person, the home node's
services and a preference for staying) with every other node d:

    V[i, d] = a log(y_d) - c T[i, d] + n log(1 + 100 M[i, d] / P_i) + s (q_d + A_d)

with y_d expected income per person at d, T travel time, M the migrants from i already
at d, P_i the origin population, q_d service quality and A_d the node's amenity in units of
service quality (0 unless ``urbanisation_pull`` is below 1: :func:`balancing_amenity`; it
enters staying at home alike). The destinations weighed are the
nodes within ``migration_reach`` hours and every external market (so that at national scale
the choice set, like the migrant stock, which is kept sparse, grows with the number of
nodes, not its square).

The choice is a nested logit (McFadden 1978; Train 2009, *Discrete Choice Methods with
Simulation*, ch. 4): staying is one nest, moving anywhere the other, with dissimilarity
lambda = ``migration_nest_dissimilarity``. A mover picks d with the logit shares of
V[i, d] / lambda; the move nest is worth its inclusive value lambda I_i, I_i =
log sum_d exp(V[i, d] / lambda), against the utility of staying U, so a household leaves with
chance 1 / (1 + exp(U - lambda I_i)) (drawn by :func:`choose_movers`). Adding k
destinations as good as the existing ones multiplies the odds of leaving by k^lambda, not by
k as the flat logit (lambda = 1) does, so the odds of leaving no longer grow in proportion
to the number of reachable nodes (the flat logit's independence of irrelevant alternatives
made 11 % of a generated country move in a year).

A move costs money (:func:`move_cost`: per person who moves, a fixed part, a part per hour of
travel and more out of the territory), paid from the household's assets: a household weighs
only the destinations its assets pay for (a liquidity constraint), so its move nest and its
inclusive value are its own (:func:`household_inclusive`); with no money cost every household
weighs every destination and the choice is the one before moving costs, draw for draw. A share
``migration_cost_local_share`` of what movers pay is income of their origin's households, the
rest leaves the territory.

The yearly phase (:func:`migrate`): migrants return (:func:`return_migration`); single
members or whole households move; whole households leaving the territory dissolve, inside it
they take a new home; single members abroad remit to their household, inside the territory
they form a new household. A single member leaves with its household's income per person of
the year (:func:`single_leaves`).
The start's migrant networks and migrants abroad are the rest point of the start's own flows
(:func:`steady_migration`).
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_array

from . import context
from .demography import dissolve
from .enterprises import move_outside_sales
from .environment import give_up_land
from .exact import binomial, nan_to_num
from .households import farming_households, management_share, split_tfp
from .kernels import bincount, choose_movers_by_draw, pay_dividends
from .migration_kernels import affordable_ends, draw_destinations, draw_within, segment_cumsum, value_at_ends
from .network import Pairs
from .overhead_kernels import budget_per_person as budget_by_person
from .overhead_kernels import income_pc_at_least_one, leave_and_outflow, weigh_log_income
from .start_kernels import abroad_log_weights, draw_abroad, income_ratios

NETWORK_SCALE = 100.0
"""Migrant networks enter utility as log(1 + NETWORK_SCALE x migrants / origin population): the
network term counts migrants per hundred residents of the origin (a unit; its weight is
``migration_network_weight``)."""
STEADY_STOCK_ROUNDS = 50
"""Most rounds of the fixed point of the starting migrant networks (``steady_migration``;
the example converges in a dozen, a generated country of 2,500 units in about 35)."""
MOST_ABROAD_AT_REST = 8
"""Most former members abroad a household starts with (``migrants_abroad_at_rest``; at the
defaults a household has 0.2 on average and the chance of more than 8 is negligible)."""
PLACEMENT_CHUNK = 1 << 18
"""Households weighed at a time when drawing the starting migrants abroad (bounds the memory
of the (households, ``MOST_ABROAD_AT_REST`` + 1) weights at national scale)."""
AMENITY_ROUNDS = 100
"""Most rounds of the search for the amenities that balance the start's net migration
(``balancing_amenity``)."""
AMENITY_DAMPING = 0.7
"""Share of each Newton step on the amenities taken (``balancing_amenity``): the steps count a
node's own response only, and a city's amenity also moves the rural municipalities' flows."""
AMENITY_TOLERANCE = 1e-6
"""The amenities balance the start's net migration when every node's expected net migration
per resident is within this (1/yr) of the territory's."""
STEADY_STOCK_TOLERANCE = 1e-6
"""The fixed point of the starting migrant networks is reached when no pair's migrants change
in a round by more than this share of the largest pair's (or of one person); the rounds
converge geometrically (at about 0.7 a round at national scale)."""


def destination_utilities(model, destinations: Pairs, income_node: np.ndarray, services: np.ndarray,
                          population: np.ndarray) -> np.ndarray:
    """(pairs,) utility of moving along each pair of ``destinations`` (origin to a node within
    the migration reach or an external market) before the migrant networks: a log y_d - c T +
    s q_d, plus ``migration_abroad_preference`` at external markets, which offer this year's
    outside income; -inf to the origin itself or to a node nobody lives in."""
    p = model.params
    origin, dest = destinations.origin(), destinations.dest
    income = np.where(model.is_market, context.external_income_pc(model), nan_to_num(income_node, nan=1.0))
    valid = model.is_market | (population > 0)
    v = (p.migration_income_weight * np.log(np.maximum(income, 1.0))[dest] - p.migration_cost_per_hour * destinations.time
         + p.migration_services_weight * services[dest] + p.migration_abroad_preference * model.is_market[dest])
    return np.where(valid[dest] & np.isfinite(destinations.time) & (origin != dest), v, -np.inf)


def node_services(model) -> np.ndarray:
    """(n,) the service quality the migration choice weighs at each node this year: its
    municipality's, 1 at the external markets (before the node's amenity, ``migration_amenity``)."""
    return np.array([m.service_quality if m else 1.0 for m in model.municipalities])


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
        shares = nan_to_num(np.exp(utilities - top[destinations.origin()]))
    pair = draw_destinations(origins=origins, indptr=destinations.indptr, shares=shares, u=rng.random(len(origins)))
    return destinations.dest[pair]


class Choice(NamedTuple):
    """The year's nested-logit choice set: the logits of every move within the move nest and
    the nest's inclusive value, what staying is weighed against."""

    destinations: Pairs       # origin -> node within the migration reach, or a market
    utilities: np.ndarray     # (pairs,) V / lambda: logit of each destination within the move nest
    log_sum_exp: np.ndarray   # (n,) I: log-sum of the logits over the destinations of each origin
    inclusive: np.ndarray     # (n,) lambda I: the move nest's worth against the utility of staying
    services: np.ndarray      # (n,) service quality by node (1 at external markets)


def choice_set(model, income_node: np.ndarray, services: np.ndarray, population: np.ndarray,
               stock: csr_array) -> Choice:
    """Logits of moving between nodes within the move nest (:func:`destination_utilities`
    over the dissimilarity ``migration_nest_dissimilarity``) given each node's income per
    person, services, residents and the migrant networks ``stock``, and the nest's inclusive
    value; external markets offer this year's outside income."""
    destinations = model.travel.within(model.params.migration_reach, markets=True)
    return nested_choice(model, destinations, destinations.origin(),
                         destination_utilities(model, destinations, income_node, services, population),
                         population, stock_at(stock, destinations.origin(), destinations.dest), services)


def nested_choice(model, destinations: Pairs, origin: np.ndarray, base: np.ndarray, population: np.ndarray,
                  stock_on_pairs: np.ndarray, services: np.ndarray) -> Choice:
    """:func:`choice_set` given the utilities before networks (``base``, from
    :func:`destination_utilities`) and the migrant networks on the pairs (``stock_on_pairs``,
    persons, from ``origin`` the pairs' origins): the network term is n log(1 + 100 M / P)."""
    p = model.params
    with np.errstate(divide="ignore", invalid="ignore"):
        network = np.log1p(NETWORK_SCALE * stock_on_pairs / np.maximum(population, 1.0)[origin])
    util = (base + p.migration_network_weight * network) / p.migration_nest_dissimilarity
    top = destinations.row_max(util, -np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        lse = top + np.log(destinations.by_origin(np.exp(util - top[origin])))
    lse = np.where(np.isfinite(top), lse, -np.inf)
    return Choice(destinations, util, lse, p.migration_nest_dissimilarity * lse, services)


def staying_utility(params, log_income_pc: np.ndarray, home_services: np.ndarray) -> np.ndarray:
    """U = stay preference + income weight x log income per person + services weight x home
    services, as :func:`choose_movers` weighs it."""
    return (params.migration_stay_preference + params.migration_income_weight * log_income_pc
            + params.migration_services_weight * home_services)


def remittance_per_migrant_abroad(model) -> float:
    """What each migrant outside the territory sends home this year (USD/yr): the
    ``remittance_propensity`` share of a migrant worker's earnings, ``migrant_earnings_ratio``
    times this year's income per person outside (``context.external_income_pc``)."""
    p = model.params
    return p.remittance_propensity * p.migrant_earnings_ratio * context.external_income_pc(model)


def whole_household_chance(params, adults: np.ndarray) -> np.ndarray:
    """Chance that a move takes the whole household: always with one adult at most, else
    ``whole_household_share``."""
    return np.where(adults <= 1, 1.0, params.whole_household_share)


def moves_cost_money(params) -> bool:
    """Whether a move costs money (else the choice is the one without moving costs, draw for draw)."""
    return (params.migration_move_cost > 0 or params.migration_move_cost_per_hour > 0
            or params.migration_move_cost_abroad > 0)


def move_cost(params, time: np.ndarray, abroad: np.ndarray) -> np.ndarray:
    """Money a move costs per person who moves (USD): ``migration_move_cost`` +
    ``migration_move_cost_per_hour`` x travel ``time`` (h) + ``migration_move_cost_abroad`` to an
    external market (``abroad``)."""
    return (params.migration_move_cost + params.migration_move_cost_per_hour * time
            + params.migration_move_cost_abroad * abroad)


def budget_per_person(params, assets: np.ndarray, members: np.ndarray, adults: np.ndarray) -> np.ndarray:
    """What a household's ``assets`` pay per person of the move it weighs (USD): a household that
    always moves whole (:func:`whole_household_chance` 1, one adult) pays for all its members, any
    other for the one member who leaves (a move drawn whole that the assets do not pay for leaves
    the others at home, :func:`migrate`)."""
    # np.where(whole_household_chance(params, adults) >= 1.0, np.maximum(members, 1), 1), in one pass
    return budget_by_person(assets=np.asarray(assets, np.float64), members=members, adults=adults,
                            whole_share=float(params.whole_household_share))


class Affordable(NamedTuple):
    """The moves each household's assets pay for: every origin's pairs ordered by money cost, so
    that a household can pay for a leading run of its origin's row."""

    order: np.ndarray       # (pairs,) the pairs by origin, then money cost per person
    cost: np.ndarray        # (pairs,) money cost per person of each pair, in that order (USD)
    weight: np.ndarray      # (pairs,) exp(logit - its row's largest), in that order
    cumulative: np.ndarray  # (pairs,) sums of the weights along each row, in that order
    abroad: np.ndarray      # (pairs,) the same sums over the external markets alone
    ends: np.ndarray        # (households,) end of the run of its origin's row a household pays for

    def at_budgets(self, choice: Choice, budget: np.ndarray, node: np.ndarray) -> Affordable:
        """The same ordered pairs for households at ``node`` paying ``budget`` USD per person
        (only ``ends`` depends on them)."""
        return self._replace(ends=affordable_ends(indptr=choice.destinations.indptr, cost=self.cost, node=node,
                                                  budget=budget))


def affordable(params, choice: Choice, is_market: np.ndarray, budget: np.ndarray, node: np.ndarray) -> Affordable:
    """The destinations of ``choice`` that each household (at ``node``, paying ``budget`` USD per
    person, :func:`budget_per_person`) can pay for (:func:`move_cost` at most its budget)."""
    pairs = choice.destinations
    origin = pairs.origin()
    cost = move_cost(params, pairs.time, is_market[pairs.dest])
    order = np.lexsort((cost, origin))
    top = pairs.row_max(choice.utilities, -np.inf)
    with np.errstate(invalid="ignore"):
        weight = nan_to_num(np.exp(choice.utilities - top[origin]))[order]
    rows = Affordable(order, cost[order], weight, segment_cumsum(indptr=pairs.indptr, values=weight),
                      segment_cumsum(indptr=pairs.indptr, values=weight * is_market[pairs.dest][order]),
                      np.zeros(0, np.int64))
    return rows.at_budgets(choice, budget, node)


def household_inclusive(params, choice: Choice, can: Affordable, node: np.ndarray) -> np.ndarray:
    """(households,) inclusive value lambda I of the moves a household can pay for (-inf: none)."""
    pairs = choice.destinations
    top = pairs.row_max(choice.utilities, -np.inf)
    lam = params.migration_nest_dissimilarity
    # lambda (top + log S) at each pair, the last a household may pay for: numpy's log of each
    # row's sums once, not of each household's (the same value at the same sum)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_pair = lam * (top[pairs.origin()] + np.log(can.cumulative))
    return value_at_ends(ends=can.ends, node=node, indptr=pairs.indptr, per_pair=per_pair, open_row=np.isfinite(top),
                         none=lam * -np.inf)


def log_income_pc(income: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Log of income per person (at least 1 USD)."""
    return np.log(income_pc_at_least_one(income=income, members=members))


def weighed_log_income(params, income: np.ndarray, members: np.ndarray, node: np.ndarray,
                       income_node: np.ndarray) -> np.ndarray:
    """The household's log income per person as the staying utility weighs it against the
    destinations' mean incomes: a household expects to keep a share rho
    (``migration_income_persistence``) of its log distance from its home node's mean income
    per person wherever it goes (its skills, assets and contacts travel with it), so moving to
    d is worth a (log y_d + rho (log y - log y_home)) and staying a log y, and only
    (1 - rho) log y + rho log y_home enters the staying utility against log y_d. rho = 0: the
    destination's mean is what every household expects there (the poorest gain most by moving);
    rho = 1: every household expects its home node's gap, whatever its own income."""
    rho = params.migration_income_persistence
    if rho == 0.0:
        return log_income_pc(income, members)
    pc = income_pc_at_least_one(income=income, members=members)
    # at rho = 1 (the default) numpy's log of each income is not taken: y >= 1, so 0 x log y is
    # 0 x y, 0.0 where y is finite and NaN where it is not, as with the log
    own = pc if rho == 1.0 else np.log(pc)
    return weigh_log_income(own=own, rho=float(rho), home=np.log(np.maximum(income_node, 1.0)), node=node)


def choose_movers(*, log_income_pc, alive, adults, node, services, inclusive, u, stay_preference, income_weight,
                  services_weight) -> np.ndarray:
    """Rows (ascending) of the households that move this year (``kernels.choose_movers_by_draw``):
    those whose U - L is below np.log1p(-u) - np.log(u), numpy's logarithms taken only where a
    household's choice is too close to call without them."""
    drawn = choose_movers_by_draw(log_income_pc=log_income_pc, alive=alive, adults=adults, node=node,
                                  services=services, inclusive=inclusive, u=u, stay_preference=stay_preference,
                                  income_weight=income_weight, services_weight=services_weight)
    if drawn.unsure.size == 0:
        return drawn.movers
    close = u[drawn.unsure]
    with np.errstate(divide="ignore"):
        leave = drawn.gap < np.log1p(-close) - np.log(close)
    return np.sort(np.concatenate([drawn.movers, drawn.unsure[leave]]))


def migrate(model) -> None:
    """Migrants abroad return (:func:`return_migration`); then logit migration of single
    members or whole households."""
    p, hh, rng, n = model.params, model.households, model.streams["migration"], model.n_nodes
    model.flows.out_migrants = np.zeros(n)
    model.flows.movers_income = np.zeros(n)
    model.flows.movers_weighed = np.zeros(n)
    model.flows.in_migrants = returned = return_migration(model)
    alive = hh.alive
    pop = model.populations()
    services = node_services(model) + model.migration_amenity
    income_node = np.array(model.node_stats["mean_income_pc"], float)
    choice = choice_set(model, income_node, services, pop, model.migrant_stock)
    u = hh.uniforms(rng)[0]
    costly = moves_cost_money(p)
    if costly:
        can = affordable(p, choice, model.is_market, budget_per_person(p, hh.assets, hh.members, hh.adults), hh.node)
        inclusive = household_inclusive(p, choice, can, hh.node)
    else:
        inclusive = choice.inclusive[hh.node]
    movers = choose_movers(log_income_pc=weighed_log_income(p, hh.income, hh.members, hh.node, income_node),
                           alive=alive, adults=hh.adults, node=hh.node, services=services, inclusive=inclusive,
                           u=u, stay_preference=p.migration_stay_preference, income_weight=p.migration_income_weight,
                           services_weight=p.migration_services_weight)
    if movers.size == 0:
        return
    origin = hh.node[movers]
    # who leaves: the movers' households' income per person as they chose, over their node's mean
    # income per person as last recorded, the one the choice weighs (origins without a positive
    # mean are not weighed)
    home_mean = income_node[origin]
    weighed = np.isfinite(home_mean) & (home_mean > 0)
    relative = np.where(weighed, hh.income[movers] / np.maximum(hh.members[movers], 1)
                        / np.where(weighed, home_mean, 1.0), 0.0)
    dest, cost = movers_destinations(model, choice, can if costly else None, movers, rng)
    chance = whole_household_chance(p, hh.adults[movers])
    whole = rng.random(movers.size) < chance
    if costly:
        # a move drawn whole that the assets do not pay for leaves the others at home (one
        # adult always moves whole: its assets were weighed for all the members)
        whole &= (chance >= 1.0) | (hh.members[movers] * cost <= hh.assets[movers])
        pay_moves(model, movers, np.minimum(np.where(whole, hh.members[movers], 1) * cost, hh.assets[movers]))
    people = np.where(whole, hh.members[movers], 1)
    model.flows.movers_income = np.bincount(origin, people * relative, minlength=n)
    model.flows.movers_weighed = np.bincount(origin, people * weighed, minlength=n)
    model.migrant_stock = add_movers(model.migrant_stock, origin, dest, people)
    model.flows.out_migrants = np.bincount(origin, people, minlength=n).astype(float)
    internal = ~model.is_market[dest]
    model.flows.in_migrants = returned + np.bincount(dest[internal], people[internal], minlength=n)
    # whole households leaving the territory take their assets with them
    leave = movers[whole & ~internal]
    if leave.size:
        dissolve(model, leave, "assets of emigrating households", "rest_of_world")
    # whole households moving inside the territory: new home, land left to the old node
    move = movers[whole & internal]
    move_outside_sales(model, move, dest[whole & internal])  # its customers outside: ``outside_sales_pass_on``
    give_up_land(model, move)
    leave_jobs(model, move, rng)
    moved_from = hh.node[move].copy()
    hh.node[move] = dest[whole & internal]
    # single members leave the household with their share of this year's income and the job they
    # held (``take_jobs``); abroad they remit, inside they form a new household that seeks work
    single = ~whole
    rows = movers[single]
    inside = rows[internal[single]]
    stake = mover_stakes(model, inside)
    take_jobs(model, rows, rng)
    share = single_leaves(hh, rows)
    abroad = rows[~internal[single]]
    hh.migrants_abroad[abroad] += 1
    if inside.size:
        k = inside.size
        share = share[internal[single]]
        # a mover who will farm where it goes takes its part of the farm's management, as an
        # adult child forming a household does (the origin had one adult more before the move);
        # one who will not (to a city, without land) leaves it with the farm, as one abroad does
        to = dest[single][internal[single]]
        farms = farming_households(model, to, np.zeros(k))
        taken, kept = split_tfp(p, hh.tfp[inside], 1.0 / (hh.adults[inside] + 1.0))
        tfp = np.where(farms, taken, 0.0)
        hh.tfp[inside] = np.where(farms, kept, hh.tfp[inside])
        hh.append({
            "alive": np.ones(k, bool), "node": to,
            "members": np.ones(k, np.int32), "adults": np.ones(k, np.int32),
            "education": hh.education[inside], "skill_residual": hh.skill_residual[inside],
            "tfp": local_productivity(model, tfp, hh.node[inside], to),
            "price_share": np.full(k, 1.0 - p.intermediary_margin), "remits_to": hh.id[inside],
            "other_income": share, "income": share, "assets": stake,
        })
    hh.tfp[move] = local_productivity(model, hh.tfp[move], moved_from, hh.node[move])
    settle_farms(model, np.concatenate([move, np.arange(hh.n - inside.size, hh.n)]))


def add_movers(stock: csr_array, origin: np.ndarray, dest: np.ndarray, people: np.ndarray) -> csr_array:
    """The (n, n) sparse ``stock`` plus the ``people`` who moved from ``origin`` to ``dest``
    (persons), as scipy's sum of the two sparse matrices gives it (each pair's movers added up,
    then to its entry; the entries that are not zero, in row order), summed as dense arrays:
    scipy's construction of the movers' matrix and its sparse sum cost more than the year's
    other migration arithmetic in small territories (15 nodes, 300 movers: 72 -> 20 us; 53
    nodes, 2,000 movers: 122 -> 46 us), where the dense arrays' n^2 costs more with many
    nodes (300: 344 against 116 us, small against such a territory's year)."""
    n = stock.shape[0]
    total = stock.toarray()
    # whole persons: their sums are exact in any order
    total += np.bincount(origin * n + dest, people.astype(float), minlength=n * n).reshape(n, n)
    entries = np.flatnonzero(total)
    indptr = np.searchsorted(entries, np.arange(n + 1) * n)
    return csr_array((total.ravel()[entries], entries % n, indptr), shape=stock.shape)


def mover_stakes(model, rows: np.ndarray) -> np.ndarray:
    """The assets (USD) that a single member moving inside the territory from each household
    ``rows`` takes to its new household, out of the household's: ``mover_asset_share`` of an
    equal heir's share, assets / adults, as an adult child forming a household takes
    (``formation``). Booked households -> households."""
    hh, share = model.households, model.params.mover_asset_share
    if share <= 0 or rows.size == 0:
        return np.zeros(rows.size)
    stake = share * np.maximum(hh.assets[rows], 0.0) / np.maximum(hh.adults[rows], 1)
    hh.assets[rows] -= stake
    model.ledger.record("households", "households", "movers' shares of household assets", stake.sum())
    return stake


def take_jobs(model, rows: np.ndarray, rng: np.random.Generator) -> None:
    """The single members leaving households ``rows`` take the wage jobs they held: each is one of
    its household's adults drawn alike, so it held a job with chance employed / adults, and
    takes it with chance ``mover_job_share`` (a draw each from ``rng``, none at 0). The household
    keeps this year's wages (earned before the move); the firm's place opens to the next year's
    seekers. Before session 46 the job stayed with the household while another adult could hold
    it (``mover_job_share`` 0), so a household that a worker left earned as much for fewer
    persons (docs/model_choices.md, "Migration: what a single mover takes")."""
    share, hh = model.params.mover_job_share, model.households
    if share <= 0 or rows.size == 0:
        return
    held = rng.random(rows.size) * np.maximum(hh.adults[rows], 1) < share * hh.employed[rows]
    hh.employed[rows] -= held.astype(hh.employed.dtype)


def leave_jobs(model, rows: np.ndarray, rng: np.random.Generator) -> None:
    """Households ``rows`` moving whole to another node of the territory leave the wage jobs
    their adults held where they lived: each job opens to the next year's seekers with chance
    ``mover_job_share`` (all at 1, none at 0, binomial draws from ``rng`` between), as a single
    mover's job leaves its household (:func:`take_jobs`), and the household seeks work from its
    new home the next year. Before session 47 a household moving whole kept its jobs, which the
    next year's labour market counted as its new node's workers keeping theirs."""
    share, hh = model.params.mover_job_share, model.households
    if share <= 0 or rows.size == 0:
        return
    if share >= 1:
        hh.employed[rows] = 0
    else:
        hh.employed[rows] -= rng.binomial(np.maximum(hh.employed[rows], 0), share).astype(hh.employed.dtype)


def single_leaves(hh, rows: np.ndarray) -> np.ndarray:
    """One adult of each household ``rows`` leaves it alone (members and adults one fewer) and
    takes its household's income per person of this year (USD/yr, returned), out of the
    household's other income. The year's incomes were earned and spent before the move and its
    outcomes are recorded after: with its share, leaving moves nobody along the income
    distribution in the year of the move (with none, every year's single movers inside the
    territory were counted without income, 124 persons in year 1 of the stationary run at scale
    0.25, seed 1, and their households richer per person). This year's wages stay with the
    household and farm income with the farm, so each remains what the labour market paid and the
    farm sold; the job a mover held leaves with it before (:func:`take_jobs`), or, at
    ``mover_job_share`` 0, stays with the household (as a worker's death left it up to session
    46): until the next year's labour market, which keeps at most a job per adult
    (``labour.seekers``), the household may then hold more jobs than adults (39-68 households a
    year, stationary, scale 0.25; deaths left some too, 7-12 a year at scale 0.05, until
    ``death_job_share`` freed them in session 47)."""
    share = hh.income[rows] / np.maximum(hh.members[rows], 1)
    hh.other_income[rows] -= share
    hh.income[rows] -= share
    hh.members[rows] -= 1
    hh.adults[rows] -= 1
    return share


def movers_destinations(model, choice: Choice, can: Affordable | None, movers: np.ndarray,
                        rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Each mover's destination, drawn from the logit shares of the moves it pays for (``can``;
    None: moves cost no money, every destination of its origin), and its money cost per person
    (USD; 0 without moving costs)."""
    origin = model.households.node[movers]
    if can is None:
        return choose_destinations(origin, choice.destinations, choice.utilities, rng), np.zeros(movers.size)
    at = draw_within(starts=choice.destinations.indptr[origin], ends=can.ends[movers], cumulative=can.cumulative,
                     u=rng.random(movers.size))
    return choice.destinations.dest[can.order[at]], can.cost[at]


def pay_moves(model, movers: np.ndarray, paid: np.ndarray) -> None:
    """Households ``movers`` pay what their moves cost (``paid``, USD, within their assets): a
    ``migration_cost_local_share`` is income of their origin's households, in proportion to
    their assets + 1 (as local dividends, ``kernels.pay_dividends``), the rest leaves the
    territory."""
    hh, share = model.households, model.params.migration_cost_local_share
    hh.assets[movers] -= paid
    local = share * np.bincount(hh.node[movers], paid, minlength=model.n_nodes)
    received = pay_dividends(local_dividends=local, assets=hh.assets, other_income=hh.other_income,
                             income=hh.income, alive=hh.alive, node=hh.node)
    model.ledger.record("households", "households", "moving costs paid in the territory", received.sum())
    model.ledger.record("households", "rest_of_world", "moving costs paid outside", paid.sum() - received.sum())


def return_migration(model) -> np.ndarray:
    """Each migrant abroad returns with chance ``migrant_return_rate`` this year and rejoins
    its household as an adult (the migrants of households that left or died out are lost to
    the territory); migrant networks lose the same share (returns, deaths abroad, ties that
    fade), and so do internal migrants' ties to the household they remit to (they stop
    remitting). Returns the returning migrants by node (persons)."""
    p, hh = model.params, model.households
    rng = model.streams["migration"]
    model.migrant_stock = model.migrant_stock * (1.0 - p.migrant_return_rate)
    hh.fade_ties(rng, p.migrant_return_rate)
    # draws only where someone is abroad: numpy's binomial draws nothing for n = 0, so the
    # stream and the returns are those of drawing for every household, at a fifth of the cost
    away = np.flatnonzero((hh.migrants_abroad > 0) & hh.alive)
    back = binomial(rng, hh.migrants_abroad[away], p.migrant_return_rate)  # rng.binomial's draws, compiled
    hh.migrants_abroad[away] -= back.astype(hh.migrants_abroad.dtype)
    hh.members[away] += back.astype(hh.members.dtype)
    hh.adults[away] += back.astype(hh.adults.dtype)
    return bincount(hh.node[away], back, minlength=model.n_nodes).astype(float)


class SteadyMigration(NamedTuple):
    """Migration at the rest point of the start's flows."""

    stock: csr_array           # (n, n) migrants from each node living at each node (persons, sparse)
    abroad: np.ndarray         # (households,) expected former members abroad who remit
    outflow: np.ndarray        # (n,) expected people leaving each node a year
    sends: np.ndarray          # (households,) chance a year of sending one member abroad, p a (1 - w)
    leave: np.ndarray          # (households,) chance a year of moving (p), at the starting income
    choice: Choice | None = None  # the choice set at these networks
    income_node: np.ndarray | None = None  # (n,) mean income per person of each node weighed


def steady_migration(model, income: np.ndarray, members: np.ndarray, adults: np.ndarray, node: np.ndarray,
                     services: np.ndarray, assets: np.ndarray | None = None) -> SteadyMigration:
    """Migrant networks and migrants abroad that the start's own flows keep.

    Each household leaves with the nested-logit chance of :func:`migrate`
    (:func:`choose_movers`), p = 1 / (1 + exp(U - lambda I)), and moves whole with :func:`whole_household_chance` w; its
    origin's row of the logit shares within the move nest spreads the expected movers F[i, d] over destinations.
    Migrants return (or lose their ties) at r = ``migrant_return_rate``, so the networks
    stay where they are when M = F(M) / r, a fixed point (F depends on M through the network
    term) found by iterating from no networks. A household's former members abroad, m, gain
    p a (1 - w) a year (a its origin's share of moves that go abroad) and lose r m, and all of
    them when the household emigrates whole (p a w), so they stay where they are at
    m = p a (1 - w) / (r + p a w).

    Where moves cost money (:func:`moves_cost_money`) each household weighs the destinations its
    ``assets`` pay for, as in :func:`migrate`: its inclusive value, its shares and its share of
    moves abroad are those of its own move nest (:func:`affordable`); ``assets`` are required
    then."""
    p, n = model.params, model.n_nodes
    r = p.migrant_return_rate
    population = bincount(node, members, minlength=n).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        income_node = bincount(node, income, minlength=n) / population
    # exp(U) of households that can move (0 for those without adults, which never leave)
    with np.errstate(over="ignore"):
        stay = np.where(adults > 0, np.exp(staying_utility(p, weighed_log_income(p, income, members, node, income_node),
                                                           services[node])), np.inf)
    whole = whole_household_chance(p, adults)
    people = whole * members + (1.0 - whole)
    pairs = model.travel.within(p.migration_reach, markets=True)
    origin = pairs.origin()
    base = destination_utilities(model, pairs, income_node, services, population)
    on_pairs = np.zeros(len(pairs.dest))
    costly = moves_cost_money(p)
    budget = budget_per_person(p, assets, members, adults) if costly else None
    for _ in range(STEADY_STOCK_ROUNDS):
        choice = nested_choice(model, pairs, origin, base, population, on_pairs, services)
        if costly:
            can = affordable(p, choice, model.is_market, budget, node)
            new, leave, abroad_share = _steady_flows_paid(p, choice, can, stay, people, node)
            new /= r
        else:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                move_worth = np.exp(-choice.inclusive)
                shares = nan_to_num(np.exp(choice.utilities - choice.log_sum_exp[origin]))
            # 1 / (1 + stay exp(-lambda I)) and its people by node, in one pass (numpy's arithmetic and sums)
            leave, outflow = leave_and_outflow(stay=stay, move_worth=move_worth, node=node, people=people, n_nodes=n)
            new = outflow[origin] * shares / r
        converged = np.abs(new - on_pairs).max(initial=0.0) <= STEADY_STOCK_TOLERANCE * max(new.max(initial=0.0), 1.0)
        on_pairs = new
        if converged:
            break
    stock = csr_array((on_pairs, (origin, pairs.dest)), shape=(n, n))
    if costly:
        outflow = np.bincount(node, leave * people, minlength=n)
        leave_abroad = leave * abroad_share
    else:
        leave_abroad = leave * pairs.by_origin(shares * model.is_market[pairs.dest])[node]
    return SteadyMigration(stock, leave_abroad * (1.0 - whole) / (r + leave_abroad * whole), outflow,
                           leave_abroad * (1.0 - whole), leave, choice, income_node)


class PaidLeave(NamedTuple):
    """Each household's chance of leaving and where to, over the moves its assets pay for."""

    leave: np.ndarray         # (households,) chance of leaving a year, 1 / (1 + exp(U - lambda I_h))
    abroad_share: np.ndarray  # (households,) share of its moves that leave the territory
    last: np.ndarray          # (households,) position (in ``Affordable.order``) of the last pair it pays for
    total: np.ndarray         # (households,) S_h, the sum of the weights of the pairs it pays for (1: none)
    paid: np.ndarray          # (households,) whether it pays for some open move


def paid_leave(params, choice: Choice, can: Affordable, stay: np.ndarray, node: np.ndarray) -> PaidLeave:
    """:class:`PaidLeave` of households at ``node`` with exp(U) ``stay`` (inf: cannot leave)."""
    last = np.maximum(can.ends - 1, 0)
    paid = (can.ends > choice.destinations.indptr[node]) & (can.cumulative[last] > 0)  # some open move is paid for
    total = np.where(paid, can.cumulative[last], 1.0)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        leave = np.where(paid, 1.0 / (1.0 + stay * np.exp(-household_inclusive(params, choice, can, node))), 0.0)
    return PaidLeave(leave, np.where(paid, can.abroad[last] / total, 0.0), last, total, paid)


def _steady_flows_paid(params, choice: Choice, can: Affordable, stay: np.ndarray, people: np.ndarray,
                       node: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected movers a year along each pair (persons), each household's chance of leaving and
    its share of moves going abroad, where each household weighs only the moves it pays for.

    A household h paying for the first e_h pairs of its origin's row (by money cost, ``can``)
    leaves with chance p_h (:func:`paid_leave`) and moves along pair k < e_h with share w_k / S_h
    (w_k = exp(logit_k - the row's largest), S_h their sum over its run): F_k = w_k x the sum,
    over the households whose run reaches k, of p_h x persons_h / S_h (summed from the end of
    each row backwards)."""
    pairs = choice.destinations
    h = paid_leave(params, choice, can, stay, node)
    reach = np.bincount(h.last[h.paid], (h.leave * people / h.total)[h.paid], minlength=len(pairs.dest))
    back = _reversed_rows(pairs.indptr)
    flow = np.zeros(len(pairs.dest))
    flow[can.order] = can.weight * segment_cumsum(indptr=pairs.indptr, values=reach[back])[back]
    return flow, h.leave, h.abroad_share


def sending_rate_at(model, steady: SteadyMigration, members: np.ndarray, adults: np.ndarray, node: np.ndarray,
                    services: np.ndarray, assets_at):
    """The chance a year that each household sends one member abroad, p a (1 - w), as a
    function ``rate(rows, income)`` of its income (USD/yr), where moves cost money: at another
    income both the utility of staying and the assets (``assets_at(rows, income)``, USD) that
    pay for its moves change (``migrants_abroad_at_rest``)."""
    p = model.params
    ordered = affordable(p, steady.choice, model.is_market, np.zeros(0), node[:0])  # the pairs once; budgets below

    def rate(rows: np.ndarray, income: np.ndarray) -> np.ndarray:
        at = node[rows]
        with np.errstate(over="ignore"):
            own = weighed_log_income(p, income, members[rows], at, steady.income_node)
            stay = np.where(adults[rows] > 0, np.exp(staying_utility(p, own, services[at])), np.inf)
        budget = budget_per_person(p, assets_at(rows, income), members[rows], adults[rows])
        h = paid_leave(p, steady.choice, ordered.at_budgets(steady.choice, budget, at), stay, at)
        return h.leave * h.abroad_share * (1.0 - whole_household_chance(p, adults[rows]))

    return rate


def _reversed_rows(indptr: np.ndarray) -> np.ndarray:
    """Positions that reverse each row of the compressed rows ``indptr`` (its own inverse)."""
    counts = np.diff(indptr)
    row_start = np.repeat(indptr[:-1], counts)
    row_end = np.repeat(indptr[1:], counts)
    k = np.arange(indptr[-1])
    return row_start + row_end - 1 - k


def migrants_abroad_at_rest(params, steady: SteadyMigration, income: np.ndarray, members: np.ndarray,
                            node: np.ndarray, per_migrant: float, rng: np.random.Generator,
                            rate=None) -> tuple[np.ndarray, np.ndarray]:
    """Former members abroad of each household (persons), drawn where the yearly flows put them.

    A household's income in the tables, y, includes what its m migrants abroad send, m R
    (``per_migrant``); its income without them is x = y - m R. With x fixed, its migrants
    abroad are a birth-death process: one more leaves at lambda(x + k R) = p a (1 - w) at
    the income it has with k abroad (p its chance of moving, whose odds fall with income as
    the staying utility's income term says, a its origin's share of moves going abroad, w
    the chance a move takes the whole household: ``steady.sends`` at y), and each returns at
    r = ``migrant_return_rate``, so that at rest P(m | x) is proportional to prod_k
    lambda(x + k R) / (r^m m!). The tables give y, not x: P(m | y) is proportional to
    f(x) P(m | x), f the density of income per person of the node (lognormal, the mean and
    spread of the drawn households' log income per person; 0 where y - m R is not positive).
    Where moves cost money, the assets that pay for a move also change with the income:
    ``rate(rows, income)`` (:func:`sending_rate_at`) gives lambda at another income instead.
    Returns the draws and their expected values (persons by household); what a household's
    other income leaves room for is placed by ``start.place_within_incomes``."""
    # the staying utility weighs (1 - rho) of the household's own log income per person
    r = params.migrant_return_rate
    weight = params.migration_income_weight * (1.0 - params.migration_income_persistence)
    n = int(node.max(initial=-1)) + 1
    persons = np.maximum(members, 1).astype(float)
    log_pc = np.log(np.maximum(income / persons, 1.0))
    count = np.maximum(np.bincount(node, minlength=n), 1)
    mu = bincount(node, log_pc, minlength=n) / count
    sd = np.sqrt(np.maximum(bincount(node, (log_pc - mu[node]) ** 2, minlength=n) / count, 1e-6))
    # odds of staying at income y, which scale as (income / y)^weight at another income
    with np.errstate(divide="ignore", invalid="ignore"):
        stay_odds = np.where(steady.leave > 0, (1.0 - steady.leave) / steady.leave, np.inf)
        abroad_rate = np.where(steady.leave > 0, steady.sends / steady.leave, 0.0)  # a (1 - w)
    most = MOST_ABROAD_AT_REST
    ks = np.arange(most + 1)
    return_terms, log_factorial = ks * np.log(r), np.cumsum(np.log(np.maximum(ks, 1)))
    chosen = np.zeros(len(income), np.int64)
    expected = np.zeros(len(income))
    u = rng.random(len(income))
    # a household that sends nobody abroad (one adult: it moves whole) has none at rest: its weights
    # are 1, 0, 0, ..., so it draws 0 and expects 0 as the rows below would give it
    weighed = np.arange(len(income)) if rate is not None else np.flatnonzero(abroad_rate != 0.0)
    for start in range(0, len(weighed), PLACEMENT_CHUNK):
        rows = weighed[start:start + PLACEMENT_CHUNK]
        # incomes with k migrants abroad out of m: y - (m - k) R, for the rates of the path 0..m
        # (the arithmetic between numpy's logs and exps in compiled passes, in numpy's order)
        log_x = np.log(income_ratios(income=income, persons=persons, rows=rows, per_migrant=per_migrant, most=most))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            # lambda at the income the household had with k abroad, k = m - 1, ..., 0 of the
            # path to m, is the rate at income y - (m - k) R: step j of the path (j = 1..m)
            # happens at income y - j R, so log prod = sum_{j=1..m} log lambda(y - j R)
            if rate is None:
                log_rate = (np.log(abroad_rate[rows, None])
                            - np.log1p(stay_odds[rows, None] * np.exp(weight * (log_x[:, 1:] - log_x[:, :1]))))
            else:
                log_rate = np.log(np.column_stack([rate(rows, income[rows] - j * per_migrant)
                                                   for j in range(1, most + 1)]))
        log_w = abroad_log_weights(log_x=log_x, log_rate=log_rate, income=income, rows=rows, mu=mu, sd=sd, node=node,
                                   per_migrant=per_migrant, return_terms=return_terms, log_factorial=log_factorial)
        drawn = draw_abroad(w=np.exp(log_w), u=u[rows])
        chosen[rows], expected[rows] = drawn.chosen, drawn.expected
    return chosen, expected


def local_productivity(model, tfp: np.ndarray, origin: np.ndarray, dest: np.ndarray) -> np.ndarray:
    """Farm TFP ``tfp`` of movers from ``origin`` to ``dest`` nodes at their destination:
    ``tfp`` (S_dest / S_origin)^t, S the nodes' settler productivity (``model.settler_tfp``) and t
    ``mover_productivity_local``, where both are positive (else, and at t 0, ``tfp`` unchanged: a
    mover from a node without farmers, or to one, is settled by :func:`settle_farms`)."""
    t = model.params.mover_productivity_local
    if t == 0.0 or tfp.size == 0:
        return tfp
    s = model.settler_tfp
    both = (s[origin] > 0) & (s[dest] > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(both, np.power(s[dest] / np.where(both, s[origin], 1.0), t), 1.0)
    return tfp * factor


def settle_farms(model, rows: np.ndarray) -> None:
    """Households ``rows`` that settled in a new node farm as its households do: in a city
    without land to farm they stop farming (TFP 0); in a rural municipality one that did not
    farm takes the median TFP per adult's management of the node's farming households at the
    start (``model.settler_tfp``) for its adults (``households.management_share``)."""
    hh = model.households
    farms = farming_households(model, hh.node[rows], hh.land[rows])
    hh.tfp[rows[~farms]] = 0.0
    start = rows[farms & (hh.tfp[rows] <= 0)]
    hh.tfp[start] = (model.settler_tfp[hh.node[start]]
                     * np.power(np.maximum(hh.adults[start], 1), management_share(model.params)))


class NetMigration(NamedTuple):
    """Each node's expected migration a year per resident at the start's rest."""

    net: np.ndarray     # (n,) persons arriving (from the territory's other nodes, and back from abroad) less those leaving
    gross: np.ndarray   # (n,) the arrivals from the territory's other nodes over the move nest's dissimilarity,
                        # plus those leaving: about how the net answers the node's utility (Newton's step)
    territory: float    # the territory's net migration a year per resident


def start_net_migration(model, steady: SteadyMigration, members: np.ndarray, node: np.ndarray) -> NetMigration:
    """:class:`NetMigration` of the rest ``steady``: along each pair F = r M persons a year (the
    networks' rest, ``steady_migration``), from abroad r m per household (its former members
    abroad return at r, ``return_migration``), out of each node its expected movers."""
    p, n = model.params, model.n_nodes
    r = p.migrant_return_rate
    population = bincount(node, members, minlength=n).astype(float)
    arrivals = r * np.asarray(steady.stock.sum(axis=0)).ravel()
    back = r * bincount(node, steady.abroad, minlength=n)
    territory = model.populated
    with np.errstate(invalid="ignore", divide="ignore"):
        net = nan_to_num((arrivals + back - steady.outflow) / population)
        gross = nan_to_num((arrivals / p.migration_nest_dissimilarity + steady.outflow) / population)
    mean = float((net * population)[territory].sum() / max(population[territory].sum(), 1.0))
    return NetMigration(np.where(territory, net, 0.0), np.where(territory, gross, 0.0), mean)


def balancing_amenity(model, income: np.ndarray, members: np.ndarray, adults: np.ndarray, node: np.ndarray,
                      services: np.ndarray, assets: np.ndarray | None = None) -> np.ndarray:
    """(n,) each node's amenity in units of service quality (0 at external markets): 1 -
    ``urbanisation_pull`` times the amenities A at which every node of the territory expects, at
    the start's rest (:func:`steady_migration` with services + A, :func:`start_net_migration`),
    the territory's net migration per resident. Those are n - 1 conditions (the gaps weighted by
    population sum to 0), so A's level is pinned as well: its mean over the residents is 0, and
    the territory as a whole stays as attractive against the external markets as without
    amenities. Solved by damped Newton steps on each node's own utility (the net answers A_i
    about as the node's arrivals over the nest's dissimilarity plus its leavers; a city's
    changes move the others' too, hence the damping), each followed by the level's projection;
    zeros where the pull is 1 or services carry no weight. Warns, and keeps the last amenities,
    if the rounds run out."""
    p, n = model.params, model.n_nodes
    amenity = np.zeros(n)
    if p.urbanisation_pull >= 1.0 or p.migration_services_weight <= 0:
        return amenity
    population = bincount(node, members, minlength=n).astype(float) * model.populated
    for done in range(AMENITY_ROUNDS + 1):
        rates = start_net_migration(model, steady_migration(model, income, members, adults, node, services + amenity,
                                                            assets), members, node)
        gap = np.where(rates.gross > 0, rates.territory - rates.net, 0.0)
        if np.abs(gap).max(initial=0.0) <= AMENITY_TOLERANCE:
            break
        if done == AMENITY_ROUNDS:
            warnings.warn(f"the amenities that balance the start's net migration miss by up to "
                          f"{np.abs(gap).max():.2g} a year per resident after {AMENITY_ROUNDS} rounds "
                          "(urbanisation_pull)", RuntimeWarning, stacklevel=2)
            break
        with np.errstate(invalid="ignore", divide="ignore"):
            amenity += AMENITY_DAMPING * nan_to_num(gap / rates.gross) / p.migration_services_weight
        amenity = np.where(model.populated, amenity - (amenity * population).sum() / population.sum(), 0.0)
    return (1.0 - p.urbanisation_pull) * amenity
