"""Starting the dashboard server (Solara) for a scenario."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from ..data.territory import load_territory
from ..errors import InputError
from ..scenarios.loader import check_targets, load_scenario

DEFAULT_SCENARIO = Path("scenarios/classroom/poverty_and_transfers.toml")
KERNEL_CULL_TIMEOUT = "5m"
"""How long a closed browser page's session is kept (its widgets; groups' models live in
the group store, which frees them after its own idle time)."""


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve(scenario_path: Path | None, host: str = "127.0.0.1", port: int | None = None) -> int:
    """Check the scenario, then run the Solara server in the foreground until interrupted.

    Only ``host`` is listened on (127.0.0.1 unless the trainer asks otherwise). The scenario
    is a TOML file: it is read, never executed."""
    path = Path(scenario_path) if scenario_path is not None else DEFAULT_SCENARIO
    if scenario_path is None and not path.is_file():
        raise InputError("dashboard", "SCENARIO", f"a scenario file (the default {DEFAULT_SCENARIO} is not here; "
                         "run from the repository root or name a scenario)")
    scenario = load_scenario(path)
    check_targets(scenario, load_territory(scenario.territory))
    port = port or free_port(host)
    env = {**os.environ, "TERRITORY_ABM_SCENARIO": str(path.resolve()), "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
           "SOLARA_KERNEL_CULL_TIMEOUT": KERNEL_CULL_TIMEOUT}
    print(f"territory_abm dashboard for {scenario.name}: http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    command = [sys.executable, "-m", "solara", "run", "territory_abm.dashboard.app", "--host", host, "--port",
               str(port), "--production", "--no-open"]
    proc = subprocess.Popen(command, env=env)
    # a SIGTERM to this process stops the server too (no orphan left holding the port)
    previous = signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        return proc.wait()
    except KeyboardInterrupt:  # the server got the same Ctrl+C
        proc.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
