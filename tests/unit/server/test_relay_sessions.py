"""The relay's rules over real sockets: an operator reaches only the session assigned to them
and only while it lasts; every relay socket and call is authenticated; screens do not reach an
operator without consent, input does not reach the panel without consent to operate; a slow
operator gets the latest screen, not a backlog; every call is logged."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Awaitable

import aiohttp
import pytest
from support import ALICE, ALICE_PIN, running_server

from panel.protocol import encode_frame
from panel.protocol.maintenance import (
    CallAssigned,
    CallQueued,
    CallRequest,
    ConsentReport,
    EndSession,
    PanelState,
    RemoteInput,
    ScreenRect,
    ScreenUpdate,
    SessionEnded,
    SessionStarted,
    ViewFlow,
    ViewRefresh,
    decode_relay_frame,
    pack_screen,
)
from panel.protocol.messages import ErrorFrame, Frame
from panel.server.api import RELAY_ROUTES
from panel.server.relay.client import OperatorClient, RelayRefused

CALL = "/api/v1/maintenance/call"
SCREEN = PanelState(screen="home", width=320, height=200)
PNG = b"\x89PNG\r\n\x1a\n"


def screen(seq: int, shade: int) -> bytes:
    """A whole-screen update; the relay checks images' signatures, not their pixels."""
    rect = ScreenRect("png", 0, 0, 320, 200, PNG + bytes([shade]) * 16)
    return pack_screen(ScreenUpdate(seq, 320, 200, (rect,)))


def basic(user_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user_id}:{secret}".encode()).decode()}


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def ann(server) -> AsyncIterator[OperatorClient]:
    server.store.add_operator("op1", "Ann", "op1-password")
    async with OperatorClient(server.url) as op:
        await op.login("op1", "op1-password")
        await op.set_presence("available")
        yield op


@pytest.fixture
async def ben(server) -> AsyncIterator[OperatorClient]:
    server.store.add_operator("op2", "Ben", "op2-password")
    async with OperatorClient(server.url) as op:
        await op.login("op2", "op2-password")
        await op.set_presence("away")  # at the desk but not taking calls
        yield op


