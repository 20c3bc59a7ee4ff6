"""Speed rewrites of the land kernels give the results of what they replaced, to the last bit
(the golden tables are stored to the last bit; these check the cases a run may not meet):
formation's draw by selection keeps argsort's choice, ties and NaN included; the hand-over
returns the rows and gains that scaling the land column in place gave; the travel pairs'
derived arrays are made once and cannot be changed."""

import numpy as np
import pytest
from numba import njit

from territory_abm.model.land_kernels import _by_node, _smallest, hand_over_land, pick_formers
from territory_abm.model.network import Pairs


@njit(cache=True)
def _argsort_choice(keys, rows, take):
    """What formation's draw was: the rows of the first ``take`` of numba's argsort."""
    return rows[np.argsort(keys)[:take]]


def test_formation_selection_is_argsorts_choice():
    """Keys with many ties, infinities and NaN, every place of the cut."""
    rng = np.random.default_rng(7)
    for case in range(200):
        size = int(rng.integers(2, 40))
        keys = rng.exponential(size=size)
        if case % 2:
            keys = np.round(keys * 2) / 2  # ties
        if case % 5 == 0:
            keys[rng.integers(0, size, 2)] = np.nan
        if case % 7 == 0:
            keys[rng.integers(0, size, 2)] = np.inf
        rows = np.sort(rng.choice(10 * size, size, replace=False))
        for take in {1, int(rng.integers(1, size)), size - 1}:
            assert np.array_equal(np.sort(_smallest(keys, rows, take)), np.sort(_argsort_choice(keys, rows, take)))


def test_pick_formers_draws_weighted_without_replacement():
    """Two nodes: all candidates of the first (fewer than asked), the smallest keys over
    adults - 1 in the second; households with one adult never leave a child."""
    node = np.array([0, 0, 1, 1, 1, 1, 1], np.int64)
    adults = np.array([2, 1, 2, 3, 2, 5, 1], np.int64)
    key = np.array([0.5, 0.1, 0.9, 1.0, 0.2, 3.0, 0.0])
    chosen = pick_formers(node=node, alive=np.ones(7, bool), adults=adults, count=np.array([4, 2]), key=key)
    # node 1's keys / (adults - 1): 0.9, 0.5, 0.2, 0.75 (row 6 has one adult)
    assert chosen.tolist() == [0, 3, 4]


def _in_place(freed, node, alive, land):
    """The hand-over as it was: every alive holding of a node scaled by 1 + freed / held."""
    held = np.bincount(node, land * (alive & (land > 0)), minlength=freed.size)
    growth = np.divide(freed, held, out=np.zeros_like(freed), where=held > 0)
    grown = land.copy()
    mask = alive & (land > 0)
    grown[mask] *= 1.0 + growth[node[mask]]
    rows = np.flatnonzero(grown != land)
    return rows, grown[rows] - land[rows]


@pytest.mark.parametrize("freed", [[0.0, 0.0, 0.0], [3.0, 0.0, 1e-300], [0.7, 2.5, 4.0]])
def test_hand_over_returns_what_scaling_in_place_changed(freed):
    rng = np.random.default_rng(4)
    node = rng.integers(0, 3, 200)
    node[node == 2] = 1  # the third node has no holders: its land is abandoned
    land = np.where(rng.random(200) < 0.3, 0.0, rng.lognormal(0.0, 2.0, 200))
    alive = rng.random(200) < 0.9
    freed = np.array(freed)
    before = land.copy()
    rows, gained = hand_over_land(freed=freed, node=node, alive=alive, land=land)
    want_rows, want_gained = _in_place(freed, node, alive, land)
    assert np.array_equal(land, before)
    assert np.array_equal(rows, want_rows) and np.array_equal(gained, want_gained)


def test_pairs_derive_their_origins_once_and_read_only():
    pairs = Pairs(np.array([0, 2, 2, 3]), np.array([0, 2, 1]), np.array([0.0, 1.5, 2.0]))
    origin = pairs.origin()
    assert origin.tolist() == [0, 0, 2] and pairs.origin() is origin
    assert pairs.row_max(np.array([1.0, 4.0, 2.0])).tolist() == [4.0, 0.0, 2.0]
    with pytest.raises(ValueError):
        origin[0] = 1
    kept = pairs.where(np.array([True, False, True]))
    assert kept.origin().tolist() == [0, 2] and kept.dest.tolist() == [0, 1]
    assert pairs.memo(("k",), lambda: object()) is pairs.memo(("k",), lambda: object())


@pytest.mark.parametrize("share", [0.0, 0.3, 1.0])
def test_rows_by_node_are_the_members_in_a_stable_sort_by_node(share):
    rng = np.random.default_rng(int(share * 10))
    n, n_nodes = 5_000, 6
    node = np.sort(rng.integers(0, n_nodes - 1, n)).astype(np.int32)  # runs of a node (the last has none) ...
    node[rng.integers(0, n, 300)] = rng.integers(0, n_nodes - 1, 300)  # ... broken here and there
    member = rng.random(n) < share
    rows, start = _by_node(node, member, n_nodes)
    members = np.flatnonzero(member)
    assert np.array_equal(rows, members[np.argsort(node[members], kind="stable")])
    assert np.array_equal(start, np.concatenate([[0], np.cumsum(np.bincount(node[members], minlength=n_nodes))]))

