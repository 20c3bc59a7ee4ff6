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
