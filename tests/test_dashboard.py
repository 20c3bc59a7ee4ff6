"""The classroom dashboard in a real browser: the server starts on 127.0.0.1; a group joins by
name and its page shows the map, charts and controls; a lever switched on and a step change the
charts, the map and the selected municipality; the language switch turns the page into Spanish.
Several browser contexts (one per student) check that each group has its own model: a lever
moved in one group leaves another alone, groups stepping at the same time get no error, and a
reload keeps the group's year and language.

Needs Playwright (test extras) and a Chromium: ``/usr/bin/chromium`` (Debian's ``chromium``
package), another on the PATH or in ``$CHROMIUM``, or Playwright's own (``playwright install
chromium``). Tests never install one: without a browser they are skipped, except where the
environment variable ``CI`` is ``true`` (CI installs it), where that is a failure.
"""

import base64
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SCENARIOS

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install '.[test]')")
expect = playwright.expect
# a page's answer to a click waits for the server's model: on a machine shared with other work it
# took longer than Playwright's 5 s default (six dashboard tests failed so at load 5, 2026-12-02);
# an assertion still fails when the page never reaches the state it expects
expect.set_options(timeout=30_000)

pytestmark = pytest.mark.slow

FIRST_STEP_MS = 120_000  # a server's first step compiles the model's kernels


def _chromium(pw) -> str | None:
    """A Chromium to drive: $CHROMIUM, Debian's, one on the PATH, or Playwright's own."""
    candidates = (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                  shutil.which("chromium-browser"), pw.chromium.executable_path)
    return next((p for p in candidates if p and Path(p).is_file()), None)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as pw:
        path = _chromium(pw)
        if path is None:
            reason = ("no Chromium browser: install Debian's (apt-get install chromium) or Playwright's "
                      "(playwright install chromium), or name one in $CHROMIUM")
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI=true but {reason}")
            pytest.skip(reason)
        browser = pw.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard of the first classroom exercise on a free loopback port; its output in a file."""
    from territory_abm.dashboard.server import free_port

    port = free_port("127.0.0.1")
    log = tmp_path_factory.mktemp("dashboard") / "server.log"
    proc = start_server(["dashboard", str(SCENARIOS / "classroom" / "poverty_and_transfers.toml"), "--port", str(port)],
                        port, log)
    url = f"http://127.0.0.1:{port}/"
    assert url in log.read_text().splitlines()[0]  # the address printed is the one served
    yield url, log
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def start_server(args: list[str], port: int, log) -> subprocess.Popen:
    """``territory-abm ARGS`` in its own process group, output to ``log``, once it answers on
    loopback ``port`` (fails the test after 90 s)."""
    # a test run started as a background job (``.ci/run &``, ``nohup``) ignores SIGINT, and a child
    # inherits an ignored signal, so the command would never see the interrupt a test sends it
    # (its own behaviour then is right: a background job keeps ignoring Ctrl+C): the child starts
    # with SIGINT at its default, as from a terminal
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with log.open("w") as out:
            proc = subprocess.Popen([sys.executable, "-m", "territory_abm.cli", *args], stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    deadline = time.monotonic() + 90
    while not _answers(f"http://127.0.0.1:{port}/"):
        if proc.poll() is not None or time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"the server did not answer within 90 s:\n{log.read_text()}")
        time.sleep(0.2)
    return proc


def test_an_interrupt_of_the_command_alone_stops_the_server_too(tmp_path):
    """``kill -INT`` to the command's process (not its group, as Ctrl+C would) left the server
    process serving on the port, and a second interrupt printed a traceback: the command
    passes the interrupt on, and both stop."""
    from territory_abm.dashboard.server import free_port

    port = free_port("127.0.0.1")
    log = tmp_path / "server.log"
    proc = start_server(["dashboard", str(SCENARIOS / "classroom" / "poverty_and_transfers.toml"), "--port", str(port)],
                        port, log)
    os.kill(proc.pid, signal.SIGINT)
    try:
        assert proc.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while _answers(f"http://127.0.0.1:{port}/") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _answers(f"http://127.0.0.1:{port}/"), "the server still answers"
        assert "Traceback" not in log.read_text()
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the group
        except ProcessLookupError:
            pass


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def open_group(browser, server):
    """``open_group(name)``: a new browser context (a student) on group ``name``'s page
    (``viewport``: width and height in CSS pixels; ``zoom``: the browser's zoom factor)."""
    contexts = []

    def open_group(name: str, language: str = "en", viewport=(1500, 1400), zoom: float = 1.0):
        # a zoom of 150 % on a 1280x720 screen is a page 1280/1.5 CSS pixels wide drawn at 1.5 device pixels
        size = {"width": round(viewport[0] / zoom), "height": round(viewport[1] / zoom)}
        context = browser.new_context(viewport=size, device_scale_factor=zoom)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server[0]}?group={name}", timeout=90_000)
        heading = "Policy levers" if language == "en" else "Instrumentos de política"
        expect(page.get_by_text(heading)).to_be_visible(timeout=90_000)
        return page

    yield open_group
    for context in contexts:
        context.close()


