"""The start at job turnover's rest (``start.jobs_at_turnover_rest``, used where
``job_separation_rate`` > 0): known answers of the households' chain and of each node's
chance, and what the start then holds (the tables' wage jobs, the drawn incomes' poverty and
mean), with the wage premium beyond schooling (``wage_residual_sd``) that lets it."""

import copy

import numpy as np
import pytest
from scipy.stats import binom

from territory_abm.model.rest_kernels import rest_chance, rest_jobs, rest_start
from territory_abm.params import Parameters

B = 0.5  # a farm's labour elasticity


def chain(adults, *, own=0.0, skill_weight=1.0, referral=0.0, separation=0.2, best=1000.0, in_enterprise=False):
    """Arguments of the rest kernels for households of one node (``adults`` each)."""
    adults = np.asarray(adults, np.int64)
    most = int(adults.max())
    return dict(node=np.zeros(len(adults), np.int64), own=np.full(len(adults), own), best=np.array([best]),
                skill_weight=np.full(len(adults), skill_weight), referral=referral, separation=separation,
                adults=adults, in_market=np.ones(len(adults), bool), in_enterprise=np.full(len(adults), in_enterprise),
                farm_thresholds=np.power(np.arange(1, most + 1) - 0.5, 1.0 - B),
                enterprise_thresholds=np.power(np.arange(1, most + 1) + 0.5, 1.0 - B), elasticity=B)


@pytest.mark.parametrize("adults,c,s", [(1, 0.3, 0.2), (3, 0.05, 0.12), (5, 0.5, 0.3)])
def test_without_referrals_each_willing_adult_works_at_the_two_state_rest(adults, c, s):
    """Without referrals and with no own work to weigh, every adult seeks, and each holds a job
    independently with the two-state chain's rest chance pi = h / (h + s (1 - h)), h = c: the
    household's jobs are binomial (expected jobs and the draws' quantiles)."""
    u = np.linspace(0.0005, 0.9995, 1000)
    jobs = rest_jobs(chance=np.array([c]), u=u, **chain(np.full(len(u), adults), separation=s))
    pi = c / (c + s * (1.0 - c))
    assert jobs.expected == pytest.approx(np.full(len(u), adults * pi), rel=1e-12)
    assert np.array_equal(jobs.drawn, binom.ppf(u, adults, pi).astype(np.int32))


def test_referrals_raise_the_chance_of_the_next_job_by_detailed_balance():
    """With referrals a household of two seekers is at the rest of a birth-death chain:
    P(1) / P(0) = 2 h(0) / (s (1 - h(1))), P(2) / P(1) = h(1) / (2 s (1 - h(2))), h(k) the chance
    of a seeker of weight w (1 + r k) (a known answer by hand)."""
    c, s, w, r = 0.1, 0.15, 1.3, 4.0

    def h(k):
        weight = w * (1.0 + r * k)
        return c * weight / (1.0 - c + c * weight)

    p = np.array([1.0, 2 * h(0) / (s * (1 - h(1))), 0.0])
    p[2] = p[1] * h(1) / (2 * s * (1 - h(2)))
    p /= p.sum()
    u = np.array([p[0] - 1e-9, p[0] + 1e-9, p[0] + p[1] - 1e-9, p[0] + p[1] + 1e-9])
    jobs = rest_jobs(chance=np.array([c]), u=u, **chain([2, 2, 2, 2], skill_weight=w, referral=r, separation=s))
    assert jobs.expected == pytest.approx(np.full(4, p[1] + 2 * p[2]), rel=1e-12)
    assert jobs.drawn.tolist() == [0, 1, 1, 2]


def test_a_farm_keeps_the_adults_it_wants_at_the_expected_wage():
    """Adults a farm wants at the expected wage (the best wage times h) do not seek: a farm whose
    b P / (w h) passes the first threshold (1/2)^(1 - b) but not the second keeps one of its
    two adults, who never works; hired for sure (c = 1) the other works."""
    c = 0.2
    own = 0.6 * 1000.0 * c / B  # at c = 1: b own / best = 0.12, below the first threshold 0.5^0.5
    jobs = rest_jobs(chance=np.array([1.0]), u=np.array([0.5]), **chain([2], own=own))
    assert jobs.drawn.tolist() == [2]  # at c = 1 the wage is the best wage: the farm wants none
    wanted_one = 1.0 * 1000.0 * c / B  # b own / (best c) = 1.0: at least 0.707, below 1.5^0.5
    jobs = rest_jobs(chance=np.array([c]), u=np.array([0.999999]), **chain([2], own=wanted_one, separation=0.01))
    assert jobs.drawn.tolist() == [1]
    assert jobs.expected[0] == pytest.approx(c / (c + 0.01 * (1 - c)), rel=1e-12)


