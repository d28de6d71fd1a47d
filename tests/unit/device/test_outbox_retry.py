"""The outbox's retry delays in device time (S1): a send that fails waits its backoff before the
next attempt, a link coming back cuts the wait short, a server still busy with a key is asked
again soon; a stopped outbox sends nothing more and leaves no task or timer behind. The server
is scripted and the clock is a ManualClock, so nobody waits for a delay. A batch is read and
encoded in a worker thread, so the tests wait for each attempt (an event), never for a time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from panel.device.backoff import Backoff
from panel.device.clock import ManualClock, run_until_idle
from panel.device.connection import ServerUnreachable
from panel.device.engine import PrintEngine
from panel.device.events import Event, EventBus, EventKind
from panel.device.jobs import JobManager
from panel.device.model import ConnectionState, Job, JobKind, JobState, User
from panel.device.outbox import RETRY_IN_PROGRESS_S, Outbox, OutboxLimits
from panel.device.store import DeviceStore
from panel.protocol import decode_body
from panel.protocol.messages import OutboxBatch, OutboxReply, OutboxResult
from panel.trace import Trace

ALICE = User("1001", "Alice Martin")


class ScriptedServer:
    """POST /outbox as the device sees it: each attempt takes the next scripted answer
    ("down": unreachable, "busy": 409 for every key, "ok": 201 for every key, "hang": no
    answer at all)."""

    def __init__(self, clock: ManualClock, *answers: str) -> None:
        self.clock = clock
        self.state = ConnectionState.ONLINE
        self.answers = list(answers)
        self.attempts: list[float] = []
        self._attempted = asyncio.Event()

    async def attempted(self, count: int) -> list[float]:
        """The device times of the attempts, once there were `count` of them."""
        while len(self.attempts) < count:
            self._attempted.clear()
            await asyncio.wait_for(self._attempted.wait(), 10)
        return self.attempts

    async def call(self, method: str, path: str, reply: type[Any], body: Any = None) -> Any:
        assert (method, path) == ("POST", "/outbox")
        self.attempts.append(self.clock.monotonic())
        self._attempted.set()
        answer = self.answers.pop(0) if self.answers else "ok"
        if answer == "hang":
            await asyncio.Event().wait()
        if answer == "down":
            raise ServerUnreachable("the network is down (scripted)")
        status = 409 if answer == "busy" else 201
        keys = [item.key for item in decode_body(OutboxBatch, body).items]
        return OutboxReply([OutboxResult(key, status, f"srv-{key[:6]}") for key in keys])


@dataclass
class Parts:
    clock: ManualClock
    events: EventBus
    outbox: Outbox
    docs: Path

    async def compose(self) -> Job:
        return await self.outbox.compose(JobKind.SCAN, ALICE, "Receipt", 1, "d-ap", "AP", b"%PDF")


@pytest.fixture
async def make_parts(tmp_path: Path) -> AsyncIterator[Any]:
    made: list[tuple[Outbox, DeviceStore]] = []

    def factory(server: ScriptedServer) -> Parts:
        events, trace = EventBus(), Trace(None)
        store = DeviceStore(tmp_path / "device.sqlite3")
        engine = PrintEngine(events, trace, server.clock, ppm=60.0, warmup_s=0.0)
        jobs = JobManager(store, server, engine, events, trace, server.clock)  # type: ignore[arg-type]
        # No jitter: the n-th retry waits exactly 1, 2, 4 ... s, so the test can say when.
        backoff = Backoff(base_s=1.0, cap_s=60.0, rng=lambda: 1.0, now=server.clock.monotonic)
        docs = tmp_path / "outbox"
        outbox = Outbox(
            store,
            server,
            jobs,
            events,
            trace,
            server.clock,
            docs,
            OutboxLimits(),
            backoff,  # type: ignore[arg-type]
        )
        outbox.start()
        made.append((outbox, store))
        return Parts(server.clock, events, outbox, docs)

    yield factory
    for outbox, store in made:
        await outbox.stop()
        store.close()


async def test_a_failed_send_waits_its_backoff_then_the_next_longer_one(make_parts: Any) -> None:
    server = ScriptedServer(ManualClock(), "down", "down", "ok")
    parts: Parts = make_parts(server)
    job = await parts.compose()
    assert await server.attempted(1) == [0.0]
    await parts.clock.run_for(0.999)
    assert job.state is JobState.HELD
    assert server.attempts == [0.0]  # still waiting out the first backoff
    await parts.clock.run_for(0.001)
    assert await server.attempted(2) == [0.0, 1.0]
    await parts.clock.run_for(2.0)
    assert await server.attempted(3) == [0.0, 1.0, 3.0]  # 1 s, then 2 s
    await parts.clock.run_for(0)
    assert job.state is JobState.ACCEPTED
    assert parts.outbox.stats.held == 0


async def test_the_link_coming_back_cuts_the_wait_short(make_parts: Any) -> None:
    server = ScriptedServer(ManualClock(), "down", "down", "down", "ok")
    parts: Parts = make_parts(server)
    job = await parts.compose()
    for count, wait in ((1, 1.0), (2, 2.0), (3, 0.5)):
        await server.attempted(count)
        await parts.clock.run_for(wait)
    assert server.attempts == [0.0, 1.0, 3.0]  # the next would come at 3 + 4 s
    parts.events.publish(Event(EventKind.CONNECTION_CHANGED, ConnectionState.ONLINE))
    assert await server.attempted(4) == [0.0, 1.0, 3.0, 3.5]  # at once instead
    await parts.clock.run_for(0)
    assert job.state is JobState.ACCEPTED


async def test_a_server_still_busy_with_the_key_is_asked_again_soon(make_parts: Any) -> None:
    server = ScriptedServer(ManualClock(), "busy", "ok")
    parts: Parts = make_parts(server)
    job = await parts.compose()
    await server.attempted(1)
    await parts.clock.run_for(RETRY_IN_PROGRESS_S)
    assert await server.attempted(2) == [0.0, RETRY_IN_PROGRESS_S]
    await parts.clock.run_for(0)
    assert job.state is JobState.ACCEPTED


async def test_a_stopped_outbox_sends_nothing_more_and_leaves_nothing(make_parts: Any) -> None:
    server = ScriptedServer(ManualClock(), "down")
    parts: Parts = make_parts(server)
    job = await parts.compose()
    await server.attempted(1)
    await run_until_idle()
    assert parts.clock.pending == 1  # the retry, on the device clock
    await parts.outbox.stop()
    assert parts.clock.pending == 0
    current = asyncio.current_task()
    assert [t for t in asyncio.all_tasks() if t is not current and not t.done()] == []
    await parts.clock.run_for(3600)
    assert server.attempts == [0.0]
    assert job.state is JobState.HELD  # kept for the next start
    assert [p.stem for p in parts.docs.iterdir()] == [job.job_id]


async def test_stopped_while_a_request_is_in_flight_the_job_is_kept(make_parts: Any) -> None:
    server = ScriptedServer(ManualClock(), "hang")
    parts: Parts = make_parts(server)
    job = await parts.compose()
    await server.attempted(1)
    assert job.state is JobState.SENDING
    await parts.outbox.stop()  # the request is cancelled, the drain ends
    current = asyncio.current_task()
    assert [t for t in asyncio.all_tasks() if t is not current and not t.done()] == []
    assert parts.clock.pending == 0
    assert [p.stem for p in parts.docs.iterdir()] == [job.job_id]  # sent again next time
