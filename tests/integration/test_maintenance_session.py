"""A whole remote-maintenance session over real sockets: the device core's MaintenanceClient
calls, an operator (the headless OperatorClient, as the console does it) accepts, the panel's
user consents step by step, screen updates, taps, keys and chat go through the relay, and the
session ends from either side; the server's log says what happened."""

from __future__ import annotations

import asyncio
import struct
import zlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from support import device_config, until, wait_event

from panel.device import Device, Event, EventBus, EventKind
from panel.device.clock import Clock, ManualClock
from panel.device.connection import ServerLink
from panel.device.maintenance import (
    ChatLine,
    Consent,
    MaintenanceClient,
    MaintenanceError,
    MaintenancePhase,
    MaintenanceStatus,
    OperatorInput,
    PanelState,
    ScreenRect,
)
from panel.protocol.maintenance import (
    ChatMessage,
    ConsentReport,
    SessionEnded,
)
from panel.protocol.messages import ErrorFrame
from panel.server.relay.client import LiveView, OperatorClient
from panel.trace import Trace

OPERATOR, PASSWORD = "op1", "service-1"
SCREEN = PanelState(screen="home", width=320, height=200, printer_state="stopped")


def png(width: int, height: int, shade: int) -> bytes:
    """A real, tiny grey PNG (what the panel's UI would encode with Qt)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def whole_screen(shade: int) -> list[ScreenRect]:
    return [ScreenRect("png", 0, 0, SCREEN.width, SCREEN.height, png(8, 5, shade))]


async def status_of(
    device: Device, predicate: Callable[[MaintenanceStatus], bool]
) -> MaintenanceStatus:
    """The device's maintenance status once it satisfies `predicate` (now or at an event)."""
    if predicate(device.maintenance.status):
        return device.maintenance.status
    event = await wait_event(device, EventKind.MAINTENANCE_CHANGED, lambda e: predicate(e.subject))
    status: MaintenanceStatus = event.subject
    return status


def recorder(device: Device, kind: EventKind) -> list[Event]:
    seen: list[Event] = []
    device.events.subscribe(seen.append, kind)
    return seen


@pytest.fixture
async def operator(server) -> AsyncIterator[OperatorClient]:
    server.store.add_operator(OPERATOR, "Olivia Park", PASSWORD)
    async with OperatorClient(server.url) as client:
        info = await client.login(OPERATOR, PASSWORD)
        assert info.presence == "available"  # a login takes calls at once
        yield client


async def start_session(
    device: Device, operator: OperatorClient, auto_ack: bool = True
) -> tuple[str, LiveView]:
    """Call, get assigned, accept, open the live view."""
    await device.maintenance.request("Paper jam", "Tray 2 keeps jamming", ["J-101"], SCREEN)
    assigned = await status_of(device, lambda s: s.phase is MaintenancePhase.ASSIGNED)
    assert assigned.operator_name == "Olivia Park"
    start = await operator.accept(assigned.call_id)
    view = await operator.view(start.call_id, auto_ack)
    details = await view.details()
    assert details.call.call_id == assigned.call_id
    await status_of(device, lambda s: s.phase is MaintenancePhase.ACTIVE)
    return assigned.call_id, view


