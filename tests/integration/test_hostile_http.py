"""The server's HTTP edge against broken and hostile clients, over real sockets: a 405 says which
methods are allowed, malformed HTTP is one log line and the server goes on serving, login bodies
are small, compressed bodies never inflate past an endpoint's limit, too many unauthenticated
requests get 503 with Retry-After, and a client that leaves mid-reply is no error."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import logging
import socket
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from support import ALICE, ALICE_PIN, until

from panel.device.connection import device_token
from panel.server.app import RunningServer, start_server
from panel.server.demo_data import DEMO_USERS
from panel.server.http import LOGIN_BODY_BYTES, MAX_BODY_BYTES

API = "/api/v1"
ADMIN = {"Authorization": "Basic " + base64.b64encode(b"9000:9999").decode()}
assert ("9000", "Service Admin", "9999", "admin") in DEMO_USERS


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def device_auth(server: RunningServer) -> dict[str, str]:
    device_id, secret = server.store.register_device("Edge", "m")
    return {"Authorization": f"Bearer {device_token(device_id, secret)}"}


async def raw_exchange(server: RunningServer, data: bytes) -> bytes:
    """Send `data` on a fresh connection and read until the server closes it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(data)
        await writer.drain()
        async with asyncio.timeout(10):
            return await reader.read()
    finally:
        writer.close()
        await writer.wait_closed()


def bomb(inflated: int, encoding: str = "gzip") -> bytes:
    """A small body that inflates to `inflated` bytes of JSON-looking spaces."""
    if encoding == "gzip":
        return gzip.compress(b" " * inflated, compresslevel=9)
    return zlib.compress(b" " * inflated, 9)


# -- 405 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", f"{API}/health", {"GET"}),
        ("GET", f"{API}/sessions", {"POST"}),
        ("PATCH", f"{API}/jobs", {"GET", "POST"}),
        ("PUT", f"{API}/operator/login", {"POST"}),
    ],
)
async def test_a_405_says_which_methods_are_allowed(server, client, method, path, allowed):
    async with client.request(method, f"{server.url}{path}") as r:
        assert r.status == 405
        assert (await r.json())["error"] == "method_not_allowed"
        assert {m.strip() for m in r.headers["Allow"].split(",")} == allowed


# -- malformed HTTP ----------------------------------------------------------------------------
GOOD = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize(
    "request_bytes",
    [
        pytest.param(
            b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nBad\x01Name: y\r\n\r\n", id="header"
        ),
        pytest.param(b"GET /api/v1/health HTTP/1.1\r\nX: " + b"a" * 9000 + b"\r\n\r\n", id="long"),
        pytest.param(GOOD + b"G\x01T / HTTP/1.1\r\nHost: x\r\n\r\n", id="request-line"),
        pytest.param(
            GOOD + b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", id="length"
        ),
    ],
)
async def test_malformed_http_is_one_log_line_and_the_server_goes_on(
    server, client, caplog, request_bytes
):
    with caplog.at_level(logging.DEBUG, logger="panel.server.edge"):
        answer = await raw_exchange(server, request_bytes)
    assert answer.split(b" ", 2)[1] == b"400" or b"\r\n\r\nHTTP/1.1 400" in answer
    records = [r for r in caplog.records if r.name == "panel.server.edge"]
    assert records, "the malformed request is logged"
    for record in records:
        assert record.exc_info is None  # no traceback
        assert record.exc_text is None
        assert "\n" not in record.getMessage()
        assert record.levelno <= logging.WARNING
        assert "malformed HTTP" in record.getMessage()
    async with client.get(f"{server.url}{API}/health") as r:
        assert r.status == 200


# -- bodies: small at login, never inflated past a limit ---------------------------------------
async def test_a_login_body_over_a_few_kb_is_refused_before_it_is_read(server, client, device_auth):
    body = json.dumps({"user_id": ALICE, "pin": "1" * (2 * LOGIN_BODY_BYTES)})
    async with client.post(f"{server.url}{API}/sessions", data=body, headers=device_auth) as r:
        assert r.status == 413
        reply = await r.json()
    assert reply["error"] == "too_large"
    assert f"at most {LOGIN_BODY_BYTES} bytes" in reply["message"]


async def test_a_login_body_without_a_length_is_cut_at_the_limit(server, device_auth):
    """Chunked (no Content-Length): refused while reading, as soon as it passes the limit."""

    async def endless() -> AsyncIterator[bytes]:
        yield b'{"user_id": "1001", "pin": "'
        for _ in range(1000):
            yield b"1" * 1024

    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{server.url}{API}/sessions", data=endless(), headers=device_auth) as r,
    ):
        assert r.status == 413
        assert (await r.json())["error"] == "too_large"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_a_small_compressed_login_is_read(server, client, device_auth, encoding):
    raw = json.dumps({"user_id": ALICE, "pin": ALICE_PIN}).encode()
    body = gzip.compress(raw) if encoding == "gzip" else zlib.compress(raw)
    headers = {**device_auth, "Content-Encoding": encoding}
    async with client.post(f"{server.url}{API}/sessions", data=body, headers=headers) as r:
        assert r.status == 200, await r.text()
        assert (await r.json())["user"]["user_id"] == ALICE


@pytest.mark.parametrize(
    ("path", "auth"),
    [(f"{API}/operator/login", None), (f"{API}/sessions", "device"), (f"{API}/devices", "admin")],
)
async def test_a_compression_bomb_at_login_is_refused_at_the_small_limit(
    server, client, device_auth, path, auth
):
    headers = {"Content-Encoding": "gzip", **(device_auth if auth == "device" else {})}
    if auth == "admin":
        headers.update(ADMIN)
    async with client.post(f"{server.url}{path}", data=bomb(64 << 20), headers=headers) as r:
        assert r.status == 413
        reply = await r.json()
    assert reply["error"] == "too_large"
    assert f"at most {LOGIN_BODY_BYTES} bytes" in reply["message"]


