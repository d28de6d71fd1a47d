"""Time as the device sees it: injectable, and able to run faster for demos.

Every sleep, timer and time-out in the core and the simulated parts goes through a `Clock`, so
tests and scenario replays control time (`ManualClock`) instead of waiting for it, and a demo
runs it faster (`Clock(scale=10)`).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Timer(Protocol):
    """A scheduled callback that can be cancelled (asyncio's TimerHandle or a manual one)."""

    def cancel(self) -> None: ...

    def cancelled(self) -> bool: ...


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

    def unscaled(self) -> Clock:
        """This clock at real speed, for what a faster demo must not speed up: network
        time-outs, heartbeats and latency budgets, which real links and the server keep in
        real time (a 10x demo would otherwise fail over on a link that is merely normal)."""
        return self if self.scale == 1.0 else Clock(1.0)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.scale)

    def call_later(self, seconds: float, callback: Callable[..., object], *args: Any) -> Timer:
        """Run `callback(*args)` on the running loop after `seconds` of device time."""
        return asyncio.get_running_loop().call_later(
            max(0.0, seconds) / self.scale, callback, *args
        )

    @contextlib.asynccontextmanager
    async def timeout(self, seconds: float | None) -> AsyncIterator[None]:
        """Like `asyncio.timeout`, in device time: TimeoutError when `seconds` have passed."""
        async with asyncio.timeout(None if seconds is None else max(0.0, seconds) / self.scale):
            yield

    async def wait_for(self, awaitable: Awaitable[T], seconds: float | None) -> T:
        """Like `asyncio.wait_for`, in device time (the awaitable is cancelled on time-out)."""
        async with self.timeout(seconds):
            return await awaitable


class _ManualTimer:
    """A callback due at a time of a ManualClock."""

    __slots__ = ("_args", "_callback", "_cancelled", "when")

    def __init__(self, when: float, callback: Callable[..., object], args: tuple[Any, ...]) -> None:
        self.when = when
        self._callback = callback
        self._args = args
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    def cancelled(self) -> bool:
        return self._cancelled

    def fire(self) -> None:
        if not self._cancelled:
            self._cancelled = True  # a timer fires once
            self._callback(*self._args)


class ManualClock(Clock):
    """Time that moves only when told to: tests and scenario replays step it, so a 15-minute
    sleep timer fires the moment 15 minutes are advanced and nobody waits for real time.

    `advance(s)` moves time and fires what is due; `await run_for(s)` moves it step by step,
    letting the loop run everything that follows from each timer before the next one fires (a
    retry that schedules the next retry, a heartbeat loop). Timers fire in deadline order."""

    def __init__(self, start: float = 1_767_261_600.0) -> None:  # 2026-01-01 10:00 UTC
        super().__init__(1.0)
        self._start = start
        self._elapsed = 0.0
        self._order = itertools.count()
        self._timers: list[tuple[float, int, _ManualTimer]] = []

    def time(self) -> float:
        return self._start + self._elapsed

    def monotonic(self) -> float:
        return self._elapsed

    def call_later(self, seconds: float, callback: Callable[..., object], *args: Any) -> Timer:
        """A timer `seconds` from now. A positive delay always lands after now, as on a real
        clock: `now + 1e-14` can round to `now`, and a timer re-armed for what rounding left of
        its deadline (PowerManager's, at 199.96 s) then fired at the same instant for ever."""
        when = self._elapsed + max(0.0, seconds)
        if seconds > 0 and when <= self._elapsed:
            when = math.nextafter(self._elapsed, math.inf)
        timer = _ManualTimer(when, callback, args)
        heapq.heappush(self._timers, (timer.when, next(self._order), timer))
        return timer

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        wakeup: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        timer = self.call_later(seconds, _resolve, wakeup)
        try:
            await wakeup
        finally:
            timer.cancel()

    @contextlib.asynccontextmanager
    async def timeout(self, seconds: float | None) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(None) as scope:
            timer = None
            if seconds is not None:
                # Expire asyncio's own scope "now" when the device clock reaches the deadline.
                timer = self.call_later(seconds, lambda: scope.reschedule(loop.time()))
            try:
                yield
            finally:
                if timer is not None:
                    timer.cancel()

    def advance(self, seconds: float) -> None:
        """Move time forward and fire every timer whose deadline has come, in deadline order."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        self._fire_until(self._elapsed + seconds)

    async def run_for(self, seconds: float) -> None:
        """Advance by `seconds` one deadline at a time, running the loop until idle after each."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        target = self._elapsed + seconds
        await run_until_idle()
        while (due := self._next_due()) is not None and due <= target:
            self._fire_until(due)
            await run_until_idle()
        self._elapsed = target
        await run_until_idle()

    def _fire_until(self, until: float) -> None:
        while (due := self._next_due()) is not None and due <= until:
            self._elapsed = max(self._elapsed, due)
            _, _, timer = heapq.heappop(self._timers)
            timer.fire()
        self._elapsed = max(self._elapsed, until)

    def _next_due(self) -> float | None:
        while self._timers and self._timers[0][2].cancelled():
            heapq.heappop(self._timers)
        return self._timers[0][0] if self._timers else None

    def next_due(self) -> float | None:
        """When (on `monotonic()`) the next timer is due; None when none waits (a scenario
        runner steps from one timer to the next)."""
        return self._next_due()

    @property
    def pending(self) -> int:
        """How many timers (sleepers included) are waiting on this clock now."""
        return sum(1 for _, _, timer in self._timers if not timer.cancelled())

    sleepers = pending  # the name the first tests used


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def run_until_idle(max_turns: int = 10_000) -> None:
    """Let the running loop run until nothing is ready any more (I/O and timers aside).

    On asyncio's own loops the ready queue is looked at; on others (qasync) a fixed number of
    turns is taken, enough for chains of callbacks the core makes."""
    loop = asyncio.get_running_loop()
    ready: Any = getattr(loop, "_ready", None)
    if ready is None:
        for _ in range(50):
            await asyncio.sleep(0)
        return
    for _ in range(max_turns):
        await asyncio.sleep(0)
        if not ready:
            return
