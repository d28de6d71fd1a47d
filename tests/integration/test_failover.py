"""Network fallback (S2) over real sockets: a real server behind two simulated networks
("Wired LAN" preferred, "LTE"), a real device core with both.

For each way network 1 fails, a process requested right after goes over network 2, checked
with the same token (the server's record says where it arrived); when network 1 recovers the
device goes back after the hold, and a network 1 that keeps toggling does not make it flap.

The device and the networks' toxics run on one ManualClock the tests step (support.networks):
staggers, budgets, holds, probes and heartbeats are device time, so a loaded machine cannot
make them expire early or late; the exchanges themselves go over real sockets. One test keeps
real time, where the real milliseconds are the point.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import pytest
from support import ALICE, ALICE_PIN, device_config, submit, until, wait_event
from support.networks import (
    LTE,
    POLICY,
    WIRED,
    Nets,
    active_name,
    collect,
    cut_all_networks,
    is_completed,
    is_online_over,
    online_over,
    run_for,
    run_until,
    start_nets,
    stop_nets,
    traced,
)

from panel.device import ConnectionState, Device, EventKind, LoginOutcome, LoginResult
from panel.device.clock import Clock, ManualClock
from panel.device.networks import (
    NetworkState,
    NetworkStatus,
    ReachOutcome,
)
from panel.protocol.liveness import dead_after_s
from panel.server.app import RunningServer
from panel.sim.faults import Fault, set_fault

DualFactory = Callable[..., Awaitable[Device]]


@pytest.fixture
async def dual(
    server: RunningServer, nets: Nets, clock: ManualClock, tmp_path: Path
) -> AsyncIterator[DualFactory]:
    """Start devices on `clock` whose networks are `nets` (Wired LAN first), online over Wired
    LAN; all are stopped after."""
    devices: list[Device] = []

    async def factory(wired_budget_s: float = 1.0, device_clock: Clock = clock) -> Device:
        config = replace(
            device_config(server, tmp_path / f"device-{len(devices)}"),
            networks=nets.settings(wired_budget_s),
            failover=POLICY,
        )
        device = Device(config, clock=device_clock)
        devices.append(device)
        await device.start()
        if isinstance(device_clock, ManualClock):
            await run_until(device_clock, lambda: is_online_over(device, WIRED), device)
        else:
            await online_over(device, WIRED)
        return device

    yield factory
    for device in devices:
        await device.stop()


async def test_the_device_uses_the_preferred_network_checked_with_a_token(dual, server):
    device = await dual()
    assert device.networks[0] == NetworkStatus(
        WIRED, NetworkState.REACHABLE, True, device.networks[0].latency_ms
    )
    assert [(n.name, n.active) for n in device.networks] == [(WIRED, True), (LTE, False)]
    (record,) = server.reach.records(device.device_id)
    assert record.process == "push"
    assert [a.network for a in record.arrivals] == [WIRED]


# Each way network 1 fails: the fault and its value, the budget of network 1, and how its first
# try for the token ends (the stagger abandons a silent network; a slow one runs out of budget).
FAULTS = {
    "down (refused)": (Fault.DOWN, 1, 1.0, "refused"),
    "reset_peer": (Fault.RESET, 1, 1.0, "reset"),
    "blackhole": (Fault.BLACKHOLE, 1, 1.0, "cancelled"),
    "latency beyond budget": (Fault.LATENCY, 500, 0.2, "too-slow"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_each_failure_of_network_1_fails_over_with_the_same_token_and_comes_back(
    dual, nets, server, clock, fault
):
    kind, value, budget, first_try = FAULTS[fault]
    device = await dual(wired_budget_s=budget)
    reaches = collect(device, EventKind.NETWORK_REACH)
    changes = collect(device, EventKind.NETWORK_CHANGED)

    await set_fault(nets.wired, kind, value)
    started = clock.monotonic()
    login = asyncio.ensure_future(device.login(ALICE, ALICE_PIN))  # a process is requested
    await run_until(clock, login.done, device, faulted={WIRED}, within_s=5, what="the login")
    result: LoginResult = login.result()

    assert result.outcome is LoginOutcome.ACCEPTED
    exchanges = traced(device, "connection", "exchange")
    (login_exchange,) = [e for e in exchanges if e["path"] == "/sessions"]
    assert (login_exchange["network"], login_exchange["status"]) == (LTE, 200)
    outcome: ReachOutcome = next(e.subject for e in reaches if e.subject.network == LTE)
    tries = {(a.stage, a.network): a.outcome for a in outcome.attempts}
    assert tries[("token", WIRED)] == first_try
    assert tries[("check", WIRED)] != "ok"  # tried with the token, and it did not get through
    assert tries[("check", LTE)] == "ok"
    # Hundreds of milliseconds of device time, not TCP time-outs: at most the stagger or the
    # budget of network 1 (and a step of the test's clock) before LTE started.
    assert outcome.ms <= 1000 * (max(POLICY.stagger_s, budget) + 0.1)
    assert clock.monotonic() - started < 1.0

    # The server: the same token, issued to this device, arrived over LTE (and over Wired LAN
    # only when network 1 carries requests but answers too late).
    record = server.reach.record(outcome.token)
    assert record is not None
    assert record.device_id == device.device_id
    expected = {WIRED, LTE} if kind is Fault.LATENCY else {LTE}
    await until(lambda: {a.network for a in record.arrivals} == expected, what="the arrivals")
    assert [(e.subject.name, e.fields["reason"]) for e in changes] == [(LTE, "failover")]
    wired = device.networks[0]
    assert (wired.state, wired.active) == (NetworkState.UNREACHABLE, False)

    # Network 1 recovers: the device goes back, but only after the hold.
    await nets.wired.reset()
    took = await run_until(
        clock,
        lambda: [e.fields["reason"] for e in changes] == ["failover", "recovered"],
        device,
        within_s=30,
        what="back to Wired LAN",
    )
    assert took >= POLICY.recover_hold_s
    assert changes[-1].subject.name == WIRED
    await run_until(clock, lambda: is_online_over(device, WIRED), device, within_s=10)
    assert [e.fields["reason"] for e in changes] == ["failover", "recovered"]


async def test_a_network_1_toggling_quickly_does_not_make_the_device_flap(dual, nets, clock):
    device = await dual()
    changes = collect(device, EventKind.NETWORK_CHANGED)
    for _ in range(10):  # ten cuts in two seconds
        await nets.wired.set_enabled(False)
        await run_for(clock, 0.1, device, faulted={WIRED})
        await nets.wired.set_enabled(True)
        await run_for(clock, 0.1, device)
    assert [(e.subject.name, e.fields["reason"]) for e in changes] == [(LTE, "failover")]

    took = await run_until(
        clock,
        lambda: len(changes) == 2,
        device,
        within_s=60,
        what="back to Wired LAN",
    )
    # Every failure seen while it toggled lengthened the hold (up to eight times).
    assert took >= 2 * POLICY.recover_hold_s
    assert (changes[1].subject.name, changes[1].fields["reason"]) == (WIRED, "recovered")
    await run_until(clock, lambda: is_online_over(device, WIRED), device, within_s=10)
    assert [e.fields["reason"] for e in changes] == ["failover", "recovered"]


async def test_a_silent_dead_link_is_noticed_by_heartbeats_and_nothing_sent_into_it_is_lost(
    dual, nets, server, clock
):
    device = await dual()
    await set_fault(nets.wired, Fault.BLACKHOLE)  # nothing gets through, nothing is refused
    job = await submit(server, ALICE, "sent into the dead link", device_id=device.device_id)
    noticed = await run_until(
        clock,
        lambda: traced(device, "push", "dead-link") != [],
        device,
        faulted={WIRED},
        within_s=5,
        what="the dead link",
    )
    # Pings after a heartbeat of silence, then unanswered ones (panel.protocol.liveness): a
    # stall of a few heartbeats is no dead link, a dead link is noticed soon after (+ a step).
    assert noticed <= dead_after_s(POLICY.heartbeat_s) + 0.1
    (dead,) = traced(device, "push", "dead-link")
    assert dead["network"] == WIRED
    await run_until(clock, lambda: is_online_over(device, LTE), device, faulted={WIRED})
    # Its notice, lost in the dead link, came again over LTE.
    await run_until(clock, lambda: is_completed(device, job.job_id), device, faulted={WIRED})


async def test_no_network_reaches_the_server_is_offline_and_both_coming_back_is_online(
    dual, nets, clock
):
    device = await dual()
    await cut_all_networks(nets, clock, device)
    assert active_name(device) is None
    assert {n.state for n in device.networks} == {NetworkState.UNREACHABLE}
    # A long outage slows the device's retries down only up to the reconnect cap (full jitter,
    # so a fleet that lost its server does not come back in step and storm it, issue 12).
    await run_for(clock, 60.0, device, faulted={WIRED, LTE}, step=0.2)

    await nets.lte.set_enabled(True)
    took = await run_until(clock, lambda: is_online_over(device, LTE), device, faulted={WIRED})
    assert took <= POLICY.reconnect_cap_s + POLICY.stagger_s + 0.1
    await nets.wired.set_enabled(True)
    await run_until(clock, lambda: is_online_over(device, WIRED), device, within_s=30)


@pytest.mark.realtime
async def test_a_blackholed_network_is_left_behind_after_the_stagger_in_real_milliseconds(
    server, tmp_path
):
    """Real time is the point: on the real clock, with a blackholed Wired LAN, LTE starts one
    stagger (250 ms) after it and the login gets through in well under a TCP time-out."""
    nets = await start_nets(server.port)
    config = replace(
        device_config(server, tmp_path / "device"),
        networks=nets.settings(),
        failover=POLICY,
    )
    device = Device(config)
    try:
        online = wait_event(
            device, EventKind.CONNECTION_CHANGED, lambda e: e.subject is ConnectionState.ONLINE
        )
        await device.start()
        await online
        assert active_name(device) == WIRED
        reached = wait_event(
            device, EventKind.NETWORK_REACH, lambda e: e.subject.network == LTE, timeout=30
        )
        await set_fault(nets.wired, Fault.BLACKHOLE)
        result = await asyncio.wait_for(device.login(ALICE, ALICE_PIN), 30)
        assert result.outcome is LoginOutcome.ACCEPTED
        outcome: ReachOutcome = (await reached).subject
        token_tries = {a.network: a for a in outcome.attempts if a.stage == "token"}
        assert {n: a.outcome for n, a in token_tries.items()} == {WIRED: "cancelled", LTE: "ok"}
        # Wired LAN had its whole head start before LTE started and answered.
        assert token_tries[WIRED].ms >= POLICY.stagger_s * 1000
        assert outcome.ms < 2000  # hundreds of milliseconds, not a TCP time-out
    finally:
        await device.stop()
        await stop_nets(nets)


async def test_stopping_a_device_mid_failover_leaves_no_timer_and_no_task_of_its_own(
    dual, nets, clock
):
    device = await dual()
    await set_fault(nets.wired, Fault.BLACKHOLE)
    await run_until(clock, lambda: is_online_over(device, LTE), device, faulted={WIRED})
    await nets.wired.reset()
    await run_for(clock, 0.3, device)  # probing Wired LAN again, heartbeats on LTE
    assert clock.pending > 0
    await device.stop()
    assert clock.pending == 0  # every sleep, time-out and heartbeat of the device is gone
    current = asyncio.current_task()
    mine = [t for t in asyncio.all_tasks() if t is not current and "panel/device" in repr(t)]
    assert mine == []


def lte_status(device: Device) -> NetworkStatus:
    return next(status for status in device.networks if status.name == LTE)


async def test_a_failed_network_behind_the_one_in_use_is_probed_until_it_answers_again(
    dual, nets, clock
):
    """No check tries LTE while Wired LAN works: only a probe can tell that it is back (the QA
    dock showed LTE "refused" long after "Restore all networks", issue 11)."""
    device = await dual()
    await cut_all_networks(nets, clock, device)
    await nets.wired.set_enabled(True)
    await run_until(clock, lambda: is_online_over(device, WIRED), device, faulted={LTE})
    await run_for(clock, 5 * POLICY.probe_interval_s, device, faulted={LTE})
    assert lte_status(device).state is NetworkState.UNREACHABLE  # probed: still refused
    assert "refused" in lte_status(device).error

    await nets.lte.set_enabled(True)
    took = await run_until(
        clock, lambda: lte_status(device).state is NetworkState.REACHABLE, device, within_s=5
    )
    assert took <= 1.5 * POLICY.probe_interval_s + 0.1  # one probe interval, with its jitter
    assert active_name(device) == WIRED  # known good again, not used: Wired LAN is preferred
    assert lte_status(device).error == ""
