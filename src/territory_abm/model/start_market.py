"""The start's local goods market: what the starting households' consumption buys from local
sellers (firms not selling to dynamic markets, and non-farm enterprises) at price 1, the share
the enterprises sell outside the territory, the local spending shares and the local price
backed out from it (``TerritoryModel.__init__`` calls them after :mod:`.start` has made the
households and firms; ``start.local_sales_share`` weighs the same rule at turnover's rest).
"""

from __future__ import annotations

import numpy as np

from . import enterprises
from .firms import firm_output
from .kernels import bincount, consumption
from .markets import MAX_LOCAL_PRICE, clear_local_goods


def consumption_at(params, income: np.ndarray, dividends: np.ndarray, assets: np.ndarray,
                   members: np.ndarray) -> np.ndarray:
    """Consumption (USD/yr) of households of ``income`` (USD/yr, of which ``dividends``),
    ``assets`` (USD) and ``members`` by the rule of the year's budgets: from income before
    dividends (they arrive after consumption) and the cash left after the assets' upkeep."""
    p = params
    budget = income - dividends
    return consumption(income=budget, cash=assets * (1.0 - p.asset_depreciation) + budget, members=members,
                       subsistence_pc=p.subsistence_pc, consumption_share=p.consumption_share)


def local_room(params, spend: np.ndarray, firm_revenue: np.ndarray) -> np.ndarray:
    """Sales (USD/yr by node) the local market holds for enterprises at price 1: the
    ``max_local_spending_share`` of the node's consumption ``spend`` less the local firms'
    revenue ``firm_revenue`` (at least 0)."""
    return np.maximum(params.max_local_spending_share * spend - firm_revenue, 0.0)


def enterprises_outside(model, spend: np.ndarray) -> None:
    """Where the starting local sellers (firms and enterprises) would sell more at price 1
    than ``max_local_spending_share`` of the node's consumption ``spend`` buys, the
    enterprises sell the excess outside the territory (``enterprises.sell_outside``), so
    that the local market clears at price 1. At turnover's rest they sell outside at least
    the part the start's jobs were drawn at (``model.start_local_share``, ``start.local_sales_share``):
    their adults weigh only the local part, which is what the run weighs."""
    p, hh, ft, n = model.params, model.households, model.firm_table, model.n_nodes
    node_spend = bincount(hh.node, spend * hh.alive, minlength=n)
    firms_local = ft.alive & ~ft.dynamic
    revenue = np.bincount(ft.node, ft.wage * ft.labour * firms_local, minlength=n) / p.firm_labour_elasticity
    supply = enterprises.supply(model)
    excess = supply - local_room(p, node_spend, revenue)
    if model.start_local_share is not None:
        excess = np.maximum(excess, (1.0 - model.start_local_share) * supply)
    enterprises.sell_outside(model, excess)


def local_spending_shares(model, spend: np.ndarray) -> np.ndarray:
    """Share of consumption each node's households spend on local non-tradables, backed
    out from the start: the share at which residents' spending buys the starting output
    of local sellers at price 1, i.e. pays their wages and the required return on their
    capital (revenue w L / beta at the firm optimum). Capped at ``max_local_spending_share``
    (above it the local price falls and sellers shrink); nodes without local sellers get
    the consumption-weighted mean of the others, so that entrants can find demand."""
    p, hh, ft, n = model.params, model.households, model.firm_table, model.n_nodes
    node_spend = bincount(hh.node, spend * hh.alive, minlength=n)
    local = ft.alive & ~ft.dynamic
    revenue = np.bincount(ft.node, ft.wage * ft.labour * local, minlength=n) / p.firm_labour_elasticity
    revenue += enterprises.supply(model)
    has = (revenue > 0) & (node_spend > 0)
    share = np.zeros(n)
    share[has] = np.minimum(revenue[has] / node_spend[has], p.max_local_spending_share)
    fallback = float(np.average(share[has], weights=node_spend[has])) if has.any() else 0.5 * p.max_local_spending_share
    return np.where(has, share, fallback)


def local_price(model, spend: np.ndarray) -> np.ndarray:
    """Local price index at which the starting local spending buys the starting output of
    local sellers (1 unless a node's share hit its cap); 1 where a node has no local
    sellers. Local sellers plan with it from the first year."""
    p, hh, ft, n = model.params, model.households, model.firm_table, model.n_nodes
    demand = bincount(hh.node, model.local_spending_share[hh.node] * spend * hh.alive, minlength=n)
    output = firm_output(ft.tfp, ft.capital, ft.labour, p.firm_labour_elasticity, p.firm_capital_elasticity)
    supply = np.bincount(ft.node, output * (ft.alive & ~ft.dynamic), minlength=n) + enterprises.supply(model)
    price, _ = clear_local_goods(demand, supply, MAX_LOCAL_PRICE)
    return np.where(np.isnan(price), 1.0, np.maximum(price, 1.0 / MAX_LOCAL_PRICE))
