"""Towns that are towns (issue 13 item 1-2): wages by skill at a start the network labour rule
keeps, city households that do not farm without land, and household non-farm enterprises."""

from types import SimpleNamespace

import numpy as np
import pytest

from conftest import SCENARIOS, STATIONARY_RULES_OFF

from territory_abm import TerritoryModel, load_scenario
from territory_abm.model import enterprises, firms, labour
from territory_abm.model.markets import match_labour
from territory_abm.model.network import Pairs
from territory_abm.model.start import no_commuting_wages, priced_out, split_residual


@pytest.fixture(scope="module")
def town():
    sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.1, steps=3, seed=2)
    return TerritoryModel(sc)


def toy(travel, nonfarm=None):
    n = travel.shape[0]
    return SimpleNamespace(params=SimpleNamespace(commute_cost_per_hour=0.1, commute_fixed_cost=0.05),
                           commute=Pairs.from_dense(travel), n_nodes=n,
                           territory=SimpleNamespace(table={"nonfarm_income_share": nonfarm}))


def test_starting_wages_leave_no_gain_from_commuting():
    inf = np.inf
    # 0 and 1 an hour apart (a commuter keeps 0.9 before the fixed cost), 1 and 2 half an hour
    travel = np.array([[0.0, 1.0, inf], [1.0, 0.0, 0.5], [inf, 0.5, 0.0]])
    wage = no_commuting_wages(toy(travel), np.array([1000.0, 2000.0, 1500.0]), np.ones(3, bool))
    assert wage == pytest.approx([1000.0, 1000.0 / 0.9, 1000.0 / 0.9 / 0.95])
    # a node nobody can reach from elsewhere keeps its wage
    alone = no_commuting_wages(toy(np.array([[0.0, inf], [inf, 0.0]])), np.array([1000.0, 3000.0]), np.ones(2, bool))
    assert alone == pytest.approx([1000.0, 3000.0])


def test_a_node_is_priced_out_where_a_household_that_does_not_farm_cannot_pay_for_a_job():
    # node 0: a household without a farm, 2 adults, 1 worker, income 5,000: one more job at a
    # wage per skill unit of 3,000 (skill 1) would pay 6,000 > 5,000 - 0 public income
    # node 1: the same household farms (a lower wage would not help: its farm wants workers)
    # node 2: a household without a farm that can pay for one more job at 2,000
    cols = {"node": np.array([0, 1, 2]), "employed": np.array([1, 1, 1]), "adults": np.array([2, 2, 2]),
            "income": np.array([5000.0, 5000.0, 5000.0])}
    init = SimpleNamespace(wage=np.array([3000.0, 3000.0, 2000.0]))
    model = SimpleNamespace(n_nodes=3)
    out = priced_out(model, cols, init, np.zeros(3), np.array([False, True, False]), np.ones(3))
    assert out.tolist() == [True, False, False]
    # with no adult free there is nobody to take a job
    cols["employed"] = np.array([2, 1, 1])
    assert not priced_out(model, cols, init, np.zeros(3), np.array([False, True, False]), np.ones(3)).any()


def test_income_beyond_wages_splits_into_farm_and_enterprise_to_the_tables_farm_share():
    # one node whose tables say half of income is farm income: two farming households (capacity
    # 1 and 3) and one that does not farm, each with income 100
    model = toy(np.zeros((1, 1)), nonfarm=np.array([0.5]))
    residual, income = np.array([85.0, 80.0, 60.0]), np.full(3, 100.0)
    farm, enterprise = split_residual(model, residual, income, np.array([1.0, 3.0, 0.0]), np.zeros(3, int))
    # tau = 70: the second farms its whole residual, the first 70 and runs an enterprise with 15
    assert farm == pytest.approx([70.0, 80.0, 0.0], abs=1e-6)
    assert enterprise == pytest.approx([15.0, 0.0, 60.0], abs=1e-6)
    assert farm.sum() == pytest.approx(0.5 * income.sum(), abs=1e-6)


