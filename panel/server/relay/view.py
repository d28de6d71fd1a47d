"""The live view to one operator: screen updates sent no faster than the operator draws them.

At most `window` messages are unacknowledged at a time. Updates that arrive meanwhile wait,
coalesced: a rectangle covered by a newer one is dropped (latest wins), so what waits is
bounded by the screen, not by how slow the operator is. Should that still grow past
`max_pending` rectangles (or a message's size limit), it is dropped and the device is asked
for the whole screen instead.
Each acknowledgement becomes a `ViewFlow` for the device (see panel.protocol.maintenance).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

from aiohttp import web

from panel.protocol import ProtocolError
from panel.protocol.maintenance import (
    MAX_RECTS,
    VIEW_WINDOW,
    ScreenRect,
    ScreenUpdate,
    ViewFlow,
    coalesce,
    pack_screen,
)
from panel.tasks import TaskOwner

FPS_WINDOW_S = 1.0


class ViewStream:
    def __init__(
        self,
        ws: web.WebSocketResponse,
        ask_refresh: Callable[[str], Awaitable[None]],
        window: int = VIEW_WINDOW,
        max_pending: int = MAX_RECTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ws = ws
        self._ask_refresh = ask_refresh
        self.window = window
        self._max_pending = max_pending
        self._clock = clock
        self._pending: list[ScreenRect] = []
        self._pending_seq = 0
        self._size = (0, 0)
        self._in_flight: deque[int] = deque()
        self._drawn: deque[float] = deque()  # when each recent acknowledgement came
        self._wake = asyncio.Event()
        self._owner = TaskOwner("relay view")
        self.sent = 0  # messages sent to the operator
        self.dropped = 0  # rectangles superseded before they were sent

    def start(self) -> None:
        _ = self._owner.spawn(self._run(), "sending the screen")

    async def close(self) -> None:
        await self._owner.close()

    async def push(self, update: ScreenUpdate) -> None:
        """Queue `update` for the operator, coalesced with what still waits."""
        merged = coalesce(self._pending, update.rects)
        self.dropped += len(self._pending) + len(update.rects) - len(merged)
        self._pending_seq, self._size = update.seq, (update.width, update.height)
        if len(merged) > self._max_pending:
            self.dropped += len(merged)
            self._pending = []
            await self._ask_refresh("too many regions waiting for a slow operator")
            return
        self._pending = merged
        self._wake.set()

    def clear(self) -> None:
        """Forget what waits (the panel's user withdrew consent to viewing)."""
        self._pending = []

    def ack(self, seq: int) -> ViewFlow | None:
        """The operator drew message `seq`; the flow to tell the device, or None when `seq`
        was not in flight (a stale or made-up acknowledgement changes nothing)."""
        if seq not in self._in_flight:
            return None
        while self._in_flight and self._in_flight[0] <= seq:
            self._in_flight.popleft()
        now = self._clock()
        self._drawn.append(now)
        while self._drawn and self._drawn[0] <= now - FPS_WINDOW_S:
            self._drawn.popleft()
        self._wake.set()
        return ViewFlow(seq, float(len(self._drawn)), self.window)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending and len(self._in_flight) < self.window and not self._ws.closed:
                update = ScreenUpdate(self._pending_seq, *self._size, tuple(self._pending))
                self._pending = []
                try:
                    message = pack_screen(update)
                except ProtocolError:  # too many bytes waiting: a whole screen is smaller
                    self.dropped += len(update.rects)
                    await self._ask_refresh("too much waiting for a slow operator")
                    continue
                self._in_flight.append(update.seq)
                try:
                    await self._ws.send_bytes(message)
                except ConnectionResetError:
                    return  # the operator went away: their socket's handler ends the session
                self.sent += 1
