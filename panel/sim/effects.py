"""What each toxic does to one direction of one proxied connection.

An Effect is a toxic at work on a link: it receives each chunk with the time it arrived at the
proxy and passes it on (`emit`), later, in pieces, or not at all; it may close or reset the
link. Whether it applies at all is drawn once per link from the toxic's toxicity (again when the
toxic is updated), as Toxiproxy does. Waits are cut short when the toxic is updated or removed,
so a change applies to data already waiting, not only to data that comes later.

Times are the link's clock's (`panel.device.clock`): real by default, a ManualClock in tests,
so a 5 s latency is advanced, not waited for. Timers are the link's, cancelled when it ends.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from panel.device.clock import Clock, Timer
from panel.sim.toxics import Toxic

Emit = Callable[[bytes], Awaitable[None]]


class LinkControl(Protocol):
    """What an effect may do to its connection."""

    @property
    def clock(self) -> Clock:
        """The time effects measure and wait in."""

    def call_later(self, seconds: float, callback: Callable[..., object], *args: Any) -> Timer:
        """A timer on the link's clock, owned by the link (cancelled when it stops)."""

    def cancel_timer(self, timer: Timer | None) -> None: ...

    def close(self, reason: str) -> None:
        """Close both ends (FIN), after what was already written."""

    def reset(self, reason: str) -> None:
        """Reset both ends (RST)."""


class Effect:
    """A toxic that does nothing; the base of the others (and what a missed toxicity draw is)."""

    def __init__(self, toxic: Toxic, link: LinkControl) -> None:
        self.toxic = toxic
        self.link = link
        self.applies = random.random() < toxic.toxicity
        self.stopped = False
        self._clock = link.clock
        self._waits: set[asyncio.Future[bool]] = set()

    @property
    def active(self) -> bool:
        return self.applies and not self.stopped

    def start(self) -> None:
        """The toxic now acts on this link (timers start here)."""

    def update(self, toxic: Toxic) -> None:
        """New attributes or toxicity; the draw is made again and waiting data re-evaluated."""
        self.toxic = toxic
        self.applies = random.random() < toxic.toxicity
        self._interrupt()

    def remove(self) -> None:
        """The toxic was removed from the network: stop, and undo what cannot stay."""
        self.stop()

    def stop(self) -> None:
        """The link ends or the toxic goes: cancel timers, let waiting data go on."""
        self.stopped = True
        self._interrupt()

    async def process(self, data: bytes, arrived: float, emit: Emit) -> None:
        await emit(data)

    async def at_eof(self) -> None:
        """The sender closed its side; return when the close may be passed on."""

    async def _wait(self, seconds: float) -> bool:
        """Sleep; False if the toxic changed first (the caller then looks again)."""
        if seconds <= 0:
            return True
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        timer = self.link.call_later(seconds, _resolve, done, True)
        self._waits.add(done)
        try:
            return await done
        finally:
            self.link.cancel_timer(timer)
            self._waits.discard(done)

    async def _wait_until(self, deadline: Callable[[], float]) -> None:
        """Wait until `deadline()` (clock time, re-read after each change) while active."""
        while self.active and not await self._wait(deadline() - self._clock.monotonic()):
            pass

    def _interrupt(self) -> None:
        for done in self._waits:
            _resolve(done, False)


def _resolve(done: asyncio.Future[bool], value: bool) -> None:
    if not done.done():
        done.set_result(value)


class Latency(Effect):
    async def process(self, data: bytes, arrived: float, emit: Emit) -> None:
        # Jitter is drawn per chunk; chunks stay in order (a chunk never overtakes the one
        # before it, whose due time may be later).
        offset = random.uniform(-1.0, 1.0)

        def due() -> float:
            delay_ms = self.toxic.attr("latency") + offset * self.toxic.attr("jitter")
            return arrived + max(0.0, delay_ms) / 1000

        await self._wait_until(due)
        await emit(data)


