"""The server's push endpoint over real sockets: devices that vanish mid-send, hostile frames,
the frames traced, and a panel login that outlives its push connection for a grace period."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os

import aiohttp
import pytest
from support import ALICE, ALICE_PIN, submit, until

from panel.protocol import decode_frame, encode_frame
from panel.protocol.messages import Ack, ErrorFrame, Hello, JobNotify, Welcome
from panel.server.api import trace_key
from panel.server.demo_data import sample_pdf
from panel.server.store import LOGIN_GRACE_S

PUSH = "/api/v1/push"


@pytest.fixture
async def client():
    async with aiohttp.ClientSession() as session:
        yield session


def register(server, name: str = "Push MFP") -> tuple[str, dict[str, str]]:
    device_id, secret = server.store.register_device(name, "MFP-Emu 1")
    return device_id, {"Authorization": f"Bearer {device_id}.{secret}"}


def basic(user_id: str, pin: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user_id}:{pin}".encode()).decode()}


def traced(server, concern: str, event: str, **match: object) -> list[dict]:
    trace = server.app[trace_key]
    trace.flush()  # lines emitted in this loop iteration are written at its end
    lines = trace.path.read_text().splitlines()
    found = [json.loads(ln) for ln in lines if f'"concern":"{concern}"' in ln]
    return [
        t for t in found if t["event"] == event and all(t.get(k) == v for k, v in match.items())
    ]


async def next_frame(ws) -> object:
    msg = await asyncio.wait_for(ws.receive(), 5)
    assert msg.type is aiohttp.WSMsgType.TEXT, msg
    return decode_frame(msg.data)


async def connect(client, server, headers, last_seq: int = 0):
    ws = await client.ws_connect(server.url + PUSH, headers=headers)
    await ws.send_str(encode_frame(Hello(last_seq=last_seq)))
    assert isinstance(await next_frame(ws), Welcome)
    return ws


async def connect_as(client, server, headers, user_id: str):
    """A device coming back with `user_id` logged in at its panel; the welcome is unread."""
    ws = await client.ws_connect(server.url + PUSH, headers=headers)
    await ws.send_str(encode_frame(Hello(last_seq=0, user_id=user_id)))
    return ws


def _masked_text_frame(text: str) -> bytes:
    """One client-to-server WebSocket text frame (RFC 6455: clients mask their frames)."""
    payload = text.encode()
    assert len(payload) < 126
    mask = os.urandom(4)
    return (
        bytes([0x81, 0x80 | len(payload)])
        + mask
        + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    )


async def hello_and_vanish(server, headers: dict[str, str]) -> None:
    """A device that upgrades, says hello and closes its TCP connection at once."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {PUSH} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Authorization: {headers['Authorization']}\r\n\r\n"
    )
    writer.write(request.encode())
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 101"), head
    writer.write(_masked_text_frame(encode_frame(Hello(last_seq=0))))
    writer.close()
    await writer.wait_closed()


async def test_a_device_that_vanishes_during_the_welcome_is_no_server_error(server, caplog):
    caplog.set_level(logging.INFO)
    device_id, headers = register(server)
    for n in range(3):  # replays to send after the welcome, too
        await submit(server, ALICE, f"waiting {n}", device_id=device_id)
    for _ in range(5):
        await hello_and_vanish(server, headers)
    await until(
        lambda: len(traced(server, "push", "disconnected", device=device_id)) == 5,
        what="five disconnections",
    )
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
    assert "unhandled error" not in caplog.text
    assert not [t for t in traced(server, "http", "exchange") if t["status"] >= 500]


@pytest.mark.expect_errors(logger="panel.server.errors", match="bug in ack")
async def test_a_server_bug_after_the_upgrade_closes_the_socket_not_an_http_reply(
    server, client, caplog, monkeypatch
):
    _, headers = register(server)
    ws = await connect(client, server, headers)

    def broken_ack(acks: list[tuple[str, int]]) -> None:
        raise RuntimeError("bug in ack")

    monkeypatch.setattr(server.store, "ack_many", broken_ack)
    await ws.send_str(encode_frame(Ack(seq=1)))
    closing = await asyncio.wait_for(ws.receive(), 5)
    assert closing.type is aiohttp.WSMsgType.CLOSE
    assert ws.close_code == aiohttp.WSCloseCode.INTERNAL_ERROR
    await ws.close()
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.getMessage() == "error on the WebSocket of /api/v1/push"
    assert "bug in ack" in caplog.text
    assert "unhandled error" not in caplog.text


async def test_a_deeply_nested_frame_is_malformed_and_the_socket_lives_on(server, client, caplog):
    device_id, headers = register(server)
    ws = await connect(client, server, headers)
    try:
        await ws.send_str("[" * 60_000)
        error = await next_frame(ws)
        assert isinstance(error, ErrorFrame)
        assert error.code == "malformed"
        assert "nested too deeply" in error.message
        job = await submit(server, ALICE, "after the bad frame", device_id=device_id)
        notify = await next_frame(ws)
        assert isinstance(notify, JobNotify)
        assert notify.job_id == job.job_id
    finally:
        await ws.close()
    assert "unhandled error" not in caplog.text


async def test_hello_and_ack_are_traced(server, client):
    device_id, headers = register(server)
    ws = await connect(client, server, headers, last_seq=0)
    try:
        (hello,) = traced(server, "push", "hello", device=device_id)
        assert hello["last_seq"] == 0
        await submit(server, ALICE, "to ack", device_id=device_id)
        notify = await next_frame(ws)
        assert isinstance(notify, JobNotify)
        await ws.send_str(encode_frame(Ack(seq=notify.seq)))
        await until(lambda: traced(server, "push", "ack", device=device_id), what="ack traced")
        (ack,) = traced(server, "push", "ack", device=device_id)
        assert ack["seq"] == notify.seq == 1
    finally:
        await ws.close()


