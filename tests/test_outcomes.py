"""The outcome registry: the model computes exactly what is declared, the declared territory
rules reproduce the model's territory values, every user takes its names from the registry,
and the period statistics and typology flags have known answers on hand-made tables."""

from __future__ import annotations

import math
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest

from territory_abm import load_scenario
from territory_abm.model import TerritoryModel
from territory_abm.outcomes import (
    DIFFERENCES,
    FLAGS,
    HEADLINE,
    OUTCOMES,
    SERIES,
    STATISTICS,
    SUMMARY,
    TYPE_COLOURS,
    TYPE_FLAGS,
    TYPES,
    UNCLASSIFIED,
    aggregate,
    flag_share,
    markdown_table,
    outcome,
    period_frames,
    period_statistics,
    types_of,
)
from territory_abm.outcomes.yearly import POLICY_COST_PREFIX

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def policy_run():
    """A few years of the policy mix at a small scale (policies start in 2012)."""
    scenario = load_scenario(ROOT / "scenarios" / "policy_mix.toml").replace(households_scale=0.02, steps=3, seed=5)
    model = TerritoryModel(scenario)
    model.run()
    return model


# ---------------------------------------------------------------- registry and model
def test_model_computes_exactly_the_declared_outcomes(policy_run):
    model = policy_run
    costs = {f"{POLICY_COST_PREFIX}{label}" for label in model.policies.labels}
    assert costs, "the policy mix should record per-policy costs"
    assert set(model.node_stats) == set(OUTCOMES) | costs
    assert set(model.territory_stats) == set(OUTCOMES) | costs
    for name in costs:
        assert outcome(name).kind == "flow" and outcome(name).across == "sum"



def test_node_records_are_those_of_the_reporters(policy_run):
    """The municipality records made a row at a time (``NodeDataCollector``) are, value for
    value and type for type, those of Mesa's calls of each reporter on each municipality."""
    from territory_abm.model.municipality import Municipality

    model = policy_run
    collector = model.datacollector
    fast = collector._record_agenttype(model, Municipality)
    slow = list(mesa.DataCollector._record_agenttype(collector, model, Municipality))
    assert len(fast) == len(slow) == len(model.active_municipalities())
    for a, b in zip(fast, slow):
        assert [type(x) for x in a] == [type(x) for x in b]
        assert np.array_equal(np.array(a[6:], float), np.array(b[6:], float), equal_nan=True) and a[:6] == b[:6]
    assert len(collector._agenttype_records) == model.steps + 1  # the start and every year

def test_declared_territory_rules_reproduce_the_model(policy_run):
    """Each outcome's territory value is its declared aggregate of the node values."""
    model = policy_run
    hh = model.households
    nodes = {k: np.asarray(v, float) for k, v in model.node_stats.items()}
    weights = dict(nodes)
    weights["adults"] = np.bincount(hh.node[hh.alive], hh.adults[hh.alive], minlength=model.n_nodes)
    weights["area_ha"] = np.array([m.area_ha if m is not None else np.nan for m in model.municipalities])
    checked = 0
    for name, value in model.territory_stats.items():
        if outcome(name).across == "households":
            continue
        assert aggregate(name, nodes[name], weights) == pytest.approx(value, rel=1e-9, abs=1e-9), name
        checked += 1
    assert checked >= len(OUTCOMES) - 3  # all but median and the two Gini


def test_aggregate_rules_on_hand_made_nodes():
    pop = np.array([100.0, 300.0, np.nan])
    w = {"population": pop}
    assert aggregate("population", pop) == 400.0
    assert aggregate("poverty_headcount", np.array([0.5, 0.1, np.nan]), w) == pytest.approx((50 + 30) / 400)
    assert aggregate("enforcement", np.array([0.2, 0.4, np.nan])) == pytest.approx(0.3)
    with pytest.raises(ValueError, match="household distribution"):
        aggregate("gini_income", np.array([0.4, 0.5]))


def test_registry_entries_are_well_formed():
    for o in OUTCOMES.values():
        assert o.unit and o.label
        assert o.over_years == ("sum" if o.kind == "flow" else "end")
        assert (o.across == "weighted_mean") == bool(o.weight), o.name
    assert OUTCOMES["births"].over_years == "sum" and OUTCOMES["population"].over_years == "end"
    for s in STATISTICS.values():
        assert set(s.needs) <= set(OUTCOMES), s.name
    for f in FLAGS.values():
        assert set(f.needs) <= set(STATISTICS), f.name


