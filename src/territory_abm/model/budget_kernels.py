"""Compiled pass over households for the budgets of the year (``budgets``): households
consume and save, and their consumption's local and food shares are summed by node, in
one loop (the rules of ``kernels.consume`` and ``food.food_spending``, bit for bit).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .food import household_food_spending
from .kernels import _consumption, kernel


class Spending(NamedTuple):
    local_demand_by_node: np.ndarray  # (n_nodes,) spending on local non-tradables (USD/yr)
    food_demand_by_node: np.ndarray   # (n_nodes,) food spending (USD/yr)
    total_spending: float             # all consumption (USD/yr)


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
    for i in range(income.shape[0]):
        spent = 0.0
        if alive[i]:
            g = node[i]
            spent = _consumption(income[i], cash[i], members[i], subsistence_pc, consumption_share)
            local[g] += local_share[g] * spent
            total += spent
            if spent > 0:
                food[g] += household_food_spending(spent, members[i], local_share[g], food_budget_share,
                                                   food_reference_pc, food_income_elasticity)
        consumption[i] = spent
        assets[i] = max(cash[i] - spent, 0.0)
    return local, food, total
