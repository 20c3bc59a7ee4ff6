"""Household non-farm enterprises: the trade, services and small-manufacturing micro firms
that households run on their own account (rural non-farm employment, Haggblade, Hazell and
Reardon 2010).

An enterprise is household columns: ``enterprise_sales`` (output sold in its node, USD/yr at
the starting local price), ``enterprise_outside`` (output sold outside the territory at a
fixed price, USD/yr), ``enterprise_capital`` (USD, ``enterprise_capital_output`` times its
starting sales) and ``enterprise_scale``. In a household without a farm, the adults not in
wage jobs, L, work in the enterprise, whose local sales are scale (1 + L)^e
(``enterprise_labour_elasticity``; as family labour on the farm); on a farm, the enterprise
is run beside the farm and its sales are its scale. Its local sales go to its node's market
for local non-tradables, which it shares with the local firms at one clearing price
(``firms.accounts``). Sales outside arise only at the start, where the tables' non-farm
income is more than local spending can buy (a town's trade and services sold to its
hinterland and travellers; small manufacturing); they stay as they are. Each year:

1. :func:`planned_income`: the household plans with local sales at the expected local
   price and its sales outside, less the capital's wear (``asset_depreciation``, bought
   outside the territory); this is part of the income it consumes from, as farm income is;
2. :func:`settle`: when the local market has cleared, the difference between sales at the
   clearing price and the planned sales is added to (or taken from) the household's savings;
3. :func:`turnover`: entry and exit move the number of enterprises toward the level at which
   the local price is back at its starting level p0 (1 unless the start's local spending
   share hit its cap): where the expected price p (adaptive, updated with this year's
   clearing price) is below p0, each enterprise closes with
   probability ``enterprise_response`` (1 - p / p0) (its capital is sold outside the
   territory at its value, into the household's savings); where the
   expected price is above p0, ``enterprise_response`` (p / p0 - 1) times
   the node's enterprises (at least one) open, among households without one whose savings
   cover a typical enterprise's capital (the node's mean scale, or where it has none one
   scaled to its households' income, times ``enterprise_capital_output``; no credit), which
   they buy
   outside the territory. At the start p = p0, so nothing enters or exits. Households
   without a livelihood of their own (no farm, wage job or enterprise) may also open an
   enterprise by comparing it with their adults' expected wages (:func:`open_own_account`,
   ``own_account_entry``), which closes at ``own_account_exit`` a year
   (:func:`close_own_account`; docs/model_choices.md, 'Own-account enterprises that close');
   what closing enterprises sold outside the territory may pass to their node's others
   (:func:`pass_on_outside_sales`, ``outside_sales_pass_on``; docs/model_choices.md, 'A
   livelihood for households formed in the run'), or wait for the node's entrants
   (:func:`place_with_entrants`, ``outside_sales_to_entrants``, ``outside_sales_entrant_cap``)
   and draw entry (:func:`open_for_customers`, ``outside_sales_entry``); an enterprise's sales
   outside may shelter it from the price rule's closures (``enterprise_exit_outside_shelter``,
   off by default; docs/model_choices.md, 'Where a closed enterprise's customers outside go').
   The defaults of these rules are in the registry (``territory-abm parameters``).

Which households run an enterprise at the start, and how large it is, is backed out from
their income by ``start.households``. The adults of a household without a farm weigh work in
its enterprise against wage work as a farm's do (``labour.own_work_revenue``); on a farm the
enterprise takes no adult from the farm (a simplification).
"""

from __future__ import annotations

import numpy as np

from .enterprise_kernels import (OwnerTotals, add_by_node, closing_candidates, first_at_random, node_sales,
                                 node_sums_where, opening_candidates, owner_totals, plan_income, running_totals,
                                 settle_sales)
from .estates import owners
from .exact import nan_to_num
from .kernels import bincount


