"""Starting the dashboard server (Solara, run by uvicorn) for a scenario.

``territory-abm dashboard`` listens on this computer only (127.0.0.1) on a free port.
``territory-abm classroom`` is the classroom network mode: it listens where the trainer says
(``--host``, still 127.0.0.1 unless told), on a fixed port (:data:`CLASSROOM_PORT`), prints the
address students open (the machine's own address when listening on all of them) with a QR
code, requires a join code, makes a separate trainer's token, and limits each client's
requests (:mod:`.access`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

from ..data.territory import load_territory
from ..errors import InputError
from ..output.maps import missing_geometry
from ..scenarios.loader import check_targets, load_scenario
from .access import (
    GAME_VARIABLE,
    JOIN_CODE_VARIABLE,
    RATE_VARIABLE,
    TRAINER_TOKEN_VARIABLE,
    new_join_code,
    new_trainer_token,
)

DEFAULT_SCENARIO = Path("scenarios/classroom/poverty_and_transfers.toml")
KERNEL_CULL_TIMEOUT = "5m"
"""How long a closed browser page's session is kept (its widgets; groups' models live in
the group store, which frees them after its own idle time)."""
CLASSROOM_PORT = 8765
"""Port of ``territory-abm classroom`` unless ``--port`` says otherwise (the same every class,
so a printed QR code or a bookmark keeps working)."""
CLASSROOM_RATE = (10.0, 120.0)
"""Requests per second each client may keep up, and at once (a page load measured 22 HTTP
requests and 4 websocket messages, a Step click one message)."""
ALL_ADDRESSES = ("0.0.0.0", "", "::")
WS_PING_TIMEOUT = 300
"""Seconds a page's connection may leave the server's keep-alive ping unanswered before the
server drops it (uvicorn's default is 20): while the server steps several groups' models at
once on a busy machine it answers late, and with 20 s four pages stepping together on 2 cores
at load 7 lost a page ("App is disconnected"; 2026-12-02). A page that is really gone is
still dropped, later."""


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def check_port(host: str, port: int) -> None:
    """Raise InputError unless ``port`` can be listened on at ``host``."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            s.bind((host, port))
        except OSError as exc:
            raise InputError("classroom", "--port", f"a port free at {host} ({port}: {exc.strerror}; stop the other "
                             "server or choose another with --port)") from None


def public_address(host: str) -> str:
    """The address others open for a server listening at ``host``: ``host`` itself, or for
    all addresses (0.0.0.0) this machine's address on its outgoing network ("127.0.0.1" if it
    has none)."""
    if host not in ALL_ADDRESSES:
        return host
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))  # no packet is sent: picks the outgoing interface
            address = s.getsockname()[0]
    except OSError:
        address = ""
    if not address or address.startswith("127.") or address == "0.0.0.0":
        try:
            address = socket.gethostbyname(socket.gethostname())
        except OSError:
            address = "127.0.0.1"
    return address


