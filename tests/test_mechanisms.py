"""Policies act through what their money buys and how households respond (issue 13 item 5).

Directional checks average over seeds (common random numbers: the same seed starts every
scenario from the same territory); known-answer checks follow one run.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS

from territory_abm.model import context
from territory_abm import TerritoryModel, load_scenario
from territory_abm.model import labour
from territory_abm.scenarios.levers import MAX_CHILD_SCHOOLING
from territory_abm.scenarios.loader import make_policy

BASE = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.05, steps=6)
START, END = BASE.start_year + 1, BASE.start_year + 4  # programmes run 2011-2014 of 2011-2016
SEEDS = (1, 2, 3)


def scenario(lever: str, label: str | None = None, start: int = START, end: int = END, **fields):
    policy = make_policy("test", {"lever": lever, "label": label or lever, "start": start, "end": end, **fields},
                         BASE.start_year, BASE.end_year)
    return BASE.replace(policies=(policy,))


def run(sc, seed: int, years: int | None = None, **params) -> TerritoryModel:
    model = TerritoryModel(sc, seed=seed, **params)
    model.run(years)
    return model


def government_pays(model, year_index: int = -1) -> float:
    return sum(a for (payer, _, _), a in model.ledger.flows(year_index).items() if payer == "government")


# ------------------------------------------------------------------ roads
TARGETS = ("M05", "M06")


def market_time(budget: float, seed: int, years: int | None = None) -> float:
    model = run(scenario("roads", target=list(TARGETS), budget=budget), seed, years)
    return float(np.mean([model.market_time[model.territory.index(t)] for t in TARGETS]))


def test_a_road_budget_twice_as_large_cuts_travel_time_more():
    before = [market_time(0.0, s, 0) for s in SEEDS]
    one = [market_time(2e6, s, END - BASE.start_year) for s in SEEDS]
    two = [market_time(4e6, s, END - BASE.start_year) for s in SEEDS]
    assert np.mean(two) < np.mean(one) < np.mean(before)


def test_road_works_pay_local_wages_and_decay_without_maintenance():
    p = BASE.parameters
    sc = scenario("roads", target=list(TARGETS), budget=2e6)
    model = TerritoryModel(sc, seed=1)
    times = []
    while model.steps < BASE.steps:
        model.step()
        flows = model.ledger.flows()
        if START <= model.year <= END:
            wages = flows[("government", "households", "road works wages")]
            cost = model.policies.costs_by_node()[0].sum()
            assert wages == pytest.approx(p.road_works_local_share * cost, rel=1e-9)
            assert model.flows.national_local.sum() >= wages  # paid to residents as local income
        times.append(model.graph.edges["M05", "C1"]["travel_time"])
    # upgraded while the programme runs; no longer maintained after it: travel time creeps back
    works = END - BASE.start_year - 1
    assert times[0] < 2.0 and times[works] < times[0] and times[-1] > times[works]


def test_road_works_stay_with_the_road_when_the_programme_changes_mid_run():
    model = TerritoryModel(BASE, seed=1)
    model.set_lever("roads", {"budget": 2e6}, target=list(TARGETS), label="works")
    model.step()
    model.step()
    upgraded = model.graph.edges["M05", "C1"]["km_upgraded"]
    assert upgraded > 0
    model.set_lever("roads", {"budget": 3e6}, target=list(TARGETS), label="works")  # more money from next year
    model.step()
    assert model.graph.edges["M05", "C1"]["km_upgraded"] > upgraded


# ------------------------------------------------------------------ technical assistance
def adoption(seed: int, **params) -> tuple[float, TerritoryModel]:
    model = run(scenario("technical_assistance", target="all", tfp_gain=0.15, coverage=0.5), seed,
                END - BASE.start_year, **params)
    hh = model.households
    served = hh.alive & (hh.programmes != 0)
    return float((hh.assistance_gain[served] > 0).mean()), model


def test_fewer_households_adopt_when_adopting_costs_more():
    cheap = [adoption(s, assistance_effort_cost=50.0)[0] for s in SEEDS]
    dear = [adoption(s, assistance_effort_cost=1000.0)[0] for s in SEEDS]
    assert 0 < np.mean(dear) < np.mean(cheap) < 1  # heterogeneous costs: neither all nor none


def test_adopted_gains_decay_once_assistance_stops():
    share, model = adoption(1)
    assert share > 0
    hh = model.households
    gain = hh.assistance_gain.copy()
    model.step()  # the year after the programme: no one is assisted
    assert not model.policies.active
    decay = model.params.assistance_gain_decay
    np.testing.assert_allclose(hh.assistance_gain[: gain.size], gain * (1 - decay), rtol=1e-12)


# ------------------------------------------------------------------ market linkage
def linkage_gain(coverage: float, seed: int, buyer_demand: float = 3e5) -> float:
    """Mean farm income gain of a linked household in the programme's last year, against
    the same seed without the programme (USD/yr)."""
    years = END - BASE.start_year
    base = run(BASE, seed, years)
    linked = run(scenario("market_linkage", target="all", coverage=coverage, buyer_demand=buyer_demand), seed, years)
    hh, ref = linked.households, base.households
    n = min(hh.n, ref.n)
    rows = np.flatnonzero(hh.alive[:n] & ref.alive[:n] & (hh.programmes[:n] != 0))
    return float((hh.farm_income[rows] - ref.farm_income[rows]).mean())


def test_linkage_raises_incomes_less_when_more_producers_join():
    few = [linkage_gain(0.1, s) for s in SEEDS]
    many = [linkage_gain(0.8, s) for s in SEEDS]
    assert np.mean(many) < np.mean(few)
    assert np.mean(few) > 0


def test_linked_producers_never_sell_the_buyers_more_than_their_demand():
    demand = 1e5
    model = TerritoryModel(scenario("market_linkage", target="all", coverage=0.9, buyer_demand=demand), seed=2)
    bought_by_node, engine = [], model.policies
    start_year = engine.start_year

    def spy(year):  # what the buyers take, right after the linkage sets this year's shares
        start_year(year)
        hh, p = model.households, model.params
        base = 1.0 - p.intermediary_margin
        share_bought = (hh.price_share - base) / (p.intermediary_margin * 0.5)  # the default margin_cut
        value = hh.farm_income / np.where(engine.last_price_share > 0, engine.last_price_share, 1.0)
        bought_by_node.append(np.bincount(hh.node, hh.alive * share_bought * value, minlength=model.n_nodes))

    engine.start_year = spy
    model.run(END - BASE.start_year)
    bought = np.array(bought_by_node)
    limit = demand * BASE.households_scale
    assert bought.max() <= limit * (1 + 1e-9)
    assert bought.max() == pytest.approx(limit)  # at coverage 0.9 the demand binds somewhere
    assert not bought[: START - BASE.start_year - 1].any()  # nothing before the programme


# ------------------------------------------------------------------ fiscal decentralisation
@pytest.mark.parametrize("local_content", [0.0, 0.3])
def test_decentralisation_moves_national_money_to_municipalities_without_creating_it(local_content):
    years = START - BASE.start_year  # to the end of the programme's first year
    base = run(BASE, 1, years, national_local_content_share=local_content)
    moved = run(scenario("fiscal_decentralisation", target="all", share=0.9), 1, years,
                national_local_content_share=local_content)
    # the same national money in the first year (the same residents), more of it in municipal hands
    assert government_pays(moved) == pytest.approx(government_pays(base), rel=1e-12)
    flows, flows_base = moved.ledger.flows(), base.ledger.flows()
    transfers = ("government", "municipalities", "national transfers")
    own = (("government", "households", "national local spending"),
           ("government", "rest_of_world", "national purchases"))
    gained = flows[transfers] - flows_base[transfers]
    assert gained > 0 and gained == pytest.approx(moved.policies.costs_by_node()[0].sum(), rel=1e-9)
    assert sum(flows_base[k] - flows[k] for k in own) == pytest.approx(gained, rel=1e-9)
    local = flows_base[own[0]] - flows[own[0]]
    assert local == pytest.approx(local_content * gained, rel=1e-9, abs=1e-9)


# ------------------------------------------------------------------ conditional cash transfers
def cct(seed: int, years: int | None = None, **params) -> TerritoryModel:
    return run(scenario("cash_transfer", target="all", amount=400.0, coverage=0.5, end=BASE.end_year), seed, years,
               **params)


def paid_at_payment(years: int, **params) -> tuple[TerritoryModel, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """A conditional transfer run, and at each payment: the paid rows, their children then
    and their value of a child's time."""
    model = TerritoryModel(scenario("cash_transfer", target="all", amount=400.0, coverage=0.5, end=BASE.end_year),
                           seed=1, **params)
    engine, seen = model.policies, []
    pay = engine.pay_households

    def spy(year):
        paid = pay(year)
        hh, rows = model.households, np.flatnonzero(paid > 0)
        seen.append((rows, (hh.members - hh.adults)[rows], hh.child_time_value[rows]))
        return paid

    engine.pay_households = spy
    model.run(years)
    return model, seen


