"""The compiled household rules give what their closed forms say (known answers and
properties against plain numpy versions of the same rules)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from territory_abm.model.kernels import assign_jobs, demography, draw_destinations, job_seekers, node_populations


def closed_form_seekers(adults, employed, potential, b, wage, expected_wage):
    """Adults seeking wage work with the farm's wanted labour L* = (b P / w)^(1/(1-b)) rounded."""
    def wanted(w):
        with np.errstate(divide="ignore"):
            return np.where(w > 0, np.power(b * potential / np.maximum(w, 1e-9), 1 / (1 - b)), np.inf)
    stay = np.minimum(employed, np.clip(adults - np.round(np.minimum(wanted(wage), 1e6)), 0, adults))
    free = adults - stay
    return stay + np.clip(free - np.round(np.minimum(wanted(expected_wage), 1e6)), 0, free)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.floats(0.0, 5e4), st.integers(0, 2)),
                min_size=1, max_size=40),
       st.floats(0.2, 0.6), st.lists(st.floats(0.0, 2e4), min_size=3, max_size=3), st.floats(0.0, 1.0))
def test_job_seekers_match_the_closed_form(rows, b, wages, chance):
    adults = np.array([r[0] for r in rows], np.int32)
    employed = np.minimum(np.array([r[1] for r in rows], np.int32), adults)
    potential = np.array([r[2] for r in rows])
    node = np.array([r[3] for r in rows], np.int32)
    wage = np.array(wages)
    expected = wage * chance
    thresholds = np.power(np.arange(1, 8) - 0.5, 1 - b)
    seekers, by_node, keep, fresh = job_seekers(
        adults=adults, alive=np.ones(len(rows), bool), employed=employed, farm_revenue_at_one_worker=potential,
        farm_labour_elasticity=b, best_wage=wage, hire_chance=np.full(len(rows), chance), node=node,
        farm_labour_thresholds=thresholds, enterprise_thresholds=thresholds,
        in_enterprise=np.zeros(len(rows), bool), n_nodes=3)
    want = closed_form_seekers(adults, employed, potential, b, wage[node], expected[node])
    # the kernel rounds halves up, np.round to even: they differ only on exact halves
    assert np.abs(seekers - want).max(initial=0) <= 1
    exact = np.abs(seekers - want) == 0
    assert exact.mean() > 0.9 or len(rows) < 10
    assert np.allclose(by_node, np.bincount(node, seekers, minlength=3))
    assert np.allclose(keep + fresh, by_node)
    assert np.allclose(keep, np.bincount(node, np.minimum(seekers, employed), minlength=3))


def test_no_wage_on_offer_means_everyone_farms():
    adults = np.array([3, 2], np.int32)
    seekers = job_seekers(adults=adults, alive=np.ones(2, bool), employed=np.array([1, 2], np.int32),
                          farm_revenue_at_one_worker=np.array([100.0, 0.0]), farm_labour_elasticity=0.4,
                          best_wage=np.zeros(1), hire_chance=np.ones(2), node=np.zeros(2, np.int32),
                          farm_labour_thresholds=np.power(np.arange(1, 4) - 0.5, 0.6),
                          enterprise_thresholds=np.power(np.arange(1, 4) + 0.5, 0.6),
                          in_enterprise=np.zeros(2, bool), n_nodes=1)
    assert seekers.per_household.tolist() == [0.0, 0.0]
    assert seekers.by_node.tolist() == [0.0]


def test_job_assignment_keeps_within_seekers_and_rounds_stochastically():
    rng = np.random.default_rng(3)
    n = 20_000
    seekers = rng.integers(0, 4, n).astype(float)
    employed = rng.integers(0, 4, n).astype(np.int32)
    node = np.zeros(n, np.int32)
    jobs, skill, node_jobs, node_skill = assign_jobs(
        seekers=seekers, employed=employed, keep_rate=np.array([0.5]), hire_chance=np.full(n, 0.25),
        u_keep=rng.random(n), u_fresh=rng.random(n), node=node, skill=np.ones(n), n_nodes=1)
    keep = np.minimum(seekers, employed)
    assert (jobs <= seekers).all() and (jobs >= 0).all()
    assert node_jobs[0] == jobs.sum() and np.isclose(node_skill[0], skill.sum())
    expected = 0.5 * keep.sum() + 0.25 * (seekers - keep).sum()  # stochastic rounding keeps the mean
    assert abs(jobs.sum() - expected) < 4 * np.sqrt(n)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 9), st.integers(1, 9), st.integers(0, 1)), min_size=1, max_size=30),
       st.integers(0, 2**31))