OUTSIDE_TOLERANCE = 1e-9
"""Share of a node's sales outside the territory below which what is missing is float residue
and is not passed on or placed (``pass_on_outside_sales``, ``place_with_entrants``,
``open_for_customers``)."""
MIN_LOT_SHARE = 0.1
"""A lot of customers outside that draws an entrant (``open_for_customers``) is at least this
share of a typical enterprise's sales outside at the territory's rate per unit of scale, so that
a node whose other enterprises sell little outside does not draw an entrant per crumb."""


def sales_for_income(params, income: np.ndarray) -> np.ndarray:
    """Sales (USD/yr at price 1) of an enterprise whose income after the wear of its capital
    is ``income``: income = sales - delta kappa sales."""
    return income / (1.0 - params.asset_depreciation * params.enterprise_capital_output)


def adults_in_enterprise(tfp: np.ndarray, adults: np.ndarray, employed: np.ndarray) -> np.ndarray:
    """L, the adults working in each household's enterprise (``plan_income``'s rule): its adults
    not in wage jobs if it has no farm (``tfp`` 0), none beside a farm."""
    return np.where(tfp > 0, 0, np.maximum(adults - employed, 0))


def labour_power(model) -> np.ndarray:
    """(1 + L)^e for L = 0 .. the most adults in a household (``enterprise_labour_elasticity``
    e): the labour factor of an enterprise with L adults in it."""
    most = int(model.households.adults.max(initial=0))
    return np.power(1.0 + np.arange(most + 1), model.params.enterprise_labour_elasticity)


