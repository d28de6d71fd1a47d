"""A fleet worker process (`mfp-panel _fleet-worker SPEC`): many headless `Device`s on one loop.

The spec (a JSON file, see `controller.Fleet`) names the server, a data directory and the
members. Each device starts, connects, and its user logs in by card as soon as it is online.
The worker reports on stdout, one JSON object a line:

- `{"ev": "base", "rss_kb": ...}` once, before any device exists (what the process costs bare);
- `{"ev": "status", ...}` every `report_s`: devices started, online, logged in, drops (an
  online device that went offline), the wall time a device last came online, RSS;
- `{"ev": "job", "j": JOB_ID, "at": WALL_TIME}` each time a device sees a pushed job;
- `{"ev": "login", "u": USER_ID}` when a member's user is logged in;
- `{"ev": "stopped"}` last.

It stops (every device stopped, as a panel would) on SIGTERM or when its stdin closes.
In bare mode (`"bare": true`) it opens plain aiohttp WebSockets with the devices' heartbeat
instead: the baseline a server's memory per connection is compared with.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from panel.device import ConnectionState, Device, DeviceConfig, Event, EventKind
from panel.device.backoff import Backoff
from panel.device.power import PowerSettings
from panel.fleet.seed import Member, load
from panel.gc_policy import GcPolicy, GcStats
from panel.protocol.messages import CacheSnapshot
from panel.tasks import TaskOwner

WORKER_COMMAND = "_fleet-worker"
HEARTBEAT_S = 3.0  # the devices' push heartbeat (FailoverPolicy.heartbeat_s); bare sockets too
# Devices of one worker between their start and their user's first login, at most. A fleet that
# starts devices faster than they get in (a busy server, or a worker short of CPU on a shared
# machine) would otherwise pile up thousands of starts whose requests all time out and are
# sent again: a window keeps the starts in flight to what gets through, as TCP's does.
STARTING_AT_ONCE = 64
# A fleet device never dims, sleeps or logs its user out by itself: the load is the network's.
# How long a worker told to stop gives its devices to stop cleanly (see _stop_all).
STOP_DEADLINE_S = 20.0
FLEET_POWER = PowerSettings(dim_after_s=1e9, sleep_after_s=1e9, auto_logout_s=0.0)


def rss_kb() -> int:
    """This process's resident set now (Linux), else its peak."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def raise_nofile() -> int:
    """Open files: the soft limit up to the hard one (thousands of sockets and databases)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Output:
    """JSON lines on stdout, written together once per loop iteration."""

    def __init__(self) -> None:
        self._pending: list[str] = []

    def emit(self, **fields: Any) -> None:
        self._pending.append(json.dumps(fields, separators=(",", ":")) + "\n")
        if len(self._pending) == 1:
            asyncio.get_running_loop().call_soon(self.flush)

    def flush(self) -> None:
        if self._pending:
            sys.stdout.write("".join(self._pending))
            sys.stdout.flush()
            self._pending.clear()


@dataclass
class Counters:
    started: int = 0
    online: int = 0
    logged_in: int = 0
    drops: int = 0
    failed: int = 0  # logins refused or not answered (each is tried again)
    last_online: float = 0.0  # wall time a device last came online
    lag_ms: float = 0.0  # the event loop's worst lateness so far
    errors: list[str] = field(default_factory=list)
    gc: GcStats = field(default_factory=GcStats)
    stopped: int = 0  # devices stopped cleanly once the worker was told to stop
    expected: int = 0  # devices this worker runs
    everyone_in: asyncio.Event = field(default_factory=asyncio.Event)  # all logged in once

    def logged_in_one(self) -> None:
        self.logged_in += 1
        if self.logged_in >= self.expected:
            self.everyone_in.set()

    def status(self) -> dict[str, Any]:
        return {
            "ev": "status",
            "started": self.started,
            "online": self.online,
            "logged_in": self.logged_in,
            "drops": self.drops,
            "failed": self.failed,
            "last_online": self.last_online,
            "rss_kb": rss_kb(),
            "lag_ms": round(self.lag_ms, 1),
            "stopped": self.stopped,
            "gc_full_ms": round(self.gc.longest_full_ms, 1),
            "gc_full": self.gc.full,
            "gc_step_ms": round(self.gc.longest_step_ms, 1),
            "errors": self.errors[-3:],
        }


class SharedSnapshots:
    """One copy of the server's cached information for every device of the process.

    A device that fetched and decoded the snapshot keeps the copy the first device of the
    process got for that version (a version names one content): with a user per device, a
    fleet of N has N users in the directory, and N copies of it grow as N².

    A device started once the process holds a copy starts with it (`preload`), as a panel
    that ran before starts with the cache it kept on its disk (a reboot storm): the server's
    welcome names the version, and the device fetches the snapshot only if it is not that
    one. Without it, each device would decode the directory itself: ~70 ms of the worker's
    CPU at 5,000 users, which a real panel spends on its own processor, not the fleet's.
    """

    def __init__(self) -> None:
        self._latest: CacheSnapshot | None = None

    def preload(self, device: Device) -> None:
        """Start `device` with the process's copy, if it has one."""
        if self._latest is not None:
            device.cache.snapshot = self._latest

    def share(self, device: Device) -> None:
        mine = device.cache.snapshot
        latest = self._latest
        if latest is not None and latest.version == mine.version:
            device.cache.snapshot = latest
        elif latest is None or mine.version > latest.version:
            self._latest = mine


