"""`in_thread`: a cancelled call returns only once its worker thread has ended, so a part that
stopped leaves no thread behind still writing its files; the failure of a thread nobody waits
for any more is reported."""

from __future__ import annotations

import asyncio
import threading

import pytest

from panel.device.clock import run_until_idle
from panel.threads import in_thread


def blocked_work(started: threading.Event, release: threading.Event, fail: bool) -> int:
    started.set()
    assert release.wait(10), "the test never released the thread"
    if fail:
        raise OSError("disk gone")
    return 7


async def test_the_result_and_the_failure_come_back_as_with_to_thread() -> None:
    go = threading.Event()
    go.set()
    assert await in_thread(blocked_work, threading.Event(), go, False) == 7
    with pytest.raises(OSError, match="disk gone"):
        await in_thread(blocked_work, threading.Event(), go, True)


async def cancelled_while_running(fail: bool) -> asyncio.Task[int]:
    """A call cancelled while its thread runs; returns once the cancel has been seen."""
    started, release = threading.Event(), threading.Event()
    call = asyncio.ensure_future(in_thread(blocked_work, started, release, fail))
    assert await in_thread(started.wait, 10)  # the thread is running now
    call.cancel()
    await run_until_idle()
    assert not call.done()  # cancelled, yet waiting for its thread
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await call
    return call


async def test_a_cancelled_call_ends_only_when_its_thread_has() -> None:
    call = await cancelled_while_running(fail=False)
    assert call.cancelled()


@pytest.mark.expect_errors(logger="panel.tasks", match="blocked_work failed")
async def test_a_failure_after_the_cancel_is_reported_not_dropped() -> None:
    call = await cancelled_while_running(fail=True)
    assert call.cancelled()
