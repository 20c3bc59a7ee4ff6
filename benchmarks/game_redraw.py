"""The shared-territory game: how long the groups' pages take to show a new year, without a browser.

Builds the game on the game's exercise (``scenarios/classroom/shared_territory.toml``, full
scale, as ``territory-abm classroom --game`` does), joins ``--groups`` groups, then for each of
``--rounds`` rounds advances the year and lets every group's page read and draw it at once,
one thread per page (what the pages' watch threads do after a new year:
``game_page.read_game_page``). It prints, per round, the seconds from the new year to each page
having its figures, and how long a choice made by another group 50 ms into the redraw waited
for the game's lock; then the medians over rounds. A browser adds its own drawing on top.

    python benchmarks/game_redraw.py [--groups 4] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "classroom" / "shared_territory.toml"
NAMES = ("Los Robles", "Las Palmas", "El Cerro", "Rio Claro", "La Loma", "San Juan")


def one_round(game, names: list[str], read_game_page) -> tuple[list[float], float]:
    """Advance the year, then every group's page redraws in a thread of its own while another
    group makes a choice: (seconds to each page drawn, seconds the choice waited for the lock)."""
    with game.lock:
        game.advance()
    start = time.perf_counter()
    done: list[float] = []
    waited: list[float] = []

    def page(name: str) -> None:
        read_game_page(game, name)
        done.append(time.perf_counter() - start)

    def choice() -> None:
        time.sleep(0.05)
        asked = time.perf_counter()
        with game.lock:
            waited.append(time.perf_counter() - asked)
            game.choose(names[0], programme="roads", on=len(done) % 2 == 0)

    threads = [threading.Thread(target=page, args=(name,)) for name in names] + [threading.Thread(target=choice)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(done), waited[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ["TERRITORY_ABM_SCENARIO"] = str(SCENARIO)
    os.environ["TERRITORY_ABM_GAME"] = "1"
    from territory_abm.dashboard.game_page import read_game_page, the_game

    game = the_game()
    names = list(NAMES[:args.groups])
    for name in names:
        game.join(name)
    with game.lock:
        game.advance()  # compiles the model's kernels
    for name in names:  # every page drawn once (figures' fonts and the map's shapes loaded)
        read_game_page(game, name)
    last, waits = [], []
    for k in range(args.rounds):
        done, waited = one_round(game, names, read_game_page)
        last.append(done[-1])
        waits.append(waited)
        print(f"round {k + 1}: pages drawn after " + ", ".join(f"{x:.2f}" for x in done)
              + f" s; a choice waited {waited:.2f} s for the lock")
    print(f"median over {args.rounds} rounds: last page {statistics.median(last):.2f} s, "
          f"a choice waited {statistics.median(waits):.2f} s ({args.groups} groups, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
