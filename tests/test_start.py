"""The starting state is one the model's own rules keep (issue 12): what the start assumes
the first year pays, it pays."""

import numpy as np
import pytest

from conftest import SCENARIOS

from territory_abm import TerritoryModel, load_scenario
from territory_abm.model import migration


@pytest.fixture(scope="module")
def stationary():
    sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.1, steps=6, seed=4)
    model = TerritoryModel(sc)
    first = {"other": model.households.other_income[model.households.alive].sum(),
             "shares": model.start_leavers_shares.sum(),
             "remittances": model.households.remittance_income[model.households.alive].sum(),
             "services": [m.service_quality for m in model.active_municipalities()],
             "roads": [q for *_, q in model.graph.edges(data="road_quality")],
             "adult_share": model.households.adults.sum() / model.households.members.sum()}
    migrate = migration.migrate

    def paid_before_migration(m):  # single migrants then take their share out of other income
        first["other_paid"] = m.households.other_income[m.households.alive].sum()
        migrate(m)

    migration.migrate = paid_before_migration
    try:
        model.step()
    finally:
        migration.migrate = migrate
    first["other_after"] = model.households.other_income[model.households.alive].sum()
    return model, first


def test_public_income_and_dividends_of_the_first_year_are_those_the_start_assumed(stationary):
    """Compared as the year pays them, before single migrants take their share of the year's
    income out of other income (``migration.single_leaves``): the start's other income earned,
    its recorded other income and the shares its single emigrants took in expectation
    (``start.record_leavers_shares``)."""
    model, first = stationary
    assert first["other_paid"] == pytest.approx(first["other"] + first["shares"], rel=0.01)


def test_the_start_records_its_year_as_the_run_records_the_first(stationary):
    """Known answer: after the first year's single migrants took their shares, the year's other
    income is the start's recorded one (the start records its year net of its single
    emigrants' expected shares); recorded gross of them, as before session 34, the start's
    would be above the first year's by the shares: about 4 % at the former defaults, 16 % at
    the defaults since session 35 (seeds 1-6 at scale 0.1: shares 15.6-17.9 % of other
    income; the first year's other income -3.5 % to +4.6 % of the start's, the year's draws of
    who leaves, +0.1 % on their mean; seed 4, this fixture's, -1.6 %)."""
    model, first = stationary
    assert first["shares"] > 0.1 * first["other"]
    assert first["other_after"] == pytest.approx(first["other"], rel=0.05)


def test_migrants_abroad_remit_from_the_start(stationary):
    model, first = stationary
    start = TerritoryModel(model.scenario)
    abroad = start.households.migrants_abroad
    assert abroad.sum() > 0
    assert first["remittances"] == pytest.approx(migration.remittance_per_migrant_abroad(model) * abroad.sum())


def test_quality_stays_where_the_starting_budgets_sustain_it(stationary):
    """Service and road quality hold within 3 % over 5 years (seed 4, scale 0.1: the largest move
    is one small node's services, +2.9 % at the referral weight 0.5 of session 38 and +1.7 %, another
    node, at the former 1; seeds 1-2 within 0.6 %)."""
    model, first = stationary
    model.run(5)
    services = [m.service_quality for m in model.active_municipalities()]
    roads = [q for *_, q in model.graph.edges(data="road_quality")]
    assert np.allclose(services, first["services"], rtol=0.03)
    assert np.allclose(roads, first["roads"], rtol=0.02)


def test_the_age_structure_is_kept(stationary):
    model, first = stationary
    hh = model.households
    share = hh.adults[hh.alive].sum() / hh.members[hh.alive].sum()
    assert share == pytest.approx(first["adult_share"], abs=0.02)


def stationary_changes(overrides: dict[str, float], seeds: int) -> np.ndarray:
    """20-year changes of poverty, Gini and income per person under ``stationary.toml`` at
    scale 0.25 (as ``benchmarks/stationarity.py``), and of the income per person of the
    intermediate cities' residents, seeds 1..``seeds`` (seeds x 4)."""
    from territory_abm.output import tables

    changes = []
    for seed in range(1, seeds + 1):
        sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.25, steps=20, seed=seed)
        model = TerritoryModel(sc.replace(parameters=sc.parameters.with_overrides(overrides)))
        model.run()
        t = model.datacollector.get_model_vars_dataframe()
        nodes = tables.node_table(model)
        cities = nodes[nodes["kind"] == "city"].assign(income=lambda d: d["mean_income_pc"] * d["population"])
        city = cities.groupby("year")[["income", "population"]].sum()
        city_income = (city["income"] / city["population"]).to_numpy()
        changes.append([*(t[c].iloc[-1] - t[c].iloc[0] for c in ("poverty_headcount", "gini_income", "mean_income_pc")),
                        city_income[-1] - city_income[0]])
        model.release()
    return np.array(changes)


