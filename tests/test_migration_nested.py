"""The nested destination choice (issue 15 item 6): staying against a move nest whose
inclusive value grows with the number of equally good destinations as k^lambda in the odds,
not k as in the flat logit."""

from types import SimpleNamespace

import numpy as np
import pytest
from scipy.sparse import csr_array

from territory_abm.model import migration
from territory_abm.model.network import Pairs
from territory_abm.params import Parameters


def star(destinations: int, dissimilarity: float):
    """A fake model: node 0 and ``destinations`` identical nodes, 3 h away, no markets."""
    n = destinations + 1
    times = np.full((n, n), np.inf)
    times[0, 1:] = times[1:, 0] = 3.0
    pairs = Pairs.from_dense(times)
    params = Parameters().with_overrides({"migration_nest_dissimilarity": dissimilarity})
    return SimpleNamespace(params=params, is_market=np.zeros(n, bool), n_nodes=n,
                           travel=SimpleNamespace(within=lambda hours, markets: pairs),
                           context=SimpleNamespace(outside_index=[1.0], at=lambda model: 0))


def leave_odds(destinations: int, dissimilarity: float) -> float:
    """Odds of leaving node 0 for a household of income per person 1,000 at home, where every
    destination offers 2,000 and services are equal."""
    model = star(destinations, dissimilarity)
    n = model.n_nodes
    income = np.full(n, 2000.0)
    choice = migration.choice_set(model, income, np.full(n, 0.5), np.full(n, 100.0), csr_array((n, n)))
    stay = migration.staying_utility(model.params, np.log(1000.0), 0.5)
    return float(np.exp(choice.inclusive[0] - stay))


@pytest.mark.parametrize("dissimilarity", [0.1, 0.3, 0.5, 1.0])
def test_doubling_identical_destinations_multiplies_the_odds_of_leaving_by_two_to_the_lambda(dissimilarity):
    """Known answer (nested logit): k identical destinations of utility V are worth
    lambda log(k exp(V / lambda)) = V + lambda log k, so the odds of leaving are those with one
    destination times k^lambda; lambda = 1 is the flat logit (odds proportional to k)."""
    one, two, four = (leave_odds(k, dissimilarity) for k in (1, 2, 4))
    assert two / one == pytest.approx(2.0 ** dissimilarity, rel=1e-12)
    assert four / one == pytest.approx(4.0 ** dissimilarity, rel=1e-12)


def test_with_one_destination_the_nest_is_the_flat_logit():
    """With a single destination the dissimilarity does not matter."""
    assert leave_odds(1, 0.2) == pytest.approx(leave_odds(1, 1.0), rel=1e-12)


def test_destination_shares_sharpen_with_a_small_dissimilarity():
    """Within the move nest a destination's share is exp(V / lambda) / sum: two destinations
    whose utilities differ by 1 (a quarter of the way closer: 4 h less at 0.25 per hour) get
    shares in the ratio e^(1 / lambda)."""
    n = 3
    times = np.full((n, n), np.inf)
    times[0, 1], times[0, 2] = 2.0, 6.0
    pairs = Pairs.from_dense(times)
    for lam in (0.5, 1.0):
        model = star(2, lam)
        model.travel = SimpleNamespace(within=lambda hours, markets: pairs)
        choice = migration.choice_set(model, np.full(n, 2000.0), np.full(n, 0.5), np.full(n, 100.0),
                                      csr_array((n, n)))
        near, far = choice.utilities[:2]
        assert np.exp(near - far) == pytest.approx(np.exp(1.0 / lam), rel=1e-9)


def test_a_preference_for_abroad_raises_the_share_of_moves_to_external_markets():
    """``migration_abroad_preference`` adds its value to the utility of every external market:
    an external market and a node alike in all else get shares in the ratio e^(b / lambda)."""
    n = 3
    times = np.full((n, n), np.inf)
    times[0, 1:] = 3.0
    pairs = Pairs.from_dense(times)
    model = star(2, 0.5)
    model.params = model.params.with_overrides({"migration_abroad_preference": 0.7})
    model.travel = SimpleNamespace(within=lambda hours, markets: pairs)
    model.is_market = np.array([False, False, True])
    income = np.full(n, model.params.external_income_pc)  # the market offers the outside income
    choice = migration.choice_set(model, income, np.full(n, 1.0), np.full(n, 100.0), csr_array((n, n)))
    inside, outside = choice.utilities[:2]
    assert np.exp(outside - inside) == pytest.approx(np.exp(0.7 / 0.5), rel=1e-9)