def qr_text(url: str) -> str:
    """``url`` as a QR code drawn with text characters (for the terminal)."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def geometry_note(territory: Path) -> str:
    """What the trainer is told once at the start when the server cannot draw the territory's
    boundaries for want of the geo extra ("" otherwise): the students' pages only say that the
    municipalities are drawn as a network, not how to install anything."""
    if missing_geometry(territory) != "no_geopandas":
        return ""
    return ("the geo extra is not installed: pages draw the territory as a network, not its boundaries "
            "(pip install 'territory-abm[geo]' and start again to draw them)")


def serve(scenario_path: Path | None, host: str = "127.0.0.1", port: int | None = None, *,
          classroom: bool = False, game: bool = False, out: TextIO | None = None) -> int:
    """Check the scenario, then run the server in the foreground until interrupted.

    Only ``host`` is listened on (127.0.0.1 unless the trainer asks otherwise). The scenario
    is a TOML file: it is read, never executed. With ``classroom`` the classroom network mode
    (see the module's description); with ``game`` the shared-territory game (:mod:`.game`).
    Both modes make a trainer's token and print the trainer's console address. The first line
    printed names the address to open."""
    out = out or sys.stdout
    what = "classroom" if classroom else "dashboard"
    path = Path(scenario_path) if scenario_path is not None else DEFAULT_SCENARIO
    if scenario_path is None and not path.is_file():
        raise InputError(what, "SCENARIO", f"a scenario file (the default {DEFAULT_SCENARIO} is not here; "
                         "run from the repository root or name a scenario)")
    scenario = load_scenario(path)
    check_targets(scenario, load_territory(scenario.territory))
    env = {**os.environ, "TERRITORY_ABM_SCENARIO": str(path.resolve()), "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
           "SOLARA_KERNEL_CULL_TIMEOUT": KERNEL_CULL_TIMEOUT, "SOLARA_APP": "territory_abm.dashboard.app",
           "SOLARA_MODE": "production", "SOLARA_THEME_SHOW_BANNER": "False",  # its banner is in English
           # Solara warns on every new session served over plain http (a classroom network has no https)
           "PYTHONWARNINGS": "ignore:Cookies with samesite=none:UserWarning"}
    for name in (JOIN_CODE_VARIABLE, TRAINER_TOKEN_VARIABLE, RATE_VARIABLE, GAME_VARIABLE):
        env.pop(name, None)
    token = new_trainer_token()
    env[TRAINER_TOKEN_VARIABLE] = token
    if game:
        env[GAME_VARIABLE] = "1"
    if classroom:
        port = port or CLASSROOM_PORT
        check_port(host, port)
        code = new_join_code()
        env.update({JOIN_CODE_VARIABLE: code, TRAINER_TOKEN_VARIABLE: token,
                    RATE_VARIABLE: ",".join(str(x) for x in CLASSROOM_RATE)})
        link = f"http://{public_address(host)}:{port}/?code={code}"
        print(f"territory_abm classroom for {scenario.name}: {link}  (Ctrl+C to stop)", file=out)
        print(f"join code: {code}  (students type it with their group's name; the link and QR code carry it)",
              file=out)
        print(qr_text(link), file=out)
        print(f"trainer's token: {token}  (for the trainer only; not a join code)", file=out)
        print(f"trainer's console: http://{public_address(host)}:{port}/?trainer={token}", file=out)
        listening = "every address of this computer" if host in ALL_ADDRESSES else host
        print(f"listening on {listening}, port {port}; each computer may make {CLASSROOM_RATE[0]:g} requests/s "
              f"(bursts of {CLASSROOM_RATE[1]:g})", file=out)
        if host in ("127.0.0.1", "localhost", "::1"):
            print("this computer only: for the classroom network add --host 0.0.0.0", file=out)
    else:
        port = port or free_port(host)
        print(f"territory_abm dashboard for {scenario.name}: http://{host}:{port}/  (Ctrl+C to stop)", file=out)
        print(f"trainer's console: http://{host}:{port}/?trainer={token}", file=out)
    note = geometry_note(scenario.territory)
    if note:
        print(note, file=out)
    out.flush()
    compile_before_serving(scenario, out)
    env["SERVER_NAME"], env["SERVER_PORT"] = host, str(port)
    command = [sys.executable, "-m", "uvicorn", "territory_abm.dashboard.asgi:app", "--host", host, "--port",
               str(port), "--log-level", "warning", "--no-access-log", "--timeout-graceful-shutdown", "5",
               "--ws-ping-timeout", str(WS_PING_TIMEOUT)]
    proc = subprocess.Popen(command, env=env)
    # a SIGTERM to this process stops the server too (no orphan left holding the port)
    previous = signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        say_when_ready(proc, host, port, out)
        return proc.wait()
    except KeyboardInterrupt:
        return stop_after_interrupt(proc)
    finally:
        signal.signal(signal.SIGTERM, previous)


READY_TIMEOUT = 120.0
"""Seconds :func:`say_when_ready` waits for the server to answer."""


def say_when_ready(proc: subprocess.Popen, host: str, port: int, out: TextIO, timeout: float = READY_TIMEOUT) -> bool:
    """Say on ``out`` that the pages open, once the server (``proc``) answers on ``port``; returns
    whether it did (not if ``proc`` ends first or ``timeout`` s pass). A browser trial (session 27):
    the addresses are printed 5-9 s before the server answers (its start on a busy 2-core machine),
    and a console opened at once showed the browser's "connection refused"."""
    connect = "127.0.0.1" if host in ALL_ADDRESSES or host == "localhost" else host
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with socket.create_connection((connect, port), timeout=1.0):
                print("ready: the pages open now", file=out, flush=True)
                return True
        except OSError:
            time.sleep(0.2)
    return False


WARM_UP_SCALE = 0.02
"""Households scale of the small model whose first years compile the kernels before serving."""


def compile_before_serving(scenario, out: TextIO) -> bool:
    """Where the model's kernels are not yet compiled (a fresh install), compile them before
    the server starts, by running two years of a small model of ``scenario`` (numba caches
    them on disk, where the server's process finds them), saying so on ``out``; returns
    whether it did. A browser trial (session 25) found every page frozen 22-24 s on the first
    year after installing, with no word anywhere; now the wait is at the server's start."""
    from ..experiments.engines import COMPILE_NOTICE, kernels_need_compiling
    from ..model import TerritoryModel

    if not kernels_need_compiling():
        return False
    print(f"{COMPILE_NOTICE}: before the pages open", file=out, flush=True)
    model = TerritoryModel(scenario.replace(households_scale=min(scenario.households_scale, WARM_UP_SCALE),
                                            steps=2, seed=1))
    model.step()
    model.step()
    model.release()
    print("compiled: the pages are served now", file=out, flush=True)
    return True


INTERRUPT_GRACE = 2.0
"""Seconds the server has to stop by itself after a Ctrl+C in its terminal (which reaches it too)."""
SHUTDOWN_WAIT = 15.0
"""Seconds the server has to shut down once interrupted, before it is killed."""


def stop_after_interrupt(proc: subprocess.Popen) -> int:
    """Stop the server process ``proc`` after this process was interrupted (SIGINT).

    A Ctrl+C in the terminal reaches both processes, and the server shuts down by itself. A
    SIGINT sent to this process alone (``kill -INT PID``) does not reach it: after
    ``INTERRUPT_GRACE`` seconds the server gets a SIGTERM (uvicorn shuts down gracefully on it,
    also when it is already shutting down after the terminal's Ctrl+C: only a second SIGINT
    forces it). A server still running ``SHUTDOWN_WAIT`` seconds later, or a second interrupt
    while waiting, kills it: nothing is left holding the port, and no traceback is printed."""
    try:
        try:
            proc.wait(timeout=INTERRUPT_GRACE)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=SHUTDOWN_WAIT)
    except (KeyboardInterrupt, subprocess.TimeoutExpired):
        proc.kill()
    while True:  # reap the server; further interrupts change nothing now
        try:
            proc.wait()
            return 0
        except KeyboardInterrupt:
            continue
