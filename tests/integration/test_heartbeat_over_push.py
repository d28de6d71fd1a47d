"""A device's own session heartbeat (S5) on its push socket (issue 12), over real sockets: a real
server, real devices whose timers run on a ManualClock the test steps (tests/support/networks.py).

5,000 devices beating every minute over HTTP were a third of the server's requests, each on a
new connection; every awake device already holds a push socket to the same server. The beat
goes there when the socket's welcome offers it, with the same semantics (the lease, the mode,
the refusals), and over HTTP when there is no such socket or it gives no answer in time.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from support import StartedDevices, trace_matching, until
from support.networks import settle, traced

from panel.device import ConnectionState, Device
from panel.device.clock import ManualClock, run_until_idle
from panel.device.power import PowerSettings
from panel.protocol import decode_frame, encode_frame
from panel.protocol.messages import ErrorFrame, Hello, SessionLease, Welcome
from panel.server import push as server_push
from panel.server.api import hub_key, trace_key
from panel.server.app import RunningServer
from panel.server.sessions import LEASE_FACTOR

BEAT_S = 60.0  # PowerSettings.heartbeat_s
CALL_S = 5.0  # a REST call's time-out (ServerLink's), the socket's answer's too
HEARTBEAT_PATH = "/api/v1/power/heartbeat"

MakeDevice = Callable[..., Awaitable[Device]]


@pytest.fixture
async def device_on(
    server: RunningServer, clock: ManualClock, tmp_path: Path
) -> AsyncIterator[MakeDevice]:
    """Devices on the test's ManualClock; the server judges leases on it too."""
    server.store.clock = clock.time
    started = StartedDevices(server, tmp_path)

    async def factory(power: PowerSettings | None = None) -> Device:
        config = started.config()
        if power is not None:
            config = replace(config, power=power)
        return await started.start(config, clock)

    yield factory
    await started.stop_all()


def server_traced(server: RunningServer, concern: str, event: str, **match: Any) -> list[dict]:
    return trace_matching(server.app[trace_key], concern, event, **match)


def http_beats(server: RunningServer) -> list[dict]:
    """`POST /power/heartbeat` requests that reached the server."""
    return server_traced(server, "http", "exchange", method="POST", path=HEARTBEAT_PATH)


def socket_beats(server: RunningServer) -> list[dict]:
    return server_traced(server, "push", "exchange", type="session.heartbeat")


def beats(device: Device, via: str) -> list[dict]:
    return [b for b in traced(device, "keepalive", "heartbeat") if b["via"] == via]


async def online(device: Device) -> None:
    await until(lambda: device.connection_state is ConnectionState.ONLINE, what="online")
    await settle(device)  # the first heartbeat (at start) is answered too


async def beat_at(server: RunningServer, device: Device, clock: ManualClock) -> None:
    """Step the clock to the device's next heartbeat; until the server has it."""
    await settle(device)
    clock.advance(BEAT_S)
    now = clock.time()

    def renewed() -> bool:
        session = server.store.device_session(device.device_id)
        return session is not None and session.last_heartbeat == now

    await until(renewed, what="the heartbeat")
    await settle(device)


async def test_an_awake_device_renews_its_lease_on_its_push_socket(server, clock, device_on):
    device = await device_on()
    await online(device)
    http_before = len(http_beats(server))
    assert http_before <= 1  # the beat at start may come before the welcome

    for n in range(1, 4):
        await beat_at(server, device, clock)
        info = server.sessions.info(device.device_id)
        assert (info.mode, info.alive, info.lapses) == ("active", True, 0)
        assert info.lease_until == clock.time() + BEAT_S * LEASE_FACTOR
        assert device.keepalive.lease_until == info.lease_until
        assert len(beats(device, "push")) == n

    assert len(http_beats(server)) == http_before  # no POST /power/heartbeat reached it
    on_socket = socket_beats(server)
    assert [b["status"] for b in on_socket] == [200, 200, 200]
    assert all(b["device"] == device.device_id for b in on_socket)
    # Traced as the HTTP endpoint's: by the same DeviceSessions.heartbeat.
    recorded = server_traced(server, "sessions", "heartbeat", device=device.device_id)
    assert len(recorded) == len(on_socket) + http_before
    assert server.app[hub_key].connected(device.device_id)


