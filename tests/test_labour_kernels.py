"""The fused labour kernels (``model.labour_kernels``) give what the rules' closed forms say:
who seeks wage work, and who is hired (known answers and properties)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from territory_abm.model.labour_kernels import hire, seek_work


def closed_form_seekers(adults, employed, potential, b, wage, expected_wage):
    """Adults seeking wage work with the farm's wanted labour L* = (b P / w)^(1/(1-b)) rounded."""
    def wanted(w):
        with np.errstate(divide="ignore"):
            return np.where(w > 0, np.power(b * potential / np.maximum(w, 1e-9), 1 / (1 - b)), np.inf)
    stay = np.minimum(employed, np.clip(adults - np.round(np.minimum(wanted(wage), 1e6)), 0, adults))
    free = adults - stay
    return stay + np.clip(free - np.round(np.minimum(wanted(expected_wage), 1e6)), 0, free)


def seek(adults, employed, revenue, b, wage, chance, node, skill=None, weight=None, n_nodes=3, **enterprise):
    n = len(adults)
    most = max(int(adults.max(initial=0)), 1)
    return seek_work(adults=adults, alive=np.ones(n, bool), employed=employed, farm_revenue_at_one_worker=revenue,
                     in_enterprise=enterprise.get("in_enterprise", np.zeros(n, bool)),
                     enterprise_scale=enterprise.get("scale", np.zeros(n)), expected_local_price=np.ones(n_nodes),
                     skill=np.ones(n) if skill is None else skill, hiring_weight=np.ones(n) if weight is None else weight,
                     job_finding=np.full(n_nodes, chance), best_wage=wage, node=node, farm_labour_elasticity=b,
                     enterprise_labour_elasticity=0.5, farm_labour_thresholds=np.power(np.arange(1, most + 1) - 0.5, 1 - b),
                     enterprise_thresholds=np.power(np.arange(1, most + 1) + 0.5, 0.5), n_nodes=n_nodes)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.floats(0.0, 5e4), st.integers(0, 2),
                          st.floats(0.5, 2.0)), min_size=1, max_size=40),
       st.floats(0.2, 0.6), st.lists(st.floats(0.0, 2e4), min_size=3, max_size=3), st.floats(0.0, 1.0))
def test_seekers_match_the_closed_form_and_their_node_sums(rows, b, wages, chance):
    adults = np.array([r[0] for r in rows], np.int32)
    employed = np.minimum(np.array([r[1] for r in rows], np.int32), adults)
    potential = np.array([r[2] for r in rows])
    node = np.array([r[3] for r in rows], np.int32)
    skill = np.array([r[4] for r in rows])
    wage = np.array(wages)
    out = seek(adults, employed, potential, b, wage, chance, node, skill=skill)
    # a worker of skill s earns s times the wage per skill unit: the farm P is weighed as P / s
    want = closed_form_seekers(adults, employed, potential / skill, b, wage[node], (wage * chance)[node])
    # the kernel rounds halves up, np.round to even; 1 - c + c can miss 1 by a bit: both only at edges
    assert np.abs(out.per_household - want).max(initial=0) <= 1
    assert (out.per_household == want).mean() > 0.9 or len(rows) < 10
    keep = np.minimum(out.per_household, employed)
    # node sums add in household order, as np.bincount does: equal to the last bit
    assert np.array_equal(out.by_node, np.bincount(node, out.per_household, minlength=3))
    assert np.array_equal(out.returning_by_node, np.bincount(node, keep, minlength=3))
    assert np.array_equal(out.new_by_node, np.bincount(node, out.per_household - keep, minlength=3))
    assert np.array_equal(out.units_by_node, np.bincount(node, out.per_household * skill, minlength=3))
    assert np.array_equal(out.returning_units_by_node, np.bincount(node, keep * skill, minlength=3))
    assert np.array_equal(out.fresh_units, (out.per_household - keep) * skill)


def test_no_wage_on_offer_means_everyone_farms():
    adults = np.array([3, 2], np.int32)
    out = seek(adults, np.array([1, 2], np.int32), np.array([100.0, 0.0]), 0.4, np.zeros(1), 1.0,
               np.zeros(2, np.int32), n_nodes=1)
    assert out.per_household.tolist() == [0.0, 0.0] and out.by_node.tolist() == [0.0]