def test_the_network_rule_keeps_every_starting_worker_at_home(town):
    model = TerritoryModel(town.scenario)
    hh, ft = model.households, model.firm_table
    offers = labour.job_offers(model, ft.labour * ft.alive)
    # firms pay and hire per skill unit: the workers' skill units match in that unit
    units = np.bincount(hh.node, hh.employed * labour.skill(model), minlength=model.n_nodes)
    flows, _ = match_labour(units, offers.vacancies, offers.unit_wage, model.commute, offers.net_share)
    assert np.allclose(model.commute.dense(flows, fill=0.0), np.diag(units))
    model.step()
    assert model.flows.commuters.sum() == pytest.approx(0.0, abs=1e-9)  # rounding of the match's shares


def test_cities_start_with_their_tables_wage_jobs_and_non_farm_income():
    """The start without job turnover (its rest at turnover: the next test), at the rules off
    (``STATIONARY_RULES_OFF``): the start's migration settings (the stay and abroad preferences,
    the movers' selection, the pull) move the cities' starting jobs by a few thousandths of
    their adults (seed 2: 0.6499 here, 0.6472 with only the turnover and the wage premium off
    under the candidate setting)."""
    town = TerritoryModel(load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.1, steps=3, seed=2),
                          **STATIONARY_RULES_OFF)
    hh, t = town.households, town.territory
    city = np.asarray(t.kinds)[hh.node] == "city"
    wage_share = np.average(t.table["wage_share"][hh.node][city], weights=hh.adults[city])
    # the wage per skill unit of a city whose households that do not farm were priced out of
    # the tables' jobs is lowered until they take them (0.607 before, a third of adults before towns)
    assert hh.employed[city].sum() / hh.adults[city].sum() == pytest.approx(wage_share, abs=0.002)
    # the cities' landless households (landless_share) cannot farm, and their land holders farm
    # at most at the territory's farm productivity (``city_farm_tfp_ceiling``): the tables' farm
    # share of the cities' income is more than their land yields at it, 0.989 of it is non-farm
    # against the tables' 0.88 (0.914 while the land holders farmed their whole residuals; issue 13)
    nonfarm = 1.0 - hh.farm_income[city].sum() / hh.income[city].sum()
    table = np.average(t.table["nonfarm_income_share"][hh.node][city], weights=hh.income[city])
    assert table < nonfarm == pytest.approx(0.989, abs=0.005)
    # city households without land to farm do not farm, and so do not clear forest
    landless = city & (hh.land < town.params.garden_plot_ha)
    assert landless.any() and not hh.tfp[landless].any() and not hh.farm_income[landless].any()
    assert (hh.enterprise_sales[city] > 0).mean() > 0.5


@pytest.mark.parametrize("ceiling", [1.0, 2.0])
def test_city_farms_start_no_more_productive_than_the_territory_s_farms(ceiling):
    """Known answer (``start.cap_city_farms``): a city farm's starting TFP per adult's management
    is at most ``city_farm_tfp_ceiling`` times the highest of the rural municipalities' median of
    it; the rest of its residual is its enterprise's. Before, the example's town farms farmed their
    whole residuals at five to ten times the rural farms' TFP (settler TFP 9,292 and 10,637
    against at most 2,185; seed 1, scale 0.25): this fails then."""
    from territory_abm.model.households import management_share

    model = TerritoryModel(load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.25, steps=1, seed=1),
                           city_farm_tfp_ceiling=ceiling)
    hh, kinds = model.households, np.asarray(model.territory.kinds)
    city_node = kinds == "city"
    settler = model.settler_tfp  # each node's median TFP per adult's management, at the start's food prices
    reference = settler[~city_node & model.populated].max()
    # the start's food prices and assets at turnover's rest rescale every node's TFP after the cap
    assert settler[city_node].max() <= 1.1 * ceiling * reference
    farms = (hh.tfp > 0) & city_node[hh.node]
    per_adult = hh.tfp[farms] / np.power(np.maximum(hh.adults[farms], 1), management_share(model.params))
    # (a household whose drawn jobs leave it less income than its expected ones saves less at
    # turnover's rest, and its TFP is raised to keep its farm's income: a few farms end above)
    assert farms.sum() > 50 and (per_adult <= 1.1 * ceiling * reference).mean() > 0.9
    assert (per_adult <= 2 * ceiling * reference).all()
    # their households earn the rest of their residuals in an enterprise
    assert (hh.enterprise_income[farms] > 0).mean() > 0.5


