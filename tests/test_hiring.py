"""Hiring (issue 12 item 1, labour side): a year's jobs beyond the returning workers go to
new seekers by a lottery weighted by skill and referrals, and new seekers expect the chance
their own weight gives them; the start's expectation is the one its first year's hiring
gives."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from territory_abm.model.kernels import lottery_chance


def hire_chances(chance, hiring_weight, node):
    """The chance of being hired of a seeker of ``hiring_weight`` where one of weight 1 has
    ``chance`` (by node): the odds scale with the weight (``kernels._hire_chance``)."""
    c = chance[node]
    return np.where(c >= 1.0, 1.0, c * hiring_weight / (1.0 - c + c * hiring_weight))


def test_equal_weights_give_everyone_the_share_of_jobs_to_seekers():
    fresh = np.array([1.0, 2.0, 3.0, 4.0])
    chance = lottery_chance(fresh=fresh, hiring_weight=np.ones(4), node=np.array([0, 0, 1, 1], np.int32),
                            hires=np.array([1.5, 3.5]), guess=np.array([0.9, 0.01]), n_nodes=2,
                            iterations=60)
    assert chance == pytest.approx([0.5, 0.5])


def test_a_seeker_of_twice_the_weight_has_twice_the_odds():
    chances = hire_chances(chance=np.array([0.2]), hiring_weight=np.array([1.0, 2.0]), node=np.zeros(2, np.int32))
    odds = chances / (1.0 - chances)
    assert odds[1] == pytest.approx(2.0 * odds[0])
    assert chances[0] == pytest.approx(0.2)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.floats(0.01, 100.0), st.integers(0, 2)), min_size=1, max_size=40),
       st.lists(st.floats(0.0, 60.0), min_size=3, max_size=3), st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3))
def test_the_lottery_hands_out_the_jobs_it_has(rows, hires, guess):
    fresh = np.array([r[0] for r in rows], float)
    weight = np.array([r[1] for r in rows])
    node = np.array([r[2] for r in rows], np.int32)
    hires, guess = np.array(hires), np.array(guess)
    chance = lottery_chance(fresh=fresh, hiring_weight=weight, node=node, hires=hires, guess=guess, n_nodes=3,
                            iterations=60)
    p = hire_chances(chance=chance, hiring_weight=weight, node=node)
    assert ((p >= 0) & (p <= 1)).all()
    taken = np.bincount(node, fresh * p, minlength=3)
    seekers = np.bincount(node, fresh, minlength=3)
    assert taken == pytest.approx(np.minimum(hires, seekers), abs=1e-6)
    # the heavier the weight, the likelier the hire
    for g in range(3):
        sel = (node == g) & (fresh > 0)
        order = np.argsort(weight[sel])
        assert np.all(np.diff(p[sel][order]) >= -1e-12)


KEPT = {"clearing_propensity": 0.0, "whole_household_share": 0.0, "migration_stay_preference": 10.0,
        "birth_rate": 0.006, "household_formation_adjustment": 0.0}
"""The stationary scenario with what still moves it switched off: forest clearing, migration,
the births set to make good the out-migration (births equal deaths), and household
formation, whose new households take jobs away from the starting rows that ``job_shares``
follows."""


def job_shares(model, groups: np.ndarray) -> np.ndarray:
    """Share of the wage jobs held by the starting households of each group (0 .. k-1)."""
    hh = model.households
    rows = len(groups)
    jobs = hh.employed[:rows] * hh.alive[:rows]
    return np.bincount(groups, jobs, minlength=groups.max() + 1) / max(hh.employed[hh.alive].sum(), 1)


def poor_job_share(model) -> float:
    """Share of the wage jobs held by the households poor at this date (income per person
    below the poverty line)."""
    hh = model.households
    jobs = hh.employed * hh.alive
    poor = hh.alive & (hh.income < model.poverty_line * hh.members)
    return float(jobs[poor].sum() / max(jobs.sum(), 1))


def allocation_changes(seeds=range(1, 9), years=12, scale=0.1):
    """Per seed, the change over ``years`` of the share of jobs held by (a) the households
    poor at the start, (b) each third of the starting households by schooling (skill) and
    (c) the households poor at each date (columns 0, 1-3, 4)."""
    from conftest import SCENARIOS
    from territory_abm import TerritoryModel, load_scenario

    out = []
    for seed in seeds:
        sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=scale, steps=years, seed=seed)
        model = TerritoryModel(sc.replace(parameters=sc.parameters.with_overrides(KEPT)))
        hh = model.households
        poor = (hh.income / hh.members < model.poverty_line).astype(np.int64)
        skill = np.searchsorted(np.quantile(hh.education, [1 / 3, 2 / 3]), hh.education).astype(np.int64)
        before = np.r_[job_shares(model, poor)[1], job_shares(model, skill), poor_job_share(model)]
        model.run()
        out.append(np.r_[job_shares(model, poor)[1], job_shares(model, skill), poor_job_share(model)] - before)
        model.release()
    return np.array(out)


@pytest.fixture(scope="module")
def changes():
    return allocation_changes()


@pytest.mark.slow
def test_jobs_stay_with_the_skills_that_held_them_at_the_start(changes):
    """The hiring rule keeps the start's allocation of jobs by skill: the share of jobs held
    by each third of the starting households by schooling moves, on mean over seeds, by less
    than its seed-to-seed spread (on main before the lottery, the least schooled third's
    share rose 1.4 points in 20 years in seed 1). With the estates counted as one firm each in
    the entrants' TFP, commercial agriculture firms entered the cities and the least schooled
    third's share fell 0.0058 (sd 0.0054); counted as the firms their jobs make, -0.0011
    (0.0040), +0.0010 (0.0014), +0.0001 (0.0038) (4 seeds, scale 0.1, 12 years). Four seeds
    estimate the spread too loosely for this test: with pay per skill unit and the estates
    (merge of labour and main) seeds 1-4 gave -0.0009 (0.0016), -0.0007 (0.0006), +0.0015
    (0.0012) and seeds 1-8 -0.0005 (0.0014), -0.0002 (0.0009), +0.0007 (0.0016); main at
    9306030 gave -0.0019 (0.0031), +0.0009 (0.0012), +0.0010 (0.0041) on seeds 1-4 and
    -0.0007 (0.0024), +0.0011 (0.0010), -0.0005 (0.0032) on seeds 1-8. Every figure is a
    tenth to a fifth of a point, and whether one passes is largely chance; the test takes
    8 seeds to make that chance smaller. It was a strict xfail from the merge of diaspora2 (main
    3d4e3ae: -0.0008 (0.0013), -0.0019 (0.0011), +0.0028 (0.0017), jobs drifting toward the most
    schooled) through session 35's defaults (job turnover: +0.0016 (0.0015), +0.0019 (0.0054),
    -0.0036 (0.0047), the least schooled third's gain just beyond its sd); with session 36's
    unions +0.0021 (0.0024), +0.0019 (0.0054), -0.0041 (0.0042): all three within; a strict xfail
    again from session 41 (the starting firms' markets drawn once per node and sector: the most
    schooled third -0.0048, sd 0.0040, the others +0.0030 (0.0041), +0.0017 (0.0055)) to session
    45; since session 46 (a single mover takes the job it held) +0.0029 (0.0044), +0.0007 (0.0058),
    -0.0036 (0.0039): all three within, the most schooled third's fall near its bound again."""
    skill = changes[:, 1:4]
    assert np.all(np.abs(skill.mean(axis=0)) <= skill.std(axis=0, ddof=1)), (skill.mean(axis=0), skill.std(axis=0))