async def test_a_bomb_from_an_authenticated_device_stops_at_the_endpoints_limit(
    server, client, device_auth
):
    """A device's outbox takes up to 48 MiB: a bomb of 128 MiB stops there, not at its end."""
    headers = {**device_auth, "Content-Encoding": "gzip"}
    body = bomb(128 << 20)
    async with client.post(f"{server.url}{API}/outbox", data=body, headers=headers) as r:
        assert r.status == 413
        assert f"at most {MAX_BODY_BYTES} bytes" in (await r.json())["message"]


@pytest.mark.parametrize(
    ("encoding", "body", "status", "code"),
    [
        ("br", b"\x0b\x02\x80{}\x03", 415, "unsupported_encoding"),
        ("gzip, gzip", gzip.compress(gzip.compress(b"{}")), 415, "unsupported_encoding"),
        ("gzip", b"not gzip at all", 400, "bad_encoding"),
        ("gzip", gzip.compress(b'{"user_id": "1001", "pin": "1234"}')[:-12], 400, "bad_encoding"),
        ("gzip", gzip.compress(b"{}") + b"trailing", 400, "bad_encoding"),
    ],
)
async def test_a_body_in_an_unread_or_broken_encoding_is_a_clear_refusal(
    server, client, device_auth, encoding, body, status, code
):
    headers = {**device_auth, "Content-Encoding": encoding}
    async with client.post(f"{server.url}{API}/sessions", data=body, headers=headers) as r:
        assert r.status == status
        assert (await r.json())["error"] == code


# -- the cap on unauthenticated requests -------------------------------------------------------
@pytest.fixture
async def small_gate_server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    """A server that lets 2 requests at once wait before authentication."""
    srv = await start_server(tmp_path / "gate", preauth_limit=2)
    for user_id, name, pin, role in DEMO_USERS:
        srv.store.add_user(user_id, name, pin, role)
    yield srv
    await srv.stop()


async def test_too_many_unauthenticated_requests_get_503_with_retry_after(small_gate_server):
    server = small_gate_server
    device_id, secret = server.store.register_device("Edge", "m")
    device = {"Authorization": f"Bearer {device_token(device_id, secret)}"}
    # Two operator logins whose bodies never finish: each holds a place while it waits.
    held = []
    for _ in range(2):
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(
            b"POST /api/v1/operator/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 60\r\n\r\n{"operator_id": '
        )
        await writer.drain()
        held.append((reader, writer))
    try:
        await until(lambda: server.gate.waiting == 2, what="two requests waiting")
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{server.url}{API}/health") as r:
                assert r.status == 503
                assert r.headers["Retry-After"] == "2"
                assert (await r.json())["error"] == "busy"
            async with session.get(f"{server.url}{API}/jobs", headers=ADMIN) as r:
                assert r.status == 503  # a PIN check would wait: refused at the door
            # A device's token is checked at once: it is served even now.
            async with session.get(f"{server.url}{API}/cache", headers=device) as r:
                assert r.status == 200
            # A bearer that is not a device's is refused (401), never left to wait.
            bogus = {"Authorization": "Bearer nobody.secret"}
            async with session.get(f"{server.url}{API}/cache", headers=bogus) as r:
                assert r.status == 401
            # An unknown bearer on the unauthenticated login cannot wait for its body.
            async with session.post(
                f"{server.url}{API}/operator/login", json={}, headers=bogus
            ) as r:
                assert r.status == 503
        assert server.gate.refused == 2  # at the door; the third waited for nothing
    finally:
        for _, writer in held:
            writer.close()
            await writer.wait_closed()
    await until(lambda: server.gate.waiting == 0, what="the places given back")
    async with aiohttp.ClientSession() as session, session.get(f"{server.url}{API}/health") as r:
        assert r.status == 200


async def test_an_authenticated_websocket_holds_no_place(small_gate_server):
    server = small_gate_server
    device_id, secret = server.store.register_device("Edge", "m")
    device = {"Authorization": f"Bearer {device_token(device_id, secret)}"}
    async with aiohttp.ClientSession() as session:
        sockets = [await session.ws_connect(f"{server.url}{API}/push", headers=device)]
        sockets.append(await session.ws_connect(f"{server.url}{API}/push", headers=device))
        sockets.append(await session.ws_connect(f"{server.url}{API}/push", headers=device))
        assert server.gate.waiting == 0
        async with session.get(f"{server.url}{API}/health") as r:
            assert r.status == 200
        for ws in sockets:
            await ws.close()


# -- a client that leaves mid-reply ------------------------------------------------------------
def _reset_on_close(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0), as a client that crashed or timed out does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


@pytest.mark.parametrize("path", [f"{API}/push", "/api/openapi.json", f"{API}/cache"])
async def test_a_client_that_leaves_mid_reply_is_no_error(server, device_auth, path):
    """The autouse cleanup check fails this test on any ERROR record (no expect_errors)."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: x\r\n{next(iter(device_auth))}: "
        f"{device_auth['Authorization']}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    ).encode()
    for _ in range(20):
        _, writer = await asyncio.open_connection("127.0.0.1", server.port)
        _reset_on_close(writer.get_extra_info("socket"))
        writer.write(request)
        writer.close()
        await writer.wait_closed()
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{server.url}{API}/health") as r,
        ):
            assert r.status == 200  # served, then the next reset
