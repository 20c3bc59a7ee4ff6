"""Directional checks that must hold on average over seeds (common random numbers)."""

import numpy as np

from conftest import SCENARIOS
from territory_abm import TerritoryModel, load_scenario

SEEDS = (1, 2, 3)


def small(name, steps):
    return load_scenario(SCENARIOS / f"{name}.toml").replace(households_scale=0.05, steps=steps)


def outcome(scenario, seed, column, year):
    m = TerritoryModel(scenario, seed=seed)
    m.run()
    df = m.datacollector.get_model_vars_dataframe()
    return float(df.loc[df["year"] == year, column].iloc[0]), m


def test_cash_transfers_lower_poverty_in_targeted_year():
    base, cct = small("baseline", 2), small("cash_transfers", 2)
    diffs = [outcome(cct, s, "poverty_gap", 2012)[0] - outcome(base, s, "poverty_gap", 2012)[0] for s in SEEDS]
    assert np.mean(diffs) < 0
    costs = [outcome(cct, s, "policy_cost", 2012)[0] for s in SEEDS]
    assert min(costs) > 0


def test_road_upgrade_raises_market_access_and_farm_gate_prices():
    base, roads = small("baseline", 7), small("roads", 7)
    for seed in SEEDS:
        mb = TerritoryModel(base, seed=seed)
        mr = TerritoryModel(roads, seed=seed)
        mb.run()
        mr.run()
        targets = [mr.territory.index(t) for t in ("M05", "M06", "M10", "M11")]
        assert (mr.market_time[targets] < mb.market_time[targets]).all()
        assert (mr.farm_gate[targets] > mb.farm_gate[targets]).all()


def test_no_enforcement_with_high_clearing_incentives_depletes_nature():
    sc = small("baseline", 10)
    lax = sc.replace(parameters=sc.parameters.with_overrides({
        "clearing_cost": 50.0, "clearing_propensity": 0.8, "enforcement_spending_share": 0.0,
        "natural_capital_regrowth": 0.0}))
    strict = sc.replace(parameters=sc.parameters.with_overrides({
        "clearing_cost": 50.0, "clearing_propensity": 0.8, "enforcement_spending_share": 0.5,
        "enforcement_effectiveness": 5.0, "clearing_fine": 5000.0, "natural_capital_regrowth": 0.0}))
    lax_nc = [outcome(lax, s, "natural_capital", 2020)[0] for s in SEEDS]
    strict_nc = [outcome(strict, s, "natural_capital", 2020)[0] for s in SEEDS]
    start = outcome(lax, 1, "natural_capital", 2010)[0]
    assert np.mean(lax_nc) < start
    assert np.mean(lax_nc) < np.mean(strict_nc)


def test_environmental_governance_reduces_clearing():
    base, env = small("baseline", 6), small("environmental_governance", 6)
    cleared_base = [outcome(base, s, "cleared", 2015)[0] for s in SEEDS]
    cleared_env = [outcome(env, s, "cleared", 2015)[0] for s in SEEDS]
    assert np.mean(cleared_env) < np.mean(cleared_base)


def test_every_shipped_scenario_runs():
    for path in sorted(SCENARIOS.glob("*.toml")):
        m = TerritoryModel(load_scenario(path).replace(households_scale=0.03, steps=3))
        m.run()
        df = m.datacollector.get_model_vars_dataframe()
        assert len(df) == 4 and np.isfinite(df["mean_income_pc"]).all()
