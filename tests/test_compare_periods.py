"""Comparisons state results at the end of each programme as well as at the horizon, and
report typology shares with tolerances, rural municipalities apart from cities: known answers
on hand-made runs."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from territory_abm import load_scenario
from territory_abm.errors import InputError
from territory_abm.experiments.compare import HORIZON, PROGRAMME_END, Comparison, compare_specs, programme_end
from territory_abm.outcomes import SUMMARY, Tolerances

ROOT = Path(__file__).resolve().parents[1]
YEARS = (2010, 2011, 2012, 2013)


def _scenario(name, ends=()):
    return {"name": name, "start_year": 2010, "steps": 3, "typology": Tolerances().as_dict(),
            "policies": [{"lever": "cct", "start": 2011, "end": e} for e in ends]}


def test_programme_end_is_the_last_policy_year_when_it_comes_before_the_horizon():
    assert programme_end(_scenario("a", (2011, 2012)), 2013) == 2012
    assert programme_end(_scenario("a", (2012, 2013)), 2013) is None  # runs to the horizon
    assert programme_end(_scenario("a", (2030,)), 2013) is None
    assert programme_end(_scenario("a"), 2013) is None  # no programme


def _run(poverty, income, rural_poverty, rural_income, rural_gini):
    """Hand-made tables of one run: the territory, and one rural municipality R and one city C
    that never changes."""
    territory = pd.DataFrame({"year": YEARS, **{o: np.ones(4) for o in SUMMARY},
                              "poverty_headcount": poverty, "mean_income_pc": income,
                              "population": 1000.0, "policy_cost": 0.0})
    rows = []
    for k, year in enumerate(YEARS):
        rows.append({"year": year, "node_id": "R", "name": "R", "kind": "municipality", "population": 100.0,
                     "mean_income_pc": rural_income[k], "poverty_headcount": rural_poverty[k],
                     "gini_income": rural_gini[k], "forest_cover": 0.5, "net_migration": 0.0})
        rows.append({"year": year, "node_id": "C", "name": "C", "kind": "city", "population": 900.0,
                     "mean_income_pc": 2000.0, "poverty_headcount": 0.2, "gini_income": 0.5,
                     "forest_cover": 0.1, "net_migration": 0.0})
    return {"territory": territory, "nodes": pd.DataFrame(rows)}


@pytest.fixture
def comparison():
    flat = (0.30, 0.30, 0.30, 0.30)
    design = {"kind": "compare", "seeds": [1, 2], "scenarios": [_scenario("base"), _scenario("prog", (2012,))]}
    runs = {}
    for seed in (1, 2):
        runs[("base", seed)] = _run(flat, (1000.0,) * 4, flat, (1000.0,) * 4, (0.48,) * 4)
        # the programme lowers poverty by 3 (seed 1) or 5 (seed 2) points while it runs; it is gone a year later
        d = 0.01 * (1 + 2 * seed)
        runs[("prog", seed)] = _run((0.30, 0.30 - d, 0.30 - d, 0.30), (1000.0, 1100, 1100, 1000),
                                    (0.30, 0.30 - d, 0.30 - d, 0.30), (1000.0, 1100, 1100, 1000),
                                    (0.48, 0.46, 0.46, 0.48))
    return Comparison.from_runs(design, runs)


def test_a_programme_that_ends_before_the_horizon_gets_an_end_of_programme_row(comparison):
    summary = comparison.summary()
    pov = summary[summary["outcome"] == "poverty_headcount"].set_index(["scenario", "period"])
    assert set(pov.index) == {("base", HORIZON), ("prog", HORIZON), ("prog", PROGRAMME_END)}
    assert pov.loc[("prog", PROGRAMME_END), "year"] == 2012 and pov.loc[("prog", HORIZON), "year"] == 2013
    assert pov.loc[("prog", PROGRAMME_END), "diff_to_reference"] == pytest.approx(-0.04)  # mean of -3 and -5 points
    assert pov.loc[("prog", PROGRAMME_END), "mean"] == pytest.approx(0.26)
    assert pov.loc[("prog", HORIZON), "diff_to_reference"] == pytest.approx(0.0)  # read at the horizon: no effect
    income = summary[(summary["outcome"] == "mean_income_pc") & (summary["period"] == PROGRAMME_END)].iloc[0]
    assert income["diff_to_reference"] == pytest.approx(100.0)


def test_typology_shares_at_the_programme_end_and_the_horizon_keep_cities_apart(comparison):
    shares = comparison.typology_shares()
    types = shares[shares["measure"] == "type"].set_index(["scenario", "period", "group", "category"])
    # by 2012 the rural municipality grew 10 %, lost 3-5 points of poverty and 0.02 of Gini
    assert types.loc[("prog", PROGRAMME_END, "rural", "sustainable win-win-win"), "share_of_units"] == 1.0
    assert types.loc[("prog", PROGRAMME_END, "rural", "sustainable win-win-win"), "end_year"] == 2012
    # by 2013 it is back where it started: every change is "no change", so its type is none
    assert types.loc[("prog", HORIZON, "rural", "none"), "share_of_units"] == 1.0
    income = shares[(shares["measure"] == "income") & (shares["period"] == HORIZON) & (shares["group"] == "rural")]
    assert income.set_index(["scenario", "category"]).loc[("prog", "no change"), "share_of_units"] == 1.0
    # the unchanging city is "none" and is not counted among rural municipalities
    assert types.loc[("prog", PROGRAMME_END, "cities", "none"), "share_of_units"] == 1.0
    assert types.loc[("prog", PROGRAMME_END, "all", "sustainable win-win-win"), "share_of_units"] == 0.5
    assert types.loc[("prog", PROGRAMME_END, "all", "sustainable win-win-win"), "share_of_population"] == \
        pytest.approx(100 / 1000)
    assert ("base", PROGRAMME_END) not in set(zip(shares["scenario"], shares["period"]))


def test_a_comparison_uses_one_set_of_tolerances(tmp_path):
    base = load_scenario(ROOT / "scenarios" / "baseline.toml")
    other = load_scenario(ROOT / "scenarios" / "cash_transfers.toml")
    other = other.replace(name="cash", typology=Tolerances(poverty=0.02))
    with pytest.raises(InputError) as err:
        compare_specs([base, other], [1])
    assert err.value.field == "typology" and err.value.source == other.source
    assert len(compare_specs([base, other.replace(typology=Tolerances())], [1, 2])) == 4


def test_the_difference_each_year_is_the_seeds_paired_differences(comparison, tmp_path):
    """differences_by_year.csv (a researcher's trial, session 24: an effect clear in the
    programme's first year was in no table): every year's paired difference, mean and 5-95 %
    over seeds; known answer: the programme's -3 and -5 points in 2011-2012, none before or after."""
    from territory_abm.experiments.plots import plot_differences_over_time
    from territory_abm.output.figure_check import figure_problems

    by_year = comparison.differences_by_year()
    pov = by_year[by_year["outcome"] == "poverty_headcount"].set_index("year")
    assert set(by_year["scenario"]) == {"prog"} and list(pov.index) == list(YEARS)
    assert pov.loc[2011, "diff_to_reference"] == pytest.approx(-0.04)
    assert pov.loc[2011, "diff_q05"] == pytest.approx(-0.049) and pov.loc[2011, "diff_q95"] == pytest.approx(-0.031)
    assert pov.loc[2010, "diff_to_reference"] == 0 and pov.loc[2013, "diff_to_reference"] == pytest.approx(0.0)
    fig = plot_differences_over_time(by_year, comparison.scenarios, comparison.programme_end, tmp_path / "d.png")
    assert figure_problems(fig) == []
    assert any(line.get_xdata()[0] == 2012 for ax in fig.axes for line in ax.get_lines()
               if line.get_linestyle() == ":")  # the programme's last year marked


def test_typology_shares_carry_the_number_of_units_and_each_count_with_its_range_over_seeds():
    """An adviser trial (session 27): with 2 cities, shares such as "[0-100]" told nothing, and
    typology_shares.csv did not say how many units a share was of. Each row now has its group's
    number of units and the count in its category: mean over seeds and the 5-95 % range as counts
    some seed had."""
    from territory_abm.experiments.compare import count_range

    flat = (0.30, 0.30, 0.30, 0.30)
    design = {"kind": "compare", "seeds": [1, 2, 3], "scenarios": [_scenario("base"), _scenario("prog")]}
    runs = {}
    for seed in (1, 2, 3):
        runs[("base", seed)] = _run(flat, (1000.0,) * 4, flat, (1000.0,) * 4, (0.48,) * 4)
        better = seed > 1  # the rural municipality improves on every count in seeds 2 and 3 only
        runs[("prog", seed)] = _run(flat, (1000.0,) * 4, (0.30, 0.30, 0.30, 0.27 if better else 0.30),
                                    (1000.0, 1000, 1000, 1100 if better else 1000),
                                    (0.48, 0.48, 0.48, 0.46 if better else 0.48))
    shares = Comparison.from_runs(design, runs).typology_shares()
    rows = shares[shares["measure"] == "type"].set_index(["scenario", "group", "category"])
    best = rows.loc[("prog", "rural", "sustainable win-win-win")]
    assert best["group_units"] == 1 and best["count_mean"] == pytest.approx(2 / 3)
    assert (best["count_low"], best["count_high"]) == (0, 1)  # counts some seed had, not 0.1 to 1
    assert rows.loc[("prog", "all", "none"), "group_units"] == 2  # the city and the rural municipality
    assert rows.loc[("prog", "cities", "none"), "count_mean"] == 1.0
    assert count_range([0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]) == (1, 2)


def test_interventions_are_compared_with_each_other_on_the_same_seeds():
    """An adviser trial (session 27): interventions were compared with the reference alone, so
    two that each differed from it could not be told apart. Each pair's difference is taken seed
    by seed (common random numbers), with its interval over seeds: known answers."""
    from territory_abm.experiments.compare import PERSON_YEARS, pairwise_differences

    rows = []
    for seed in (1, 2, 3, 4):
        for name, poverty in (("a", 0.20), ("b", 0.22 + 0.01 * seed), ("c", 0.20 + 0.001 * (-1) ** seed)):
            for year in (2010, 2011, 2012):
                level = 0.30 if year == 2010 else poverty  # every scenario starts alike
                rows.append({"scenario": name, "seed": seed, "year": year, "poverty_headcount": level,
                             "population": 1000.0, "gini_income": 0.5, "mean_income_pc": 1000.0 + seed,
                             "forest_cover": 0.3, "natural_capital": 300.0 + (10.0 if name == "a" else 0.0)})
    pairs = pairwise_differences(pd.DataFrame(rows), ["a", "b", "c"]).set_index(["first", "second", "outcome"])
    assert list(dict.fromkeys(pairs.index.droplevel(2))) == [("a", "b"), ("a", "c"), ("b", "c")]
    ab = pairs.loc[("a", "b", "poverty_headcount")]
    assert ab["year"] == 2012 and ab["seeds"] == 4
    assert ab["diff"] == pytest.approx(-0.045) and ab["diff_q05"] == pytest.approx(np.percentile([-.03, -.04, -.05,
                                                                                                   -.06], 5))
    # a's poor: 200 a year; b's: 230-260: a keeps 2 x (30 + 10 seed) person-years more in seed s
    assert pairs.loc[("a", "b", PERSON_YEARS), "diff"] == pytest.approx(np.mean([2 * (20 + 10 * s) for s in (1, 2, 3,
                                                                                                            4)]))
    ac = pairs.loc[("a", "c", "poverty_headcount")]
    assert ac["diff_q05"] < 0 < ac["diff_q95"]  # -0.001 or +0.001 by seed: not told apart
    assert pairs.loc[("a", "c", "natural_capital"), "diff"] == pytest.approx(10.0)
    assert pairs.loc[("b", "c", "mean_income_pc"), "diff"] == 0.0  # the same seed's income: no difference


def test_the_interventions_pairwise_comparison_is_written_at_the_horizon_and_each_programmes_end(comparison):
    """pairwise.csv (session 27: the report compared interventions with each other, but no
    table an adviser could hand on held it): with one intervention it has no rows; with two,
    each outcome's paired difference at the horizon and at the year a programme ends before it
    (known answers: 'fast' lowers poverty 3-5 points in 2011-2012, 'slow' 1 point throughout)."""
    assert comparison.pairwise().empty
    flat = (0.30,) * 4
    design = {"kind": "compare", "seeds": [1, 2],
              "scenarios": [_scenario("base"), _scenario("fast", (2012,)), _scenario("slow", (2013,))]}
    runs = {}
    for seed in (1, 2):
        d = 0.01 * (1 + 2 * seed)
        runs[("base", seed)] = _run(flat, (1000.0,) * 4, flat, (1000.0,) * 4, (0.48,) * 4)
        runs[("fast", seed)] = _run((0.30, 0.30 - d, 0.30 - d, 0.30), (1000.0,) * 4, flat, (1000.0,) * 4, (0.48,) * 4)
        runs[("slow", seed)] = _run((0.30, 0.29, 0.29, 0.29), (1000.0,) * 4, flat, (1000.0,) * 4, (0.48,) * 4)
    pairs = Comparison.from_runs(design, runs).pairwise().set_index(["first", "second", "outcome", "year"])
    assert set(pairs.index.get_level_values("year")) == {2012, 2013}
    at_end = pairs.loc[("fast", "slow", "poverty_headcount", 2012)]
    assert at_end["seeds"] == 2 and at_end["diff"] == pytest.approx(-0.03)  # -0.02 and -0.04
    assert at_end["diff_q05"] < at_end["diff_q95"] < 0
    assert pairs.loc[("fast", "slow", "poverty_headcount", 2013), "diff"] == pytest.approx(0.01)
    # person-years: 1000 persons, fast's poor 300 - 1000 d in 2011-2012, slow's 290 in 2011-2013
    expected = np.mean([3 * 290 - (2 * (300 - 10 * (1 + 2 * s)) + 300) for s in (1, 2)])
    assert pairs.loc[("fast", "slow", "poverty_person_years_avoided", 2013), "diff"] == pytest.approx(expected)
    # up to the programme's end (2012) only 2011-2012 count (session 28: each year's rows held the whole run's)
    by_end = np.mean([2 * 290 - 2 * (300 - 10 * (1 + 2 * s)) for s in (1, 2)])
    assert pairs.loc[("fast", "slow", "poverty_person_years_avoided", 2012), "diff"] == pytest.approx(by_end)