def test_each_node_chance_gives_its_jobs_in_expectation():
    """``rest_chance`` solves c so that the expected jobs are the node's: without referrals and
    own work, adults A pi(c) = J gives c = pi s / (1 - pi (1 - s)) with pi = J / A (known answer);
    a node whose adults are fewer than its jobs gets c = 1."""
    s = 0.12
    adults = np.array([2, 3, 1, 4, 2], np.int64)
    args = chain(adults, separation=s)
    args["node"] = np.array([0, 0, 0, 1, 1])
    args["best"] = np.array([1000.0, 1000.0])
    c = rest_chance(table_jobs=np.array([2.4, 7.0]), guess=np.full(2, np.nan), n_nodes=2, iterations=60, tolerance=np.full(2, 1e-12),
                    bracket=1e-13, **args)
    pi = 2.4 / 6
    assert c[0] == pytest.approx(pi * s / (1 - pi * (1 - s)), rel=1e-9)
    assert c[1] == 1.0


def three_nodes():
    """Three nodes of 100 households each with referrals, farms that keep adults (their jobs
    step where the job rule sends one more adult) and skill weights: the rest kernels'
    arguments and the nodes' table jobs."""
    rng = np.random.default_rng(4)
    args = chain(rng.integers(1, 6, 300), referral=1.0, separation=0.12)
    args["own"] = rng.uniform(0.0, 3000.0, 300)
    args["skill_weight"] = rng.uniform(0.5, 2.0, 300)
    args["node"] = np.repeat([0, 1, 2], 100)
    args["best"] = np.array([1000.0, 1200.0, 900.0])
    return args, np.array([60.0, 90.0, 40.0])


@pytest.mark.parametrize("guess", [np.nan, 0.01, 0.2, 0.9])
def test_a_guess_only_changes_where_the_search_starts(guess):
    """``rest_chance`` from a guessed chance (the previous round's in the start) brackets and
    finds the same chance as from none: with referrals and farms that keep adults (jobs then
    step where the job rule sends one more adult), each node's expected jobs at the chance
    found are the tables' within the tolerance, or the chance sits at a step of its jobs
    across the tables' (within the bracket)."""
    args, table = three_nodes()
    solve = dict(table_jobs=table, n_nodes=3, iterations=200, tolerance=np.full(3, 1e-9), bracket=1e-12, **args)
    c = rest_chance(guess=np.full(3, guess), **solve)
    reference = rest_chance(guess=np.full(3, np.nan), **solve)
    assert c == pytest.approx(reference, abs=1e-11)

    def jobs(chance):
        expected = rest_jobs(chance=chance, u=np.full(300, 0.5), **args).expected
        return np.bincount(args["node"], expected, minlength=3) - table

    at, below, above = jobs(c), jobs(c - 1e-11), jobs(c + 1e-11)
    assert np.all((np.abs(at) <= 1e-9) | ((below < 0) & (above > 0)))


@pytest.mark.parametrize("miss", [1e-3, -1e-3])
def test_a_near_guess_finds_the_chance_in_a_few_passes(miss):
    """From a guess near a node's chance (a round's chance is the next round's guess) the
    search steps toward the chance and regula falsi finishes in a few passes over the
    households: within 8 passes the jobs are the tables' within 1e-9 where the jobs are smooth
    at the chance (nodes 0 and 1; a search that stepped away, or never switched to regula
    falsi, needs about 20). Node 2's chance sits at a step of its jobs (bracket only)."""
    args, table = three_nodes()
    solve = dict(table_jobs=table, n_nodes=3, tolerance=np.full(3, 1e-9), bracket=1e-12, **args)
    reference = rest_chance(guess=np.full(3, np.nan), iterations=200, **solve)
    c = rest_chance(guess=reference * (1.0 + miss), iterations=8, **solve)
    expected = rest_jobs(chance=c, u=np.full(300, 0.5), **args).expected
    assert np.abs(np.bincount(args["node"], expected, minlength=3) - table)[:2] == pytest.approx([0, 0], abs=1e-9)


def rest_scenario(seed):
    """The example's stationary scenario at ``seed`` (scale 0.25, one year) without turnover
    or wage premium, and the same at turnover's rest with the wage premium (s = 0.12, premium 0.8, its correlation 0.7)."""
    from conftest import SCENARIOS
    from territory_abm import load_scenario

    scenario = load_scenario(SCENARIOS / "stationary.toml").replace(seed=seed, households_scale=0.25, steps=1)
    plain = scenario.parameters.with_overrides({"job_separation_rate": 0.0, "wage_residual_sd": 0.0}, source="test")
    rest = scenario.parameters.with_overrides({"job_separation_rate": 0.12, "wage_residual_sd": 0.8,
                                               "wage_residual_income_correlation": 0.7}, source="test")
    return scenario.replace(parameters=plain), scenario.replace(parameters=rest)


