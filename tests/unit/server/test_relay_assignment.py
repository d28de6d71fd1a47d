"""The relay's assignment over real sockets: the available operator idle longest gets the call,
calls queue in arrival order and devices hear their position as the queue moves, an operator
who frees up takes the head, and an unanswered offer marks its operator away and moves on."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

import pytest
from support import wait_event

from panel.device import Device, EventKind
from panel.device.maintenance import MaintenancePhase, MaintenanceStatus, PanelState
from panel.server.api import trace_key
from panel.server.relay.client import OperatorClient, RelayRefused

SCREEN = PanelState(screen="home", width=320, height=200)
NAMES = {"op1": "Ann", "op2": "Ben", "op3": "Cem"}


async def status_of(
    device: Device, predicate: Callable[[MaintenanceStatus], bool]
) -> MaintenanceStatus:
    if predicate(device.maintenance.status):
        return device.maintenance.status
    event = await wait_event(device, EventKind.MAINTENANCE_CHANGED, lambda e: predicate(e.subject))
    status: MaintenanceStatus = event.subject
    return status


def assigned(status: MaintenanceStatus) -> bool:
    return status.phase is MaintenancePhase.ASSIGNED


async def call(device: Device, reason: str = "Paper jam") -> MaintenanceStatus:
    """Call and wait for the relay's first answer: queued or assigned."""
    await device.maintenance.request(reason, panel_state=SCREEN)
    return await status_of(
        device, lambda s: s.phase in (MaintenancePhase.QUEUED, MaintenancePhase.ASSIGNED)
    )


@pytest.fixture
async def operators(server) -> AsyncIterator[dict[str, OperatorClient]]:
    """Three logged-in operators, all stepped away (a login makes them available)."""
    clients = {}
    for operator_id, name in NAMES.items():
        server.store.add_operator(operator_id, name, f"{operator_id}-password")
        clients[operator_id] = client = OperatorClient(server.url)
        assert (await client.login(operator_id, f"{operator_id}-password")).presence == "available"
        await client.set_presence("away")
    yield clients
    for client in clients.values():
        await client.close()


async def test_the_available_operator_idle_longest_gets_each_call(server, make_device, operators):
    ann, ben, cem = operators["op1"], operators["op2"], operators["op3"]
    for op in (ann, ben, cem):  # idle since, in this order
        await op.set_presence("available")

    first = await make_device("MFP 1")
    status = await call(first)
    assert status.operator_name == "Ann"  # idle longest
    await ann.accept(status.call_id)
    await status_of(first, lambda s: s.phase is MaintenancePhase.ACTIVE)
    assert (await ann.me()).presence == "busy"
    await first.maintenance.end()  # Ann is free again, idle from now: the shortest

    second, third, fourth = [await make_device(f"MFP {n}") for n in (2, 3, 4)]
    assert (await call(second)).operator_name == "Ben"
    await ben.accept(second.maintenance.status.call_id)
    assert (await call(third)).operator_name == "Cem"
    assert (await call(fourth)).operator_name == "Ann"

    fifth = await make_device("MFP 5")
    queued = await call(fifth)  # Ben in session, Cem and Ann offered: nobody is free
    assert (queued.phase, queued.position) == (MaintenancePhase.QUEUED, 1)
    await second.maintenance.end()  # Ben frees up and takes the queue's head
    taken = await status_of(fifth, assigned)
    assert taken.operator_name == "Ben"

    info = await ben.calls()
    offered = {c.device_name: c.state for c in info.calls}
    assert offered == {"MFP 3": "offered", "MFP 4": "offered", "MFP 5": "offered"}


async def test_calls_wait_in_order_and_hear_their_position_as_the_queue_moves(
    server, make_device, operators
):
    devices = [await make_device(f"MFP {n}") for n in range(1, 5)]
    positions = []
    for device in devices:
        status = await call(device)
        positions.append((status.phase, status.position))
    assert positions == [(MaintenancePhase.QUEUED, n) for n in range(1, 5)]

    listing = await operators["op1"].calls()
    assert [(c.device_name, c.position, c.state) for c in listing.calls] == [
        (f"MFP {n}", n, "queued") for n in range(1, 5)
    ]
    console = await operators["op1"].console()
    state = await console.state()
    assert [c.position for c in state.queue] == [1, 2, 3, 4]
    assert state.offer is None

    await devices[1].maintenance.end()  # the second gives up: the ones behind move up
    assert (await status_of(devices[2], lambda s: s.position == 2)).position == 2
    assert (await status_of(devices[3], lambda s: s.position == 3)).position == 3
    assert devices[0].maintenance.status.position == 1

    await operators["op2"].set_presence("available")  # takes the head
    head = await status_of(devices[0], assigned)
    assert head.operator_name == "Ben"
    assert (await status_of(devices[2], lambda s: s.position == 1)).position == 1
    assert (await status_of(devices[3], lambda s: s.position == 2)).position == 2
    state = await console.state(
        lambda s: [c.state for c in s.queue] == ["offered", *["queued"] * 2]
    )
    assert [c.device_name for c in state.queue] == ["MFP 1", "MFP 3", "MFP 4"]
    await console.close()


