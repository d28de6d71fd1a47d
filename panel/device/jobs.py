"""Where jobs change state: the device's job list, fetching pushed jobs, printing, cancelling,
and reporting each outcome to the server (durably, so a report survives being offline).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from panel.device.backoff import Backoff
from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.engine import PrintEngine
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import (
    ConnectionState,
    Job,
    JobKind,
    JobRefused,
    JobState,
    TimelineEntry,
    User,
    may_manage,
)
from panel.device.store import DeviceStore
from panel.protocol.messages import JobInfo, JobStatusReport
from panel.tasks import TaskOwner
from panel.trace import Trace

# Refusals that retrying cannot change: the request is wrong, the job is gone or already final.
FINAL_REFUSALS = frozenset({400, 403, 404, 409, 422})

# The server's refusal of a report whose acting user is no longer logged in at this device.
_LEFT = "not_logged_in_here"

# States the server is told about; the others are the device's own business.
_REPORTED = frozenset({JobState.PRINTING, JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED})


class JobManager:
    def __init__(
        self,
        store: DeviceStore,
        link: ServerLink,
        engine: PrintEngine,
        events: EventBus,
        trace: Trace,
        clock: Clock,
    ) -> None:
        self._store = store
        self._link = link
        self._engine = engine
        self._events = events
        self._trace = trace
        self._clock = clock
        self._jobs: dict[str, Job] = {}
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._printing: tuple[Job, asyncio.Task[None]] | None = None
        # The workers, fetches, the print in progress and the retry timers: all end on stop.
        self._tasks = TaskOwner("jobs", clock, trace)
        self._fetching: set[str] = set()
        self._reports_waiting = asyncio.Event()
        self._fetch_backoff = Backoff(base_s=0.5, cap_s=30.0, now=clock.monotonic)
        self._report_backoff = Backoff(base_s=0.5, cap_s=30.0, now=clock.monotonic)
        # job id -> the user who cancelled it at the panel: their report names them, so that
        # the server can check the cancel too. In memory: a report re-sent after a restart
        # goes as the device's own word.
        self._acted_by: dict[str, str] = {}

    # -- reading --------------------------------------------------------------------------------
    def all(self) -> list[Job]:
        """Every job, newest first."""
        return list(reversed(self._jobs.values()))

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    # -- life cycle -----------------------------------------------------------------------------
    def start(self) -> None:
        """Load the stored job list, settle jobs a restart interrupted, start the workers."""
        for job in self._store.load_jobs():
            self._jobs[job.job_id] = job
        for job in list(self._jobs.values()):
            if job.state is JobState.PRINTING:
                self._set_state(job, JobState.FAILED, "interrupted: the device restarted")
            elif job.state is JobState.QUEUED:
                self._queue.put_nowait(job.job_id)
        _ = self._tasks.spawn(self._print_worker(), "print worker")
        _ = self._tasks.spawn(self._report_worker(), "report worker")
        if self._store.pending_reports():
            self._reports_waiting.set()

    async def stop(self) -> None:
        """End the workers, fetches and retry timers; a report or fetch not done is kept."""
        await self._tasks.close()

    def online(self) -> None:
        """The link is up: fetch what was received but never fetched, deliver waiting reports."""
        for reception in self._store.unfetched_receptions():
            job = self._jobs.get(reception.job_id)
            if job is None or not job.state.is_final:
                self._ensure_job(reception.job_id)
                self._fetch_soon(reception.job_id)
        self._reports_waiting.set()

    # -- incoming work (S9) ---------------------------------------------------------------------
    def notified(self, seq: int, job_id: str) -> bool:
        """Store the reception record at once, then fetch the job. False for a repeat notice."""
        fresh = self._store.store_reception(seq, job_id, self._clock.time())
        self._trace.emit("jobs", "reception", seq=seq, job_id=job_id, fresh=fresh)
        if fresh:
            self._ensure_job(job_id)
            self._fetch_soon(job_id)
        return fresh

    def _ensure_job(self, job_id: str) -> Job:
        job = self._jobs.get(job_id)
        if job is None:
            job = Job(job_id, JobKind.CLOUD_PRINT, "Cloud print job", "", JobState.NOTIFIED)
            entry = TimelineEntry(self._clock.time(), JobState.NOTIFIED, "notified by the server")
            job.timeline.append(entry)
            self._jobs[job_id] = job
            self._store.save_job(job, self._clock.time())
            self._store.update_job(job, entry)
            self._trace.emit("jobs", "created", job_id=job_id, state=job.state.value)
            self._events.publish(Event(EventKind.JOB_CREATED, job))
        return job

    async def _fetch(self, job_id: str) -> None:
        job = self._jobs.get(job_id)
        # Only a job still waiting for its information is fetched: a second fetch (a welcome's
        # unfetched-receptions pass racing one that already finished) would take a queued
        # job back to "notified", and a restart then would strand it.
        # FETCHING outside `_fetching`: a fetch a restart interrupted, so fetch again.
        if job is None or job_id in self._fetching:
            return
        if job.state not in (JobState.NOTIFIED, JobState.FETCHING):
            return
        self._fetching.add(job_id)
        try:
            self._set_state(job, JobState.FETCHING)
            try:
                info = await self._link.call("GET", f"/jobs/{job_id}", JobInfo)
            except (ServerUnreachable, ServerRefused) as exc:
                if isinstance(exc, ServerRefused) and exc.status in FINAL_REFUSALS:
                    self._store.mark_fetched(job_id)
                    self._set_state(
                        job, JobState.FAILED, f"the server refused the job: {exc.message}"
                    )
                    return
                self._set_state(job, JobState.NOTIFIED, f"not fetched ({exc}); will try again")
                self._retry_later(self._fetch_backoff, self._refetch, job_id)
                return
            self._fetch_backoff.succeeded()
            self._store.mark_fetched(job_id)
            if job.state.is_final:
                return  # cancelled at the panel while we were fetching
            job.title, job.user_id = info.title, info.user_id
            job.pages, job.copies = info.pages, info.copies
            if info.state == "cancelled":
                self._set_state(job, JobState.CANCELLED, "cancelled on the server")
                return
            self._set_state(job, JobState.QUEUED, f"{info.pages} page(s) x {info.copies}")
            self._queue.put_nowait(job_id)
        finally:
            self._fetching.discard(job_id)

    def _refetch(self, job_id: str) -> None:
        job = self._jobs.get(job_id)
        if job is not None and job.state is JobState.NOTIFIED:
            self._fetch_soon(job_id)

    def _fetch_soon(self, job_id: str) -> None:
        _ = self._tasks.spawn(self._fetch(job_id), f"fetch {job_id}")

    async def _print_worker(self) -> None:
        while True:
            job = self._jobs.get(await self._queue.get())
            if job is None or job.state is not JobState.QUEUED:
                continue
            self._set_state(job, JobState.PRINTING)
            task = self._tasks.spawn(
                self._engine.print_job(job, partial(self._page, job)), f"print {job.job_id}"
            )
            self._printing = (job, task)
            try:
                await task
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise  # the device is stopping: the engine task was cancelled with us
                continue  # only the job was cancelled; cancel_job already recorded it
            except Exception as exc:  # reported by the owner; the job fails, the worker goes on
                self._set_state(job, JobState.FAILED, f"engine error: {exc}")
                continue
            finally:
                self._printing = None
            if not job.state.is_final:  # not cancelled as the last page came out
                self._set_state(job, JobState.COMPLETED)

    def _page(self, job: Job, done: int) -> None:
        job.pages_done = done
        self._store.update_job(job, None)
        self._trace.emit("jobs", "progress", job_id=job.job_id, page=done, of=job.total_pages)
        self._events.publish(Event(EventKind.JOB_PROGRESS, job))

    # -- user actions ---------------------------------------------------------------------------
    def check_may_manage(self, job: Job, user: User | None) -> None:
        """Raise JobRefused unless `user` (the person at the panel) may act on `job`: cancel,
        retry, release and delete all go through here."""
        if may_manage(user, job):
            return
        self._trace.emit(
            "jobs", "action-refused", job_id=job.job_id, user_id=user.user_id if user else None
        )
        if user is None:
            raise JobRefused("Log in to manage your jobs.")
        raise JobRefused(
            "This job belongs to another user. Only its owner or an administrator can change it."
        )

    def cancel_job(self, job_id: str, user: User | None) -> bool:
        """Cancel a job of `user`'s (any job for an administrator) that is not finished yet;
        the server is told who cancelled it. Raises JobRefused for someone else's job."""
        job = self._jobs.get(job_id)
        if job is None:
            return False
        self.check_may_manage(job, user)
        if job.state.is_final:
            return False
        assert user is not None  # check_may_manage refuses nobody
        if self._printing is not None and self._printing[0] is job:
            if self._printing[1].done():
                return False  # the last page is already out: it completed
            self._printing[1].cancel()
        if job.kind is JobKind.CLOUD_PRINT:
            self._acted_by[job_id] = user.user_id
        self._set_state(job, JobState.CANCELLED, f"cancelled at the panel by {user.user_id}")
        return True

    def cancel_current_job(self, user: User | None) -> Job | None:
        """The hardware Stop key: cancel what the engine is printing (None: nothing is).
        Someone else's job is refused (JobRefused) as a Cancel on its row would be."""
        if self._printing is None:
            return None
        job = self._printing[0]
        self.cancel_job(job.job_id, user)
        return job

    # -- outgoing jobs (the outbox stores them; their list and events are here) -------------------
    def register(self, job: Job) -> None:
        """A job already stored by its owner (the outbox) joins the job list."""
        self._jobs[job.job_id] = job
        self._trace.emit("jobs", "created", job_id=job.job_id, state=job.state.value)
        self._events.publish(Event(EventKind.JOB_CREATED, job))

    def apply(
        self,
        changes: list[tuple[Job, JobState, str]],
        persist: Callable[[list[tuple[Job, TimelineEntry]]], None],
    ) -> None:
        """Many state changes with one durable write (`persist`), then their events."""
        staged = []
        for job, state, note in changes:
            job.state = state
            if state is JobState.FAILED or state is JobState.CANCELLED:
                job.reason = note
            entry = TimelineEntry(self._clock.time(), state, note)
            job.timeline.append(entry)
            staged.append((job, entry))
        persist(staged)
        for job, entry in staged:
            self._trace.emit(
                "jobs", "state", job_id=job.job_id, state=job.state.value, note=entry.note
            )
            self._events.publish(Event(EventKind.JOB_STATE_CHANGED, job))

    # -- state changes and reports ----------------------------------------------------------------
    def _set_state(self, job: Job, state: JobState, note: str = "") -> None:
        job.state = state
        if state is JobState.FAILED or state is JobState.CANCELLED:
            job.reason = note
        entry = TimelineEntry(self._clock.time(), state, note)
        job.timeline.append(entry)
        self._store.update_job(job, entry)
        if state in _REPORTED and job.kind is JobKind.CLOUD_PRINT:
            self._store.add_report(job.job_id, state.value, job.pages_done, job.reason)
            self._reports_waiting.set()
        self._trace.emit("jobs", "state", job_id=job.job_id, state=state.value, note=note)
        self._events.publish(Event(EventKind.JOB_STATE_CHANGED, job))

    async def _report_worker(self) -> None:
        """Deliver status reports in order. A report the server can never take (the job is
        gone or already final) is dropped; any other failure keeps it and retries later."""
        while True:
            await self._reports_waiting.wait()
            self._reports_waiting.clear()
            if self._link.state is not ConnectionState.ONLINE:
                continue  # `online()` wakes us when the link is back
            for report in self._store.pending_reports():
                cancel = report.state == "cancelled"
                acting = self._acted_by.get(report.job_id, "") if cancel else ""
                body = JobStatusReport(report.state, report.pages_done, report.reason, acting)
                try:
                    await self._link.call("POST", f"/jobs/{report.job_id}/status", JobInfo, body)
                except (ServerUnreachable, ServerRefused) as exc:
                    if acting and isinstance(exc, ServerRefused) and exc.code == _LEFT:
                        # The user logged out before the report got through: the device did
                        # stop the job when they could, so it tells the server as its own word.
                        self._acted_by.pop(report.job_id, None)
                        self._reports_waiting.set()
                        break
                    if isinstance(exc, ServerRefused) and exc.status in FINAL_REFUSALS:
                        self._trace.emit(
                            "jobs", "report-refused", job_id=report.job_id, error=str(exc)
                        )
                    else:
                        self._retry_later(self._report_backoff, self._reports_waiting.set)
                        break
                self._report_backoff.succeeded()
                self._store.drop_report(report.report_id)
                if report.state == "cancelled":
                    self._acted_by.pop(report.job_id, None)

    def _retry_later(self, backoff: Backoff, again: Callable[..., None], *args: str) -> None:
        """Call `again(*args)` after the backoff's delay, in device time; a stop cancels it."""
        self._tasks.call_later(backoff.failed(), again, *args)