@pytest.fixture(scope="module")
def starts():
    """The example's start (stationary scenario, seed 1, scale 0.25) without turnover and at
    turnover's rest with the wage premium."""
    from territory_abm import TerritoryModel

    scenario, rest = rest_scenario(seed=1)
    return TerritoryModel(scenario), TerritoryModel(rest)


@pytest.fixture(scope="module")
def weighed():
    """The rest start of ``starts`` again, with the arguments of the chain's last draw of jobs
    (``rest_kernels.rest_start``: what each household's own work was weighed at)."""
    from territory_abm import TerritoryModel
    from territory_abm.model import start

    last = {}

    def recorded(**arguments):
        last.update(arguments)
        return rest_start(**arguments)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(start, "rest_start", recorded)
        model = TerritoryModel(rest_scenario(seed=1)[1])
    return model, last


def test_the_chain_weighs_own_work_as_the_run_does(weighed):
    """The chain weighs each household's own work per skill unit at what the run's job rule
    weighs in its first year (``labour.own_work_revenue`` over ``labour.skill``): a farm at its
    revenue with one adult, an enterprise at its local sales only (the part sold outside the
    territory, ``start_market.enterprises_outside``, does not grow with its labour). Before the
    chain weighed an enterprise's whole sales: in the two cities 0.36 and 0.64 of them are local."""
    from territory_abm.model import labour

    model, chain = weighed
    own, in_enterprise = labour.own_work_revenue(model, labour.farm_revenue_at_one_worker(model))
    run = own / labour.skill(model)
    assert np.array_equal(in_enterprise, chain["in_enterprise"])
    assert in_enterprise.sum() > 1000
    # an enterprise's local share in the chain is within ``start.REST_SHARE_TOLERANCE`` (absolute)
    # of the share its jobs sell at in the run: relative, that over the share (a city's 0.5:
    # 0.2 %, seen in session 51)
    from territory_abm.model.start import REST_SHARE_TOLERANCE
    rel = REST_SHARE_TOLERANCE / model.start_local_share[model.populated].min()
    assert run[in_enterprise] == pytest.approx(chain["own"][in_enterprise], rel=rel)
    farms = (model.households.tfp > 0) & ~in_enterprise
    assert run[farms] == pytest.approx(chain["own"][farms], rel=1e-9)


def test_the_start_sells_locally_the_share_its_jobs_were_drawn_at():
    """The enterprises' local share of their starting sales (``start_market.enterprises_outside``) is
    the share the chain weighed their own work at (``model.start_local_share``): the rest's
    last rounds go on at the final level and spread until the share settles
    (``start.REST_SHARE_ROUNDS``). At seed 6 it moves in those rounds: with one round Puerto
    Nuevo's enterprises sold locally 0.90 of the share their jobs were drawn at."""
    from territory_abm import TerritoryModel

    model = TerritoryModel(rest_scenario(seed=6)[1])
    hh, n = model.households, model.n_nodes
    local = np.bincount(hh.node, hh.enterprise_sales * hh.alive, minlength=n)
    whole = local + np.bincount(hh.node, hh.enterprise_outside * hh.alive, minlength=n)
    sells = whole > 0
    assert (model.start_local_share[sells] < 0.9).sum() >= 2  # the cities sell outside
    assert local[sells] / whole[sells] == pytest.approx(model.start_local_share[sells], rel=1e-3)


def test_the_start_pays_the_farms_what_the_run_pays_at_its_jobs(weighed):
    """A farm's starting income is what ``kernels.labour_incomes`` pays at the start's jobs:
    its revenue with one adult times L^b, L its adults without a wage job, and nothing where
    every adult holds one (before, such farms kept one adult's farm income: 1,124 of about
    5,000 farms at this seed)."""
    from territory_abm.model import labour

    model, _ = weighed
    hh = model.households
    family = hh.adults - hh.employed
    farms = hh.tfp > 0
    paid = labour.farm_revenue_at_one_worker(model) * np.power(np.maximum(family, 0), model.params.farm_labour_elasticity)
    assert (farms & (family == 0)).sum() > 500
    assert hh.farm_income[farms] == pytest.approx(np.where(family > 0, paid, 0.0)[farms], rel=1e-9, abs=1e-9)


