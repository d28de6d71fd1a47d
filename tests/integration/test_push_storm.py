"""Push that loses nothing (S9) under a storm: a real server pushes jobs while both simulated
networks are cut, reset and blackholed again and again (at least 50 disconnects the device
lives through), and the device is restarted in the middle of it.

Nothing may be lost (every notification stored, every job printed), nothing run twice (each
job printed once), and the receptions stored before the restart are still there after it.
"""

from __future__ import annotations

import asyncio
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
from test_failover import LTE, WIRED, Nets, active_name, online_over

from panel.device import ConnectionState, Device, Event, EventKind, JobState
from panel.device.networks import FailoverPolicy, NetworkSettings
from panel.server.app import RunningServer
from panel.server.outbox import CLAIM_STALE_S, LEDGER_RETENTION_S
from panel.sim import Network, Toxic

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
)
INTERRUPTED = "interrupted: the device restarted"


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


async def cut(nets: Nets, name: str, how: str) -> None:
    """One fault on network `name`, then the network as it was."""
    net = nets[name]
    if how == "down":
        await net.set_enabled(False)
        await asyncio.sleep(0.03)
        await net.set_enabled(True)
    elif how == "both down":
        await nets.wired.set_enabled(False)
        await nets.lte.set_enabled(False)
        await asyncio.sleep(0.1)
        await nets.wired.set_enabled(True)
        await nets.lte.set_enabled(True)
    else:  # reset or blackhole: acts on the next data (the pushes flow every few ms)
        kind = "reset_peer" if how == "reset" else "timeout"
        toxic = net.add_toxic(Toxic(kind, {"timeout": 0}))
        await asyncio.sleep(0.1)
        net.remove_toxic(toxic.name)  # a blackhole's connections close as it goes


def printed_counts(trace_path: Path) -> Counter[str]:
    """How many times each job started printing, over every run of the device."""
    counts: Counter[str] = Counter()
    for line in trace_path.read_text().splitlines():
        entry = json.loads(line)
        what = (entry["concern"], entry["event"], entry.get("state"))
        if what == ("jobs", "state", JobState.PRINTING.value):
            counts[entry["job_id"]] += 1
    return counts


async def test_a_storm_of_disconnects_loses_no_notification_and_runs_no_job_twice(
    server: RunningServer, tmp_path: Path
):
    wired_net = await _network(WIRED, server)
    lte_net = await _network(LTE, server)
    nets = Nets(wired_net, lte_net)
    config = replace(
        device_config(server, tmp_path / "device"),
        networks=(
            NetworkSettings(WIRED, nets.wired.url, 1.0, 1.0),
            NetworkSettings(LTE, nets.lte.url, 1.0, 1.0),
        ),
        failover=STORM,
    )
    disconnects = Disconnects()
    device = Device(config)
    disconnects.watch(device)
    jobs: list[str] = []

    async def push_jobs() -> None:
        for n in range(JOBS):
            jobs.append((await submit(server, ALICE, f"storm {n}", 1, config.device_id)).job_id)
            await asyncio.sleep(0.02)  # the server pushes a job every ~20 ms through the storm

    rng = random.Random(4)
    faults = itertools.cycle(["down", "reset", "blackhole", "down", "reset", "both down"])
    pusher: asyncio.Task[None] | None = None
    try:
        await device.start()
        await online_over(device, WIRED)
        pusher = asyncio.ensure_future(push_jobs())
        deadline = time.monotonic() + 40
        restarted = False
        received_before_restart: set[str] = set()
        while disconnects.total < DISCONNECTS or not pusher.done():
            assert time.monotonic() < deadline, f"storm too slow: {disconnects.by_network}"
            if not restarted and disconnects.total >= DISCONNECTS // 2:
                await device.stop()  # a restart in the middle of the storm
                received_before_restart = set(stored_receptions(config.data_dir).values())
                device = Device(config)
                disconnects.watch(device)
                await device.start()
                restarted = True
            name = active_name(device) or rng.choice([WIRED, LTE])
            before = disconnects.total
            await cut(nets, name, next(faults))
            if disconnects.total == before and device.connection_state is ConnectionState.ONLINE:
                continue  # the fault found no data to act on: try again
            await _online(device)
        await pusher

        # The storm is over: everything arrives, once.
        await until(
            lambda: all(server.store.job(j).state in ("completed", "failed") for j in jobs),
            timeout=20,
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
        assert max(printed.values()) == 1  # no job printed twice
        states = {j: server.store.job(j) for j in jobs}
        # A job the restart cut mid-page is failed honestly (and not printed again).
        cut_short = [j for j, info in states.items() if info.state == "failed"]
        assert all(states[j].reason == INTERRUPTED for j in cut_short), states
        assert len(cut_short) <= 1
        assert set(printed) == set(jobs)
        assert disconnects.total >= DISCONNECTS
        assert disconnects.by_network[WIRED] >= 5
        assert disconnects.by_network[LTE] >= 5
    finally:
        if pusher is not None and not pusher.done():
            pusher.cancel()
            await asyncio.gather(pusher, return_exceptions=True)
        await device.stop()
        await nets.wired.stop()
        await nets.lte.stop()


def stored_receptions(data_dir: Path) -> dict[int, str]:
    """seq -> job_id of the receptions in the device's database file, as it is on disk."""
    with contextlib.closing(sqlite3.connect(data_dir / "device.sqlite3")) as db:
        return dict(db.execute("SELECT seq, job_id FROM receptions").fetchall())


async def _network(name: str, server: RunningServer) -> Network:
    net = Network(name, ("127.0.0.1", server.port))
    await net.start()
    return net


async def _online(device: Device, timeout: float = 10.0) -> None:
    done = asyncio.get_running_loop().create_future()

    def check(_: Event | None = None) -> None:
        if not done.done() and device.connection_state is ConnectionState.ONLINE:
            done.set_result(None)

    unsubscribe = device.events.subscribe(check, EventKind.CONNECTION_CHANGED)
    try:
        check()
        await asyncio.wait_for(done, timeout)
    finally:
        unsubscribe()


async def test_notifications_are_kept_for_a_device_away_more_than_a_day(
    server: RunningServer, make_device
):
    """The server never purges notifications: a device that comes back after more than
    24 h (the server's clock moved on, its periodic purge run) gets every one replayed."""
    device = await make_device()
    await _online(device)
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
