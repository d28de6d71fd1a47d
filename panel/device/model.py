"""The device's domain objects: users, jobs and their states, the connection's state."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class JobState(enum.Enum):
    """Job states as the panel names them (DESIGN.md, "Job list")."""

    HELD = "held"
    SENDING = "sending"
    ACCEPTED = "accepted"
    NOTIFIED = "notified"
    FETCHING = "fetching"
    QUEUED = "queued"
    PRINTING = "printing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in _FINAL

    @property
    def is_active(self) -> bool:
        """Work the device still has to do (lights the Data LED)."""
        return not self.is_final


# ACCEPTED is where an outgoing job (scan, fax) ends: the server has it, exactly once.
_FINAL = frozenset({JobState.COMPLETED, JobState.ACCEPTED, JobState.FAILED, JobState.CANCELLED})


class JobKind(enum.Enum):
    CLOUD_PRINT = "cloud-print"
    COPY = "copy"
    # A document the device prints for someone at the panel (a box file, a phone's photo, an
    # app's document): made here like a copy, never a cloud job, but not a copy either.
    LOCAL_PRINT = "local-print"
    SCAN = "scan"
    FAX = "fax"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One step of a job's history, shown in its detail view."""

    at: float
    state: JobState
    note: str = ""


@dataclass(slots=True)
class Job:
    """A job as the device knows it; only the jobs concern mutates it, publishing each change."""

    job_id: str
    kind: JobKind
    title: str
    user_id: str
    state: JobState
    pages: int = 0
    copies: int = 1
    pages_done: int = 0
    reason: str = ""
    timeline: list[TimelineEntry] = field(default_factory=list)
    destination: str = ""  # outgoing jobs: the address-book name or the fax number

    @property
    def total_pages(self) -> int:
        return self.pages * self.copies

    @property
    def is_local(self) -> bool:
        """Made and printed at the device (a copy, a local print): stored here, never a cloud
        job."""
        return self.kind is JobKind.COPY or self.kind is JobKind.LOCAL_PRINT

    @property
    def prints(self) -> bool:
        """Goes through the print engine: cloud print jobs, copies and local prints."""
        return self.kind is JobKind.CLOUD_PRINT or self.is_local


@dataclass(frozen=True, slots=True)
class User:
    user_id: str
    name: str
    role: str = "user"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def may_manage(user: User | None, job: Job) -> bool:
    """Whether `user` may see a job's details and cancel, retry, release or delete it: its owner
    and administrators may; nobody else (as on real devices, others see only that the queue is
    busy). A job whose owner is not known yet belongs to nobody but administrators."""
    if user is None:
        return False
    return user.is_admin or (bool(job.user_id) and job.user_id == user.user_id)


class LoginOutcome(enum.Enum):
    ACCEPTED = "accepted"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    message: str = ""
    offline: bool = False  # accepted against the device's cached credentials
    attempts_left: int | None = None  # refused: wrong PINs still allowed before a lock
    retry_after_s: float | None = None  # refused: locked, for this many seconds from now
    lock_s: float | None = None  # refused: how long the lock a next wrong PIN starts would be

    @property
    def ok(self) -> bool:
        return self.outcome is LoginOutcome.ACCEPTED


class ConnectionState(enum.Enum):
    """The device's link to the server, as the status bar and the Attention LED show it."""

    OFFLINE = "offline"
    CONNECTING = "connecting"
    ONLINE = "online"


class PrinterState(enum.Enum):
    """The print engine's state, named after IPP's printer-state keywords."""

    IDLE = "idle"
    PROCESSING = "processing"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class OutboxStats:
    """The outbox as the status bar and the drain banner show it."""

    held: int = 0  # waiting for a connection
    sending: int = 0  # in a request to the server right now
    bytes_held: int = 0
    drain_done: int = 0  # accepted since the current drain began
    drain_total: int = 0  # jobs in the current drain (0: no drain running)


class JobRefused(Exception):
    """A job action (cancel, retry, release, delete) the device refuses for the person at the
    panel: the message is a sentence for them, and nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ComposeError(Exception):
    """A job the device refuses at composition (outbox full, disk full, bad input): the
    message is a sentence for the person at the panel, and nothing was kept.

    With `values`, `template` is a marked sentence (`panel.text.marker`) they fill: the panel
    words it in its language; `message` is it filled in."""

    def __init__(self, template: str, values: dict[str, object] | None = None) -> None:
        message = template.format(**values) if values else template
        super().__init__(message)
        self.message = message
        self.template = template
        self.values = dict(values or {})
