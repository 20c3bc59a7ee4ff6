"""impact.csv and the report's multiplier table split the income gained beyond the
beneficiaries into the spillover to the households not reached that live in both runs and
the change of who lives where (composition): a known answer on a hand-made pair of runs."""

import numpy as np
import pandas as pd
import pytest

from territory_abm.experiments.compare import MULTIPLIERS, Comparison
from territory_abm.report.content import multiplier_table

PRICE = 2.0
"""Consumer prices of the hand-made runs (real incomes are nominal ones over this)."""


def _scenario(name, policies=()):
    return {"name": name, "start_year": 2010, "steps": 2, "policies": list(policies)}


def _run(incomes, newcomers, first_reached, cost, paid):
    """One run of starting households (``incomes``: years 2011 and 2012 by household, 0
    where it does not live in the territory; ``first_reached``: the year index, 0 for 2011,
    in which a programme first reached each, -1 never) and the income of households formed
    during the run (``newcomers``, by year)."""
    by_year = np.array(incomes, np.float32).T
    total = np.concatenate([[2000.0], by_year.sum(axis=1) + np.asarray(newcomers, float)])
    territory = pd.DataFrame({"year": [2010, 2011, 2012], "population": 10.0, "mean_income_pc": total / 10.0,
                              "policy_cost": [0.0, cost, cost], "programme_transfers": [0.0, paid, paid]})
    households = {"first_reached": np.array(first_reached, np.int16), "income_by_year": by_year,
                  "real_income_by_year": by_year / PRICE}
    return {"territory": territory, "households": households, "real_income_total": total[1:] / PRICE}


@pytest.fixture(scope="module")
def impact():
    """Household 0 is reached and gains 100 a year; household 1 is not reached, lives in both
    runs and gains 50 then 60 (the spillover, 110); household 2 left the territory in 2012 under
    the programme (450 in the reference), household 3 only in the reference (300 under the
    programme), and the households formed in 2012 earn 700 under the programme, 200 in the
    reference; household 4 is reached, gains 50 in 2011 and lives in 2012 only under the
    programme (250): a beneficiary in 2011, composition in 2012. Household 5 is reached in 2012
    only, having fallen 20 behind in 2011 (spillover: not reached yet) and gaining 100 in 2012
    (a beneficiary from then). Composition -450 + 300 + 500 + 250 = 600, beneficiaries 200 + 50
    + 100, spillover 110 - 20. Programme cost 100 a year, 80 of it paid in cash."""
    never = [-1] * 6
    base = _run([[1000, 1000], [500, 500], [400, 450], [300, 0], [200, 0], [600, 600]], [0, 200], never, 0.0, 0.0)
    prog = _run([[1100, 1100], [550, 560], [400, 0], [300, 300], [250, 250], [580, 700]], [0, 700],
                [0, -1, -1, -1, 0, 1], 100.0, 80.0)
    design = {"kind": "compare", "seeds": [1, 2],
              "scenarios": [_scenario("base"), _scenario("prog", [{"lever": "cct", "start": 2011, "end": 2012}])]}
    runs = {(name, seed): run for seed in (1, 2) for name, run in (("base", base), ("prog", prog))}
    return Comparison.from_runs(design, runs).impact().iloc[0]


@pytest.mark.parametrize("name", MULTIPLIERS)
def test_the_parts_of_a_multiplier_are_known_and_add_up_to_its_total(impact, name):
    per_usd = 160.0 if name.startswith("transfer") else 200.0
    real = PRICE if name.endswith("real") else 1.0
    expected = {"total": 1040, "beneficiaries": 350, "non_beneficiaries": 690, "spillover": 90, "composition": 600}
    for part, gain in expected.items():
        assert impact[f"{name}_{part}"] == pytest.approx(gain / per_usd / real), part
        assert impact[f"{name}_{part}_q05"] == impact[f"{name}_{part}_q95"] == impact[f"{name}_{part}"]
    assert impact[f"{name}_beneficiaries"] + impact[f"{name}_spillover"] + impact[f"{name}_composition"] == \
        pytest.approx(impact[f"{name}_total"])


