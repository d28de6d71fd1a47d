"""Where jobs change state: the device's job list, fetching pushed jobs, printing, cancelling,
and reporting each outcome to the server (durably, so a report survives being offline).

Each state change is one commit with what it implies (the report owed to the server, the
reception it settles), followed by its crash point. A restart resumes every job that is not
final: a job cut mid-print goes back to the queue and resumes at the first page whose count
was not committed (pages already counted are never printed again); the others are checked
against the server once it is reachable, and every report still pending is delivered.

Jobs print through the engine (panel/device/engine): one the engine stops (a jam, an open
cover, no paper or toner) stays printing and goes on when the fault is cleared, from the page
that did not come out; each page's count is committed with the engine's counters and levels.
Copies are local jobs (`enqueue_local`): stored here with how they print, never reported.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from panel import crashpoints
from panel.device.backoff import Backoff
from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.engine import JobAborted, PrintEngine, PrintOptions
from panel.device.engine.printer import DEFAULT_OPTIONS
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
from panel.text import marker
from panel.trace import Trace

# Refusals that retrying cannot change: the request is wrong, the job is gone or already final.
FINAL_REFUSALS = frozenset({400, 403, 404, 409, 422})

# The server's refusal of a report whose acting user is no longer logged in at this device.
_LEFT = "not_logged_in_here"
# ...and of a report for a job already final on the server in another state.
_FINAL = "job_final"

# States the server is told about; the others are the device's own business.
_REPORTED = frozenset({JobState.PRINTING, JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED})
# The server's final states, which a device job not final yet takes over when it reconciles.
_SERVER_FINAL = {s.value: s for s in (JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED)}

RECEIVED = crashpoints.point(
    "device.receptions.stored",
    "a push notice's reception and its job's first row committed; the ack not sent yet",
)
FETCHING = crashpoints.point(
    "device.jobs.fetching", "a job marked fetching committed; its information not asked for yet"
)
FETCHED = crashpoints.point(
    "device.jobs.fetched",
    "a fetched job's information, its new state (queued) and its reception settled, one commit",
)
PRINTING = crashpoints.point(
    "device.jobs.printing",
    "a job's printing state and its printing report committed; no page printed yet",
)
PAGE = crashpoints.point(
    "device.jobs.page", "a printed sheet's count (pages_done) committed; the next page not begun"
)
FINAL = crashpoints.point(
    "device.jobs.final",
    "a job's final state and its final report committed together; the report not sent yet",
)
REPORTED = crashpoints.point(
    "device.reports.confirmed",
    "a report the server answered deleted from the pending reports",
)
_AFTER = {
    JobState.FETCHING: FETCHING,
    JobState.PRINTING: PRINTING,
    JobState.COMPLETED: FINAL,
    JobState.FAILED: FINAL,
    JobState.CANCELLED: FINAL,
}


def _point_after(job: Job, fetched: bool) -> crashpoints.CrashPoint | None:
    """The crash point of a cloud job's state change (None: a change no point names)."""
    if job.kind is not JobKind.CLOUD_PRINT:
        return None
    if fetched and not job.state.is_final:
        return FETCHED
    return _AFTER.get(job.state)


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
        self._printing: tuple[Job, asyncio.Task[str | None]] | None = None
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
        # Jobs a restart found queued or printing: asked about once the server is reachable.
        self._unchecked: set[str] = set()
        # How local jobs (copies) print; cloud jobs print with the defaults.
        self._options: dict[str, PrintOptions] = {}

    # -- reading --------------------------------------------------------------------------------
    def all(self) -> list[Job]:
        """Every job, newest first."""
        return list(reversed(self._jobs.values()))

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    # -- life cycle -----------------------------------------------------------------------------
    def start(self) -> None:
        """Load the stored job list, resume the jobs a restart interrupted, start the workers.

        A job cut mid-print resumes at the first page not counted, as a printer with a job
        store resumes after a power cut: failing it would lose the user's document, and
        starting over would print its counted pages twice. Jobs not fetched yet are fetched
        when the link is up (`online`); queued and printing ones are checked with the server
        then. Pending reports, final ones included, go out as soon as the link is up."""
        for job in self._store.load_jobs():
            self._jobs[job.job_id] = job
        self._options = self._store.job_options()
        for job in list(self._jobs.values()):
            if not job.prints or job.state.is_final:
                continue
            if job.state is JobState.PRINTING:
                page = f"page {job.pages_done + 1} of {job.total_pages}"
                self._set_state(job, JobState.QUEUED, f"the device restarted: resumes at {page}")
            if job.state is JobState.QUEUED:
                self._queue.put_nowait(job.job_id)
                if not job.is_local:
                    self._unchecked.add(job.job_id)
        _ = self._tasks.spawn(self._print_worker(), "print worker")
        _ = self._tasks.spawn(self._report_worker(), "report worker")
        if self._store.pending_reports():
            self._reports_waiting.set()

    async def stop(self) -> None:
        """End the workers, fetches and retry timers; a report or fetch not done is kept."""
        await self._tasks.close()

    def online(self) -> None:
        """The link is up: reconcile every job not final with the server (fetch what was
        received but never fetched, check what a restart found queued or printing) and
        deliver the waiting reports."""
        for reception in self._store.unfetched_receptions():
            job = self._jobs.get(reception.job_id)
            if job is None:
                self._ensure_job(reception.job_id)
        for job in list(self._jobs.values()):
            if job.kind is not JobKind.CLOUD_PRINT or job.state.is_final:
                self._unchecked.discard(job.job_id)
                continue
            if job.state in (JobState.NOTIFIED, JobState.FETCHING):
                self._fetch_soon(job.job_id)
            elif job.job_id in self._unchecked:
                _ = self._tasks.spawn(self._check(job.job_id), f"check {job.job_id}")
        self._reports_waiting.set()

    # -- incoming work (S9) ---------------------------------------------------------------------
    def notified(self, seq: int, job_id: str) -> bool:
        """Store the reception record and the job's first row at once (one commit), then
        fetch the job. False for a repeat notice."""
        known = job_id in self._jobs
        new = None if known else self._new_job(job_id)
        fresh = self._store.store_reception(seq, job_id, self._clock.time(), new)
        RECEIVED.reach()
        self._trace.emit("jobs", "reception", seq=seq, job_id=job_id, fresh=fresh)
        if fresh:
            if new is not None:
                self._created(new[0])
            self._fetch_soon(job_id)
        return fresh

    def _new_job(self, job_id: str) -> tuple[Job, TimelineEntry]:
        job = Job(job_id, JobKind.CLOUD_PRINT, "Cloud print job", "", JobState.NOTIFIED)
        entry = TimelineEntry(self._clock.time(), JobState.NOTIFIED, "notified by the server")
        job.timeline.append(entry)
        return job, entry

    def _created(self, job: Job) -> None:
        self._jobs[job.job_id] = job
        self._trace.emit("jobs", "created", job_id=job.job_id, state=job.state.value)
        self._events.publish(Event(EventKind.JOB_CREATED, job))

    def _ensure_job(self, job_id: str) -> None:
        """A reception whose job row is missing (a store written before receptions and jobs
        were one commit): the job is made again from its id."""
        job, entry = self._new_job(job_id)
        self._store.save_job(job, entry.at, entry)
        self._created(job)

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
                    why = f"the server refused the job: {exc.message}"
                    self._set_state(job, JobState.FAILED, why, fetched=True)
                    return
                self._set_state(job, JobState.NOTIFIED, f"not fetched ({exc}); will try again")
                self._retry_later(self._fetch_backoff, self._refetch, job_id)
                return
            self._fetch_backoff.succeeded()
            if job.state.is_final:  # cancelled at the panel while we were fetching
                self._store.mark_fetched(job_id)
                return
            job.title, job.user_id = info.title, info.user_id
            job.pages, job.copies = info.pages, info.copies
            if info.state in _SERVER_FINAL:  # cancelled on the server, or final before a crash
                job.pages_done = info.pages_done
                note = f"{info.state} on the server"
                self._set_state(job, _SERVER_FINAL[info.state], note, fetched=True, report=False)
                return
            note = f"{info.pages} page(s) x {info.copies}"
            self._set_state(job, JobState.QUEUED, note, fetched=True)
            self._queue.put_nowait(job_id)
        finally:
            self._fetching.discard(job_id)

    async def _check(self, job_id: str) -> None:
        """Reconcile a job a restart found queued or printing: the server's word counts only
        when it is final (the device then takes it over, without reporting it back)."""
        try:
            info = await self._link.call("GET", f"/jobs/{job_id}", JobInfo)
        except ServerUnreachable:
            return  # asked again at the next `online`
        except ServerRefused as exc:
            if exc.status in FINAL_REFUSALS:  # else (the server failing) asked again later
                # Not the server's job (registered anew): it prints, its reports are refused.
                self._unchecked.discard(job_id)
            self._trace.emit("jobs", "check-refused", job_id=job_id, error=str(exc))
            return
        self._unchecked.discard(job_id)
        job = self._jobs.get(job_id)
        if job is None or job.state.is_final:
            return
        self._take_over(job, info)

    def _take_over(self, job: Job, info: JobInfo) -> None:
        """Take the server's final state over (stopping the print if it is this job's),
        without reporting it back: the server's word, so both sides agree."""
        if info.state not in _SERVER_FINAL or job.state.value == info.state:
            return
        if self._printing is not None and self._printing[0] is job:
            self._printing[1].cancel()
        # The server counts only pages this device reported: the larger count is the truth.
        job.pages_done = max(job.pages_done, info.pages_done)
        note = f"{info.state} on the server"
        self._set_state(job, _SERVER_FINAL[info.state], note, report=False)

    async def _refused_as_final(self, job_id: str) -> bool:
        """A report was refused because the job is final on the server in another state
        (409 job_final): ask the server which, and take it over. False when the server could
        not be asked: the report is kept, and sending it again leads back here."""
        try:
            info = await self._link.call("GET", f"/jobs/{job_id}", JobInfo)
        except ServerUnreachable:
            return False
        except ServerRefused as exc:
            return exc.status in FINAL_REFUSALS  # the job is gone: nothing to agree on
        job = self._jobs.get(job_id)
        if job is not None:
            self._take_over(job, info)
        return True

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
            task = self._tasks.spawn(self._print(job), f"print {job.job_id}")
            self._printing = (job, task)
            try:
                aborted = await task
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
            if job.state.is_final:  # cancelled as the last page came out
                continue
            if aborted is not None:  # the user cancelled it at the engine's prompt
                self._set_state(job, JobState.CANCELLED, aborted)
            else:
                self._set_state(job, JobState.COMPLETED)

    async def _print(self, job: Job) -> str | None:
        """Print `job` through the engine; the reason when the user cancelled it at one of the
        engine's prompts (toner empty, paper out), else None."""
        options = self._options.get(job.job_id, DEFAULT_OPTIONS)
        try:
            await self._engine.print_job(job, partial(self._page, job), options)
        except JobAborted as exc:
            return exc.message
        return None

    def _page(self, job: Job, done: int) -> None:
        job.pages_done = done
        # The page's counters and levels go in the same commit as its count: never twice.
        self._store.update_job(job, None, engine=self._engine.take_page_values())
        PAGE.reach()
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
            raise JobRefused(marker("Core", "Log in to manage your jobs."))
        raise JobRefused(
            marker(
                "Core",
                "This job belongs to another user. Only its owner or an administrator can change it.",  # noqa: E501
            )
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

    # -- local jobs (Copy) -----------------------------------------------------------------------
    def enqueue_local(self, job: Job, options: PrintOptions) -> Job:
        """Queue a job made at the device (a copy) on the engine's queue, stored with how it
        prints in one commit: it works offline, is never reported to the server as a cloud
        job, resumes after a restart like any print, and Stop cancels it."""
        if not job.is_local:
            raise ValueError(f"{job.kind.value} jobs are not local jobs")
        if job.job_id in self._jobs:
            raise ValueError(f"job {job.job_id} is already on the device")
        job.state = JobState.QUEUED
        entry = TimelineEntry(self._clock.time(), JobState.QUEUED, "made at the device")
        job.timeline.append(entry)
        self._store.save_local_job(job, entry, options)
        self._options[job.job_id] = options
        self._created(job)
        self._queue.put_nowait(job.job_id)
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
    def _set_state(
        self,
        job: Job,
        state: JobState,
        note: str = "",
        *,
        fetched: bool = False,
        report: bool = True,
    ) -> None:
        """One commit: the new state, its timeline entry, the report the server is owed for it
        (unless `report` is False: the server's own word) and, when `fetched`, the reception
        the fetch settles. Then its crash point, trace and event."""
        job.state = state
        if state is JobState.FAILED or state is JobState.CANCELLED:
            job.reason = note
        entry = TimelineEntry(self._clock.time(), state, note)
        job.timeline.append(entry)
        owed = report and state in _REPORTED and job.kind is JobKind.CLOUD_PRINT
        self._store.update_job(job, entry, report=owed, fetched=fetched)
        if (point := _point_after(job, fetched)) is not None:
            point.reach()
        if owed:
            self._reports_waiting.set()
        self._trace.emit("jobs", "state", job_id=job.job_id, state=state.value, note=note)
        self._events.publish(Event(EventKind.JOB_STATE_CHANGED, job))

    async def _report_worker(self) -> None:
        """Deliver status reports in order. A report the server can never take (the job is
        gone or already final) is dropped; for a job final there in another state, the
        device takes the server's state over. Any other failure keeps it and retries later."""
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
                        if exc.code == _FINAL and not await self._refused_as_final(report.job_id):
                            self._retry_later(self._report_backoff, self._reports_waiting.set)
                            break
                    else:
                        self._retry_later(self._report_backoff, self._reports_waiting.set)
                        break
                self._report_backoff.succeeded()
                self._store.drop_report(report.report_id)
                REPORTED.reach()
                if report.state == "cancelled":
                    self._acted_by.pop(report.job_id, None)

    def _retry_later(self, backoff: Backoff, again: Callable[..., None], *args: str) -> None:
        """Call `again(*args)` after the backoff's delay, in device time; a stop cancels it."""
        self._tasks.call_later(backoff.failed(), again, *args)
