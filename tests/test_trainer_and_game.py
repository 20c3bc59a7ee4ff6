"""The trainer's console and the shared-territory game in a real browser (issue 17, items 2 and
7), several browser contexts at once: the console opens only with the trainer's token, lists the
groups live, locks and unlocks their controls, exports every group's run in one zip and starts
every group on another exercise; in the game two groups' choices take effect in the same shared
year and each sees the other's municipality change.

Needs Playwright and a Chromium as ``tests/test_dashboard.py`` (skipped without one, except
under ``CI=true``).
"""

import io
import json
import os
import re
import signal
import zipfile

import pytest
from conftest import SCENARIOS

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install '.[test]')")
expect = playwright.expect
expect.set_options(timeout=30_000)  # as in test_dashboard: the server answers slower under load

from test_dashboard import FIRST_STEP_MS, _choose, _clock, _lever_switch, _step, browser, start_server  # noqa: E402, F401

pytestmark = pytest.mark.slow


def _serve(tmp_path_factory, *args: str):
    """``territory-abm classroom ARGS`` on a free loopback port: (base address, join code, trainer's
    token, process, log file)."""
    from territory_abm.dashboard.server import free_port

    port = free_port("127.0.0.1")
    log = tmp_path_factory.mktemp("classroom") / "server.log"
    proc = start_server(["classroom", *args, "--port", str(port)], port, log)
    base = f"http://127.0.0.1:{port}/"
    text = log.read_text()
    code = re.search(r"join code: (\S+)", text).group(1)
    token = re.search(r"trainer's token: (\S+)", text).group(1)
    assert f"trainer's console: {base}?trainer={token}" in text
    return base, code, token, proc, log


def _stop(proc) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    served = _serve(tmp_path_factory, str(SCENARIOS / "classroom" / "poverty_and_transfers.toml"))
    yield served
    _stop(served[3])


@pytest.fixture(scope="module")
def game(tmp_path_factory):
    served = _serve(tmp_path_factory, str(SCENARIOS / "classroom" / "shared_territory.toml"), "--game")
    yield served
    _stop(served[3])


@pytest.fixture
def new_page(browser):  # noqa: F811 (the fixture imported above)
    """``new_page(address)``: a page of a new browser context (a student or the trainer) at 1280x720."""
    contexts = []

    def new_page(address: str):
        context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.requested = []  # every address the page asked for
        page.on("request", lambda request: page.requested.append(request.url))
        page.goto(address, timeout=90_000)
        return page

    yield new_page
    for context in contexts:
        context.close()


def _console_title(page):
    return page.locator(".v-card__title", has_text="Trainer's console")


