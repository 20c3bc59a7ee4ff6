"""The stationary run in its parts (issue 12 item 1: per-municipality changes are noise around
zero): over 20 years at scale 0.25, 8 seeds, the rural municipalities' residents keep their
poverty and income per person within the seed-to-seed spread of the change, as the README
states (since session 36's unions; before them their poverty rose 0.0105, sd 0.0072, and their
Gini 0.0119, sd 0.0041, at the births that then held the population, 0.0087; without unions at
today's births, 0.00852, +0.0052 (0.0082) and +0.0079 (0.0046), which these bounds would let
pass: ``test_unions`` holds the rule itself). The cities' poverty still falls beyond it (own-account entry: a strict
xfail that passes, and fails the suite, once the cities are at rest)."""

import sys

import numpy as np
import pytest
from conftest import ROOT, SCENARIOS

pytestmark = pytest.mark.slow

SEEDS = range(1, 9)


@pytest.fixture(scope="module")
def changes():
    """(seeds, kinds, 3): each seed's change over 20 years of the rural municipalities' and the
    cities' poverty, Gini and income per person (``benchmarks/stationarity.by_kind``)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from stationarity import by_kind, seed_model
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    out = []
    for seed in SEEDS:
        model = seed_model((str(SCENARIOS / "stationary.toml"), seed, 0.25, 20, {}))
        start = by_kind(model)
        model.run()
        out.append(by_kind(model)[:, :3] - start[:, :3])
        model.release()
    return np.array(out)


def test_the_rural_municipalities_keep_their_poverty_and_income(changes):
    rural = changes[:, 0]
    mean, sd = rural.mean(axis=0), rural.std(axis=0, ddof=1)
    assert abs(mean[0]) <= sd[0], ("poverty", mean[0], sd[0])  # +0.0009 (0.0082) in session 36
    assert abs(mean[2]) <= sd[2], ("income", mean[2], sd[2])   # -0 (7)
    # the Gini still rises a little: +0.0044 (0.0035) in session 36, +0.0119 (0.0041) before unions
    assert abs(mean[1]) <= 2 * sd[1], ("Gini", mean[1], sd[1])


@pytest.mark.xfail(strict=True, reason="issue 12 item 1 open: the cities' poverty falls 2.8 points (sd 0.8) in 20 "
                                       "stationary years through own-account entry (docs/model_choices.md, 'Unions')")
def test_the_cities_keep_their_poverty(changes):
    cities = changes[:, 1, 0]
    assert abs(cities.mean()) <= cities.std(ddof=1), (cities.mean(), cities.std(ddof=1))
