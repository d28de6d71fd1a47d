"""What a device's start costs the server (issue 12): 5,000 devices starting at once, or coming
back after a stall, cost the server this times 5,000. A device with one network makes no reach
check: its push socket's welcome stands for one, and a process started while a live socket
proves the network goes over it as it is.

The device runs on a ManualClock the tests step (support.networks), with a real panel's
failover policy (a check is reused for 1 s only)."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from types import SimpleNamespace

from support import device_config
from support.networks import is_online_over, run_for, run_until, traced

from panel.device import Device
from panel.device.networks import DEFAULT_NETWORK, NetworkState
from panel.server import push
from panel.server.api import hub_key, trace_key
from panel.server.push import BUSY_RETRY_AFTER_S, Admission
from panel.server.user_data import DEMO_CARDS, seed_demo_cards

ALICE_CARD = DEMO_CARDS[0][1]


def requests_by_path(server) -> Counter[str]:
    trace = server.app[trace_key]
    trace.flush()
    lines = [json.loads(line) for line in trace.path.read_text().splitlines()]
    return Counter(
        line["path"] for line in lines if (line["concern"], line["event"]) == ("http", "exchange")
    )


async def test_a_one_network_device_starts_and_logs_in_by_card_with_no_reach_check(
    server, clock, tmp_path
):
    seed_demo_cards(server.store)
    device = Device(device_config(server, tmp_path / "device"), clock=clock)
    await device.start()
    try:
        await run_until(clock, lambda: is_online_over(device, DEFAULT_NETWORK), device)
        await run_for(clock, 5.0, device)  # well past the reuse of a check: a login is new
        tap = asyncio.ensure_future(device.cards.tap(ALICE_CARD))
        await run_until(clock, tap.done, device, what="logged in")
        assert tap.result().ok
        await run_until(clock, lambda: device.user_data.current is not None, device)
        (network,) = device.networks
        assert (network.name, network.state, network.active) == (
            DEFAULT_NETWORK,
            NetworkState.REACHABLE,
            True,
        )
    finally:
        await device.stop()
    assert server.reach.records() == []
    paths = requests_by_path(server)
    assert paths["/api/v1/reach"] == paths["/api/v1/reach/check"] == 0
    assert paths["/api/v1/push"] == 1  # one upgrade: no reconnect
    assert paths["/api/v1/sessions/card"] == 1


async def test_a_failed_request_is_followed_by_a_check_before_the_next_process(
    server, clock, tmp_path
):
    """The live socket stands for a check only while nothing failed over its network."""
    device = Device(device_config(server, tmp_path / "device"), clock=clock)
    await device.start()
    try:
        await run_until(clock, lambda: is_online_over(device, DEFAULT_NETWORK), device)
        networks = device.link.networks
        route = networks.active
        assert route is not None
        networks.note_failure(route, "a request timed out")
        await run_until(clock, lambda: len(server.reach.records()) == 1, device, what="check")
        await run_until(clock, lambda: route.state is NetworkState.REACHABLE, device)
        assert await networks.establish("login") is route  # checked, and proven again
        assert len(server.reach.records()) == 1
    finally:
        await device.stop()


async def test_a_burst_beyond_the_admission_rate_is_told_to_wait_and_every_device_gets_in(
    server, clock, tmp_path, monkeypatch
):
    """12 devices connect at once to a server that admits 4 a second (bursts of 4): the others
    get 503 with Retry-After, stay away at least that long (plus their jitter), and get in."""
    # The bucket refills on the devices' clock: real time passes in milliseconds meanwhile.
    monkeypatch.setattr(push, "time", SimpleNamespace(monotonic=clock.monotonic, time=time.time))
    hub = server.app[hub_key]
    hub.admission = Admission(4.0)
    devices = [
        Device(device_config(server, tmp_path / f"d{n}", name=f"MFP {n}"), clock=clock)
        for n in range(12)
    ]
    for device in devices:
        await device.start()
    try:
        await run_until(
            clock,
            lambda: all(is_online_over(d, DEFAULT_NETWORK) for d in devices),
            *devices,
            within_s=600,
            step=0.5,
            what="every device online",
        )
    finally:
        for device in devices:
            await device.stop()
    assert hub.admission.refused >= 8
    told = [d for d in devices if traced(d, "push", "server-failed")]
    assert len(told) >= 8
    for device in told:
        (failed, *_) = traced(device, "push", "server-failed")
        assert failed["retry_after_s"] == BUSY_RETRY_AFTER_S
        (retry, *_) = traced(device, "push", "retry")
        assert retry["in_s"] >= BUSY_RETRY_AFTER_S
