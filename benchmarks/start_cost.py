"""CPU seconds of building the model's start (``TerritoryModel(scenario)``), with and without
job turnover, interleaved between two source trees (e.g. main and a branch).

The start at turnover's rest (``start.jobs_at_turnover_rest``, ``job_separation_rate`` > 0)
costs several times the start without it, and every model run (the quick tests, each of
the Sobol benchmark's runs) builds one. For each setting below this builds the start of
``--scenario`` at ``--scale`` for seeds 1..``--seeds`` in one process (after an untimed build of
each setting at seed 0, so numba's compiling is left out) and prints the CPU seconds
(``time.process_time``) per start; A and B take turns, in alternating order, for ``--rounds``
rounds, and the medians over rounds are compared (B / A, and the median of each round's
ratio). "extra" is a setting's CPU per start less that of the same setting without turnover
(``job_separation_rate`` 0).

Settings: ``candidate`` (the turnover setting under study, ``CANDIDATE``), ``candidate, no
turnover`` (the same with ``job_separation_rate`` 0), ``turnover`` (only ``job_separation_rate``
0.12 and ``wage_residual_sd`` 0.8) and ``defaults`` (no turnover).

    python benchmarks/start_cost.py --a /path/to/main/src --b src [--scale 0.25] [--seeds 3] [--rounds 5]
    python benchmarks/start_cost.py --b src --rounds 1   # one tree only

``--a`` and ``--b`` are directories that hold the ``territory_abm`` package (a work tree's
``src``; ``git archive main src | tar -x -C DIR`` makes one without touching a work tree).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from ab_speed import add_source_options, ratios, source_trees, take_turns

ROOT = Path(__file__).resolve().parents[1]
TURNOVER = {"job_separation_rate": 0.12, "wage_residual_sd": 0.8}
CANDIDATE = TURNOVER | {"migration_move_cost": 200.0, "migration_move_cost_per_hour": 5.0,
                        "migration_move_cost_abroad": 1000.0, "migration_stay_preference": 5.22,
                        "migration_abroad_preference": 0.49, "own_account_entry": 0.5, "mover_asset_share": 1.0,
                        "formed_household_growth": 1.0, "outside_sales_pass_on": 1.0,
                        "outside_sales_to_entrants": 1.0, "outside_sales_entry": 0.5}
SETTINGS = {"candidate": CANDIDATE, "candidate, no turnover": CANDIDATE | {"job_separation_rate": 0.0},
            "turnover": TURNOVER, "defaults": {}}
EXTRA = {"candidate": "candidate, no turnover", "turnover": "defaults"}
"""Each turnover setting and the setting without turnover its extra cost is measured against."""


def start_costs(scenario: Path, scale: float, seeds: int) -> dict[str, float]:
    """In this process: CPU seconds per start of each of ``SETTINGS`` (seeds 1..``seeds``,
    after an untimed start of each at seed 0)."""
    import time

    import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off
    from territory_abm import TerritoryModel, load_scenario

    base = load_scenario(scenario).replace(households_scale=scale, steps=1)

    def build(overrides: dict, seed: int) -> None:
        sc = base.replace(seed=seed, parameters=base.parameters.with_overrides(overrides, source="start_cost"))
        TerritoryModel(sc).release()

    for overrides in SETTINGS.values():
        build(overrides, 0)
    out = {}
    for name, overrides in SETTINGS.items():
        cpu = time.process_time()
        for seed in range(1, seeds + 1):
            build(overrides, seed)
        out[name] = (time.process_time() - cpu) / seeds
    return out


def measure(src: Path, scenario: Path, scale: float, seeds: int) -> dict[str, float]:
    """:func:`start_costs` in a process with the package under ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, __file__, "--child", str(scenario), str(scale), str(seeds)],
                         check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def with_extra(costs: dict[str, float]) -> dict[str, float]:
    """``costs`` and each turnover setting's extra cost over its setting without turnover."""
    return costs | {f"extra: {name}": costs[name] - costs[without] for name, without in EXTRA.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_source_options(parser)
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "stationary.toml")
    parser.add_argument("--scale", type=float, default=0.25, help="households_scale (default 0.25)")
    parser.add_argument("--seeds", type=int, default=3, help="timed starts per setting and turn (default 3)")
    parser.add_argument("--rounds", type=int, default=5, help="turns of each version (default 5)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, scale, seeds = args.child
        print(json.dumps(start_costs(Path(path), float(scale), int(seeds))))
        return
    versions = source_trees(parser, args, both=False)
    print("\n".join(f"{label} = {src}" for label, src in versions.items()))
    print(f"{args.scenario.name} at households_scale {args.scale}, CPU s per start over seeds 1-{args.seeds} after an "
          f"untimed start, {args.rounds} rounds; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")

    def show(k: int, label: str, costs: dict[str, float]) -> None:
        print(f"round {k + 1} {label}: " + ", ".join(f"{name} {value:.4f}" for name, value in costs.items()),
              flush=True)

    values = take_turns(versions, args.rounds,
                        lambda src: with_extra(measure(src, args.scenario.resolve(), args.scale, args.seeds)), show)
    labels = list(versions)
    pair = len(labels) == 2
    print(f"\n{'median CPU s per start':<28}" + "".join(f"{label:>9}" for label in labels)
          + (f"{'B / A':>8}{'rounds':>8}" if pair else ""))
    for name in values[labels[0]]:
        medians = [statistics.median(values[label][name]) for label in labels]
        pairs = ratios(values["A"][name], values["B"][name]) if pair and medians[0] > 0 else ()
        ratio = "".join(f"{x:>8.2f}" for x in pairs)  # B / A of the medians, median of each round's
        print(f"{name:<28}" + "".join(f"{m:>9.4f}" for m in medians) + ratio)
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
