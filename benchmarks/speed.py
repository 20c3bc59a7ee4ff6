"""Speed and memory of the full model, and its ratio to one-Mesa-agent-per-household versions.

Prints household-steps per second at 10^4, 10^5 and 10^6 households (50 municipalities),
over wall time and over the process's CPU time (on a loaded machine the wall rate falls with
the load, the CPU rate much less), peak memory per household, and, side by side on the
same territory in the same run, the columnar model against two Mesa versions with one
agent per household:

- ``careful_mesa.py`` (the reference): the same rules as the columnar model (labour
  market with firms as agents, firm accounts, entry and exit, public sector, clearing,
  demography, migration), started from its initial state, with per-node quantities and
  each origin's destination utilities computed once a year;
- ``naive_mesa.py`` (tutorial style): simplified household rules without firms, every
  household looping over all destinations.

After the timed years it prints, for each version, residents, mean income per person,
workers and firms, so a reader can see that they simulate comparable territories.
Each run is its own process, so that peak memory is its own.

    python benchmarks/speed.py [--sizes 10000 100000 1000000] [--steps 5] [--mesa-sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from careful_mesa import REFERENCE_RULES
from territory_gen import write_scenario, write_territory

N_MUNICIPALITIES = 50


def timed_years(model, steps: int, cpu: list[float] | None = None) -> list[float]:
    """Run ``steps`` years of ``model``, returning each year's wall time (s); each year's
    CPU time of this process (s) is appended to ``cpu`` if given (on a loaded machine it
    is the less disturbed measure of the work a year takes)."""
    years = []
    for _ in range(steps):
        t0, c0 = time.perf_counter(), time.process_time()
        model.step()
        years.append(time.perf_counter() - t0)
        if cpu is not None:
            cpu.append(time.process_time() - c0)
    return years


def measure(households: int, steps: int, parameters: dict[str, float] | None = None) -> dict:
    """Run in this process: build, run ``steps`` years, report timing and peak memory (at the
    model's defaults, or at ``parameters`` where given)."""
    from territory_abm import TerritoryModel, load_scenario

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        territory = write_territory(tmp / "t", N_MUNICIPALITIES, households)
        scenario = load_scenario(write_scenario(tmp, territory, steps, parameters))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        model = TerritoryModel(scenario)
        t1 = time.perf_counter()
        model.step()  # warm-up year, not timed
        t2 = time.perf_counter()
        cpu: list[float] = []
        years = timed_years(model, steps, cpu)
        t3 = time.perf_counter()
        hh = model.households
        alive = hh.alive
        n = len(hh)
        return {"households": n, "init_s": t1 - t0, "step_s": (t3 - t2) / steps, "best_year_s": min(years),
                "household_steps_per_s": n * steps / (t3 - t2), "household_steps_per_cpu_s": n * steps / sum(cpu),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_before_mb": rss_before / 1024, "column_bytes_per_household": hh.nbytes() / n,
                "population": int(hh.members[alive].sum()), "income": float(hh.income[alive].sum()),
                "workers": int(hh.employed[alive].sum()), "firms": int(model.firm_table.alive.sum())}


def measure_mesa(kind: str, households: int, steps: int) -> dict:
    """Run a Mesa version (``careful`` or ``tutorial``) in this process, as ``measure``."""
    from territory_abm import load_scenario

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        territory = write_territory(tmp / "t", N_MUNICIPALITIES, households)
        scenario = load_scenario(write_scenario(tmp, territory, steps, REFERENCE_RULES))
        if kind == "careful":
            from careful_mesa import CarefulTerritory, Household
            model = CarefulTerritory(scenario)
        else:
            from naive_mesa import Household, NaiveTerritory
            model = NaiveTerritory(scenario)
        model.step()  # warm-up year, not timed
        cpu: list[float] = []
        years = timed_years(model, steps, cpu)
        dt = sum(years)
        agents = model.agents_by_type[Household]
        n = len(agents)
        firms = getattr(model, "firms", ())  # the tutorial-style version has none
        return {"households": n, "step_s": dt / steps, "best_year_s": min(years), "household_steps_per_s": n * steps / dt,
                "household_steps_per_cpu_s": n * steps / sum(cpu),
                "population": sum(a.members for a in agents), "income": sum(a.income for a in agents),
                "workers": sum(a.employed for a in agents), "firms": len(firms)}


def in_subprocess(kind: str, households: int, steps: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(households), str(steps)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def commit() -> str:
    """The repository's commit (with ``+`` if the work tree has changes), or ``unknown``."""
    try:
        here = Path(__file__).parent
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=here, check=True,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=here, check=True,
                               capture_output=True, text=True).stdout.strip()
        return head + ("+" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--mesa-sizes", "--naive-size", dest="mesa_sizes", type=int, nargs="+",
                        default=[10_000, 100_000], help="households of the side-by-side runs with the Mesa versions")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, n, steps = args.child
        if kind in ("full", "reference"):
            result = measure(int(n), int(steps), REFERENCE_RULES if kind == "reference" else None)
        else:
            result = measure_mesa(kind, int(n), int(steps))
        print(json.dumps(result))
        return
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{time.strftime('%Y-%m-%d')}, commit {commit()}, {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min)")
    print(f"full model, {N_MUNICIPALITIES} municipalities + 2 cities + 1 market, {args.steps} timed years each")
    print(f"{'households':>11} {'init s':>8} {'s/year':>8} {'hh-steps/s':>12} {'per CPU s':>12} {'peak RSS MB':>12} "
          f"{'RSS/hh bytes':>13} {'columns/hh B':>13}")
    for n in args.sizes:
        r = in_subprocess("full", n, args.steps)
        per_hh = r["peak_rss_mb"] * 1024 * 1024 / r["households"]
        print(f"{r['households']:>11,} {r['init_s']:>8.2f} {r['step_s']:>8.3f} {r['household_steps_per_s']:>12,.0f} "
              f"{r['household_steps_per_cpu_s']:>12,.0f} {r['peak_rss_mb']:>12.0f} {per_hh:>13.0f} "
              f"{r['column_bytes_per_household']:>13.0f}")
    print("hh-steps/s: households x timed years over their wall time; per CPU s: over this process's CPU time")
    for n in args.mesa_sizes:
        side_by_side(n, args.steps)
    print(f"\nload average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def side_by_side(households: int, steps: int) -> None:
    """Print the columnar model and both Mesa versions on the same territory, one after the other."""
    print(f"\nside by side at {households:,} households (same territory, one untimed year, then {steps} timed "
          "years;\nhouseholds, residents, income, workers and firms at the end of the run; every version at the\n"
          "rules the Mesa versions implement, careful_mesa.REFERENCE_RULES: no job turnover, free moves, ...):")
    runs = [("columnar model (numpy + numba)", in_subprocess("reference", households, steps)),
            ("careful Mesa (reference)", in_subprocess("careful", households, steps)),
            ("tutorial-style Mesa", in_subprocess("tutorial", households, steps))]
    columnar = runs[0][1]
    print(f"  {'version':<31} {'households':>10} {'s/year':>8} {'hh-steps/s':>12} {'ratio':>7} {'best year':>9} "
          f"{'ratio':>7} {'CPU ratio':>9} {'residents':>10} {'income/person':>13} {'workers':>8} {'firms':>6}")
    for label, r in runs:
        rate = r["household_steps_per_s"]
        ratio = columnar["household_steps_per_s"] / rate
        best_ratio = r["best_year_s"] / r["households"] / (columnar["best_year_s"] / columnar["households"])
        cpu_ratio = columnar["household_steps_per_cpu_s"] / r["household_steps_per_cpu_s"]
        print(f"  {label:<31} {r['households']:>10,} {r['step_s']:>8.3f} {rate:>12,.0f} {ratio:>6.1f}x "
              f"{r['best_year_s']:>9.3f} {best_ratio:>6.1f}x {cpu_ratio:>8.1f}x {r['population']:>10,} "
              f"{r['income'] / r['population']:>13,.0f} {r['workers']:>8,} {r['firms']:>6}")
    print("  ratio: columnar household-steps/s over the version's, over all timed years, over each one's"
          " fastest year\n  (the least slowed by other work on the machine) and over CPU time")

if __name__ == "__main__":
    main()