def _images(page) -> list[str]:
    return page.locator("img").evaluate_all("els => els.map(e => e.src)")


def _clock(page, year: int, steps: int, language: str = "en"):
    text = f"Year {year} (step {steps})" if language == "en" else f"Año {year} (paso {steps})"
    return page.get_by_text(text, exact=True)


def _step(page) -> None:
    page.get_by_role("button", name=re.compile(r"^step$", re.IGNORECASE)).click()


def _lever_switch(page, label: str):
    return page.get_by_role("switch", name=label).or_(page.get_by_label(label, exact=True)).first


def _choose(page, label: str, option: str, which: int = -1) -> None:
    """Pick ``option`` in the select labelled ``label`` (reopening its menu until it shows)."""
    item = page.locator(".menuable__content__active .v-list-item", has_text=option)
    for _ in range(10):
        select = page.locator(".v-select", has=page.get_by_text(label, exact=True)).nth(which)
        select.locator(".v-input__slot").click()
        try:
            item.wait_for(state="visible", timeout=2000)
            break
        except playwright.TimeoutError:
            continue
    item.click()  # Playwright waits for the menu to stop moving


def _number_box(page, label: str):
    """The number box beside the slider labelled ``label`` (the first such slider)."""
    return page.locator(".number-slider", has_text=label).first.locator(".number-box input")


def _no_error(page) -> None:
    alerts = page.locator(".v-alert")
    try:
        expect(alerts).to_have_count(0)
    except AssertionError as error:  # say what the page says
        raise AssertionError(f"{page.url} shows {alerts.all_inner_texts()}") from error
    expect(page.get_by_text("Traceback")).to_have_count(0)


def _outside_address() -> str | None:
    """An address of this machine other than loopback (None if it has none)."""
    import socket

    for probe in (lambda: _udp_source(), lambda: socket.gethostbyname(socket.gethostname())):
        try:
            address = probe()
        except OSError:
            continue
        if address and not address.startswith("127."):
            return address
    return None


def _udp_source() -> str:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("10.255.255.255", 1))  # no packet is sent; picks the outgoing interface
        return s.getsockname()[0]


def test_the_server_listens_on_loopback_only(server):
    import socket

    address = _outside_address()
    if address is None:
        pytest.skip("this machine has no address besides loopback to try")
    port = int(server[0].rstrip("/").rsplit(":", 1)[1])
    with pytest.raises(OSError):
        socket.create_connection((address, port), timeout=3).close()


