"""The classroom dashboard in a real browser: the server starts on 127.0.0.1, the page
shows the map, charts and controls; a lever switched on and a step change the charts, the
map and the selected municipality; the language switch turns the page into Spanish.

Needs Playwright (test extras) and a Chromium: Debian's ``chromium`` package, which the
test set-up installs where it can (root with apt-get). Skipped, with the reason, only where
no browser is installed and none can be.
"""

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

from conftest import SCENARIOS

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install '.[test]')")


def _chromium() -> str | None:
    candidates = (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                  "/usr/bin/chromium")
    return next((p for p in candidates if p and Path(p).is_file()), None)


def _install_chromium() -> None:
    """Test set-up: install Debian's chromium where this user may (root with apt-get)."""
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "timeout": 900}
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], env=env, **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], env=env, **quiet)


@pytest.fixture(scope="module")
def chromium():
    path = _chromium()
    if path is None:
        _install_chromium()
        path = _chromium()
    if path is None:
        pytest.skip("no Chromium browser and none could be installed here (Debian: apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def server():
    from territory_abm.dashboard.server import free_port

    port = free_port("127.0.0.1")
    proc = subprocess.Popen([sys.executable, "-m", "territory_abm.cli", "dashboard",
                             str(SCENARIOS / "classroom" / "poverty_and_transfers.toml"), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    first = proc.stdout.readline()
    assert url in first, first
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the dashboard server did not answer within 90 s")
    yield url
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def page(server, chromium):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1500, "height": 1400})
        page.goto(server, timeout=90_000)
        page.get_by_text("Policy levers").wait_for(timeout=90_000)
        page.wait_for_timeout(2000)  # let the widgets finish connecting to the server
        yield page
        browser.close()


def _images(page) -> list[str]:
    return page.locator("img").evaluate_all("els => els.map(e => e.src)")


def _wait_for(predicate, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _choose(page, label: str, option: str, which: int = -1) -> None:
    """Pick ``option`` in the select labelled ``label`` (opening its menu, retried while the
    page is still wiring its widgets)."""
    item = page.locator(".menuable__content__active .v-list-item", has_text=option)
    for _ in range(10):
        select = page.locator(".v-select", has=page.get_by_text(label, exact=True)).nth(which)
        select.locator(".v-input__slot").click()
        try:
            item.wait_for(state="visible", timeout=2000)
            break
        except playwright.TimeoutError:
            continue
    page.wait_for_timeout(500)  # the menu's opening transition
    item.click()


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
    port = int(server.rstrip("/").rsplit(":", 1)[1])
    with pytest.raises(OSError):
        socket.create_connection((address, port), timeout=3).close()


def test_the_page_shows_the_map_charts_and_controls(page):
    for text in ("Territory", "Territory outcomes", "Cash transfers", "Environmental governance",
                 "Municipality details", "Behaviour of households and firms", "Reset", "Step"):
        assert page.get_by_text(text, exact=False).first.is_visible(), text
    assert len(_images(page)) >= 2  # the network and the charts


def test_a_lever_and_a_step_change_the_charts_the_map_and_the_municipality(page, tmp_path):
    _choose(page, "Municipality", "Cerro Azul")
    page.get_by_text("Policy cost this year (USD)").wait_for()
    before = _images(page)
    _choose(page, "Where", "Cerro Azul", which=0)  # the cash transfer's target
    page.get_by_text("Cash transfers").click()  # on, for Cerro Azul, from the next year
    page.get_by_role("button", name=re.compile("step", re.I)).click()
    assert _wait_for(lambda: page.get_by_text("Step: 1").count() > 0), "the model did not step"
    assert _wait_for(lambda: all(a != b for a, b in zip(_images(page), before))), "charts or map did not change"
    row = page.locator("tr", has_text="Policy cost this year (USD)")
    assert _wait_for(lambda: row.locator("td").nth(1).inner_text().strip() not in ("0", "-", "")), \
        f"the transfer was not paid in Cerro Azul: {row.inner_text()}"
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)


def test_the_language_switch_turns_the_page_into_spanish(page):
    page.get_by_role("button", name="es", exact=True).click()
    assert _wait_for(lambda: page.get_by_text("Instrumentos de política").count() > 0)
    assert page.get_by_text("Transferencias monetarias").count() > 0
    page.get_by_role("button", name="en", exact=True).click()
    assert _wait_for(lambda: page.get_by_text("Policy levers").count() > 0)