async def test_a_whole_session_consent_view_operate_chat_end(server, make_device, operator):
    device = await make_device("Lobby MFP")
    console = await operator.console()
    inputs = recorder(device, EventKind.MAINTENANCE_INPUT)
    chats = recorder(device, EventKind.MAINTENANCE_CHAT)
    refreshes = recorder(device, EventKind.MAINTENANCE_REFRESH)

    await device.maintenance.request("Paper jam", "Tray 2 keeps jamming", ["J-101"], SCREEN)
    assigned = await status_of(device, lambda s: s.phase is MaintenancePhase.ASSIGNED)
    offer = (await console.state(lambda s: s.offer is not None)).offer
    assert offer is not None
    assert (offer.device_name, offer.reason, offer.note) == (
        "Lobby MFP",
        "Paper jam",
        "Tray 2 keeps jamming",
    )
    assert offer.error_codes == ["J-101"]
    assert offer.panel.printer_state == "stopped"

    start = await operator.accept(assigned.call_id)
    view = await operator.view(start.call_id)
    assert (await view.details()).consent == ""
    started = await status_of(device, lambda s: s.phase is MaintenancePhase.ACTIVE)
    assert started.consent_needed
    assert started.operator_name == "Olivia Park"
    assert device.maintenance.send_frame(whole_screen(10)) is False  # not allowed to see yet

    await view.tap(10, 20)  # before any consent: refused, the panel sees nothing
    refused = await view.wait(ErrorFrame)
    assert refused.code == "input_refused"

    device.maintenance.set_consent(Consent.VIEW)
    assert (await view.wait(ConsentReport)).choice == "view"
    await status_of(device, lambda s: s.viewing)
    if not refreshes:  # the relay asks for the whole screen once viewing is allowed
        await wait_event(device, EventKind.MAINTENANCE_REFRESH)
    assert device.maintenance.send_frame(whole_screen(20))
    update = await view.screen()
    assert [(r.fmt, r.x, r.y, r.w, r.h) for r in update.rects] == [("png", 0, 0, 320, 200)]
    assert update.rects[0].data == whole_screen(20)[0].data
    assert (update.width, update.height) == (320, 200)

    await view.key("home")  # viewing only: still refused
    assert (await view.wait(ErrorFrame)).code == "input_refused"

    device.maintenance.set_consent(Consent.OPERATE)
    await view.wait(ConsentReport, lambda c: c.choice == "operate")
    tapped = asyncio.ensure_future(wait_event(device, EventKind.MAINTENANCE_INPUT))
    await view.tap(10, 20)
    assert (await tapped).subject == OperatorInput("tap", 10, 20)
    pressed = asyncio.ensure_future(wait_event(device, EventKind.MAINTENANCE_INPUT))
    await view.key("home")
    assert (await pressed).subject == OperatorInput("key", key="home")
    assert len(inputs) == 2  # the refused ones never reached the panel

    await view.tap(320, 5)  # off the screen: refused with a reason
    assert (await view.wait(ErrorFrame)).code == "bad_input"

    said = asyncio.ensure_future(wait_event(device, EventKind.MAINTENANCE_CHAT))
    await view.chat("Open tray 2, please")
    line = (await said).subject
    assert isinstance(line, ChatLine)
    assert (line.sender, line.text, line.from_panel) == (
        "Olivia Park",
        "Open tray 2, please",
        False,
    )
    device.maintenance.send_chat("Done")
    heard = await view.wait(ChatMessage, lambda m: m.sender == "panel")
    assert heard.text == "Done"
    assert [c.subject.text for c in chats] == ["Open tray 2, please", "Done"]

    ended = asyncio.ensure_future(status_of(device, lambda s: s.phase is MaintenancePhase.ENDED))
    await view.end()
    final = await ended
    assert (final.end_reason, final.ended_by) == ("ended_by_operator", "operator")
    assert (await view.wait(SessionEnded)).reason == "ended_by_operator"
    back = await console.state(lambda s: s.call_id is None and s.operator.presence == "available")
    assert back.offer is None

    (entry,) = (await operator.log()).sessions
    assert entry.call_id == assigned.call_id
    assert (entry.device_name, entry.operator_id, entry.operator_name) == (
        "Lobby MFP",
        OPERATOR,
        "Olivia Park",
    )
    assert entry.consent_trail == ["view", "operate"]
    assert entry.consent == "operate"
    assert entry.end_reason == "ended_by_operator"
    assert entry.started_at is not None
    assert entry.ended_at is not None
    assert entry.requested_at <= entry.started_at <= entry.ended_at
    await view.close()
    await console.close()


async def test_the_panel_ends_the_session_and_can_call_again(server, make_device, operator):
    device = await make_device()
    call_id, view = await start_session(device, operator)
    assert device.power.holds == {"maintenance": 1}  # no sleep, no auto-logout meanwhile
    with pytest.raises(MaintenanceError, match="already under way"):
        await device.maintenance.request("Again", panel_state=SCREEN)
    await device.maintenance.end()
    assert device.maintenance.status.phase is MaintenancePhase.ENDED
    assert device.power.holds == {}
    assert device.maintenance.status.end_reason == "ended_by_panel"
    ended = await view.wait(SessionEnded)
    assert (ended.reason, ended.by) == ("ended_by_panel", "device")
    await view.close()

    await device.maintenance.request("Toner low", panel_state=SCREEN)  # a new call is possible
    again = await status_of(device, lambda s: s.phase is MaintenancePhase.ASSIGNED)
    assert again.call_id != call_id


