"""Composing outgoing jobs on the panel (S1): the Scan and Fax screens and what their Send does.

The screens are built when first opened. Send runs the device's `scan_to` / `send_fax` as a task
of the window; the device keeps the job (the screen ready for the next one) or refuses it (the
reason in red on the screen). A kept job is followed until its outbox attempt has an outcome,
and the toast says what actually happened: "Sending…" then "Sent" once the server has it, or
"Held — sends when online" when it could not go (offline, or the attempt failed).
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from panel.device.model import ComposeError, Job, JobState
from panel.ui.bridge import files_of
from panel.ui.i18n import Text
from panel.ui.widgets import CoreText

if TYPE_CHECKING:
    from panel.protocol.messages import Destination
    from panel.ui.bridge import PanelDevice
    from panel.ui.screens.compose import ComposeScreen
    from panel.ui.screens.fax import FaxScreen
    from panel.ui.screens.scan import ScanScreen
    from panel.ui.window import PanelWindow

KEEP_FAILED = Text("Compose", "The job could not be kept on this device. Try again.")


class ComposeController(QObject):
    """The Scan and Fax screens of one panel window and the jobs they compose."""

    def __init__(self, window: PanelWindow) -> None:
        super().__init__(window)
        self._window = window
        self._scan: ScanScreen | None = None
        self._fax: FaxScreen | None = None
        self._online = False
        # Jobs kept while online whose first attempt has no outcome yet, and their "Sent" text.
        self._sending: dict[str, tuple[Job, Text]] = {}

    @property
    def device(self) -> PanelDevice:
        """The window's device (it changes when a booting panel attaches the real core)."""
        return self._window.device

    @property
    def scan_screen(self) -> ScanScreen:
        if self._scan is None:
            from panel.ui.screens.scan import ScanScreen

            window = self._window
            screen = self._scan = ScanScreen()
            window.stack.addWidget(screen)
            screen.back.connect(window.show_home)
            screen.scan_requested.connect(self._start_scan)
            screen.set_destinations(self.device.cache.destinations())
            if files_of(self.device) is not None:  # "Store in my box" (S6)
                screen.store_requested.connect(window.shared_files.store_scan)
                screen.offer_box(True)
            screen.set_online(self._online)
            screen.set_time(self.device.time())
        return self._scan

    @property
    def fax_screen(self) -> FaxScreen:
        if self._fax is None:
            from panel.ui.screens.fax import FaxScreen

            window = self._window
            screen = self._fax = FaxScreen()
            window.stack.addWidget(screen)
            screen.back.connect(window.show_home)
            screen.send_requested.connect(self._start_fax)
            screen.set_online(self._online)
        return self._fax

    def built(self) -> list[ScanScreen | FaxScreen]:
        """The Scan and Fax screens built so far."""
        return [s for s in (self._scan, self._fax) if s is not None]

    def show_scan(self) -> None:
        window = self._window
        if self.device.user is None:
            window.show_login()
            return
        self.scan_screen.set_time(self.device.time())
        window.stack.setCurrentWidget(self.scan_screen)

    def show_fax(self) -> None:
        window = self._window
        if self.device.user is None:
            window.show_login()
            return
        window.stack.setCurrentWidget(self.fax_screen)
        self.fax_screen.focus_number()

    # -- what the screens follow ------------------------------------------------------------------
    def reset(self) -> None:
        """Forget what was chosen on the Scan and Fax screens (not a job being composed)."""
        for screen in self.built():
            if not screen.busy:
                screen.reset()

    def set_online(self, online: bool) -> None:
        self._online = online
        for screen in self.built():
            screen.set_online(online)
        if not online:  # what waited for its first attempt now waits for the connection
            for job, _ in list(self._sending.values()):
                if job.state is JobState.HELD:
                    self._tell(job, _held_note())

    def job_changed(self, job: Job) -> None:
        """A job's state changed (the window forwards every change): toast the outcome of one
        composed here once it has one."""
        following = self._sending.get(job.job_id)
        if following is not None:
            self._follow(job, following[1])

    def set_destinations(self, destinations: list[Destination]) -> None:
        if self._scan is not None:
            self._scan.set_destinations(destinations)

    def set_time(self, now: float) -> None:
        if self._scan is not None:
            self._scan.set_time(now)

    # -- composing --------------------------------------------------------------------------------
    def _start_scan(self, dest_id: str, pages: int, title: str) -> None:
        screen = self.scan_screen
        chosen = screen.selected_destination()
        where = chosen.name if chosen is not None else dest_id
        screen.set_busy(True)
        job = self.device.scan_to(dest_id, pages, title)
        said = (
            Text("Compose", "Sending to {where}…").format(where=where),
            Text("Compose", "Sent to {where}").format(where=where),
        )
        _ = self._window.tasks.spawn(self._compose(screen, job, *said), "scan")

    def _start_fax(self, number: str, pages: int) -> None:
        screen = self.fax_screen
        screen.set_busy(True)
        job = self.device.send_fax(number, pages)
        said = (
            Text("Compose", "Sending fax to {number}…").format(number=number),
            Text("Compose", "Fax sent to {number}").format(number=number),
        )
        _ = self._window.tasks.spawn(self._compose(screen, job, *said), "fax")

    async def _compose(
        self, screen: ComposeScreen, compose: Coroutine[Any, Any, Job], sending: Text, sent: Text
    ) -> None:
        """The device kept the job (ready for the next; the toast follows what becomes of it)
        or refused it (red, on screen).

        Anything but a refusal is a bug: the screen says so and the window's task owner
        reports it."""
        try:
            job = await compose
        except ComposeError as refused:
            screen.set_busy(False)
            screen.show_error(
                CoreText(refused.template).format(**refused.values)
                if refused.values
                else refused.message
            )
            return
        except Exception:
            screen.set_busy(False)
            screen.show_error(KEEP_FAILED)
            raise
        screen.composed()
        if not self._follow(job, sent) and job.job_id not in self._sending:
            self._sending[job.job_id] = (job, sent)
            self._window.show_toast(sending)

    def _follow(self, job: Job, sent: Text) -> bool:
        """Toast the outcome of `job`'s attempt to go, if it has one yet (True)."""
        state = job.state
        if state is JobState.SENDING:
            return False
        if state is JobState.HELD:
            tried = any(entry.state is JobState.SENDING for entry in job.timeline)
            if self._online and not tried:
                return False  # the outbox sends it next
            self._tell(job, _held_note())
        elif state is JobState.FAILED:
            reason = (
                CoreText(job.reason) if job.reason else Text("Compose", "the server refused it")
            )
            self._tell(job, Text("Compose", "Not sent: {reason}").format(reason=reason), "warning")
        elif state is JobState.CANCELLED:
            self._sending.pop(job.job_id, None)
        else:  # accepted, and whatever the server does with it next
            self._tell(job, sent)
        return True

    def _tell(self, job: Job, text: Text | str, level: str = "info") -> None:
        """Toast what became of `job`, once, and only to the user who composed it."""
        self._sending.pop(job.job_id, None)
        user = self.device.user
        if user is not None and user.user_id == job.user_id:
            self._window.show_toast(text, level)


def _held_note() -> str:
    """The job list's words for a held job (its module is loaded once the list is needed)."""
    from panel.ui.i18n import translate_marked
    from panel.ui.screens.jobs import HELD_NOTE

    return translate_marked("Jobs", HELD_NOTE)
