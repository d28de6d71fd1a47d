"""Measures how long the Qt event loop goes without running: the longest gap between the
ticks of a short timer, less the interval. What a user feels as a frozen panel."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer


class StallMeter(QObject):
    def __init__(self, interval_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._interval_s = interval_ms / 1000
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.longest_s = 0.0

    def start(self) -> None:
        self.longest_s = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        """Stop measuring; the longest stall seen, in seconds."""
        self._tick()
        self._timer.stop()
        return self.longest_s

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_s = max(self.longest_s, now - self._last - self._interval_s)
        self._last = now