def test_only_households_meeting_the_school_condition_are_paid():
    model, seen = paid_at_payment(START - BASE.start_year + 1)
    missed = 1.0 - model.params.school_attendance
    assert seen[-1][0].size > 0
    for _rows, children, value in seen:
        assert (children > 0).all()  # households with children only
        assert (missed * children * value <= 400.0).all()  # the condition is worth meeting
    hh = model.households
    assert (hh.child_schooling[seen[-1][0]] > 0).all() and (hh.child_schooling <= MAX_CHILD_SCHOOLING).all()
    # a condition nobody can meet pays nobody
    _, strict = paid_at_payment(START - BASE.start_year, child_work_value=1500.0, assistance_effort_spread=0.0,
                                school_attendance=0.3)
    assert sum(rows.size for rows, _, _ in strict) == 0


def movers_among(sc, seed: int, rows: np.ndarray | None, monkeypatch, **params) -> tuple[int, np.ndarray]:
    """Households among ``rows`` (default: those the run's programmes reach) that the first
    year's migration choice sends away (a member or the whole household), and those rows
    (``params``: parameter overrides)."""
    from territory_abm.model import migration

    model, chosen = TerritoryModel(sc, seed=seed, **params), []
    choose = migration.choose_movers

    def spy(**kwargs):
        movers = choose(**kwargs)
        chosen.append(movers)
        return movers

    monkeypatch.setattr(migration, "choose_movers", spy)
    model.step()
    monkeypatch.setattr(migration, "choose_movers", choose)
    if rows is None:
        rows = np.flatnonzero(model.households.programmes != 0)
    return int(np.isin(chosen[0], rows).sum()), rows