async def test_a_server_whose_welcome_does_not_offer_it_gets_the_beat_over_http(
    server, clock, device_on, monkeypatch
):
    """An older server: its welcome has no `heartbeats`; the device beats over HTTP as before."""

    def older_welcome(*args: Any, **fields: Any) -> Welcome:
        return Welcome(*args, **{**fields, "heartbeats": None})

    monkeypatch.setattr(server_push, "Welcome", older_welcome)
    device = await device_on()
    await online(device)
    http_before = len(http_beats(server))

    for n in range(1, 3):
        await beat_at(server, device, clock)
        assert server.sessions.info(device.device_id).lease_until == (
            clock.time() + BEAT_S * LEASE_FACTOR
        )
        assert len(http_beats(server)) == http_before + n
    assert socket_beats(server) == []
    assert beats(device, "push") == []


async def test_with_its_push_socket_closed_the_device_beats_over_http(server, clock, device_on):
    """The server sheds the device's socket, asking it to stay away ten minutes: the lease is
    renewed over HTTP meanwhile."""
    device = await device_on()
    await online(device)
    await beat_at(server, device, clock)
    assert len(beats(device, "push")) == 1
    http_before = len(http_beats(server))

    assert await server.app[hub_key].shed(device.device_id, 600)
    await until(lambda: traced(device, "push", "closed") != [], what="the socket closed")
    await beat_at(server, device, clock)
    assert not server.app[hub_key].connected(device.device_id)
    assert len(http_beats(server)) == http_before + 1
    assert len(beats(device, "http")) >= 1
    assert server.sessions.info(device.device_id).alive


@pytest.mark.expect_errors(logger="panel.server.push", match="session heartbeat of")
@pytest.mark.expect_errors(logger="panel.server.errors", match="unhandled error on POST")
async def test_a_heartbeat_the_server_fails_on_is_refused_on_the_socket_as_over_http(
    server, clock, device_on, monkeypatch
):
    """The store fails (a disk error): the socket's answer is HTTP's refusal (500 internal),
    for that frame only; the socket stays up and the next beat renews the lease."""
    device = await device_on()
    await online(device)
    record = server.store.record_heartbeat

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(server.store, "record_heartbeat", failing)
    await settle(device)
    http_before = len(http_beats(server))
    clock.advance(BEAT_S)
    await until(lambda: traced(device, "keepalive", "heartbeat-failed") != [], what="refused")
    await settle(device)
    (refused,) = traced(device, "keepalive", "heartbeat-failed")
    assert [b["status"] for b in socket_beats(server)] == [500]
    assert len(http_beats(server)) == http_before  # an answer: not sent again over HTTP

    # The same refusal as over HTTP, word for word (as the device words a ServerRefused).
    other, secret = server.store.register_device("Other", "MFP-Emu 1")
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            server.url + HEARTBEAT_PATH,
            json={"mode": "active", "interval_s": BEAT_S},
            headers={"Authorization": f"Bearer {other}.{secret}"},
        ) as resp,
    ):
        body = await resp.json()
        assert refused["error"] == f"{resp.status} {body['error']}: {body['message']}"
    assert refused["error"] == "500 internal: The server failed; the error has been logged."

    monkeypatch.setattr(server.store, "record_heartbeat", record)
    assert server.app[hub_key].connected(device.device_id)  # the socket stayed up
    await beat_at(server, device, clock)
    assert beats(device, "push") != []


async def test_a_heartbeat_beyond_the_protocols_bounds_is_refused_as_over_http(
    server, clock, device_on
):
    """A device set to beat twice a second (the protocol allows once a second at most): the
    frame could not carry it, so it goes over HTTP, whose refusal says why (400 bad_interval)."""
    device = await device_on(PowerSettings(heartbeat_s=0.5))
    await online(device)
    await settle(device)
    http_before = len(http_beats(server))
    clock.advance(0.5)
    await until(lambda: len(http_beats(server)) == http_before + 1, what="the beat over HTTP")
    await settle(device)
    failed = traced(device, "keepalive", "heartbeat-failed")
    assert failed != []
    assert failed[-1]["error"].startswith("400 bad_interval: HeartbeatRequest.interval_s")
    assert socket_beats(server) == []
    assert server_traced(server, "push", "malformed") == []


