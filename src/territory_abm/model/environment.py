"""Land and environment: forest clearing, natural regrowth, and land left by households.

Households clear forest where the expected return beats the cost (money paid, family time
valued at the wage they could expect) plus the expected fine (``kernels.clearing_wish``,
``kernels.clear_forest``); natural capital regrows
logistically toward the start's forest share of the area not farmed
(``Municipality.regrow_nature``), so the start is the regrowth's rest point. Land given up
during a year (households that died out or moved) is handed over once at its end.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from . import estates, land_market
from .exact import nan_to_num
from .kernels import clear_forest, clearing_wish, clearing_wish_by_node
from .land_kernels import hand_over_land, land_by_node

MIN_HURDLE, MAX_HURDLE = 1e-2, 1e4
"""Bounds of the clearing hurdle (gain per USD of cost) searched at the start."""
HURDLE_BISECTIONS = 50
"""Halvings of the log hurdle's interval (to about 1e-14 of it)."""


def clearing(model) -> None:
    """Households clear forest where the expected return beats cost plus expected fine by
    their node's hurdle (backed out at the start: :func:`starting_hurdle`)."""
    p, hh = model.params, model.households
    node = hh.node
    enforcement = np.array([m.enforcement if m else 0.0 for m in model.municipalities])
    forest = forest_by_node(model)
    wish = clearing_wishes(model, enforcement)
    want = model.policies.limit_clearing(wish(hurdle=model.clearing_hurdle), enforcement)
    u_caught = hh.uniforms(model.streams["clearing"])[0]
    node_cleared, node_fines, node_costs = clear_forest(
        want=want, forest=forest, u_caught=u_caught, enforcement=enforcement, fine=p.clearing_fine,
        clearing_cost=p.clearing_cost, assets=hh.assets, land=hh.land, node=node)
    model.ledger.record("households", "municipalities", "clearing fines", node_fines.sum())
    model.ledger.record("households", "rest_of_world", "clearing costs", node_costs.sum())
    for m in model.active_municipalities():
        m.natural_capital = max(m.natural_capital - node_cleared[m.node], 0.0)
        m.treasury += node_fines[m.node]
    model.flows.cleared = node_cleared


def forest_by_node(model) -> np.ndarray:
    """Natural capital (ha of forest) by node, 0 where there is no municipality."""
    return np.array([m.natural_capital if m else 0.0 for m in model.municipalities])


def _household_arguments(hh) -> dict[str, np.ndarray]:
    """The arguments of ``kernels.clearing_wish`` that hold a value per household."""
    return {"farm_income": hh.farm_income, "land": hh.land, "alive": hh.alive, "adults": hh.adults,
            "employed": hh.employed, "assets": hh.assets, "node": hh.node}


def clearing_wishes(model, enforcement: np.ndarray):
    """``wish(hurdle=...)``: the hectares each household would clear this year at its node's
    ``enforcement`` (``kernels.clearing_wish`` on the households' current state)."""
    p, hh = model.params, model.households
    return partial(clearing_wish, **_household_arguments(hh), enforcement=enforcement,
                   time_cost=clearing_time_cost(model), land_elasticity=p.farm_land_elasticity,
                   horizon=p.clearing_horizon, clearing_cost=p.clearing_cost, fine=p.clearing_fine,
                   propensity=p.clearing_propensity)


def starting_hurdle(model) -> np.ndarray:
    """Each node's clearing hurdle, backed out from the start (before any policy acts) so that
    its households, were nobody enforcing the forest law, would clear the declared
    ``frontier_clearing_rate`` share of its forest a year (:func:`frontier_hurdle`). The
    frontier's pull is declared without enforcement so that enforcement, fines and every
    policy move clearing from there rather than being absorbed into the hurdle.

    Only the households that would clear at the lowest hurdle searched are weighed: a
    household's wish falls as the hurdle rises, so the others wish 0 at every hurdle, and
    leaving out zeros leaves each node's sum as it is (about half the households, half the cost)."""
    forest = forest_by_node(model)
    wish = clearing_wishes(model, np.zeros(model.n_nodes))
    rows = np.flatnonzero(wish(hurdle=np.exp(np.full(model.n_nodes, np.log(MIN_HURDLE)))) != 0.0)
    households = {k: v[rows] for k, v in _household_arguments(model.households).items()}
    return frontier_hurdle(partial(clearing_wish_by_node, **{**wish.keywords, **households}, n_nodes=model.n_nodes),
                           model.params.frontier_clearing_rate * forest)