def test_land_of_farms_whose_adults_all_work_is_valued_with_one_adult(weighed):
    """Nobody gains by renting at the start (``land_market.start``): at each node's starting
    rent r every farm's marginal farm income per effective hectare, a P max(L, 1)^b / (q h), is
    r, a farm whose adults all hold jobs valued at what its land yields with one adult, as when
    a worker comes back to it. (Valued at its income of 0, its land had quality 1 and the run
    let 4,284 instead of 693 effective ha in year 1, farm income +5.5 % at seed 1, clearing and
    migration off.)"""
    from territory_abm.model import labour

    model, _ = weighed
    hh, p = model.households, model.params
    farms = (hh.tfp > 0) & np.isfinite(model.start_land_rent)[hh.node]
    family = np.maximum(hh.adults - hh.employed, 1)
    effective = np.exp(hh.land_quality_log) * np.maximum(hh.land, p.garden_plot_ha)
    value = (p.farm_land_elasticity * labour.farm_revenue_at_one_worker(model)
             * np.power(family, p.farm_labour_elasticity) / effective)
    idle = farms & (hh.employed >= hh.adults)
    assert idle.sum() > 500
    assert value[farms] == pytest.approx(model.start_land_rent[hh.node][farms], rel=1e-9)


def node_figures(model):
    hh, n = model.households, model.n_nodes
    persons = np.maximum(np.bincount(hh.node, hh.members, minlength=n), 1)
    poor = np.bincount(hh.node, hh.members * (hh.income / hh.members < model.poverty_line), minlength=n) / persons
    jobs = np.bincount(hh.node, hh.employed, minlength=n) / np.maximum(np.bincount(hh.node, hh.adults, minlength=n), 1)
    return poor, np.bincount(hh.node, hh.income, minlength=n) / persons, jobs


def test_the_rest_start_holds_the_tables_jobs_and_the_drawn_incomes(starts):
    """At turnover's rest the start holds the tables' wage share of adults by node (within
    rounding and the draw), where without turnover rural nodes start short of it (0.25 against
    0.30); its incomes per person have the drawn incomes' mean by node (within 2 %), and its
    territory poverty is theirs within 1.5 points (a node where a job is most of a household's
    income, La Ceiba, starts up to 12 points above its drawn poverty: the run's summary names it)."""
    plain, rest = starts
    table = np.nan_to_num(rest.territory.table["wage_share"])
    populated = rest.populated
    poor0, mean0, jobs0 = node_figures(plain)
    poor, mean, jobs = node_figures(rest)
    assert np.abs(jobs - table)[populated].max() < 0.015
    assert np.abs(jobs0 - table)[populated].max() > 0.04
    assert mean[populated] == pytest.approx(mean0[populated], rel=0.02)
    territory0 = plain.datacollector.get_model_vars_dataframe()["poverty_headcount"].iloc[0]
    territory = rest.datacollector.get_model_vars_dataframe()["poverty_headcount"].iloc[0]
    assert abs(territory - territory0) < 0.015


@pytest.mark.parametrize("seed", [3, 6])
def test_the_rest_start_earns_the_drawn_means_with_the_firms_at_its_jobs(seed):
    """Each node's income per person earned in the start's year (``start.earned_income``) is
    the drawn incomes' mean within 0.5 %, at the defaults (stationary scenario, scale 0.1): the
    dividends, public income and estate profits in the rounds' incomes are those of the firms
    and estates at each round's drawn jobs, which they then hold (``start.held_jobs_at``). The
    rounds stop where each node's mean is within 0.2 % (``start.REST_LEVEL_TOLERANCE``) and the
    local shares settle, or at ``REST_SHARE_ROUNDS``: seed 3 runs them all and misses by 0.39 %,
    seed 6 stops after 10 and misses by 0.12 %. Session 38's start solved the rounds at the
    firms' jobs before them and paid those of the jobs held after: its largest node missed by
    1.29 % (seed 3) and 0.95 % (seed 6); the first version of session 39's, without the
    estates' profits, by 0.39 % and 0.43 %."""
    from conftest import SCENARIOS
    from territory_abm import TerritoryModel, load_scenario
    from territory_abm.model import start

    drawn = {}
    solve = start.jobs_at_turnover_rest

    def recorded(model, cols, *arguments):
        drawn.update(income=cols["income"].copy(), node=cols["node"].copy(), members=cols["members"].copy())
        return solve(model, cols, *arguments)

    scenario = load_scenario(SCENARIOS / "stationary.toml").replace(seed=seed, households_scale=0.1, steps=1)
    assert scenario.parameters.job_separation_rate > 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(start, "jobs_at_turnover_rest", recorded)
        model = TerritoryModel(scenario)
    n, node = model.n_nodes, drawn["node"]
    persons = np.bincount(node, drawn["members"], minlength=n)
    held = persons > 0
    assert held.sum() >= 12
    want = np.bincount(node, drawn["income"], minlength=n)[held] / persons[held]
    earned = np.bincount(node, start.earned_income(model), minlength=n)[held] / persons[held]
    assert earned == pytest.approx(want, rel=0.005)


