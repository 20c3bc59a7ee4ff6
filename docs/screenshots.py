"""The README's screenshots of the shared-territory game, taken again: a group's page
(``docs/shared_territory.png``) and the trainer's console (``docs/trainer_console.png``).

Starts ``territory-abm classroom --game`` (the game's exercise, ``scenarios/classroom/
shared_territory.toml``) on a free loopback port, joins four groups, one per municipality, and plays
three years: in 2020 and 2021 every group chooses its budget split and programmes and decides, in
2022 two groups decide and the trainer advances the year, and in 2023 one group has decided and
another has chosen without deciding yet. Then it saves, in Chromium at 1280 px wide, the whole page
(the window made as tall as the page) of that group and of the trainer's console, and stops the
server. It drives the pages with the browser tests' helpers
(``tests/test_trainer_and_game.py``, ``tests/test_dashboard.py``), so a control renamed there is
renamed here too. The game's seed is the exercise's, so the numbers shown are the same each time.
About 40 s on 2 shared cores (80 s when the model's kernels are compiled first).

    .venv/bin/python docs/screenshots.py [--out docs]

Needs the test extras (``pip install -e ".[test,geo]"``: Playwright; ``geo`` for the polygon map)
and a Chromium (``/usr/bin/chromium``, ``$CHROMIUM`` or Playwright's own), as the browser tests.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402
from test_dashboard import _chromium, _number_box  # noqa: E402
from test_trainer_and_game import FIRST_STEP_MS, SCENARIOS, _row, _serve, _stop, expect  # noqa: E402

START_YEAR = 2020
WIDTH = 1280

# (group, municipality it governs: groups take them in joining order) and, for each year played,
# what each group chooses: budget shares typed in the boxes beside the sliders, programmes switched
# on, and whether it decides (the year advances when all have, or when the trainer says)
GROUPS = (("Los Robles", "Alto Verde"), ("Las Palmas", "Bajo Rio"), ("El Cedro", "Cerro Azul"),
          ("La Loma", "Dos Puentes"))
YEARS = (
    {"Los Robles": ({"Roads": "0.4"}, ("Cash transfers",), True),
     "Las Palmas": ({"Services and schooling": "0.5"}, ("Technical assistance",), True),
     "El Cedro": ({}, ("Roads to the town",), True),
     "La Loma": ({"Environmental enforcement": "0.1"}, ("Market linkage",), True)},
    {"Los Robles": ({}, ("Technical assistance",), True),
     "Las Palmas": ({}, (), True),
     "El Cedro": ({"Environmental enforcement": "0.15"}, ("Environmental governance",), True),
     "La Loma": ({"Roads": "0.3"}, (), True)},
    {"Los Robles": ({}, (), False),  # the trainer advances the year without them
     "Las Palmas": ({}, ("Market linkage",), True),
     "El Cedro": ({}, (), True),
     "La Loma": ({}, (), False)},
    {"Las Palmas": ({}, (), True),  # the year shown: one group has decided ...
     "Los Robles": ({"Services and schooling": "0.4"}, (), False)},  # ... one is still choosing
)
SHOWN = "Los Robles"  # the group whose page is shown: it has chosen and not decided yet


def play(pages: dict, trainer, choices: dict) -> None:
    """Each group's ``choices`` for the coming year made on its page (its programmes seen on the console)."""
    everyone = len(choices) == len(GROUPS) and all(decides for _, _, decides in choices.values())
    last = list(choices)[-1]
    for name, (shares, programmes, decides) in choices.items():
        page = pages[name]
        for label, value in shares.items():
            box = _number_box(page, f"{label} (share of the budget)")
            box.fill(value)
            box.press("Enter")
            expect(page.locator(".number-error")).to_have_count(0)
        for programme in programmes:
            page.locator("label", has_text=programme).click()
            expect(_row(trainer, dict(GROUPS)[name])).to_contain_text(programme, timeout=15_000)
        if decides:
            page.get_by_role("button", name="We have decided").click()
            if not (everyone and name == last):  # the last group's decision advances the year at once
                expect(page.get_by_text("Decided: waiting for the other groups", exact=False)).to_be_visible(
                    timeout=15_000)


