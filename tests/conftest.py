from pathlib import Path

import pytest

from territory_abm import load_scenario, params

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
EXAMPLE = ROOT / "calibration" / "data" / "example"
RULES_OFF = dict(params.RULES_OFF)
"""The defaults up to session 34 (``params.RULES_OFF``): a test whose claim holds only there,
or that pins a run's draws or figures there, states them rather than lean on the defaults."""
STATIONARY_RULES_OFF = {**RULES_OFF, "birth_rate": 0.0118, "urbanisation_pull": 1.0}
"""``RULES_OFF`` with the births and the pull ``scenarios/stationary.toml`` has at that setting
(births that hold its population; the start's amenities off)."""


def sector_stocks(model) -> dict[str, float]:
    """The money each sector inside the territory holds (USD): households' assets, firms' cash,
    municipalities' treasuries."""
    return {"households": model.households.assets.sum(), "firms": model.firm_table.cash.sum(),
            "municipalities": sum(m.treasury for m in model.municipalities if m is not None)}


def step_with_balanced_books(model) -> None:
    """One year of ``model``, asserting that each sector inside the territory changes its
    stocks (:func:`sector_stocks`) by its net flows in the year's books (the invariant of
    tests/test_invariants.py, for every test that steps a model with new flows)."""
    from territory_abm.model.ledger import INTERNAL

    before = sector_stocks(model)
    model.step()
    after = sector_stocks(model)
    for sector in INTERNAL:
        assert after[sector] - before[sector] == pytest.approx(model.ledger.net_flow(sector), rel=1e-9, abs=1e-3), \
            sector


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


@pytest.fixture
def year_under_way():
    """The stationary example at scale 0.05 (seed 3) after its first year, its ledger at a new
    year: a model in mid-run for the household rules' tests (``test_land``, ``test_unions``)."""
    from territory_abm import TerritoryModel

    sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.05, steps=3)
    m = TerritoryModel(sc, seed=3)
    m.step()
    m.ledger.new_year()
    return m