def test_a_group_joins_by_name_and_the_name_goes_in_the_address(browser, server):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server[0], timeout=90_000)
        page.get_by_label("Group / Grupo").fill("Los Robles")
        page.get_by_role("button", name="Join / Entrar").click()
        expect(page).to_have_url(re.compile(r"\?group=Los%20Robles$"), timeout=30_000)
        expect(page.get_by_text("Group: Los Robles")).to_be_visible(timeout=90_000)
        page.goto(f"{server[0]}?group=%3Cscript%3E")
        expect(page.get_by_text("group name of 1-30 letters")).to_be_visible()
    finally:
        context.close()


def test_the_page_shows_the_map_charts_and_controls(open_group):
    page = open_group("shows")
    for text in ("Territory", "Territory outcomes", "Cash transfers", "Environmental governance", "Hold axes",
                 "Large text", "Compared with the same seed without any policy",
                 "Municipality details", "Behaviour of households and firms", "Group: shows"):
        expect(page.get_by_text(text, exact=True).first).to_be_visible()
    for button in ("Step", "Play", "Pause", "Reset"):
        expect(page.get_by_role("button", name=button, exact=True)).to_be_visible()
    expect(_clock(page, 2020, 0)).to_be_visible()
    expect(page.locator("img")).to_have_count(3)  # the network, the outcome charts and the comparison


def _map_size(page) -> tuple[int, int]:
    """Width and height (pixels) of the PNG the page shows as the territory's map."""
    data = page.locator("img.territory-map").evaluate(
        "async img => { const r = await fetch(img.src); return btoa(String.fromCharCode(...new Uint8Array("
        "await r.arrayBuffer()))) }")
    png = base64.b64decode(data)
    assert png.startswith(b"\x89PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_the_map_draws_the_municipalities_as_their_polygons(open_group):
    page = open_group("polygons")
    expect(page.locator("img.territory-map.map-polygons")).to_be_visible()
    expect(page.locator("img.map-network")).to_have_count(0)
    expect(page.locator(".map-note")).to_have_count(0)
    assert _map_size(page) == (540, 324)  # the map's figure (6 x 3.6 in at 90 dpi; the network's is 6 x 2.9)
    _choose(page, "Colour municipalities by", "Type (since the start)")
    expect(page.locator("img.territory-map.map-polygons")).to_be_visible()
    _no_error(page)


@pytest.fixture(scope="module")
def network_server(tmp_path_factory):
    """The dashboard of the first classroom exercise on a copy of its territory without geometry."""
    from territory_abm.dashboard.server import free_port

    root = tmp_path_factory.mktemp("no_geometry")
    shutil.copytree(ROOT / "calibration" / "data" / "classroom", root / "territory",
                    ignore=shutil.ignore_patterns("geometry.gpkg"))
    exercise = (SCENARIOS / "classroom" / "poverty_and_transfers.toml").read_text()
    (root / "exercise.toml").write_text(exercise.replace('"../../calibration/data/classroom"', '"territory"'))
    port = free_port("127.0.0.1")
    proc = start_server(["dashboard", str(root / "exercise.toml"), "--port", str(port)], port, root / "server.log")
    yield f"http://127.0.0.1:{port}/"
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def test_a_territory_without_geometry_is_drawn_as_its_network_and_the_page_says_why(browser, network_server):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.goto(f"{network_server}?group=network", timeout=90_000)
        expect(page.locator("img.territory-map.map-network")).to_be_visible(timeout=90_000)
        expect(page.locator("img.map-polygons")).to_have_count(0)
        expect(page.locator(".map-note")).to_contain_text("no boundaries (no geometry.gpkg in its folder)")
        page.get_by_role("button", name="Español", exact=True).click()
        expect(page.locator(".map-note")).to_contain_text("no tiene límites", timeout=30_000)
        _no_error(page)
    finally:
        context.close()


def test_a_lever_and_a_step_change_the_charts_the_map_and_the_municipality(open_group, tmp_path):
    page = open_group("transfers")
    _choose(page, "Municipality", "Cerro Azul")
    expect(page.get_by_text("Policy cost this year (USD)")).to_be_visible()
    before = _images(page)
    _choose(page, "Where", "Cerro Azul", which=0)  # the cash transfer's target
    page.get_by_text("Cash transfers").click()  # on, for Cerro Azul, from the next year
    expect(_lever_switch(page, "Cash transfers")).to_be_checked()
    _step(page)
    expect(_clock(page, 2021, 1)).to_be_visible(timeout=FIRST_STEP_MS)
    # each image is its own widget, updated by its own message: wait (up to 30 s) until all three changed
    page.wait_for_function("before => { const now = Array.from(document.images, e => e.src); "
                           "return now.length === 3 && now.every((src, i) => src !== before[i]) }", arg=before,
                           timeout=30_000)
    cost = page.locator("tr", has_text="Policy cost this year (USD)").locator("td").nth(1)
    expect(cost).not_to_have_text(re.compile(r"^\s*(0|-|)\s*$"))  # the transfer was paid in Cerro Azul
    # Cerro Azul against the twin (trial 18): its own difference, not only the territory's
    expect(page.get_by_text("Cerro Azul against the same seed without policy, year 2021")).to_be_visible()
    others = page.locator(".municipality-compare tr", has_text="not reached by a programme").locator("td").nth(3)
    expect(others).to_have_text(re.compile(r"^\s*(0|[-+][\d,]+)\s*$"))
    _no_error(page)
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)


