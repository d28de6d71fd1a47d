"""A stand-in for `panel.device.Device` that the views can observe and call.

It has the real `EventBus` and domain objects, records every call the panel makes, and has
script methods (`add_job`, `set_state`, `progress`, ...) that change its state and publish the
same events the real core publishes. No Qt, no network.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field

from panel.device.events import Event, EventBus, EventKind
from panel.device.model import (
    ConnectionState,
    Job,
    JobKind,
    JobState,
    LoginOutcome,
    LoginResult,
    PrinterState,
    TimelineEntry,
    User,
)

ALICE = User("1001", "Alice Martin")
BOB = User("2002", "Bob Okafor", "admin")
# user_id -> (PIN, user)
DEFAULT_USERS: dict[str, tuple[str, User]] = {
    ALICE.user_id: ("1234", ALICE),
    BOB.user_id: ("9876", BOB),
}


class FakeJobs:
    def __init__(self) -> None:
        self.by_id: dict[str, Job] = {}

    def all(self) -> list[Job]:
        """Every job, newest first (like the real JobManager)."""
        return list(reversed(self.by_id.values()))


@dataclass
class FakeDevice:
    name: str = "MFP-3F-East"
    users: dict[str, tuple[str, User]] = field(default_factory=lambda: dict(DEFAULT_USERS))
    now: float = 1_767_261_600.0  # 2026-01-01 10:00 UTC; advance it to move the status clock
    events: EventBus = field(default_factory=EventBus)
    jobs: FakeJobs = field(default_factory=FakeJobs)
    user: User | None = None
    connection_state: ConnectionState = ConnectionState.ONLINE
    printer_state: PrinterState = PrinterState.IDLE
    # When True, login() waits until release_logins(): the panel is "checking".
    hold_logins: bool = False
    calls: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)
    _held: list[asyncio.Future[None]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # -- the interface the panel uses -----------------------------------------------------------
    async def login(self, user_id: str, pin: str) -> LoginResult:
        self.calls.append(("login", (user_id, pin)))
        if self.hold_logins:
            gate = asyncio.get_running_loop().create_future()
            self._held.append(gate)
            await gate
        known = self.users.get(user_id)
        if known is None or known[0] != pin:
            return LoginResult(LoginOutcome.REFUSED, message="Wrong user ID or PIN.")
        self.sign_in(known[1])
        return LoginResult(LoginOutcome.ACCEPTED, user=known[1])

    def logout(self) -> None:
        self.calls.append(("logout", ()))
        self.sign_in(None)

    def cancel_job(self, job_id: str) -> bool:
        self.calls.append(("cancel_job", (job_id,)))
        job = self.jobs.by_id.get(job_id)
        if job is None or job.state.is_final:
            return False
        self.set_state(job_id, JobState.CANCELLED, "cancelled at the panel")
        return True

    def cancel_current_job(self) -> Job | None:
        self.calls.append(("cancel_current_job", ()))
        for job in self.jobs.all():
            if job.state is JobState.PRINTING:
                self.set_state(job.job_id, JobState.CANCELLED, "cancelled at the panel")
                return job
        return None

    def time(self) -> float:
        return self.now

    # -- what tests look at ---------------------------------------------------------------------
    def called(self, name: str) -> list[tuple[object, ...]]:
        return [args for call, args in self.calls if call == name]

    # -- script: change state and publish what the real core would ------------------------------
    def release_logins(self) -> None:
        for gate in self._held:
            if not gate.done():
                gate.set_result(None)
        self._held.clear()

    def sign_in(self, user: User | None) -> None:
        if user != self.user:
            self.user = user
            self._publish(EventKind.SESSION_CHANGED, user)

    def add_job(
        self,
        title: str,
        state: JobState = JobState.QUEUED,
        *,
        user_id: str = ALICE.user_id,
        pages: int = 4,
        copies: int = 1,
        kind: JobKind = JobKind.CLOUD_PRINT,
        job_id: str | None = None,
    ) -> Job:
        job = Job(job_id or f"job-{next(self._ids)}", kind, title, user_id, state, pages, copies)
        job.timeline.append(TimelineEntry(self.now, state))
        self.jobs.by_id[job.job_id] = job
        self._publish(EventKind.JOB_CREATED, job)
        return job

    def set_state(self, job_id: str, state: JobState, reason: str = "") -> Job:
        job = self.jobs.by_id[job_id]
        job.state = state
        if reason:
            job.reason = reason
        job.timeline.append(TimelineEntry(self.now, state, reason))
        self._publish(EventKind.JOB_STATE_CHANGED, job)
        return job

    def progress(self, job_id: str, pages_done: int) -> Job:
        job = self.jobs.by_id[job_id]
        job.pages_done = pages_done
        self._publish(EventKind.JOB_PROGRESS, job)
        return job

    def remove_job(self, job_id: str) -> Job:
        job = self.jobs.by_id.pop(job_id)
        self._publish(EventKind.JOB_REMOVED, job)
        return job

    def set_connection(self, state: ConnectionState) -> None:
        self.connection_state = state
        self._publish(EventKind.CONNECTION_CHANGED, state)

    def set_printer(self, state: PrinterState) -> None:
        self.printer_state = state
        self._publish(EventKind.PRINTER_STATE_CHANGED, state)

    def notice(self, text: str, level: str = "info") -> None:
        self._publish(EventKind.NOTICE, None, text=text, level=level)

    def _publish(self, kind: EventKind, subject: object, **fields: object) -> None:
        self.events.publish(Event(kind, subject, dict(fields)))
