"""The speed benchmark's Mesa reference still runs against the current model: it copies the
columnar model's start, so after one year both versions hold about the same people and
workers (the ratio that benchmarks/speed.py prints compares like with like). It broke
unnoticed once when a model function it borrows changed its signature."""

import json
import subprocess
import sys
from pathlib import Path

SPEED = Path(__file__).resolve().parents[1] / "benchmarks" / "speed.py"


def _child(kind: str) -> dict:
    out = subprocess.run([sys.executable, str(SPEED), "--child", kind, "2000", "1"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_careful_mesa_reference_runs_and_keeps_the_columnar_models_people():
    careful, columnar = _child("careful"), _child("full")
    assert careful["households"] > 1000
    assert abs(careful["population"] / columnar["population"] - 1) < 0.05
    assert abs(careful["workers"] / columnar["workers"] - 1) < 0.1
    assert careful["firms"] == columnar["firms"]


def test_the_phase_profile_times_every_phase_of_the_year():
    """benchmarks/phases.py wraps each phase that TerritoryModel.step calls: a phase renamed or
    moved out of its module leaves it unwrapped (its time falls into 'other') or fails."""
    import re

    phases = SPEED.parent / "phases.py"
    out = subprocess.run([sys.executable, str(phases), "--households", "2000", "--years", "1"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    sys.path.insert(0, str(phases.parent))
    try:
        from phases import PHASES
    finally:
        sys.path.remove(str(phases.parent))
    timed = dict(re.findall(r"^  (\w+)\s+([\d.]+)", out.stdout, re.M))
    for name in (function for functions in PHASES.values() for function in functions):
        assert float(timed[name]) > 0, name
    assert float(timed["other"]) < 0.5 * float(timed["year"])  # the phases are where the year goes