def choose_movers(*, log_income_pc, alive, adults, node, services, inclusive, logit_u, stay_preference, income_weight,
                  services_weight):
    """The rule the model's choice follows, written out: households with adults leave when
    U - L < ``logit_u`` (the model's compiled kernel before it took the draws themselves)."""
    stay = stay_preference + income_weight * log_income_pc + services_weight * services[node]
    with np.errstate(invalid="ignore"):
        return np.flatnonzero(alive & (adults > 0) & (stay - inclusive < logit_u))


def test_the_choice_draws_leavers_at_the_nested_chance():
    """``migration.choose_movers`` given the inclusive value lets a household leave with chance
    1 / (1 + exp(U - lambda I)) (200,000 households, binomial tolerance)."""
    lam, k, households = 0.4, 8, 200_000
    odds = leave_odds(k, lam)
    model = star(k, lam)
    n = model.n_nodes
    choice = migration.choice_set(model, np.full(n, 2000.0), np.full(n, 0.5), np.full(n, 100.0), csr_array((n, n)))
    u = np.random.default_rng(5).random(households)
    movers = migration.choose_movers(log_income_pc=np.full(households, np.log(1000.0)),
                                     alive=np.ones(households, bool), adults=np.ones(households, np.int32),
                                     node=np.zeros(households, np.int64), services=np.full(n, 0.5),
                                     inclusive=np.full(households, choice.inclusive[0]), u=u,
                                     stay_preference=model.params.migration_stay_preference,
                                     income_weight=model.params.migration_income_weight,
                                     services_weight=model.params.migration_services_weight)
    chance = odds / (1.0 + odds)
    assert movers.size / households == pytest.approx(chance, abs=4 * np.sqrt(chance * (1 - chance) / households))


@pytest.mark.parametrize("case", range(5))
def test_choice_from_the_draws_is_the_kernels_with_numpys_logit(case):
    """``migration.choose_movers`` decides most households with its own logarithm and leaves
    those within ``kernels.LOGIT_MARGIN`` to numpy's: the rows of the rule written out
    (:func:`choose_movers`) given np.log1p(-u) - np.log(u), with draws of 0, exact ties with the
    logit, inclusive values of -inf and NaN, households without adults and rows not alive."""
    rng = np.random.default_rng(case)
    n = 50_000
    u = rng.random(n)
    u[::997] = 0.0
    u[1::991] = 1.0 - 2.0 ** -53
    u[2::983] = 2.0 ** -53
    node = rng.integers(0, 20, n)
    services = rng.random(20)
    log_income = np.log(rng.lognormal(7.0, 1.0, n))
    inclusive = rng.normal(-2.0 - case, 2.0, n)
    inclusive[::777] = -np.inf
    inclusive[3::555] = np.nan
    args = dict(log_income_pc=log_income, alive=rng.random(n) < 0.9, adults=rng.integers(0, 4, n), node=node,
                services=services, stay_preference=1.0 + case, income_weight=0.4, services_weight=0.2)
    with np.errstate(divide="ignore"):
        logit = np.log1p(-u) - np.log(u)
    stay = args["stay_preference"] + args["income_weight"] * log_income + args["services_weight"] * services[node]
    tied = slice(5, 2000, 3)  # U - L equal to the logit, or a hair either side of it
    inclusive[tied] = stay[tied] - logit[tied] + rng.choice([0.0, 1e-12, -1e-12], len(range(5, 2000, 3)))
    movers = migration.choose_movers(**args, inclusive=inclusive, u=u)
    assert movers.dtype == np.int64
    assert np.array_equal(movers, choose_movers(**args, inclusive=inclusive, logit_u=logit))