def test_every_user_takes_names_from_the_registry():
    from territory_abm.calibration.statistics import MUNICIPAL, known_statistics
    from territory_abm.calibration.statistics import SHARES as CAL_SHARES
    from territory_abm.experiments import compare
    from territory_abm.experiments import plots as experiment_plots
    from territory_abm.experiments.plots import DIFF_OUTCOMES
    from territory_abm.output import plots as run_plots
    from territory_abm.report import command as report_command
    from territory_abm.report.content import HEADLINE as REPORT_HEADLINE
    from territory_abm.sensitivity.outcomes import SHARES, TOTALS, known_outcomes
    from territory_abm.typology import TYPE_STATISTICS

    for name in known_outcomes():
        assert name in OUTCOMES or name in STATISTICS or name in SHARES or name in TOTALS, name
    assert set(SHARES.values()) <= set(FLAGS) and set(TOTALS.values()) <= set(OUTCOMES)
    assert list(MUNICIPAL) == list(STATISTICS) and set(CAL_SHARES) == set(FLAGS)
    for name in known_statistics():
        base = name.split(":", 1)[-1]
        assert base in STATISTICS or base in FLAGS, name
    assert set(SUMMARY) <= set(OUTCOMES) and compare.SUMMARY_OUTCOMES == SUMMARY
    assert set(HEADLINE) <= set(SUMMARY)  # the report reads the comparison's summary
    assert list(REPORT_HEADLINE) == list(HEADLINE)
    assert set(SERIES) <= set(OUTCOMES) and set(DIFFERENCES) <= set(OUTCOMES)
    assert [c for c, _ in run_plots.SERIES] == list(SERIES) and [c for c, _ in DIFF_OUTCOMES] == list(DIFFERENCES)
    assert set(TYPE_STATISTICS) <= set(STATISTICS) and set(TYPE_FLAGS) <= set(FLAGS)
    assert list(TYPE_COLOURS) == list(TYPES)
    assert run_plots.TYPE_COLOURS is TYPE_COLOURS
    assert report_command.plot_typology_shares is experiment_plots.plot_typology_shares  # colours: outcomes.TYPE_COLOURS


def test_readme_outcome_tables_are_the_registry():
    """The README's outcome tables are the registry's own (regenerate with
    ``python -c "from territory_abm.outcomes import markdown_table; print(markdown_table())"``)."""
    readme = (ROOT / "README.md").read_text()
    for table in markdown_table().split("\n\n"):
        assert table.strip() in readme


def test_format_follows_the_kind():
    assert outcome("poverty_headcount").format(0.4321, percent=True) == "43.2"
    assert outcome("poverty_headcount").format(0.4321) == "0.432"
    assert outcome("poverty_headcount").format(-0.01, percent=True, signed=True) == "-1.0"
    assert outcome("mean_income_pc").format(1234.6, signed=True) == "+1,235"
    assert outcome("gini_income").format(float("nan")) == "-"


# ---------------------------------------------------------------- period statistics
def _one(**columns):
    return {k: np.array([v], float) for k, v in columns.items()}


@pytest.mark.parametrize("years", [1, 2])
def test_income_doubling_has_both_named_rates(years):
    stats = period_statistics(_one(mean_income_pc=1000), _one(mean_income_pc=2000), np.zeros(1), years)
    assert stats["income_growth_log"][0] == pytest.approx(math.log(2) / years)
    assert stats["income_growth_total"][0] == pytest.approx(1.0)


def test_period_statistics_known_answers():
    start = _one(population=2000, mean_income_pc=500, poverty_headcount=0.4, gini_income=0.5, forest_cover=0.5)
    end = _one(population=2000 * math.e ** 0.2, mean_income_pc=400, poverty_headcount=0.45, gini_income=0.48,
               forest_cover=0.4)
    stats = period_statistics(start, end, np.array([-400.0]), 10)
    assert stats["income_growth_total"][0] == pytest.approx(-0.2)
    assert stats["poverty_change"][0] == pytest.approx(0.05)
    assert stats["gini_change"][0] == pytest.approx(-0.02)
    assert stats["forest_change"][0] == pytest.approx(-0.2)
    assert stats["population_growth"][0] == pytest.approx(0.02)  # log growth 0.2 over 10 years
    assert stats["net_migration_rate"][0] == pytest.approx(-0.02)  # -400 / 2000 / 10
    assert list(stats) == list(STATISTICS)


def test_period_statistics_edge_cases():
    start = {"mean_income_pc": np.array([0.0, 100.0]), "forest_cover": np.array([0.0, np.nan])}
    end = {"mean_income_pc": np.array([100.0, 100.0]), "forest_cover": np.array([0.0, 0.3])}
    stats = period_statistics(start, end, np.zeros(2), 5)
    assert np.isnan(stats["income_growth_log"][0]) and np.isnan(stats["income_growth_total"][0])  # from zero
    assert stats["income_growth_log"][1] == 0.0
    assert stats["forest_change"][0] == 0.0  # never any forest: nothing lost
    assert np.isnan(stats["forest_change"][1])  # not observed at the start
    assert np.isnan(stats["poverty_change"]).all()  # column not given


