"""``exact.binomial``: numpy's ``Generator.binomial`` draws and the generator's state after, to
the bit, for the counts and probabilities a run gives it (migrants abroad returning)."""

import numpy as np
import pytest

from territory_abm.model import exact


@pytest.mark.parametrize("p", [1e-6, 0.02, 0.08, 0.1, 0.3, 0.45, 0.5, 0.0, 0.7, 1.0])
@pytest.mark.parametrize("most", [1, 3, 12, 59, 80])
def test_draws_and_state_are_numpys(p, most):
    meta = np.random.default_rng(int(p * 1e6) + most)
    for dtype in (np.int32, np.int64):
        n = meta.integers(1, most + 1, 20_000).astype(dtype)
        ours, theirs = np.random.default_rng(11), np.random.default_rng(11)
        drawn = exact.binomial(ours, n, p)
        expected = theirs.binomial(n, p)
        assert drawn.dtype == expected.dtype and np.array_equal(drawn, expected)
        assert ours.bit_generator.state == theirs.bit_generator.state


def test_empty_counts_draw_nothing():
    ours, theirs = np.random.default_rng(2), np.random.default_rng(2)
    assert exact.binomial(ours, np.zeros(0, np.int32), 0.1).size == 0
    theirs.binomial(np.zeros(0, np.int32), 0.1)
    assert ours.bit_generator.state == theirs.bit_generator.state


def test_a_draw_past_the_bound_is_numpys_own(monkeypatch):
    """Where the inversion would need a second uniform the generator is set back and numpy draws."""
    monkeypatch.setattr(exact, "_binomial_inversion", lambda n, u, p, q, qn, bound: (np.zeros(n.size, np.int64), False))
    n = np.random.default_rng(1).integers(1, 5, 1000)
    ours, theirs = np.random.default_rng(3), np.random.default_rng(3)
    assert np.array_equal(exact.binomial(ours, n, 0.2), theirs.binomial(n, 0.2))
    assert ours.bit_generator.state == theirs.bit_generator.state


def test_the_compiled_inversion_stops_at_the_bound():
    draws, complete = exact._binomial_inversion(np.array([2]), np.array([0.999]), 0.5, 0.5,
                                                np.array([1.0, 0.5, 0.25]), np.array([0, 0, 0]))
    assert not complete