def test_the_console_needs_the_token_locks_the_groups_exports_their_runs_and_loads_an_exercise(classroom, new_page):
    base, code, token, _, log = classroom
    robles = new_page(f"{base}?group=Los%20Robles&code={code}")
    expect(robles.get_by_text("Policy levers")).to_be_visible(timeout=90_000)
    robles.get_by_text("Cash transfers", exact=True).click()
    expect(_lever_switch(robles, "Cash transfers")).to_be_checked()
    _step(robles)
    expect(_clock(robles, 2021, 1)).to_be_visible(timeout=FIRST_STEP_MS)
    cedro = new_page(f"{base}?group=El%20Cedro&code={code}")
    expect(cedro.get_by_text("Policy levers")).to_be_visible(timeout=90_000)

    for wrong in ("", "wrong", code):  # no token, a wrong one, the join code
        intruder = new_page(f"{base}?trainer={wrong}")
        expect(intruder.get_by_text("This page needs the trainer's token.", exact=False)).to_be_visible(timeout=90_000)
        expect(_console_title(intruder)).to_have_count(0)
        expect(intruder.get_by_text("Los Robles")).to_have_count(0)

    trainer = new_page(f"{base}?trainer={token}")
    expect(_console_title(trainer)).to_be_visible(timeout=90_000)
    table = trainer.locator(".groups-table")
    expect(table.locator("tr", has_text="Los Robles")).to_contain_text("2021")
    expect(table.locator("tr", has_text="Los Robles")).to_contain_text("Cash transfers")
    expect(table.locator("tr", has_text="El Cedro")).to_contain_text("2020")

    trainer.get_by_text("Lock the groups' controls").click()  # locked: the groups' pages say so at once
    for page in (robles, cedro):
        expect(page.get_by_text("The trainer has locked the controls", exact=False)).to_be_visible(timeout=15_000)
        expect(page.get_by_role("button", name="Step", exact=True)).to_be_disabled()
        expect(_lever_switch(page, "Cash transfers")).to_be_disabled()
    robles.get_by_role("button", name="Español", exact=True).click()  # looking is still allowed
    expect(_clock(robles, 2021, 1, "es")).to_be_visible(timeout=30_000)
    trainer.get_by_text("Lock the groups' controls").click()
    expect(robles.get_by_role("button", name="Avanzar", exact=True)).to_be_enabled(timeout=15_000)
    expect(robles.get_by_text("El capacitador bloqueó", exact=False)).to_have_count(0)

    with trainer.expect_download(timeout=60_000) as download:
        trainer.get_by_role("button", name="Export every group's run (zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    for folder in ("Los_Robles", "El_Cedro"):
        for file in ("settings.json", "outcomes.csv", "map.png", "charts.png", "compare.png"):
            assert f"{folder}/{file}" in archive.namelist()
        assert archive.read(f"{folder}/charts.png").startswith(b"\x89PNG")
    settings = json.loads(archive.read("Los_Robles/settings.json"))
    assert settings["year"] == 2021 and settings["policies"][0]["lever"] == "cash_transfer"
    assert archive.read("Los_Robles/outcomes.csv").decode().count("\n") == 3  # header, 2020, 2021

    trainer.get_by_text("Show the debrief charts").click()
    expect(trainer.locator("img")).to_have_count(2, timeout=60_000)  # the debrief's charts and its map
    expect(trainer.locator("img.debrief-map")).to_be_visible()

    _choose(trainer, "Exercise", "forest_frontier")
    trainer.get_by_role("button", name="Start every group on this exercise").click()
    expect(trainer.get_by_text("Every group now starts exercise forest_frontier.")).to_be_visible(timeout=60_000)
    expect(_clock(robles, 2020, 0, "es")).to_be_visible(timeout=60_000)  # Los Robles keeps its language
    expect(_lever_switch(robles, "Transferencias monetarias")).not_to_be_checked()
    expect(robles.locator(".v-alert")).to_have_count(0)
    assert "Traceback" not in log.read_text()
    # the pages' tables (municipality details, the console's groups) load no maths renderer: Solara's
    # Markdown asked Solara's CDN route for KaTeX each time one was drawn, 404s without internet
    for page in (robles, cedro, trainer):
        assert not [address for address in page.requested if "katex" in address]


def _row(page, municipality: str):
    return page.locator(".territory-table tr", has_text=municipality)


def test_in_the_game_two_groups_choices_take_effect_in_one_shared_year_and_each_sees_the_other(game, new_page):
    base, code, token, _, log = game
    alto = new_page(f"{base}?group=Alto&code={code}")
    expect(alto.get_by_text("You govern Alto Verde")).to_be_visible(timeout=90_000)
    bajo = new_page(f"{base}?group=Bajo&code={code}")
    expect(bajo.get_by_text("You govern Bajo Rio")).to_be_visible(timeout=90_000)
    bajo.get_by_role("button", name="Español", exact=True).click()
    expect(bajo.get_by_text("Gobiernan Bajo Rio")).to_be_visible()
    for page in (alto, bajo):  # the shared territory as its polygons
        expect(page.locator("img.territory-map.map-polygons")).to_be_visible()

    alto.locator("label", has_text="Cash transfers").click()  # Alto asks for transfers ...
    expect(_row(bajo, "Alto Verde")).to_contain_text("Transferencias monetarias", timeout=15_000)
    box = bajo.locator(".number-slider", has_text="Servicios y educación").locator(".number-box input")
    box.fill("mucho")  # a word: refused in Spanish, nothing changes
    box.press("Enter")
    expect(bajo.get_by_text("número: un número, por ejemplo 1234,5")).to_be_visible(timeout=15_000)
    box.fill("-0,1")  # below the control's range: refused with its range, not moved to 0 (trial 25)
    box.press("Enter")
    expect(bajo.get_by_text("número: un número entre 0 y", exact=False)).to_be_visible(timeout=15_000)
    box.fill("0,9")  # over the budget with the other shares: refused in Spanish
    box.press("Enter")
    expect(bajo.get_by_text("proporciones del presupuesto que sumen a lo sumo 1", exact=False)).to_be_visible(
        timeout=15_000)
    box.fill("0,6")  # ... Bajo spends more of its budget on services
    box.press("Enter")
    expect(_row(alto, "Bajo Rio")).to_contain_text("35 / 60 / 5 %", timeout=15_000)
    expect(bajo.locator(".number-error")).to_have_count(0)
    expect(bajo.get_by_text("proporciones del presupuesto", exact=False)).to_have_count(0)

    alto.get_by_role("button", name="We have decided").click()
    expect(alto.get_by_text("Decided: waiting for the other groups", exact=False)).to_be_visible(timeout=15_000)
    expect(bajo.get_by_text("Falta que decidan: Bajo")).to_be_visible(timeout=15_000)
    expect(_row(alto, "Alto Verde")).to_contain_text("-")  # no year has passed yet
    bajo.get_by_role("button", name="Ya decidimos").click()  # the last one: the year advances for all
    for page, label in ((alto, "Year 2021 - governments: 2"), (bajo, "Año 2021 - gobiernos: 2")):
        expect(page.get_by_text(label)).to_be_visible(timeout=FIRST_STEP_MS)
    # each sees the other's municipality change: its poverty since last year and against no choice
    for page, other in ((alto, "Bajo Rio"), (bajo, "Alto Verde")):
        cells = _row(page, other).locator("td")
        expect(cells.nth(6)).to_have_text(re.compile(r"^[+-]\d+[.,]\d$"))  # since last year, points
    # against no choice: a signed number (after one year the transfer's effect on poverty is within
    # the noise of who moves and who is born: +0.03 points at main a71d332, -0.8 before migration
    # at rest; test_classroom_game checks the transfer is paid in Alto's municipality only)
    expect(_row(alto, "Alto Verde").locator("td").nth(7)).to_have_text(re.compile(r"^[+-]\d+\.\d$"))
    expect(_row(bajo, "Bajo Rio").locator("td").nth(3)).to_have_text("35 / 60 / 5 %")

    trainer = new_page(f"{base}?trainer={token}")
    expect(trainer.get_by_text("Waiting for: Alto, Bajo")).to_be_visible(timeout=90_000)
    expect(trainer.locator("img.debrief-map")).to_be_visible()  # the choices' differences, mapped
    trainer.get_by_role("button", name="Advance the year now").click()  # nobody decided: the trainer says
    expect(alto.get_by_text("Year 2022 - governments: 2")).to_be_visible(timeout=60_000)
    expect(bajo.get_by_text("Año 2022 - gobiernos: 2")).to_be_visible(timeout=60_000)
    # starting again takes a second click, saying what it erases (a trial: one click erased the game)
    trainer.get_by_role("button", name="Start the territory again").click()
    expect(trainer.get_by_text("erases this game's years and decisions", exact=False)).to_be_visible(timeout=15_000)
    trainer.get_by_role("button", name="Keep this game").click()
    expect(trainer.get_by_text("erases this game's years and decisions", exact=False)).to_have_count(0)
    expect(alto.get_by_text("Year 2022 - governments: 2")).to_be_visible()  # nothing was erased

    # a group that joined by mistake (a trial, session 26): the trainer removes it after a second click
    oops = new_page(f"{base}?group=Oops&code={code}")
    expect(oops.get_by_text("You govern Cerro Azul")).to_be_visible(timeout=90_000)
    expect(trainer.get_by_text("Waiting for: Alto, Bajo, Oops")).to_be_visible(timeout=15_000)
    _choose(trainer, "Group to remove", "Oops")
    trainer.get_by_role("button", name="Remove a group").click()
    expect(trainer.get_by_text("Removing Oops leaves Cerro Azul without a government from 2022 on",
                               exact=False)).to_be_visible(timeout=15_000)
    trainer.get_by_role("button", name="Remove Oops").click()
    expect(trainer.get_by_text("Group Oops removed: Cerro Azul has no government from 2022 on.")).to_be_visible(
        timeout=15_000)
    expect(_row(trainer, "Cerro Azul").locator("td").nth(1)).to_have_text("nobody", timeout=15_000)
    expect(alto.get_by_text("Year 2022 - governments: 2")).to_be_visible(timeout=15_000)
    # its page, still open, does not join again: it says why, in both languages
    expect(oops.get_by_text("the trainer removed that group from the game", exact=False)).to_be_visible(
        timeout=15_000)
    with trainer.expect_download(timeout=60_000) as download:
        trainer.get_by_role("button", name="Export the game", exact=False).click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    rows = [line.split(",") for line in archive.read("territory.csv").decode().splitlines()]
    column = rows[0].index("governed_by")
    governed = {(r[0], r[1]): r[column] for r in rows[1:]}  # (year, node) -> group
    assert (governed[("2022", "C")], governed[("2022", "A")], governed[("2020", "B")]) == ("", "Alto", "Bajo")

    # Large text on the game's page (kept with the group, as its language) and on the console
    large = "getComputedStyle(document.documentElement).fontSize === '20px'"
    alto.get_by_text("Large text", exact=True).click()
    alto.wait_for_function(large, timeout=15_000)
    trainer.get_by_text("Large text", exact=True).click()
    trainer.wait_for_function(large, timeout=15_000)
    assert bajo.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"
    for page in (alto, bajo):
        expect(page.locator(".v-alert", has_text=re.compile("Traceback|did not work|No funcionó"))).to_have_count(0)
    assert "Traceback" not in log.read_text()


WIDTHS = """(() => { const box = document.querySelector('.territory-table'), page = document.scrollingElement;
  return {box: box.clientWidth, table: box.scrollWidth, page: page.scrollWidth, screen: page.clientWidth}; })()"""


def test_the_games_table_fits_its_card_at_150_percent_zoom_and_scrolls_in_it_in_large_text(game, browser):  # noqa: F811
    """A browser trial (session 26): at 150 % zoom the municipalities' table was wider than its
    card (its last column cut off until scrolled). It now fits, in English and Spanish, with every
    programme of a group written out; in large text it scrolls within its card, the page does not,
    and the municipalities' names stay in view while it scrolls."""
    base, code, *_ = game
    # 150 % zoom of a 1280x720 screen, as tests/test_dashboard.py's open_group
    context = browser.new_context(viewport={"width": 853, "height": 480}, device_scale_factor=1.5)
    try:
        page = context.new_page()
        page.goto(f"{base}?group=Rio%20Claro%20de%20Abajo&code={code}", timeout=90_000)
        expect(page.get_by_text("You govern", exact=False)).to_be_visible(timeout=90_000)
        for programme in ("Cash transfers", "Technical assistance", "Market linkage"):
            page.locator("label", has_text=programme).click()
        own = page.locator(".territory-table tr", has_text="Rio Claro de Abajo")
        expect(own).to_contain_text("Market linkage", timeout=15_000)
        widths = page.evaluate(WIDTHS)
        assert widths["table"] <= widths["box"] and widths["page"] <= widths["screen"], widths
        page.get_by_role("button", name="Español", exact=True).click()
        expect(own).to_contain_text("Vinculación a mercados", timeout=15_000)
        widths = page.evaluate(WIDTHS)
        assert widths["table"] <= widths["box"] and widths["page"] <= widths["screen"], widths

        page.get_by_text("Letra grande", exact=True).click()
        page.wait_for_function("getComputedStyle(document.documentElement).fontSize === '20px'", timeout=15_000)
        widths = page.evaluate(WIDTHS)
        assert widths["table"] > widths["box"] and widths["page"] <= widths["screen"], widths
        box = page.locator(".territory-table")
        box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
        left = box.bounding_box()["x"]
        name = own.locator("td").first
        assert abs(name.bounding_box()["x"] - left) < 2  # the municipality's name stays in view
        assert own.locator("td").last.bounding_box()["x"] > left  # the last column came into view
    finally:
        context.close()


@pytest.fixture
def fresh_game(tmp_path_factory):
    """A shared-territory game of its own for a test that removes and restores groups (the
    module's ``game`` is shared by tests that need its groups as they are)."""
    served = _serve(tmp_path_factory, str(SCENARIOS / "classroom" / "shared_territory.toml"), "--game")
    yield served
    _stop(served[3])


def test_the_trainer_restores_a_group_removed_by_mistake_and_a_refused_page_takes_nothing(fresh_game, new_page):
    """A browser trial (session 27), five groups and a sixth refused (all municipalities governed):
    the trainer removed the wrong group; within seconds the sixth group's page, still open on its
    refusal, had taken the freed municipality, and nothing could bring the removed group back.
    Now the console restores a removed group (it governs its municipality again, its open page
    shows the game again), and a refused page joins only when its students press Join."""
    base, code, token, _, log = fresh_game
    groups = (("Los Robles", "Alto Verde"), ("Las Palmas", "Bajo Rio"), ("El Cedro", "Cerro Azul"),
              ("La Loma", "Dos Puentes"), ("San Isidro", "Pueblo Grande"))
    pages = {}
    for name, municipality in groups:
        pages[name] = new_page(f"{base}?group={name.replace(' ', '%20')}&code={code}")
        expect(pages[name].get_by_text(f"You govern {municipality}")).to_be_visible(timeout=FIRST_STEP_MS)
    sixth = new_page(f"{base}?group=Grupo%20Seis&code={code}")
    refusal = sixth.get_by_text("all 5 are governed", exact=False)
    expect(refusal).to_be_visible(timeout=90_000)
    trainer = new_page(f"{base}?trainer={token}")
    expect(trainer.get_by_text("Year 2020 - governments: 5")).to_be_visible(timeout=90_000)

    _choose(trainer, "Group to remove", "La Loma")  # the trainer meant another group
    trainer.get_by_role("button", name="Remove a group").click()
    expect(trainer.get_by_text("unless you restore it here", exact=False)).to_be_visible(timeout=15_000)
    trainer.get_by_role("button", name="Remove La Loma").click()
    expect(_row(trainer, "Dos Puentes").locator("td").nth(1)).to_have_text("nobody", timeout=15_000)
    expect(pages["La Loma"].get_by_text("the trainer removed that group", exact=False)).to_be_visible(timeout=15_000)

    _choose(trainer, "Removed group", "La Loma")
    trainer.get_by_role("button", name="Restore the group").click()
    expect(trainer.get_by_text("Group La Loma restored: it governs Dos Puentes again from 2020")).to_be_visible(
        timeout=15_000)
    # its open page shows the game again: the pages have followed both changes
    expect(pages["La Loma"].get_by_text("You govern Dos Puentes")).to_be_visible(timeout=30_000)
    expect(_row(trainer, "Dos Puentes").locator("td").nth(1)).to_have_text("La Loma", timeout=15_000)
    expect(refusal).to_be_visible()  # the sixth page took nothing
    expect(trainer.get_by_text("Year 2020 - governments: 5")).to_be_visible()

    # the sixth group presses Join: still refused; once a municipality is free, Join takes it
    sixth.get_by_role("button", name="Join / Entrar").click()
    expect(refusal).to_be_visible()
    _choose(trainer, "Group to remove", "San Isidro")
    trainer.get_by_role("button", name="Remove a group").click()
    expect(trainer.get_by_text("Removing San Isidro leaves Pueblo Grande", exact=False)).to_be_visible(timeout=15_000)
    trainer.get_by_role("button", name="Remove San Isidro").click()
    expect(_row(trainer, "Pueblo Grande").locator("td").nth(1)).to_have_text("nobody", timeout=15_000)
    sixth.get_by_role("button", name="Join / Entrar").click()
    expect(sixth.get_by_text("You govern Pueblo Grande")).to_be_visible(timeout=30_000)
    expect(_row(trainer, "Pueblo Grande").locator("td").nth(1)).to_have_text("Grupo Seis", timeout=15_000)
    assert "Traceback" not in log.read_text()


# each name cell of the municipalities' table: (its text, how many lines it takes), and the table's
# box (its visible width, the table's width)
NAME_LINES = """() => [...document.querySelectorAll('.territory-table tbody tr')].flatMap(r => [0, 1].map(i => {
  const range = document.createRange(); range.selectNodeContents(r.cells[i]);
  return [r.cells[i].innerText, range.getClientRects().length]; }))"""
TABLE_BOX = "(() => { const box = document.querySelector('.territory-table'); return [box.clientWidth, box.scrollWidth]; })()"


def test_the_games_table_keeps_each_name_on_one_line_at_1280_px(game, new_page):
    """A browser trial (session 27, as session 26): at 1280 px the table of municipalities, on the
    console and on a group's page, wrapped "Pueblo Grande" and the group "Las Palmas" on two lines
    while 200 px of its card stayed empty (Solara's Markdown stops at 1024 px). Each name keeps
    one line now, and the table still fits its card."""
    base, code, token, *_ = game
    palmas = new_page(f"{base}?group=Las%20Palmas&code={code}")
    expect(palmas.get_by_text("You govern", exact=False)).to_be_visible(timeout=90_000)
    trainer = new_page(f"{base}?trainer={token}")
    expect(_row(trainer, "Las Palmas")).to_be_visible(timeout=90_000)
    for page in (palmas, trainer):
        expect(_row(page, "Pueblo Grande")).to_be_visible(timeout=15_000)
        lines = page.evaluate(NAME_LINES)
        assert ["Pueblo Grande", 1] in lines and ["Las Palmas", 1] in lines, lines
        assert all(n == 1 for _, n in lines), lines
        visible, table = page.evaluate(TABLE_BOX)
        assert table <= visible, (visible, table)


def test_the_consoles_map_of_differences_fits_the_window(game, browser):  # noqa: F811
    """A browser trial (session 27): at 1280x720 the console's map of the differences (drawn 1,000 px
    wide across its card) was 1,050 px tall: a trainer projecting it never saw it whole, its key and
    the southern municipalities below the window's edge while its title showed. It is now as tall as
    the window at most, its proportions kept, at 150 % zoom too."""
    base, _, token, *_ = game
    for width, height, scale in ((1280, 720, 1), (853, 480, 1.5)):  # 150 % zoom of 1280x720
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
        try:
            page = context.new_page()
            page.goto(f"{base}?trainer={token}", timeout=90_000)
            picture = page.locator("img.debrief-map")
            expect(picture).to_be_visible(timeout=90_000)
            page.wait_for_function("document.querySelector('img.debrief-map').naturalWidth > 0", timeout=60_000)
            picture.scroll_into_view_if_needed()
            box = picture.bounding_box()
            assert box["height"] <= height, (box, width)
            assert picture.evaluate("i => getComputedStyle(i).objectFit") == "contain"  # whole, not stretched
        finally:
            context.close()


def test_a_restored_groups_road_works_resume_on_its_page_as_they_were(fresh_game, new_page):
    """Session 28: a restored group's programme restarted for all its years. Now its page lists it
    as it was when the group was removed (start, years done, spending), two years later, and it goes
    on from there (a browser trial of the same steps, session 28, read the same lines)."""
    base, code, token, _, log = fresh_game
    robles = new_page(f"{base}?group=Los%20Robles&code={code}")
    # municipalities go to groups in the order they join: wait for the first to have joined (in CI
    # of session 31 Las Palmas's page joined first and governed Alto Verde)
    expect(robles.get_by_text("You govern Alto Verde")).to_be_visible(timeout=FIRST_STEP_MS)
    palmas = new_page(f"{base}?group=Las%20Palmas&code={code}")
    expect(palmas.get_by_text("You govern Bajo Rio")).to_be_visible(timeout=FIRST_STEP_MS)
    roads = _lever_switch(palmas, "Roads to the town")
    roads.check(force=True)
    expect(roads).to_be_checked()
    trainer = new_page(f"{base}?trainer={token}")
    advance = trainer.get_by_role("button", name="Advance the year now")
    for year in (2021, 2022, 2023):
        advance.click()
        expect(trainer.get_by_text(f"Year {year} - governments: 2")).to_be_visible(timeout=60_000)
    running = palmas.locator(".running-programme")
    expect(running).to_have_text(re.compile(r"Roads to the town: since 2021, 3 of 5 years done, [\d,]+ USD spent"),
                                 timeout=30_000)
    before = running.inner_text()
    _choose(trainer, "Group to remove", "Las Palmas")
    trainer.get_by_role("button", name="Remove a group").click()
    expect(trainer.get_by_text("unless you restore it here", exact=False)).to_be_visible(timeout=15_000)
    trainer.get_by_role("button", name="Remove Las Palmas").click()
    # the console first, then the group's page: in CI of session 40 (both cores busy) the page
    # still showed the game 30 s after the click, and which of the two had missed it was not told
    expect(_row(trainer, "Bajo Rio").locator("td").nth(1)).to_have_text("nobody", timeout=30_000)
    expect(palmas.get_by_text("the trainer removed that group", exact=False)).to_be_visible(timeout=60_000)
    for year in (2024, 2025):
        advance.click()
        expect(trainer.get_by_text(f"Year {year} - governments: 1")).to_be_visible(timeout=60_000)
    _choose(trainer, "Removed group", "Las Palmas")
    trainer.get_by_role("button", name="Restore the group").click()
    expect(palmas.get_by_text("You govern Bajo Rio")).to_be_visible(timeout=30_000)
    expect(running).to_have_text(before)
    advance.click()
    expect(running).to_have_text(re.compile(r"since 2021, 4 of 5 years done"), timeout=60_000)
    assert "Traceback" not in log.read_text()
