"""The server as a device's job manager sees it, scripted (no socket), a started job manager
against it, and a way to see what a SIGKILL at a crash point would leave on disk without killing
the test process."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from panel.crashpoints import CrashPoint
from panel.device.clock import ManualClock
from panel.device.connection import ServerRefused, ServerUnreachable
from panel.device.engine import PrintEngine
from panel.device.events import EventBus
from panel.device.jobs import JobManager
from panel.device.model import ConnectionState, Job
from panel.device.store import DeviceStore
from panel.protocol.messages import JobInfo, JobStatusReport
from panel.trace import Trace

FINAL = frozenset({"completed", "failed", "cancelled"})


class ScriptedLink:
    """The next `failures[method]` calls of a method fail as unreachable, the others succeed;
    the device time of every call is kept. GET answers a job of `pages` pages in the state
    `server_states` gives it (default "fetched"); POST records the report (refused 409 when the
    job is final in another state, as the server does); `refuse` maps a job id to the HTTP
    status the server refuses it with."""

    def __init__(self, clock: ManualClock, pages: int = 1) -> None:
        self.clock = clock
        self.pages = pages
        self.state = ConnectionState.ONLINE
        self.failures = {"GET": 0, "POST": 0}
        self.calls: list[tuple[str, float]] = []
        self.server_states: dict[str, str] = {}
        self.refuse: dict[str, int] = {}
        self.reports: list[tuple[str, JobStatusReport]] = []

    async def call(self, method: str, path: str, reply: type[Any], body: Any = None) -> Any:
        self.calls.append((method, self.clock.monotonic()))
        if self.failures[method] > 0:
            self.failures[method] -= 1
            raise ServerUnreachable("the network is down (scripted)")
        job_id = path.split("/")[2]
        if job_id in self.refuse:
            raise ServerRefused(self.refuse[job_id], "unknown_job", f"No job {job_id!r}.")
        if method == "POST":
            known = self.server_states.get(job_id, "fetched")
            if known in FINAL and known != body.state:
                raise ServerRefused(409, "job_final", f"Job {job_id} is already {known}.")
            self.reports.append((job_id, body))
            self.server_states[job_id] = body.state
        state = self.server_states.get(job_id, "fetched")
        return JobInfo(job_id, "1001", "Report", self.pages, 1, state, "dev-1", 0.0, "r.pdf", 10)

    def times(self, method: str) -> list[float]:
        return [at for m, at in self.calls if m == method]


@dataclass
class Parts:
    clock: ManualClock
    link: ScriptedLink
    store: DeviceStore
    jobs: JobManager

    def job(self) -> Job:
        job = self.jobs.get("job-1")
        assert job is not None
        return job


@contextlib.asynccontextmanager
async def running(tmp_path: Path, link: ScriptedLink) -> AsyncIterator[Parts]:
    """A started job manager against `link` (a page a second on its clock)."""
    events, trace = EventBus(), Trace(None)
    store = DeviceStore(tmp_path / "device.sqlite3")
    engine = PrintEngine(events, trace, link.clock, ppm=60.0, warmup_s=0.0)
    jobs = JobManager(store, link, engine, events, trace, link.clock)  # type: ignore[arg-type]
    jobs.start()
    try:
        yield Parts(link.clock, link, store, jobs)
    finally:
        await jobs.stop()
        store.close()


def copy_committed(db: Path, into: Path) -> None:
    """Copy the SQLite file `db` into `into` as a SIGKILL would leave it: only what was
    committed (the backup API reads a consistent, committed state)."""
    with (
        contextlib.closing(sqlite3.connect(db)) as source,
        contextlib.closing(sqlite3.connect(into)) as target,
    ):
        source.backup(target)


def snapshot_at(
    point: CrashPoint, db: Path, into: Path, also: Callable[[], object] | None = None
) -> None:
    """Arm `point` to copy `db` into `into` (and call `also`) the first time it is reached:
    the disk a kill there would leave, to start again from, without killing the test."""

    def copy() -> None:
        copy_committed(db, into)
        if also is not None:
            also()

    point.arm(copy)