class RawDevice:
    """A device speaking the relay's protocol by hand (to send what the device core never
    would)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def send(self, frame: Frame) -> None:
        await self.ws.send_str(encode_frame(frame))

    async def next(self, kind: type[Frame] = Frame) -> Frame:
        while True:
            msg = await self.ws.receive(5)
            assert msg.type is aiohttp.WSMsgType.TEXT, msg
            frame = decode_relay_frame(msg.data)
            if isinstance(frame, kind):
                return frame


def device_headers(server, name: str = "Raw MFP") -> dict[str, str]:
    device_id, secret = server.store.register_device(name, "MFP-Emu 1")
    return {"Authorization": f"Bearer {device_id}.{secret}"}


async def raw_call(server, client, name: str = "Raw MFP") -> tuple[RawDevice, str]:
    ws = await client.ws_connect(server.url + CALL, headers=device_headers(server, name))
    device = RawDevice(ws)
    await device.send(CallRequest("Paper jam", "", ["J-101"], SCREEN))
    first = await device.next()
    assert isinstance(first, CallAssigned | CallQueued)
    return device, first.call_id


async def in_session(server, client, op: OperatorClient) -> tuple[RawDevice, str]:
    device, call_id = await raw_call(server, client)
    await op.accept(call_id)
    await device.next(SessionStarted)
    return device, call_id


async def refused(attempt: Awaitable[object]) -> RelayRefused:
    with pytest.raises(RelayRefused) as info:
        await attempt
    return info.value


async def test_an_operator_reaches_only_the_session_assigned_to_them(server, client, ann, ben):
    device, call_id = await raw_call(server, client)  # offered to Ann, the only one available
    assert (await refused(ben.accept(call_id))).status == 403
    assert (await refused(ben.view(call_id))).status == 403
    assert (await refused(ann.view(call_id))).status == 403  # offered is not accepted
    assert (await refused(ann.accept("mc-000000000000"))).status == 403

    await ann.accept(call_id)
    assert (await refused(ben.view(call_id))).status == 403
    assert (await refused(ben.accept(call_id))).status == 403
    view = await ann.view(call_id)
    assert (await view.details()).call.call_id == call_id
    assert (await refused(ann.view(call_id))).status == 403  # one view per session

    await device.send(EndSession("user"))
    assert (await view.wait(SessionEnded)).reason == "ended_by_panel"
    assert (await refused(ann.view(call_id))).status == 403  # over: no way back in
    assert (await refused(ann.accept(call_id))).status == 403
    await view.close()
    await device.ws.close()


async def test_relay_sockets_and_calls_need_the_right_credentials(server, client, ann):
    async def handshake(path: str, headers: dict[str, str]) -> int:
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await client.ws_connect(server.url + path, headers=headers)
        return info.value.status

    device = device_headers(server)
    operator = {"Authorization": f"Bearer {ann.token}"}
    made_up = {"Authorization": "Bearer opt_made-up"}
    assert await handshake(CALL, {}) == 401
    assert await handshake(CALL, operator) == 401  # not a device
    assert await handshake("/api/v1/operator/events", {}) == 401
    assert await handshake("/api/v1/operator/events", device) == 403
    assert await handshake("/api/v1/operator/events", made_up) == 401
    _, call_id = await raw_call(server, client)
    await ann.accept(call_id)
    view = f"/api/v1/maintenance/calls/{call_id}/view"
    assert await handshake(view, {}) == 401
    assert await handshake(view, device) == 403
    assert await handshake(view, basic(ALICE, ALICE_PIN)) == 403

    async with client.post(f"{server.url}/api/v1/maintenance/calls/{call_id}/accept") as r:
        assert r.status == 401
        assert (await r.json())["error"] == "unauthorized"


async def test_the_console_cookie_is_http_only_and_refused_from_another_origin(server, ann):
    del ann
    # A browser's cookie jar; aiohttp's refuses cookies of IP addresses unless told otherwise.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        await _cookie_checks(server, client)


async def _cookie_checks(server, client: aiohttp.ClientSession) -> None:
    login = {"operator_id": "op1", "password": "op1-password"}
    async with client.post(f"{server.url}/api/v1/operator/login", json=login) as r:
        assert r.status == 200
        cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/" in cookie
    async with client.get(f"{server.url}/api/v1/operator/me") as r:  # the jar sends it back
        assert r.status == 200
        assert (await r.json())["operator_id"] == "op1"
    events = server.url + "/api/v1/operator/events"
    async with client.ws_connect(events, origin=server.url) as ws:
        msg = await ws.receive(5)
        assert decode_relay_frame(msg.data, 1 << 20).TYPE == "relay.state"
    with pytest.raises(aiohttp.WSServerHandshakeError) as info:
        await client.ws_connect(events, origin="http://evil.example")
    assert info.value.status == 403
    async with client.post(f"{server.url}/api/v1/operator/logout") as r:
        assert r.status == 200
        assert (await r.json())["presence"] == "away"
    client.cookie_jar.update_cookies({"mfp_operator": cookie.split(";")[0].split("=", 1)[1]})
    async with client.get(f"{server.url}/api/v1/operator/me") as r:  # the login has ended
        assert r.status == 401


async def test_wrong_passwords_are_refused_then_throttled(server, client, ann):
    del ann
    url = f"{server.url}/api/v1/operator/login"
    statuses = []
    for _ in range(6):
        async with client.post(url, json={"operator_id": "op1", "password": "guess-guess"}) as r:
            statuses.append(r.status)
    assert statuses == [401] * 5 + [429]
    async with client.post(url, json={"operator_id": "nobody", "password": "x" * 10}) as r:
        assert (r.status, (await r.json())["error"]) == (401, "invalid_credentials")
    async with client.post(url, json={"operator_id": "op1"}) as r:
        assert (r.status, (await r.json())["error"]) == (400, "malformed")


async def test_screens_reach_the_operator_only_while_viewing_is_allowed(server, client, ann):
    device, call_id = await in_session(server, client, ann)
    view = await ann.view(call_id)
    await view.details()
    assert (await device.next(ViewFlow)).acked_seq == 0  # the credit starts on attach

    await device.send(ConsentReport("deny"))
    assert (await view.wait(ConsentReport)).choice == "deny"
    for seq in (1, 2, 3):  # a device that sends anyway: the relay keeps them from the operator
        await device.ws.send_bytes(screen(seq, seq))
    await device.send(ConsentReport("view"))
    assert isinstance(await device.next(ViewRefresh), ViewRefresh)
    await device.ws.send_bytes(screen(4, 4))
    first = await view.screen()
    assert first.seq == 4
    assert first.rects[0].data.endswith(bytes([4]) * 16)
    flow = await device.next(ViewFlow)  # the operator acknowledged update 4
    assert flow.acked_seq == 4
    assert flow.fps >= 1.0
    relayed = server.relay.call(call_id)
    assert relayed is not None
    assert relayed.frames_in == 4

    await device.ws.send_bytes(b"\x01\x01 not a screen update")
    assert (await device.next(ErrorFrame)).code == "bad_screen"
    await view.close()
    await device.ws.close()


async def test_input_reaches_the_panel_only_after_consent_to_operate(server, client, ann):
    device, call_id = await in_session(server, client, ann)
    view = await ann.view(call_id)
    await view.details()
    for consent in (None, "deny", "view"):
        if consent is not None:
            await device.send(ConsentReport(consent))
            await view.wait(ConsentReport, lambda c, want=consent: c.choice == want)
        await view.tap(5, 5)
        assert (await view.wait(ErrorFrame)).code == "input_refused"
    await device.send(ConsentReport("operate"))
    await view.wait(ConsentReport, lambda c: c.choice == "operate")
    await view.key("stop")
    assert await device.next(RemoteInput) == RemoteInput("key", key="stop")
    await view.key("self-destruct")
    assert (await view.wait(ErrorFrame)).code == "bad_input"
    relayed = server.relay.call(call_id)
    assert relayed is not None
    assert (relayed.inputs, relayed.refused_inputs) == (1, 3)
    await view.close()
    await device.ws.close()


async def test_a_slow_operator_gets_the_latest_screen_not_a_backlog(server, client, ann):
    """The relay never has more than two updates in flight to an operator; what the device
    sends meanwhile (even ignoring its credit) is coalesced, latest wins."""
    device, call_id = await in_session(server, client, ann)
    view = await ann.view(call_id, auto_ack=False)
    await view.details()
    await device.send(ConsentReport("view"))
    await view.wait(ConsentReport)
    for seq in range(1, 11):
        await device.ws.send_bytes(screen(seq, seq))
    await device.send(ConsentReport("view"))  # a marker: sent after the ten updates
    await view.wait(ConsentReport)
    relayed = server.relay.call(call_id)
    assert relayed is not None
    assert relayed.view is not None
    assert relayed.frames_in == 10
    assert relayed.view.sent <= 2  # nothing acknowledged: the window holds the rest back

    got = [u for u in view.history if isinstance(u, ScreenUpdate)]
    while not got or got[-1].seq != 10:
        for update in got:
            await view.ack(update.seq)
        got = [await view.screen()]
    assert got[-1].rects[0].data.endswith(bytes([10]) * 16)
    assert relayed.view.sent <= 4
    assert relayed.view.dropped >= 6
    await view.close()
    await device.ws.close()


async def test_the_first_frame_must_be_a_valid_request(server, client):
    headers = device_headers(server)
    async with client.ws_connect(server.url + CALL, headers=headers) as ws:
        await ws.send_str(encode_frame(ConsentReport("operate")))
        msg = await ws.receive(5)
        assert decode_relay_frame(msg.data) == ErrorFrame(
            "expected_request", "The first frame must be a maint.request."
        )
        assert (await ws.receive(5)).type is aiohttp.WSMsgType.CLOSE
        assert ws.close_code == 4002
    async with client.ws_connect(server.url + CALL, headers=headers) as ws:
        await ws.send_str(encode_frame(CallRequest("  ", error_codes=["J 1"])))
        error = decode_relay_frame((await ws.receive(5)).data)
        assert isinstance(error, ErrorFrame)
        assert error.code == "bad_reason"
    assert server.store.maintenance_log() == []


async def test_every_call_is_logged_and_operators_see_only_their_own(server, client, ann, ben):
    cancelled, _ = await raw_call(server, client, "Gave up MFP")
    await cancelled.send(EndSession("user"))
    assert (await cancelled.next(SessionEnded)).reason == "cancelled_by_panel"
    await cancelled.ws.close()

    device, call_id = await in_session(server, client, ann)
    view = await ann.view(call_id)
    await view.details()
    await device.send(ConsentReport("view"))
    await view.wait(ConsentReport)
    await device.ws.close()  # the panel goes away
    assert (await view.wait(SessionEnded)).reason == "panel_disconnected"
    await view.close()

    mine = (await ann.log()).sessions
    assert [(e.device_name, e.consent, e.end_reason) for e in mine] == [
        ("Raw MFP", "view", "panel_disconnected")
    ]
    assert (await ben.log()).sessions == []
    url = f"{server.url}/api/v1/maintenance/sessions"
    async with client.get(url, headers=basic("9000", "9999")) as r:  # the demo admin
        everything = (await r.json())["sessions"]
    assert [(e["device_name"], e["operator_id"], e["end_reason"]) for e in everything] == [
        ("Raw MFP", "op1", "panel_disconnected"),
        ("Gave up MFP", None, "cancelled_by_panel"),
    ]
    assert everything[1]["started_at"] is None
    async with client.get(url, headers=basic(ALICE, ALICE_PIN)) as r:
        assert r.status == 403


async def test_an_accepted_call_nobody_opens_ends_and_logout_ends_a_session(server, client, ann):
    server.relay.settings.offer_timeout_s = 0.2
    device, call_id = await in_session(server, client, ann)  # accepted, never viewed
    ended = await device.next(SessionEnded)
    assert (ended.reason, ended.by) == ("operator_absent", "relay")
    assert (await ann.me()).presence == "available"
    await device.ws.close()

    server.relay.settings.offer_timeout_s = 20.0
    device, call_id = await in_session(server, client, ann)
    view = await ann.view(call_id)
    await view.details()
    await ann.logout()
    assert (await device.next(SessionEnded)).reason == "operator_logged_out"
    await view.close()
    await device.ws.close()


async def test_a_server_shutting_down_ends_its_sessions(tmp_path, client):
    server = await running_server(tmp_path)
    stopped = False
    try:
        server.store.add_operator("op1", "Ann", "op1-password")
        async with OperatorClient(server.url) as op:
            await op.login("op1", "op1-password")
            await op.set_presence("available")
            device, _ = await in_session(server, client, op)
            ended = asyncio.ensure_future(device.next(SessionEnded))
            await server.stop()
            stopped = True
            assert (await ended).reason == "server_shutdown"
            await device.ws.close()
    finally:
        if not stopped:
            await server.stop()


@pytest.mark.parametrize("route", RELAY_ROUTES, ids=[f"{r.method} {r.path}" for r in RELAY_ROUTES])
async def test_no_relay_route_but_login_answers_without_credentials(server, client, route):
    url = server.url + route.path.replace("{call_id}", "mc-000000000000")
    async with client.request(route.method, url, json={}) as r:
        if route.auth == ():
            assert route.path.endswith("/operator/login")
            assert r.status == 400  # the login itself: its body is checked
        else:
            assert r.status == 401, route.path
            assert (await r.json())["error"] == "unauthorized"