def test_demography_accounts_for_every_person(rows, seed):
    rng = np.random.default_rng(seed)
    members = np.array([max(r[0], r[1]) for r in rows], np.int32)
    adults = np.array([min(r[0], r[1]) for r in rows], np.int32)
    node = np.array([r[2] for r in rows], np.int32)
    before = members.copy()
    n = len(rows)
    births, deaths = demography(alive=np.ones(n, bool), members=members, adults=adults, education=np.full(n, 5.0),
                                node=node, u_birth=rng.random(n), u_death=rng.random(n), u_adult=rng.random(n),
                                birth_rate=np.full(n, 0.3), death_rate=0.2, maturation_rate=np.array([0.3, 0.3]),
                                cohort_education=np.array([6.0, 8.0]), child_schooling=np.zeros(n), n_nodes=2)
    assert births.sum() - deaths.sum() == members.sum() - before.sum()
    assert (members >= 0).all() and (adults <= np.maximum(members, 1)).all()
    assert ((members == 0) | (adults >= 1)).all()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 50), st.integers(0, 2**31))
def test_destinations_follow_the_cumulative_shares(n, movers, seed):
    """Each origin's pairs (compressed rows, some destinations missing) are drawn as the dense
    row of shares with zeros off the pairs would be."""
    rng = np.random.default_rng(seed)
    keep = rng.random((n, n)) < 0.7
    keep[:, 0] = True
    origin, dest = np.nonzero(keep)
    shares = rng.random(origin.size) + 1e-9
    indptr = np.concatenate([[0], np.cumsum(keep.sum(axis=1))])
    dense = np.zeros((n, n))
    dense[origin, dest] = shares
    cum = np.cumsum(dense, axis=1)
    cum /= cum[:, -1:]
    origins = rng.integers(0, n, movers)
    u = rng.random(movers)
    expected = np.minimum((cum[origins] < u[:, None]).sum(axis=1), n - 1)
    pair = draw_destinations(origins=origins, indptr=indptr, shares=shares, u=u)
    assert (origin[pair] == origins).all() and dest[pair].tolist() == expected.tolist()


def test_kernels_take_keywords_only_and_name_their_results():
    """Two arrays of the same shape cannot be swapped by position: kernels refuse positional
    arguments and unknown or missing names, and say what each result holds."""
    kwargs = {"node": np.array([0, 1, 1], np.int32), "alive": np.array([True, True, False]),
              "members": np.array([2, 3, 4], np.int32), "n_nodes": 2}
    assert node_populations(**kwargs).tolist() == [2.0, 3.0]
    with pytest.raises(TypeError):
        node_populations(*kwargs.values())
    with pytest.raises(TypeError, match="missing"):
        node_populations(**{k: v for k, v in kwargs.items() if k != "members"})
    with pytest.raises(TypeError, match="unexpected"):
        node_populations(**kwargs, persons=kwargs["members"])
    flows = demography(alive=np.ones(1, bool), members=np.array([4], np.int32), adults=np.array([2], np.int32),
                       education=np.full(1, 5.0), node=np.zeros(1, np.int32), u_birth=np.full(1, 0.99),
                       u_death=np.zeros(1), u_adult=np.zeros(1), birth_rate=np.full(1, 0.5), death_rate=0.0,
                       maturation_rate=np.zeros(1),
                       cohort_education=np.array([6.0]), child_schooling=np.zeros(1), n_nodes=1)
    assert flows._fields == ("births_by_node", "deaths_by_node")
    assert flows.births_by_node.tolist() == [2.0] and flows.deaths_by_node.tolist() == [0.0]


