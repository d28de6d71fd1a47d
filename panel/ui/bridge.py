"""The one place where device-core events become Qt signals; views connect to the bridge only.

`PanelDevice` is the part of the device core the views use: the real `panel.device.Device`
satisfies it, and so does the GUI tests' fake (tests/gui/test_fake_device.py holds both to it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from panel.device.events import Event, EventBus, EventKind
from panel.device.model import (
    ConnectionState,
    Job,
    LoginResult,
    OutboxStats,
    PrinterState,
    User,
)

if TYPE_CHECKING:
    from panel.protocol.messages import Destination, JobTemplate


class JobsView(Protocol):
    def all(self) -> list[Job]:
        """Every job, newest first."""
        ...


class CacheView(Protocol):
    """The server's information the device keeps for offline work (S1); readable offline."""

    @property
    def version(self) -> int: ...
    def destinations(self) -> list[Destination]: ...
    def templates(self) -> list[JobTemplate]: ...


class PanelDevice(Protocol):
    """What the panel reads from and calls on the device core."""

    @property
    def name(self) -> str: ...
    @property
    def events(self) -> EventBus: ...
    @property
    def user(self) -> User | None: ...
    @property
    def connection_state(self) -> ConnectionState: ...
    @property
    def printer_state(self) -> PrinterState: ...
    @property
    def jobs(self) -> JobsView: ...
    @property
    def cache(self) -> CacheView: ...
    @property
    def outbox_stats(self) -> OutboxStats: ...

    async def login(self, user_id: str, pin: str) -> LoginResult: ...
    async def scan_to(self, dest_id: str, pages: int, title: str = "") -> Job:
        """Compose a scan; returns once it is durably in the outbox. Raises ComposeError."""
        ...

    async def send_fax(self, number: str, pages: int) -> Job:
        """Compose a fax; returns once it is durably in the outbox. Raises ComposeError."""
        ...

    def logout(self) -> None: ...
    def cancel_job(self, job_id: str) -> bool: ...
    def cancel_current_job(self) -> Job | None: ...
    def time(self) -> float: ...


_JOB_CHANGES = frozenset(
    {EventKind.JOB_CREATED, EventKind.JOB_STATE_CHANGED, EventKind.JOB_PROGRESS}
)


class DeviceBridge(QObject):
    """Re-emits the device's events as typed Qt signals on the GUI thread (qasync: one loop)."""

    job_changed = Signal(object)  # Job: created, state changed, or pages_done changed
    job_removed = Signal(object)  # Job
    session_changed = Signal(object)  # User | None
    connection_changed = Signal(object)  # ConnectionState
    printer_changed = Signal(object)  # PrinterState
    notice = Signal(str, str)  # text, level ("info" | "warning" | "error")
    outbox_changed = Signal(object)  # OutboxStats
    cache_changed = Signal(int)  # the cache's new version

    def __init__(self, events: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = events.subscribe(self._on_event)

    def detach(self) -> None:
        """Stop listening to the device (the window is closing)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_event(self, event: Event) -> None:
        kind = event.kind
        if kind in _JOB_CHANGES:
            self.job_changed.emit(event.subject)
        elif kind is EventKind.JOB_REMOVED:
            self.job_removed.emit(event.subject)
        elif kind is EventKind.SESSION_CHANGED:
            self.session_changed.emit(event.subject)
        elif kind is EventKind.CONNECTION_CHANGED:
            self.connection_changed.emit(event.subject)
        elif kind is EventKind.PRINTER_STATE_CHANGED:
            self.printer_changed.emit(event.subject)
        elif kind is EventKind.OUTBOX_CHANGED:
            self.outbox_changed.emit(event.subject)
        elif kind is EventKind.CACHE_CHANGED:
            self.cache_changed.emit(int(event.subject))
        elif kind is EventKind.NOTICE:
            level = str(event.fields.get("level", "info"))
            self.notice.emit(str(event.fields.get("text", "")), level)
