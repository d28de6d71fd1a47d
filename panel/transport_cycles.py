"""Closed connections freed at once, not by the cyclic garbage collector.

asyncio's socket transport (CPython 3.11) keeps a bound method of itself (`_read_ready_cb`)
after its connection is lost, so every closed connection (its transport, socket, buffers and
what they reference) is a reference cycle that only the cyclic collector frees. With
`gc_policy` freezing what survives a couple of seconds, a connection that lived longer (an HTTP
keep-alive connection, 15 s) was left frozen once closed, until the next full collection: a
server that had held 1,000 devices had ~2,000 dead transports in its heap (tracemalloc), and
fleet workers the same for their devices' connections (issue 12: memory per connection, full
collections). Dropping the method when the connection is lost breaks the cycle.
"""

from __future__ import annotations

from asyncio import selector_events
from typing import Any

_transport: Any = getattr(selector_events, "_SelectorSocketTransport", None)


def break_transport_cycles() -> bool:
    """Make every socket transport of this process drop its read callback once its connection
    is lost (idempotent). False where asyncio has no such callback (nothing to do)."""
    if _transport is None or "_read_ready_cb" not in _transport.__init__.__code__.co_names:
        return False
    original = _transport._call_connection_lost
    if getattr(original, "breaks_cycle", False):
        return True

    def _call_connection_lost(self: Any, exc: BaseException | None) -> None:
        try:
            original(self, exc)
        finally:
            self._read_ready_cb = None  # the reader was removed before: nothing calls it again

    _call_connection_lost.breaks_cycle = True  # type: ignore[attr-defined]
    _transport._call_connection_lost = _call_connection_lost
    return True
