"""One proxied connection: the device's socket, a fresh socket to the upstream, bytes both ways.

With no toxic acting on a direction, a chunk read from one socket is written to the other in the
same callback (asyncio Protocols: no task, no queue, no copy), so the proxy adds about one loop
iteration. With toxics, chunks are queued with their arrival time and one task per direction
takes them through the toxics' effects in order. Back-pressure: a socket that cannot write as
fast pauses reading on the other; a direction whose queue grows pauses its sender.

A link's tasks and timers belong to its network's TaskOwner (cancelled and awaited when the
network stops; a failure is reported); its times are the network's clock's.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import struct
from collections import deque
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, cast

from panel.device.clock import Clock, Timer
from panel.sim.effects import Effect, effect_for
from panel.sim.observe import NetworkStats
from panel.sim.toxics import Stream, Toxic
from panel.tasks import TaskOwner

HIGH_WATER = 256 * 1024  # queued bytes at which the sender is paused
LOW_WATER = 64 * 1024  # ...and resumed
_RST_ON_CLOSE = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST


class Side(asyncio.Protocol):
    """One socket of a link: the device's (accepted) or the server's (connected)."""

    def __init__(self, link: Link, name: str) -> None:
        self.link = link
        self.name = name
        self.transport: asyncio.Transport | None = None
        self.lost = False
        self.sending: Direction  # what is read from this socket
        self.receiving: Direction  # what is written to it
        self._pauses: set[str] = set()
        self._write_paused = False
        self._writable: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        if self._pauses:
            self.transport.pause_reading()
        self.link.side_made(self)

    def data_received(self, data: bytes) -> None:
        self.sending.feed(data)

    def eof_received(self) -> bool:
        self.link.note(f"closed by {self.name}")
        self.sending.feed_eof()
        return True  # keep the socket open: the other direction may still be sending

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self._wake()
        self.link.note(f"{self.name} connection lost: {exc}" if exc else f"closed by {self.name}")
        self.link.side_lost(self)

    def pause_writing(self) -> None:
        self._write_paused = True
        self.receiving.source.pause("peer is not reading")

    def resume_writing(self) -> None:
        self._write_paused = False
        self._wake()
        self.receiving.source.resume("peer is not reading")

    def pause(self, reason: str) -> None:
        """Stop reading from this socket until every reason given is resumed."""
        if not self._pauses and self.transport is not None:
            self.transport.pause_reading()
        self._pauses.add(reason)

    def resume(self, reason: str) -> None:
        if reason not in self._pauses:
            return
        self._pauses.discard(reason)
        if not self._pauses and self.transport is not None and not self.lost:
            self.transport.resume_reading()

    async def writable(self) -> None:
        """Return once this socket's write buffer is below its high-water mark (or it is gone)."""
        while self._write_paused and not self.lost:
            if self._writable is None:
                self._writable = asyncio.get_running_loop().create_future()
            await self._writable

    def _wake(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)
        self._writable = None


