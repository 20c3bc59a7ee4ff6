"""The ASGI application the dashboard's server runs: Solara's, behind the per-client request
limit when the environment sets one (``territory-abm classroom`` does; see :mod:`.access`).

Run by uvicorn in the server process (``python -m uvicorn territory_abm.dashboard.asgi:app``,
Solara's documented way of serving an app), with ``SOLARA_APP`` naming the page module.
"""

from __future__ import annotations

import os

from solara.server.starlette import app as solara_app

from .access import RATE_VARIABLE, RateLimit, TokenBucket, parse_rate

app = solara_app
if os.environ.get(RATE_VARIABLE):
    rate, burst = parse_rate(os.environ[RATE_VARIABLE])
    app = RateLimit(solara_app, TokenBucket(rate, burst))
