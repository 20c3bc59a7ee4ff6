"""The Sobol benchmark's second extrapolation of a share (benchmarks/experiments.py) takes
the fixed cost and the cost per run apart: a share's marks of a known fixed cost and cost per
run give them back, however many runs the share had."""

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))  # its ``proctree``
# by path: ``experiments`` alone may name the repository's folder of experiment designs
_spec = importlib.util.spec_from_file_location("sobol_benchmark", BENCHMARKS / "experiments.py")
benchmark = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(benchmark)
fixed_and_per_run = benchmark.fixed_and_per_run


@pytest.mark.parametrize("runs", [10, 230])
def test_fixed_cost_and_cost_per_run_are_told_apart(runs):
    fixed, cpu, wall = (5.0, 2.0), 0.5, 0.3
    start = (100.0, 1000.0)
    # the first two results of each of 2 workers carry the workers' first loading of the kernels
    loads = [0.8, 1.6, 1.6, 1.6] + [1.6] * (runs - 4)
    marks = [(start[0] + fixed[0] + cpu * k + loads[k - 1], start[1] + fixed[1] + wall * k + loads[k - 1] / 2)
             for k in range(1, runs + 1)]
    (got_fixed_cpu, got_fixed_wall), (got_cpu, got_wall) = fixed_and_per_run(marks, start, warm=4)
    assert got_cpu == pytest.approx(cpu) and got_wall == pytest.approx(wall)
    assert got_fixed_cpu == pytest.approx(fixed[0] + 1.6) and got_fixed_wall == pytest.approx(fixed[1] + 0.8)


def test_too_few_results_give_no_split():
    assert fixed_and_per_run([(1.0, 1.0)] * 5, (0.0, 0.0), warm=4) is None
