"""Who may use a classroom server: a join code for the groups, a trainer's token, and a limit
on each client's requests.

``territory-abm classroom`` makes a join code (6 characters, printed for the trainer and put in
the QR link) and a separate trainer's token, and passes them to the server process in the
environment. A group joins only with the code (:func:`join_error`); the token is for the
trainer's console (:func:`is_trainer`), never accepted as a join code. Every client (IP
address) has a token bucket of requests (:class:`TokenBucket`): page loads, files and the
messages its pages send over their websocket all take from it, so one client cannot flood the
server that every group shares (:class:`RateLimit`, an ASGI middleware).
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

JOIN_CODE_VARIABLE = "TERRITORY_ABM_JOIN_CODE"
TRAINER_TOKEN_VARIABLE = "TERRITORY_ABM_TRAINER_TOKEN"
RATE_VARIABLE = "TERRITORY_ABM_RATE_LIMIT"
GAME_VARIABLE = "TERRITORY_ABM_GAME"
"""Environment of the server process: the join code, the trainer's token, "RATE,BURST", and
"1" for the shared-territory game."""

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Letters and digits of a join code, without look-alikes (0/O, 1/I/L)."""
CODE_LENGTH = 6


def new_join_code() -> str:
    """A random join code of :data:`CODE_LENGTH` characters (about 30 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_trainer_token() -> str:
    """A random trainer's token (128 bits, URL-safe), never equal to a join code."""
    return secrets.token_urlsafe(16)


def join_code() -> str:
    """The server's join code ("" when none is required: ``territory-abm dashboard`` on loopback)."""
    return os.environ.get(JOIN_CODE_VARIABLE, "")


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def join_error(given: str | None, expected: str | None = None) -> str:
    """Why a group may not join with code ``given`` ("" if it may).

    ``expected`` is the server's code (default :func:`join_code`); spaces and case of
    ``given`` are ignored, as a code is read out loud or typed from a board."""
    expected = join_code() if expected is None else expected
    if not expected:
        return ""
    given = "".join((given or "").split()).upper()
    if not given:
        return "the join code is required (ask the trainer) / se necesita el código (pídanlo al capacitador)"
    if not _same(given, expected):
        return "wrong join code / código equivocado"
    return ""


def is_trainer(token: str | None, expected: str | None = None) -> bool:
    """Whether ``token`` is the server's trainer's token (never true without one)."""
    expected = os.environ.get(TRAINER_TOKEN_VARIABLE, "") if expected is None else expected
    return bool(expected) and bool(token) and _same(token, expected)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBucket:
    """Requests allowed per client: up to ``burst`` at once, refilled at ``rate`` per second.

    Parameters
    ----------
    rate : float
        Requests per second a client may keep up (1/s).
    burst : float
        Requests a client may make at once after a pause.
    clock : callable
        Time source in seconds (monotonic by default; tests pass their own).
    max_clients : int
        Clients remembered at once; the least recently seen is forgotten beyond it.
    """

    def __init__(self, rate: float, burst: float, *, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = 10_000):
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate, self.burst, self.clock, self.max_clients = float(rate), float(burst), clock, max_clients
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, cost: float = 1.0) -> bool:
        """Take ``cost`` requests from ``client``'s bucket; False (nothing taken) if it has fewer."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.pop(client, None) or _Bucket(self.burst, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            self._buckets[client] = bucket  # most recently seen last
            if len(self._buckets) > self.max_clients:
                del self._buckets[next(iter(self._buckets))]
            if bucket.tokens < cost:
                return False
            bucket.tokens -= cost
            return True


def parse_rate(text: str) -> tuple[float, float]:
    """(rate, burst) from "RATE,BURST" (the server's environment)."""
    rate, burst = (float(x) for x in text.split(","))
    return rate, burst


class RateLimit:
    """ASGI middleware: each client's HTTP requests and websocket messages take from its bucket.

    An HTTP request beyond the limit is answered 429 (Too Many Requests); a websocket whose
    client goes beyond it is closed (code 1008; the page reconnects when its client slows
    down), so its messages never reach the group's model.
    """

    def __init__(self, app, bucket: TokenBucket):
        self.app, self.bucket = app, bucket

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("unknown", 0))[0]
        if scope["type"] == "http":
            if not self.bucket.allow(client):
                return await _too_many(send)
            return await self.app(scope, receive, send)
        if not self.bucket.allow(client):  # refuse the connection itself
            await receive()  # websocket.connect
            return await send({"type": "websocket.close", "code": 1008})
        closed = False

        async def limited_receive():
            nonlocal closed
            message = await receive()
            if message["type"] == "websocket.receive" and not self.bucket.allow(client):
                if not closed:
                    closed = True
                    await send({"type": "websocket.close", "code": 1008, "reason": "too many requests"})
                return {"type": "websocket.disconnect", "code": 1008}
            return message

        return await self.app(scope, limited_receive, send)


async def _too_many(send) -> None:
    body = b"too many requests from this computer: wait a few seconds\n"
    await send({"type": "http.response.start", "status": 429,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"5"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
