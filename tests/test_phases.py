"""Each phase of the year is a function of the model that can be called and checked on its
own (``model/public.py``, ``labour.py``, ``budgets.py``, ``firms.py``, ``environment.py``,
``demography.py``, ``migration.py``): what it moves, it conserves or books."""

import numpy as np
import pytest

from conftest import SCENARIOS

from territory_abm import TerritoryModel, load_scenario
from territory_abm.model import budgets, demography, environment, firms, labour, land_market, migration, public
from territory_abm.model.public import MIN_FARM_GATE_SHARE, MIN_ROAD_QUALITY


@pytest.fixture
def model():
    """A fresh model of the baseline at a small scale, a year under way (its flows reset)."""
    sc = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.04, steps=3)
    m = TerritoryModel(sc, seed=7)
    m.step()  # a year of history (last year's jobs, taxes, outcomes)
    m.year += 1
    m.ledger.new_year()
    m.flows = type(m.flows).zeros(m.n_nodes)
    m.policies.start_year(m.year)
    return m


def booked(model, before: dict, payer: str | None = None, payee: str | None = None) -> float:
    """Money booked in the current year since ``before`` (a copy of ``ledger.current``)."""
    return sum(v - before.get(k, 0.0) for k, v in model.ledger.current.items()
               if (payer is None or k[0] == payer) and (payee is None or k[1] == payee) and k[0] != k[1])


def test_public_sector_spends_what_it_collects_and_keeps_roads_passable(model):
    treasury = sum(m.treasury for m in model.active_municipalities())
    ledger = dict(model.ledger.current)
    public.public_sector(model)
    collected = booked(model, ledger, payee="municipalities")
    spent = booked(model, ledger, payer="municipalities")
    assert collected > 0 and spent == pytest.approx(treasury + collected)
    assert all(m.treasury == 0.0 for m in model.active_municipalities())
    assert model.flows.public_local.sum() == pytest.approx(booked(model, ledger, "municipalities", "households"))
    quality = np.array([q for _, _, q in model.graph.edges(data="road_quality")])
    assert (quality >= MIN_ROAD_QUALITY).all() and (quality <= 1.0).all()
    assert (model.farm_gate >= MIN_FARM_GATE_SHARE * model.params.dynamic_market_price - 1e-12).all()


def test_labour_market_fills_firm_jobs_with_household_workers(model):
    public.public_sector(model)
    labour.labour_market(model, labour.post_vacancies(model))
    hh, ft = model.households, model.firm_table
    assert (hh.employed >= 0).all() and (hh.employed <= hh.adults).all()
    # firms hire skill units (labour) supplied by persons (workers)
    assert ft.workers[ft.alive].sum() == pytest.approx(hh.employed[hh.alive].sum(), rel=1e-9)
    units = (hh.employed * labour.skill(model))[hh.alive].sum()
    assert ft.labour[ft.alive].sum() == pytest.approx(units, rel=1e-9)
    # and pay per skill unit: the wage bill is what households receive before commuting costs
    bill = (ft.wage * ft.labour)[ft.alive].sum()
    assert bill == pytest.approx(hh.wage_income.sum() + model.ledger.current[("households", "rest_of_world", "commuting")], rel=1e-9)
    assert ((hh.wage_income > 0) == (hh.employed > 0))[hh.alive].all()
    assert (hh.farm_income[hh.alive & (hh.employed == hh.adults)] == 0).all()
    assert (model.flows.commuters >= -1e-9).all() and (model.flows.unmatched >= -1e-9).all()


def test_budgets_never_spend_more_than_the_cash_on_hand(model):
    public.public_sector(model)
    land_market.rent(model)  # this year's tenancy, as in the year (last year's tenants may have left)
    labour.labour_market(model, labour.post_vacancies(model))
    hh = model.households
    cash = hh.assets * (1 - model.params.asset_depreciation)
    budgets.household_budgets(model)
    assert (hh.assets >= 0).all()
    assert (hh.consumption <= cash + hh.income + 1e-6).all()
    # local demand is the local share of what households budgeted; a household whose local food
    # sales fell short of its plan by more than its savings then cut its imported purchases
    planned = hh.consumption + model.food_shortfall
    local = np.bincount(hh.node, model.local_spending_share[hh.node] * planned * hh.alive, minlength=model.n_nodes)
    assert np.allclose(model.flows.local_demand, local)
    assert (model.food_shortfall >= 0).all() and (hh.consumption >= 0).all()


