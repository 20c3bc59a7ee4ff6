from pathlib import Path

import pytest

from territory_abm import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
EXAMPLE = ROOT / "calibration" / "data" / "example"


@pytest.fixture(scope="session")
def baseline():
    """The baseline scenario at a small scale (about 2,000 households)."""
    return load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.05, steps=8)


def kill_after_stored_runs(command: list[str], out_dir: Path, runs: int, timeout: float = 120.0) -> None:
    """Start ``command`` (an experiment writing into ``out_dir``) in its own process group and
    SIGKILL the group once ``runs`` runs are committed to its results store."""
    import os
    import signal
    import sqlite3
    import subprocess
    import time

    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    store = out_dir / "results.sqlite"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if store.exists():
            try:
                with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
                    if db.execute("SELECT count(*) FROM runs WHERE status='ok'").fetchone()[0] >= runs:
                        break
            except sqlite3.Error:
                pass
        time.sleep(0.05)  # polling the store for the condition, not a fixed wait
    assert proc.poll() is None, "the experiment finished before it could be killed; make it longer"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current model (a deliberate change of behaviour)")


def pytest_sessionstart(session):
    """On a fresh clone (numba's cache of the model's kernels empty), compile the kernels once,
    here, before pytest-xdist starts its workers (its own ``pytest_sessionstart`` runs last):
    otherwise every worker, and every command-line or engine process a test starts in the
    first minute, compiles the same kernels at the same time. Measured on b099467: the golden
    tests on a cold cache cost 33 CPU s in one process and 70 CPU s on two workers (10 warm).
    Only when the run uses the configured test paths (the whole suite or a tier), so that one
    named test file on a cold cache still compiles only what it needs; a no-op on a warm cache."""
    config = session.config
    if hasattr(config, "workerinput") or config.args_source != pytest.Config.ArgsSource.TESTPATHS:
        return
    from territory_abm.experiments.engines import kernels_need_compiling

    if not kernels_need_compiling():
        return
    import time

    from territory_abm.model import TerritoryModel

    started = time.process_time()
    for path in sorted(SCENARIOS.glob("*.toml")) + sorted((SCENARIOS / "classroom").glob("*.toml")):
        # four years reach every shipped policy (the example's start in 2012) and every kernel
        scale = 1.0 if path.parent.name == "classroom" else 0.02
        TerritoryModel(load_scenario(path).replace(households_scale=scale, steps=4, seed=1)).run()
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"compiled the model's kernels once for every worker ({time.process_time() - started:.0f} "
                            "CPU s)")