@pytest.fixture(scope="module")
def stationary_runs():
    return stationary_changes({}, 8)


@pytest.mark.slow
def test_the_stationary_scenario_keeps_its_gini(stationary_runs):
    """Issue 12 item 1 with clearing and migration on: over 20 years (8 seeds) the Gini
    changes by less than its seed-to-seed standard deviation (session 37, own-account
    enterprises at their rest: -0.0004, sd 0.0029; session 36, unions, a strict xfail: -0.0057
    (0.0026), the cities' own-account entry; session 35, before unions, -0.0009 (0.0034), the
    rural municipalities' rise and the cities' fall cancelling; main at 414b021: -0.0015, sd
    0.0018)."""
    mean, sd = stationary_runs.mean(axis=0), stationary_runs.std(axis=0, ddof=1)
    assert abs(mean[1]) <= sd[1], (mean, sd)


@pytest.mark.slow
def test_the_stationary_scenario_keeps_its_cities_income(stationary_runs):
    """Issue 12 item 1, 'per-municipality changes are noise around zero', for the cities taken
    together: their residents' income per person changes by less than its seed-to-seed
    standard deviation over 20 years of stationary.toml (8 seeds, scale 0.25). At the defaults
    since session 35 (with the start's spatial equilibrium, ``urbanisation_pull`` 0, in the
    scenario): -30 USD (sd 45; ``territory-abm stationary scenarios/baseline.toml --seeds 8``).
    A strict xfail until then: at ``RULES_OFF`` and pull 1 the cities' income per person fell
    198 USD (sd 36; session 26) as the rural poor moved to them and the sales outside of their
    enterprises that closed were lost. Their poverty fell beyond its sd until session 37's
    own-account enterprises at their rest (session 36, with unions, +3 USD (sd 45) and poverty
    -0.028 (0.008); session 37: -21 (40) and -0.0049 (0.0102); ``test_stationary_parts``).
    Session 46 (a single mover takes the job it held): -9 USD (sd 47); in session 45 a strict
    xfail, -36 (12), beyond one sd."""
    mean, sd = stationary_runs.mean(axis=0), stationary_runs.std(axis=0, ddof=1)
    assert abs(mean[3]) <= sd[3], (mean, sd)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "issue 12 items 1-2 open: income per person slips -25.1 USD (seed sd 10.4) in 20 years at these 8 seeds in "
    "session 53 (own-account entrants at a quarter of the mean enterprise scale; traced: remittances -11.8, "
    "and the local market's demand falling with them takes enterprise income -12.7: docs/model_choices.md, "
    "'Session 53: what the enterprises lose at rest'); -12.4 USD (seed sd 12.1) "
    "in session 47 (dying workers' and whole households' jobs open), beyond its sd by a hair; at 32 seeds "
    "-15.4 (14.2), and session 46's model -18.1 (14.8) there, beyond too (it passed at these 8, -10.8 "
    "(16.8), by its wide spread): the migrants abroad run down, 7.22 -> 6.65 per 100 residents, remittances "
    "5.40 % -> 4.99 % of income, about the whole slip (docs/model_choices.md, 'Session 47: jobs leave with "
    "the worker')"))
def test_the_stationary_scenario_keeps_its_income(stationary_runs):
    """Issue 12 item 1: over 20 years of stationary.toml (8 seeds, scale 0.25) income per person
    changes by less than its seed-to-seed standard deviation (session 53, a strict xfail: -25.1, sd
    10.4; session 47, a strict xfail: -12.4, sd
    12.1; session 46, a single mover taking the job it held: -10.8, sd 16.8; session 45, a strict
    xfail: -18.7, sd 12.7, beyond it, 16 seeds -11 (16); session 43: -16, sd 18; session 37: -12,
    sd 14; session 36, with unions: -0.04, sd 18; branch diaspora2: +8, sd 39; main at 414b021:
    +27, sd 19)."""
    mean, sd = stationary_runs.mean(axis=0), stationary_runs.std(axis=0, ddof=1)
    assert abs(mean[2]) <= sd[2], (mean, sd)