class Direction:
    """Bytes from `source` to `dest` through the effects of the toxics on this stream."""

    def __init__(self, link: Link, stream: Stream, source: Side, dest: Side) -> None:
        self.link = link
        self.stream = stream
        self.source = source
        self.dest = dest
        self.effects: list[Effect] = []
        self.direct = True  # no effect is active: bytes go straight through
        self.eof = False  # the source closed its side
        self.done = False  # nothing more goes this way
        self._count = link.stats.counter(stream)
        self._queue: deque[tuple[bytes | None, float]] = deque()  # (chunk or EOF, arrival)
        self._queued = 0
        self._pump: asyncio.Task[None] | None = None

    def feed(self, data: bytes) -> None:
        if self.done:
            return
        if self.direct and self._pump is None:
            self._write(data)
            return
        self._queue.append((data, self.link.clock.monotonic()))
        self._queued += len(data)
        if self._queued > HIGH_WATER:
            self.source.pause("queue full")
        self._start_pump()

    def feed_eof(self) -> None:
        if self.eof or self.done:
            return
        self.eof = True
        if self.direct and self._pump is None:
            self._deliver_eof()
            return
        self._queue.append((None, self.link.clock.monotonic()))
        self._start_pump()

    def refresh(self) -> None:
        """Look again whether any effect is active (after a toxic was added, changed, removed)."""
        self.direct = not any(effect.active for effect in self.effects)

    def end(self) -> None:
        """Nothing more goes this way (the link closes): drop what waits, free the effects."""
        self.done = True
        self._queue.clear()
        self._queued = 0
        for effect in self.effects:
            effect.stop()

    def _write(self, data: bytes) -> None:
        # Data only arrives once both sockets are connected; a lost dest has ended this direction.
        cast(asyncio.Transport, self.dest.transport).write(data)
        self._count(len(data))

    def _start_pump(self) -> None:
        if self._pump is None:
            self._pump = self.link.spawn(self._run(), f"{self.stream} pump")

    async def _run(self) -> None:
        try:
            while self._queue and not self.done:
                data, arrived = self._queue.popleft()
                if data is None:
                    for effect in tuple(self.effects):
                        if effect.active:
                            await effect.at_eof()
                    self._deliver_eof()
                    continue
                self._queued -= len(data)
                if self._queued <= LOW_WATER:
                    self.source.resume("queue full")
                await self._through(tuple(self.effects), 0, arrived, data)
        finally:
            self._pump = None

    async def _through(
        self, effects: tuple[Effect, ...], index: int, arrived: float, data: bytes
    ) -> None:
        """`data` through effects[index:] (inactive ones pass it on as it is), then written."""
        for i in range(index, len(effects)):
            if effects[i].active:
                emit = functools.partial(self._through, effects, i + 1, arrived)
                await effects[i].process(data, arrived, emit)
                return
        if data and not self.done:
            self._write(data)
            await self.dest.writable()

    def _deliver_eof(self) -> None:
        if self.done:
            return
        self.done = True
        transport = self.dest.transport
        if transport is not None and not self.dest.lost and not transport.is_closing():
            if transport.can_write_eof():
                try:
                    transport.write_eof()
                except OSError:  # the peer went away first (ENOTCONN): nothing to tell it
                    transport.abort()
            else:
                transport.close()
        self.link.settle()


