"""Compiled passes over households for the budgets of the year (``budgets``): land rents and
estate profits received (with the programme transfers by node), the cash on hand after
the wear of assets, then consumption and saving with the consumption's local
and food shares summed by node, in one loop (the rules of ``kernels._consumption`` and
``food.food_spending``), bit for bit the numpy results.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .exact import pairwise_sum, pairwise_sum_at
from .food import household_food_spending
from .kernels import _consumption, kernel


class Cash(NamedTuple):
    cash: np.ndarray                  # (households,) assets less their wear plus income (USD)
    upkeep: float                     # wear of the assets (USD/yr)


class Receipts(NamedTuple):
    transfers_by_node: np.ndarray     # (n_nodes,) programme transfers to alive households (USD/yr)
    rents_received: float            # rents received by households letting land (USD/yr)
    profits: float                   # estate profits paid to their owners (USD/yr)


class Spending(NamedTuple):
    local_demand_by_node: np.ndarray  # (n_nodes,) spending on local non-tradables (USD/yr)
    food_demand_by_node: np.ndarray   # (n_nodes,) food spending (USD/yr)
    total_spending: float             # all consumption (USD/yr)


@kernel(Cash)
def cash_on_hand(assets, income, depreciation, ids, ever):
    """Each household's cash: ``assets`` less their wear (``depreciation`` x assets) plus
    ``income``; and the total wear (summed over the rows as if none was dropped: ``ids`` the
    households' ids, ``ever`` the households ever made, ``exact.pairwise_sum_at``)."""
    n = assets.shape[0]
    upkeep = np.empty(n)
    cash = np.empty(n)
    for i in range(n):
        upkeep[i] = depreciation * assets[i]
        cash[i] = assets[i] - upkeep[i] + income[i]
    return cash, pairwise_sum_at(upkeep, ids, ever)


@kernel(Receipts)
def rents_and_profits(transfer_income, alive, node, rent, rented, owner, paid, other_income, income, ids, ever,
                      n_nodes):
    """The year's land rents and estate profits, in place on ``other_income`` and ``income``
    (USD/yr), in one pass with the programme transfers by node (``transfer_income`` of the
    alive households): a household renting ``rented`` effective ha pays its node's ``rent``
    (USD per effective ha; letting, ``rented`` < 0, it receives it), and the owner of an
    estate (``owner``, household rows) receives its ``paid`` profit (none added where there
    are no estates). Returns the transfers by node, the rents received (the positive ones'
    sum as numpy sums them) and the profits paid (summed over the rows as if none was
    dropped: ``ids``, ``ever``, ``exact.pairwise_sum_at``)."""
    n = node.shape[0]
    transfers = np.zeros(n_nodes)
    amount = np.zeros(n)
    for k in range(owner.shape[0]):  # as np.bincount(owner, paid): in the estates' order
        amount[owner[k]] += paid[k]
    received = np.empty(n)
    m = 0
    run = -1  # a run of one node's rows: its sum in a register (the same additions in row order)
    run_transfers = 0.0
    for i in range(n):
        g = node[i]
        if g != run:
            if run >= 0:
                transfers[run] = run_transfers
            run, run_transfers = g, transfers[g]
        run_transfers += transfer_income[i] * (1.0 if alive[i] else 0.0)
        net = -rent[g] * rented[i]
        other_income[i] += net
        if owner.shape[0] > 0:
            other_income[i] += amount[i]
        income[i] += net + amount[i]
        received[m] = net  # kept where positive (no jump on it: few households let land, in no order)
        m += net > 0
    if run >= 0:
        transfers[run] = run_transfers
    return transfers, pairwise_sum(received[:m]), pairwise_sum_at(amount, ids, ever)


@kernel(Spending)
def spend(income, cash, members, alive, node, local_share, subsistence_pc, consumption_share, food_budget_share,
          food_reference_pc, food_income_elasticity, n_nodes, consumption, assets):
    """Households consume (``kernels._consumption``) and save the rest, in place on
    ``consumption`` and ``assets`` (from ``cash``); their spending on local non-tradables (a
    ``local_share`` of consumption by node) and on food (``food.household_food_spending``)
    by node, and the total consumption."""
    local = np.zeros(n_nodes)
    food = np.zeros(n_nodes)
    total = 0.0
    run = -1  # a run of one node's rows: its sums in registers (the same additions in row order)
    run_local = run_food = 0.0
    for i in range(income.shape[0]):
        spent = 0.0
        if alive[i]:
            g = node[i]
            if g != run:
                if run >= 0:
                    local[run], food[run] = run_local, run_food
                run, run_local, run_food = g, local[g], food[g]
            spent = _consumption(income[i], cash[i], members[i], subsistence_pc, consumption_share)
            run_local += local_share[g] * spent
            total += spent
            if spent > 0:
                run_food += household_food_spending(spent, members[i], local_share[g], food_budget_share,
                                                    food_reference_pc, food_income_elasticity)
        consumption[i] = spent
        assets[i] = max(cash[i] - spent, 0.0)
    if run >= 0:
        local[run], food[run] = run_local, run_food
    return local, food, total