def test_the_language_switch_turns_the_page_into_spanish(open_group):
    page = open_group("language")
    page.get_by_role("button", name="Español", exact=True).click()
    expect(page.get_by_text("Instrumentos de política")).to_be_visible()
    expect(page.get_by_text("Transferencias monetarias")).to_be_visible()
    expect(_clock(page, 2020, 0, "es")).to_be_visible()
    page.get_by_role("button", name="English", exact=True).click()
    expect(page.get_by_text("Policy levers")).to_be_visible()


def test_a_lever_moved_in_one_group_leaves_another_group_alone(open_group):
    a, b = open_group("isolated-a"), open_group("isolated-b")
    amount = "Amount (USD per household and year)"
    expect(_number_box(a, amount)).to_have_value("300")
    slider = a.locator(".number-slider", has_text=amount).first.get_by_role("slider")
    slider.focus()
    slider.press("ArrowRight")  # one slider step: 300 -> 310 USD
    expect(_number_box(a, amount)).to_have_value("310")
    a.get_by_text("Cash transfers").click()
    expect(_lever_switch(a, "Cash transfers")).to_be_checked()
    _step(a)
    expect(_clock(a, 2021, 1)).to_be_visible(timeout=FIRST_STEP_MS)
    b.reload()
    expect(_number_box(b, amount)).to_have_value("300", timeout=90_000)
    expect(_lever_switch(b, "Cash transfers")).not_to_be_checked()
    expect(_clock(b, 2020, 0)).to_be_visible()
    a.reload()  # while A keeps its own
    expect(_number_box(a, amount)).to_have_value("310", timeout=90_000)
    expect(_lever_switch(a, "Cash transfers")).to_be_checked()
    expect(_clock(a, 2021, 1)).to_be_visible()


def test_groups_stepping_at_the_same_time_get_no_error(open_group, server):
    # two students of group 1 and one each of groups 2 and 3 press Step at once
    pages = [open_group("busy-1"), open_group("busy-1"), open_group("busy-2"), open_group("busy-3")]
    for page in pages:
        _step(page)
    for page in pages[2:]:
        _step(page)
    for page in pages[2:]:
        expect(_clock(page, 2022, 2)).to_be_visible(timeout=FIRST_STEP_MS)
    for page in pages[:2]:  # both steps of group 1 happened, one after the other
        expect(_clock(page, 2021, 1).or_(_clock(page, 2022, 2))).to_be_visible(timeout=FIRST_STEP_MS)
        page.reload()
        expect(_clock(page, 2022, 2)).to_be_visible(timeout=90_000)
    for page in pages:
        _no_error(page)
    assert "Traceback" not in server[1].read_text()


