"""Classroom network mode (issue 17, item 6) without a browser: a group joins only with the
join code, the trainer's token is distinct and never a join code, each client's requests are
limited (the token bucket and the ASGI middleware), loopback stays the default and the printed
address is a real one."""

import asyncio

import pytest

from territory_abm.cli import build_parser
from territory_abm.dashboard import access
from territory_abm.dashboard.access import RateLimit, TokenBucket, is_trainer, join_error, new_join_code
from territory_abm.dashboard.app import join_address, page_error
from territory_abm.dashboard.server import CLASSROOM_PORT, public_address, qr_text


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def code(monkeypatch):
    """The server's join code, as ``territory-abm classroom`` sets it."""
    code = new_join_code()
    monkeypatch.setenv(access.JOIN_CODE_VARIABLE, code)
    return code


def test_without_the_join_code_a_group_cannot_join(code):
    assert page_error("group=Los%20Robles") != ""  # no code
    wrong = "AAAAAA" if code != "AAAAAA" else "BBBBBB"
    assert "wrong join code" in page_error(f"group=Los%20Robles&code={wrong}")
    assert page_error("group=Los%20Robles&code=") != ""


def test_with_the_join_code_a_group_joins(code):
    assert page_error(f"group=Los%20Robles&code={code}") == ""
    assert page_error(f"group=Los%20Robles&code={code.lower()[:3]}%20{code.lower()[3:]}") == ""  # as typed
    assert page_error(join_address("/", "Los Robles", code).split("?", 1)[1]) == ""  # the join form's address


def test_without_a_join_code_set_the_loopback_dashboard_needs_none(monkeypatch):
    monkeypatch.delenv(access.JOIN_CODE_VARIABLE, raising=False)
    assert page_error("group=Los%20Robles") == ""
    assert page_error("") == "-"  # no group yet: the join form


def test_join_codes_are_six_unambiguous_characters_and_differ():
    codes = {new_join_code() for _ in range(50)}
    assert len(codes) > 45
    assert all(len(c) == 6 and set(c) <= set(access.CODE_ALPHABET) for c in codes)
    assert not set("01OIL") & set(access.CODE_ALPHABET)


def test_the_trainer_token_is_distinct_and_is_not_a_join_code(code, monkeypatch):
    token = access.new_trainer_token()
    monkeypatch.setenv(access.TRAINER_TOKEN_VARIABLE, token)
    assert token != code and len(token) >= 20
    assert is_trainer(token) and not is_trainer(code) and not is_trainer("") and not is_trainer(None)
    assert join_error(token) != ""  # the trainer's token does not let a group in either
    assert not is_trainer(token, expected="")  # no token set: nobody is the trainer


def test_the_bucket_rejects_a_burst_beyond_the_limit_and_refills():
    clock = Clock()
    bucket = TokenBucket(rate=4.0, burst=10, clock=clock)
    assert [bucket.allow("10.0.0.5") for _ in range(12)] == [True] * 10 + [False] * 2
    assert bucket.allow("10.0.0.6")  # another computer has its own
    clock.now += 0.5  # two requests' worth at 4/s
    assert [bucket.allow("10.0.0.5") for _ in range(3)] == [True, True, False]
    clock.now += 3600
    assert sum(bucket.allow("10.0.0.5") for _ in range(20)) == 10  # never more than the burst


def test_the_bucket_forgets_the_least_recent_clients_beyond_its_bound():
    bucket = TokenBucket(rate=1.0, burst=1, clock=Clock(), max_clients=3)
    for client in "abcd":
        assert bucket.allow(client)
    assert bucket.allow("a")  # forgotten, so a new full bucket
    assert not bucket.allow("d")


def _http(client: str) -> dict:
    return {"type": "http", "method": "GET", "path": "/", "headers": [], "client": (client, 5000)}


def test_the_middleware_answers_429_beyond_the_limit_and_passes_the_rest():
    served = []

    async def app(scope, receive, send):
        served.append(scope["client"][0])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    limited = RateLimit(app, TokenBucket(rate=1.0, burst=5, clock=Clock()))

    async def get(client):
        sent = []

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b""}

        await limited(_http(client), receive, send)
        return sent[0]["status"]

    async def burst():
        return [await get("10.0.0.7") for _ in range(8)] + [await get("10.0.0.8")]

    assert asyncio.run(burst()) == [200] * 5 + [429] * 3 + [200]
    assert served == ["10.0.0.7"] * 5 + ["10.0.0.8"]


def test_the_middleware_closes_a_websocket_flooding_messages():
    seen = []

    async def app(scope, receive, send):
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            seen.append(message["type"])

    limited = RateLimit(app, TokenBucket(rate=1.0, burst=4, clock=Clock()))
    incoming = [{"type": "websocket.connect"}] + [{"type": "websocket.receive", "text": "step"}] * 10
    sent = []

    async def receive():
        return incoming.pop(0)

    async def send(message):
        sent.append(message)

    scope = {"type": "websocket", "path": "/jupyter/api/kernels", "headers": [], "client": ("10.0.0.9", 1)}
    asyncio.run(limited(scope, receive, send))
    # the connection took one token; three messages got through, then the socket was closed
    assert seen == ["websocket.connect"] + ["websocket.receive"] * 3
    assert sent == [{"type": "websocket.close", "code": 1008, "reason": "too many requests"}]


def test_loopback_stays_the_default_and_the_classroom_port_is_fixed():
    parser = build_parser()
    for command in ("dashboard", "classroom"):
        assert parser.parse_args([command]).host == "127.0.0.1"
    assert CLASSROOM_PORT == 8765 and parser.parse_args(["classroom"]).port is None  # serve() uses 8765


def test_the_printed_address_is_a_real_one_when_listening_on_every_address():
    assert public_address("192.168.1.20") == "192.168.1.20"
    address = public_address("0.0.0.0")
    assert address != "0.0.0.0" and address.count(".") == 3


def test_the_qr_code_is_printed_as_text():
    text = qr_text("http://192.168.1.20:8765/?code=K7P2QX")
    lines = text.strip("\n").splitlines()
    assert len(lines) > 10 and len(set(map(len, lines))) == 1  # a square block of characters
    assert set(text) <= set("█▀▄ \n")


def test_the_server_says_when_its_pages_open():
    """A browser trial (session 27): the addresses were printed 5-9 s before the server answered,
    and a console opened at once showed the browser's "connection refused". The command now says
    "ready" once the port answers, and not at all if the server ends first."""
    import io
    import socket
    import subprocess
    import sys

    from territory_abm.dashboard.server import say_when_ready

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    waiting = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        out = io.StringIO()
        assert not say_when_ready(waiting, "127.0.0.1", port, out, timeout=0.5)  # nothing answers yet
        assert out.getvalue() == ""
        listener.listen()
        assert say_when_ready(waiting, "0.0.0.0", port, out, timeout=10)  # every address: asked on loopback
        assert out.getvalue() == "ready: the pages open now\n"
    finally:
        waiting.kill()
        waiting.wait()
        listener.close()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    out = io.StringIO()
    assert not say_when_ready(ended, "127.0.0.1", port, out, timeout=10) and out.getvalue() == ""