def test_a_transfer_keeps_its_beneficiaries_at_home(monkeypatch):
    """Migration weighs the household's income per person at home, transfers included, so the
    households a transfer reaches send fewer members away than the same households in the
    same-seed run without it (the same draws: a household the transfer holds back would have
    left), where movers expect a destination's mean income (``migration_income_persistence`` 0;
    at 1, the candidate's, a household expects its gap from its node's mean wherever it goes,
    so a transfer raises what it expects at home and away alike and holds nobody back: seeds 1
    and 2, 44 and 52 movers with the transfer and as many without it). This is why ``cash_transfers`` keeps about
    2 % more residents at the rules off (``RULES_OFF``), most of them poor, and shows poverty up
    at its end (docs/model_choices.md, "Why cash transfers and land redistribution look weak").
    Seeds 1 and 2 at the rules off: 39 of 731 reached households move against 48 without the
    transfer, 44 of 729 against 50 (with the candidate's other rules on: 104 of 733 against 119,
    131 of 726 against 159); with the choice blind to transfers (income less transfers in
    ``migrate``, tried in a diagnostic run) the counts are equal and this fails."""
    transfer = scenario("cash_transfer", target="all", amount=400.0, coverage=0.5, end=BASE.end_year)
    kept = []
    for seed in SEEDS[:2]:
        with_transfer, reached = movers_among(transfer, seed, None, monkeypatch, migration_income_persistence=0.0)
        without, _ = movers_among(BASE, seed, reached, monkeypatch, migration_income_persistence=0.0)
        assert with_transfer <= without
        kept.append(without - with_transfer)
    assert sum(kept) >= 5


def test_transfers_raise_the_schooling_of_beneficiaries_children():
    gains = []
    for seed in SEEDS:
        base, model = run(BASE, seed), cct(seed)
        reached = np.flatnonzero(model.households.programmes != 0)
        reached = reached[reached < base.households.n]
        gains.append(float((model.households.education[reached] - base.households.education[reached]).mean()))
    assert np.mean(gains) > 0


