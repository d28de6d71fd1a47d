"""Helpers for the network tests (S2, S9): two simulated networks in front of a real server,
waiting on a device's events, and stepping a device's ManualClock while real sockets carry the
exchanges.

Stepping a manual clock beside real sockets: the device's time-outs run on the clock, its
exchanges on real sockets in real time. Time is therefore moved only while nothing the devices
sent over a working network waits for its answer (`settle`); an exchange over a network the
test has faulted answers only when the clock says it is too late, so it does not hold time up.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from panel.device import ConnectionState, Device, Event, EventKind, JobState
from panel.device.clock import Clock, ManualClock
from panel.device.networks import FailoverPolicy, NetworkSettings
from panel.sim import Network
from support import until

WIRED, LTE = "Wired LAN", "LTE"
STEP_S = 0.05  # shorter than any deadline of an exchange: none can expire within one step
# Real timings, shortened where only waiting would be longer: the stagger is RFC 8305's.
POLICY = FailoverPolicy(
    stagger_s=0.25,
    heartbeat_s=0.6,
    probe_interval_s=0.1,
    recover_probes=3,
    recover_hold_s=0.6,
    flap_window_s=30.0,
    reuse_s=0.0,  # every process is checked with its own token
    # a panel's reconnect waits (up to 30 s after repeated failures) shortened as the rest: a
    # wait of up to 0.5 s after a cut could fall in a moment the cut network was back, and the
    # device would then (rightly) never leave it, so a test of cuts would depend on the dice
    reconnect_base_s=0.05,
    reconnect_cap_s=1.0,
    reconnect_stable_s=1.0,
)


@dataclass
class Nets:
    """The two simulated networks, "Wired LAN" (preferred) and "LTE", to one server."""

    wired: Network
    lte: Network

    def __getitem__(self, name: str) -> Network:
        return self.wired if name == WIRED else self.lte

    def settings(self, wired_budget_s: float = 1.0) -> tuple[NetworkSettings, ...]:
        """A device's routes through these networks, Wired LAN preferred (1 s connect time-outs;
        Wired LAN's latency budget `wired_budget_s`)."""
        return (
            NetworkSettings(WIRED, self.wired.url, 1.0, wired_budget_s),
            NetworkSettings(LTE, self.lte.url, 1.0, 1.0),
        )


async def start_nets(port: int, clock: Clock | None = None) -> Nets:
    """Both networks to the server on `port`; their toxics act in `clock`'s time (the devices'
    ManualClock in virtual-time tests: a latency is then device time too)."""
    wired = Network(WIRED, ("127.0.0.1", port), clock=clock)
    lte = Network(LTE, ("127.0.0.1", port), clock=clock)
    await wired.start()
    await lte.start()
    return Nets(wired, lte)


async def stop_nets(nets: Nets) -> None:
    await nets.wired.stop()
    await nets.lte.stop()


def active_name(device: Device) -> str | None:
    """The network the device uses now (None: none reaches the server)."""
    return next((n.name for n in device.networks if n.active), None)


def collect(device: Device, kind: EventKind) -> list[Event]:
    seen: list[Event] = []
    device.events.subscribe(seen.append, kind)
    return seen


def traced(device: Device, concern: str, event: str) -> list[dict[str, Any]]:
    """The device's trace lines of `concern`/`event`, oldest first."""
    device.trace.flush()
    assert device.trace.path is not None
    lines = [json.loads(line) for line in device.trace.path.read_text().splitlines()]
    return [line for line in lines if line["concern"] == concern and line["event"] == event]


# ---- waiting in real time (for what real sockets carry) ---------------------------------------


async def until_state(
    device: Device, ready: Callable[[], bool], *kinds: EventKind, timeout: float = 10.0
) -> None:
    """Until `ready()` holds, looked at now and after each event of `kinds` (real time)."""
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


def is_online_over(device: Device, name: str | None) -> bool:
    online = device.connection_state is ConnectionState.ONLINE
    return online and (name is None or active_name(device) == name)


async def online_over(device: Device, name: str | None = None, timeout: float = 10.0) -> None:
    """Until the device is online with `name` the network in use (any when None)."""
    await until_state(
        device,
        lambda: is_online_over(device, name),
        EventKind.CONNECTION_CHANGED,
        EventKind.NETWORK_CHANGED,
        timeout=timeout,
    )


def is_completed(device: Device, job_id: str) -> bool:
    job = device.jobs.get(job_id)
    return job is not None and job.state is JobState.COMPLETED


async def completed(device: Device, job_id: str, timeout: float = 10.0) -> None:
    await until_state(
        device, lambda: is_completed(device, job_id), EventKind.JOB_STATE_CHANGED, timeout=timeout
    )


# ---- stepping a device's manual clock -------------------------------------------------------


async def settle(*devices: Device, faulted: Collection[str] = (), timeout: float = 30.0) -> None:
    """Until every exchange of `devices` went out, and those over working networks (all but
    `faulted`) have their answers: a step of the clock now cannot time out an answer that is
    on its way. Real time; generous for a loaded machine."""

    def quiet() -> bool:
        return all(d.link.networks.on_wire(tuple(faulted)) == 0 for d in devices)

    if not quiet():
        await until(quiet, timeout, "the devices' exchanges to be answered")


async def run_for(
    clock: ManualClock,
    seconds: float,
    *devices: Device,
    faulted: Collection[str] = (),
    step: float = STEP_S,
) -> None:
    """Advance `clock` by `seconds` in steps of at most `step`, settling `devices` before each
    step and after the last."""
    end = clock.monotonic() + seconds
    while (left := end - clock.monotonic()) > 1e-9:
        await settle(*devices, faulted=faulted)
        await clock.run_for(min(step, left))
    await settle(*devices, faulted=faulted)


async def run_until(
    clock: ManualClock,
    ready: Callable[[], bool],
    *devices: Device,
    faulted: Collection[str] = (),
    within_s: float = 60.0,
    step: float = STEP_S,
    what: str = "",
) -> float:
    """Step `clock` (as `run_for`) until `ready()` holds; how much device time that took.
    AssertionError when `within_s` of device time pass first."""
    started = clock.monotonic()
    await settle(*devices, faulted=faulted)
    while not ready():
        if clock.monotonic() - started >= within_s:
            raise AssertionError(f"not within {within_s} s of device time: {what or ready}")
        await run_for(clock, step, *devices, faulted=faulted, step=step)
    return clock.monotonic() - started


async def cut_all_networks(nets: Nets, clock: ManualClock, device: Device) -> None:
    """Take both networks down and step `clock` until `device` says it is offline."""
    await nets.wired.set_enabled(False)
    await nets.lte.set_enabled(False)
    await run_until(
        clock,
        lambda: device.connection_state is ConnectionState.OFFLINE,
        device,
        faulted={WIRED, LTE},
        within_s=10,
        what="offline",
    )
