"""The durable outbox (S1): job requests composed at the panel wait here until the server
has accepted them, surviving crashes, kills and power cuts, and are delivered exactly once.

A request is durable before the panel says "held": its document is written to a temporary
file, fsync'd and renamed, then its row and job-list entry are committed in one SQLite
transaction (synchronous=FULL). Each carries an idempotency key, so the server executes it
once however often it is sent. The drain sends requests oldest first in batches; a failed
attempt waits a full-jitter backoff, cut short when connectivity changes or work arrives.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import errno
import os
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from panel import crashpoints
from panel.device.backoff import Backoff
from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.events import Event, EventBus, EventKind
from panel.device.jobs import JobManager
from panel.device.model import (
    ComposeError,
    ConnectionState,
    Job,
    JobKind,
    JobState,
    OutboxStats,
    TimelineEntry,
    User,
)
from panel.device.store import DeviceStore, OutboxRow
from panel.protocol import encode_body
from panel.protocol.messages import OutboxBatch, OutboxItem, OutboxReply
from panel.tasks import TaskOwner, report_failure
from panel.text import marker
from panel.threads import in_thread
from panel.trace import Trace

BATCH_ITEMS = 200  # per request; encoded off the loop, results applied in chunks
BATCH_BYTES = 8 * 1024 * 1024
_T = TypeVar("_T")
RETRY_IN_PROGRESS_S = 0.5  # the server is still executing one of our keys (409)
SETTLE_CHUNK = 50  # jobs whose state changes are applied between two turns of the loop

DOCUMENT_WRITTEN = crashpoints.point(
    "device.outbox.document-written",
    "a composed job's document file written, fsync'd and renamed; its outbox row not committed",
)
HELD = crashpoints.point(
    "device.outbox.held",
    "a job request's outbox row, job row and first timeline entry committed; the panel not told",
)
SETTLED = crashpoints.point(
    "device.outbox.settled",
    "the server's answers applied: outbox rows deleted and job states committed in one commit;"
    " their documents not unlinked yet",
)


@dataclass(frozen=True)
class OutboxLimits:
    """The quota a device keeps for waiting jobs, and the free space it never eats into."""

    max_jobs: int = 10_000
    max_bytes: int = 512 * 1024 * 1024
    reserve_bytes: int = 32 * 1024 * 1024


def _write_durably(directory: Path, name: str, data: bytes, reserve: int) -> None:
    """Temp file, fsync, rename, fsync the directory: the file is whole or absent."""
    if shutil.disk_usage(directory).free - len(data) < reserve:
        raise OSError(errno.ENOSPC, "less free space than the reserve")
    tmp = directory / f"{name}.tmp"
    try:
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(directory / name)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _read_documents(paths: list[Path]) -> list[bytes | None]:
    out: list[bytes | None] = []
    for path in paths:
        try:
            out.append(path.read_bytes())
        except FileNotFoundError:
            out.append(None)
    return out


def _chunks(items: list[_T], size: int = SETTLE_CHUNK) -> list[list[_T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _encode_batch(rows: list[OutboxRow], paths: list[Path]) -> tuple[list[OutboxRow], bytes]:
    """The rows whose document is missing, and the request body for the others."""
    documents = _read_documents(paths)
    lost = [r for r, doc in zip(rows, documents, strict=True) if doc is None]
    items = [
        OutboxItem(
            r.key,
            r.kind,
            r.user_id,
            r.title,
            r.pages,
            r.destination,
            base64.b64encode(doc).decode(),
            r.composed_at,
        )
        for r, doc in zip(rows, documents, strict=True)
        if doc is not None
    ]
    return lost, encode_body(OutboxBatch(items))


@dataclass
class _Batch:
    """Rows picked for one request; `body` carries those whose document was found."""

    rows: list[OutboxRow]
    lost: list[OutboxRow]
    body: bytes

    @property
    def last_seq(self) -> int:
        return self.rows[-1].seq


def _sort_results(
    jobs: list[Job], reply: OutboxReply
) -> tuple[list[tuple[Job, JobState, str]], list[Job], bool]:
    """The jobs the server answered for good (accepted or refused), the jobs it kept back,
    and whether every one kept back was a 409 (the server is mid-way: retry soon)."""
    results = {r.key: r for r in reply.results}
    settled: list[tuple[Job, JobState, str]] = []
    held: list[Job] = []
    busy_only = True
    for job in jobs:
        result = results.get(job.job_id)
        if result is None or result.status == 409 or result.status >= 500:
            held.append(job)
            busy_only = busy_only and result is not None and result.status == 409
        elif result.status in (200, 201):
            replay = " (a repeat: executed once)" if result.status == 200 else ""
            settled.append((job, JobState.ACCEPTED, f"accepted as {result.job_id}{replay}"))
        else:
            settled.append((job, JobState.FAILED, result.message or f"refused ({result.status})"))
    return settled, held, busy_only


def _accepted(changes: list[tuple[Job, JobState, str]]) -> int:
    return sum(state is JobState.ACCEPTED for _, state, _ in changes)


async def _ended(task: asyncio.Future[Any], trace: Trace, *expected: type[Exception]) -> None:
    """Cancel `task` if it is still running and wait until it has ended. A failure other than
    `expected` (already handled by whoever awaited the task) is reported, never dropped."""
    task.cancel()
    with contextlib.suppress(BaseException):
        await task
    if task.done() and not task.cancelled():
        exc = task.exception()
        if exc is not None and not isinstance(exc, expected):
            report_failure("outbox", "a step of the drain", exc, trace)


def _not_persisted(_: object) -> None:
    """For state changes that need no durable record."""


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


class Outbox:
    def __init__(
        self,
        store: DeviceStore,
        link: ServerLink,
        jobs: JobManager,
        events: EventBus,
        trace: Trace,
        clock: Clock,
        docs_dir: Path,
        limits: OutboxLimits,
        backoff: Backoff | None = None,
    ) -> None:
        self._store = store
        self._link = link
        self._jobs = jobs
        self._events = events
        self._trace = trace
        self._clock = clock
        self._dir = docs_dir
        self.limits = limits
        self._backoff = backoff or Backoff(now=clock.monotonic)
        self._wake = asyncio.Event()
        self._tasks = TaskOwner("outbox", clock, trace)  # the drain and the documents' unlinks
        self._drain_task: asyncio.Task[None] | None = None
        self._in_flight: set[str] = set()  # in the request being sent
        self._reserved: set[str] = set()  # picked for a request: no longer cancellable
        self._usage = (0, 0)
        self._drain_total = 0
        self._drain_done = 0
        self._batch_items = BATCH_ITEMS

    # -- life cycle --------------------------------------------------------------------------------
    def start(self) -> None:
        """Drop what a crash left half-written, put interrupted sends back, start draining."""
        self._dir.mkdir(parents=True, exist_ok=True)
        keys = self._store.outbox_keys()
        for path in self._dir.iterdir():
            if path.suffix == ".tmp" or path.stem not in keys:
                path.unlink(missing_ok=True)
        interrupted = []
        for key in keys:
            job = self._jobs.get(key)
            if job is not None and job.state is JobState.SENDING:
                interrupted.append((job, JobState.HELD, "the device restarted while sending"))
        if interrupted:
            self._jobs.apply(interrupted, self._store.update_jobs)
        self._usage = self._store.outbox_usage()
        self._events.subscribe(self._on_connection, EventKind.CONNECTION_CHANGED)
        self._drain_task = self._tasks.spawn(self._run(), "drain")
        if self._usage[0]:
            self._wake.set()

    async def stop(self) -> None:
        """End the drain first: stopped between an answer and its settling, it settles what
        the server said and starts unlinking those documents. Unlinks are short and better
        finished than left to the next start(), so they are awaited, not cancelled."""
        drain, self._drain_task = self._drain_task, None
        if drain is not None:
            drain.cancel()
            await asyncio.wait({drain})  # a failure was reported by the owner
        if unlinks := self._tasks.tasks:
            await asyncio.wait(unlinks)
        await self._tasks.close()

    def _on_connection(self, event: Event) -> None:
        if event.subject is ConnectionState.ONLINE:
            self._wake.set()  # an immediate attempt, whatever the backoff said

    @property
    def stats(self) -> OutboxStats:
        jobs, size = self._usage
        return OutboxStats(
            held=jobs - len(self._in_flight),
            sending=len(self._in_flight),
            bytes_held=size,
            drain_done=self._drain_done,
            drain_total=self._drain_total,
        )

    def _publish(self) -> None:
        self._events.publish(Event(EventKind.OUTBOX_CHANGED, self.stats))

    def _path(self, key: str) -> Path:
        return self._dir / f"{key}.pdf"

    # -- composing ---------------------------------------------------------------------------------
    async def compose(
        self,
        kind: JobKind,
        user: User,
        title: str,
        pages: int,
        destination: str,
        label: str,
        document: bytes,
    ) -> Job:
        """Store a job request durably and return its job (HELD), or raise ComposeError."""
        count, size = self._usage
        if count >= self.limits.max_jobs:
            raise ComposeError(
                marker(
                    "Core",
                    "The outbox is full ({count} jobs waiting to be sent). Wait until the device is online, or cancel held jobs.",  # noqa: E501
                ),
                {"count": count},
            )
        if size + len(document) > self.limits.max_bytes:
            mib = self.limits.max_bytes // (1024 * 1024)
            raise ComposeError(
                marker(
                    "Core",
                    "The outbox has no room for this document ({mib} MiB quota). Wait until the device is online, or cancel held jobs.",  # noqa: E501
                ),
                {"mib": mib},
            )
        key = uuid.uuid4().hex
        try:
            await in_thread(
                _write_durably, self._dir, f"{key}.pdf", document, self.limits.reserve_bytes
            )
        except OSError as exc:
            self._trace.emit("outbox", "refused", reason="disk", error=str(exc))
            if exc.errno == errno.ENOSPC:
                raise ComposeError(
                    marker(
                        "Core",
                        "The device's storage is full, so the job was not kept. Cancel held jobs or free space, then try again.",  # noqa: E501
                    )
                ) from exc
            raise ComposeError(
                marker("Core", "The job could not be stored: {error}."),
                {"error": exc.strerror or exc},
            ) from exc
        DOCUMENT_WRITTEN.reach()
        now = self._clock.time()
        job = Job(key, kind, title, user.user_id, JobState.HELD, pages=pages, destination=label)
        entry = TimelineEntry(now, JobState.HELD, "held in the outbox")
        job.timeline.append(entry)
        row = OutboxRow(
            0, key, kind.value, user.user_id, title, pages, destination, len(document), now
        )
        try:
            self._store.outbox_add(row, job, entry)
        except sqlite3.Error as exc:
            self._path(key).unlink(missing_ok=True)
            self._trace.emit("outbox", "refused", reason="database", error=str(exc))
            if "full" in str(exc):
                raise ComposeError(
                    marker("Core", "The device's storage is full, so the job was not kept.")
                ) from exc
            raise ComposeError(
                marker("Core", "The job could not be stored: {error}."), {"error": exc}
            ) from exc
        HELD.reach()
        self._usage = (count + 1, size + len(document))
        self._trace.emit("outbox", "held", key=key, kind=kind.value, bytes=len(document))
        self._jobs.register(job)
        if self._drain_total:
            self._drain_total += 1
        self._publish()
        if self._link.state is ConnectionState.ONLINE:
            self._wake.set()  # offline, the next attempt comes with the link (or the backoff)
        return job

    def cancel(self, job_id: str) -> bool:
        """Cancel a request still waiting; one being sent right now cannot be taken back."""
        job = self._jobs.get(job_id)
        if job is None or job.state is not JobState.HELD or job_id in self._reserved:
            return False
        self._settle([(job, JobState.CANCELLED, "cancelled at the panel")], 0, durable=True)
        return True

    # -- draining ----------------------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            delay = await self._drain()
            if delay is not None:
                self._trace.emit("outbox", "retry", in_s=round(delay, 3))
                with contextlib.suppress(TimeoutError):
                    await self._clock.wait_for(self._wake.wait(), delay)
                self._wake.set()

    async def _drain(self) -> float | None:
        """Send until the outbox is empty (None) or an attempt fails (the delay before the next).

        A pipeline, with the server's order kept: while batch n is in flight the device
        settles batch n-1's results and reads and encodes batch n+1; batch n+1 is sent only
        once every item of batch n has its final answer, so nothing overtakes a job the
        server has not taken yet.
        """
        if not self._drain_total:
            self._drain_total, self._drain_done = self._usage[0], 0
        ahead: asyncio.Future[_Batch | None] | None = None
        settling: list[tuple[Job, JobState, str]] = []  # batch n-1's answers, not yet applied
        try:
            batch = await self._prepare(after_seq=0)
            while batch is not None:
                jobs = self._take_lost(batch)
                if not jobs:
                    batch = await self._prepare(batch.last_seq)
                    continue
                await self._mark_sending(jobs)
                # `post` and `ahead` are steps of this drain, not background work: each is
                # awaited here or ended (and any failure reported) in a `finally` below.
                post = asyncio.ensure_future(
                    self._link.call("POST", "/outbox", OutboxReply, batch.body)
                )
                try:
                    await self._settle_in_chunks(settling)
                    settling = []
                    ahead = asyncio.ensure_future(self._prepare(batch.last_seq))
                    reply = await post
                except ServerUnreachable as exc:
                    return self._hold(jobs, f"not sent: {exc}", self._backoff.failed())
                except ServerRefused as exc:
                    return self._refused(jobs, exc)
                finally:
                    if not post.done():  # else its end was awaited above
                        await _ended(post, self._trace, ServerUnreachable, ServerRefused)
                    self._in_flight = set()
                self._backoff.succeeded()
                self._batch_items = BATCH_ITEMS
                settling, held, busy_only = _sort_results(jobs, reply)
                if held:
                    await self._settle_in_chunks(settling)
                    settling = []
                    if busy_only:
                        note, delay = "the server is still busy with it", RETRY_IN_PROGRESS_S
                    else:
                        note, delay = "the server could not take it yet", self._backoff.failed()
                    return self._hold(held, note, delay)
                prepared, ahead = ahead, None
                batch = await prepared  # a failure here ends the drain (and is reported once)
            await self._settle_in_chunks(settling)
            settling = []
            return None
        finally:
            if ahead is not None:
                await _ended(ahead, self._trace)
            if settling:  # stopped between an answer and its settling: keep what the server said
                self._settle(settling, _accepted(settling))
            self._reserved.clear()
            if not self._usage[0]:
                self._drain_total = self._drain_done = 0
            self._publish()

    async def _prepare(self, after_seq: int) -> _Batch | None:
        """The next batch after `after_seq`, read and encoded off the loop (reading, base64
        and JSON of a batch take tens of milliseconds); its jobs can no longer be cancelled."""
        rows = self._store.outbox_rows(limit=self._batch_items, after_seq=after_seq)
        total = 0
        for cut, row in enumerate(rows):
            total += row.doc_size
            if total > BATCH_BYTES and cut > 0:
                rows = rows[:cut]
                break
        if not rows:
            return None
        self._reserved.update(r.key for r in rows)
        paths = [self._path(r.key) for r in rows]
        lost, body = await in_thread(_encode_batch, rows, paths)
        return _Batch(rows, lost, body)

    def _take_lost(self, batch: _Batch) -> list[Job]:
        """Fail the batch's jobs whose document is gone; the jobs left to send."""
        if batch.lost:
            why = "its document was lost from storage"
            self._settle([(self._job(r), JobState.FAILED, why) for r in batch.lost], accepted=0)
        lost = {r.key for r in batch.lost}
        return [self._job(r) for r in batch.rows if r.key not in lost]

    async def _mark_sending(self, jobs: list[Job]) -> None:
        # `sending` is not written down: after a crash these are simply held again (start()),
        # and a batch's worth of writes here would cost a commit per attempt.
        for chunk in _chunks(jobs):
            self._jobs.apply([(j, JobState.SENDING, "") for j in chunk], _not_persisted)
            await asyncio.sleep(0)  # let the panel draw between chunks
        self._in_flight = {j.job_id for j in jobs}
        self._publish()

    def _refused(self, jobs: list[Job], exc: ServerRefused) -> float:
        if exc.status in (400, 413) and len(jobs) > 1:
            self._batch_items = max(1, len(jobs) // 2)  # find the one the server refuses
            return self._hold(jobs, "the server refused the batch; sending fewer at a time", 0.0)
        if exc.status in (400, 413):  # the one job the server refuses
            self._settle([(jobs[0], JobState.FAILED, exc.message)], accepted=0)
            return 0.0
        return self._hold(jobs, f"the server refused: {exc.message}", self._backoff.failed())

    async def _settle_in_chunks(self, settled: list[tuple[Job, JobState, str]]) -> None:
        """Each chunk its own commit: a whole batch at once would stall the panel."""
        for chunk in _chunks(settled):
            self._settle(chunk, _accepted(chunk))
            await asyncio.sleep(0)

    def _hold(self, jobs: list[Job], note: str, delay: float) -> float:
        self._jobs.apply([(j, JobState.HELD, note) for j in jobs], self._store.update_jobs)
        return delay

    def _settle(
        self, changes: list[tuple[Job, JobState, str]], accepted: int, durable: bool = False
    ) -> None:
        """Jobs leave the outbox: one commit, then their documents go. Only a cancel must
        survive a power cut (`durable`): a lost answer from the server means the job is sent
        again and the server replays its answer, but a lost cancel would send the job."""
        keys = [job.job_id for job, _, _ in changes]

        def persist(staged: list[tuple[Job, TimelineEntry]]) -> None:
            self._store.outbox_settle(staged, keys, durable=durable)
            SETTLED.reach()

        self._jobs.apply(changes, persist)
        # Off the loop: a batch's unlinks take ~50 ms. A crash before they run leaves files
        # with no row, which start() removes.
        paths = [self._path(k) for k in keys]
        _ = self._tasks.spawn(in_thread(_unlink_all, paths), f"unlink {len(paths)} document(s)")
        self._usage = self._store.outbox_usage()
        self._drain_done += accepted
        for job, state, _ in changes:
            self._trace.emit("outbox", state.value, key=job.job_id)

    def _job(self, row: OutboxRow) -> Job:
        job = self._jobs.get(row.key)
        if job is None:  # the job list lost it (should not happen): rebuild from the request
            job = Job(
                row.key, JobKind(row.kind), row.title, row.user_id, JobState.HELD, pages=row.pages
            )
            self._jobs.register(job)
        return job
