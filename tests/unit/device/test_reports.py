"""The device's report queue in device time (issue 14): level changes made offline leave one
report, every fault one of its own, all sent in order once the link is up; level changes go
at most every `min_interval_s`, a fault at once; a failed send waits its backoff (at least what
a busy server asked for) whatever new reports come meanwhile, and the link coming back cuts it
short. The server is scripted and the clock is a ManualClock: nobody waits for a delay."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from panel.device.backoff import Backoff
from panel.device.clock import ManualClock
from panel.device.connection import ServerRefused, ServerUnreachable
from panel.device.engine import PrintEngine
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import ConnectionState
from panel.device.reports import PATH, Reports
from panel.device.store import DeviceStore
from panel.protocol import decode_body
from panel.protocol.device_reports import DeviceReportBatch, DeviceReportReply, StatusBody
from panel.protocol.messages import ErrorReply
from panel.trace import Trace


class ScriptedServer:
    """POST /devices/me/reports as the device sees it: each attempt takes the next scripted
    answer ("ok", "down": unreachable, "busy": 503 asking for 5 s) and keeps the batch."""

    def __init__(self, clock: ManualClock, *answers: str) -> None:
        self.clock = clock
        self.state = ConnectionState.OFFLINE
        self.answers = list(answers)
        self.batches: list[tuple[float, DeviceReportBatch]] = []
        self._attempted = asyncio.Event()

    async def attempted(self, count: int) -> list[float]:
        while len(self.batches) < count:
            self._attempted.clear()
            await asyncio.wait_for(self._attempted.wait(), 10)
        return [at for at, _ in self.batches]

    async def call(self, method: str, path: str, reply: type[Any], body: Any = None) -> Any:
        assert (method, path) == ("POST", PATH)
        batch = decode_body(DeviceReportBatch, body)
        self.batches.append((self.clock.monotonic(), batch))
        self._attempted.set()
        answer = self.answers.pop(0) if self.answers else "ok"
        if answer == "down":
            raise ServerUnreachable("the network is down (scripted)")
        if answer == "busy":
            raise ServerRefused(503, "busy", "busy", ErrorReply("busy", "busy", retry_after_s=5))
        return DeviceReportReply(len(batch.reports), 0, batch.reports[-1].seq)

    def codes(self, index: int) -> list[list[str]]:
        """The reason codes of each status report of the `index`-th batch."""
        return [
            [r.code for r in report.body.reasons]
            for report in self.batches[index][1].reports
            if isinstance(report.body, StatusBody)
        ]


@dataclass
class Parts:
    clock: ManualClock
    events: EventBus
    engine: PrintEngine
    reports: Reports
    store: DeviceStore
    server: ScriptedServer

    def link(self, state: ConnectionState) -> None:
        self.server.state = state
        self.events.publish(Event(EventKind.CONNECTION_CHANGED, state))


@pytest.fixture
async def make_parts(tmp_path: Path) -> AsyncIterator[Callable[[ScriptedServer], Parts]]:
    made: list[Parts] = []

    def factory(server: ScriptedServer) -> Parts:
        events, trace = EventBus(), Trace(None)
        store = DeviceStore(tmp_path / f"device-{len(made)}.sqlite3")
        engine = PrintEngine(events, trace, server.clock, store, ppm=60.0)
        # No jitter: the n-th retry waits exactly 1, 2, 4 ... s (at least what was asked).
        backoff = Backoff(base_s=1.0, cap_s=60.0, rng=lambda: 1.0, now=server.clock.monotonic)
        reports = Reports(
            store,
            server,  # type: ignore[arg-type]
            engine,
            events,
            trace,
            server.clock,
            backoff=backoff,
            min_interval_s=2.0,
        )
        reports.start()
        parts = Parts(server.clock, events, engine, reports, store, server)
        made.append(parts)
        return parts

    yield factory
    for parts in made:
        await parts.reports.stop()
        parts.store.close()


async def test_offline_levels_leave_one_report_each_fault_its_own_sent_in_order(
    make_parts: Callable[[ScriptedServer], Parts],
) -> None:
    server = ScriptedServer(ManualClock())
    parts = make_parts(server)
    engine = parts.engine
    for level in range(500, 0, -5):
        engine.set_tray("tray-1", level)  # 100 changes
    engine.jam("tray-1")
    for pct in range(99, 50, -1):
        engine.set_toner("black", pct)  # 49 changes
    engine.clear("J-0101")
    engine.set_tray("tray-2", 10)
    await parts.clock.run_for(600)  # ten minutes offline: nothing goes
    assert server.batches == []
    # start, the tray's levels, the jam, the toner's levels, cleared, tray 2's level
    assert parts.reports.stats.queued == 6

    parts.link(ConnectionState.ONLINE)
    await server.attempted(1)
    (_, batch) = server.batches[0]
    seqs = [r.seq for r in batch.reports]
    assert seqs == sorted(seqs)
    assert server.codes(0) == [[], [], ["J-0101"], ["J-0101"], [], []]
    status = batch.reports[-1].body
    assert isinstance(status, StatusBody)
    assert [t.level for t in status.trays[:2]] == [5, 10]  # the latest levels won
    await parts.clock.run_for(0)
    assert parts.reports.stats.queued == 0


async def test_levels_go_at_most_every_interval_and_a_fault_at_once(
    make_parts: Callable[[ScriptedServer], Parts],
) -> None:
    server = ScriptedServer(ManualClock())
    parts = make_parts(server)
    parts.link(ConnectionState.ONLINE)
    assert await server.attempted(1) == [0.0]  # the start's status
    parts.engine.set_toner("cyan", 90)
    parts.engine.set_toner("cyan", 80)
    await parts.clock.run_for(1.999)
    assert len(server.batches) == 1
    await parts.clock.run_for(0.001)
    assert await server.attempted(2) == [0.0, 2.0]
    assert len(server.batches[1][1].reports) == 1  # the two changes, as one
    await parts.clock.run_for(0.5)
    parts.engine.open_cover("front-cover")  # a fault: no interval
    assert await server.attempted(3) == [0.0, 2.0, 2.5]
    assert server.codes(2) == [["C-0101"]]


async def test_a_failed_send_waits_its_backoff_whatever_comes_until_the_link_returns(
    make_parts: Callable[[ScriptedServer], Parts],
) -> None:
    server = ScriptedServer(ManualClock(), "busy", "down", "down")
    parts = make_parts(server)
    parts.link(ConnectionState.ONLINE)
    assert await server.attempted(1) == [0.0]
    parts.engine.jam("tray-1")  # new reports do not cut a busy server's wait short
    for level in (400, 300, 200):
        parts.engine.set_tray("tray-1", level)
    await parts.clock.run_for(5.999)
    assert len(server.batches) == 1  # 5 s asked for, +1 s of backoff
    await parts.clock.run_for(0.001)
    assert await server.attempted(2) == [0.0, 6.0]
    assert server.codes(1) == [[], ["J-0101"], ["J-0101"]]  # in order, one batch
    await parts.clock.run_for(0.5)  # the next wait is 2 s, but the link comes back
    parts.link(ConnectionState.CONNECTING)
    parts.link(ConnectionState.ONLINE)
    assert await server.attempted(3) == [0.0, 6.0, 6.5]
    await parts.clock.run_for(4.0)
    assert await server.attempted(4) == [0.0, 6.0, 6.5, 10.5]  # 4 s after the third failure
    await parts.clock.run_for(0)
    assert parts.reports.stats.queued == 0
    assert parts.reports.stats.sent == 3