async def test_unanswered_consent_becomes_deny_after_30_s_of_device_time(
    server, operator, tmp_path: Path
):
    clock = ManualClock()
    device = Device(device_config(server, tmp_path / "device", "Clocked MFP"), clock=clock)
    await device.start()
    try:
        _, view = await start_session(device, operator)
        status = device.maintenance.status
        assert status.consent_needed
        assert status.consent_deadline == pytest.approx(clock.time() + 30.0)
        await clock.run_for(29.9)  # every timer due meanwhile fired, and what followed ran
        assert device.maintenance.status.consent_needed
        denying = asyncio.ensure_future(status_of(device, lambda s: s.consent is Consent.DENY))
        await clock.run_for(0.1)
        denied = await denying
        assert not denied.viewing
        assert (await view.wait(ConsentReport)).choice == "deny"
        assert device.maintenance.send_frame(whole_screen(1)) is False
        await view.tap(1, 1)
        assert (await view.wait(ErrorFrame)).code == "input_refused"
        await view.close()
    finally:
        await device.stop()
    (entry,) = server.store.maintenance_log()
    assert entry.consent_trail == ["deny"]
    assert entry.end_reason == "operator_disconnected"


async def test_a_slow_operator_lowers_the_frame_rate_latest_screen_wins(
    server, make_device, operator
):
    """The device keeps at most two updates beyond the operator's last acknowledgement and
    coalesces the rest: a slow operator gets the latest screen, not a backlog."""
    device = await make_device()
    _, view = await start_session(device, operator, auto_ack=False)
    device.maintenance.set_consent(Consent.VIEW)
    await view.wait(ConsentReport)

    assert device.maintenance.send_frame(whole_screen(1))
    assert (await view.screen()).seq == 1
    assert device.maintenance.send_frame(whole_screen(2))
    second = await view.screen()
    assert second.seq == 2
    assert not device.maintenance.wants_frame  # two unacknowledged: the window is full
    assert all(device.maintenance.send_frame(whole_screen(shade)) for shade in range(3, 11))

    await view.ack(second.seq)
    latest = await view.screen()
    assert latest.seq == 3  # frames 3..10 went out as one update: the latest screen only
    assert [r.data for r in latest.rects] == [whole_screen(10)[0].data]
    await view.ack(latest.seq)
    await until(lambda: device.maintenance.wants_frame, what="credit back after the acks")
    assert device.maintenance.view_fps >= 1.0
    await view.close()


async def test_ending_while_still_connecting_cancels_quietly(tmp_path: Path):
    """The user presses End before the relay even answered: the call is over at once and the
    connection that comes (or fails) later changes nothing."""
    accepted: asyncio.Future[asyncio.StreamWriter] = asyncio.get_running_loop().create_future()

    async def stall(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if accepted.done():  # the client tries once more after the first was dropped
            writer.close()
        else:
            accepted.set_result(writer)  # never answers the upgrade

    silent = await asyncio.start_server(stall, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    events = EventBus()
    link = ServerLink(events, Trace(None), f"http://127.0.0.1:{port}", "dev-x", "secret")
    client = MaintenanceClient(link, events, Trace(None), Clock())
    calling = asyncio.ensure_future(client.request("Paper jam", panel_state=SCREEN))
    writer = await accepted
    assert client.status.phase is MaintenancePhase.CALLING
    await client.end()
    assert (client.status.phase, client.status.end_reason) == (
        MaintenancePhase.ENDED,
        "cancelled_by_panel",
    )
    writer.close()  # the connection attempt fails now: no error for a call already ended
    await calling
    assert client.status.phase is MaintenancePhase.ENDED
    await client.stop()
    silent.close()
    await silent.wait_closed()
    await link.close()