def frontier_hurdle(cleared_at, target: np.ndarray) -> np.ndarray:
    """Each node's clearing hurdle (gain per USD of cost a hectare must bring) at which its
    households want to clear ``target`` hectares this year (the declared frontier rate times
    its forest): the data's holdings are not where the clearing rule would rest (many
    households' land pays several times its clearing cost at the margin: tenure, distance to
    the forest edge and risk are costs the model does not see), so the hurdle sets the
    first year's clearing to the rate the scenario's ``[context]`` declares, and later years
    clear more or less as returns and costs move from there. ``cleared_at(hurdle=...)`` gives
    the hectares each node's households want (``kernels.clearing_wish_by_node``); bisection on the log hurdle (clearing falls as it rises)
    to the smallest hurdle at which a node clears no more than its target (0: the largest
    gain-to-cost ratio of its households, nobody clears at the start)."""
    n = target.size
    low, high = np.full(n, np.log(MIN_HURDLE)), np.full(n, np.log(MAX_HURDLE))
    for _ in range(HURDLE_BISECTIONS):
        mid = 0.5 * (low + high)
        cleared = cleared_at(hurdle=np.exp(mid))
        above = cleared > target
        low, high = np.where(above, mid, low), np.where(above, high, mid)
    return np.exp(high)


def clearing_time_cost(model) -> np.ndarray:
    """Value of the family time a hectare of clearing takes, by node (USD/ha): the
    ``clearing_labour`` person-years times the wage a new job seeker of the node expects
    (the best net wage in reach times the chance of being hired)."""
    from .labour import job_offers  # labour imports this module
    ft = model.firm_table
    expected_wage = job_offers(model, ft.vacancies * ft.alive).best_wage * model.job_finding
    return model.params.clearing_labour * expected_wage


def regrow_nature(model) -> None:
    """Each municipality's natural capital regrows toward the share of the area its
    households and estates do not farm that was forest at the start (``model.nature_ratio0``):
    the rest of that area (pasture, settlements, degraded land) stays as it is, so that the
    start is the regrowth's rest point and forest moves only with clearing and land left fallow."""
    farmland = farmland_by_node(model)
    for m in model.active_municipalities():
        m.regrow_nature(farmland[m.node], model.nature_ratio0[m.node])


def farmland_by_node(model) -> np.ndarray:
    """Land farmed by node (ha): the alive households' own farms and the estates."""
    hh = model.households
    return land_by_node(node=hh.node, alive=hh.alive, land=hh.land, n_nodes=model.n_nodes) + estates.land_by_node(model)


def nature_ratio(model) -> np.ndarray:
    """Natural capital over its capacity by node (1 for nodes without a municipality)."""
    ratio = np.ones(model.n_nodes)
    for m in model.active_municipalities():
        ratio[m.node] = m.natural_capital / m.capacity if m.capacity > 0 else 0.0
    return ratio


def give_up_land(model, rows: np.ndarray, seller: str = "households") -> None:
    """Households ``rows`` leave their node's land; it is sold, or what is not sold handed
    over, at the end of the year (:func:`hand_over`; ``land_market.give_up_land``)."""
    land_market.give_up_land(model, rows, seller)


def hand_over(model) -> None:
    """Land given up this year (by households that died out or moved away) is sold at the
    price that clears (``land_market.sell``); what finds no buyer passes to the node's
    remaining landholders in proportion to their holdings (kin and neighbours take it over),
    each hectare with the mean quality of the node's freed land (``land_market.add_land``).
    Where a node has no landholder left the land is abandoned and returns to natural
    capital capacity."""
    land_market.sell(model)
    # run every year, also when the sales left nothing over (then it changes nothing), so that
    # a run always compiles and caches the kernel and the next run's compile notice is right
    hh = model.households
    rows, gained = hand_over_land(freed=model.freed_land, node=hh.node, alive=hh.alive, land=hh.land)
    if rows.size:
        with np.errstate(invalid="ignore", divide="ignore"):
            quality = nan_to_num(model.freed_effective_land / model.freed_land)
        land_market.add_land(model, rows, gained, gained * quality[hh.node[rows]])
    model.freed_land[:] = 0.0
    model.freed_effective_land[:] = 0.0
