"""Time as the device sees it: injectable, and able to run faster for demos.

Timers in the core sleep through `Clock.sleep` so tests and demos control time instead of waiting.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
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


class ManualClock(Clock):
    """Time that moves only when told to (`advance`): tests and scenario replays step it, so a
    15-minute sleep timer fires the moment 15 minutes are advanced and nobody waits for real
    time. Sleepers wake in the order of their deadlines."""

    def __init__(self, start: float = 1_767_261_600.0) -> None:  # 2026-01-01 10:00 UTC
        super().__init__(1.0)
        self._start = start
        self._elapsed = 0.0
        self._order = itertools.count()
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []

    def time(self) -> float:
        return self._start + self._elapsed

    def monotonic(self) -> float:
        return self._elapsed

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        wakeup: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._elapsed + seconds, next(self._order), wakeup))
        await wakeup  # a cancelled sleeper cancels its future; `advance` skips it

    def advance(self, seconds: float) -> None:
        """Move time forward and wake every sleeper whose deadline has come."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        self._elapsed += seconds
        while self._sleepers and self._sleepers[0][0] <= self._elapsed:
            _, _, wakeup = heapq.heappop(self._sleepers)
            if not wakeup.done():
                wakeup.set_result(None)

    @property
    def sleepers(self) -> int:
        """How many coroutines are waiting on this clock now."""
        return sum(1 for _, _, wakeup in self._sleepers if not wakeup.done())
