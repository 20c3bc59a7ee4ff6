"""Throughput of territory ensembles (issue 14, item 4).

Runs ``territory-abm ensemble`` on the shipped design with N territories (default 1,000: each
10-30 municipalities, 10 simulated years, 2 seeds, households scale 0.05) on local worker
processes and prints territories and runs per second, the wall time against the 15-minute
target, the CPU time the ensemble's processes used (on a machine shared with other work, CPU
time / workers bounds from below what the wall time would be on cores of its own) and the
ratio to the rate of single runs of the same territories measured in the same session (a few
runs in this process, so the ratio shows what generation, the store and the engine cost on
top of running the model).

    python benchmarks/ensemble.py [--territories 1000] [--workers 2] [--seeds 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DESIGN = ROOT / "experiments" / "ensemble.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--territories", type=int, default=1000)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ensemble"
        probe = Path(tmp) / "probe"
        command = [sys.executable, "-m", "territory_abm.cli", "ensemble", str(DESIGN), "--quiet",
                   "--workers", str(args.workers), "--seeds", str(args.seeds)]
        # single runs: the same design, 4 territories on 1 worker (after a warm-up that compiles)
        subprocess.run(command[:-4] + ["--workers", "1", "--seeds", "1", "--territories", "1", "--out",
                                       str(Path(tmp) / "warm")], check=True)
        started = time.perf_counter()
        subprocess.run(command[:-4] + ["--workers", "1", "--seeds", str(args.seeds), "--territories", "4",
                                       "--out", str(probe)], check=True)
        single_rate = 4 * args.seeds / (time.perf_counter() - started)
        started, cpu_before = time.perf_counter(), _children_cpu()
        subprocess.run(command + ["--territories", str(args.territories), "--out", str(out)], check=True)
        wall, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
        load = os.getloadavg()
    runs = args.territories * args.seeds
    print(f"{args.territories} territories x {args.seeds} seeds = {runs} runs on {args.workers} workers: "
          f"{wall:.0f} s ({wall / 60:.1f} min; target under 15 min)")
    print(f"  {args.territories / wall:.2f} territories/s, {runs / wall:.2f} runs/s; a 4-territory ensemble on 1 "
          f"worker: {single_rate:.2f} runs/s (start-up included); ratio {runs / wall / single_rate:.2f}")
    print(f"  CPU time of the ensemble's processes {cpu:.0f} s (user + system): on {args.workers} cores of their own "
          f"at least {cpu / args.workers:.0f} s ({cpu / args.workers / 60:.1f} min); load average at the end "
          f"{load[0]:.1f} (1 min), {load[2]:.1f} (15 min)")


def _children_cpu() -> float:
    """User + system CPU seconds of every finished child process and its waited-for descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
