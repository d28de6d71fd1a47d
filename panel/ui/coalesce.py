"""Coalesced view updates: however many device events arrive, the panel redraws once per frame.

The device core publishes an event per change, in bursts (a drain settles 200 jobs in one
callback; a storm of composed scans creates a job every few milliseconds). A view that
repainted on each event would spend the loop repainting what nobody can see. Instead a view
records what changed in O(1) and `schedule()`s the function that shows it; the window's
`Coalescer` calls each scheduled function once, all in the same turn of the event loop: at the
next turn after a quiet spell (an isolated event shows at once), then at most every `FRAME_MS`
while events keep coming.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

# At most 20 view updates a second while events keep coming; a lone event shows at the next turn.
FRAME_MS = 50


class Coalescer(QObject):
    """Runs each scheduled function once per frame, however often it was scheduled."""

    def __init__(self, interval_ms: int = FRAME_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._interval_s = interval_ms / 1000
        # What to run, in the order first scheduled (a dict as an ordered set).
        self._pending: dict[Callable[[], None], None] = {}
        self._last = -math.inf  # when the last frame ran (time.monotonic)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    @property
    def last_frame(self) -> float:
        """When the last frame ran (time.monotonic): when the panel last showed a change."""
        return self._last

    @property
    def pending(self) -> bool:
        """Something is waiting for the next frame."""
        return bool(self._pending)

    def schedule(self, apply: Callable[[], None]) -> None:
        """Run `apply` at the next frame: the next turn, or when the current frame is over."""
        if not self._pending:
            wait_s = self._last + self._interval_s - time.monotonic()
            self._timer.start(math.ceil(wait_s * 1000) if wait_s > 0 else 0)
        self._pending[apply] = None

    def flush(self) -> None:
        """Run the frame now (tests, screenshots, a view about to be read)."""
        self._timer.stop()
        if not self._pending:
            return
        self._last = time.monotonic()
        while self._pending:  # what a function schedules while the frame runs joins it
            apply = next(iter(self._pending))
            del self._pending[apply]
            apply()