def sell_outside(model, excess: np.ndarray) -> None:
    """Move ``excess`` (USD/yr by node) of the enterprises' local sales to sales outside the
    territory, in proportion to each enterprise's local sales (at the start)."""
    hh, n = model.households, model.n_nodes
    local = np.bincount(hh.node, hh.enterprise_sales * hh.alive, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        kept = 1.0 - nan_to_num(np.clip(excess / local, 0.0, 1.0))[hh.node]
    hh.enterprise_outside = hh.enterprise_outside + (1.0 - kept) * hh.enterprise_sales
    hh.enterprise_sales = kept * hh.enterprise_sales
    hh.enterprise_scale = kept * hh.enterprise_scale


def planned_income(model) -> None:
    """Each household's enterprise sales with this year's labour (scale (1 + L)^e, L its
    adults not in wage jobs if it has no farm, 0 if it farms), and its income at the
    expected local price, net of the wear of its capital (sets ``households.enterprise_sales``
    and ``enterprise_income``; records the wear)."""
    p, hh = model.params, model.households
    pass_on_outside_sales(model)
    totals = plan_income(scale=hh.enterprise_scale, tfp=hh.tfp, adults=hh.adults, employed=hh.employed,
                         alive=hh.alive, capital=hh.enterprise_capital, outside=hh.enterprise_outside, node=hh.node,
                         expected_price=model.expected_local_price, labour_power=labour_power(model),
                         depreciation=p.asset_depreciation, sales=hh.enterprise_sales, income=hh.enterprise_income,
                         ids=hh.id, ever=hh.ever)
    model.ledger.record("households", "rest_of_world", "enterprise upkeep", totals.upkeep)
    model.ledger.record("rest_of_world", "households", "enterprise sales outside", totals.outside)


def outside_sales(model) -> np.ndarray:
    """Sales outside the territory of the enterprises by node (USD/yr)."""
    hh = model.households
    return node_sales(sales=hh.enterprise_outside, alive=hh.alive, node=hh.node, n_nodes=model.n_nodes)


def pass_on_outside_sales(model) -> None:
    """Of what a node's enterprises that closed, or whose households died out or left the
    territory, sold outside the territory since the last pass-on (``model.outside_held``, what
    the node's enterprises sold outside after it, less what they sell now; None while the share
    is 0), ``outside_sales_pass_on`` passes to the node's other enterprises in proportion to
    their scale to the power ``outside_sales_pass_on_scale`` (1: to their scale; 0: equally),
    less the share ``outside_sales_to_entrants`` that waits for the node's entrants
    (:func:`collect_outside_losses`, :func:`place_with_entrants`); the rest is lost. A
    household that moves whole inside the territory leaves that share at its node too and takes
    the rest with its enterprise (booked by ``migration.migrate``). Where a node has no
    enterprise, what is to pass waits for one (``model.outside_waiting``). 0, the default, keeps
    the rule before session 23: an enterprise's sales outside go with it (1: the stationary run's
    20-year income change +60 USD (sd 17) instead of -16: it stops the closures' loss of 15 % of
    the sales outside, which offsets the enterprises' growing labour; docs/model_choices.md, 'A
    livelihood for households formed in the run')."""
    share, hh, n = model.params.outside_sales_pass_on, model.households, model.n_nodes
    if share <= 0:  # nothing kept (a sum over the households a year saved); a share set later starts afresh
        model.outside_held = None
        return
    now = outside_sales(model)
    if model.outside_held is None:  # switched on since the last pass-on: from what the nodes sell now
        model.outside_held, model.outside_waiting = now, np.zeros(n)
        model.outside_for_entrants = np.zeros(n)
    if model.params.outside_sales_to_entrants <= 0 and model.outside_for_entrants.any():
        # switched off since: what waited for entrants goes to the running ones
        model.outside_waiting = model.outside_waiting + model.outside_for_entrants
        model.outside_for_entrants = np.zeros(n)
    collect_outside_losses(model, now)  # the entrants' share waits for them (``place_with_entrants``)
    pending = model.outside_waiting
    running = hh.alive & (hh.enterprise_capital > 0)
    power = model.params.outside_sales_pass_on_scale  # customers choose by scale^power (1: in proportion)
    weight = hh.enterprise_scale if power == 1 else np.power(hh.enterprise_scale, power)
    scale = node_sums_where(values=weight, where=running, node=hh.node, n_nodes=n)
    placed = np.where((scale > 0) & (pending > OUTSIDE_TOLERANCE * np.maximum(now, 1.0)), pending, 0.0)
    if placed.any():
        with np.errstate(invalid="ignore", divide="ignore"):
            per_scale = nan_to_num(placed / scale)
        add_by_node(column=hh.enterprise_outside, per_node=per_scale, node=hh.node, weight=weight, where=running)
    model.outside_waiting = pending - placed
    model.outside_held = now + placed


def move_outside_sales(model, rows: np.ndarray, dest: np.ndarray) -> None:
    """Households ``rows`` move whole to nodes ``dest`` inside the territory: their enterprises'
    sales outside the territory stay, in the share ``outside_sales_pass_on``, with their node's
    other enterprises (passed on at the next :func:`pass_on_outside_sales`), and the rest goes
    with them. Call before their node changes."""
    share = model.params.outside_sales_pass_on
    if share <= 0 or rows.size == 0 or model.outside_held is None:
        return
    hh, n = model.households, model.n_nodes
    sold = hh.enterprise_outside[rows] * hh.alive[rows]
    origin = hh.node[rows]
    model.outside_held = (model.outside_held - np.bincount(origin, sold, minlength=n)
                          + np.bincount(dest, (1.0 - share) * sold, minlength=n))
    hold_freed(model, np.bincount(origin, share * sold, minlength=n))
    hh.enterprise_outside[rows] = (1.0 - share) * hh.enterprise_outside[rows]


def collect_outside_losses(model, now: np.ndarray) -> None:
    """What the node's enterprises sold outside the territory at the last collection or
    pass-on (``model.outside_held``) less what they sell ``now`` (by node), times
    ``outside_sales_pass_on``: the share ``outside_sales_to_entrants`` of it joins what waits
    for the node's entrants (``model.outside_for_entrants``), the rest what waits for its
    running enterprises (``model.outside_waiting``); the sales held are then ``now``."""
    hold_freed(model, model.params.outside_sales_pass_on * np.maximum(model.outside_held - now, 0.0))
    model.outside_held = now


def hold_freed(model, freed: np.ndarray) -> None:
    """Customers outside ``freed`` at each node (USD/yr) wait there: the share
    ``outside_sales_to_entrants`` for the node's entrants (``model.outside_for_entrants``), the
    rest for its running enterprises (``model.outside_waiting``)."""
    to_entrants = model.params.outside_sales_to_entrants
    model.outside_waiting = model.outside_waiting + (1.0 - to_entrants) * freed
    model.outside_for_entrants = model.outside_for_entrants + to_entrants * freed


def place_with_entrants(model, entrants: np.ndarray, closed: np.ndarray | None = None) -> None:
    """The customers outside waiting at each node for an entrant (``outside_sales_to_entrants``;
    with this year's closures collected first) go to this year's entrants by the price rule and
    own-account entry (``entrants``, a mask of households) in proportion to their scale; first,
    at ``outside_sales_entry`` > 0, lots of a typical enterprise's sales outside that wait draw
    entrants of their own, each taking one lot (:func:`open_for_customers`; not the households
    whose enterprise ``closed`` this year, rows). What no entrant takes waits at
    the node."""
    if model.outside_held is None:
        return
    hh, n = model.households, model.n_nodes
    collect_outside_losses(model, outside_sales(model))
    if model.params.outside_sales_entry > 0:
        open_for_customers(model, closed)
    new = entrants & hh.alive & (hh.enterprise_capital > 0)
    weight = np.where(new, hh.enterprise_scale, 0.0)
    scale = bincount(hh.node, weight, minlength=n)
    pool = model.outside_for_entrants
    placed = np.where((scale > 0) & (pool > OUTSIDE_TOLERANCE * np.maximum(model.outside_held, 1.0)), pool, 0.0)
    if placed.any():
        with np.errstate(invalid="ignore", divide="ignore"):
            per_scale = nan_to_num(placed / scale)
        cap = model.params.outside_sales_entrant_cap
        if cap > 0:  # at most cap times what the node's other enterprises sell outside per unit of scale
            others = hh.alive & (hh.enterprise_capital > 0) & ~new
            with np.errstate(invalid="ignore", divide="ignore"):
                usual = nan_to_num(np.bincount(hh.node, hh.enterprise_outside * others, minlength=n)
                                   / np.bincount(hh.node, hh.enterprise_scale * others, minlength=n))
            per_scale = np.where(usual > 0, np.minimum(per_scale, cap * usual), per_scale)
            placed = per_scale * scale
        add_by_node(column=hh.enterprise_outside, per_node=per_scale, node=hh.node, weight=weight,
                    where=np.zeros(0, bool))
    model.outside_for_entrants = np.maximum(pool - placed, 0.0)
    model.outside_held = model.outside_held + placed


def open_for_customers(model, closed: np.ndarray | None = None) -> None:
    """Customers outside waiting for an entrant draw entry (``outside_sales_entry`` e). A lot is
    what a typical enterprise of the node (``typical_scale``) sells outside at the node's rate
    per unit of scale (its running enterprises' sales outside over their scale; the territory's
    where the node's sell nothing outside or it has none), and at least ``MIN_LOT_SHARE`` of a
    typical enterprise's at the territory's rate. Where W waits at a node, e W / lot households
    (rounded at random to a whole number, a draw per node where something waits) without an
    enterprise whose savings cover a typical enterprise's capital (``open_where_dear``'s
    candidates; not those whose enterprise ``closed`` this year, rows), drawn at
    random (the "enterprises" stream), open one of the node's typical scale, buying its capital
    outside the territory, and each takes a lot from W (all share W where their lots exceed it)."""
    p, hh, n = model.params, model.households, model.n_nodes
    pool = model.outside_for_entrants
    waiting = pool > OUTSIDE_TOLERANCE * np.maximum(model.outside_held, 1.0)
    if not waiting.any():
        return
    rng = model.streams["enterprises"]
    totals = node_owner_totals(model)
    typical = typical_scale(model, totals)
    sold, scale = running_totals(alive=hh.alive, capital=hh.enterprise_capital, outside=hh.enterprise_outside,
                                 scale=hh.enterprise_scale, node=hh.node, n_nodes=n)
    overall = sold.sum() / scale.sum() if scale.sum() > 0 else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(sold > 0, nan_to_num(sold / scale), overall)
        lot = typical * np.maximum(rate, MIN_LOT_SHARE * overall)
        expected = np.where(waiting & (lot > 0), p.outside_sales_entry * nan_to_num(pool / lot), 0.0)
    u = np.ones(n)
    u[waiting] = rng.random(int(waiting.sum()))
    wanted = np.floor(expected + u * (expected > 0))
    if not (wanted >= 1).any():
        return
    capital = p.enterprise_capital_output * typical
    able = opening_candidates(alive=hh.alive, capital=hh.enterprise_capital, assets=hh.assets, node=hh.node,
                              rise=wanted, typical=typical, price=capital)
    rows = able.rows
    if closed is not None and closed.size:
        shut = np.zeros(hh.n, bool)
        shut[closed] = True
        rows = rows[~shut[rows]]  # as own-account entry: not in the year the price rule closed it
    if rows.size == 0:
        return
    # by node, at random within it, the first ``wanted`` of each node
    rows = first_at_random(rows=rows, group=hh.node[rows], keys=rng.random(rows.size), wanted=wanted, n_groups=n)
    g = hh.node[rows]
    entrants = np.bincount(g, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        each = np.minimum(lot, nan_to_num(pool / entrants))  # the last lots share what is left
    hh.enterprise_scale[rows] = typical[g]
    hh.enterprise_capital[rows] = capital[g]
    hh.enterprise_own_account[rows] = False
    hh.assets[rows] -= capital[g]
    hh.enterprise_outside[rows] = hh.enterprise_outside[rows] + each[g]
    model.ledger.record("households", "rest_of_world", "enterprise investment", capital[g].sum())
    taken = entrants * each
    model.outside_for_entrants = np.maximum(pool - taken, 0.0)
    model.outside_held = model.outside_held + taken


def supply(model) -> np.ndarray:
    """Output of the enterprises by node (USD/yr at price 1)."""
    hh = model.households
    return node_sales(sales=hh.enterprise_sales, alive=hh.alive, node=hh.node, n_nodes=model.n_nodes)


def settle(model, price: np.ndarray) -> float:
    """Sales at the clearing ``price`` (by node; NaN where nothing is sold) replace the
    planned sales: the difference goes to savings and income. Returns the sales (USD/yr)."""
    hh = model.households
    settled = settle_sales(price=nan_to_num(price), expected_price=model.expected_local_price,
                           sales=hh.enterprise_sales, alive=hh.alive, node=hh.node, assets=hh.assets,
                           enterprise_income=hh.enterprise_income, income=hh.income, ids=hh.id, ever=hh.ever)
    # a loss beyond the household's savings is owed to suppliers outside and written off
    model.ledger.record("rest_of_world", "households", "enterprise losses written off", settled.written_off)
    return float(settled.sold)


def turnover(model) -> None:
    """Own-account enterprises' closures (:func:`close_own_account`), then exit where the
    expected local price (updated with this year's clearing price) is below its starting level
    and entry where it is above (the rule of the module docstring), then own-account entry and
    the entrants' customers outside. The price rule draws only where a node's price is off its
    starting level."""
    p, hh = model.params, model.households
    rng = model.streams["enterprises"]
    ratio = model.expected_local_price / model.start_local_price
    fall = p.enterprise_response * np.maximum(1.0 - ratio, 0.0) * model.populated
    rows = close_own_account(model)
    if fall.any():
        shut = closing_candidates(alive=hh.alive, capital=hh.enterprise_capital, node=hh.node, fall=fall)
        chance = fall[hh.node[shut]]
        if p.enterprise_exit_outside_shelter > 0:  # sales outside do not depend on the local price
            chance = chance * (1.0 - p.enterprise_exit_outside_shelter * outside_share(model, shut))
        shut = shut[rng.random(shut.size) < chance]
        close(model, shut)
        rows = np.concatenate([rows, shut])
    rise = p.enterprise_response * np.maximum(ratio - 1.0, 0.0) * model.populated
    to_entrants = p.outside_sales_pass_on > 0 and p.outside_sales_to_entrants > 0
    if to_entrants:
        ran = hh.enterprise_capital > 0  # before this year's entry
    if rise.any():
        open_where_dear(model, rise, closed=rows)
    if p.own_account_entry > 0:
        open_own_account(model, closed=rows)
    if to_entrants:
        place_with_entrants(model, (hh.enterprise_capital > 0) & ~ran, closed=rows)


def close(model, rows: np.ndarray) -> None:
    """The enterprises of households ``rows`` close: their capital is sold, at its value,
    outside the territory into the households' savings."""
    hh = model.households
    hh.assets[rows] += hh.enterprise_capital[rows]
    model.ledger.record("rest_of_world", "households", "enterprise capital sold", hh.enterprise_capital[rows].sum())
    hh.enterprise_sales[rows] = hh.enterprise_outside[rows] = hh.enterprise_capital[rows] = 0.0
    hh.enterprise_scale[rows] = 0.0
    hh.enterprise_own_account[rows] = False


def close_own_account(model) -> np.ndarray:
    """Each enterprise opened by own-account entry (``enterprise_own_account``) closes with
    chance ``own_account_exit`` (a draw each, from the "enterprises" stream; none at 0).
    Returns the rows closed."""
    p, hh = model.params, model.households
    if p.own_account_exit <= 0:
        return np.zeros(0, np.int64)
    rows = np.flatnonzero(hh.enterprise_own_account & hh.alive & (hh.enterprise_capital > 0))
    rows = rows[model.streams["enterprises"].random(rows.size) < p.own_account_exit]
    close(model, rows)
    return rows


def outside_share(model, rows: np.ndarray) -> np.ndarray:
    """The share of the enterprises' (``rows``) sales, local (at the starting price) and
    outside the territory, that they sell outside (0 where they sell nothing)."""
    hh = model.households
    outside, total = hh.enterprise_outside[rows], hh.enterprise_outside[rows] + hh.enterprise_sales[rows]
    with np.errstate(invalid="ignore", divide="ignore"):
        return nan_to_num(outside / total)


def open_where_dear(model, rise: np.ndarray, closed: np.ndarray | None = None) -> None:
    """``rise`` (by node) times the node's enterprises (at least one) open among the
    households without one whose savings cover a typical enterprise's capital (the price
    rule of the module docstring), not those whose enterprise ``closed`` this year (rows)."""
    p, hh = model.params, model.households
    rng = model.streams["enterprises"]
    totals = node_owner_totals(model)
    typical = typical_scale(model, totals)
    capital = p.enterprise_capital_output * typical
    able = opening_candidates(alive=hh.alive, capital=hh.enterprise_capital, assets=hh.assets, node=hh.node,
                              rise=rise, typical=typical, price=capital)
    with np.errstate(invalid="ignore", divide="ignore"):
        chance = nan_to_num(np.minimum(rise * np.maximum(totals.owners, 1) / able.by_node, 1.0))
    enter = able.rows[rng.random(able.rows.size) < chance[hh.node[able.rows]]]
    if closed is not None and closed.size:
        enter = enter[~np.isin(enter, closed)]
    g = hh.node[enter]
    hh.enterprise_scale[enter] = typical[g]
    hh.enterprise_capital[enter] = capital[g]
    hh.enterprise_own_account[enter] = False
    hh.assets[enter] -= capital[g]
    model.ledger.record("households", "rest_of_world", "enterprise investment", capital[g].sum())


def node_owner_totals(model) -> OwnerTotals:
    """This year's sums over the alive households by node that :func:`typical_scale` reads
    (``enterprise_kernels.owner_totals``)."""
    hh = model.households
    return owner_totals(alive=hh.alive, capital=hh.enterprise_capital, scale=hh.enterprise_scale,
                        income=hh.income, node=hh.node, n_nodes=model.n_nodes)


def typical_scale(model, totals: OwnerTotals) -> np.ndarray:
    """Mean scale of the enterprises by node (``totals``: sums over the alive households by
    node, ``enterprise_kernels.owner_totals``); where a node has none, its mean household
    income times the territory's owners' scale per USD of their income (0 where the
    territory has no enterprise)."""
    hh = model.households
    count, total = totals.owners, totals.scale
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_income = nan_to_num(totals.income / totals.households)
        per_owner = total / count
    if ((count <= 0) & (mean_income != 0)).any():  # only then does the scale per USD of income matter
        owner = hh.alive & (hh.enterprise_capital > 0)
        per_income = total.sum() / max(float(hh.total(hh.income * owner)), 1e-9)
        return np.where(count > 0, per_owner, per_income * mean_income)
    return np.where(count > 0, per_owner, 0.0)


def without_livelihood(model) -> np.ndarray:
    """Households with adults but no livelihood of their own: no farm, no wage job, no
    enterprise, no estate."""
    hh = model.households
    return (hh.alive & (hh.adults > 0) & (hh.tfp <= 0) & (hh.employed <= 0) & (hh.enterprise_capital <= 0)
            & ~owners(model))


def own_account_pays(params, scale, power, price, adults, skill, best_wage, chance, weight) -> np.ndarray:
    """Where an own-account enterprise of ``scale`` pays its household (the rule of
    :func:`open_own_account`, and of the start's stock, ``start.own_account_at_rest``): its
    income at the local ``price`` with all the household's ``adults`` L in it, scale (price
    ``power`` - delta kappa) with ``power`` (1 + L)^e, above the wage they expect, L x ``skill`` x
    the ``best_wage`` per skill unit reachable x the chance of being hired of a new seeker of
    hiring ``weight`` w where one of weight 1 has ``chance`` c (``kernels._hire_chance``: c w /
    (1 - c + c w), 1 where c >= 1; NaN, no chance known: it does not pay)."""
    income = scale * (price * power - params.asset_depreciation * params.enterprise_capital_output)
    with np.errstate(invalid="ignore"):
        hired = np.where(chance >= 1.0, 1.0, chance * weight / (1.0 - chance + chance * weight))
    return (scale > 0) & (income > adults * skill * best_wage * hired)


def open_own_account(model, closed: np.ndarray | None = None) -> None:
    """Households without a livelihood of their own (:func:`without_livelihood`) open an
    own-account enterprise where one they can pay for from their savings earns more than
    their adults expect from seeking wage work, at ``own_account_entry`` a year (a draw per
    household). The enterprise is of ``own_account_scale`` times the node's typical scale or,
    where the savings do not cover its capital, of the scale they do (no credit): its income at the expected local
    price with all the household's adults in it, p S (1 + L)^e less the wear of its capital,
    is weighed against L times the household's skill, the best wage per skill unit net of
    commuting reachable from its node and its chance of being hired as a new seeker (the job
    rule's expected wage, ``labour_kernels.seek_work``). The capital is bought outside the
    territory. Households whose enterprise closed this year (``closed``, rows: by the price rule
    or :func:`close_own_account`) do not open one again in the same year. Such an enterprise
    closes at ``own_account_exit`` a year (:func:`close_own_account`)."""
    from .labour import hiring_weight, skill

    p, hh = model.params, model.households
    rng = model.streams["enterprises"]
    able = without_livelihood(model) & (hh.assets > 0)
    if closed is not None:
        able[closed] = False
    rows = np.flatnonzero(able)
    rows = rows[rng.random(rows.size) < p.own_account_entry]
    if rows.size == 0:
        return
    g = hh.node[rows]
    kappa = p.enterprise_capital_output
    scale = np.minimum(p.own_account_scale * typical_scale(model, node_owner_totals(model))[g], hh.assets[rows] / kappa)
    adults = hh.adults[rows]
    enter = own_account_pays(p, scale=scale, power=labour_power(model)[adults], price=model.expected_local_price[g],
                             adults=adults, skill=skill(model, rows), best_wage=model.best_wage[g],
                             chance=model.job_finding[g], weight=hiring_weight(model, rows))
    rows, scale = rows[enter], scale[enter]
    hh.enterprise_scale[rows] = scale
    hh.enterprise_capital[rows] = kappa * scale
    hh.enterprise_own_account[rows] = True
    hh.assets[rows] -= kappa * scale
    model.ledger.record("households", "rest_of_world", "enterprise investment", (kappa * scale).sum())