async def test_an_unanswered_offer_marks_the_operator_away_and_goes_to_the_next(
    server, make_device, operators
):
    server.relay.settings.offer_timeout_s = 0.2
    ann, ben = operators["op1"], operators["op2"]
    await ann.set_presence("available")
    await ben.set_presence("available")
    ann_console = await ann.console()
    device = await make_device("Hall MFP")
    seen: list[MaintenanceStatus] = []
    device.events.subscribe(lambda e: seen.append(e.subject), EventKind.MAINTENANCE_CHANGED)

    await device.maintenance.request("Scanner streaks", panel_state=SCREEN)
    offer = await ann_console.state(lambda s: s.offer is not None)
    assert offer.offer is not None
    assert offer.offer.device_name == "Hall MFP"
    assert 0.0 <= offer.offer_expires_in_s <= 0.2
    # Neither answers: Ann is marked away, Ben is offered the call, then Ben too; with nobody
    # left the call waits at the head of the queue.
    away = await ann_console.state(lambda s: s.operator.presence == "away")
    assert away.offer is None
    assert "did not accept the call from Hall MFP" in away.notice
    final = await status_of(device, lambda s: s.phase is MaintenancePhase.QUEUED)
    assert final.position == 1
    assert [(s.phase, s.operator_name) for s in seen] == [
        (MaintenancePhase.CALLING, ""),
        (MaintenancePhase.ASSIGNED, "Ann"),
        (MaintenancePhase.ASSIGNED, "Ben"),
        (MaintenancePhase.QUEUED, ""),
    ]
    assert (await ben.me()).presence == "away"
    trace = server.app[trace_key]
    trace.flush()
    lines = [json.loads(ln) for ln in trace.path.read_text().splitlines()]
    no_answer = [ln["operator"] for ln in lines if ln.get("event") == "no-answer"]
    assert no_answer == ["op1", "op2"]

    server.relay.settings.offer_timeout_s = 20.0
    await ann.set_presence("available")  # back at the desk: takes the waiting call
    again = await status_of(device, lambda s: s.phase is MaintenancePhase.ASSIGNED)
    assert again.operator_name == "Ann"
    assert (await ann_console.state(lambda s: s.offer is not None)).notice == ""
    await ann_console.close()


async def test_an_operator_who_goes_away_instead_of_accepting_passes_the_call_on(
    server, make_device, operators
):
    ann, ben = operators["op1"], operators["op2"]
    await ann.set_presence("available")
    await ben.set_presence("available")
    device = await make_device()
    assert (await call(device)).operator_name == "Ann"
    await ann.set_presence("away")
    assert (await status_of(device, lambda s: s.operator_name == "Ben")).operator_name == "Ben"
    await ben.accept(device.maintenance.status.call_id)
    await status_of(device, lambda s: s.phase is MaintenancePhase.ACTIVE)
    with pytest.raises(RelayRefused) as refused:
        await ben.set_presence("away")  # in a session: end it first
    assert (refused.value.status, refused.value.code) == (409, "in_session")
    with pytest.raises(RelayRefused) as refused:
        await ann.set_presence("sleeping")
    assert (refused.value.status, refused.value.code) == (400, "bad_presence")


async def test_a_login_makes_the_operator_available_and_takes_the_waiting_call(server, make_device):
    server.store.add_operator("op1", "Ann", "op1-password")
    device = await make_device("Hall MFP")
    assert (await call(device)).phase is MaintenancePhase.QUEUED  # nobody logged in yet

    async with OperatorClient(server.url) as ann:
        info = await ann.login("op1", "op1-password")
        assert info.presence == "available"
        assert info.call_id is not None  # offered during the login itself
        assert (await status_of(device, assigned)).operator_name == "Ann"
        console = await ann.console()
        state = await console.state()
        assert state.offer is not None
        assert state.offer.device_name == "Hall MFP"
        assert state.operators_available == 1  # Ann herself, offered a call or not
        await console.close()


async def test_the_available_count_includes_the_reader_and_not_who_stepped_away_or_is_busy(
    server, make_device, operators
):
    ann, ben, cem = operators["op1"], operators["op2"], operators["op3"]
    console = await ann.console()
    assert (await console.state()).operators_available == 0
    await ann.set_presence("available")
    assert (await console.state(lambda s: s.operators_available == 1)).operator.presence == (
        "available"
    )
    await ben.set_presence("available")
    await cem.set_presence("busy")
    await console.state(lambda s: s.operators_available == 2)
    device = await make_device()
    assert (await call(device)).operator_name == "Ann"
    offered = await console.state(lambda s: s.offer is not None)
    assert offered.operators_available == 2  # Ann is offered a call and still counts
    await ann.accept(offered.offer.call_id)
    in_session = await console.state(lambda s: s.call_id is not None)
    assert in_session.operators_available == 1  # Ann is busy now: only Ben
    await console.close()


async def test_a_second_login_keeps_a_session_going_and_a_busy_operator_busy(
    server, make_device, operators
):
    ann = operators["op1"]
    await ann.set_presence("available")
    device = await make_device()
    await ann.accept((await call(device)).call_id)
    await status_of(device, lambda s: s.phase is MaintenancePhase.ACTIVE)
    async with OperatorClient(server.url) as again:  # the same operator in another tab
        info = await again.login("op1", "op1-password")
        assert (info.presence, info.call_id) == ("busy", device.maintenance.status.call_id)
    assert device.maintenance.status.phase is MaintenancePhase.ACTIVE

    ben = operators["op2"]
    await ben.set_presence("busy")
    async with OperatorClient(server.url) as again:
        assert (await again.login("op2", "op2-password")).presence == "busy"
