"""``exact.ExpMemo``: ``np.exp`` of an array that changes between calls, to the bit, whether
values change, rows are appended or dropped, or values are NaN, infinite or signed zeros;
each call returns an array of its own."""

import numpy as np

from territory_abm.model.exact import ExpMemo


def test_memo_gives_numpys_exp_as_the_array_changes():
    rng = np.random.default_rng(1)
    memo = ExpMemo()
    x = rng.normal(0.0, 2.0, 5000)
    for step in range(8):
        x = x.copy()
        x[rng.integers(0, x.size, 300)] = rng.normal(0.0, 2.0, 300)
        if step == 2:
            x = np.concatenate([x, rng.normal(size=40)])  # rows appended
        if step == 4:
            x = x[rng.random(x.size) < 0.8]  # rows dropped: most places change
        x[:4] = [np.nan, -0.0, np.inf, -np.inf]
        got = memo.exp(x)
        assert np.array_equal(got.view(np.uint64), np.exp(x).view(np.uint64)), step
        got[:] = 0.0  # the caller's to change
    assert np.array_equal(memo.exp(x).view(np.uint64), np.exp(x).view(np.uint64))
    assert memo.exp(np.zeros(0)).size == 0