class Bandwidth(Effect):
    _PIECE_S = 0.1  # a large chunk goes out in 100 ms pieces, as in Toxiproxy

    def __init__(self, toxic: Toxic, link: LinkControl) -> None:
        super().__init__(toxic, link)
        self._free_at = 0.0  # clock time when the link has sent what it was given so far

    async def process(self, data: bytes, arrived: float, emit: Emit) -> None:
        view = memoryview(data)
        while view and self.active:
            rate = self.toxic.attr("rate") * 1000  # bytes per second
            piece = view[: max(1, int(rate * self._PIECE_S))]
            now = self._clock.monotonic()
            free_at = max(now, self._free_at) + len(piece) / rate
            if not await self._wait(free_at - now):
                continue  # the rate changed: count this piece again at the new rate
            self._free_at = free_at
            await emit(bytes(piece))
            view = view[len(piece) :]
        if view:
            await emit(bytes(view))


class SlowClose(Effect):
    async def at_eof(self) -> None:
        started = self._clock.monotonic()
        await self._wait_until(lambda: started + self.toxic.attr("delay") / 1000)


class Timeout(Effect):
    """Drops data; closes the link after `timeout` ms (0: holds it open for ever)."""

    def __init__(self, toxic: Toxic, link: LinkControl) -> None:
        super().__init__(toxic, link)
        self._timer: Timer | None = None
        self._dropped = False

    def start(self) -> None:
        self._cancel_timer()
        timeout = self.toxic.attr("timeout")
        if self.active and timeout > 0:
            self._timer = self.link.call_later(timeout / 1000, self.link.close, "timeout")

    def update(self, toxic: Toxic) -> None:
        super().update(toxic)
        if self._dropped and not self.applies:  # data would flow again after a hole
            self.link.close("timeout lifted after dropping data")
        self.start()  # the timeout runs again from now

    def remove(self) -> None:
        super().remove()
        if self._dropped:  # the byte stream has a hole: it cannot go on (Toxiproxy closes too)
            self.link.close("timeout removed after dropping data")

    def stop(self) -> None:
        super().stop()
        self._cancel_timer()

    async def process(self, data: bytes, arrived: float, emit: Emit) -> None:
        if self.active:
            self._dropped = True
            return
        await emit(data)

    def _cancel_timer(self) -> None:
        self.link.cancel_timer(self._timer)
        self._timer = None


class ResetPeer(Effect):
    """`timeout` ms after data arrives in its stream, resets the connection (data dropped)."""

    async def process(self, data: bytes, arrived: float, emit: Emit) -> None:
        await self._wait_until(lambda: arrived + self.toxic.attr("timeout") / 1000)
        if self.active:
            self.link.reset("reset_peer")
            return
        await emit(data)


class Slicer(Effect):
    async def process(self, data: bytes, arrived: float, emit: Emit) -> None:
        view = memoryview(data)
        while view:
            if not self.active:
                await emit(bytes(view))
                return
            average = self.toxic.attr("average_size")
            variation = self.toxic.attr("size_variation")
            size = max(1, average + random.randint(-variation, variation))
            await emit(bytes(view[:size]))
            view = view[size:]
            delay_us = self.toxic.attr("delay")
            if view and delay_us:
                await self._wait(delay_us / 1_000_000)


class LimitData(Effect):
    """Passes `bytes` bytes in all (counted across updates), then closes the link."""

    def __init__(self, toxic: Toxic, link: LinkControl) -> None:
        super().__init__(toxic, link)
        self._passed = 0

    async def process(self, data: bytes, arrived: float, emit: Emit) -> None:
        if not self.active:
            await emit(data)
            return
        allowed = max(0, self.toxic.attr("bytes") - self._passed)
        if allowed:
            piece = data[:allowed]
            self._passed += len(piece)
            await emit(piece)
        if self._passed >= self.toxic.attr("bytes"):
            self.link.close("limit_data")


_EFFECTS: dict[str, type[Effect]] = {
    "latency": Latency,
    "bandwidth": Bandwidth,
    "slow_close": SlowClose,
    "timeout": Timeout,
    "reset_peer": ResetPeer,
    "slicer": Slicer,
    "limit_data": LimitData,
}


def effect_for(toxic: Toxic, link: LinkControl) -> Effect:
    """A new effect of `toxic` on `link` (not yet started)."""
    return _EFFECTS[toxic.type](toxic, link)