@pytest.mark.slow
def test_the_stationary_scenario_keeps_its_poverty(stationary_runs):
    """Issue 12 item 1: over 20 years of stationary.toml (8 seeds, scale 0.25) poverty changes
    by less than its seed-to-seed standard deviation (session 37, own-account enterprises at
    their rest: -0.0006, sd 0.0053; session 36, unions, a strict xfail: -0.0104 (0.0064), the
    cities' own-account entry; session 35, before unions: -0.0005, sd
    0.0054, the rural municipalities' rise and the cities' fall cancelling; branch diaspora2:
    -0.0030, sd 0.0063; main at 414b021, where this was a strict xfail: -0.0127, sd 0.0034; the
    start now keeps each household at its drawn income and frees the drawn jobs its income
    cannot pay, docs/model_choices.md)."""
    mean, sd = stationary_runs.mean(axis=0), stationary_runs.std(axis=0, ddof=1)
    assert abs(mean[0]) <= sd[0], (mean, sd)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "issue 12 item 1: since session 37's own-account exits and the start's stock of own-account "
    "enterprises, with clearing and migration off the Gini rises 0.0037 (sd 0.0025) in 20 years (6 seeds; poverty "
    "+0.0029, sd 0.0037): the rural municipalities' poverty +0.0043 (0.0031) and the cities' Gini +0.0036 (0.0032). "
    "Before, the cities' accumulating own-account enterprises (poverty -0.0092) offset it: -0.0015 (0.0041) and "
    "+0.0006 (0.0028). The drift is older than them: with own_account_entry 0 the Gini rises +0.0041 (0.0020), "
    "with the fertility gradient off too +0.0041 (0.0015), the cities' Gini +0.0060 and income +36 USD: the start's "
    "rest counts migration flows this setting switches off (docs/model_choices.md, 'Own-account enterprises that "
    "close'). Session 38 (referral weight 0.5, damped start rounds): the Gini +0.0045 (0.0006), poverty +0.0044 "
    "(0.0036), the cities' income +52 (15). Session 39 (the start paying the firms and estates at its jobs): the "
    "Gini +0.0029 (0.0023), poverty +0.0028 (0.0048), the cities' income +51 (16). Session 47 (dying workers' "
    "jobs open): the Gini +0.0053 (0.0017), poverty +0.0029 (0.0041); session 46's model side by side +0.0040 "
    "(0.0023), +0.0023 (0.0028)"))
def test_with_clearing_and_migration_off_the_start_stays_where_it_is():
    """The start is one the model's own rules keep: with the context flat, births equal to
    deaths and the two mechanisms that move the stationary scenario most switched off (forest
    clearing, and migration with the land it frees; docs/model_choices.md), territory poverty
    and Gini change over 20 years by less than their seed-to-seed standard deviation. At the
    defaults since session 35 (job turnover), 6 seeds: poverty -0.0014 (sd 0.0015), Gini
    +0.0016 (0.0020). A strict xfail until then: without turnover (``RULES_OFF``) the jobs relaxed
    from the start's allocation toward the lottery's (session 26, 16 seeds: -0.0040 (0.0028)
    and -0.0016 (0.0011); docs/model_choices.md, 'Where the jobs go without turnover')."""
    changes = stationary_changes({"clearing_propensity": 0.0, "whole_household_share": 0.0,
                                  "migration_stay_preference": 10.0, "birth_rate": 0.006}, 6)[:, :2]
    mean, sd = changes.mean(axis=0), changes.std(axis=0, ddof=1)
    assert np.all(np.abs(mean) <= sd), (mean, sd)


def _plan_inputs(share, jobs, per_firm=5.0):
    """What ``start.firm_plan`` reads of a model: its workers per firm, the nodes' dynamic market
    shares and which nodes are populated (every node here)."""
    from types import SimpleNamespace

    return SimpleNamespace(params=SimpleNamespace(workers_per_firm=per_firm), populated=np.ones(len(jobs), bool),
                           territory=SimpleNamespace(table={"dynamic_market_share": np.asarray(share, float)}))


