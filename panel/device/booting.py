"""The device as the panel sees it while the core is still loading.

A real panel lights its screen before its firmware has finished booting. `mfp-panel run`
does the same: the window paints the login screen over a `BootingDevice` (cheap to import:
no SQLite, no protocol, no network stack), then loads the real `Device` and hands it to the
window. Until then the device has a name and nothing else, and says so when asked to work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from panel.device.clock import Clock
from panel.device.events import EventBus
from panel.device.model import (
    ComposeError,
    ConnectionState,
    Job,
    LoginOutcome,
    LoginResult,
    OutboxStats,
    PrinterState,
    User,
)
from panel.text import marker

if TYPE_CHECKING:
    from panel.protocol.messages import Destination, JobTemplate

STARTING = marker("Core", "The device is still starting. Try again in a moment.")


class _NoJobs:
    def all(self) -> list[Job]:
        return []


class _EmptyCache:
    version = 0

    def destinations(self) -> list[Destination]:
        return []

    def templates(self) -> list[JobTemplate]:
        return []


class BootingDevice:
    """A device with a name and no state yet; every request is answered "still starting"."""

    def __init__(self, name: str, clock: Clock | None = None) -> None:
        self.name = name
        self.clock = clock or Clock()  # the panel's clock shows the time before the core runs
        self.events = EventBus()
        self.user: User | None = None
        self.connection_state = ConnectionState.CONNECTING
        self.printer_state = PrinterState.IDLE
        self.jobs = _NoJobs()
        self.cache = _EmptyCache()
        self.outbox_stats = OutboxStats()

    async def login(self, user_id: str, pin: str) -> LoginResult:
        return LoginResult(LoginOutcome.UNREACHABLE, message=STARTING)

    async def scan_to(self, dest_id: str, pages: int, title: str = "") -> Job:
        raise ComposeError(STARTING)

    async def send_fax(self, number: str, pages: int) -> Job:
        raise ComposeError(STARTING)

    def logout(self) -> None:
        pass

    def cancel_job(self, job_id: str) -> bool:
        return False

    def cancel_current_job(self) -> Job | None:
        return None

    def time(self) -> float:
        return self.clock.time()