async def test_an_answer_that_never_comes_falls_back_to_http_within_the_budget(
    server, clock, device_on, monkeypatch
):
    """The server takes the frame but its answer is lost: after a REST call's time-out of
    device time (not before) the same beat goes over HTTP, and the lease is renewed."""
    device = await device_on()
    await online(device)
    hub = server.app[hub_key]
    taken: list[int] = []

    def lost(device_id: str, frame: Any) -> Any:
        taken.append(frame.id)
        return SessionLease(frame.id + 1000, device_id, "active", 0.0, 0.0)  # answers nobody

    monkeypatch.setattr(hub, "_answer_heartbeat", lost)
    http_before = len(http_beats(server))
    await settle(device)
    clock.advance(BEAT_S)
    sent_at = clock.time()
    await until(lambda: taken != [], what="the frame at the server")
    await until(lambda: traced(device, "push", "late-answer") != [], what="the wrong answer")
    clock.advance(CALL_S - 0.5)
    await run_until_idle()
    assert traced(device, "push", "unanswered") == []  # not before the budget is spent
    clock.advance(0.5)
    await until(lambda: len(http_beats(server)) == http_before + 1, what="the HTTP beat")
    await settle(device)
    (unanswered,) = traced(device, "push", "unanswered")
    assert unanswered["id"] == taken[0]
    session = server.store.device_session(device.device_id)
    assert session is not None
    assert session.last_heartbeat == sent_at + CALL_S
    assert device.keepalive.lease_until == session.lease_until
    assert beats(device, "http")[-1]["lease_until"] == session.lease_until


async def test_a_socket_that_closes_under_a_beat_sends_it_over_http_at_once(
    server, clock, device_on, monkeypatch
):
    """The server sheds the socket while the beat waits for its answer: the same beat goes
    over HTTP at once, not after the budget."""
    device = await device_on()
    await online(device)
    hub = server.app[hub_key]
    shedding: list[asyncio.Future[bool]] = []

    def shed_instead(device_id: str, frame: Any) -> Any:
        shedding.append(asyncio.ensure_future(hub.shed(device_id, 600)))
        return SessionLease(frame.id + 1000, device_id, "active", 0.0, 0.0)  # answers nobody

    monkeypatch.setattr(hub, "_answer_heartbeat", shed_instead)
    http_before = len(http_beats(server))
    await settle(device)
    clock.advance(BEAT_S)
    sent_at = clock.time()
    await until(lambda: len(http_beats(server)) == http_before + 1, what="the HTTP beat")
    assert await shedding[0]
    await settle(device)
    session = server.store.device_session(device.device_id)
    assert session is not None
    assert session.last_heartbeat == sent_at  # no device time passed
    assert traced(device, "push", "unanswered") == []
    assert beats(device, "http")[-1]["lease_until"] == session.lease_until


# ---- hostile heartbeat frames: a refusal like any malformed frame, never a failure -----------


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def beat_frame(**change: object) -> str:
    frame: dict[str, object] = {
        "v": 1,
        "type": "session.heartbeat",
        "id": 7,
        "mode": "active",
        "interval_s": 60,
    }
    return json.dumps({**frame, **change})


async def receive(ws: aiohttp.ClientWebSocketResponse) -> object:
    msg = await ws.receive(5)
    assert msg.type is aiohttp.WSMsgType.TEXT, msg
    return decode_frame(msg.data)


async def welcomed(client: aiohttp.ClientSession, server: RunningServer) -> Any:
    device_id, secret = server.store.register_device("Raw", "MFP-Emu 1")
    ws = await client.ws_connect(
        server.url + "/api/v1/push", headers={"Authorization": f"Bearer {device_id}.{secret}"}
    )
    await ws.send_str(encode_frame(Hello(last_seq=0)))
    welcome = await receive(ws)
    assert isinstance(welcome, Welcome)
    assert welcome.heartbeats is True
    return device_id, ws