def test_a_reload_keeps_the_groups_year_and_language(open_group):
    page = open_group("reload")
    _step(page)
    expect(_clock(page, 2021, 1)).to_be_visible(timeout=FIRST_STEP_MS)
    page.get_by_role("button", name="Español", exact=True).click()
    expect(_clock(page, 2021, 1, "es")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Instrumentos de política")).to_be_visible(timeout=90_000)
    expect(_clock(page, 2021, 1, "es")).to_be_visible()
    other = open_group("reload", language="es")  # another student of the group lands there too
    expect(_clock(other, 2021, 1, "es")).to_be_visible()


def test_play_advances_the_years_until_paused(open_group):
    page = open_group("play")
    page.get_by_role("button", name="Play", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Year 20\d\d \(step [3-9]\)$"))).to_be_visible(timeout=FIRST_STEP_MS)
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_enabled()
    expect(page.get_by_role("button", name="Pause", exact=True)).to_be_disabled()
    expect(page.get_by_role("button", name="Step", exact=True)).to_be_enabled()
    _no_error(page)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """``territory-abm classroom`` on a free loopback port: its address (with the join code) and output."""
    from territory_abm.dashboard.server import free_port

    port = free_port("127.0.0.1")
    log = tmp_path_factory.mktemp("classroom") / "server.log"
    proc = start_server(["classroom", str(SCENARIOS / "classroom" / "poverty_and_transfers.toml"), "--port", str(port)],
                        port, log)
    first = log.read_text().splitlines()[0]
    link = re.search(r"http://127\.0\.0\.1:\d+/\?code=([A-Z0-9]{6})", first)
    assert link, first
    yield link.group(0), link.group(1), log.read_text()
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def test_a_group_joins_a_classroom_only_with_the_join_code(browser, classroom):
    link, code, output = classroom
    base = link.split("?")[0]
    token = re.search(r"trainer's token: (\S+)", output).group(1)
    assert token != code and code in output
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}?group=intruders", timeout=90_000)
        expect(page.get_by_text("the join code is required")).to_be_visible(timeout=90_000)
        expect(page.get_by_text("Policy levers")).to_have_count(0)
        page.goto(f"{base}?group=intruders&code={token}")
        expect(page.get_by_text("wrong join code")).to_be_visible(timeout=90_000)
        page.goto(link, timeout=90_000)  # the QR code's link: the code filled in, a name to type
        page.get_by_label("Group / Grupo").fill("Los Robles")
        page.get_by_role("button", name="Join / Entrar").click()
        expect(page).to_have_url(re.compile(rf"\?group=Los%20Robles&code={code}$"), timeout=30_000)
        expect(page.get_by_text("Group: Los Robles")).to_be_visible(timeout=90_000)
        expect(page.get_by_text("Policy levers")).to_be_visible()
    finally:
        context.close()


# ---------------------------------------------------------------------------- comparing and the projector


def _spanish_words() -> set[str]:
    """Every word the page may show in Spanish: its Spanish texts, the territory's place names
    and a few words both languages share."""
    from territory_abm.dashboard.text import PARAMETER_LABELS, TEXT, UNITS
    from territory_abm.data.territory import load_territory
    from territory_abm.scenarios.loader import load_scenario

    texts = [*TEXT["es"].values(), *PARAMETER_LABELS["es"].values(), *UNITS["es"].values(),
             *load_territory(load_scenario(SCENARIOS / "classroom" / "poverty_and_transfers.toml").territory).names]
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", " ".join(texts))} | {w.casefold() for w in ALLOWED_IN_SPANISH}


ALLOWED_IN_SPANISH = {"USD", "Gini", "h", "ha", "English"}
"""Words the Spanish page may show that are not Spanish texts: units, an index's name, the
button back to English."""


def _page_words(page) -> set[str]:
    """Words on the page (case ignored: buttons are upper case): its text and its inputs' values."""
    text = page.inner_text("body")
    values = page.locator("input").evaluate_all("els => els.map(e => e.value)")
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", " ".join([text, *values]))}


def test_in_spanish_no_english_word_is_left_on_the_page(open_group):
    page = open_group("spanish words", viewport=(1280, 720))
    _step(page)
    expect(_clock(page, 2021, 1)).to_be_visible(timeout=FIRST_STEP_MS)
    page.get_by_role("button", name="Español", exact=True).click()
    expect(_clock(page, 2021, 1, "es")).to_be_visible()
    # The panels re-render one after another: under load the clock can be Spanish while a
    # lever's label is still English, so the page has 30 s to leave no English word.
    spanish, english = _spanish_words(), None
    for _ in range(120):
        english = _page_words(page) - {"spanish", "words"} - spanish  # the group's name
        if not english:
            break
        page.wait_for_timeout(250)
    assert english == set()
    numbers = page.locator(".number-box input").evaluate_all("els => els.map(e => e.value)")
    assert any("," in n for n in numbers) and not any("." in n for n in numbers), numbers  # decimal commas


@pytest.mark.parametrize("zoom", [1.0, 1.5])
def test_at_1280x720_sliders_have_width_and_drag_and_step_and_reset_stay_visible(open_group, zoom):
    page = open_group(f"projector {zoom * 100:.0f}", viewport=(1280, 720), zoom=zoom)
    widths = page.locator(".v-slider").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert len(widths) > 10 and min(widths) > 100, widths
    for name in ("step", "reset"):
        expect(page.get_by_role("button", name=re.compile(rf"^{name}$", re.IGNORECASE))).to_be_visible()
    amount = page.locator(".number-slider", has_text="Amount (USD per household and year)").first
    box = amount.locator(".number-box input")
    before = box.input_value()
    amount.scroll_into_view_if_needed()
    thumb = amount.locator(".v-slider__thumb").bounding_box()
    track = amount.locator(".v-slider").bounding_box()
    page.mouse.move(thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + 0.8 * track["width"], thumb["y"] + thumb["height"] / 2, steps=5)
    page.mouse.up()
    expect(box).not_to_have_value(before)
    assert float(box.input_value().replace(",", "")) > float(before.replace(",", ""))
    _no_error(page)


def test_after_reset_and_a_lever_the_earlier_run_stays_faint_and_the_difference_from_no_policy_shows(open_group):
    page = open_group("compare", viewport=(1280, 720))
    expect(page.get_by_text("Against the same seed without policy: no year simulated yet.")).to_be_visible()
    _step(page)
    expect(_clock(page, 2021, 1)).to_be_visible(timeout=FIRST_STEP_MS)
    page.get_by_role("button", name=re.compile(r"^reset$", re.IGNORECASE)).click()
    expect(_clock(page, 2020, 0)).to_be_visible()
    expect(page.get_by_text("Earlier runs of this group kept as faint lines (after Reset): 1.")).to_be_visible()
    page.get_by_text("Cash transfers", exact=True).click()
    expect(_lever_switch(page, "Cash transfers")).to_be_checked()
    _step(page)
    expect(_clock(page, 2021, 1)).to_be_visible()
    summary = page.get_by_text(re.compile(r"^Year 2021, the whole territory against the same seed without policy"))
    expect(summary).to_contain_text(re.compile(r"poverty -\d+\.\d points"))  # the transfer lowers poverty
    expect(summary).to_contain_text(re.compile(r"policy cost so far [1-9][\d,]* USD"))
    expect(page.get_by_text("Earlier runs of this group kept as faint lines (after Reset): 1.")).to_be_visible()
    _no_error(page)