def test_the_rest_start_keeps_the_farms_share_of_income(starts):
    """At turnover's rest the rural municipalities earn the share of their income from farms
    that the start without turnover gives them (the tables' share where the households'
    residuals hold it): the farms' productivity is backed out at the expected jobs, and the
    drawn jobs would leave them less (a farm whose adults all hold jobs earns nothing), so the
    start raises the farms' target by what the drawn jobs take. Without that the rest put 0.518
    of rural income off the farm against 0.430 (seed 1), node by node 0.09 apart on average."""
    plain, rest = starts
    rural = np.asarray(rest.territory.kinds) == "municipality"

    def farm_share(model):
        hh, n = model.households, model.n_nodes
        farm = np.bincount(hh.node, hh.farm_income, minlength=n)[rural]
        income = np.bincount(hh.node, hh.income, minlength=n)[rural]
        return farm.sum() / income.sum(), farm / income

    total0, by_node0 = farm_share(plain)
    total, by_node = farm_share(rest)
    assert total == pytest.approx(total0, abs=0.015)
    assert np.abs(by_node - by_node0).mean() < 0.03


def test_the_rest_start_keeps_the_estates_profits_and_assets_at_rest(starts):
    """After the rest's jobs are drawn, each estate's capital leaves it the profit planned for
    its owners at the skill units it now holds (at its optimum, profit = w L (1/beta - 1) -
    delta K, ``estates.plan_profits``), and each household's assets are those at rest at its
    starting income earned (``start.steady_state_assets``, ``start.earned_income``): the run's
    first years start from them."""
    from territory_abm.model import start

    _, rest = starts
    p, e, hh = rest.params, rest.estates, rest.households
    assert e.labour == pytest.approx(e.workers * rest.worker_skill[e.node], rel=1e-12)
    gross = rest.initial_wage[e.node] * e.labour * (1.0 / p.firm_labour_elasticity - 1.0)
    assert gross - p.depreciation_rate * e.capital == pytest.approx(e.profit, rel=1e-9, abs=1e-6)
    at_rest = start.steady_state_assets(rest, start.earned_income(rest), hh.members, rest.start_dividends)
    assert hh.assets == pytest.approx(at_rest, rel=1e-12)
    # households running an own-account enterprise too: its capital was bought long ago out of
    # savings they have rebuilt since (``start.own_account_at_rest``)
    assert hh.enterprise_own_account.sum() > 10


def test_the_wage_premium_is_kept_and_passed_on(starts):
    """The premium beyond schooling is drawn once, enters each worker's skill (``labour.skill``),
    and households formed in the run (adult children, single movers) carry their origin's."""
    from territory_abm.model import labour

    plain, rest = starts
    assert not plain.households.skill_residual.any()
    hh = rest.households
    start_values = set(hh.skill_residual[: hh.n].tolist())
    assert np.std(hh.skill_residual) == pytest.approx(0.8, rel=0.05)
    skill = labour.skill(rest)
    assert skill == pytest.approx(np.exp(rest.params.education_return * (hh.education - rest.mean_education)
                                         + hh.skill_residual), rel=1e-12)
    assert start_values
    rest = copy.deepcopy(rest)  # the run steps a copy: the module's starts stay starts for the other tests
    formed = 0
    for _ in range(3):
        # a union gives the household its two adults' mean (``formation.unite``): the values a
        # household formed in the year can carry are those its origin had before or after it
        hh = rest.households
        ever, before = hh.ever, set(hh.skill_residual[: hh.n].tolist())
        rest.step()
        hh = rest.households
        new = hh.id[: hh.n] >= ever
        formed += int(new.sum())
        values = hh.skill_residual[: hh.n]
        assert set(values[new].tolist()) <= before | set(values[~new].tolist())
    assert formed > 0


