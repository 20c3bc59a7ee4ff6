"""Compiled passes of the start give what the numpy they replaced gave, to the last bit (the
golden tables pin the start; these check the cases a seeded run may not meet): the job rule's
rounds with ties in pressure, households at their limits and powers from tables."""

import numpy as np
import pytest

from territory_abm.model.start import MIN_FARM_INCOME_SHARE
from territory_abm.model.start_kernels import keep_jobs


def numpy_jobs(employed, adults, income, wage, public, best, farms, node, freed, b):
    """The job rule's rounds as ``start.consistent_start_jobs`` wrote them in numpy (updates
    ``employed`` and ``freed`` in place)."""
    n = len(freed)

    def pressure(rows, jobs):
        family = adults[rows] - jobs
        farm = np.maximum(income[rows] - wage[rows] * jobs - public[rows], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            wants = np.where(family >= 1, b * farm / (np.power(np.maximum(family, 1), b) * best[rows])
                             / np.power(family + 0.5, 1.0 - b), np.inf)
        return np.where(farms[rows], wants, 0.0)

    def fits(rows, jobs):
        left = income[rows] - wage[rows] * jobs - public[rows]
        return left >= np.where(farms[rows], MIN_FARM_INCOME_SHARE * income[rows], 0.0)

    rows = np.flatnonzero(employed > 0)
    while rows.size:
        quit_ = rows[(pressure(rows, employed[rows]) >= 1.0) | ~fits(rows, employed[rows])]
        employed[quit_] -= 1
        freed += np.bincount(node[quit_], minlength=n)
        rows = quit_[employed[quit_] > 0]
    spare = np.where(farms, 2, 1)
    rows = np.flatnonzero(adults - employed >= spare)
    while freed.any() and rows.size:
        jobs = employed[rows] + 1
        after = pressure(rows, jobs)
        ok = (after < 1.0) & fits(rows, jobs)
        rows, after = rows[ok], after[ok]
        rows = rows[np.lexsort((after, node[rows]))]
        starts = np.searchsorted(node[rows], np.arange(n))
        rank = np.arange(len(rows)) - starts[node[rows]]
        take = rows[rank < freed[node[rows]]]
        employed[take] += 1
        freed -= np.bincount(node[take], minlength=n)
        rows = take[adults[take] - employed[take] >= spare[take]]


def households(seed: int, n: int = 4_000, n_nodes: int = 6) -> dict:
    """Random households, a third of them copies of others (ties in pressure), in node order
    or shuffled, with nodes short of workers (``freed``) and one without households."""
    rng = np.random.default_rng(seed)
    adults = rng.integers(1, 9, n).astype(np.int32)
    h = dict(adults=adults, employed=np.minimum(rng.integers(0, 4, n), adults).astype(np.int64),
             income=rng.lognormal(8.0, 1.0, n), wage=rng.lognormal(6.5, 0.5, n), public=rng.uniform(0.0, 300.0, n),
             best=rng.lognormal(6.6, 0.5, n), farms=rng.random(n) < 0.6,
             node=np.sort(rng.integers(0, n_nodes - 1, n)).astype(np.int32))
    copies, to = rng.integers(0, n, n // 3), rng.integers(0, n, n // 3)
    for column in h.values():
        column[to] = column[copies]
    order = rng.permutation(n) if seed % 2 else np.argsort(h["node"], kind="stable")
    h = {k: v[order] for k, v in h.items()}
    h["freed"] = rng.integers(0, n // n_nodes // 4, n_nodes).astype(float)
    return h


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("b", [0.2, 0.4, 0.5, 0.73])
def test_keeping_jobs_is_the_numpy_rule(seed, b):
    h = households(seed)
    want_employed, want_freed = h["employed"].copy(), h["freed"].copy()
    numpy_jobs(want_employed, h["adults"], h["income"], h["wage"], h["public"], h["best"], h["farms"], h["node"],
               want_freed, b)
    family = np.arange(int(h["adults"].max()) + 1)
    got = keep_jobs(**h, power_family=np.power(np.maximum(family, 1), b), power_half=np.power(family + 0.5, 1.0 - b),
                    elasticity=b, min_farm_share=MIN_FARM_INCOME_SHARE)
    assert np.array_equal(got, want_employed)
    assert np.array_equal(h["freed"], want_freed)


def test_ties_in_a_later_round_keep_the_order_of_the_round_before():
    """Household 1 holds two jobs at half household 0's wage: in the first round it would keep
    a third job more easily than household 0 a first; in the second both would keep the next
    at the same pressure, and the one job left goes to household 1, first in the round before
    (as numpy's stable sort kept it), not to household 0, first in row order."""
    b = 0.4
    h = dict(employed=np.array([0, 2]), adults=np.array([6, 8], np.int32), income=np.array([1000.0, 1000.0]),
             wage=np.array([100.0, 50.0]), public=np.zeros(2), best=np.full(2, 1e6), farms=np.ones(2, bool),
             node=np.zeros(2, np.int32), freed=np.array([3.0]))
    family = np.arange(9)
    got = keep_jobs(**{k: v.copy() for k, v in h.items()}, power_family=np.power(np.maximum(family, 1), b),
                    power_half=np.power(family + 0.5, 1.0 - b), elasticity=b, min_farm_share=MIN_FARM_INCOME_SHARE)
    want = h["employed"].copy()
    numpy_jobs(want, h["adults"], h["income"], h["wage"], h["public"], h["best"], h["farms"], h["node"],
               h["freed"].copy(), b)
    assert want.tolist() == [1, 4]
    assert got.tolist() == [1, 4]
