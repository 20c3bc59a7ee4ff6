"""``exact.Memo``: ``np.exp`` (and ``np.power``) of an array that changes between calls, to the bit, whether
values change, rows are appended or dropped, or values are NaN, infinite or signed zeros;
each call returns an array of its own."""

import numpy as np

from territory_abm.model.exact import Memo


def test_memo_gives_numpys_exp_as_the_array_changes():
    rng = np.random.default_rng(1)
    memo = Memo(np.exp)
    x = rng.normal(0.0, 2.0, 5000)
    for step in range(8):
        x = x.copy()
        x[rng.integers(0, x.size, 300)] = rng.normal(0.0, 2.0, 300)
        if step == 2:
            x = np.concatenate([x, rng.normal(size=40)])  # rows appended
        if step == 4:
            x = x[rng.random(x.size) < 0.8]  # rows dropped: most places change
        x[:4] = [np.nan, -0.0, np.inf, -np.inf]
        got = memo(x)
        assert np.array_equal(got.view(np.uint64), np.exp(x).view(np.uint64)), step
        got[:] = 0.0  # the caller's to change
    assert np.array_equal(memo(x).view(np.uint64), np.exp(x).view(np.uint64))
    assert memo(np.zeros(0)).size == 0


def test_power_memo_starts_anew_when_the_exponent_changes():
    rng = np.random.default_rng(2)
    memo = Memo(np.power)
    x = rng.lognormal(0.0, 1.0, 3000)
    x[:3] = [0.0, np.inf, np.nan]
    for exponent in (0.3, 0.3, 0.45):
        x = x.copy()
        x[rng.integers(3, x.size, 100)] = rng.lognormal(0.0, 1.0, 100)
        got = memo(x, exponent)
        assert np.array_equal(got.view(np.uint64), np.power(x, exponent).view(np.uint64))