@pytest.fixture(scope="module")
def turnover_rest_start():
    """The stationary example's start at turnover's rest (seed 2, scale 0.1)."""
    return TerritoryModel(load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.1, steps=3, seed=2),
                          job_separation_rate=0.12, wage_residual_sd=0.8)


def _kinds(model):
    hh, t = model.households, model.territory
    for kind in ("city", "municipality"):
        yield kind, (np.asarray(t.kinds)[hh.node] == kind) & hh.alive


def test_the_start_at_turnover_s_rest_holds_the_tables_wage_jobs(turnover_rest_start):
    """At turnover's rest (``job_separation_rate`` 0.12, ``wage_residual_sd`` 0.8) each kind of
    node starts with its tables' wage share of adults, within 0.015 (seed 2, scale 0.1: the
    rural municipalities 0.299 against 0.301, the cities 0.644 against 0.650)."""
    model = turnover_rest_start
    hh, t = model.households, model.territory
    for kind, at in _kinds(model):
        jobs = np.average(t.table["wage_share"][hh.node][at], weights=hh.adults[at])
        assert hh.employed[at].sum() / hh.adults[at].sum() == pytest.approx(jobs, abs=0.015), kind


def test_the_start_at_turnover_s_rest_holds_the_tables_income_mix(turnover_rest_start):
    """At turnover's rest each kind of node starts with its tables' non-farm share of income (wages
    and enterprises over income, as the column counts it since session 51), within 0.05. A strict
    xfail until session 51 (issue 13 item 1), when the start read the column with public income
    and remittances in it for farm income and without them for wages: the rural municipalities'
    0.429 against their tables' 0.394, the cities' 0.942 and then 0.99 against 0.880 (seed 2,
    scale 0.1; docs/model_choices.md, 'Town farms at the start'); now 0.398 and 0.882."""
    model = turnover_rest_start
    hh, t = model.households, model.territory
    for kind, at in _kinds(model):
        nonfarm = (hh.wage_income[at] + hh.enterprise_income[at]).sum() / hh.income[at].sum()
        table = np.average(t.table["nonfarm_income_share"][hh.node][at], weights=hh.income[at])
        assert nonfarm == pytest.approx(table, abs=0.05), kind
        # and every unit of the kind within 0.1 (its share over its own table's)
        for g in np.unique(hh.node[at]):
            mine = at & (hh.node == g)
            share = (hh.wage_income[mine] + hh.enterprise_income[mine]).sum() / hh.income[mine].sum()
            assert share == pytest.approx(t.table["nonfarm_income_share"][g], abs=0.1), (kind, g)


def test_firms_want_at_the_starting_wage_the_skill_units_their_workers_supply(town):
    """Firms pay and hire per skill unit: at the starting wage per skill unit and price each
    firm's labour demand is its labour, and a node's firms employ the skill units its
    starting workers supply (nobody commutes at the start)."""
    model = town
    hh, ft, p = model.households, model.firm_table, model.params
    price = np.where(ft.dynamic, model.farm_gate[ft.node], model.expected_local_price[ft.node])
    wanted = firms.desired_labour(ft.tfp, ft.capital, price, ft.wage, p.firm_labour_elasticity,
                                  p.firm_capital_elasticity)
    local_at_one = ~ft.dynamic & (model.expected_local_price[ft.node] == 1.0)
    assert wanted[ft.dynamic | local_at_one] == pytest.approx(ft.labour[ft.dynamic | local_at_one], rel=1e-9)
    n = model.n_nodes
    units = np.bincount(hh.node, hh.employed * labour.skill(model), minlength=n)
    assert np.bincount(ft.node, ft.labour, minlength=n) == pytest.approx(units, rel=1e-9)
    assert np.bincount(ft.node, ft.workers, minlength=n) == pytest.approx(
        np.bincount(hh.node, hh.employed, minlength=n), rel=1e-9)
    # each worker earns the node's wage per skill unit times their skill
    workers = hh.employed > 0
    assert hh.wage_income[workers] == pytest.approx(
        (hh.employed * labour.skill(model) * model.initial_wage[hh.node])[workers], rel=1e-9)