class FleetDevice:
    """One member's device: started, its user logged in by card once it is online."""

    def __init__(
        self,
        member: Member,
        config: DeviceConfig,
        counters: Counters,
        out: Output,
        snapshots: SharedSnapshots,
    ) -> None:
        self.member = member
        self.device = Device(config)
        self._counters = counters
        self._out = out
        self._online = False
        self._was_online = False
        self._up = asyncio.Event()
        events = self.device.events
        events.subscribe(self._on_connection, EventKind.CONNECTION_CHANGED)
        events.subscribe(lambda _: snapshots.share(self.device), EventKind.CACHE_CHANGED)
        at: Callable[[], float] = time.time
        events.subscribe(
            lambda event: out.emit(ev="job", j=event.subject.job_id, at=at()),
            EventKind.JOB_CREATED,
        )

    def _on_connection(self, event: Event) -> None:
        online = event.subject is ConnectionState.ONLINE
        if online == self._online:
            return
        self._online = online
        c = self._counters
        if online:
            c.online += 1
            c.last_online = time.time()
            self._was_online = True
            self._up.set()
        else:
            c.online -= 1
            c.drops += 1
            self._up.clear()

    async def run(self, starting: asyncio.Semaphore) -> None:
        """Start, then log the member's user in by card once online; a login that fails (the
        server is busy) is tried again after a jittered, growing wait. `starting` (acquired
        by the caller) is released after the first try: a device waiting to try again costs
        little, and must not keep the next ones from starting."""
        try:
            await self.device.start()
            self._counters.started += 1
            done = await self._log_in()
        finally:
            starting.release()
        backoff = Backoff(base_s=1.0, cap_s=30.0, now=time.monotonic)
        while not done:
            await asyncio.sleep(backoff.failed())
            done = await self._log_in()

    async def _log_in(self) -> bool:
        """One try, once online."""
        await self._up.wait()
        result = await self.device.cards.tap(self.member.card_id)
        if result.ok:
            self._counters.logged_in_one()
            self._out.emit(ev="login", u=self.member.user_id)
            return True
        self._counters.failed += 1
        self._counters.errors.append(f"{self.member.user_id}: {result.message}")
        del self._counters.errors[:-3]
        return False

    async def stop(self) -> None:
        await self.device.stop()


async def _devices(
    spec: dict[str, Any],
    counters: Counters,
    out: Output,
    stop: asyncio.Event,
    settled: Callable[[], None],
) -> None:
    """Start the spec's devices; `settled()` once every one has its user logged in."""
    members = load(spec["members"])
    counters.expected = len(members)
    snapshots = SharedSnapshots()
    data = Path(spec["data_dir"])
    rate = float(spec["start_rate"])  # devices started per second
    starting = asyncio.Semaphore(int(spec.get("starting_at_once", STARTING_AT_ONCE)))
    fleet: list[FleetDevice] = []
    owner = TaskOwner("fleet worker")
    t0 = time.monotonic()
    try:
        # Each device is built as it starts (opening its store costs milliseconds): building
        # thousands first would hold the loop for a minute.
        for n, m in enumerate(members):
            if not await _place(starting, stop):  # given back after its first login
                break
            config = DeviceConfig(
                f"Fleet MFP {m.user_id}",
                spec["server_url"],
                data / m.device_id,
                m.device_id,
                m.secret,
                ppm=1e6,
                warmup_s=0.0,
                power=FLEET_POWER,
            )
            member = FleetDevice(m, config, counters, out, snapshots)
            snapshots.preload(member.device)
            fleet.append(member)
            _ = owner.spawn(member.run(starting), f"device {m.user_id}")
            wait = t0 + (n + 1) / rate - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            else:
                await asyncio.sleep(0)  # behind schedule: still let the loop turn
        if await _first(counters.everyone_in, stop) is counters.everyone_in:
            settled()
        await stop.wait()
    finally:
        await owner.close()
        await _stop_all(fleet, counters)


async def _stop_all(fleet: list[FleetDevice], counters: Counters) -> None:
    """Stop the devices as panels switched off would (logging their users out), 200 at a
    time, for `STOP_DEADLINE_S` at most: with its server gone, each stop waits for its logout
    to time out, and a worker of 2,500 devices went on for minutes after its controller had
    ended. The devices left are dropped with the process (their files are the controller's)."""

    async def stop(device: FleetDevice) -> None:
        await device.stop()
        counters.stopped += 1

    try:
        async with asyncio.timeout(STOP_DEADLINE_S):
            for chunk in range(0, len(fleet), 200):
                await asyncio.gather(*(stop(d) for d in fleet[chunk : chunk + 200]))
    except TimeoutError:
        counters.errors.append(
            f"{len(fleet) - counters.stopped} of {len(fleet)} devices not stopped"
            f" within {STOP_DEADLINE_S:g} s"
        )