HOSTILE = [
    ({"mode": "asleep"}, "bad_mode", "session.heartbeat.mode"),
    ({"mode": "a\ud800"}, "malformed", "session.heartbeat.mode"),
    ({"mode": 1}, "malformed", "session.heartbeat.mode"),
    ({"interval_s": 7200}, "bad_interval", "session.heartbeat.interval_s"),
    ({"interval_s": 0.5}, "bad_interval", "session.heartbeat.interval_s"),
    ({"interval_s": "60"}, "malformed", "session.heartbeat.interval_s"),
    ({"interval_s": 10**400}, "malformed", "session.heartbeat.interval_s"),
    ({"id": 0}, "malformed", "session.heartbeat.id"),
    ({"id": -1}, "malformed", "session.heartbeat.id"),
    ({"id": 2**31}, "malformed", "session.heartbeat.id"),
    ({"id": 2**64}, "malformed", "session.heartbeat.id"),
    ({"id": True}, "malformed", "session.heartbeat.id"),
    ({"id": None}, "malformed", "session.heartbeat.id"),
    ({"id": [7]}, "malformed", "session.heartbeat.id"),
]


async def test_hostile_heartbeat_frames_are_refused_and_the_socket_goes_on(server, client):
    device_id, ws = await welcomed(client, server)
    async with ws:
        for change, code, named in HOSTILE:
            await ws.send_str(beat_frame(**change))
            error = await receive(ws)
            assert isinstance(error, ErrorFrame), change
            assert (error.code, error.id) == (code, None), change
            assert named in error.message, change
        await ws.send_str(beat_frame(interval_s="NaN").replace('"NaN"', "NaN"))
        error = await receive(ws)
        assert isinstance(error, ErrorFrame)
        assert error.code == "malformed"
        await ws.send_str(json.dumps({"v": 1, "type": "session.heartbeat", "id": 8}))
        error = await receive(ws)
        assert isinstance(error, ErrorFrame)
        assert "session.heartbeat.mode is missing" in error.message
        assert server.store.device_session(device_id) is None  # nothing was recorded

        await ws.send_str(beat_frame(id=9))  # the socket is still the device's
        lease = await receive(ws)
        assert isinstance(lease, SessionLease)
        assert (lease.id, lease.device_id, lease.mode) == (9, device_id, "active")
        session = server.store.device_session(device_id)
        assert session is not None
        assert session.lease_until == lease.lease_until
    assert server_traced(server, "push", "exchange", status=500) == []


async def test_a_lease_frame_from_a_device_is_unexpected_and_answered_by_nothing(server, client):
    device_id, ws = await welcomed(client, server)
    async with ws:
        await ws.send_str(encode_frame(SessionLease(1, device_id, "active", 1e12, 0.0)))
        await ws.send_str(beat_frame(id=2))
        lease = await receive(ws)  # the first frame got no answer: this is the beat's
        assert isinstance(lease, SessionLease)
        assert lease.id == 2
        assert lease.lease_until < 1e12
    (unexpected,) = server_traced(server, "push", "unexpected", device=device_id)
    assert unexpected["type"] == "SessionLease"


async def test_a_heartbeat_frame_before_the_hello_gets_the_protocol_close(server, client):
    device_id, secret = server.store.register_device("Raw", "MFP-Emu 1")
    headers = {"Authorization": f"Bearer {device_id}.{secret}"}
    async with client.ws_connect(server.url + "/api/v1/push", headers=headers) as ws:
        await ws.send_str(beat_frame())
        error = await receive(ws)
        assert isinstance(error, ErrorFrame)
        assert error.code == "expected_hello"
        while not ws.closed:
            await ws.receive(5)
    assert ws.close_code == 4002
    assert server.store.device_session(device_id) is None


async def test_a_heartbeat_frame_of_another_version_gets_the_protocol_close(server, client):
    device_id, ws = await welcomed(client, server)
    async with ws:
        await ws.send_str(beat_frame(v=2))
        error = await receive(ws)
        assert isinstance(error, ErrorFrame)
        assert error.code == "unsupported_version"
        while not ws.closed:
            await ws.receive(5)
    assert ws.close_code == 4002
    assert server.store.device_session(device_id) is None
