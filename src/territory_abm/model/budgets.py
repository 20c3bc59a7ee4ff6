"""Household budgets of a year: transfers, remittances, local public spending and dividends
arrive; households pay asset upkeep and programme loans, consume and save.

Consumption is subsistence first, then a share of what is left (``kernels._consumption``,
summed in one pass with its shares by ``budget_kernels.spend``); the local share of it buys
from the node's local sellers and becomes this year's local demand
(``model.flows.local_demand``), which the firm phase clears; their food spending clears the
local food markets at once (``food.food_market``: farm households' local sales are settled
at the year's prices).
"""

from __future__ import annotations

import numpy as np

from . import context, enterprises, estates, food, land_market, migration
from .budget_kernels import cash_on_hand, rents_and_profits, spend
from .kernels import household_receipts


def household_budgets(model) -> None:
    """Transfers, remittances and local spending arrive; households consume and save."""
    p, hh, n = model.params, model.households, model.n_nodes
    node, alive = hh.node, hh.alive
    # no child attends school for a programme's condition yet this year (``levers.meet_school_condition``);
    # the national programme pays first, before the scenario's own (``context.national_cash_transfers``)
    model.school_attending = np.zeros(hh.n, bool)
    national = context.national_cash_transfers(model)
    programmes = model.policies.pay_households(model.year)
    hh.transfer_income = programmes + national
    enterprises.planned_income(model)
    receipts = household_receipts(
        alive=alive, adults=hh.adults, node=node, public_local=model.flows.public_local + model.flows.national_local,
        remits_to=hh.remits_to, ids=hh.id, farm_income=hh.farm_income, wage_income=hh.wage_income,
        enterprise_income=hh.enterprise_income, transfer_income=hh.transfer_income,
        migrants_abroad=hh.migrants_abroad, remittance_propensity=p.remittance_propensity,
        remittance_abroad=migration.remittance_per_migrant_abroad(model), n_nodes=n)
    hh.other_income, hh.remittance_income = receipts.other_income, receipts.net_remittances
    income, model.flows.remittances = receipts.income, receipts.remittances_by_node
    rent, to_estates = land_market.collect_rents(model)
    owners, to_owners, abroad = estates.pay_owners(model)  # last year's estate profits
    paid = rents_and_profits(transfer_income=programmes, alive=alive, node=node, rent=rent, rented=hh.rented,
                             owner=owners, paid=to_owners, other_income=hh.other_income, income=income, ids=hh.id,
                             ever=hh.ever, n_nodes=n)
    model.flows.programme_transfers = paid.transfers_by_node
    model.ledger.record("households", "households", "land rents", paid.rents_received)
    model.ledger.record("households", "firms", "land rents", to_estates)
    if abroad is not None:
        model.ledger.record("firms", "households", "estate profits", paid.profits)
        model.ledger.record("firms", "rest_of_world", "estate profits abroad", abroad)
    if receipts.internal_remittances:
        model.ledger.record("households", "households", "internal remittances", receipts.internal_remittances)
    model.ledger.record("rest_of_world", "households", "remittances from abroad", receipts.remittances_from_abroad)
    on_hand = cash_on_hand(assets=hh.assets, income=income, depreciation=p.asset_depreciation, ids=hh.id, ever=hh.ever)
    model.ledger.record("households", "rest_of_world", "asset upkeep", on_hand.upkeep)
    cash = on_hand.cash
    cash -= model.policies.collect_repayments(cash)
    spent = spend(income=income, cash=cash, members=hh.members, alive=alive, node=node,
                  local_share=model.local_spending_share, subsistence_pc=p.subsistence_pc,
                  consumption_share=p.consumption_share, food_budget_share=p.food_budget_share,
                  food_reference_pc=p.food_reference_pc, food_income_elasticity=p.food_income_elasticity, n_nodes=n,
                  consumption=hh.consumption, assets=hh.assets)
    model.flows.local_demand = spent.local_demand_by_node
    hh.income = income
    food_demand = spent.food_demand_by_node
    cut = food.food_market(model, food_demand)
    model.ledger.record("households", "rest_of_world", "imported consumption",
                        spent.total_spending - cut - model.flows.local_demand.sum() - food_demand.sum())
