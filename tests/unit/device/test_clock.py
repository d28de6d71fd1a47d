"""The device clock: a ManualClock runs timers, sleeps and time-outs in virtual time, in order."""

from __future__ import annotations

import asyncio
import time

import pytest

from panel.device.clock import Clock, ManualClock


async def test_sleepers_wake_in_deadline_order_when_time_is_advanced() -> None:
    clock = ManualClock()
    woke: list[str] = []

    async def sleeper(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append(name)

    tasks = [asyncio.ensure_future(sleeper(n, s)) for n, s in (("late", 30), ("early", 5))]
    await clock.run_for(4.9)
    assert woke == []
    await clock.run_for(30)
    assert woke == ["early", "late"]
    await asyncio.gather(*tasks)
    assert clock.pending == 0


async def test_run_for_runs_chains_of_timers_a_plain_advance_would_skip() -> None:
    """A heartbeat loop sleeping 3 s at a time beats 10 times in 30 s of device time."""
    clock = ManualClock()
    beats: list[float] = []

    async def heartbeat() -> None:
        while True:
            await clock.sleep(3)
            beats.append(clock.monotonic())

    task = asyncio.ensure_future(heartbeat())
    started = time.monotonic()
    await clock.run_for(30)
    assert beats == [3.0 * n for n in range(1, 11)]
    assert time.monotonic() - started < 5  # virtual time: no real waiting
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_timeout_expires_in_device_time_and_a_cancelled_timer_never_fires() -> None:
    clock = ManualClock()
    never = asyncio.get_running_loop().create_future()
    waiter = asyncio.ensure_future(clock.wait_for(never, 10))
    await clock.run_for(9.5)
    assert not waiter.done()
    await clock.run_for(1)
    with pytest.raises(TimeoutError):
        await waiter
    assert never.cancelled()

    fired: list[int] = []
    timer = clock.call_later(1, fired.append, 1)
    clock.call_later(2, fired.append, 2)
    timer.cancel()
    clock.advance(5)
    assert fired == [2]
    assert clock.pending == 0


@pytest.mark.realtime  # a scaled real clock: real time is what it scales
async def test_a_scaled_clock_runs_faster_than_real_time() -> None:
    clock = Clock(scale=100)
    started = time.monotonic()
    await clock.sleep(1)  # 10 ms of real time
    assert time.monotonic() - started < 0.9
    with pytest.raises(TimeoutError):
        await clock.wait_for(asyncio.Event().wait(), 1)


def test_the_network_side_keeps_real_speed_when_a_demo_runs_the_clock_faster() -> None:
    fast = Clock(scale=10)
    assert fast.unscaled().scale == 1.0
    assert abs(fast.unscaled().monotonic() - time.monotonic()) < 1.0
    manual = ManualClock()
    assert manual.unscaled() is manual  # virtual time stays one time for tests


def test_a_positive_delay_lands_after_now_even_below_the_clocks_resolution() -> None:
    """As on a real clock: a timer for 1e-14 s at 199.96 s (where `now + 1e-14 == now`) fires
    at the next instant the clock can tell, not at now (a timer re-armed there fired for ever)."""
    clock = ManualClock()
    clock.advance(199.9606353218594)
    fired: list[float] = []
    now = clock.monotonic()
    assert now + 1e-14 == now
    clock.call_later(1e-14, lambda: fired.append(clock.monotonic()))
    clock.advance(0.0)
    assert fired == []
    clock.advance(1e-9)
    (at,) = fired
    assert at > now