def test_the_starting_firms_sell_to_dynamic_markets_at_their_nodes_share_within_one_firm_and_on_average():
    """Of a node's k firms in a tradable sector, floor(k * share + u) sell to dynamic markets:
    never more than one firm from k * share, k * share on average over draws, none in commerce
    and services, and one uniform per node and sector taken whatever the jobs."""
    from territory_abm.data.territory import SECTORS, TRADABLE_SECTORS
    from territory_abm.model.start import firm_plan

    share = [0.3, 0.55, 1.0, 0.0]
    jobs = np.array([[37.0, 12.0, 40.0, 3.0], [0.2, 61.0, 8.0, 14.0], [20.0, 0.0, 10.0, 9.0], [50.0, 5.0, 5.0, 5.0]])
    model, tradable = _plan_inputs(share, jobs), np.array([s in TRADABLE_SECTORS for s in SECTORS])
    k = np.where(jobs >= 0.5, np.maximum(np.round(jobs / 5.0), 1), 0)
    counts = []
    for seed in range(400):
        rng = np.random.default_rng(seed)
        plan = firm_plan(model, jobs, np.zeros(4), rng)
        assert np.array_equal(rng.bit_generator.state["state"]["state"],
                              _after_draws(seed, jobs.size)), "one uniform per node and sector"
        count = np.zeros_like(jobs)
        np.add.at(count, (plan.node, plan.sector), plan.dynamic)
        assert np.array_equal(np.bincount(plan.node * 4 + plan.sector, minlength=16).reshape(4, 4), k)
        expected = k * np.asarray(share)[:, None] * tradable
        assert (np.abs(count - expected) < 1.0).all() and not count[:, ~tradable].any()
        counts.append(count)
    # the mean over 400 draws within 4 standard errors (a count's sd is at most 1/2)
    assert np.abs(np.mean(counts, axis=0) - expected).max() < 4 * 0.5 / np.sqrt(400)


def test_a_node_without_a_dynamic_market_share_has_no_dynamic_firms_and_no_warning():
    """A node whose ``dynamic_market_share`` is missing (NaN: the entrants' rule reads it as 0,
    ``nan_to_num``) has every firm local, as the entrants' rule would have it, and the integer
    count takes no NaN (numpy's invalid-value warning is an error here)."""
    import warnings

    from territory_abm.model.start import firm_plan

    jobs = np.array([[30.0, 20.0, 10.0, 5.0], [30.0, 20.0, 10.0, 5.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plan = firm_plan(_plan_inputs([np.nan, 1.0], jobs), jobs, np.zeros(2), np.random.default_rng(3))
    assert not plan.dynamic[plan.node == 0].any() and plan.dynamic[plan.node == 1].any()


def _after_draws(seed: int, size: int):
    rng = np.random.default_rng(seed)
    rng.random(size)
    return rng.bit_generator.state["state"]["state"]


def test_a_nodes_dynamic_firms_do_not_move_when_another_nodes_firms_do():
    """Session 40 traced the start's share rounds to one draw per firm: a city's commerce firms
    going 34 -> 33 shifted every later firm's draw, and another city's dynamic firms went 10 -> 9
    with its own jobs unchanged. With one draw per node and sector, only the node whose jobs
    moved sees its firms change."""
    from territory_abm.model.start import firm_plan

    jobs = np.array([[40.0, 10.0, 170.0, 20.0], [220.0, 30.0, 90.0, 45.0], [60.0, 25.0, 30.0, 15.0]])
    model = _plan_inputs([0.4, 0.25, 0.6], jobs)
    fewer = jobs.copy()
    fewer[0, 2] -= 5.0  # the first node's commerce and services lose a firm
    moved = 0
    for seed in range(50):
        before = firm_plan(model, jobs, np.zeros(3), np.random.default_rng(seed))
        after = firm_plan(model, fewer, np.zeros(3), np.random.default_rng(seed))
        for node in (1, 2):
            assert np.array_equal(before.dynamic[before.node == node], after.dynamic[after.node == node])
        moved += (before.node == 0).sum() - (after.node == 0).sum()
    assert moved == 50