def test_separated_workers_alone_update_the_expected_chance(monkeypatch):
    """The lottery's seekers are the new ones and the workers separated from their jobs: a node
    where only separated workers seek (new seekers removed here) still learns the year's chance
    (without counting them its expectation stayed put, or jumped to 1 where vacancies went
    unfilled)."""
    from conftest import SCENARIOS
    from territory_abm import TerritoryModel, load_scenario
    from territory_abm.model import labour

    scenario = load_scenario(SCENARIOS / "stationary.toml").replace(seed=1, households_scale=0.1, steps=1)
    model = TerritoryModel(scenario.replace(parameters=scenario.parameters.with_overrides(
        {"job_separation_rate": 0.3, "expectation_adjustment": 1.0}, source="test")))
    seekers = labour.seekers

    def only_returning(*args, **kwargs):
        wanted = seekers(*args, **kwargs)
        return wanted._replace(new_by_node=np.zeros_like(wanted.new_by_node))

    monkeypatch.setattr(labour, "seekers", only_returning)
    chances = []
    hire = labour.hire

    def recorded(**arguments):
        hired = hire(**arguments)
        chances.append(hired.chance)
        return hired

    monkeypatch.setattr(labour, "hire", recorded)
    model.step()
    hiring = model.populated & (chances[0] < 1.0)
    assert hiring.sum() >= 10
    assert model.job_finding[hiring] == pytest.approx(chances[0][hiring], rel=1e-12)


def test_a_run_with_turnover_says_what_its_start_is(starts):
    """With turnover the summary names the municipalities whose starting poverty misses the
    drawn incomes' by more than 2 points (each such miss, and only those), and says where the
    wage premium is off that the start's poverty is far from the tables'; without turnover it
    says nothing of it, nor with turnover where nothing misses (the defaults since session 35)."""
    from territory_abm.runner import POVERTY_MISS_SHOWN, turnover_lines

    plain, rest = starts
    assert turnover_lines(plain.params, None, plain.territory.names) == []
    lines = turnover_lines(rest.params, rest.start_rest_poverty_miss, rest.territory.names)
    if not np.any(np.abs(rest.start_rest_poverty_miss) > POVERTY_MISS_SHOWN):
        assert not any("misses by more than" in line for line in lines)
        if rest.params.wage_residual_sd > 0:
            assert lines == []
    without_premium = rest.params.with_overrides({"wage_residual_sd": 0.0})
    assert "wage_residual_sd 0" in turnover_lines(without_premium)[1]
    # with the referral weight 1 no municipality of this start misses by 2 points (at 10 La Ceiba
    # did): one made to miss must be named, with its miss, and no other
    miss = rest.start_rest_poverty_miss.copy()
    populated = np.flatnonzero(rest.populated)
    miss[populated[0]] = -2.5 * POVERTY_MISS_SHOWN
    miss[populated[1]] = 1.5 * POVERTY_MISS_SHOWN
    named = turnover_lines(rest.params, miss, rest.territory.names)[-1]
    far = np.flatnonzero(np.abs(miss) > POVERTY_MISS_SHOWN)
    assert set(populated[:2]) <= set(far)
    assert all(f"{rest.territory.names[i]} {100 * miss[i]:+.1f}" in named for i in far)
    near = [i for i in populated if i not in far]
    assert not any(f"{rest.territory.names[i]} " in named for i in near)


def test_the_local_share_rounds_stop_at_the_shares_jump_rather_than_cycle():
    """Where a household's jobs flip between rounds the share its node's enterprises sell
    locally jumps and has no fixed point: at seed 6 with the migrants' selection of session 24
    (persistence 0.2, stay 5.0) Puerto Nuevo's share cycled 0.2017, 0.2083, 0.1796 and the start
    sold locally 0.023 off the share its jobs were drawn at. With a node's step halved each time
    its move turns back the rounds close in on the jump: 0.0107 off (0.0096 at seed 3, 0.018
    before), about half the jump, and every other node within ``REST_SHARE_TOLERANCE``."""
    from territory_abm import TerritoryModel
    from territory_abm.model.start import REST_SHARE_TOLERANCE

    scenario = rest_scenario(seed=6)[1]
    scenario = scenario.replace(parameters=scenario.parameters.with_overrides(
        {"migration_income_persistence": 0.2, "migration_stay_preference": 5.0}, source="test"))
    model = TerritoryModel(scenario)
    hh, n = model.households, model.n_nodes
    local = np.bincount(hh.node, hh.enterprise_sales * hh.alive, minlength=n)
    whole = local + np.bincount(hh.node, hh.enterprise_outside * hh.alive, minlength=n)
    sells = whole > 0
    gap = np.abs(local[sells] / whole[sells] - model.start_local_share[sells])
    assert gap.max() < 0.012, gap.max()
    assert np.sort(gap)[-2] < REST_SHARE_TOLERANCE


