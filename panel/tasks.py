"""The owner of a part's background work: every task and timer is started here, named, cancelled
and awaited on close, and a failure in any of them is reported, never dropped.

Each part of the device core, the server and the simulated networks keeps one `TaskOwner`
instead of its own set of tasks. A failure goes to the log as an ERROR (a test fails on it) and
to the part's trace, so QA sees it too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from panel.device.clock import Clock, Timer
    from panel.trace import Trace

T = TypeVar("T")
_log = logging.getLogger(__name__)


def report_failure(owner: str, what: str, exc: BaseException, trace: Trace | None = None) -> None:
    """Say that background work failed: an ERROR in the log, a line in the trace."""
    _log.error("%s: %s failed: %r", owner, what, exc, exc_info=exc)
    if trace is not None:
        trace.emit("tasks", "failed", owner=owner, task=what, error=repr(exc))


class TaskOwner:
    """Starts, names, cancels and awaits the background tasks and timers of one part.

    `clock`: the device clock timers run on (real loop time when None).
    `trace`: where failures are written besides the log."""

    def __init__(self, name: str, clock: Clock | None = None, trace: Trace | None = None) -> None:
        self.name = name
        self._clock = clock
        self._trace = trace
        self._tasks: set[asyncio.Task[Any]] = set()
        self._timers: set[Timer] = set()
        self._closed = False

    def spawn(self, coro: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
        """Run `coro` as a task this owner cancels on close; its failure is reported.

        A caller that awaits the task itself still gets the exception; it is reported once."""
        if self._closed:
            coro.close()
            raise RuntimeError(f"{self.name} is closed: cannot start {name}")
        task = asyncio.ensure_future(coro)
        task.set_name(f"{self.name}: {name}")
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def call_later(self, seconds: float, callback: Callable[..., object], *args: Any) -> Timer:
        """Run `callback(*args)` after `seconds` of device time; cancelled on close."""
        if self._closed:
            raise RuntimeError(f"{self.name} is closed: cannot start a timer")
        name = getattr(callback, "__qualname__", repr(callback))
        holder: list[Timer] = []

        def fire() -> None:
            self._timers.discard(holder[0])
            try:
                callback(*args)
            except Exception as exc:
                report_failure(self.name, f"timer {name}", exc, self._trace)

        if self._clock is not None:
            timer = self._clock.call_later(seconds, fire)
        else:
            timer = asyncio.get_running_loop().call_later(max(0.0, seconds), fire)
        holder.append(timer)
        self._timers.add(timer)
        return timer

    def cancel_timer(self, timer: Timer | None) -> None:
        if timer is not None:
            timer.cancel()
            self._timers.discard(timer)

    @property
    def tasks(self) -> frozenset[asyncio.Task[Any]]:
        return frozenset(self._tasks)

    def __len__(self) -> int:
        return len(self._tasks) + sum(1 for t in self._timers if not t.cancelled())

    async def close(self) -> None:
        """Cancel every timer and task and wait until each task has ended. Idempotent."""
        self._closed = True
        await self.cancel_all()

    async def cancel_all(self) -> None:
        """Cancel and await everything running now; the owner stays usable (a restart)."""
        for timer in list(self._timers):
            timer.cancel()
        self._timers.clear()
        current = asyncio.current_task()
        while tasks := [t for t in self._tasks if t is not current and not t.done()]:
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)  # never raises: a failure was reported by _done

    def reopen(self) -> None:
        """Accept work again after `close` (a part that is started again)."""
        self._closed = False

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            report_failure(self.name, task.get_name(), exc, self._trace)
