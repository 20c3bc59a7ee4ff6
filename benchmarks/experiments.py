"""Throughput of experiments: a Sobol design of 8 parameters with N = 256 (4,608 runs) on the
example territory at its default size (households_scale = 1) and 20 steps, on the local
engine; and runs per second at 1 and 2 workers, side by side on the same runs.

    python benchmarks/experiments.py                      # the whole design (all 4,608 runs)
    python benchmarks/experiments.py --share 0.125        # the first eighth, time extrapolated
    python benchmarks/experiments.py --skip-design --throughput-runs 40
    python benchmarks/experiments.py --share 0.05 --throughput-runs 0   # the design's share alone

The design runs through the same code as ``territory-abm sensitivity`` (sampling, result
store, analysis); the timed figure is the whole command, analysis and writing included.
With ``--share`` below 1 only the first part of the runs is executed and the full-design
time is extrapolated from it (printed as such), twice: in proportion to the runs (as earlier
figures were), and as the fixed cost (imports, the workers' start, their first loading of the
compiled kernels) plus the cost per run after the first ``2 x workers`` results times the
design's runs, since a share pays the fixed cost once as the whole design does; the second
adds the time the analysis at the end takes to read every run's outcomes back from the
store (one process, serial), measured on the share's runs. Neither includes SALib, the
tables and the plot (a few seconds), which a share does not run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from proctree import cpu_seconds

ROOT = Path(__file__).resolve().parents[1]

PARAMETERS = ["farm_land_elasticity", "transport_cost_per_hour", "intermediary_margin", "local_ownership_share",
              "migration_stay_preference", "wage_adjustment", "firm_entry_rate", "clearing_propensity"]


def write_design(directory: Path, samples: int) -> Path:
    path = directory / "sobol_benchmark.toml"
    path.write_text(
        f'name = "sobol_benchmark"\nscenario = "{ROOT / "scenarios" / "baseline.toml"}"\nmethod = "sobol"\n'
        f"samples = {samples}\nseeds = 1\nsteps = 20\nhouseholds_scale = 1.0\n"
        f"parameters = {PARAMETERS!r}\n".replace("'", '"')
        + 'outcomes = ["income_growth_log", "poverty_headcount", "gini_income", "forest_change", '
          '"win_win_win_share"]\n\n[options]\nsecond_order = true\n')
    return path


class MarkedEngine:
    """An engine that notes, as each result arrives, the CPU time of this process and its
    descendants (s, ``proctree.cpu_seconds``) and the wall time (``time.perf_counter``)."""

    def __init__(self, engine):
        self.engine = engine
        self.marks: list[tuple[float, float]] = []

    def map(self, specs, fn):
        for outcome in self.engine.map(specs, fn):
            self.marks.append((cpu_seconds(), time.perf_counter()))
            yield outcome


def fixed_and_per_run(marks: list[tuple[float, float]], start: tuple[float, float], warm: int):
    """(fixed, per run) of CPU and of wall time (s) from a share's ``marks``: the cost per run
    from the ``warm``-th result (counted from 1) to the last, and the fixed cost, what the
    whole share cost from ``start`` (before anything was imported) beyond its runs at that
    cost per run. None if fewer than ``warm`` + 2 results arrived. (The runs under way at the
    ``warm``-th result had begun before it: the cost per run is low by about their part of a
    run each over the runs after it, half a percent for 230 runs on 2 workers.)"""
    if len(marks) < warm + 2:
        return None
    first, last = marks[warm - 1], marks[-1]
    per_run = [(b - a) / (len(marks) - warm) for a, b in zip(first, last)]
    return [(b - s) - r * len(marks) for b, s, r in zip(last, start, per_run)], per_run


def reading_back(path: Path, out: Path) -> tuple[float, float]:
    """CPU and wall time (s) per run of reading the stored runs' outcomes back, as the analysis
    at the end of the whole design reads every run's (``collect_outputs``, in this process)."""
    from territory_abm.sensitivity.command import collect_outputs
    from territory_abm.sensitivity.design import load_design

    cpu, wall = time.process_time(), time.perf_counter()
    rows = len(collect_outputs(load_design(path), out)[0])  # one a run: one seed, no reference
    return (time.process_time() - cpu) / rows, (time.perf_counter() - wall) / rows


def print_extrapolation(marks: list, before: tuple[float, float], back: tuple[float, float], workers: int,
                        total: int) -> None:
    """The second extrapolation of a share (see the module's docstring) from its results'
    ``marks``, the marks ``before`` it and the cost per run of reading ``back``."""
    split = fixed_and_per_run(marks, before, 2 * workers)
    if split is None:
        return
    (fixed_cpu, fixed_wall), (run_cpu, run_wall) = split
    print(f"  fixed (imports, workers' start, first kernel loads): {fixed_cpu:.1f} s CPU, {fixed_wall:.1f} s wall; "
          f"after the first {2 * workers} results {run_cpu:.3f} s CPU and {run_wall:.3f} s wall per run; reading "
          f"the outcomes back at the end {back[0] * 1e3:.1f} ms CPU and {back[1] * 1e3:.1f} ms wall per run")
    print(f"  whole design: {((fixed_cpu + run_cpu * total) / workers + back[0] * total) / 60:.1f} min on {workers} "
          f"idle cores, {(fixed_wall + (run_wall + back[1]) * total) / 60:.1f} min of wall time at this load "
          f"(SALib, tables and plot not included)")


