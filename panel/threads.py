"""Work in a worker thread that is never left behind: `asyncio.to_thread` cannot stop a thread, so
a cancelled `to_thread` returns at once while its thread still runs (and writes files, or holds
the database) after the part that started it has stopped. `in_thread` waits for the thread to
end before the cancellation goes on, so closing a part's `TaskOwner` means its threads are done.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import Executor
from typing import ParamSpec, TypeVar

from panel.tasks import report_failure

P = ParamSpec("P")
T = TypeVar("T")


async def in_thread(func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `func(*args, **kwargs)` in the loop's default executor, like `asyncio.to_thread`;
    cancelled, it first waits until the thread has finished, then raises CancelledError."""
    return await in_executor(None, func, *args, **kwargs)


async def in_executor(
    executor: Executor | None, func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> T:
    """`in_thread` on `executor` (None: the loop's default), e.g. a small pool that bounds
    what a kind of work may hold at once."""
    loop = asyncio.get_running_loop()
    call = functools.partial(contextvars.copy_context().run, func, *args, **kwargs)
    future = loop.run_in_executor(executor, call)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        await _finished(future, getattr(func, "__qualname__", repr(func)))
        raise


async def _finished(future: asyncio.Future[T], name: str) -> None:
    """Wait, through further cancellations, until `future`'s thread is done; report a failure
    (the caller was cancelled, so nobody else sees it)."""
    while not future.done():
        with contextlib.suppress(BaseException):
            await asyncio.shield(future)
    if not future.cancelled() and (exc := future.exception()) is not None:
        report_failure("thread", name, exc)