async def _first(*events: asyncio.Event) -> asyncio.Event:
    """The first of `events` to be set."""
    waits = {asyncio.ensure_future(e.wait()): e for e in events}
    try:
        done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waits:
            task.cancel()
        await asyncio.gather(*waits, return_exceptions=True)
    return waits[next(iter(done))]


async def _place(starting: asyncio.Semaphore, stop: asyncio.Event) -> bool:
    """A place among the devices starting, or False once the worker is told to stop."""
    acquire = asyncio.ensure_future(starting.acquire())
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({acquire, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (acquire, stopped):
            task.cancel()
        await asyncio.gather(acquire, stopped, return_exceptions=True)
    if acquire.cancelled() or acquire.exception() is not None:
        return False
    if stop.is_set():
        starting.release()
        return False
    return True


async def _bare(spec: dict[str, Any], counters: Counters, stop: asyncio.Event) -> None:
    """Plain WebSockets with aiohttp's own heartbeat: one session, no device core."""
    import aiohttp

    url = spec["server_url"]
    count = len(spec["members"])
    rate = float(spec["start_rate"])
    owner = TaskOwner("bare fleet worker")

    async def hold(session: aiohttp.ClientSession) -> None:
        while not stop.is_set():
            try:
                async with session.ws_connect(url, heartbeat=HEARTBEAT_S) as ws:
                    counters.online += 1
                    counters.last_online = time.time()
                    try:
                        async for _ in ws:
                            pass
                    finally:
                        counters.online -= 1
                        counters.drops += 1
            except (aiohttp.ClientError, OSError, TimeoutError):
                pass
            await asyncio.sleep(1.0)

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        t0 = time.monotonic()
        try:
            for n in range(count):
                _ = owner.spawn(hold(session), f"socket {n}")
                counters.started += 1
                wait = t0 + (n + 1) / rate - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            await stop.wait()
        finally:
            await owner.close()


async def _main(spec: dict[str, Any]) -> int:
    with contextlib.suppress(OSError):  # below the server's priority (controller.WORKER_NICE)
        os.nice(int(spec.get("nice", 0)))
    out = Output()
    out.emit(ev="base", rss_kb=rss_kb(), nofile=raise_nofile())
    counters = Counters()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    # The controller closes our stdin when it goes away: stop then too.
    reader = asyncio.StreamReader()
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
    )
    owner = TaskOwner("fleet worker control")

    async def watch_stdin() -> None:
        await reader.read()
        stop.set()

    async def report() -> None:
        interval = float(spec.get("report_s", 0.5))
        while True:
            out.emit(**counters.status())
            due = time.monotonic() + interval
            await asyncio.sleep(interval)
            # How late the loop woke us: a fleet too busy to read its sockets makes the
            # server look slow; the report says so.
            counters.lag_ms = max(counters.lag_ms, (time.monotonic() - due) * 1000)

    _ = owner.spawn(watch_stdin(), "stdin")
    _ = owner.spawn(report(), "status")
    # Thousands of devices are long-lived objects: without it a full collection paused this
    # loop for 1.3-2 s at 2,500 devices (the fleet looked like a slow server). A fleet's heap
    # grows while it starts, then hardly: one full collection once every user is logged in
    # sets the size later growth is measured from, and a full one then waits for the heap to
    # double (with a quarter, one still came during bench fleet's paced jobs: ~20% of a
    # worker's samples in them, push p99 180-230 ms).
    # Young-only steps: a worker's sockets renew their futures and timers every ping, and a
    # full step scanning those (~50k objects) was 30-90 ms of this loop every 2 s.
    collector = GcPolicy(growth=2.0, young_only=True)
    collector.start()
    counters.gc = collector.stats
    try:
        if spec.get("bare"):
            await _bare(spec, counters, stop)
        else:
            await _devices(spec, counters, out, stop, collector.full_collection)
    finally:
        await collector.stop()
        await owner.close()
        transport.close()
        out.emit(**counters.status())
        out.emit(ev="stopped")
        out.flush()
    return 0


def main(argv: list[str]) -> int:
    """`_fleet-worker SPEC`: run the spec's devices until told to stop;
    `_fleet-worker --bare-server`: the bare WebSocket server (panel/fleet/bare.py)."""
    from panel.fleet.bare import BARE_COMMAND, serve_bare

    if argv[:1] == [BARE_COMMAND]:
        return asyncio.run(serve_bare())
    spec = json.loads(Path(argv[0]).read_text())
    return asyncio.run(_main(spec))
