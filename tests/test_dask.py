"""The Dask engine against a real scheduler and worker processes on 127.0.0.1: results
identical to serial runs, through the command line; an unreachable scheduler is a clear error."""

import subprocess
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="the Dask extra is not installed (pip install '.[dask]')")
pytestmark = pytest.mark.slow  # a real cluster of worker processes

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
SMALL = ["--households-scale", "0.03", "--steps", "3", "--quiet"]


@pytest.fixture(scope="module")
def scheduler():
    """A local cluster: one scheduler and two single-threaded worker processes."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, silence_logs=40)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _cli(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "territory_abm.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout)


def _main(*args) -> int:
    """The serial reference through ``main`` in this process (the Dask side is the command
    line's own process)."""
    from territory_abm.cli import main

    return main([str(a) for a in args])


def test_compare_on_a_dask_cluster_matches_serial_runs(tmp_path, scheduler):
    assert scheduler.startswith("tcp://127.0.0.1:")
    scenarios = [SCEN / "baseline.toml", SCEN / "cash_transfers.toml"]
    dask = _cli("compare", *scenarios, "--seeds", "3", "--scheduler", scheduler, *SMALL, "--no-plots", "--out", tmp_path / "dask")
    assert dask.returncode == 0, dask.stderr
    assert _main("compare", *scenarios, "--seeds", "3", "--workers", "1", *SMALL, "--no-plots", "--out", tmp_path / "serial") == 0
    for name in ("results.csv", "territory_results.csv", "summary.csv", "impact.csv", "typology_shares.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes(), name


def test_sensitivity_on_a_dask_cluster_matches_serial_runs(tmp_path, scheduler):
    design = tmp_path / "design.toml"
    design.write_text(f'scenario = "{SCEN / "baseline.toml"}"\nmethod = "morris"\nsamples = 2\nseeds = 1\n'
                      'steps = 3\nhouseholds_scale = 0.03\nparameters = ["wage_adjustment", "birth_rate"]\n'
                      'outcomes = ["poverty_headcount", "population_growth"]\n')
    dask = _cli("sensitivity", design, "--scheduler", scheduler, "--quiet", "--out", tmp_path / "dask")
    assert dask.returncode == 0, dask.stderr
    assert _main("sensitivity", design, "--workers", "1", "--quiet", "--out", tmp_path / "serial") == 0
    for name in ("outputs.csv", "indices.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes(), name


def test_calibration_on_a_dask_cluster_matches_serial_runs(tmp_path, scheduler):
    obs = tmp_path / "observations.csv"
    obs.write_text("municipality,year,population,net_migration\nM01,2013,6900,-120\nM02,2013,7600,-80\n"
                   "M03,2013,8300,40\n")
    calibration = tmp_path / "calibration.toml"
    calibration.write_text(f'scenario = "{SCEN / "baseline.toml"}"\nobservations = "observations.csv"\n'
                           'method = "smm"\nseeds = 1\nhouseholds_scale = 0.03\n'
                           'parameters = ["birth_rate", "migration_stay_preference"]\n'
                           '[statistics]\npopulation_growth = 1.0\nnet_migration_rate = 1.0\n'
                           '[options]\npopsize = 5\nmaxiter = 2\nbootstrap = 20\n')
    dask = _cli("calibrate", calibration, "--scheduler", scheduler, "--quiet", "--no-plots", "--out", tmp_path / "dask")
    assert dask.returncode == 0, dask.stderr
    assert _main("calibrate", calibration, "--workers", "1", "--quiet", "--no-plots", "--out", tmp_path / "serial") == 0
    for name in ("estimate.csv", "evaluations.csv", "fit.csv", "calibrated.toml"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes(), name


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    # gives up rather than waits for ever (subprocess.TimeoutExpired fails the test)
    done = _cli("compare", SCEN / "baseline.toml", "--seeds", "1", "--scheduler", "tcp://127.0.0.1:9", *SMALL,
                "--out", tmp_path / "out", timeout=300)
    assert done.returncode == 2
    assert "--scheduler" in done.stderr and "reachable Dask scheduler" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "results.sqlite").exists()


def test_ensemble_on_a_dask_cluster_matches_serial_runs(tmp_path, scheduler):
    args = [ROOT / "experiments" / "ensemble.toml", "--territories", "3", "--seeds", "2", "--steps", "3",
            "--households-scale", "0.02", "--quiet"]
    dask = _cli("ensemble", *args, "--scheduler", scheduler, "--out", tmp_path / "dask")
    assert dask.returncode == 0, dask.stderr
    serial = _cli("ensemble", *args, "--workers", "1", "--out", tmp_path / "serial")
    assert serial.returncode == 0, serial.stderr
    for name in ("municipalities.csv", "territories.csv", "ensemble.json"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes(), name
