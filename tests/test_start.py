"""The starting state is one the model's own rules keep (issue 12): what the start assumes
the first year pays, it pays."""

import numpy as np
import pytest

from conftest import SCENARIOS

from territory_abm import TerritoryModel, load_scenario


@pytest.fixture(scope="module")
def stationary():
    sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.1, steps=6, seed=4)
    model = TerritoryModel(sc)
    first = {"other": model.households.other_income[model.households.alive].sum(),
             "remittances": model.households.remittance_income[model.households.alive].sum(),
             "services": [m.service_quality for m in model.active_municipalities()],
             "roads": [q for *_, q in model.graph.edges(data="road_quality")],
             "adult_share": model.households.adults.sum() / model.households.members.sum()}
    model.step()
    return model, first


def test_public_income_and_dividends_of_the_first_year_are_those_the_start_assumed(stationary):
    model, first = stationary
    hh = model.households
    assert hh.other_income[hh.alive].sum() == pytest.approx(first["other"], rel=0.05)


def test_migrants_abroad_remit_from_the_start(stationary):
    model, first = stationary
    p = model.params
    start = TerritoryModel(model.scenario)
    abroad = start.households.migrants_abroad
    assert abroad.sum() > 0
    assert first["remittances"] == pytest.approx(p.remittance_propensity * p.external_income_pc * abroad.sum())


def test_quality_stays_where_the_starting_budgets_sustain_it(stationary):
    model, first = stationary
    model.run(5)
    services = [m.service_quality for m in model.active_municipalities()]
    roads = [q for *_, q in model.graph.edges(data="road_quality")]
    assert np.allclose(services, first["services"], rtol=0.02)
    assert np.allclose(roads, first["roads"], rtol=0.02)


def test_the_age_structure_is_kept(stationary):
    model, first = stationary
    hh = model.households
    share = hh.adults[hh.alive].sum() / hh.members[hh.alive].sum()
    assert share == pytest.approx(first["adult_share"], abs=0.02)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "issue 12 item 1 open: after merging the land distribution (landless households, Pareto "
    "holdings) and towns (wages by skill, enterprises), poverty rises +0.019 (seed sd 0.005) over "
    "20 years with clearing and migration off, Gini -0.002 (0.003); main before them: +0.005 (0.008)"))
def test_with_clearing_and_migration_off_the_start_stays_where_it_is():
    """The start is one the model's own rules keep: with the context flat and the two
    mechanisms that still move the stationary scenario switched off (forest clearing, and
    migration with the land it frees; docs/model_choices.md), territory poverty and Gini
    change over 20 years by less than their seed-to-seed standard deviation.

    At scale 0.25, as ``benchmarks/stationarity.py``: at 0.1 (small nodes, lumpy firms) the
    poverty change was 0.009 (seed sd 0.011) before the local food market and 0.020 (0.006)
    with it, whose prices fall as forest regrowth and the growing population (births set for
    out-migration) raise output; at 0.25 it is 0.005 (0.008) with it."""
    changes = []
    for seed in range(1, 7):
        sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.25, steps=20, seed=seed)
        sc = sc.replace(parameters=sc.parameters.with_overrides(
            {"clearing_propensity": 0.0, "whole_household_share": 0.0, "migration_stay_preference": 10.0}))
        model = TerritoryModel(sc)
        model.run()
        t = model.datacollector.get_model_vars_dataframe()
        changes.append([t[c].iloc[-1] - t[c].iloc[0] for c in ("poverty_headcount", "gini_income")])
        model.release()
    changes = np.array(changes)
    mean, sd = changes.mean(axis=0), changes.std(axis=0, ddof=1)
    assert np.all(np.abs(mean) <= sd), (mean, sd)