def new_year(pages: dict, year: int, timeout: float) -> None:
    """Wait until every group's page shows ``year``."""
    for page in pages.values():
        expect(page.get_by_text(f"Year {year} - governments: {len(GROUPS)}")).to_be_visible(timeout=timeout)


def drawn(page) -> None:
    """Wait until every image of ``page`` has loaded (the map and charts come as images)."""
    page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)", timeout=60_000)


# the height of a page's content: Solara's page scrolls inside an element as tall as the window, so
# Playwright's full_page alone saves only the window's height
CONTENT_HEIGHT = """() => Math.max(document.scrollingElement.scrollHeight, ...[...document.querySelectorAll('*')]
  .filter(e => /(auto|scroll)/.test(getComputedStyle(e).overflowY)).map(e => e.scrollHeight))"""


def save_whole(page, path: Path) -> None:
    """Save the whole of ``page`` (the window made as tall as its content) as PNG ``path``."""
    height = page.viewport_size["height"]
    for _ in range(5):  # until the content fits the window (a taller window may lay it out again)
        needed = page.evaluate(CONTENT_HEIGHT)
        if needed <= height:
            break
        height = needed
        page.set_viewport_size({"width": WIDTH, "height": height})
    drawn(page)
    page.screenshot(path=path, full_page=True)


def take(out: Path) -> None:
    """Play the game on a new server and save both screenshots into ``out``."""
    with tempfile.TemporaryDirectory() as scratch:
        class Scratch:  # what _serve asks of pytest's tmp_path_factory
            @staticmethod
            def mktemp(name: str) -> Path:
                return Path(tempfile.mkdtemp(prefix=name, dir=scratch))

        base, code, token, server, log = _serve(Scratch, str(SCENARIOS / "classroom" / "shared_territory.toml"),
                                                "--game")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=_chromium(pw), args=["--no-sandbox"])
                try:
                    shoot(browser, base, code, token, out)
                finally:
                    browser.close()
            if "Traceback" in log.read_text():
                raise RuntimeError(f"the server logged an error:\n{log.read_text()}")
        finally:
            _stop(server)


def shoot(browser, base: str, code: str, token: str, out: Path) -> None:
    """Join the groups, play the years of :data:`YEARS` and save the two pages into ``out``."""
    def open_page():
        return browser.new_context(viewport={"width": WIDTH, "height": 720}).new_page()

    pages = {}
    for name, municipality in GROUPS:
        page = open_page()
        page.goto(f"{base}?group={quote(name)}&code={code}", timeout=90_000)
        expect(page.get_by_text(f"You govern {municipality}")).to_be_visible(timeout=90_000)
        pages[name] = page
    trainer = open_page()
    trainer.goto(f"{base}?trainer={token}", timeout=90_000)
    expect(trainer.get_by_role("button", name="Advance the year now")).to_be_visible(timeout=90_000)

    for k, choices in enumerate(YEARS):
        year = START_YEAR + k
        play(pages, trainer, choices)
        if k == len(YEARS) - 1:
            break
        if not all(decides for _, _, decides in choices.values()):
            trainer.get_by_role("button", name="Advance the year now").click()
        # the first year compiles the model's kernels
        new_year(pages, year + 1, FIRST_STEP_MS if k == 0 else 60_000)
        print(f"year {year + 1}", flush=True)

    waiting = [name for name, _ in GROUPS if not YEARS[-1].get(name, (None, None, False))[2]]
    expect(trainer.get_by_text(f"Waiting for: {', '.join(waiting)}")).to_be_visible(timeout=15_000)
    shown = pages[SHOWN]
    expect(shown.get_by_text(f"Waiting for: {', '.join(waiting)}")).to_be_visible(timeout=15_000)
    for page in (shown, trainer):
        expect(page.locator(".v-alert", has_text="Traceback")).to_have_count(0)
        drawn(page)
    out.mkdir(parents=True, exist_ok=True)
    save_whole(shown, out / "shared_territory.png")
    save_whole(trainer, out / "trainer_console.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the two PNG files")
    args = parser.parse_args()
    # a kill (SIGTERM) leaves through the finally blocks, which stop the server
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    started = time.monotonic()
    take(args.out)
    print(f"{args.out / 'shared_territory.png'} and {args.out / 'trainer_console.png'} saved in "
          f"{time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
