"""Known answers for the grouped statistics."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from territory_abm.model.kernels import node_household_totals
from territory_abm.model.stats import gini_of_sample, grouped_distribution, grouped_gini, grouped_weighted_median


def brute_gini(x, w=None):
    x = np.asarray(x, float)
    w = np.ones_like(x) if w is None else np.asarray(w, float)
    diff = np.abs(x[:, None] - x[None, :])
    return (w[:, None] * w[None, :] * diff).sum() / (2 * w.sum() ** 2 * np.average(x, weights=w))


def test_gini_known_values():
    assert gini_of_sample(np.array([1.0, 1.0, 1.0])) == pytest.approx(0.0)
    # one holds everything among n: the discrete Gini is 1 - 1/n
    assert gini_of_sample(np.array([0.0, 0.0, 0.0, 10.0])) == pytest.approx(0.75)
    assert gini_of_sample(np.array([1.0, 2.0, 3.0, 4.0])) == pytest.approx(0.25)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.just(0.0), st.floats(1e-3, 1e5)), st.integers(1, 9), st.integers(0, 3)), min_size=1, max_size=40))
def test_grouped_weighted_gini_matches_pairwise_formula(rows):
    x = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows], float)
    g = np.array([r[2] for r in rows])
    got = grouped_gini(x, g, 4, w)
    for k in range(4):
        sel = g == k
        if sel.sum() == 0 or x[sel].sum() == 0:
            assert np.isnan(got[k])
        else:
            assert got[k] == pytest.approx(brute_gini(x[sel], w[sel]), abs=1e-6)


def test_weighted_median_and_poverty():
    x = np.array([1.0, 2.0, 3.0, 10.0, 20.0])
    w = np.array([1, 1, 1, 1, 5])
    g = np.array([0, 0, 0, 1, 1])
    med = grouped_weighted_median(x, g, 2, w)
    assert med.tolist() == [2.0, 20.0]
    # the model's node sums of persons, poor persons and poverty gaps
    ones = np.ones(len(x), np.int32)
    sums = node_household_totals(node=g, alive=ones.astype(bool), members=w.astype(np.int32), adults=ones,
                                 employed=0 * ones, income=x * w, education=np.zeros(len(x)), land=np.zeros(len(x)),
                                 poverty_line=2.5, n_nodes=2)
    head, gap = sums.poor_persons / sums.persons, sums.poverty_gap / sums.persons
    assert head.tolist() == pytest.approx([2 / 3, 0.0])
    assert gap[0] == pytest.approx(((1.5 / 2.5) + (0.5 / 2.5)) / 3)


def brute_median(x, w):
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(np.asarray(w, float)[order])
    return x[order][np.searchsorted(cum, 0.5 * cum[-1] - 1e-12)]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.just(0.0), st.just(5.0), st.floats(1e-3, 1e5)), st.integers(1, 9),
                          st.integers(0, 4)), min_size=1, max_size=50))
def test_one_sort_serves_groups_and_whole(rows):
    """Group 4 stands for households no longer alive: it is left out of every statistic.
    Ties (repeated values) may sort in any order without changing the answers."""
    x = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows], float)
    g = np.array([r[2] for r in rows])
    gini, median, gini_all, median_all = grouped_distribution(x, g, 4, w)
    for k in range(4):
        sel = g == k
        if not sel.any():
            assert np.isnan(gini[k]) and np.isnan(median[k])
            continue
        assert median[k] == brute_median(x[sel], w[sel])
        if x[sel].sum() > 0:
            assert gini[k] == pytest.approx(brute_gini(x[sel], w[sel]), abs=1e-9)
    kept = g < 4
    if not kept.any():
        assert np.isnan(gini_all) and np.isnan(median_all)
    else:
        assert median_all == brute_median(x[kept], w[kept])
        if x[kept].sum() > 0:
            assert gini_all == pytest.approx(brute_gini(x[kept], w[kept]), abs=1e-9)