def test_enterprise_workers_keep_seeking_and_the_others_weigh_the_enterprise():
    # one household without a farm running an enterprise: 3 adults, 1 worker, S = 1000 at price 1;
    # with e = 0.5 its k-th adult adds about e S (k + 1/2)^(e - 1), so at a wage w it keeps a k-th
    # adult while 500 / w >= (k + 1/2)^0.5: at 200 (2.5) both free adults stay in it
    out = seek(np.array([3], np.int32), np.array([1], np.int32), np.zeros(1), 0.4, np.array([200.0]), 1.0,
               np.zeros(1, np.int32), n_nodes=1, in_enterprise=np.ones(1, bool), scale=np.array([1000.0]))
    assert out.per_household.tolist() == [1.0]
    # at 400 (1.25, between 1.5^0.5 and 2.5^0.5) one stays, at 450 (1.11) both seek wage work
    for wage, seekers in ((400.0, 2.0), (450.0, 3.0)):
        out = seek(np.array([3], np.int32), np.array([1], np.int32), np.zeros(1), 0.4, np.array([wage]), 1.0,
                   np.zeros(1, np.int32), n_nodes=1, in_enterprise=np.ones(1, bool), scale=np.array([1000.0]))
        assert out.per_household.tolist() == [seekers]


def test_hiring_keeps_within_seekers_hands_out_the_skill_units_and_rounds_stochastically():
    rng = np.random.default_rng(3)
    n = 20_000
    seekers = rng.integers(0, 4, n).astype(float)
    employed = rng.integers(0, 4, n).astype(np.int32)
    skill = rng.uniform(0.5, 2.0, n)
    node = np.zeros(n, np.int32)
    keep = np.minimum(seekers, employed)
    fresh_units = (seekers - keep) * skill
    # half of last year's workers keep their jobs; the other half seek again with the new seekers
    lottery_units = fresh_units + 0.5 * keep * skill
    hires = np.array([0.1 * lottery_units.sum()])
    out = hire(seekers=seekers, fresh_units=fresh_units, employed=employed, hiring_weight=np.ones(n), skill=skill,
               node=node, hires=hires, keep_rate=np.array([0.5]), guess=np.array([0.5]), u_keep=rng.random(n),
               u_fresh=rng.random(n), referral_weight=0.0, n_nodes=1, iterations=60)
    assert abs(out.chance[0] - 0.1) < 1e-9  # equal weights: the share of the lottery's units hired
    assert (out.jobs <= seekers).all() and (out.jobs >= 0).all()
    assert out.jobs_by_node[0] == out.jobs.sum() and np.isclose(out.skill_units_by_node[0], out.skill_units.sum())
    assert np.array_equal(out.skill_units, out.jobs * skill)
    expected = 0.5 * keep.sum() + 0.1 * (seekers - keep + 0.5 * keep).sum()  # stochastic rounding keeps the mean
    assert abs(out.jobs.sum() - expected) < 4 * np.sqrt(n)
    assert abs(out.skill_units.sum() - 0.5 * (keep * skill).sum() - hires[0]) < 4 * np.sqrt(n) * 2.0


def test_workers_who_lose_their_job_take_the_jobs_nobody_else_seeks():
    """Separations alone (``keep_rate`` below 1 with no new seekers) free as many jobs as the
    lottery hands back to the workers who lost them: the chance is 1 and every job is held
    again; with as many new seekers of equal weight as separated workers, each is hired alike."""
    rng = np.random.default_rng(5)
    n = 10_000
    employed = np.ones(n, np.int32)
    skill = rng.uniform(0.5, 2.0, n)
    node = np.zeros(n, np.int32)
    separated = 0.2 * skill.sum()
    out = hire(seekers=np.ones(n), fresh_units=np.zeros(n), employed=employed, hiring_weight=np.ones(n), skill=skill,
               node=node, hires=np.array([separated]), keep_rate=np.array([0.8]), guess=np.array([0.5]),
               u_keep=rng.random(n), u_fresh=rng.random(n), referral_weight=0.0, n_nodes=1, iterations=60)
    assert out.chance[0] > 1.0 - 1e-9 and out.jobs.sum() == n
    # half the households also have a new seeker of skill 1 and weight 1: they compete for the freed units
    seekers = np.where(np.arange(n) % 2 == 0, 2.0, 1.0)
    fresh = (seekers - 1.0) * skill
    out = hire(seekers=seekers, fresh_units=fresh, employed=employed, hiring_weight=np.ones(n), skill=skill,
               node=node, hires=np.array([separated]), keep_rate=np.array([0.8]), guess=np.array([0.5]),
               u_keep=rng.random(n), u_fresh=rng.random(n), referral_weight=0.0, n_nodes=1, iterations=60)
    chance = separated / (fresh.sum() + separated)
    assert abs(out.chance[0] - chance) < 1e-9
    assert abs(out.jobs.sum() - (0.8 * n + chance * (0.2 * n + 0.5 * n))) < 4 * np.sqrt(n)