def test_the_reports_multiplier_table_shows_the_three_parts(impact):
    table = multiplier_table(pd.DataFrame([impact]))
    cumulative = table[table["Multiplier"].str.startswith("Per USD of cost: cumulative")].iloc[0]
    assert cumulative["Income gained per USD: all"] == "5.20 [5.20, 5.20]"
    assert cumulative["of which beneficiaries"] == "1.75 [1.75, 1.75]"
    assert cumulative["of which others living in both runs (spillover)"] == "0.45 [0.45, 0.45]"
    assert cumulative["of which who lives where (composition)"] == "3.00 [3.00, 3.00]"
    assert len(table) == len(MULTIPLIERS)  # the programme pays cash: rows per USD transferred too


def test_results_stored_without_the_year_first_reached_are_refused_clearly(tmp_path):
    """A store written by an earlier version (households' ``reached`` only) cannot give the
    beneficiaries year by year: compare says so and names the directory, no KeyError."""
    from territory_abm.errors import InputError
    from territory_abm.experiments.runs import pack
    from territory_abm.experiments.store import ResultStore

    design = {"kind": "compare", "seeds": [1],
              "scenarios": [_scenario("base"), _scenario("prog", [{"lever": "cct", "start": 2011, "end": 2012}])]}
    old = _run([[1000, 1000]], [0, 0], [-1], 0.0, 0.0)
    old["meta"] = {}
    old["households"] = {"reached": np.array([False]), "income_by_year": old["households"]["income_by_year"],
                         "real_income_by_year": old["households"]["real_income_by_year"]}
    with ResultStore(tmp_path, design) as store:
        store.put({"run_id": "base-1", "scenario": "base", "seed": 1}, pack(old))
    with pytest.raises(InputError, match="first reached") as error:
        Comparison(tmp_path)
    assert str(tmp_path) in str(error.value)


def test_a_run_stores_the_year_first_reached_as_the_dashboard_counts_who_is_reached():
    """On a real pair of runs (cash transfers from 2012, start 2010: the first simulated year is
    2011, index 0), the households first reached are reached in 2012 (index 1) or later, and each
    year's beneficiaries' and spillover's income changes as impact.csv counts them are what the
    dashboard's yearly multipliers count (its reached: reached by that year)."""
    from territory_abm import TerritoryModel, load_scenario
    from territory_abm.dashboard.compare import annual_multipliers
    from territory_abm.experiments.compare import _paired_changes
    from territory_abm.experiments.runs import RunSpec, simulate

    from conftest import SCENARIOS

    steps, scale, seed = 3, 0.05, 3
    policy = load_scenario(SCENARIOS / "cash_transfers.toml").replace(seed=seed, households_scale=scale, steps=steps)
    reference = load_scenario(SCENARIOS / "baseline.toml").replace(seed=seed, households_scale=scale, steps=steps)
    run = simulate(RunSpec("p", policy, seed, keep_households=True))["households"]
    ref = simulate(RunSpec("r", reference, seed, keep_households=True))["households"]
    reached = run["first_reached"][run["first_reached"] >= 0]
    assert reached.size and reached.min() == 1
    model, twin = TerritoryModel(policy), TerritoryModel(reference)
    for year in range(steps):
        model.step()
        twin.step()
        this = np.arange(steps) == year
        cost = float(model.territory_stats.get("policy_cost", 0.0))
        if cost <= 0:
            continue
        dash = annual_multipliers(model, twin)
        beneficiaries, spillover = _paired_changes(run, ref, "income_by_year", this)
        assert beneficiaries == pytest.approx(
            dash["multiplier_nominal_reached"] * cost, rel=1e-5, abs=1e-2)
        assert spillover == pytest.approx(
            dash["multiplier_nominal_spillover"] * cost, rel=1e-5, abs=1e-2)
