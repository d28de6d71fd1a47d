"""A print engine (and a job manager on it) on a ManualClock, with what a test watches: the
sheets that came out, the engine's status events and the traced faults."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from panel.device.clock import ManualClock
from panel.device.engine import EngineStatus, PrintEngine
from panel.device.events import Event, EventBus, EventKind
from panel.device.jobs import JobManager
from panel.device.model import Job, JobKind, JobState
from panel.device.store import DeviceStore
from panel.trace import Trace
from support.job_link import ScriptedLink


class RecordingTrace(Trace):
    """A trace that keeps its lines in memory (concern, event, fields)."""

    def __init__(self) -> None:
        super().__init__(None)
        self.lines: list[tuple[str, str, dict[str, Any]]] = []

    def emit(self, concern: str, event: str, **fields: Any) -> None:
        self.lines.append((concern, event, fields))

    def of(self, concern: str, event: str) -> list[dict[str, Any]]:
        return [f for c, e, f in self.lines if (c, e) == (concern, event)]


@dataclass
class Rig:
    clock: ManualClock
    events: EventBus
    trace: RecordingTrace
    engine: PrintEngine
    store: DeviceStore | None = None
    sheets: list[tuple[str, int]] = field(default_factory=list)  # (job id, page) of SHEET_OUT
    statuses: list[tuple[str, EngineStatus]] = field(default_factory=list)  # (change, status)
    states: list[str] = field(default_factory=list)  # PRINTER_STATE_CHANGED, in order

    def pages(self, job_id: str = "job-1") -> list[int]:
        return [page for j, page in self.sheets if j == job_id]

    def _on(self, event: Event) -> None:
        if event.kind is EventKind.SHEET_OUT:
            self.sheets.append((event.subject.job_id, event.fields["page"]))
        elif event.kind is EventKind.ENGINE_STATUS_CHANGED:
            self.statuses.append((event.fields["change"], event.subject))
        elif event.kind is EventKind.PRINTER_STATE_CHANGED:
            self.states.append(event.subject.value)


def jam_as_page_leaves(r: Rig, page: int, location: str = "tray-1") -> None:
    """Jam the engine as `page` comes out: the next sheet jams."""

    def jam(event: Event) -> None:
        if event.fields["page"] == page:
            r.engine.jam(location)

    r.events.subscribe(jam, EventKind.SHEET_OUT)


def rig(store_path: Path | None = None, **engine_args: Any) -> Rig:
    """An engine at 60 pages a minute (a page a second), no warm-up unless asked for."""
    clock, events, trace = ManualClock(), EventBus(), RecordingTrace()
    store = DeviceStore(store_path) if store_path is not None else None
    args: dict[str, Any] = {"ppm": 60.0, "warmup_s": 0.0, **engine_args}
    engine = PrintEngine(events, trace, clock, store, **args)
    made = Rig(clock, events, trace, engine, store)
    events.subscribe(
        made._on,
        EventKind.SHEET_OUT,
        EventKind.ENGINE_STATUS_CHANGED,
        EventKind.PRINTER_STATE_CHANGED,
    )
    return made


def a_job(pages: int, job_id: str = "job-1", user_id: str = "alice", copies: int = 1) -> Job:
    return Job(job_id, JobKind.COPY, "Copy", user_id, JobState.QUEUED, pages=pages, copies=copies)


def counting(job: Job) -> Any:
    """The on_page a job manager would give: the job's count follows the sheets."""

    def on_page(done: int) -> None:
        job.pages_done = done

    return on_page


@contextlib.asynccontextmanager
async def job_manager(rigged: Rig) -> AsyncIterator[JobManager]:
    """A started job manager printing on `rigged`'s engine and store (local jobs need no
    server; the scripted link answers anything else)."""
    assert rigged.store is not None
    link = ScriptedLink(rigged.clock)
    jobs = JobManager(
        rigged.store,
        link,  # type: ignore[arg-type]
        rigged.engine,
        rigged.events,
        rigged.trace,
        rigged.clock,
    )
    jobs.start()
    try:
        yield jobs
    finally:
        await jobs.stop()


@contextlib.contextmanager
def closing(rigged: Rig) -> Iterator[Rig]:
    try:
        yield rigged
    finally:
        if rigged.store is not None:
            rigged.store.close()
