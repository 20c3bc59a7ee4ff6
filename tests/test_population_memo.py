"""``synthetic.remembered_population``: a run whose start draw is remembered from an earlier
run of the same seed (as an experiment's worker runs a Sobol design) is the run drawn anew."""

import numpy as np

from conftest import SCENARIOS
from territory_abm import TerritoryModel, load_scenario
from territory_abm.data import synthetic
from territory_abm.data.territory import load_territory


def _state(model) -> list:
    hh = model.households
    return [hh.income.copy(), hh.land.copy(), hh.assets.copy(), model.food_price.copy(),
            model.datacollector.get_model_vars_dataframe().to_csv(float_format="%.17g")]


def _equal(a: list, b: list) -> bool:
    return all(np.array_equal(x, y, equal_nan=True) if isinstance(x, np.ndarray) else x == y for x, y in zip(a, b))


def test_a_remembered_draw_is_a_fresh_copy_and_leaves_the_stream_as_drawing_does():
    territory = load_territory(load_scenario(SCENARIOS / "baseline.toml").territory)
    synthetic._LAST_DRAWN.clear()
    first_rng, second_rng = np.random.default_rng(3), np.random.default_rng(3)
    first = synthetic.remembered_population(territory, 0.1, first_rng)
    second = synthetic.remembered_population(territory, 0.1, second_rng)  # remembered
    drawn = synthetic.draw_population(territory, 0.1, np.random.default_rng(3))
    for name, column in drawn.columns.items():
        assert np.array_equal(second.columns[name], column)
        assert second.columns[name] is not first.columns[name]
    second.wage[:] = -1.0  # the start changes the arrays in place: the remembered draw stays
    assert np.array_equal(synthetic.remembered_population(territory, 0.1, np.random.default_rng(3)).wage, drawn.wage)
    assert first_rng.bit_generator.state == second_rng.bit_generator.state
    # another input draws anew
    other = synthetic.remembered_population(territory, 0.1, np.random.default_rng(4))
    assert not np.array_equal(other.columns["income"], drawn.columns["income"])


def test_a_run_after_another_of_its_seed_is_the_run_alone():
    path = SCENARIOS / "baseline.toml"
    synthetic._LAST_DRAWN.clear()
    alone = TerritoryModel(path, seed=5, steps=2, households_scale=0.05, migration_stay_preference=3.0)
    alone.run()
    expected = _state(alone)
    TerritoryModel(path, seed=5, steps=2, households_scale=0.05, farm_land_elasticity=0.3).run()
    assert synthetic._LAST_DRAWN  # the next run's draw is remembered
    after = TerritoryModel(path, seed=5, steps=2, households_scale=0.05, migration_stay_preference=3.0)
    after.run()
    assert _equal(_state(after), expected)


def test_a_large_population_is_not_remembered(monkeypatch):
    territory = load_territory(load_scenario(SCENARIOS / "baseline.toml").territory)
    monkeypatch.setattr(synthetic, "REMEMBER_MOST", 10)
    synthetic._LAST_DRAWN.clear()
    synthetic.remembered_population(territory, 0.05, np.random.default_rng(3))
    assert not synthetic._LAST_DRAWN