async def test_a_hello_acknowledges_what_the_device_says_it_stored(server, client):
    """An ack lost with its connection is not left unacknowledged forever: the next hello
    carries the last sequence the device stored, and that acknowledges everything up to it
    (a stale unacknowledged notice would look like work still waiting for the device)."""
    device_id, headers = register(server)
    ws = await connect(client, server, headers, last_seq=0)
    try:
        await submit(server, ALICE, "ack lost", device_id=device_id)
        notify = await next_frame(ws)
        assert isinstance(notify, JobNotify)
    finally:
        await ws.close()  # stored on the device, but the ack never left
    assert server.store.first_unacked(device_id) is not None
    again = await connect(client, server, headers, last_seq=notify.seq)
    try:
        assert server.store.first_unacked(device_id) is None
        with pytest.raises(asyncio.TimeoutError):  # and nothing is replayed
            await asyncio.wait_for(again.receive(), 0.3)
    finally:
        await again.close()


async def login_at(client, server, headers) -> None:
    body = json.dumps({"user_id": ALICE, "pin": ALICE_PIN})
    async with client.post(server.url + "/api/v1/sessions", data=body, headers=headers) as r:
        assert r.status == 200, await r.text()


async def submit_as_alice(client, server) -> dict:
    doc = base64.b64encode(sample_pdf(1, "after")).decode()
    body = json.dumps({"user_id": ALICE, "title": "after", "document_b64": doc})
    async with client.post(
        server.url + "/api/v1/jobs", data=body, headers=basic(ALICE, ALICE_PIN)
    ) as r:
        assert r.status == 201, await r.text()
        return await r.json()


async def test_a_login_outlives_its_push_socket_for_the_grace_period_only(server, client):
    device_id, headers = register(server)
    ws = await connect(client, server, headers)
    await login_at(client, server, headers)
    assert server.store.device_of_user(ALICE) == device_id
    await ws.close()
    await until(lambda: traced(server, "push", "disconnected", device=device_id), what="closed")
    # Away (a network switch, a dead link): the login is kept, and a job goes to that device.
    (away,) = traced(server, "auth", "away", device=device_id)
    assert (away["user_id"], away["grace_s"]) == (ALICE, LOGIN_GRACE_S)
    kept = await submit_as_alice(client, server)
    assert (kept["state"], kept["device_id"]) == ("notified", device_id)

    # The grace period runs out with the device still away: the login is over, jobs are held.
    real_clock = server.store.clock
    server.store.clock = lambda: real_clock() + LOGIN_GRACE_S + 1
    assert server.store.device_of_user(ALICE) is None
    job = await submit_as_alice(client, server)
    assert (job["state"], job["device_id"]) == ("held", None)
    assert [n.job_id for n in server.store.notifications_after(device_id, 0)] == [kept["job_id"]]

    # The device comes back naming Alice: the welcome says her login ended, and why.
    again = await connect_as(client, server, headers, ALICE)
    try:
        welcome = await next_frame(again)
        assert isinstance(welcome, Welcome)
        assert welcome.login_ended is not None
        assert (welcome.login_ended.user_id, welcome.login_ended.reason) == (ALICE, "offline")
        assert "offline for more than 2 minutes" in welcome.login_ended.message
        (ended,) = traced(server, "auth", "ended", device=device_id)
        assert (ended["user_id"], ended["reason"]) == (ALICE, "offline")
        (told,) = traced(server, "auth", "told-ended", device=device_id)
        assert told["reason"] == "offline"
    finally:
        await again.close()


async def test_a_hello_naming_the_logged_in_user_takes_the_login_back(server, client):
    device_id, headers = register(server)
    ws = await connect(client, server, headers)
    await login_at(client, server, headers)
    await ws.close()
    await until(lambda: traced(server, "push", "disconnected", device=device_id), what="closed")
    again = await connect_as(client, server, headers, ALICE)
    try:
        welcome = await next_frame(again)
        assert isinstance(welcome, Welcome)
        assert welcome.login_ended is None
        assert traced(server, "auth", "resumed", device=device_id) != []
        # Back for good: a grace period that would have run out meanwhile changes nothing.
        real_clock = server.store.clock
        server.store.clock = lambda: real_clock() + LOGIN_GRACE_S + 1
        assert server.store.device_of_user(ALICE) == device_id
    finally:
        await again.close()


async def test_a_new_hello_ends_a_login_made_before_it(server, client):
    device_id, headers = register(server)
    first = await connect(client, server, headers)
    await login_at(client, server, headers)
    second = await connect(client, server, headers)  # the device came back: a new panel session
    try:
        assert server.store.device_of_user(ALICE) is None
        await login_at(client, server, headers)
        await first.receive()  # replaced: closed by the server
        assert first.closed
        assert server.store.device_of_user(ALICE) == device_id  # the old socket's end: no effect
    finally:
        await first.close()
        await second.close()


@pytest.mark.realtime
async def test_the_server_ends_a_login_when_its_device_stays_away_past_the_grace_period(
    server, client
):
    """Real time is the point: the server's own timer ends the login (a shortened grace)."""
    server.store.login_grace_s = 0.2
    device_id, headers = register(server)
    ws = await connect(client, server, headers)
    await login_at(client, server, headers)
    await ws.close()
    await until(lambda: traced(server, "auth", "ended", device=device_id), what="the login ended")
    (ended,) = traced(server, "auth", "ended", device=device_id)
    assert (ended["user_id"], ended["reason"]) == (ALICE, "offline")
    assert server.store.device_of_user(ALICE) is None
