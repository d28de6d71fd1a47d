"""Starting fleet workers and reading what they report: connections, jobs seen, memory."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from panel.fleet.jobs import Submitted
from panel.fleet.seed import Member, dump, write_spec
from panel.fleet.worker import WORKER_COMMAND, raise_nofile
from panel.relaunch import program_argv
from panel.tasks import TaskOwner
from panel.threads import in_thread

STOP_TIMEOUT_S = 120.0
# Devices started a second, all workers together: each start is a handful of requests (reach
# check, push hello, cache, card login, user data, heartbeat); a fleet started at once is a
# storm no server of ours is meant to take.
START_RATE = 100.0
# The workers' CPU priority (nice): below the server's. A fleet stands in for thousands of
# machines with processors of their own; sharing the server's cores, it must not be charged
# to the server. Measured with 200 devices and a burst of 1,000 jobs: at the same priority the
# workers' CPU took the server's and jobs were created at 101-169 a second; with the workers at
# nice 15 at 1,009-1,123 a second, every job seen by its device 2-3 s after the burst began.
WORKER_NICE = 15


T = TypeVar("T")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Stopped(Exception):
    """A stop signal ended the run (after its processes ended and its files were removed)."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


async def stopping_on_signals(main: Coroutine[Any, Any, T]) -> T:
    """Run `main`; the first SIGTERM, SIGINT or SIGHUP cancels it, so its `finally` blocks end
    the worker processes and the server and remove the devices' files (by default SIGTERM
    ends a Python process at once: the workers were left running, and hundreds of MB in
    /dev/shm). Later signals are ignored while that cleanup runs. Raises Stopped."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(main)
    received: list[int] = []

    def stop(signum: int) -> None:
        if not received:
            received.append(signum)
            task.cancel()

    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop, sig)
    try:
        return await task
    except asyncio.CancelledError:
        if received:
            raise Stopped(received[0]) from None
        raise
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def default_processes() -> int:
    """One worker per core: each runs one event loop."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


@dataclass
class WorkerState:
    """The latest status line of one worker."""

    devices: int
    base_rss_kb: int = 0
    status: dict[str, Any] = field(default_factory=dict)
    stopped: bool = False
    died: str = ""  # how it ended when it ended without being told to (exit status, signal)

    def get(self, key: str) -> int:
        return int(self.status.get(key, 0))


