"""Interleaved A/B of the full model's speed between two source trees (e.g. main and a branch).

On a shared machine the load changes from minute to minute, so two versions timed one after
the other are not comparable. This runs them in turns: each round runs A and B (in
alternating order) as separate processes on the same territory, seed and years
(``speed.py``'s measurement), and prints each run's household-steps per second over wall
time and over its own CPU time, the medians over rounds, and the ratio B / A of the
medians and the median of each round's ratio.

    python benchmarks/ab_speed.py --a /path/to/main/src --b src [--households 100000] [--rounds 6] [--steps 5]
    python benchmarks/ab_speed.py --a A/src --b src --scenario scenarios/baseline.toml [--scale 1] [--runs 3]

With ``--scenario`` each turn runs whole runs of that scenario instead (build and all its years,
as ``experiments.py``'s runs are, ``--runs`` seeds in turn in one process after an untimed one)
and prints CPU seconds and wall seconds per run.

``--a`` and ``--b`` are directories that hold the ``territory_abm`` package (a work tree's
``src``; ``git archive main | tar -x -C DIR`` makes one without touching a work tree).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

SPEED = Path(__file__).with_name("speed.py")


def scenario_runs(scenario: Path, scale: float, runs: int) -> dict:
    """In this process: one untimed run of ``scenario`` at ``scale``, then ``runs`` timed runs
    (seeds 1 ..), each built and run to its last year."""
    import time

    from territory_abm import TerritoryModel

    TerritoryModel(scenario, seed=0, households_scale=scale).run()
    wall, cpu = time.perf_counter(), time.process_time()
    for seed in range(1, runs + 1):
        model = TerritoryModel(scenario, seed=seed, households_scale=scale)
        model.run()
        model.release()
    return {"run_s": (time.perf_counter() - wall) / runs, "run_cpu_s": (time.process_time() - cpu) / runs}


def run_scenario(src: Path, scenario: Path, scale: float, runs: int) -> dict:
    """:func:`scenario_runs` in a process with the package under ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, __file__, "--child-scenario", str(scenario), str(scale), str(runs)],
                         check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(src: Path, households: int, steps: int) -> dict:
    """``speed.py``'s measurement of the full model with the package under ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, str(SPEED), "--child", "full", str(households), str(steps)],
                         check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def add_source_options(parser: argparse.ArgumentParser) -> None:
    """``--a`` and ``--b``: the source directories (each holding ``territory_abm``) of the two
    versions an A/B benchmark interleaves."""
    parser.add_argument("--a", type=Path, help="source directory of version A (holds territory_abm)")
    parser.add_argument("--b", type=Path, help="source directory of version B")


def source_trees(parser: argparse.ArgumentParser, args: argparse.Namespace, both: bool = True) -> dict[str, Path]:
    """The versions given (label: resolved directory; ``both``: A and B are required, else at
    least one), refused with a usage error where a directory holds no ``territory_abm``."""
    if (args.a is None or args.b is None) if both else (args.a is None and args.b is None):
        parser.error("--a and --b are required" if both else "give --b (and --a to compare)")
    versions = {label: src.resolve() for label, src in (("A", args.a), ("B", args.b)) if src is not None}
    for label, src in versions.items():
        if not (src / "territory_abm").is_dir():
            parser.error(f"--{label.lower()} {src}: no territory_abm package there")
    return versions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_source_options(parser)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--scenario", type=Path, help="time whole runs of this scenario file instead")
    parser.add_argument("--scale", type=float, default=1.0, help="households_scale of --scenario (default 1)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per turn with --scenario (default 3)")
    parser.add_argument("--child-scenario", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_scenario:
        path, scale, runs = args.child_scenario
        print(json.dumps(scenario_runs(Path(path), float(scale), int(runs))))
        return
    versions = source_trees(parser, args)
    if args.scenario is not None:
        compare_scenario(versions, args.scenario.resolve(), args.scale, args.runs, args.rounds)
        return
    print(f"A = {versions['A']}\nB = {versions['B']}\n{args.households:,} households, {args.steps} timed years "
          f"after one untimed, {args.rounds} rounds; load average at the start "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    interleave(versions, args.rounds, lambda src: run(src, args.households, args.steps),
               {"wall": ("household_steps_per_s", "hh-steps/s", "{:>12,.0f}"),
                "CPU": ("household_steps_per_cpu_s", "per CPU s", "{:>12,.0f}")},
               "median over {name} time: A {a:,.0f}, B {b:,.0f} household-steps/s")


def take_turns(versions: dict[str, Path], rounds: int, measure, show) -> dict[str, dict[str, list[float]]]:
    """Measure each version (label: source directory; one or two) ``rounds`` times, in turns
    whose order alternates round by round (``measure(src)`` returns a dict of numbers), and call
    ``show(round, label, result)`` after each turn; returns the values by label and key, in
    round order."""
    values: dict[str, dict[str, list[float]]] = {label: {} for label in versions}
    for k in range(rounds):
        for label in list(versions) if k % 2 == 0 else list(versions)[::-1]:
            result = measure(versions[label])
            for key, value in result.items():
                values[label].setdefault(key, []).append(value)
            show(k, label, result)
    return values


def ratios(a: list[float], b: list[float]) -> tuple[float, float]:
    """B / A of the medians of the rounds' values ``a`` and ``b``, and the median of each
    round's B / A (rounds where A is 0 left out)."""
    return (statistics.median(b) / statistics.median(a),
            statistics.median(y / x for x, y in zip(a, b) if x > 0))


def interleave(versions: dict[str, Path], rounds: int, measure, columns: dict[str, tuple[str, str, str]],
               summary: str) -> None:
    """Measure A and B in alternating order for ``rounds`` rounds (:func:`take_turns`), printing
    each turn's ``columns`` (name: key, header, format) and then, per column, ``summary``
    (formatted with name, a, b: the medians) with B / A and the median of each round's ratio."""
    width = {name: len(fmt.format(0)) for name, (_, _, fmt) in columns.items()}
    print(f"{'round':>5} {'run':>3} " + " ".join(f"{header:>{width[name]}}" for name, (_, header, _) in columns.items()))

    def show(k: int, label: str, r: dict) -> None:
        print(f"{k + 1:>5} {label:>3} " + " ".join(fmt.format(r[key]) for key, _, fmt in columns.values()))

    values = take_turns(versions, rounds, measure, show)
    for name, (key, _, _) in columns.items():
        a, b = statistics.median(values["A"][key]), statistics.median(values["B"][key])
        ratio, per_round = ratios(values["A"][key], values["B"][key])
        print(summary.format(name=name, a=a, b=b) + f"; B / A {ratio:.3f} (median of each round's ratio {per_round:.3f})")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def compare_scenario(versions: dict[str, Path], scenario: Path, scale: float, runs: int, rounds: int) -> None:
    """Print, round by round, each version's CPU and wall seconds per whole run of ``scenario``."""
    print(f"A = {versions['A']}\nB = {versions['B']}\n{scenario.name} at households_scale {scale}, {runs} timed "
          f"runs a turn after one untimed, {rounds} rounds; load average at the start "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    interleave(versions, rounds, lambda src: run_scenario(src, scenario, scale, runs),
               {"CPU": ("run_cpu_s", "CPU s/run", "{:>10.3f}"), "wall": ("run_s", "wall s/run", "{:>11.3f}")},
               "median {name} s per run: A {a:.3f}, B {b:.3f}")


if __name__ == "__main__":
    main()
