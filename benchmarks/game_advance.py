"""The shared-territory game in a browser: seconds from the trainer's Advance to the new year on each group's page.

Starts ``territory-abm classroom --game`` (the game's exercise) on 127.0.0.1 from the source tree
``--src`` (default this work tree's ``src``: give another tree's, e.g. ``git archive main src |
tar -x -C DIR``, to compare), opens ``--groups`` group pages and the trainer's console (Playwright,
Chromium on the same machine, 1280x720), advances one year untimed (the model's kernels compile),
then for ``--rounds`` rounds presses **Advance the year now** on the console and prints, per round,
the seconds from the click until each page shows the new year (each page looks every 50 ms), and
the medians. Server, browsers and console share the machine's cores, as in the browser trials.

    python benchmarks/game_advance.py [--groups 4] [--rounds 5] [--src DIR]

Needs Playwright (``pip install -e ".[test]"``) and a Chromium (``/usr/bin/chromium`` or ``$CHROMIUM``).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from classroom import answers, chromium

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "classroom" / "shared_territory.toml"
NAMES = ("Los Robles", "Las Palmas", "El Cerro", "Rio Claro", "La Loma")
START_YEAR = 2020

# records in the page when an element reading ``label`` first shows (one XPath query every 50 ms)
WATCH_JS = """([label]) => { window.shownAt = null;
  const path = `//*[normalize-space(text()) = '${label}']`;
  const look = setInterval(() => {
    if (document.evaluate(path, document.body, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue) {
      window.shownAt = Date.now(); clearInterval(look); } }, 50); }"""


def rounds(url: str, code: str, token: str, groups: int, count: int) -> list[list[float]]:
    """Join the groups, open the console, advance ``count`` timed years: each round's seconds to each page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            pages = []
            for name in NAMES[:groups]:
                page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
                page.goto(f"{url}?group={name}&code={code}", timeout=180_000)
                page.get_by_text("You govern").wait_for(timeout=180_000)
                pages.append(page)
            console = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
            console.goto(f"{url}?trainer={token}", timeout=180_000)
            advance = console.get_by_role("button", name="Advance the year now")
            advance.click()  # untimed: the model's kernels compile
            for page in pages:
                page.get_by_text(f"Year {START_YEAR + 1} - governments", exact=False).wait_for(timeout=180_000)
            measured = []
            for k in range(count):
                time.sleep(3)  # the pages and the console at rest
                label = f"Year {START_YEAR + 2 + k} - governments: {groups}"
                for page in pages:
                    page.evaluate(WATCH_JS, [label])
                clicked = time.time()
                advance.click()
                seen = []
                for page in pages:
                    page.wait_for_function("window.shownAt !== null", timeout=60_000)
                    seen.append(page.evaluate("window.shownAt") / 1000.0 - clicked)
                measured.append(sorted(seen))
                print(f"round {k + 1}: " + ", ".join(f"{s:.2f}" for s in sorted(seen)) + " s", flush=True)
            return measured
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the source tree the server runs")
    args = parser.parse_args()
    if chromium() is None:
        print("no Chromium (/usr/bin/chromium or $CHROMIUM): nothing measured", file=sys.stderr)
        return 1
    sys.path.insert(0, str(args.src))
    from territory_abm.dashboard.server import free_port

    port = free_port("127.0.0.1")
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "PYTHONPATH": str(args.src.resolve())}
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen([sys.executable, "-m", "territory_abm.cli", "classroom", str(SCENARIO), "--game",
                                   "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        try:
            while not answers(url):
                if server.poll() is not None:
                    print("the server stopped", file=sys.stderr)
                    return 1
                time.sleep(0.3)
            log.seek(0)
            text = log.read()
            code = re.search(r"join code: (\S+)", text).group(1)
            token = re.search(r"trainer's token: (\S+)", text).group(1)
            measured = rounds(url, code, token, args.groups, args.rounds)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    every = [s for seen in measured for s in seen]
    print(f"{args.src}: median page {statistics.median(every):.2f} s, median of the last page "
          f"{statistics.median(seen[-1] for seen in measured):.2f} s, slowest {max(every):.2f} s "
          f"({args.groups} groups and the console, {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