def test_schooling_bought_by_transfers_reaches_wages_through_the_skill_wage(monkeypatch):
    """The extra schooling a conditional transfer buys reaches incomes through wages by skill
    (``labour.skill``): each home node's wage bill is shared by skill units, so a worker
    earns the node's wage per skill unit times exp(r (schooling - mean) + premium) at the schooling
    the household had when the year's jobs were matched (and at its jobs then: a single mover
    takes its job later in the year, ``migration.take_jobs``); and beneficiaries' new adults carry
    more schooling than in the same-seed run without the transfer."""
    transfer = scenario("cash_transfer", target="all", amount=400.0, coverage=0.5, end=BASE.end_year)
    matched, market = {}, labour.labour_market

    def recorded_market(model, *args):
        market(model, *args)
        matched["employed"] = model.households.employed.copy()

    gains = []
    for seed in SEEDS:
        base, model = run(BASE, seed, BASE.steps - 1), run(transfer, seed, BASE.steps - 1)
        hh = model.households
        education, node, adults = hh.education.copy(), hh.node.copy(), hh.adults.copy()
        alive, premium, usual = hh.alive.copy(), hh.skill_residual.copy(), hh.usual_size.copy()
        with monkeypatch.context() as patch:
            patch.setattr(labour, "labour_market", recorded_market)
            model.step()  # matches jobs before demography changes schooling
        # the year's premium per year of schooling (the baseline's context moves it: education_return_trend)
        skill = np.exp(context.education_return(model) * (education - model.mean_education) + premium)
        n = alive.size  # households formed during the year (migrants) have rows beyond it
        employed = matched["employed"][:n]
        workers = np.flatnonzero(alive & hh.alive[:n] & (hh.node[:n] == node) & (hh.adults[:n] == adults)
                                 & (employed > 0) & (hh.usual_size[:n] == usual)  # no partner joined
                                 & (hh.employed[:n] == employed))  # nor a worker died since the matching
        per_unit = hh.wage_income[workers] / (employed[workers] * skill[workers])
        for g in np.unique(node[workers]):
            at = node[workers] == g
            assert np.allclose(per_unit[at], per_unit[at][0], rtol=1e-9)
        reached = workers[(hh.programmes[workers] != 0) & (workers < base.households.n)]
        gains.append(float((education[reached] - base.households.education[reached]).mean()))
    assert np.mean(gains) > 0


# ------------------------------------------------------------------ multipliers (issue 13 item 6)
def test_a_transfer_raises_non_beneficiary_incomes_through_local_spending():
    """The transfer is spent partly on local goods and services, so local sellers, their
    workers and owners who got no transfer earn more (the annual nominal multiplier of
    non-beneficiaries, averaged over seeds, is positive); the extra demand also raises local
    prices, so the real multiplier is smaller than the nominal one."""
    from territory_abm.experiments.compare import Comparison, compare_design, compare_specs
    from territory_abm.experiments.runs import execute_run, read_result

    seeds = list(range(1, 9))
    transfer = scenario("cash_transfer", target="all", amount=400.0, coverage=0.5, end=BASE.end_year)
    scenarios = [BASE, transfer.replace(name="transfer")]
    runs = {(spec.scenario.name, spec.seed): read_result(execute_run(spec))
            for spec in compare_specs(scenarios, seeds)}
    impact = Comparison.from_runs(compare_design(scenarios, seeds), runs).impact().iloc[0]
    assert impact["annual_multiplier_nominal_non_beneficiaries"] > 0
    assert impact["annual_multiplier_nominal_beneficiaries"] > 0.5  # the transfer itself, mostly
    assert impact["annual_multiplier_real_total"] < impact["annual_multiplier_nominal_total"]
    # per USD transferred: a pure transfer costs its payments plus administration, so each seed's
    # multiplier per USD paid is the one per USD of cost times 1 + the administrative share
    from territory_abm.scenarios.levers import REGISTRY

    admin = 1.0 + next(f.default for f in REGISTRY["cash_transfer"].fields if f.name == "admin_cost_share")
    assert impact["programme_cost_per_year_mean"] == pytest.approx(admin * impact["programme_transfers_per_year_mean"])
    for kind in ("nominal", "real"):
        for part in ("total", "beneficiaries", "non_beneficiaries"):
            assert impact[f"transfer_multiplier_{kind}_{part}"] == pytest.approx(
                admin * impact[f"annual_multiplier_{kind}_{part}"])