def test_enterprises_enter_where_the_local_price_rises_and_exit_where_it_falls():
    # the price rule alone: no own-account entry, no customers outside waiting for entrants
    sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.05, steps=1, seed=3)
    model = TerritoryModel(sc, own_account_entry=0.0, outside_sales_to_entrants=0.0, outside_sales_entry=0.0)
    hh = model.households
    city = int(np.flatnonzero(np.asarray(model.territory.kinds) == "city")[0])
    owners = hh.enterprise_capital[hh.node == city] > 0
    enterprises.turnover(model)  # at the starting price: nobody enters or exits
    assert np.array_equal(hh.enterprise_capital[hh.node == city] > 0, owners)
    model.expected_local_price[city] = 1.2 * model.start_local_price[city]
    assets = hh.assets.sum()
    enterprises.turnover(model)
    entered = (hh.enterprise_capital[hh.node == city] > 0).sum() - owners.sum()
    assert entered > 0 and hh.assets.sum() < assets  # entrants buy their capital
    model.expected_local_price[city] = 0.5 * model.start_local_price[city]
    enterprises.turnover(model)
    assert (hh.enterprise_capital[hh.node == city] > 0).sum() < owners.sum() + entered


def test_a_run_names_the_units_whose_starting_income_mix_misses_their_tables():
    """Known answers (``start.income_shares``,
    ``output.tables.start_income_mix``): each unit's starting non-farm share is its wage and
    enterprise income over its income, recorded in run.json beside the table's
    ``nonfarm_income_share`` and the share of all income but the farms' and estates'; a unit off
    by more than ``START_INCOME_MIX_TOLERANCE`` is named under the run's summary, the others not.
    The example's units start within it (session 51; scale 0.25, seed 1: at most 0.038 above; at
    scale 0.1 a node's jobs drawn at turnover's rest among about 150 households can put it 0.13
    above, M11 at seed 3); a town whose table says half its income is farm income starts far
    above it, its few land holders farming at most at the territory's farm productivity."""
    import copy

    from territory_abm.data.territory import START_INCOME_MIX_TOLERANCE
    from territory_abm.model import start
    from territory_abm.output.tables import start_income_mix
    from territory_abm.runner import start_income_mix_lines

    scenario = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.25, steps=1, seed=1)
    model = TerritoryModel(scenario)
    hh, n = model.households, model.n_nodes
    income = np.bincount(hh.node, hh.income, minlength=n)
    farm = np.bincount(hh.node, hh.farm_income, minlength=n) + np.bincount(
        model.estates.node, (1 - model.params.firm_tax_rate) * model.estates.profit, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):  # the market node has no households
        earned = np.bincount(hh.node, hh.wage_income + hh.enterprise_income, minlength=n) / income
        beside = 1 - farm / income
    shares = start.income_shares(model)
    assert shares.nonfarm == pytest.approx(earned, nan_ok=True)
    assert shares.beside_farm == pytest.approx(beside, nan_ok=True)
    mix = start_income_mix(model)
    assert set(mix) == {nid for i, nid in enumerate(model.territory.ids) if model.populated[i]}
    # public income, remittances and dividends are neither: the share beside the farms is larger
    assert all(m["start_beside_farm"] > m["start"] for m in mix.values())
    assert all(abs(m["start"] - m["table"]) <= START_INCOME_MIX_TOLERANCE for m in mix.values()), mix
    assert start_income_mix_lines(model) == []
    territory = copy.deepcopy(model.territory)
    c1 = territory.ids.index("C1")
    territory.table["nonfarm_income_share"][c1] = 0.5
    farmed = TerritoryModel(scenario, territory=territory)
    mix = start_income_mix(farmed)
    assert mix["C1"]["table"] == 0.5 and mix["C1"]["start"] > 0.5 + START_INCOME_MIX_TOLERANCE
    line = start_income_mix_lines(farmed)[-1]
    assert f"C1 {mix['C1']['start']:.2f} (table 0.50)" in line and "C2 " not in line and "M01 " not in line