def _node_table():
    rows = []
    for year, pops, incomes, nets in ((2010, (100, 200), (1000, 1000), (0, 0)), (2011, (110, 190), (1500, 900), (10, -10)),
                                      (2012, (120, 180), (2000, 800), (5, -5))):
        for k in range(2):
            rows.append({"year": year, "node_id": "AB"[k], "population": pops[k], "mean_income_pc": incomes[k],
                         "net_migration": nets[k]})
    return pd.DataFrame(rows)


def test_period_frames_sum_flows_after_the_start():
    a, b, net, years = period_frames(_node_table())
    assert years == 2 and list(a.index) == ["A", "B"]
    assert net.tolist() == [15.0, -15.0]
    a, b, net, years = period_frames(_node_table(), 2011, 2012, order=["B", "A"])
    assert years == 1 and net.tolist() == [-5.0, 5.0] and b["mean_income_pc"].tolist() == [800, 2000]
    stats = period_statistics(*period_frames(_node_table()))
    assert stats["income_growth_log"][0] == pytest.approx(math.log(2) / 2)
    assert stats["net_migration_rate"][1] == pytest.approx(-15 / 200 / 2)


def test_period_frames_of_a_territory_table():
    territory = _node_table().groupby("year", as_index=False)[["population", "net_migration"]].sum()
    a, _, net, years = period_frames(territory, key=None)
    assert len(a) == 1 and a["population"].iloc[0] == 300 and net.tolist() == [0.0] and years == 2


# ---------------------------------------------------------------- typology rule
def test_types_from_statistics():
    stats = {"income_growth_total": np.array([0.1, 0.1, 0.1, -0.1, -0.1, np.nan, 0.1]),
             "poverty_change": np.array([-0.1, -0.1, 0.1, 0.1, 0.1, np.nan, -0.1]),
             "gini_change": np.array([-0.02, -0.02, -0.02, -0.02, 0.02, np.nan, -0.02]),
             "forest_change": np.array([-0.005, -0.05, 0.0, 0.0, 0.0, np.nan, np.nan])}
    assert types_of(stats).tolist() == ["sustainable win-win-win", "win-win-win", "two of three", "one of three",
                                        "none", UNCLASSIFIED, "win-win-win"]
    assert flag_share(stats, "win_win_win") == pytest.approx(3 / 6)  # the NaN unit is left out
    assert flag_share(stats, "forest_kept") == pytest.approx(4 / 5)  # -5 % is not kept; NaNs left out
    assert flag_share(stats, "sustainable_win_win_win") == pytest.approx(1 / 5)
    assert np.isnan(flag_share({k: np.full(2, np.nan) for k in stats}, "grew"))


# ---------------------------------------------------------------- unemployed
def test_unemployed_are_seekers_without_a_job_not_adults_who_farm():
    """``unemployed`` counts adults who sought a wage job and got none: with no vacancy on
    offer nobody seeks one, so nobody is unemployed although every adult farms; with jobs on
    offer it is at most the adults without a wage job, and below it where some farm by choice."""
    from territory_abm.model import labour
    from territory_abm.model.outcomes import compute

    scenario = load_scenario(ROOT / "scenarios" / "baseline.toml").replace(households_scale=0.02, steps=2, seed=3)
    model = TerritoryModel(scenario)
    model.step()
    hh, n = model.households, model.n_nodes
    adults = np.bincount(hh.node, hh.adults * hh.alive, minlength=n)
    labour.labour_market(model, labour.post_vacancies(model))
    jobs = np.bincount(hh.node, hh.employed * hh.alive, minlength=n)
    unemployed = np.asarray(model.flows.unmatched, float)
    assert (unemployed >= 0).all() and (unemployed <= adults - jobs + 1e-9).all()
    assert (unemployed < adults - jobs).any(), "some adults farm without seeking a wage job"
    labour.labour_market(model, np.zeros(len(model.firm_table.alive)))  # no vacancy anywhere
    assert hh.employed[hh.alive].sum() == 0 and adults.sum() > 0
    assert np.asarray(model.flows.unmatched, float).sum() == 0.0
    per_node, territory = compute(model)  # what the tables report
    assert np.nansum(per_node["unemployed"]) == 0.0 and territory["unemployed"] == 0.0
    assert np.nansum(per_node["farm_workers"]) > 0