def test_the_start_at_turnover_s_rest_is_pinned():
    """The candidate setting's start and first year (stationary scenario, scale 0.03, seed 5):
    the territory's income, farm, enterprise and wage income (USD/yr), wage jobs and firms,
    pinned as the golden tables pin the defaults (which run without turnover), so that a change
    of the start at turnover's rest is meant: update the figures with the reason, as for the
    golden tables. Session 33's speed-up of this start left them to the bit (a reviewer's
    check on more settings than fingerprint.py --set's). Pinned at ``CANDIDATE`` and the
    stationary scenario's pull of that session, 1 (the candidate setting of session 34 sets the
    scenario's to 0), so that a change of the defaults leaves them. Session 34: the start's
    income is recorded net of its single emigrants' expected shares
    (``start.record_leavers_shares``), 23,775 USD less; the other figures and the first year are
    as before. Session 37: the start holds own-account enterprises at the rest of their entry and
    exit (``start.own_account_at_rest``) and its last rounds keep the level at the drawn means
    (``start.REST_LEVEL_TOLERANCE``). Session 38: the last rounds damp each node's level and the
    expected jobs (``start.REST_EXPECTED_STEP``), the income 3,306 USD (0.03 %) lower; pinned at
    the referral weight of sessions 20-37 (1), which the defaults left for 0.5. Session 39: the
    rounds' incomes hold the dividends, public income and estate profits of the firms and
    estates at each round's drawn jobs (those the start then pays), the income 56,977 USD (0.44 %)
    lower: the income earned in the start's year is the drawn one's within 0.07 % (0.37 % above
    it before). Session 41: the starting firms' markets are drawn once per node and sector
    (``start.firm_plan``), not once per firm: the income 41,611 USD (0.32 %) higher, 1,386 wage
    jobs at the start (1,395) and 1,367 after the first year (1,338). Session 45: the start backs
    out no negative farm income (``split_residual``'s floor on the positive part of the local
    income): the start as before, the first year's income 0.10 USD higher (8e-9; farm income
    +0.09, 2e-8 of it, enterprise income +0.01). Session 46: single movers take the wage jobs
    they held (``mover_job_share``): the first year's incomes as before (earned before the
    moves), its wage jobs at the end of the year 1,362 (5 movers took theirs). Session 47: dying
    workers' jobs and those of households moving whole open too (``death_job_share``,
    ``mover_job_share``): the first year's incomes as before, its jobs at the end 1,360. Session 51:
    the cities' farms start at most at the territory's farm productivity (``city_farm_tfp_ceiling``):
    the start's farm income 384,713 USD (10.6 %) lower, its enterprise income 324,455 higher, the
    income 37,257 USD (0.29 %) lower, 1,391 wage jobs at the start and 1,362 after the first year;
    then the tables' non-farm share read as earned income (wages and enterprises; the farms' target
    net of public income, dividends, estates' profits and remittances): farm income 236,110 USD
    lower again, enterprise income 190,096 higher, 1,396 and 1,368 wage jobs. Session 53: pinned at
    ``own_account_scale`` 1, the default up to session 52 (0.25 since)."""
    from conftest import SCENARIOS
    from territory_abm import TerritoryModel, load_scenario
    from test_spatial_equilibrium import CANDIDATE

    scenario = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.03, steps=1, seed=5)
    model = TerritoryModel(scenario.replace(parameters=scenario.parameters.with_overrides(
        CANDIDATE | {"urbanisation_pull": 1.0, "hiring_referral_weight": 1.0, "own_account_scale": 1.0})))

    def figures():
        hh, alive = model.households, model.households.alive
        return [hh.income[alive].sum(), hh.farm_income[alive].sum(), hh.enterprise_income[alive].sum(),
                hh.wage_income[alive].sum(), hh.employed[alive].sum(), model.firm_table.alive[:model.firm_table.n].sum()]

    assert figures() == pytest.approx([12932641.007280946, 3008151.622263689, 3037232.9143257136, 5935724.467747452,
                                       1396, 83], rel=1e-9)
    model.step()
    assert figures() == pytest.approx([12841171.752185551, 3017597.4115642146, 3039598.354048065, 5826633.76875476,
                                       1368, 83], rel=1e-9)


def _own_account_households(**change):
    """Households of one node for ``start.own_account_at_rest``: the first runs an enterprise of
    scale 2,000, the others are without a livelihood with 1,000 USD of savings (two adults each)."""
    k = 4001
    cols = dict(node=np.zeros(k, np.int64), adults=np.full(k, 2), employed=np.zeros(k, np.int64),
                farms=np.zeros(k, bool), owns=np.zeros(k, bool), capital=np.zeros(k), scale=np.zeros(k),
                placed=None, assets=np.full(k, 1000.0), skill=np.ones(k),
                power=np.full(k, 3.0 ** Parameters().enterprise_labour_elasticity),  # (1 + L)^e, L = 2
                best_wage=np.array([1000.0]), chance=np.array([0.2]), skill_weight=np.ones(k),
                u=np.linspace(0.0, 1.0, k, endpoint=False))
    cols["capital"][0], cols["scale"][0] = 2000.0, 2000.0
    cols.update(change)
    return cols


