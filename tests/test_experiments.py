"""Experiment layer: comparison outputs, engine independence, failures, resume after a kill."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from territory_abm import load_scenario
from territory_abm.experiments import load_results
from territory_abm.experiments.commands import compare
from territory_abm.experiments.compare import compare_design, compare_specs, node_income_changes
from territory_abm.experiments.driver import run_experiment
from territory_abm.experiments.engines import LocalEngine, SerialEngine
from territory_abm.experiments.runs import execute_run

from conftest import kill_after_stored_runs

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
SMALL = ["--households-scale", "0.03", "--steps", "4"]


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "territory_abm.cli", *args], capture_output=True, text=True, **kw)


def test_compare_writes_tidy_results_and_summaries(tmp_path):
    out = tmp_path / "cmp"
    status = compare([SCEN / "baseline.toml", SCEN / "cash_transfers.toml"], 2, out, workers=1,
                     progress=False, households_scale=0.03, steps=4)
    assert status.complete and status.ran == 4
    for name in ("results.csv", "summary.csv", "impact.csv", "impact_by_municipality.csv", "typology_shares.csv",
                 "differences_by_year.csv", "scenarios.png", "differences.png", "differences_over_time.png",
                 "comparison.json"):
        assert (out / name).is_file(), name
    meta = json.loads((out / "comparison.json").read_text())
    assert (meta["households_scale"], meta["steps"]) == (0.03, 4)  # a reader can tell the scale of every count
    # what produced it: the software and each scenario as run (its file and parameters)
    assert meta["version"] and "commit" in meta and meta["mesa_version"]
    settings = {s["name"]: s for s in meta["scenario_settings"]}
    assert settings["cash_transfers"]["source"].endswith("cash_transfers.toml")
    assert "birth_rate" in settings["baseline"]["parameters"] and settings["cash_transfers"]["policies"]
    nodes = load_results(out)
    n_nodes = nodes["node_id"].nunique()
    assert len(nodes) == 2 * 2 * 5 * n_nodes  # scenarios x seeds x years (start + 4) x nodes
    territory = load_results(out, "territory")
    assert set(territory["scenario"]) == {"baseline", "cash_transfers"}
    summary = pd.read_csv(out / "summary.csv")
    base = summary[(summary.scenario == "baseline") & (summary.outcome == "poverty_headcount")].iloc[0]
    assert base.diff_to_reference == 0.0  # the reference against itself
    cost = summary[(summary.scenario == "cash_transfers") & (summary.outcome == "policy_cost_total")].iloc[0]
    assert cost["mean"] > 0
    units = dict(zip(summary["outcome"], summary["unit"]))  # each outcome's unit, as a reader needs it
    assert (units["poverty_headcount"], units["gini_income"], units["mean_income_pc"], units["policy_cost_total"]) == (
        "share", "index", "USD/person/yr", "USD")
    assert summary["unit"].notna().all()
    impact = pd.read_csv(out / "impact.csv").iloc[0]
    # beneficiaries and the rest add up to the territory multiplier, seed by seed and so on average
    assert impact.multiplier_beneficiaries + impact.multiplier_non_beneficiaries == pytest.approx(impact.multiplier_total)
    assert 0 < impact.share_of_households_reached < 1
    by_node = pd.read_csv(out / "impact_by_municipality.csv")
    assert by_node["per_usd_mean"].sum() == pytest.approx(impact.multiplier_total, rel=1e-6)
    # their USD totals are the simulated territory's: each table says at what scale (a user's
    # trial read a cost_mean at 0.25 as the whole territory's, 4 times lower than the report's)
    assert impact.households_scale == 0.03 and (by_node["households_scale"] == 0.03).all()
    # the report's per-municipality income over the run (page one) is this table's, from results.csv
    per_seed = node_income_changes(load_results(out), "cash_transfers", "baseline")
    assert per_seed.mean().reindex(by_node["node_id"]).to_numpy() == pytest.approx(by_node["income_mean"].to_numpy())
    assert impact.cost_mean == pytest.approx(cost["diff_to_reference"])  # summary.csv's, simulated scale too
    # annual multipliers during the programme (2012 to the horizon here), nominal and real
    assert (impact.programme_first_year, impact.programme_last_year) == (2012, 2014)
    for kind in ("nominal", "real"):
        name = f"annual_multiplier_{kind}"
        assert impact[f"{name}_beneficiaries"] + impact[f"{name}_non_beneficiaries"] == pytest.approx(
            impact[f"{name}_total"])
        # the others split into the spillover to households living in both runs and composition
        assert impact[f"{name}_spillover"] + impact[f"{name}_composition"] == pytest.approx(
            impact[f"{name}_non_beneficiaries"])
        assert impact[f"{name}_total_q05"] <= impact[f"{name}_total"] <= impact[f"{name}_total_q95"]
        assert 0 < impact[f"{name}_beneficiaries"] < 2  # a transfer is mostly the beneficiaries' income


def test_compare_without_plots_writes_the_tables_alone_and_a_rewriting_leaves_no_older_figure(tmp_path, capsys):
    """``compare --no-plots`` writes every table and ``comparison.json`` but no figure, and says so
    in the outputs it lists; rerun on the same directory with plots it draws them from the stored
    runs, and without again it removes them (no file left of an earlier writing)."""
    from territory_abm.cli import main

    out = tmp_path / "cmp"
    args = ["compare", str(SCEN / "baseline.toml"), str(SCEN / "cash_transfers.toml"), "--seeds", "2",
            "--households-scale", "0.02", "--steps", "2", "--workers", "1", "--quiet", "--out", str(out)]
    figures = {"scenarios.png", "typology.png", "differences.png", "differences_over_time.png"}

    def written() -> tuple[set[str], set[str]]:
        listed = set(json.loads((out / "comparison.json").read_text())["outputs"])
        return listed, {p.name for p in out.iterdir() if p.suffix == ".png"}

    assert main([*args, "--no-plots"]) == 0
    listed, pngs = written()
    assert not pngs and not listed & figures
    assert {"results.csv", "summary.csv", "impact.csv", "typology_shares.csv", "comparison.json"} <= listed
    assert all((out / name).is_file() for name in listed)
    assert main(args) == 0
    assert "0 run now" in capsys.readouterr().err
    listed, pngs = written()
    assert figures <= pngs and figures <= listed
    assert main([*args, "--no-plots"]) == 0
    assert written()[1] == set()


@pytest.mark.slow
def test_results_do_not_depend_on_the_engine(tmp_path):
    base = load_scenario(SCEN / "cash_transfers.toml").replace(households_scale=0.03, steps=3)
    specs = compare_specs([base], [5, 6, 7])
    design = compare_design([base], [5, 6, 7])
    engine = LocalEngine(2)
    try:
        run_experiment(specs, tmp_path / "local", design, engine, progress=False)
    finally:
        engine.close()
    run_experiment(specs, tmp_path / "serial", design, SerialEngine(), progress=False)
    a = load_results(tmp_path / "local").sort_values(["run_id", "year", "node_id"]).reset_index(drop=True)
    b = load_results(tmp_path / "serial").sort_values(["run_id", "year", "node_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def _fails_for_seed_6(spec):
    if spec.seed == 6:
        raise ValueError("boom in seed 6")
    return execute_run(spec)


def test_a_failing_run_is_recorded_and_the_others_finish(tmp_path):
    base = load_scenario(SCEN / "baseline.toml").replace(households_scale=0.03, steps=2)
    specs = compare_specs([base], [5, 6, 7])
    design = compare_design([base], [5, 6, 7])

    class Flaky(SerialEngine):
        def map(self, specs, fn=None):
            return super().map(specs, _fails_for_seed_6)

    status = run_experiment(specs, tmp_path, design, Flaky(), progress=False)
    assert not status.complete
    assert status.failures == [("baseline/seed=6", "ValueError: boom in seed 6")]
    assert sorted(load_results(tmp_path, "territory")["seed"].unique()) == [5, 7]
    # rerunning retries only the failure
    status = run_experiment(specs, tmp_path, design, SerialEngine(), progress=False)
    assert status.complete and status.reused == 2 and status.ran == 1


@pytest.mark.slow
def test_a_different_experiment_on_the_same_directory_is_refused(tmp_path):
    out = tmp_path / "cmp"
    first = _cli("compare", str(SCEN / "baseline.toml"), "--seeds", "1", "--workers", "1", "--quiet", *SMALL,
                 "--no-plots", "--out", str(out))
    assert first.returncode == 0, first.stderr
    second = _cli("compare", str(SCEN / "baseline.toml"), "--seeds", "2", "--workers", "1", "--quiet", *SMALL,
                  "--out", str(out))
    assert second.returncode == 2
    assert "results.sqlite" in second.stderr and "design" in second.stderr and "Traceback" not in second.stderr
    assert "different experiment" in second.stderr and "new --out directory" in second.stderr


@pytest.mark.slow
def test_resume_after_sigkill_gives_the_uninterrupted_results(tmp_path):
    args = ["compare", str(SCEN / "baseline.toml"), str(SCEN / "roads.toml"), "--seeds", "6", "--workers", "2",
            "--quiet", "--no-plots", "--households-scale", "0.05", "--steps", "6"]
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    kill_after_stored_runs([sys.executable, "-m", "territory_abm.cli", *args, "--out", str(killed)], killed, runs=2)
    assert not (killed / "comparison.json").exists()
    resumed = _cli(*args, "--out", str(killed))
    assert resumed.returncode == 0, resumed.stderr
    assert "already stored" in resumed.stderr and not resumed.stderr.startswith("12 runs: 0 already")
    assert _cli(*args, "--out", str(clean)).returncode == 0
    for name in ("results.csv", "summary.csv", "impact.csv", "territory_results.csv"):
        assert (killed / name).read_bytes() == (clean / name).read_bytes(), name


def test_scenarios_of_different_scale_or_length_are_refused_before_any_run():
    """Runs are paired seed by seed and year by year: a comparison of scenarios at different
    households_scale, steps or start year is refused with the field named, not run and then
    crashed on the broken pairing."""
    from territory_abm.errors import InputError
    from territory_abm.experiments.compare import compare_specs
    from territory_abm.scenarios.loader import load_scenario

    base = load_scenario(SCEN / "baseline.toml")
    roads = load_scenario(SCEN / "roads.toml")
    for field, value in (("households_scale", 0.5), ("steps", 5)):
        with pytest.raises(InputError, match=field):
            compare_specs([base, roads.replace(**{field: value})], [1, 2])
    assert len(compare_specs([base, roads], [1, 2])) == 4
