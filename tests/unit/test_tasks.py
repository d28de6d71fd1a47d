"""The task owner: names, cancels and awaits its tasks and timers, and reports every failure."""

from __future__ import annotations

import asyncio
import logging

import pytest

from panel.device.clock import ManualClock
from panel.tasks import TaskOwner


async def test_close_cancels_and_awaits_every_task_and_timer() -> None:
    owner = TaskOwner("part", clock=ManualClock())
    stopped: list[str] = []

    async def forever() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            stopped.append("forever")

    task = owner.spawn(forever(), "forever")
    timer = owner.call_later(5, stopped.append, "timer")
    await asyncio.sleep(0)
    assert task.get_name() == "part: forever"
    assert len(owner) == 2
    await owner.close()
    assert task.cancelled()
    assert timer.cancelled()
    assert stopped == ["forever"]
    assert len(owner) == 0
    with pytest.raises(RuntimeError, match="closed"):
        owner.spawn(forever(), "again")


async def test_a_failing_task_or_timer_is_reported_as_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = ManualClock()
    owner = TaskOwner("part", clock=clock)

    async def broken() -> None:
        raise ValueError("task broke")

    def broken_timer() -> None:
        raise KeyError("timer broke")

    with caplog.at_level(logging.ERROR, logger="panel.tasks"):
        task = owner.spawn(broken(), "broken")
        owner.call_later(1, broken_timer)
        await asyncio.wait([task])
        clock.advance(1)
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        caplog.clear()  # reported as expected: the suite's error check must not fail this test
    assert [str(r.exc_info[1]) for r in errors if r.exc_info] == ["task broke", "'timer broke'"]
    assert "part: broken" in errors[0].getMessage()
    await owner.close()
