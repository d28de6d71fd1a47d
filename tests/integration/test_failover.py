"""Network fallback (S2) over real sockets: a real server behind two simulated networks
("Wired LAN" preferred, "LTE"), a real device core with both.

For each way network 1 fails, a process requested right after goes over network 2, checked
with the same token (the server's record says where it arrived); when network 1 recovers the
device goes back after the hold, and a network 1 that keeps toggling does not make it flap.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from support import ALICE, ALICE_PIN, device_config, submit, wait_event

from panel.device import ConnectionState, Device, Event, EventKind, JobState, LoginOutcome
from panel.device.networks import (
    FailoverPolicy,
    NetworkSettings,
    NetworkState,
    NetworkStatus,
    ReachOutcome,
)
from panel.server.app import RunningServer
from panel.sim import Network, Toxic

WIRED, LTE = "Wired LAN", "LTE"

# Real timings, shortened where only waiting would be longer: the stagger is RFC 8305's.
POLICY = FailoverPolicy(
    stagger_s=0.25,
    heartbeat_s=0.6,
    probe_interval_s=0.1,
    recover_probes=3,
    recover_hold_s=0.6,
    flap_window_s=30.0,
    reuse_s=0.0,  # every process is checked with its own token
)


@dataclass
class Nets:
    wired: Network
    lte: Network

    def __getitem__(self, name: str) -> Network:
        return self.wired if name == WIRED else self.lte


@pytest.fixture
async def nets(server: RunningServer) -> AsyncIterator[Nets]:
    wired = Network(WIRED, ("127.0.0.1", server.port))
    lte = Network(LTE, ("127.0.0.1", server.port))
    await wired.start()
    await lte.start()
    yield Nets(wired, lte)
    await wired.stop()
    await lte.stop()


DualFactory = Callable[..., Awaitable[Device]]


@pytest.fixture
async def dual(server: RunningServer, nets: Nets, tmp_path: Path) -> AsyncIterator[DualFactory]:
    """Start devices whose networks are `nets` (Wired LAN first); all are stopped after."""
    devices: list[Device] = []

    async def factory(wired_budget_s: float = 1.0, policy: FailoverPolicy = POLICY) -> Device:
        config = replace(
            device_config(server, tmp_path / f"device-{len(devices)}"),
            networks=(
                NetworkSettings(WIRED, nets.wired.url, 1.0, wired_budget_s),
                NetworkSettings(LTE, nets.lte.url, 1.0, 1.0),
            ),
            failover=policy,
        )
        device = Device(config)
        devices.append(device)
        await device.start()
        await online_over(device, WIRED)
        return device

    yield factory
    for device in devices:
        await device.stop()


def active_name(device: Device) -> str | None:
    return next((n.name for n in device.networks if n.active), None)


async def until_state(
    device: Device, ready: Callable[[], bool], *kinds: EventKind, timeout: float = 10.0
) -> None:
    """Until `ready()` holds, looked at now and after each event of `kinds`."""
    done = asyncio.get_running_loop().create_future()

    def check(_: Event | None = None) -> None:
        if not done.done() and ready():
            done.set_result(None)

    unsubscribe = device.events.subscribe(check, *kinds)
    try:
        check()
        await asyncio.wait_for(done, timeout)
    finally:
        unsubscribe()


async def online_over(device: Device, name: str, timeout: float = 10.0) -> None:
    """Until the device is online with `name` the network in use."""
    await until_state(
        device,
        lambda: device.connection_state is ConnectionState.ONLINE and active_name(device) == name,
        EventKind.CONNECTION_CHANGED,
        EventKind.NETWORK_CHANGED,
        timeout=timeout,
    )


async def completed(device: Device, job_id: str, timeout: float = 10.0) -> None:
    def done() -> bool:
        job = device.jobs.get(job_id)
        return job is not None and job.state is JobState.COMPLETED

    await until_state(device, done, EventKind.JOB_STATE_CHANGED, timeout=timeout)


def collect(device: Device, kind: EventKind) -> list[Event]:
    seen: list[Event] = []
    device.events.subscribe(seen.append, kind)
    return seen


def traced(device: Device, concern: str, event: str) -> list[dict]:
    device.trace.flush()
    assert device.trace.path is not None
    lines = [json.loads(line) for line in device.trace.path.read_text().splitlines()]
    return [line for line in lines if line["concern"] == concern and line["event"] == event]


async def test_the_device_uses_the_preferred_network_checked_with_a_token(dual, server):
    device = await dual()
    assert device.networks[0] == NetworkStatus(
        WIRED, NetworkState.REACHABLE, True, device.networks[0].latency_ms
    )
    assert [(n.name, n.active) for n in device.networks] == [(WIRED, True), (LTE, False)]
    (record,) = server.reach.records(device.device_id)
    assert record.process == "push"
    assert [a.network for a in record.arrivals] == [WIRED]


# Each way network 1 fails: how to cause it, the budget of network 1, and how its first try
# for the token ends (the stagger abandons a silent network; a slow one runs out of budget).
FAULTS = {
    "down (refused)": (None, 1.0, "refused"),
    "reset_peer": (Toxic("reset_peer", {"timeout": 0}, "upstream"), 1.0, "reset"),
    "timeout (blackhole)": (Toxic("timeout", {"timeout": 0}, "upstream"), 1.0, "cancelled"),
    "latency beyond budget": (Toxic("latency", {"latency": 500}), 0.2, "too-slow"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_each_failure_of_network_1_fails_over_with_the_same_token_and_comes_back(
    dual, nets, server, fault
):
    toxic, budget, first_try = FAULTS[fault]
    device = await dual(wired_budget_s=budget)
    reaches = collect(device, EventKind.NETWORK_REACH)
    changes = collect(device, EventKind.NETWORK_CHANGED)

    if toxic is None:
        await nets.wired.set_enabled(False)
    else:
        nets.wired.add_toxic(toxic)
    result = await device.login(ALICE, ALICE_PIN)  # a process is requested

    assert result.outcome is LoginOutcome.ACCEPTED
    (login,) = traced(device, "connection", "exchange")[-1:]
    assert (login["path"], login["network"], login["status"]) == ("/sessions", LTE, 200)
    outcome: ReachOutcome = next(e.subject for e in reaches if e.subject.network == LTE)
    tries = {(a.stage, a.network): a.outcome for a in outcome.attempts}
    assert tries[("token", WIRED)] == first_try
    assert tries[("check", WIRED)] != "ok"  # tried with the token, and it did not get through
    assert tries[("check", LTE)] == "ok"
    assert outcome.ms < 2000  # hundreds of milliseconds, not TCP time-outs

    # The server: the same token, issued to this device, arrived over LTE (and over Wired LAN
    # only when network 1 carries requests but answers too late).
    record = server.reach.record(outcome.token)
    assert record is not None
    assert record.device_id == device.device_id
    arrivals = {a.network for a in record.arrivals}
    assert arrivals == ({WIRED, LTE} if fault == "latency beyond budget" else {LTE})
    assert [(e.subject.name, e.fields["reason"]) for e in changes] == [(LTE, "failover")]
    wired = device.networks[0]
    assert (wired.state, wired.active) == (NetworkState.UNREACHABLE, False)

    # Network 1 recovers: the device goes back, but only after the hold.
    restored_at = asyncio.get_running_loop().time()
    await nets.wired.reset()
    back = await wait_event(
        device, EventKind.NETWORK_CHANGED, lambda e: e.fields["reason"] == "recovered"
    )
    assert back.subject.name == WIRED
    assert asyncio.get_running_loop().time() - restored_at >= POLICY.recover_hold_s
    await online_over(device, WIRED)
    assert [e.fields["reason"] for e in changes] == ["failover", "recovered"]


async def test_a_network_1_toggling_quickly_does_not_make_the_device_flap(dual, nets):
    device = await dual()
    changes = collect(device, EventKind.NETWORK_CHANGED)
    for _ in range(10):  # ten cuts in two seconds
        await nets.wired.set_enabled(False)
        await asyncio.sleep(0.1)
        await nets.wired.set_enabled(True)
        await asyncio.sleep(0.1)
    toggling_ended = asyncio.get_running_loop().time()
    assert [(e.subject.name, e.fields["reason"]) for e in changes] == [(LTE, "failover")]

    back = await wait_event(
        device,
        EventKind.NETWORK_CHANGED,
        lambda e: e.fields["reason"] == "recovered",
        timeout=15,
    )
    # Every failure seen while it toggled lengthened the hold (up to eight times).
    assert asyncio.get_running_loop().time() - toggling_ended >= 2 * POLICY.recover_hold_s
    assert back.subject.name == WIRED
    await online_over(device, WIRED)
    assert [e.fields["reason"] for e in changes] == ["failover", "recovered"]


async def test_a_silent_dead_link_is_noticed_by_heartbeats_and_nothing_sent_into_it_is_lost(
    dual, nets, server
):
    device = await dual()
    nets.wired.add_toxic(Toxic("timeout", {"timeout": 0}))  # server -> device: blackholed
    cut_at = asyncio.get_running_loop().time()
    job = await submit(server, ALICE, "sent into the dead link", device_id=device.device_id)
    await online_over(device, LTE, timeout=5)
    noticed = asyncio.get_running_loop().time() - cut_at
    assert noticed <= 1.5 * POLICY.heartbeat_s + 1.0  # a ping, then half an interval for a pong
    (dead,) = traced(device, "push", "dead-link")
    assert dead["network"] == WIRED
    await completed(device, job.job_id)  # its notice, lost in the dead link, came again over LTE


async def test_no_network_reaches_the_server_is_offline_and_both_coming_back_is_online(dual, nets):
    device = await dual()
    offline = wait_event(
        device, EventKind.CONNECTION_CHANGED, lambda e: e.subject is ConnectionState.OFFLINE
    )
    await nets.wired.set_enabled(False)
    await nets.lte.set_enabled(False)
    await offline
    assert active_name(device) is None
    assert {n.state for n in device.networks} == {NetworkState.UNREACHABLE}

    await nets.lte.set_enabled(True)
    await online_over(device, LTE)
    await nets.wired.set_enabled(True)
    await online_over(device, WIRED)
