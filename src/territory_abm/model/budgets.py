"""Household budgets of a year: transfers, remittances, local public spending and dividends
arrive; households pay asset upkeep and programme loans, consume and save.

Consumption is subsistence first, then a share of what is left (``kernels.consume``); the
local share of it buys from the node's local sellers and becomes this year's local demand
(``model.flows.local_demand``), which the firm phase clears.
"""

from __future__ import annotations

from .kernels import consume, household_receipts


def household_budgets(model) -> None:
    """Transfers, remittances and local spending arrive; households consume and save."""
    p, hh, n = model.params, model.households, model.n_nodes
    node, alive = hh.node, hh.alive
    hh.transfer_income = model.policies.pay_households(model.year)
    hh.other_income, hh.remittance_income, income, model.flows.remittances, internal, abroad = household_receipts(
        alive, hh.adults, node, model.flows.public_local, hh.remits_to, hh.farm_income, hh.wage_income,
        hh.transfer_income, hh.migrants_abroad, p.remittance_propensity, p.external_income_pc, n)
    if internal:
        model.ledger.record("households", "households", "internal remittances", internal)
    model.ledger.record("rest_of_world", "households", "remittances from abroad", abroad)
    upkeep = p.asset_depreciation * hh.assets
    model.ledger.record("households", "rest_of_world", "asset upkeep", upkeep.sum())
    cash = hh.assets - upkeep + income
    cash -= model.policies.collect_repayments(cash)
    hh.consumption, hh.assets, model.flows.local_demand, spent = consume(
        income, cash, hh.members, alive, p.subsistence_pc, p.consumption_share, model.local_spending_share, node, n)
    hh.income = income
    model.ledger.record("households", "rest_of_world", "imported consumption",
                        spent - model.flows.local_demand.sum())
