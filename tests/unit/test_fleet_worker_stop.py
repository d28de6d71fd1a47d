"""A fleet worker told to stop gives its devices a bounded time: with the server gone, each
device's logout waits for its time-out, and a worker of 2,500 devices went on for minutes."""

from __future__ import annotations

import asyncio

from panel.fleet import worker
from panel.fleet.worker import Counters


class Device:
    def __init__(self, hangs: bool) -> None:
        self.hangs = hangs
        self.stopped = False

    async def stop(self) -> None:
        if self.hangs:
            await asyncio.Event().wait()  # a logout to a server that never answers
        self.stopped = True


async def test_devices_that_do_not_stop_are_left_after_the_deadline(monkeypatch):
    monkeypatch.setattr(worker, "STOP_DEADLINE_S", 0.2)
    fleet = [Device(hangs=False) for _ in range(200)] + [Device(hangs=True), Device(False)]
    counters = Counters()
    await asyncio.wait_for(worker._stop_all(fleet, counters), 10)  # type: ignore[arg-type]
    assert [n for n, d in enumerate(fleet) if not d.stopped] == [200]
    assert counters.stopped == 201
    assert counters.errors == ["1 of 202 devices not stopped within 0.2 s"]


async def test_devices_that_stop_are_all_stopped_and_nothing_is_reported():
    fleet = [Device(hangs=False) for _ in range(450)]
    counters = Counters()
    await worker._stop_all(fleet, counters)  # type: ignore[arg-type]
    assert all(d.stopped for d in fleet)
    assert counters.stopped == 450
    assert counters.errors == []