class Fleet:
    """Worker processes running `members`' devices against `server_url`; `seen` holds, per
    job id, the wall times devices reported it (more than one: a duplicate)."""

    def __init__(
        self,
        server_url: str,
        members: list[Member],
        root: Path,
        processes: int,
        *,
        bare: bool = False,
        start_rate: float = START_RATE,
        nice: int = WORKER_NICE,
    ) -> None:
        self.server_url = server_url
        self.members = members
        self.root = root
        self.processes = max(1, min(processes, len(members) or 1))
        self.bare = bare
        self.start_rate = start_rate
        self.nice = nice
        self.seen: dict[str, list[float]] = {}
        self.logged_in_users: set[str] = set()  # jobs for them go to a device at once
        self.changed = asyncio.Event()  # a line arrived
        self.workers: list[WorkerState] = []
        self._procs: list[asyncio.subprocess.Process] = []
        self._owner = TaskOwner("fleet controller")
        # The devices' stores and traces: in memory (tmpfs) where there is one, since a
        # device commits each reception with fsync, and thousands of fsyncs a second on a
        # shared disk stall the workers' loops (seen as a server that answers late).
        shm = Path("/dev/shm")
        self.data = Path(
            tempfile.mkdtemp(prefix="mfp-fleet-", dir=shm if shm.is_dir() else self.root)
        )

    async def start(self) -> None:
        raise_nofile()  # inherited by the workers
        self.root.mkdir(parents=True, exist_ok=True)
        k = self.processes
        shares = [self.members[i::k] for i in range(k)]
        for i, share in enumerate(shares):
            spec_path = self.root / f"worker-{i}.json"
            write_spec(
                spec_path,
                {
                    "server_url": self.server_url,
                    "data_dir": str(self.data / f"worker-{i}"),
                    "members": dump(share),
                    "bare": self.bare,
                    "start_rate": self.start_rate / k,
                    "nice": self.nice,
                },
            )
            log = (self.root / f"worker-{i}.log").open("ab")
            try:
                proc = await asyncio.create_subprocess_exec(
                    *program_argv(WORKER_COMMAND, str(spec_path)),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    limit=1 << 20,
                )
            finally:
                log.close()
            state = WorkerState(len(share))
            self.workers.append(state)
            self._procs.append(proc)
            _ = self._owner.spawn(self._read(proc, state, i), f"worker {i} output")

    async def _read(self, proc: asyncio.subprocess.Process, state: WorkerState, i: int) -> None:
        assert proc.stdout is not None
        said_stopped = False
        while line := await proc.stdout.readline():
            msg = json.loads(line)
            ev = msg.get("ev")
            if ev == "job":
                self.seen.setdefault(msg["j"], []).append(float(msg["at"]))
            elif ev == "login":
                self.logged_in_users.add(msg["u"])
            elif ev == "status":
                state.status = msg
            elif ev == "base":
                state.base_rss_kb = int(msg["rss_kb"])
            elif ev == "stopped":
                state.stopped = said_stopped = True
            self.changed.set()
        code = await proc.wait()
        if not said_stopped:  # a worker that dies takes its devices with it: say how
            how = f"killed by {_signal_name(-code)}" if code < 0 else f"exit status {code}"
            state.died = f"worker {i} ended: {how} (see {self.root / f'worker-{i}.log'})"
        state.stopped = True
        self.changed.set()

    # -- what the fleet reports -----------------------------------------------------------------
    @property
    def pids(self) -> list[int]:
        """The worker processes' ids, in the order of `workers`."""
        return [proc.pid for proc in self._procs]

    def total(self, key: str) -> int:
        return sum(w.get(key) for w in self.workers)

    @property
    def online(self) -> int:
        return self.total("online")

    @property
    def last_online(self) -> float:
        return max((float(w.status.get("last_online", 0.0)) for w in self.workers), default=0.0)

    def loop_lag_ms(self) -> float:
        """The workers' worst event-loop lateness (above ~100 ms the fleet is a bottleneck)."""
        return self.worst("lag_ms")

    def worst(self, key: str) -> float:
        """The largest of the workers' latest `key` (a figure of their status lines)."""
        return max((float(w.status.get(key, 0.0)) for w in self.workers), default=0.0)

    def rss_kb(self) -> int:
        return self.total("rss_kb")

    def base_rss_kb(self) -> int:
        return sum(w.base_rss_kb for w in self.workers)

    def device_mem_mb(self) -> float:
        """What one more device costs: the workers' RSS beyond their bare start, per device."""
        return (self.rss_kb() - self.base_rss_kb()) / 1024 / max(1, len(self.members))

    def duplicates(self) -> int:
        return sum(len(times) - 1 for times in self.seen.values() if len(times) > 1)

    def latencies_ms(self, jobs: Submitted) -> list[float]:
        """Server creation -> first seen by a device, for the jobs that arrived."""
        seen = self.seen
        return [(seen[j][0] - at) * 1000 for j, at in jobs.created.items() if j in seen]

    def delivered(self, jobs: Submitted) -> int:
        return sum(1 for j in jobs.created if j in self.seen)

    async def delivery(self, jobs: Submitted, wait_s: float) -> bool:
        """Wait up to `wait_s` for every accepted job to be seen by a device."""
        return await self.wait_for(lambda: self.delivered(jobs) >= len(jobs.created), wait_s)

    def errors(self) -> list[str]:
        """Workers that died first, then the devices' last errors."""
        died = [w.died for w in self.workers if w.died]
        return died + [e for w in self.workers for e in w.status.get("errors", [])]

    async def wait_for(self, predicate: Any, timeout_s: float) -> bool:
        """True once `predicate()` holds, False after `timeout_s` (or when a worker died)."""
        deadline = time.monotonic() + timeout_s
        while not predicate():
            if any(w.stopped for w in self.workers):
                return False
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.changed.clear()
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
            # lands as the event is set (a status line comes every half second), and a
            # SIGTERM'd fleet then went on waiting for minutes instead of cleaning up.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(left):
                    await self.changed.wait()
        return True

    async def wait_online(self, timeout_s: float, logged_in: bool = True) -> bool:
        """Every device online (and its user logged in)."""
        n = len(self.members)

        def ready() -> bool:
            if self.bare:
                return self.online >= n
            return self.online >= n and (not logged_in or self.total("logged_in") >= n)

        return await self.wait_for(ready, timeout_s)

    def counts(self) -> Counter[str]:
        return Counter({k: self.total(k) for k in ("started", "online", "logged_in", "drops")})

    def files_kb_per_device(self) -> float:
        """What each device keeps in files (its store and trace), on average."""
        size = sum(p.stat().st_size for p in self.data.rglob("*") if p.is_file())
        return size / 1024 / max(1, len(self.members))

    async def stop(self) -> None:
        """Ask every worker to stop its devices (closing stdin), wait for them, and remove
        the devices' files."""
        for proc in self._procs:
            if proc.stdin is not None and not proc.stdin.is_closing():
                proc.stdin.close()
        for proc in self._procs:
            try:
                await asyncio.wait_for(proc.wait(), STOP_TIMEOUT_S)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        await self._owner.close()
        await in_thread(shutil.rmtree, self.data, True)