def test_firm_accounts_count_exits_and_entries(model):
    ft = model.firm_table
    alive_before = np.bincount(ft.node[ft.alive], minlength=model.n_nodes)
    firms.accounts(model)
    alive_after = np.bincount(ft.node[ft.alive], minlength=model.n_nodes)
    assert np.array_equal(alive_after, alive_before - model.flows.firm_exits + model.flows.firm_entries)
    assert (ft.wage[ft.alive] >= model.params.minimum_wage).all()


def test_clearing_turns_forest_into_land_fines_into_revenue_and_costs_money(model):
    model.set_parameters({"clearing_propensity": 1.0, "clearing_cost": 50.0})
    before = dict(model.ledger.current)
    hh = model.households
    forest = np.array([m.natural_capital if m else 0.0 for m in model.municipalities])
    land, assets = np.bincount(hh.node, hh.land, minlength=model.n_nodes), hh.assets.sum()
    treasury = sum(m.treasury for m in model.active_municipalities())
    environment.clearing(model)
    cleared = model.flows.cleared
    assert cleared.sum() > 0
    after = np.array([m.natural_capital if m else 0.0 for m in model.municipalities])
    assert np.allclose(forest - after, cleared) and (after >= 0).all()
    assert np.allclose(np.bincount(hh.node, hh.land, minlength=model.n_nodes) - land, cleared)
    costs = booked(model, before, "households", "rest_of_world")
    assert costs == pytest.approx(50.0 * cleared.sum())  # every clearer could pay at 50 USD/ha
    fines = assets - hh.assets.sum() - costs
    assert fines >= 0
    assert sum(m.treasury for m in model.active_municipalities()) - treasury == pytest.approx(fines)


def test_land_given_up_passes_to_the_node_landholders(model):
    hh = model.households
    held = np.bincount(hh.node, hh.land * hh.alive, minlength=model.n_nodes)
    leaving = np.flatnonzero(hh.alive & (hh.land > 0))[::10]
    environment.give_up_land(model, leaving)
    hh.alive[leaving] = False
    environment.hand_over(model)
    assert np.allclose(np.bincount(hh.node, hh.land * hh.alive, minlength=model.n_nodes), held)
    assert not model.freed_land.any()


def test_demography_changes_each_node_by_its_births_and_deaths(model):
    hh = model.households
    persons = np.bincount(hh.node, hh.members * hh.alive, minlength=model.n_nodes)
    demography.births_and_deaths(model)
    after = np.bincount(hh.node, hh.members * hh.alive, minlength=model.n_nodes)
    assert np.array_equal(after - persons, model.flows.births - model.flows.deaths)


def test_migration_moves_people_without_losing_any(model):
    hh = model.households
    persons = hh.members[hh.alive].sum()
    migration.migrate(model)
    f = model.flows
    assert f.out_migrants.sum() > 0
    assert hh.members[hh.alive].sum() == persons - (f.out_migrants.sum() - f.in_migrants.sum())
    assert (hh.adults[hh.alive] >= 0).all() and (hh.members[hh.alive] >= hh.adults[hh.alive]).all()


def test_commuters_by_home_and_job_node_add_up_to_each_nodes_commuters():
    from territory_abm.output import tables

    # commuting is rare at the defaults (starting wages leave little gain from it, issue 13);
    # a longer commute limit without its costs and a few years give some
    model = TerritoryModel(SCENARIOS / "baseline.toml", households_scale=0.1, steps=4, seed=3, commute_limit=3.0,
                           commute_fixed_cost=0.0, commute_cost_per_hour=0.0)
    model.run()
    pairs = tables.commuting_table(model)
    assert list(pairs.columns) == ["year", "home", "job"] + ["workers"] and (pairs["home"] != pairs["job"]).all()
    by_home = pairs.groupby(["year", "home"])["workers"].sum()
    nodes = tables.node_table(model).set_index(["year", "node_id"])["commuters"].fillna(0.0)
    assert by_home.sum() > 0
    for (year, home), workers in by_home.items():
        assert workers == pytest.approx(nodes.loc[(year, home)], rel=1e-9)
