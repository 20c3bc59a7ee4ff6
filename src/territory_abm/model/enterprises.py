"""Household non-farm enterprises: the trade, services and small-manufacturing micro firms
that households run on their own account (rural non-farm employment, Haggblade, Hazell and
Reardon 2010).

An enterprise is three household columns: ``enterprise_sales`` (output sold in its node,
USD/yr at the starting local price), ``enterprise_outside`` (output sold outside the
territory at a fixed price, USD/yr) and ``enterprise_capital`` (USD,
``enterprise_capital_output`` times all its sales). Its local sales go to its node's market
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
   probability ``enterprise_response`` (1 - p / p0) (its capital is written off); where the
   expected price is above p0, ``enterprise_response`` (p / p0 - 1) times
   the node's enterprises (at least one) open, among households without one whose savings
   cover a typical enterprise's capital (the node's median; no credit), which they buy
   outside the territory. At the start p = p0, so nothing enters or exits.

Which households run an enterprise at the start, and how large it is, is backed out from
their income by ``start.households``. In a household without a farm, the adults not in wage
jobs work in the enterprise and do not seek wage work (``labour.adults_in_labour_market``);
on a farm, the enterprise is run beside the farm and takes no adult from it (a
simplification).
"""

from __future__ import annotations

import numpy as np


def sales_for_income(params, income: np.ndarray) -> np.ndarray:
    """Sales (USD/yr at price 1) of an enterprise whose income after the wear of its capital
    is ``income``: income = sales - delta kappa sales."""
    return income / (1.0 - params.asset_depreciation * params.enterprise_capital_output)


def sell_outside(model, excess: np.ndarray) -> None:
    """Move ``excess`` (USD/yr by node) of the enterprises' local sales to sales outside the
    territory, in proportion to each enterprise's local sales (at the start)."""
    hh, n = model.households, model.n_nodes
    local = np.bincount(hh.node, hh.enterprise_sales * hh.alive, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        moved = np.nan_to_num(np.clip(excess / local, 0.0, 1.0))[hh.node] * hh.enterprise_sales
    hh.enterprise_outside = hh.enterprise_outside + moved
    hh.enterprise_sales = hh.enterprise_sales - moved


def planned_income(model) -> None:
    """Each household's enterprise income at the expected local price, net of the wear of its
    capital (sets ``households.enterprise_income``; records the wear)."""
    p, hh = model.params, model.households
    upkeep = p.asset_depreciation * hh.enterprise_capital * hh.alive
    outside = hh.enterprise_outside * hh.alive
    hh.enterprise_income = (model.expected_local_price[hh.node] * hh.enterprise_sales * hh.alive + outside - upkeep)
    model.ledger.record("households", "rest_of_world", "enterprise upkeep", upkeep.sum())
    model.ledger.record("rest_of_world", "households", "enterprise sales outside", outside.sum())


def supply(model) -> np.ndarray:
    """Output of the enterprises by node (USD/yr at price 1)."""
    hh = model.households
    return np.bincount(hh.node, hh.enterprise_sales * hh.alive, minlength=model.n_nodes)


def settle(model, price: np.ndarray) -> float:
    """Sales at the clearing ``price`` (by node; NaN where nothing is sold) replace the
    planned sales: the difference goes to savings and income. Returns the sales (USD/yr)."""
    hh = model.households
    sold = np.nan_to_num(price)[hh.node] * hh.enterprise_sales * hh.alive
    windfall = sold - model.expected_local_price[hh.node] * hh.enterprise_sales * hh.alive
    after = hh.assets + windfall
    # a loss beyond the household's savings is owed to suppliers outside and written off
    model.ledger.record("rest_of_world", "households", "enterprise losses written off", np.maximum(-after, 0.0).sum())
    hh.assets = np.maximum(after, 0.0)
    hh.enterprise_income = hh.enterprise_income + windfall
    hh.income = hh.income + windfall
    return float(sold.sum())


def turnover(model) -> None:
    """Exit where the expected local price (updated with this year's clearing price) is
    below its starting level and entry where it is above (the rule of the module docstring)."""
    p, hh, n = model.params, model.households, model.n_nodes
    rng = model.streams["enterprises"]
    owner = hh.alive & (hh.enterprise_capital > 0)
    reference = model.starting_local_price
    expected = model.expected_local_price
    close = owner & (rng.random(hh.n) < p.enterprise_response * np.maximum(1.0 - expected / reference, 0.0)[hh.node])
    hh.enterprise_sales = np.where(close, 0.0, hh.enterprise_sales)
    hh.enterprise_outside = np.where(close, 0.0, hh.enterprise_outside)
    hh.enterprise_capital = np.where(close, 0.0, hh.enterprise_capital)
    gap = np.maximum(expected / reference - 1.0, 0.0) * model.populated
    if not gap.any():
        return
    owners = np.bincount(hh.node, owner & ~close, minlength=n)
    typical = typical_sales(model, owner & ~close)
    capital = p.enterprise_capital_output * typical
    entrants = p.enterprise_response * gap * np.maximum(owners, 1)
    able = hh.alive & (hh.enterprise_capital == 0) & (hh.assets >= capital[hh.node]) & (typical[hh.node] > 0)
    counts = np.bincount(hh.node, able, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        chance = np.nan_to_num(np.minimum(entrants / counts, 1.0))
    enter = able & (rng.random(hh.n) < chance[hh.node])
    if not enter.any():
        return
    hh.enterprise_sales = np.where(enter, typical[hh.node], hh.enterprise_sales)
    hh.enterprise_capital = np.where(enter, capital[hh.node], hh.enterprise_capital)
    invested = np.where(enter, capital[hh.node], 0.0)
    hh.assets = hh.assets - invested
    model.ledger.record("households", "rest_of_world", "enterprise investment", invested.sum())


def typical_sales(model, owner: np.ndarray) -> np.ndarray:
    """Median sales of the ``owner`` households' enterprises by node; the territory's median
    where a node has none, 0 where the territory has none."""
    hh, n = model.households, model.n_nodes
    sales = hh.enterprise_sales
    overall = float(np.median(sales[owner])) if owner.any() else 0.0
    return np.array([np.median(sales[owner & (hh.node == g)]) if np.any(owner & (hh.node == g)) else overall
                     for g in range(n)])
