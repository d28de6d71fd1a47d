"""The simulated print engine: warm-up, then one page every 60/ppm seconds on the device clock.

Cancelling the task that runs `print_job` stops the engine after the page in hand.
"""

from __future__ import annotations

from collections.abc import Callable

from panel.device.clock import Clock
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import Job, PrinterState
from panel.trace import Trace


class PrintEngine:
    def __init__(
        self, events: EventBus, trace: Trace, clock: Clock, ppm: float, warmup_s: float
    ) -> None:
        if ppm <= 0:
            raise ValueError("pages per minute must be positive")
        self._events = events
        self._trace = trace
        self._clock = clock
        self.ppm = ppm
        self.warmup_s = warmup_s
        self.state = PrinterState.IDLE

    def _set_state(self, state: PrinterState) -> None:
        if state is not self.state:
            self.state = state
            self._trace.emit("engine", "state", state=state.value)
            self._events.publish(Event(EventKind.PRINTER_STATE_CHANGED, state))

    async def print_job(self, job: Job, on_page: Callable[[int], None]) -> None:
        """Print the remaining pages of `job`, calling `on_page(pages_done)` after each sheet.

        The sheet is out (SHEET_OUT) before `on_page` counts it, as on a real engine: the exit
        sensor sees the paper, then the controller records the page."""
        self._set_state(PrinterState.PROCESSING)
        try:
            if self.warmup_s > 0:
                await self._clock.sleep(self.warmup_s)
            for done in range(job.pages_done + 1, job.total_pages + 1):
                await self._clock.sleep(60.0 / self.ppm)
                self._events.publish(Event(EventKind.SHEET_OUT, job, {"page": done}))
                on_page(done)
        finally:
            self._set_state(PrinterState.IDLE)
