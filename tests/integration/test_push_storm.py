"""Push that loses nothing (S9) under a storm: a real server pushes jobs while both simulated
networks are cut, reset and blackholed again and again (at least 50 disconnects the device
lives through), and the device is restarted in the middle of it.

Nothing may be lost (every notification stored, every job printed), nothing run twice (no
page printed twice; a job the restart cut mid-print resumes at its first page not counted),
and the receptions stored before the restart are still there after it.

The device and the networks' toxics run on one ManualClock the test steps (support.networks):
reconnect backoffs, heartbeats, staggers and the length of each fault are device time, so the
storm is the same on a loaded machine; the pushes go over real sockets.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import random
import sqlite3
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from support import ALICE, device_config, submit, until
from support.networks import (
    LTE,
    WIRED,
    Nets,
    active_name,
    is_online_over,
    online_over,
    run_for,
    run_until,
    start_nets,
    stop_nets,
)

from panel.device import ConnectionState, Device, Event, EventKind
from panel.device.clock import ManualClock
from panel.device.networks import FailoverPolicy
from panel.server.app import RunningServer
from panel.server.outbox import CLAIM_STALE_S, LEDGER_RETENTION_S
from panel.sim.faults import Fault, set_fault

JOBS = 120
DISCONNECTS = 50
STORM = FailoverPolicy(
    stagger_s=0.25,
    heartbeat_s=0.5,
    probe_interval_s=0.1,
    recover_probes=2,
    recover_hold_s=0.2,
    flap_window_s=2.0,
    reuse_s=0.5,
    # Reconnect while a fault is still on, so the storm moves the device between both
    # networks (a real panel's backoff, tens of seconds at its cap, would sit faults out).
    reconnect_base_s=0.01,
    reconnect_cap_s=0.02,
)


class Disconnects:
    """Every time a device that was online stops being so, and over which network it was."""

    def __init__(self) -> None:
        self.by_network: Counter[str] = Counter()
        self._was: dict[int, str | None] = {}

    def watch(self, device: Device) -> None:
        def on_change(event: Event) -> None:
            if event.subject is ConnectionState.ONLINE:
                self._was[id(device)] = active_name(device)
            elif self._was.get(id(device)):
                self.by_network[self._was.pop(id(device)) or ""] += 1

        device.events.subscribe(on_change, EventKind.CONNECTION_CHANGED)

    @property
    def total(self) -> int:
        return sum(self.by_network.values())


class Storm:
    """Faults on the networks, in device time, while the server pushes jobs through them."""

    def __init__(self, server: RunningServer, nets: Nets, clock: ManualClock, device_id: str):
        self.server, self.nets, self.clock, self.device_id = server, nets, clock, device_id
        self.jobs: list[str] = []

    async def push_job(self) -> None:
        """The server pushes one more job (while a fault is on, the push meets the fault)."""
        if len(self.jobs) < JOBS:
            n = len(self.jobs)
            info = await submit(self.server, ALICE, f"storm {n}", 1, self.device_id)
            self.jobs.append(info.job_id)

    async def cut(self, device: Device, name: str, how: str) -> None:
        """One fault on network `name` for a moment of device time, then the network as it was."""
        net = self.nets[name]
        if how == "both down":
            await set_fault(self.nets.wired, Fault.DOWN)
            await set_fault(self.nets.lte, Fault.DOWN)
            await self.push_job()
            await run_for(self.clock, 0.1, device, faulted={WIRED, LTE})
            await self.nets.wired.reset()
            await self.nets.lte.reset()
            return
        fault = {"down": Fault.DOWN, "reset": Fault.RESET, "blackhole": Fault.BLACKHOLE}[how]
        await set_fault(net, fault)
        await self.push_job()  # a reset or a blackhole acts on the next data
        await run_for(self.clock, 0.03 if how == "down" else 0.1, device, faulted={name})
        await net.reset()  # a blackhole's connections close as it goes


def printed_counts(trace_path: Path) -> Counter[tuple[str, int]]:
    """How many times each page of each job was printed, over every run of the device."""
    counts: Counter[tuple[str, int]] = Counter()
    for line in trace_path.read_text().splitlines():
        entry = json.loads(line)
        if (entry["concern"], entry["event"]) == ("jobs", "progress"):
            counts[entry["job_id"], entry["page"]] += 1
    return counts


async def test_a_storm_of_disconnects_loses_no_notification_and_runs_no_job_twice(
    server: RunningServer, tmp_path: Path
):
    clock = ManualClock()
    nets = await start_nets(server.port, clock)
    config = replace(
        device_config(server, tmp_path / "device"),
        networks=nets.settings(),
        failover=STORM,
    )
    storm = Storm(server, nets, clock, config.device_id)
    disconnects = Disconnects()
    device = Device(config, clock=clock)
    disconnects.watch(device)

    def online() -> bool:
        return is_online_over(device, None)

    rng = random.Random(4)
    faults = itertools.cycle(["down", "reset", "blackhole", "down", "reset", "both down"])
    try:
        await device.start()
        await run_until(clock, lambda: is_online_over(device, WIRED), device, what="online")
        restarted = False
        received_before_restart: set[str] = set()
        for _ in range(20 * DISCONNECTS):  # a bound, far above what the storm needs
            if disconnects.total >= DISCONNECTS and len(storm.jobs) == JOBS:
                break
            if not restarted and disconnects.total >= DISCONNECTS // 2:
                await device.stop()  # a restart in the middle of the storm
                received_before_restart = set(stored_receptions(config.data_dir).values())
                device = Device(config, clock=clock)
                disconnects.watch(device)
                await device.start()
                restarted = True
            name = active_name(device) or rng.choice([WIRED, LTE])
            await storm.cut(device, name, next(faults))
            await storm.push_job()  # and one more between the faults
            await run_until(clock, online, device, within_s=30, what="online after a fault")
        else:
            raise AssertionError(f"storm too weak: {disconnects.by_network}, {len(storm.jobs)}")
        jobs = storm.jobs

        # The storm is over: everything arrives, once.
        await run_until(
            clock,
            lambda: all(server.store.job(j).state == "completed" for j in jobs),
            device,
            within_s=120,
            what="every job finished on the server",
        )
        assert received_before_restart  # receptions were stored before the restart...
        receptions = stored_receptions(config.data_dir)
        assert received_before_restart <= set(receptions.values())  # ...and survived it
        assert sorted(receptions) == list(range(1, JOBS + 1))  # none lost
        assert set(receptions.values()) == set(jobs)
        assert server.store.first_unacked(config.device_id) is None

        device.trace.flush()
        assert device.trace.path is not None
        printed = printed_counts(device.trace.path)
        assert max(printed.values()) == 1  # no page printed twice (a cut job resumed)
        states = {j: server.store.job(j) for j in jobs}
        assert all(info.pages_done == info.pages * info.copies for info in states.values())
        assert {job_id for job_id, _ in printed} == set(jobs)
        assert len(printed) == sum(info.pages * info.copies for info in states.values())
        assert disconnects.total >= DISCONNECTS
        assert disconnects.by_network[WIRED] >= 5
        assert disconnects.by_network[LTE] >= 5
    finally:
        await device.stop()
        await stop_nets(nets)


def stored_receptions(data_dir: Path) -> dict[int, str]:
    """seq -> job_id of the receptions in the device's database file, as it is on disk."""
    with contextlib.closing(sqlite3.connect(data_dir / "device.sqlite3")) as db:
        return dict(db.execute("SELECT seq, job_id FROM receptions").fetchall())


async def test_notifications_are_kept_for_a_device_away_more_than_a_day(
    server: RunningServer, make_device
):
    """The server never purges notifications: a device that comes back after more than
    24 h (the server's clock moved on, its periodic purge run) gets every one replayed."""
    device = await make_device()
    await online_over(device)
    config = device.config
    await device.stop()
    away = [
        (await submit(server, ALICE, f"while away {n}", 1, config.device_id)).job_id
        for n in range(3)
    ]
    later = time.time() + 25 * 3600
    server.store.clock = lambda: later
    server.store.purge_ledger(LEDGER_RETENTION_S, CLAIM_STALE_S)
    assert [n.job_id for n in server.store.notifications_after(config.device_id, 0)] == away

    again = Device(config)
    await again.start()
    try:
        await until(
            lambda: all(server.store.job(j).state == "completed" for j in away),
            what="the notices replayed after a day away",
        )
    finally:
        await again.stop()
