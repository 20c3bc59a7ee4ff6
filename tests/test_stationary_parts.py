"""The stationary run in its parts (issue 12 item 1: per-municipality changes are noise around
zero): over 20 years at scale 0.25, 8 seeds, the rural municipalities' residents keep their
poverty and income per person within the seed-to-seed spread of the change, as the README
states (since session 36's unions; before them their poverty rose 0.0105, sd 0.0072, and their
Gini 0.0119, sd 0.0041, at the births that then held the population, 0.0087; without unions at
today's births, 0.00852, +0.0052 (0.0082) and +0.0079 (0.0046), which these bounds would let
pass: ``test_unions`` holds the rule itself). The cities' poverty and income too since session 37
(own-account enterprises that close, ``own_account_exit``, and a start that holds them at their
rest: before, the cities' poverty fell 2.8 points, sd 0.8, and their Gini 0.018, sd 0.005); both
kinds' Gini within two seed sds (the rural one rises a little, the cities' falls a little).
Session 53 (own-account entrants at a quarter of the node's mean enterprise scale): the cities'
poverty holds again (a strict xfail in sessions 38-52), the rural income slips beyond two sds (a
strict xfail: the migrants abroad running down, issue 12 item 2)."""

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


def test_the_rural_municipalities_keep_their_poverty_and_gini(changes):
    rural = changes[:, 0]
    mean, sd = rural.mean(axis=0), rural.std(axis=0, ddof=1)
    # +0.0013 (0.0077) in session 53 (own-account entrants at a quarter of the mean scale);
    # +0.0008 (0.0070) in session 51; +0.0025 (0.0068) in session 46; -0.0009 (0.0087) in session 45; -0.0002 (0.0095) in session 43; +0.0023 (0.0050) in session 37; +0.0009 (0.0082) in 36
    assert abs(mean[0]) <= sd[0], ("poverty", mean[0], sd[0])
    # -0.0000 (0.0054) in session 53; the Gini rose a little: +0.0020 (0.0045) in session 51;
    # +0.0049 (0.0025) in session 46 (16 seeds: +0.0042, sd 0.0035);
    # +0.0036 (0.0058) in session 45 (16 seeds: +0.0056, sd 0.0052);
    # +0.0020 (0.0046) in session 43 (16 seeds: +0.0041, sd 0.0049);
    # +0.0041 (0.0035) in session 37 (16 seeds: +0.0055, sd 0.0035),
    # +0.0044 (0.0035) in session 36, +0.0119 (0.0041) before unions
    assert abs(mean[1]) <= 2 * sd[1], ("Gini", mean[1], sd[1])


@pytest.mark.xfail(strict=True, reason=(
    "issue 12 item 2 open: the rural municipalities' income per person slips -17 USD (seed sd 5) at these 8 "
    "seeds in session 53, own-account entrants at a quarter of the node's mean enterprise scale (16 seeds of "
    "benchmarks/stationarity.py: -23, sd 11): the migrants abroad run down (remittances -12 USD a person in the "
    "territory) and the local market's demand falls with them, which the household enterprises bear (-13); "
    "entrants at the mean scale (session 52's default) had made it up (docs/model_choices.md, 'Session 53: "
    "what the enterprises lose at rest')"))
def test_the_rural_municipalities_keep_their_income(changes):
    """A strict xfail since session 53 (its reason). Within two seed sds: -20.1 USD (sd 10.2) at these 8 seeds in session 51, by a hair (16 seeds
    of benchmarks/stationarity.py: -22, sd 11); a strict xfail at 179caf3 earlier that session,
    -16.4 (6.8), when the town farms were capped and movers took their destination's level but the
    start still read the tables' non-farm share with transfers in it for farm income. Before,
    -3 (15) in session 46: the few farming movers from the towns farmed at the towns' backed-out
    productivity and propped up rural income; the migrants abroad running down now shows as a
    rural slip (docs/model_choices.md, 'Town farms at the start'; issue 12 item 2)."""
    rural = changes[:, 0]
    mean, sd = rural.mean(axis=0), rural.std(axis=0, ddof=1)
    # -17 (5) in session 53; -20 (10) in session 51 (-16 (7) at 179caf3); -3 (15) in session 46; -2 (18) in session 45; -5 (18) in session 43; -7 (6) in session 37 (16 seeds: +0, sd 16); -0 (7) in session 36
    assert abs(mean[2]) <= 2 * sd[2], ("income", mean[2], sd[2])


