"""The shared-territory game: the server's seconds for one Advance, pages and console included, without a browser.

Builds the game on the game's exercise (``scenarios/classroom/shared_territory.toml``, its
scale, as ``territory-abm classroom --game`` does), joins ``--groups`` groups (5: every
municipality of the classroom territory; one page in Spanish, one in large text, one coloured
by income, as a class has them), asks for road works in two municipalities (their travel times,
written on the map, change every year, so the map's labels are placed again) and transfers in a
third, advances two years untimed (the kernels compile, fonts load), then for ``--rounds``
rounds advances the year and lets every page read and draw it (``game_page.read_game_page``)
and the console draw its map of differences (``trainer.game_map``), one after the other in one
thread: the CPU the server spends on a new year, which the pages wait for. It prints each round's
seconds (advance, pages, console, their total, and the process's CPU seconds for the whole
round, which other work on the machine disturbs less) and their median.

``--profile`` runs one more round under cProfile and prints where its time went.
``--before DIR`` measures another source tree too (e.g. ``git archive main src | tar -x -C DIR``,
then ``--before DIR/src``), in turns with this one (``--pairs`` of runs, each a process of its
own), and prints both side by side.

    python benchmarks/advance_cost.py [--groups 5] [--rounds 5] [--profile] [--before DIR --pairs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "classroom" / "shared_territory.toml"
NAMES = ("Los Robles", "Las Palmas", "El Cerro", "Rio Claro", "La Loma")


def measure(groups: int, rounds: int, profile: bool) -> list[dict]:
    """Seconds of each timed round: {"advance", "pages", "console", "total"}."""
    os.environ["TERRITORY_ABM_SCENARIO"] = str(SCENARIO)
    os.environ["TERRITORY_ABM_GAME"] = "1"
    from territory_abm.dashboard.game_page import read_game_page, the_game
    from territory_abm.dashboard.trainer import game_map

    game = the_game()
    names = list(NAMES[:groups])
    for name in names:
        game.join(name)
    for name, programme in zip(names, ("roads", "cash_transfer", None, "roads")):
        if programme:
            game.choose(name, programme=programme)
    settings = {2: ("language", "es"), 3: ("colour_by", "income"), 4: ("large_text", True)}
    for k, (attribute, value) in settings.items():
        if k < len(names):
            setattr(game.join(names[k]), attribute, value)

    def one() -> dict:
        cpu, start = time.process_time(), time.perf_counter()
        with game.lock:
            game.advance()
        stepped = time.perf_counter()
        for name in names:
            read_game_page(game, name)
        drawn = time.perf_counter()
        game_map(game, "poverty", "en")
        end = time.perf_counter()
        return {"advance": stepped - start, "pages": drawn - stepped, "console": end - drawn, "total": end - start,
                "cpu": time.process_time() - cpu}

    one(), one()  # untimed: kernels compile, fonts and the map's shapes load
    timed = [one() for _ in range(rounds)]
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        one()
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    return timed


def summary(timed: list[dict]) -> str:
    return ", ".join(f"{part} {statistics.median(r[part] for r in timed):.3f}"
                     for part in ("advance", "pages", "console", "total", "cpu"))


def compare(before: str, args) -> None:
    """Runs of ``before`` and of this tree in turns, each in a process of its own."""
    trees = {"before": str(Path(before).resolve()), "this": str(ROOT / "src")}
    totals = {label: [] for label in trees}
    cpu = {label: [] for label in trees}
    for pair in range(args.pairs):
        for label, src in trees.items():
            env = {**os.environ, "PYTHONPATH": src}
            out = subprocess.run([sys.executable, __file__, "--groups", str(args.groups), "--rounds", str(args.rounds),
                                  "--json"], env=env, capture_output=True, text=True, check=True).stdout
            timed = json.loads(out.strip().splitlines()[-1])
            totals[label].append(statistics.median(r["total"] for r in timed))
            cpu[label].append(statistics.median(r["cpu"] for r in timed))
            print(f"pair {pair + 1} {label:6s} ({src}): medians of {args.rounds} rounds, s: {summary(timed)}", flush=True)
    for label, values in totals.items():
        print(f"{label}: median total per Advance {statistics.median(values):.3f} s "
              f"(runs: {', '.join(f'{v:.3f}' for v in values)}), CPU {statistics.median(cpu[label]):.3f} s "
              f"(runs: {', '.join(f'{v:.3f}' for v in cpu[label])})")
    print(f"{args.groups} groups, {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--before", help="another tree's src directory, measured in turns with this one")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the rounds as JSON (for --before)")
    args = parser.parse_args()
    if args.before:
        compare(args.before, args)
        return
    timed = measure(args.groups, args.rounds, args.profile)
    if args.json:
        print(json.dumps(timed))
        return
    for k, r in enumerate(timed):
        print(f"round {k + 1}: " + ", ".join(f"{part} {r[part]:.3f}" for part in r) + " s")
    print(f"median over {args.rounds} rounds, s: {summary(timed)} ({args.groups} groups, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
