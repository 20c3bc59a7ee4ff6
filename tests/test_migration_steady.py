"""Migration and births at rest under a flat context (issue 12 items 1 and 4): the start's migrant
networks and migrants abroad are the rest point of the start's own flows, migrants return,
and under ``stationary.toml`` the migrant stock and the remittance share stay where they start."""

import numpy as np
import pytest

from conftest import SCENARIOS

from territory_abm import TerritoryModel, load_scenario
from territory_abm.model import migration


@pytest.fixture(scope="module")
def start():
    sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.1, steps=3, seed=3)
    return TerritoryModel(sc)


def start_services(model) -> np.ndarray:
    return np.where(model.populated, np.nan_to_num(np.asarray(model.territory.table["service_quality"], float)), 1.0)


def test_starting_networks_are_what_a_year_of_the_start_flows_and_returns_keeps(start):
    hh, r = start.households, start.params.migrant_return_rate
    steady = migration.steady_migration(start, hh.income, hh.members, hh.adults, hh.node, start_services(start))
    # the expected movers of a year, spread by the logit shares at these networks
    population = start.populations()
    choice = migration.choice_set(start, np.bincount(hh.node, hh.income, minlength=start.n_nodes)
                                  / np.maximum(population, 1), start_services(start), population, steady.stock)
    pairs = choice.destinations
    shares = np.nan_to_num(np.exp(choice.utilities - choice.log_sum_exp[pairs.origin()]))
    stock = steady.stock.toarray()
    kept = (1.0 - r) * stock + pairs.dense(steady.outflow[pairs.origin()] * shares, fill=0.0)
    assert np.allclose(kept, stock, rtol=1e-6, atol=1e-6)
    at_start = start.migrant_stock.toarray()
    assert at_start[:, start.is_market].sum() > 0 and at_start[:, ~start.is_market].sum() > 0


def test_migrants_abroad_at_rest_known_answer():
    """One origin, one destination abroad: a household leaving with chance p, whole with
    chance w, keeps p (1 - w) / (r + p w) former members abroad."""
    p, w, r = 0.02, 0.25, 0.08
    gain, loss = p * (1 - w), r + p * w
    m = gain / loss
    assert m * (1 - loss) + gain == pytest.approx(m)  # what a year keeps
    assert m == pytest.approx(0.015 / 0.085)


def test_returning_migrants_rejoin_their_households_and_networks_shrink(start):
    model = TerritoryModel(start.scenario)
    model.set_parameters({"migrant_return_rate": 0.3})
    hh = model.households
    hh.migrants_abroad[hh.alive] += 5
    hh.remits_to[:] = np.arange(hh.n)[::-1]  # every household remits to another
    abroad, members, adults = hh.migrants_abroad.copy(), hh.members.copy(), hh.adults.copy()
    stock = model.migrant_stock.copy()
    back = migration.return_migration(model)
    came = abroad - hh.migrants_abroad
    assert back.sum() == came.sum() > 0
    assert np.array_equal(hh.members - members, came) and np.array_equal(hh.adults - adults, came)
    assert came.sum() / abroad[hh.alive].sum() == pytest.approx(0.3, abs=0.03)
    assert np.allclose(model.migrant_stock.toarray(), 0.7 * stock.toarray())
    assert np.mean(hh.remits_to < 0) == pytest.approx(0.3, abs=0.03)


@pytest.mark.slow
def test_migrant_stock_and_remittance_share_stay_where_they_start():
    """Under ``stationary.toml`` (8 seeds, scale 0.25, 20 years) the migrants abroad per
    resident and the share of remittances from abroad in income change by less than twice
    their seed-to-seed standard deviation plus a tenth of their starting level."""
    rows = []
    for seed in range(1, 9):
        sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.25, steps=20, seed=seed)
        model = TerritoryModel(sc)
        ends = [abroad_measures(model)]
        model.run()
        ends.append(abroad_measures(model))
        rows.append(ends)
        model.release()
    rows = np.array(rows)  # seeds x (start, end) x (stock, share)
    change = rows[:, 1] - rows[:, 0]
    mean, sd, level = change.mean(axis=0), change.std(axis=0, ddof=1), rows[:, 0].mean(axis=0)
    assert np.all(np.abs(mean) <= 2 * sd + 0.1 * level), (mean, sd, level)


def abroad_measures(model) -> tuple[float, float]:
    """Migrants abroad per resident, and remittances from abroad over income."""
    hh, alive = model.households, model.households.alive
    abroad = hh.migrants_abroad[alive].sum()
    remitted = migration.remittance_per_migrant_abroad(model) * abroad
    return abroad / hh.members[alive].sum(), remitted / hh.income[alive].sum()


def test_poorer_households_have_more_births_and_the_territory_keeps_its_rate():
    """Known answer: incomes per person 100 and 400 (one person each) at elasticity 0.5 give
    births in the ratio sqrt(4) = 2, averaging the context's rate over persons; elasticity 0
    gives everyone the context's rate; dead households do not count."""
    from territory_abm.model.demography import household_birth_rates
    from territory_abm.params import Parameters

    income, members = np.array([100.0, 400.0, 5.0]), np.array([1, 1, 3])
    alive = np.array([True, True, False])
    p = Parameters().with_overrides({"fertility_income_elasticity": 0.5})
    rates = household_birth_rates(p, 0.02, income, members, alive)
    assert rates[0] / rates[1] == pytest.approx(2.0)
    assert rates[:2].mean() == pytest.approx(0.02)
    flat = household_birth_rates(p.with_overrides({"fertility_income_elasticity": 0.0}), 0.02, income, members, alive)
    assert np.allclose(flat, 0.02)