class Link:
    """A device connection accepted by a network, and its own connection to the upstream.

    `owner` starts its tasks and timers (the network's); `clock` is the time toxics act in."""

    def __init__(
        self,
        number: int,
        upstream: tuple[str, int],
        stats: NetworkStats,
        toxics: Iterable[Toxic],
        on_closed: Callable[[Link], None],
        owner: TaskOwner,
        clock: Clock,
    ) -> None:
        self.number = number
        self.upstream = upstream
        self.stats = stats
        self.loop = asyncio.get_running_loop()
        self._clock = clock
        self.reason = ""  # why it closed: the first cause noted
        self.failed = False  # the upstream could not be reached
        self._on_closed = on_closed
        self._ending = False  # close/reset/abort was called
        self._owner = owner
        self._running = 0  # tasks of this link not yet ended
        self._connecting: asyncio.Task[None] | None = None
        self._closed: asyncio.Future[None] = self.loop.create_future()
        self._idle: asyncio.Future[None] = self.loop.create_future()  # closed, tasks ended
        self.device = Side(self, "device")
        self.server = Side(self, "server")
        self.up = Direction(self, "upstream", self.device, self.server)
        self.down = Direction(self, "downstream", self.server, self.device)
        self.device.sending = self.server.receiving = self.up
        self.server.sending = self.device.receiving = self.down
        self.device.pause("connecting upstream")
        for toxic in toxics:
            self.add_toxic(toxic)

    # -- toxics ---------------------------------------------------------------------------

    def add_toxic(self, toxic: Toxic) -> None:
        direction = self._direction(toxic.stream)
        effect = effect_for(toxic, self)
        direction.effects.append(effect)
        effect.start()
        direction.refresh()

    def update_toxic(self, toxic: Toxic) -> None:
        direction = self._direction(toxic.stream)
        for effect in direction.effects:
            if effect.toxic.name == toxic.name:
                effect.update(toxic)
        direction.refresh()

    def remove_toxic(self, toxic: Toxic) -> None:
        direction = self._direction(toxic.stream)
        for effect in [e for e in direction.effects if e.toxic.name == toxic.name]:
            direction.effects.remove(effect)
            effect.remove()
        direction.refresh()

    def _direction(self, stream: Stream) -> Direction:
        return self.up if stream == "upstream" else self.down

    # -- life -----------------------------------------------------------------------------

    def note(self, reason: str) -> None:
        """Remember why the link closes, unless a cause is already known."""
        if not self.reason:
            self.reason = reason

    @property
    def clock(self) -> Clock:
        return self._clock

    def spawn(self, coro: Coroutine[Any, Any, None], what: str) -> asyncio.Task[None]:
        task = self._owner.spawn(coro, f"link {self.number} {what}")
        self._running += 1
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, _: asyncio.Task[None]) -> None:
        self._running -= 1
        self.settle()
        if self._running == 0 and self._closed.done() and not self._idle.done():
            self._idle.set_result(None)

    def call_later(self, seconds: float, callback: Callable[..., object], *args: Any) -> Timer:
        return self._owner.call_later(seconds, callback, *args)

    def cancel_timer(self, timer: Timer | None) -> None:
        self._owner.cancel_timer(timer)

    def side_made(self, side: Side) -> None:
        # Closed while this socket was being set up, or the device went away while connecting.
        if self._ending or (side is self.server and self.up.done):
            cast(asyncio.Transport, side.transport).abort()
        elif side is self.device:
            self._connecting = self.spawn(self._connect(), "connect")

    async def _connect(self) -> None:
        host, port = self.upstream
        try:
            await self.loop.create_connection(lambda: self.server, host, port)
        except OSError as exc:
            self.failed = True
            self.close(f"upstream {host}:{port} unreachable: {exc.strerror or exc}")
            return
        self.device.resume("connecting upstream")

    def side_lost(self, side: Side) -> None:
        # What this side sent still goes on (then its close); nothing more can reach it.
        side.sending.feed_eof()
        side.receiving.end()
        self.settle()

    def close(self, reason: str) -> None:
        """Close both sockets (FIN) once what was written to them has gone out."""
        self._end(reason)
        for side in (self.device, self.server):
            if side.transport is not None and not side.transport.is_closing():
                side.transport.close()

    def reset(self, reason: str) -> None:
        """Reset both sockets: each peer sees "connection reset" (RST, as with SO_LINGER 0)."""
        for side in (self.device, self.server):
            if side.transport is not None and not side.lost:
                sock = side.transport.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RST_ON_CLOSE)
        self.abort(reason)

    def abort(self, reason: str) -> None:
        """Cut both sockets at once, dropping whatever was not sent yet."""
        self._end(reason)
        for side in (self.device, self.server):
            if side.transport is not None and not side.lost:
                side.transport.abort()

    def _end(self, reason: str) -> None:
        self.note(reason)
        self._ending = True
        self.up.end()
        self.down.end()
        if self._connecting is not None and self._connecting is not asyncio.current_task():
            self._connecting.cancel()
        self.settle()

    def settle(self) -> None:
        """Close what is finished; once both sockets are gone, the link is closed."""
        if self.up.done and self.down.done:
            for side in (self.device, self.server):
                if side.transport is not None and not side.transport.is_closing():
                    side.transport.close()
        if self._closed.done() or not self.device.lost:
            return
        if self.server.transport is not None and not self.server.lost:
            return
        if self._connecting is not None and not self._connecting.done():
            return
        self.up.end()
        self.down.end()
        self._closed.set_result(None)
        if self._running == 0:
            self._idle.set_result(None)
        self._on_closed(self)

    async def wait_closed(self) -> None:
        """Return when both sockets are closed and the link's tasks have ended."""
        await self._idle
