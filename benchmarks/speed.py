"""Speed and memory of the full model, and the ratio to a naive one-agent-per-household Mesa version.

Prints household-steps per second at 10^4, 10^5 and 10^6 households (50 municipalities),
peak memory per household, and the side-by-side ratio with ``naive_mesa.py`` on the same
territory. Each size runs in its own process so that peak memory is its own.

    python benchmarks/speed.py [--sizes 10000 100000 1000000] [--steps 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from territory_gen import write_scenario, write_territory  # noqa: E402

N_MUNICIPALITIES = 50


def measure(households: int, steps: int) -> dict:
    """Run in this process: build, run ``steps`` years, report timing and peak memory."""
    from territory_abm import TerritoryModel, load_scenario

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        territory = write_territory(tmp / "t", N_MUNICIPALITIES, households)
        scenario = load_scenario(write_scenario(tmp, territory, steps))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        model = TerritoryModel(scenario)
        t1 = time.perf_counter()
        model.step()  # warm-up year, not timed
        t2 = time.perf_counter()
        model.run(steps)
        t3 = time.perf_counter()
        n = len(model.households)
        return {"households": n, "init_s": t1 - t0, "step_s": (t3 - t2) / steps,
                "household_steps_per_s": n * steps / (t3 - t2),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_before_mb": rss_before / 1024, "column_bytes_per_household": model.households.nbytes() / n}


def measure_naive(households: int, steps: int) -> dict:
    from naive_mesa import NaiveTerritory
    from territory_abm import load_scenario

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        territory = write_territory(tmp / "t", N_MUNICIPALITIES, households)
        scenario = load_scenario(write_scenario(tmp, territory, steps))
        model = NaiveTerritory(scenario)
        model.step()
        t0 = time.perf_counter()
        for _ in range(steps):
            model.step()
        dt = time.perf_counter() - t0
        n = len(model.agents)
        return {"households": n, "household_steps_per_s": n * steps / dt}


def in_subprocess(kind: str, households: int, steps: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(households), str(steps)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--naive-size", type=int, default=10_000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, n, steps = args.child
        fn = measure if kind == "full" else measure_naive
        print(json.dumps(fn(int(n), int(steps))))
        return
    print(f"full model, {N_MUNICIPALITIES} municipalities + 2 cities + 1 market, {args.steps} timed years each")
    print(f"{'households':>11} {'init s':>8} {'s/year':>8} {'hh-steps/s':>12} {'peak RSS MB':>12} {'RSS/hh bytes':>13} {'columns/hh B':>13}")
    for n in args.sizes:
        r = in_subprocess("full", n, args.steps)
        per_hh = r["peak_rss_mb"] * 1024 * 1024 / r["households"]
        print(f"{r['households']:>11,} {r['init_s']:>8.2f} {r['step_s']:>8.3f} {r['household_steps_per_s']:>12,.0f} "
              f"{r['peak_rss_mb']:>12.0f} {per_hh:>13.0f} {r['column_bytes_per_household']:>13.0f}")
    print(f"\nside by side at {args.naive_size:,} households (same territory, same household rules):")
    full = in_subprocess("full", args.naive_size, args.steps)
    naive = in_subprocess("naive", args.naive_size, args.steps)
    print(f"  columnar model (all rules, firms, markets): {full['household_steps_per_s']:>12,.0f} household-steps/s")
    print(f"  naive Mesa (one agent per household):       {naive['household_steps_per_s']:>12,.0f} household-steps/s")
    print(f"  ratio: {full['household_steps_per_s'] / naive['household_steps_per_s']:.1f}x")


if __name__ == "__main__":
    main()