@pytest.mark.slow
def test_the_poor_keep_their_share_of_the_jobs(changes):
    """Issue 12 item 1, the allocation of jobs by poverty: the share of the jobs held by the
    households poor at each date moves, on mean over 8 seeds, by less than its seed-to-seed
    spread (main 273b966+: -0.0024, sd 0.0033). The households poor *at the start* gain jobs
    (+0.0079, sd 0.0030, column 0): with job turnover a cohort picked for being poor at one
    date does not stay the poor (it gains as others lose), so that cohort's share measures
    mobility, not drift of the start (docs/model_choices.md, 'Jobs of the initially poor:
    mobility, not drift'); it was a strict xfail until session 14."""
    poor = changes[:, 4]
    assert abs(poor.mean()) <= poor.std(ddof=1), (poor.mean(), poor.std(ddof=1))
    cohort = changes[:, 0]
    assert cohort.mean() > 0  # the cohort poor at the start gains jobs: its members leave poverty and others enter


@pytest.mark.parametrize("separation", [0.12, 0.3])
def test_the_start_expects_the_chance_that_separations_give(separation):
    """With job turnover (``job_separation_rate``), the jobs the separated workers free go to
    the year's lottery, where they seek again beside the new seekers: the start's expected
    chance of being hired is the one the first year's hiring gives, node by node (within a
    fifth; without separations in the start's expectation it is 4-6 times too low, seed 1,
    scale 0.25)."""
    from conftest import SCENARIOS
    from territory_abm import TerritoryModel, load_scenario

    scenario = load_scenario(SCENARIOS / "stationary.toml").replace(seed=1, households_scale=0.25, steps=1)
    model = TerritoryModel(scenario.replace(parameters=scenario.parameters.with_overrides(
        {"job_separation_rate": separation}, source="test")))
    expected = model.job_finding.copy()
    model.step()
    hiring = (expected < 1.0) & model.populated
    observed = expected + (model.job_finding - expected) / model.params.expectation_adjustment
    assert hiring.sum() >= 10
    assert observed[hiring] == pytest.approx(expected[hiring], rel=0.2)


def test_wages_do_not_ratchet_up_where_the_match_fills_the_vacancies():
    """Wages answer the match's excess demand, not the lottery's draw (``labour.labour_market``
    passes the match's skill units to ``markets.wage_adjustment``): the draw falls short of the
    match about half the time by chance, and counted as unfilled vacancies it raised wages every
    year. With jobs turning over (s = 0.12, the wage premium 0.8), migration and clearing off and
    births equal to deaths, firms' mean wage per skill unit moves by less than half a percent in
    11 years after the first (three seeds, scale 0.1: -0.14, -0.18 and +0.17 %); counting the
    draw, it rose +1.0 % in each (session 22; docs/model_choices.md, 'A wage ratchet')."""
    from conftest import SCENARIOS

    from territory_abm import TerritoryModel, load_scenario

    def unit_wage(model):
        ft = model.firm_table
        alive = ft.alive[:ft.n]
        return (ft.wage[:ft.n][alive] * ft.labour[:ft.n][alive]).sum() / ft.labour[:ft.n][alive].sum()

    flat = {"job_separation_rate": 0.12, "wage_residual_sd": 0.8, "clearing_propensity": 0.0,
            "whole_household_share": 0.0, "migration_stay_preference": 10.0, "birth_rate": 0.006}
    for seed in (1, 2, 3):
        sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.1, steps=12, seed=seed)
        model = TerritoryModel(sc.replace(parameters=sc.parameters.with_overrides(flat, source="test")))
        model.step()
        first = unit_wage(model)
        model.run()
        assert abs(unit_wage(model) / first - 1.0) < 0.005, (seed, unit_wage(model) / first - 1.0)
        model.release()
