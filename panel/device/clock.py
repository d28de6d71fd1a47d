"""Time as the device sees it: injectable, and able to run faster for demos.

Timers in the core sleep through `Clock.sleep` so tests and demos control time instead of waiting.
"""

from __future__ import annotations

import asyncio
import time


class Clock:
    """Real time, optionally scaled: with `scale=10` a 60 s wait takes 6 s (the clock runs 10x)."""

    def __init__(self, scale: float = 1.0) -> None:
        if scale <= 0:
            raise ValueError("clock scale must be positive")
        self.scale = scale
        self._wall0 = time.time()
        self._mono0 = time.monotonic()

    def time(self) -> float:
        """Wall-clock seconds since the epoch, advancing `scale` times faster than real time."""
        return self._wall0 + (time.monotonic() - self._mono0) * self.scale

    def monotonic(self) -> float:
        return time.monotonic() * self.scale

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds / self.scale)
