"""A move costs money, paid from the household's assets (``migration.move_cost``): a household
weighs only the destinations its assets pay for (a liquidity constraint), the books balance
with what movers pay, the start's flows follow the same rule, and a transfer can finance
moves abroad where the cost binds (docs/model_choices.md, Migration: the money cost of moving)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS

from territory_abm import TerritoryModel, load_scenario
from territory_abm.model import migration
from territory_abm.model.ledger import INTERNAL
from territory_abm.scenarios.loader import make_policy

BASE = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.05, steps=4)
FREE = {"migration_move_cost": 0.0, "migration_move_cost_per_hour": 0.0, "migration_move_cost_abroad": 0.0}
ON = {"migration_move_cost": 200.0, "migration_move_cost_per_hour": 5.0, "migration_move_cost_abroad": 1000.0}
"""Moving costs switched on (docs/model_choices.md, Migration: the money cost of moving; the default is FREE)."""


def stocks(model) -> dict[str, float]:
    return {"households": model.households.assets.sum(), "firms": model.firm_table.cash.sum(),
            "municipalities": sum(m.treasury for m in model.municipalities if m is not None)}


def spy_moves(monkeypatch) -> list[tuple]:
    """Record each year's movers, their destinations and money cost per person, and the
    assets and budgets they had when they chose (``migration.movers_destinations``)."""
    seen, choose = [], migration.movers_destinations

    def spy(model, choice, can, movers, rng):
        dest, cost = choose(model, choice, can, movers, rng)
        hh = model.households
        budget = migration.budget_per_person(model.params, hh.assets, hh.members, hh.adults)
        seen.append((model.year, movers.copy(), dest.copy(), cost.copy(), budget[movers].copy(),
                     model.is_market[dest].copy()))
        return dest, cost

    monkeypatch.setattr(migration, "movers_destinations", spy)
    return seen


def test_books_balance_with_moving_costs():
    model = TerritoryModel(BASE, seed=3, **{**ON, "migration_move_cost_abroad": 4000.0}, migration_cost_local_share=0.3)
    paid = []
    for _ in range(3):
        before = stocks(model)
        model.step()
        after = stocks(model)
        for sector in INTERNAL:
            assert after[sector] - before[sector] == pytest.approx(model.ledger.net_flow(sector), rel=1e-9, abs=1e-3)
        flows = model.ledger.flows()
        local = flows[("households", "households", "moving costs paid in the territory")]
        outside = flows[("households", "rest_of_world", "moving costs paid outside")]
        assert local == pytest.approx(0.3 / 0.7 * outside, rel=1e-6)  # a local share of 0.3
        paid.append(local + outside)
        assert (model.households.assets >= 0).all()
    assert min(paid) > 0


def test_a_household_that_cannot_pay_does_not_move_there(monkeypatch):
    """Every mover's destination costs no more per person than its assets pay for, while the
    poorest movers would have gone abroad without the constraint (with no money cost, the same
    seed sends some households abroad whose assets would not pay for it)."""
    abroad_cost = 3000.0
    seen = spy_moves(monkeypatch)
    TerritoryModel(BASE, seed=1, **{**ON, "migration_move_cost_abroad": abroad_cost}).run()
    movers = sum(len(s[1]) for s in seen)
    assert movers > 100
    for _, _, _, cost, budget, abroad in seen:
        assert (cost > 0).all() and (cost <= budget).all()
        assert (cost[abroad] > abroad_cost).all()
    seen.clear()
    TerritoryModel(BASE, seed=1, **FREE).run()
    budgets = np.concatenate([s[4][s[5]] for s in seen])
    assert (budgets < abroad_cost).sum() >= 10  # without the cost, they went abroad


def test_no_money_cost_is_the_choice_without_moving_costs(monkeypatch):
    """With every moving cost 0 (the default) migration takes the path it took before moves
    cost money (the nested choice by node, no payment), draw for draw: the golden tables of
    ``test_golden`` were made before moves could cost money and still pass."""
    seen = spy_moves(monkeypatch)
    model = TerritoryModel(BASE, seed=2, **FREE)
    model.run()
    assert all(s[2].size == 0 or (s[3] == 0).all() for s in seen)
    assert not any("moving costs" in item for year in model.ledger.years for (_, _, item) in year)


BASE_ABROAD = 3000.0
"""Money a move abroad costs per person in the directional test (about; the travel adds a little)."""


def constrained_moves_abroad(seed: int, params: dict, monkeypatch) -> tuple[int, int]:
    """Moves abroad, over a run with a large transfer and over the same-seed run without it, of
    the households the transfer reaches whose starting assets did not pay for a move abroad."""
    policy = make_policy("test", {"lever": "cash_transfer", "label": "cct", "start": BASE.start_year + 1,
                                  "end": BASE.end_year, "amount": 3000.0, "coverage": 0.6},
                         BASE.start_year, BASE.end_year)
    moved, target = [], None
    for sc in (BASE.replace(policies=(policy,)), BASE):
        model = TerritoryModel(sc, seed=seed, **params)
        hh = model.households
        short = migration.budget_per_person(model.params, hh.assets, hh.members, hh.adults) < BASE_ABROAD
        seen = spy_moves(monkeypatch)
        model.run()
        monkeypatch.undo()
        if target is None:
            reached = np.flatnonzero(model.households.programmes[:short.size] != 0)
            target = reached[short[reached]]
        moved.append(int(sum(np.isin(s[1][s[5]], target).sum() for s in seen)))
    return moved[0], moved[1]


def test_a_transfer_finances_moves_abroad_where_the_cost_binds(monkeypatch):
    """Households a large transfer reaches whose starting assets do not pay for a move abroad
    (about 3,000 USD a person here) save part of it and go abroad more than the same households
    in the same-seed run without it; with no money cost the same transfer keeps them at home
    (the income at home it adds weighs against leaving: ``test_mechanisms``). Seeds 1 and 2:
    10 moves abroad against 3 with the cost, 88 against 195 without it."""
    costly = np.array([constrained_moves_abroad(seed, {**ON, "migration_move_cost_abroad": BASE_ABROAD - 200.0},
                                                monkeypatch) for seed in (1, 2)])
    free = np.array([constrained_moves_abroad(seed, FREE, monkeypatch) for seed in (1, 2)])
    assert costly[:, 0].sum() > costly[:, 1].sum()
    assert free[:, 0].sum() < free[:, 1].sum()