def test_the_cities_keep_their_income(changes):
    """Since session 46 (a single mover takes the job it held) the cities' income per person
    changes -9 USD (seed sd 47) at these seeds, of 3,981 (16 seeds: -12, sd 38); it was a strict
    xfail in session 45, -36 (12), beyond one sd. It passes as much because the seeds' spread
    grew (12 -> 47 at the same seeds) as because the drift shrank: weak evidence either way."""
    cities = changes[:, 1]
    mean, sd = cities.mean(axis=0), cities.std(axis=0, ddof=1)
    # -30 (32) in session 53; -9 (47) in session 46; -36 (12) in session 45; -29 (33) in session 43; -14 (36) in session 41; -21 (40) in session 37
    assert abs(mean[2]) <= sd[2], ("income", mean[2], sd[2])


def test_the_cities_keep_their_poverty(changes):
    """Since session 53 (own-account entrants at a quarter of the node's mean enterprise scale,
    ``own_account_scale`` 0.25) the cities' poverty changes -0.0023 (seed sd 0.0086) at these
    seeds (16 seeds of benchmarks/stationarity.py: -0.0032, sd 0.0083): the fall was own-account
    entry at the cities' mean enterprise scale (docs/model_choices.md, 'How large an own-account
    entrant starts'). A strict xfail in sessions 38-52. At 179caf3 (session 51, town farms capped, movers at their destination's level) the cities'
    poverty changed -0.0097 (seed sd 0.0117) at these seeds, within one sd as much because the
    spread grew as because the fall shrank (16 seeds: -0.0098, sd 0.0056, beyond one sd); with the
    non-farm share read as earned income -0.0116 (0.0093), beyond again. A strict xfail before: -0.0102 (0.0068) in
    session 46 (16 seeds: -0.0069 (0.0064)); session 45: -0.0084 (0.0080); session 43: -0.0092
    (0.0089); session 41: -0.0079 (0.0065); the start's migrants abroad sit with richer households
    than the run's flows keep them with (docs/model_choices.md, 'Session 42: why the run's flows
    differ from the chain')."""
    cities = changes[:, 1]
    mean, sd = cities.mean(axis=0), cities.std(axis=0, ddof=1)
    assert abs(mean[0]) <= sd[0], ("poverty", mean[0], sd[0])  # -0.0049 (0.0102) in session 37


def test_the_cities_gini_falls_by_less_than_two_seed_sds(changes):
    """The cities' Gini falls a little, within two seed sds: -0.0009 (0.0033) in session 53 (16
    seeds: -0.0021, sd 0.0036); -0.0110 (0.0079) in session 51
    (16 seeds: -0.0093, sd 0.0063); -0.0066 (0.0064) at 179caf3 earlier that session (16
    seeds of benchmarks/stationarity.py: -0.0088, sd 0.0045); a strict xfail in sessions 46-50
    (session 47: -0.0048, sd 0.0019, beyond two sds as the sd shrank; 16 seeds -0.0039 (0.0024));
    -0.0064 (0.0083) in session 45 (16
    seeds: -0.0069, sd 0.0068); -0.0060 (0.0081) in session 43; -0.0070 (0.0051) in session 37
    (16 seeds: -0.0054, sd 0.0046). Until session 45 it followed the poverty's assertion
    under one strict xfail, whose failure hid it."""
    cities = changes[:, 1]
    mean, sd = cities.mean(axis=0), cities.std(axis=0, ddof=1)
    assert abs(mean[1]) <= 2 * sd[1], ("Gini", mean[1], sd[1])