def test_the_hires_count_the_part_of_their_odds_their_referrals_made():
    """Every seeker hired (the chance is 1: more jobs than seekers) counts rho k / (1 + rho k) of
    a referral, k its household's workers of last year: a household with one worker and one new
    seeker (rho 3: 0.75), one with two workers of which one lost the job (2 x 6/7), one without
    a worker (0); hires by node count the lottery's hires, not the workers who kept their job."""
    employed = np.array([1, 2, 0], np.int32)
    seekers = np.array([2.0, 2.0, 1.0])
    skill = np.ones(3)
    out = hire(seekers=seekers, fresh_units=np.array([1.0, 0.0, 1.0]), employed=employed, hiring_weight=np.ones(3),
               skill=skill, node=np.zeros(3, np.int32), hires=np.array([10.0]), keep_rate=np.array([0.5]),
               guess=np.array([0.5]), u_keep=np.array([0.0, 0.0, 0.0]), u_fresh=np.zeros(3), referral_weight=3.0,
               n_nodes=1, iterations=60)
    # keep_rate 0.5 with u_keep 0: household 0 keeps floor(0.5) = 0 of its worker, household 1 keeps 1 of 2
    assert out.chance[0] == 1.0
    assert out.hires_by_node[0] == 2 + 1 + 1
    assert out.referred_by_node[0] == pytest.approx(2 * 0.75 + 6 / 7, rel=1e-12)


def test_without_referral_weight_no_hire_is_owed_to_referrals():
    """The yearly outcome referral_share is 0 where the referral weight is 0 and between 0 and 1
    otherwise (the default weight gives most hires to referrals: docs/model_choices.md, Hiring)."""
    from conftest import SCENARIOS
    from territory_abm import TerritoryModel, load_scenario

    scenario = load_scenario(SCENARIOS / "stationary.toml").replace(seed=1, households_scale=0.1, steps=3)
    shares = {}
    for weight in (0.0, 10.0):
        model = TerritoryModel(scenario.replace(parameters=scenario.parameters.with_overrides(
            {"hiring_referral_weight": weight}, source="test")))
        model.run()
        shares[weight] = model.datacollector.get_model_vars_dataframe()["referral_share"].iloc[1:].to_numpy()
    hired = {weight: share[np.isfinite(share)] for weight, share in shares.items()}  # NaN: a year without hires
    assert hired[0.0].size >= 1 and hired[10.0].size >= 1
    assert np.all(hired[0.0] == 0.0)
    assert np.all((hired[10.0] > 0.8) & (hired[10.0] < 1.0))


def test_hire_draws_as_the_loop_over_the_seekers_alone_does_to_the_bit():
    """Every household is drawn for, seekers or not: the jobs, skill units and node sums are those
    of a loop that skips the households without seekers and adds only positive hires and jobs."""
    rng = np.random.default_rng(11)
    n, n_nodes = 3_000, 4
    seekers = rng.integers(0, 3, n).astype(float) * (rng.random(n) < 0.5)
    employed = rng.integers(0, 3, n).astype(np.int32)
    skill, weight = rng.uniform(0.5, 2.0, n), rng.uniform(0.5, 3.0, n)
    node = np.sort(rng.integers(0, n_nodes, n)).astype(np.int32)
    node[rng.integers(0, n, 200)] = rng.integers(0, n_nodes, 200)  # runs of a node, broken here and there
    keep_rate, u_keep, u_fresh = rng.uniform(0.3, 0.9, n_nodes), rng.random(n), rng.random(n)
    fresh_units = (seekers - np.minimum(seekers, employed)) * skill
    out = hire(seekers=seekers, fresh_units=fresh_units, employed=employed, hiring_weight=weight, skill=skill,
               node=node, hires=np.full(n_nodes, 100.0), keep_rate=keep_rate, guess=np.full(n_nodes, 0.3),
               u_keep=u_keep, u_fresh=u_fresh, referral_weight=2.0, n_nodes=n_nodes, iterations=60)
    jobs, units = np.zeros(n, np.int32), np.zeros(n)
    by_node = {name: np.zeros(n_nodes) for name in ("jobs", "units", "hires", "referred")}
    for i in np.flatnonzero(seekers > 0):
        g, s = node[i], seekers[i]
        keep = min(s, float(employed[i]))
        kept = min(np.floor(keep * keep_rate[g] + u_keep[i]), keep)
        fresh = s - keep + (keep - kept)
        c = out.chance[g]
        hired = min(np.floor(fresh * (c * weight[i] / (1.0 - c + c * weight[i])) + u_fresh[i]), fresh)
        if hired > 0:
            referrals = 2.0 * employed[i]
            by_node["hires"][g] += hired
            by_node["referred"][g] += hired * referrals / (1.0 + referrals)
        jobs[i] = int(kept + hired)
        if jobs[i] > 0:
            units[i] = jobs[i] * skill[i]
            by_node["jobs"][g] += jobs[i]
            by_node["units"][g] += units[i]
    got = {"jobs": out.jobs_by_node, "units": out.skill_units_by_node, "hires": out.hires_by_node,
           "referred": out.referred_by_node}
    assert np.array_equal(out.jobs, jobs) and np.array_equal(out.skill_units.view(np.int64), units.view(np.int64))
    for name, want in by_node.items():
        assert np.array_equal(got[name].view(np.int64), want.view(np.int64)), name
