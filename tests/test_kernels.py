"""The compiled household rules give what their closed forms say (known answers and
properties against plain numpy versions of the same rules)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from territory_abm.model.kernels import (_hire_chance, bincount, demography, kernel,
                                         node_household_totals, node_populations)
from territory_abm.model.migration_kernels import draw_destinations


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
    employed = rng.integers(0, adults + 1).astype(np.int32)
    held = employed.copy()
    births, deaths = demography(alive=np.ones(n, bool), members=members, adults=adults, education=np.full(n, 5.0),
                                employed=employed, node=node, u_birth=rng.random(n), u_death=rng.random(n),
                                u_adult=rng.random(n), u_job=rng.random(n), birth_rate=np.full(n, 0.3),
                                death_rate=0.2, maturation_rate=np.array([0.3, 0.3]),
                                adult_schooling=np.array([6.0, 8.0])[node], death_job_share=1.0, n_nodes=2)
    assert births.sum() - deaths.sum() == members.sum() - before.sum()
    assert (members >= 0).all() and (adults <= np.maximum(members, 1)).all()
    assert ((members == 0) | (adults >= 1)).all()
    # jobs only leave with the adults who die: none gained, never more than died
    lost = held - employed
    assert (lost >= 0).all() and (employed >= 0).all() and lost.sum() <= deaths.sum()


def _one_death(adults, employed, u_job, share):
    """``employed`` after one adult of a household of ``adults`` (and no children) dies."""
    jobs = np.array([employed], np.int32)
    demography(alive=np.ones(1, bool), members=np.array([adults], np.int32), adults=np.array([adults], np.int32),
               education=np.full(1, 5.0), employed=jobs, node=np.zeros(1, np.int32), u_birth=np.zeros(1),
               u_death=np.full(1, 1.0 - 1.0 / (2 * adults)), u_adult=np.zeros(1), u_job=np.array([u_job]),
               birth_rate=np.zeros(1), death_rate=0.5 / adults, maturation_rate=np.zeros(1),
               adult_schooling=np.array([6.0]), death_job_share=share, n_nodes=1)
    return int(jobs[0])


def test_a_dying_worker_frees_the_job_it_held():
    """Known answer (``death_job_share``): the one adult who dies of a household's a, e of whom
    held jobs, held one with chance e / a, so the household loses a job where the draw (the
    stochastic rounding of e / a times the share) is at least 1 - e / a times the share, and
    keeps every job at share 0 (the rule up to session 46)."""
    assert _one_death(adults=1, employed=1, u_job=0.0, share=1.0) == 0       # its only adult: certain
    assert _one_death(adults=2, employed=1, u_job=0.51, share=1.0) == 0      # chance 1/2
    assert _one_death(adults=2, employed=1, u_job=0.49, share=1.0) == 1
    assert _one_death(adults=3, employed=2, u_job=0.34, share=1.0) == 1      # chance 2/3
    assert _one_death(adults=3, employed=2, u_job=0.33, share=1.0) == 2
    assert _one_death(adults=2, employed=1, u_job=0.76, share=0.5) == 0      # chance 1/4
    assert _one_death(adults=2, employed=1, u_job=0.74, share=0.5) == 1
    assert _one_death(adults=2, employed=2, u_job=0.0, share=0.0) == 2       # the rule up to session 46
    assert _one_death(adults=1, employed=1, u_job=0.0, share=0.0) == 1
    assert _one_death(adults=2, employed=3, u_job=0.99, share=1.0) == 1      # jobs beyond the adults: one per adult


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
                       education=np.full(1, 5.0), employed=np.zeros(1, np.int32), node=np.zeros(1, np.int32),
                       u_birth=np.full(1, 0.99), u_death=np.zeros(1), u_adult=np.zeros(1), u_job=np.zeros(1),
                       birth_rate=np.full(1, 0.5), death_rate=0.0, maturation_rate=np.zeros(1),
                       adult_schooling=np.array([6.0]), death_job_share=1.0, n_nodes=1)
    assert flows._fields == ("births_by_node", "deaths_by_node")
    assert flows.births_by_node.tolist() == [2.0] and flows.deaths_by_node.tolist() == [0.0]


@kernel()
def _share(part, whole):
    return part / whole


def test_compiled_rules_divide_by_zero_as_numpy():
    """A division by zero in a kernel or a helper gives numpy's inf or nan, as the numpy rules
    the kernels replace do, instead of raising ZeroDivisionError (``kernels.ERROR_MODEL``,
    which spares every division of a loop the check)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        assert _share(part=1.0, whole=0.0) == np.divide(1.0, 0.0) == np.inf
        assert np.isnan(_share(part=0.0, whole=0.0))
    # a hiring weight at which the odds' denominator 1 - c + c w is 0
    assert _hire_chance(0.5, -1.0) == -np.inf




@settings(max_examples=60, deadline=None)
@given(st.integers(0, 400), st.integers(0, 2**32 - 1))
def test_node_sums_in_runs_are_numpys_row_order_sums(rows, seed):
    """Node sums that keep a run of one node's rows in a register (``bincount``,
    ``node_populations``, ``node_household_totals``) are numpy's sums in row order, bit for
    bit: households mostly in runs of one node, some appended out of order, some not alive,
    weights spanning many magnitudes (so the order of the additions shows)."""
    rng = np.random.default_rng(seed)
    n_nodes = 6
    node = np.sort(rng.integers(0, n_nodes, rows)).astype(np.int32)
    tail = rows // 5
    node[rows - tail:] = rng.integers(0, n_nodes, tail)  # appended households: any node
    alive = rng.random(rows) < 0.8
    weights = rng.normal(size=rows) * 10.0 ** rng.integers(-8, 8, rows)
    members = rng.integers(0, 9, rows).astype(np.int32)
    for w in (weights, members, alive):
        assert bincount(node, w, minlength=n_nodes).tobytes() == np.bincount(node, w, minlength=n_nodes).tobytes()
    assert bincount(node[:0], weights[:0], minlength=3).tolist() == [0, 0, 0]
    expected = np.bincount(node[alive], members[alive], minlength=n_nodes)
    assert node_populations(node=node, alive=alive, members=members, n_nodes=n_nodes).tobytes() == expected.tobytes()
    capital = np.where(rng.random(rows) < 0.5, 0.0, np.abs(weights))  # held with and without a farm (tfp)
    owner = rng.random(rows) < 0.05
    totals = node_household_totals(node=node, alive=alive, members=members, adults=members // 2, employed=members // 4,
                                   income=weights, education=weights, tfp=weights, enterprise_capital=capital,
                                   owner=owner, poverty_line=0.5, n_nodes=n_nodes)
    assert totals.persons.tobytes() == expected.tobytes()
    # persons without a livelihood: enterprises.without_livelihood's rule, summed as numpy does
    lacking = alive & (members // 2 > 0) & (weights <= 0) & (members // 4 <= 0) & (capital <= 0) & ~owner
    assert totals.without_livelihood.tobytes() == np.bincount(node[lacking], members[lacking],
                                                               minlength=n_nodes).astype(float).tobytes()
    assert totals.income.tobytes() == np.bincount(node[alive], weights[alive], minlength=n_nodes).tobytes()
