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
