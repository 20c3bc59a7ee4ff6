"""Throughput of territory ensembles (issue 14, item 4).

Runs the shipped design (``experiments/ensemble.toml``) with N territories (default 1,000: each
10-30 municipalities, 10 simulated years, 2 seeds) at households scale 0.05 (``--households-scale``;
the scale the throughput target was set at: the shipped design runs the real households, 1, since
session 49) on local worker processes, as ``territory-abm ensemble`` does, and prints:

- the wall time against the 15-minute target, territories and runs per second;
- where it went: the runs (the engine's workers generate each territory, run it and compute its
  rows; the parent stores them) and the parent's serial work before and after them (checking
  the design, concatenating and writing the tables);
- CPU time: the workers' (user + system) and the parent's. On a machine shared with other work
  the wall time says little; the CPU time says what the ensemble needs: on cores of its own its
  wall time is about workers' CPU / workers + the parent's serial CPU (printed as the idle
  estimate; it ignores the start-up of the worker processes, which the CPU time includes);
- the ratio of the ensemble's run rate to the rate of single runs of the same territories
  measured in this process after the ensemble (4 territories, serial, after a warm-up that
  loads the compiled kernels): what the engine and the store cost on top of running the model.
  The ensemble's worker processes start as the command's do, loading the kernels each.

    python benchmarks/ensemble.py [--territories 1000] [--workers 2] [--seeds 2] [--households-scale 0.05]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from proctree import cpu_seconds
from territory_abm.ensemble.command import run_design
from territory_abm.ensemble.design import load_ensemble

ROOT = Path(__file__).resolve().parents[1]
DESIGN = ROOT / "experiments" / "ensemble.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--territories", type=int, default=1000)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--households-scale", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        scale = {"households_scale": args.households_scale}
        design = load_ensemble(DESIGN, {"territories": args.territories, "seeds": args.seeds, **scale})
        cpu_parent, cpu_children = time.process_time(), cpu_seconds() - time.process_time()
        started = time.perf_counter()
        status = run_design(design, tmp / "ensemble", workers=args.workers, progress=False)
        wall = time.perf_counter() - started
        cpu_parent, cpu_workers = time.process_time() - cpu_parent, cpu_seconds() - time.process_time() - cpu_children
        load = os.getloadavg()
        # then single runs (after the ensemble, so that its workers started as the command's do)
        run_design(load_ensemble(DESIGN, {"territories": 1, "seeds": 1, **scale}), tmp / "warm", workers=1,
                   progress=False)
        started = time.perf_counter()
        run_design(load_ensemble(DESIGN, {"territories": 4, "seeds": args.seeds, **scale}), tmp / "probe", workers=1,
                   progress=False)
        single_rate = 4 * args.seeds / (time.perf_counter() - started)
    assert status.complete, status.failures[:3]
    runs = args.territories * args.seeds
    serial = wall - status.wall_time_s
    target = "; target under 15 min" if args.households_scale == 0.05 else "; the target was set at scale 0.05"
    print(f"{args.territories} territories x {args.seeds} seeds = {runs} runs on {args.workers} workers at households "
          f"scale {args.households_scale:g}: {wall:.0f} s ({wall / 60:.1f} min{target})")
    print(f"  {args.territories / wall:.2f} territories/s, {runs / wall:.2f} runs/s; single runs in this process: "
          f"{single_rate:.2f} runs/s; ratio {runs / wall / single_rate:.2f}")
    print(f"  wall: runs {status.wall_time_s:.0f} s, the parent's serial work before and after them {serial:.1f} s")
    print(f"  CPU: workers {cpu_workers:.0f} s ({cpu_workers / runs:.3f} s per run), parent {cpu_parent:.1f} s; "
          f"on {args.workers} idle cores about {cpu_workers / args.workers + min(cpu_parent, serial):.0f} s "
          f"({(cpu_workers / args.workers + min(cpu_parent, serial)) / 60:.1f} min)")
    print(f"  load average at the end {load[0]:.1f} (1 min), {load[2]:.1f} (15 min)")


if __name__ == "__main__":
    main()
