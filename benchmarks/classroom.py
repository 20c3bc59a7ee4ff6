"""A classroom on one server: 30 groups step their own models at the same time.

Starts ``territory-abm dashboard`` (the first classroom exercise) on 127.0.0.1 and a free port,
opens one browser context per group (Playwright, Chromium), then for ``--steps`` rounds every
group presses Step at once. Prints the step latency seen by the pages (click to the new year
on screen: p50/p90/p99, the first round apart since it compiles the model's kernels) and the
server's memory (RSS of its processes) before the groups join, after they joined, and at the
end. Bounded: 30 groups x 5 steps by default and ``--timeout`` seconds in all; it stops the
browser and the server by itself.

    python benchmarks/classroom.py [--groups 30] [--steps 5] [--timeout 900]

Needs Playwright (``pip install -e ".[test]"``) and a Chromium (``/usr/bin/chromium`` or ``$CHROMIUM``).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from proctree import cpu_seconds, rss_mb

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "classroom" / "poverty_and_transfers.toml"
START_YEAR = 2020

# clicks Step and resolves with the milliseconds until the page shows the next year. It looks
# every 100 ms with one XPath query: a first version scanned every element of the page every
# 20 ms, and with it the 30 pages took 244 s of CPU in a round instead of 129-161 s
STEP_JS = """async ([label]) => {
  const button = [...document.querySelectorAll('button')].find(b => b.textContent.trim().toLowerCase() === 'step');
  const path = `//*[normalize-space(text()) = '${label}']`;
  const shows = () => document.evaluate(path, document.body, null, XPathResult.FIRST_ORDERED_NODE_TYPE,
                                        null).singleNodeValue !== null;
  const t0 = performance.now();
  button.click();
  while (!shows()) { await new Promise(r => setTimeout(r, 100)); }
  return performance.now() - t0;
}"""


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def chromium() -> str | None:
    for path in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if path and Path(path).is_file():
            return path
    return None


async def drive(url: str, groups: int, steps: int, server_pid: int, result: dict) -> None:
    """Join ``groups`` groups and step them; what was measured goes in ``result`` as it comes."""
    from playwright.async_api import async_playwright, expect

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            pages = []
            for g in range(groups):  # join one after the other, as students arrive
                context = await browser.new_context(viewport={"width": 1280, "height": 720})
                page = await context.new_page()
                await page.goto(f"{url}?group=bench-{g:02d}", timeout=120_000)
                await expect(page.get_by_text("Policy levers")).to_be_visible(timeout=120_000)
                pages.append(page)
            result["joined_mb"] = rss_mb(server_pid)
            for k in range(steps):  # every group presses Step at once
                label = f"Year {START_YEAR + k + 1} (step {k + 1})"
                cpu, everything, wall = cpu_seconds(server_pid), cpu_seconds(os.getpid()), time.monotonic()
                times = await asyncio.gather(*(p.evaluate(STEP_JS, [label]) for p in pages))
                cpu, wall = cpu_seconds(server_pid) - cpu, time.monotonic() - wall
                browsers = cpu_seconds(os.getpid()) - everything - cpu
                result["rounds"].append(times)
                result["server_cpu"].append(cpu / groups)
                print(f"round {k + 1}: {groups} steps, slowest {max(times) / 1000:.1f} s; CPU in {wall:.1f} s: server "
                      f"{cpu:.1f} s ({cpu / groups:.2f} s per group's step), browsers {browsers:.1f} s", flush=True)
            errors = sum([await p.locator(".v-alert").count() for p in pages])
            result["errors"] = errors
        finally:
            await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=30)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=900.0, help="stop after this many seconds in all")
    args = parser.parse_args()
    if chromium() is None:
        print("no Chromium (/usr/bin/chromium or $CHROMIUM): nothing measured", file=sys.stderr)
        return 1
    if importlib.util.find_spec("playwright") is None:
        print('no Playwright (the plain install does not give it: pip install -e ".[test]"): nothing measured',
              file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT / "src"))
    from territory_abm.dashboard.server import free_port

    port = free_port("127.0.0.1")
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    server = subprocess.Popen([sys.executable, "-m", "territory_abm.cli", "dashboard", str(SCENARIO), "--port",
                               str(port)], env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    started = time.monotonic()
    try:
        while not answers(url):
            if server.poll() is not None or time.monotonic() - started > 90:
                print("the dashboard did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        before = rss_mb(server.pid)
        remaining = args.timeout - (time.monotonic() - started)
        result = {"joined_mb": float("nan"), "rounds": [], "server_cpu": [], "errors": "not counted (stopped early)"}
        try:
            asyncio.run(asyncio.wait_for(drive(url, args.groups, args.steps, server.pid, result), remaining))
        except TimeoutError:
            print(f"stopped after {args.timeout:.0f} s: {len(result['rounds'])} of {args.steps} rounds done",
                  flush=True)
        after = rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    rounds = [np.asarray(r) / 1000 for r in result["rounds"]]
    if not rounds:
        print(f"no round finished; server memory (RSS): {before:.0f} MB before, {after:.0f} MB at the end")
        return 1
    later = np.concatenate(rounds[1:]) if len(rounds) > 1 else np.array([])
    print(f"\n{args.groups} groups x {args.steps} steps on 127.0.0.1 ({os.cpu_count()} cores), "
          f"all groups pressing Step at once; error messages on the pages: {result['errors']}")
    print("step latency, click to the new year on the page (s):")
    for name, values in (("first step (compiles the model's kernels)", rounds[0]), ("later steps", later)):
        if values.size:
            p50, p90, p99 = np.percentile(values, [50, 90, 99])
            print(f"  {name}: p50 {p50:.2f}  p90 {p90:.2f}  p99 {p99:.2f}  (n={values.size})")
    cpu = np.asarray(result["server_cpu"])
    print(f"server CPU per group's step (model, its twin, the page's figures): first {cpu[0]:.2f} s"
          + (f", later {cpu[1:].mean():.2f} s" if cpu.size > 1 else ""))
    print(f"server memory (RSS): {before:.0f} MB before, {result['joined_mb']:.0f} MB with {args.groups} groups "
          f"joined, {after:.0f} MB after {len(rounds)} steps each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