@pytest.mark.parametrize("entry,exit_,share", [(0.5, 0.3, 0.625), (0.5, 0.0, 1.0), (1.0, 1.0, 0.5)])
def test_the_start_holds_own_account_enterprises_at_the_rest_of_entry_and_exit(entry, exit_, share):
    """Known answer (``start.own_account_at_rest``): of the households without a livelihood for
    whom an own-account enterprise pays, a share e / (e + x) runs one at the start (the rest of
    entering at e a year and closing at x); its scale is what the savings pay for (below the
    node's typical enterprise), and it pays just below the threshold of its income S ((1 + L)^e'
    - delta kappa) at price 1 against the wage its adults expect, not just above."""
    from territory_abm.model.start import own_account_at_rest

    p = Parameters().with_overrides({"own_account_entry": entry, "own_account_exit": exit_,
                                     "own_account_scale": 1.0})  # the savings bind; the share: test_livelihood.py
    scale = own_account_at_rest(p, **_own_account_households())
    runs = scale[1:] > 0
    assert runs.mean() == pytest.approx(share, abs=1e-3)
    assert scale[0] == 0.0  # the start's enterprise is not an own-account one
    assert np.allclose(scale[1:][runs], 1000.0 / p.enterprise_capital_output)
    # the threshold: it pays where S ((1 + L)^e' - delta kappa) exceeds L x skill x best x chance
    income = 1000.0 / p.enterprise_capital_output * (3.0 ** p.enterprise_labour_elasticity
                                                     - p.asset_depreciation * p.enterprise_capital_output)
    for margin, opens in ((0.99, True), (1.01, False)):
        best = np.array([margin * income / (2 * 0.2)])  # chance 0.2 at weight 1
        assert (own_account_at_rest(p, **_own_account_households(best_wage=best))[1:] > 0).any() == opens
    # the typical scale is the node's enterprises' mean, the ones placed in the round before included
    cols = _own_account_households(assets=np.full(4001, 1e9), placed=np.r_[0.0, 0.0, 1000.0, np.zeros(3998)])
    scale = own_account_at_rest(p, **cols)
    assert np.allclose(scale[scale > 0], (2000.0 + 1000.0) / 2)
    # a household placed in the round before keeps its enterprise though one of its adults drew a job
    employed = np.zeros(4001, np.int64)
    employed[2] = 1
    cols = _own_account_households(placed=np.r_[0.0, 0.0, 1000.0, np.zeros(3998)], employed=employed)
    cols["u"][2] = 0.0
    assert own_account_at_rest(p, **cols)[2] > 0
    cols["placed"] = None
    assert own_account_at_rest(p, **cols)[2] == 0


@pytest.mark.parametrize("change", ["farm", "job", "estate", "no savings", "wage", "no chance yet"])
def test_the_start_gives_no_own_account_enterprise_where_the_run_would_not_open_one(change):
    """Households with a farm, a wage job, an estate or no savings hold none, nor those whose
    adults expect more from seeking wage work (at the node's rest chance) than it would earn."""
    from territory_abm.model.start import own_account_at_rest

    p = Parameters()
    k = 4001
    cols = _own_account_households(**{
        "farm": {"farms": np.ones(k, bool)}, "job": {"employed": np.ones(k, np.int64)},
        "estate": {"owns": np.ones(k, bool)}, "no savings": {"assets": np.zeros(k)},
        "wage": {"chance": np.array([1.0])},
        "no chance yet": {"chance": np.array([np.nan]), "best_wage": np.array([1.0])}}[change])
    assert (own_account_at_rest(p, **cols) == 0).all()
    assert (own_account_at_rest(p, **_own_account_households()) > 0).any()


def test_the_start_weighs_own_account_enterprises_at_the_best_wage_the_chain_weighs():
    """The start's own-account enterprises are weighed against the best net wage per skill unit
    reachable from each node, the one the chain of jobs weighs (a first version passed the
    spread of the target incomes, a variable of the same name, about 1 USD)."""
    from territory_abm import TerritoryModel
    from territory_abm.model import start

    seen, chains = [], []

    def recorded_chain(**arguments):
        chains.append(arguments["best"])
        return rest_start(**arguments)

    def recorded(*args, **kwargs):
        seen.append(kwargs["best_wage"])
        return placing(*args, **kwargs)

    placing = start.own_account_at_rest
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(start, "rest_start", recorded_chain)
        patch.setattr(start, "own_account_at_rest", recorded)
        TerritoryModel(rest_scenario(seed=1)[1])
    assert len(seen) > 10 and all(np.array_equal(w, chains[0]) for w in seen)
    assert np.nanmin(chains[0][chains[0] > 0]) > 500.0