def run_design(path: Path, out: Path, workers: int, share: float) -> tuple[int, int, float, list]:
    """Run the design (or its first ``share`` of runs); returns (runs done, runs in design, seconds,
    the marks of :class:`MarkedEngine` of a share's results)."""
    from territory_abm.experiments.driver import run_experiment
    from territory_abm.experiments.engines import LocalEngine
    from territory_abm.sensitivity.analysis import sample_hash
    from territory_abm.sensitivity.command import design_sample, run_sensitivity, sensitivity_specs
    from territory_abm.sensitivity.design import load_design

    started = time.perf_counter()
    if share >= 1.0:
        status = run_sensitivity(path, out, workers=workers, progress=True)
        if not status.complete:
            sys.exit(f"design incomplete: {status.failures[:3]}")
        return status.total, status.total, time.perf_counter() - started, []
    design = load_design(path)
    x = design_sample(design)
    specs = sensitivity_specs(design, x)
    part = specs[: max(1, int(len(specs) * share))]
    engine = MarkedEngine(LocalEngine(workers))
    try:
        status = run_experiment(part, out, {**design.as_dict(), "sample_sha256": sample_hash(x)}, engine,
                                progress=True, label="sobol (part)")
    finally:
        engine.engine.close()
    return status.ran, len(specs), time.perf_counter() - started, engine.marks


def throughput(path: Path, workers: int, runs: int, directory: Path) -> float:
    """Runs per second on ``runs`` runs of the design with ``workers`` local processes."""
    from territory_abm.experiments.driver import run_experiment
    from territory_abm.experiments.engines import LocalEngine
    from territory_abm.sensitivity.command import design_sample, sensitivity_specs
    from territory_abm.sensitivity.design import load_design

    design = load_design(path)
    specs = sensitivity_specs(design, design_sample(design))[:runs]
    engine = LocalEngine(workers)
    try:
        started = time.perf_counter()
        status = run_experiment(specs, directory / f"workers{workers}", {"throughput": workers}, engine,
                                progress=False)
        elapsed = time.perf_counter() - started
    finally:
        engine.close()
    assert status.ran == runs, status.failures[:3]
    return runs / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=256, help="Sobol N (default 256: 4,608 runs)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--share", type=float, default=1.0, help="share of the design's runs to execute")
    parser.add_argument("--throughput-runs", type=int, default=40, help="runs per worker count (default 40; 0: none)")
    parser.add_argument("--skip-design", action="store_true", help="only the 1-vs-2-worker throughput")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = write_design(tmp, args.samples)
        if not args.skip_design:
            cpu, load = cpu_seconds(), os.getloadavg()[0]
            before = (cpu, time.perf_counter())
            done, total, seconds, marks = run_design(path, tmp / "design", args.workers, args.share)
            cpu = cpu_seconds() - cpu
            print(f"Sobol design: 8 parameters, N={args.samples}, {total:,} runs, example territory at "
                  f"households_scale 1, 20 steps, {args.workers} local workers")
            if done == total:
                print(f"  whole design: {seconds:.0f} s ({seconds / 60:.1f} min), {total / seconds:.2f} runs/s "
                      f"(target: under 10 min)")
            else:
                estimate = seconds * total / done
                print(f"  ran {done:,} of {total:,} runs in {seconds:.0f} s ({done / seconds:.2f} runs/s); "
                      f"whole design extrapolated: {estimate:.0f} s ({estimate / 60:.1f} min) (target: under 10 min)")
            print(f"  CPU time of the runs and the command: {cpu:.0f} s ({cpu / done:.3f} s per run; "
                  f"{cpu / args.workers / 60 * total / done:.1f} min on {args.workers} idle cores if the work splits "
                  f"evenly); load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
            if done < total:
                print_extrapolation(marks, before, reading_back(path, tmp / "design"), args.workers, total)
        if args.throughput_runs <= 0:
            return  # the design alone (--throughput-runs 0)
        one = throughput(path, 1, args.throughput_runs, tmp)
        two = throughput(path, 2, args.throughput_runs, tmp)
        print(f"throughput on the same {args.throughput_runs} runs: 1 worker {one:.2f} runs/s, "
              f"2 workers {two:.2f} runs/s, ratio {two / one:.2f} (2 = no per-run overhead)")


if __name__ == "__main__":
    main()
