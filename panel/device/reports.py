"""What the device tells the server about itself (issue 14): its engine's status and the usage
of its local jobs, queued durably in the device store and delivered in order, once.

Every report gets the next `seq` of the queue; the drain sends the oldest first, in batches,
whenever the link is online, and drops a report only once the server answered 2xx. The server
stores each (device, stream, seq) once, so a batch whose answer was lost is simply sent again.

Status: each ENGINE_STATUS_CHANGED becomes a status report. A fault raised or cleared (the
reasons changed) is always a report of its own, sent at once; a change of levels, counters or
state only replaces the newest unsent status report (latest wins), and goes out at most every
`min_interval_s`: hours offline leave one such report, not thousands, and a fleet printing
does not post each page. A batch the server refuses (400, 413) is halved until the one report
it refuses is found and dropped (traced); anything else waits a full-jitter backoff (at least
what a busy server asked for), cut short only when the link comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from panel import crashpoints
from panel.device.backoff import Backoff
from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.engine import PrintEngine
from panel.device.engine.status import EngineStatus
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import ConnectionState
from panel.device.store import DeviceStore
from panel.protocol.codec import decode_body, encode_body, to_dict
from panel.protocol.device_reports import (
    MAX_CODE,
    MAX_ID,
    MAX_KEYWORD,
    MAX_LOCATION,
    MAX_MESSAGE,
    MAX_NAME,
    MAX_REASONS,
    MAX_REPORTS,
    MAX_SHEETS,
    MAX_TONERS,
    MAX_TRAYS,
    CounterInfo,
    DeviceReportReply,
    ReasonInfo,
    StatusBody,
    TonerInfo,
    TrayInfo,
    UsageBody,
)
from panel.protocol.files import BoxChange
from panel.tasks import TaskOwner
from panel.trace import Trace

PATH = "/devices/me/reports"
MIN_INTERVAL_S = 2.0  # between two sends of level/counter changes (faults go at once)
_STREAM_KEY = "reports_stream"
_BODIES: dict[str, type[Any]] = {"status": StatusBody, "usage": UsageBody, "box": BoxChange}
# A fault raised or cleared: always a report of its own (E1's ENGINE_STATUS_CHANGED changes).
_FAULT_CHANGES = frozenset({"fault", "cleared"})

DELIVERED = crashpoints.point(
    "device.device-reports.delivered",
    "reports the server answered 2xx dropped from the device's report queue",
)


def status_body(status: EngineStatus) -> StatusBody:
    """The wire form of an engine snapshot, cut to the protocol's bounds (a longer message or
    more trays than the protocol takes must not make a report the server refuses forever)."""
    counters = status.counters
    return StatusBody(
        state=status.state.value,
        reasons=[
            ReasonInfo(
                r.keyword[:MAX_KEYWORD] or "unknown",
                r.severity.value,
                r.code[:MAX_CODE],
                r.location[:MAX_LOCATION],
                r.message[:MAX_MESSAGE],
            )
            for r in status.reasons[:MAX_REASONS]
        ],
        trays=[
            TrayInfo(
                t.tray_id[:MAX_ID] or "tray",
                t.name[:MAX_NAME],
                t.media[:MAX_NAME],
                _bounded(t.capacity, MAX_SHEETS),
                _bounded(t.level, MAX_SHEETS),
            )
            for t in status.trays[:MAX_TRAYS]
        ],
        toner=[TonerInfo(t.colour[:32] or "black", t.level_pct) for t in status.toner[:MAX_TONERS]],
        counters=CounterInfo(
            *(
                max(0, n)
                for n in (
                    counters.total,
                    counters.colour,
                    counters.mono,
                    counters.duplex,
                    counters.sheets,
                )
            )
        ),
    )


def _bounded(value: int, high: int) -> int:
    return max(0, min(high, value))


def _fault_set(status: EngineStatus) -> frozenset[tuple[str, str, str, str]]:
    return frozenset((r.keyword, r.severity.value, r.code, r.location) for r in status.reasons)


@dataclass(frozen=True, slots=True)
class ReportStats:
    """The queue as a test or the QA dock sees it."""

    queued: int
    sent: int  # reports the server answered 2xx since start
    refused: int  # reports dropped because the server refused them


class Reports:
    """The durable report queue and its drain."""

    def __init__(
        self,
        store: DeviceStore,
        link: ServerLink,
        engine: PrintEngine,
        events: EventBus,
        trace: Trace,
        clock: Clock,
        *,
        backoff: Backoff | None = None,
        min_interval_s: float = MIN_INTERVAL_S,
    ) -> None:
        self._store = store
        self._link = link
        self._engine = engine
        self._events = events
        self._trace = trace
        self._clock = clock
        self._backoff = backoff or Backoff(base_s=0.5, cap_s=60.0, now=clock.monotonic)
        self.min_interval_s = min_interval_s
        self._wake = asyncio.Event()  # something to send (or the link is back)
        self._urgent = asyncio.Event()  # a fault or a usage record: do not wait the interval
        self._link_back = asyncio.Event()  # the link came back: a failed attempt waits no more
        self._tasks = TaskOwner("reports", clock, trace)
        self._unsubscribe: list[Any] = []
        self._faults: frozenset[tuple[str, str, str, str]] | None = None  # last queued
        self._stream = ""
        self._batch = MAX_REPORTS
        self._last_send = -1e18
        self._sent = 0
        self._refused = 0

    # -- life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Queue the engine's status as it is now (a report of its own: what it was before a
        restart is not known), then deliver whatever waits whenever the link is online."""
        self._stream = self._store.get_meta(_STREAM_KEY)
        if not self._stream:
            self._stream = uuid.uuid4().hex
            self._store.set_meta(_STREAM_KEY, self._stream)
        self._unsubscribe = [
            self._events.subscribe(self._on_engine, EventKind.ENGINE_STATUS_CHANGED),
            self._events.subscribe(self._on_connection, EventKind.CONNECTION_CHANGED),
        ]
        self._queue_status(self._engine.status(), fault=True)
        _ = self._tasks.spawn(self._run(), "drain")

    async def stop(self) -> None:
        """Stop draining; what was not delivered stays queued for the next start."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        await self._tasks.close()

    @property
    def stats(self) -> ReportStats:
        return ReportStats(len(self._store.queued_reports()), self._sent, self._refused)

    # -- queueing --------------------------------------------------------------------------------
    def add(self, kind: str, body: Any) -> int:
        """Queue a report durably (a "usage" record of a copy, a "status"); its seq. `body` is
        the message (UsageBody, StatusBody) or its JSON-ready dict; ValueError if it is not a
        valid body of `kind` (a bug of the caller: the server would refuse it)."""
        cls = _BODIES.get(kind)
        if cls is None:
            raise ValueError(f"unknown report kind {kind!r}; one of {', '.join(_BODIES)}")
        raw = json.dumps(to_dict(body) if not isinstance(body, dict) else body).encode()
        message = decode_body(cls, raw, limit=len(raw))  # ProtocolError is a ValueError
        return self._queue(kind, message, replaceable=False)

    def _on_engine(self, event: Event) -> None:
        status: EngineStatus = event.subject
        fault = event.fields.get("change") in _FAULT_CHANGES or _fault_set(status) != self._faults
        self._queue_status(status, fault=fault)

    def _queue_status(self, status: EngineStatus, *, fault: bool) -> int:
        self._faults = _fault_set(status)
        return self._queue("status", status_body(status), replaceable=not fault)

    def _queue(self, kind: str, body: Any, *, replaceable: bool) -> int:
        at = self._clock.time()
        seq = self._store.queue_report(
            kind, at, encode_body(body).decode(), replaceable=replaceable
        )
        if not replaceable:
            codes = [r.code for r in body.reasons] if isinstance(body, StatusBody) else []
            self._trace.emit("reports", "queued", seq=seq, kind=kind, codes=codes)
            self._urgent.set()
        self._wake.set()
        return seq

    def _on_connection(self, event: Event) -> None:
        if event.subject is ConnectionState.ONLINE:
            self._urgent.set()  # whatever waited offline goes at once
            self._link_back.set()
            self._wake.set()

    # -- draining --------------------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self._link.state is not ConnectionState.ONLINE:
                continue  # CONNECTION_CHANGED wakes us when it is
            wait = self._last_send + self.min_interval_s - self._clock.monotonic()
            if wait > 0 and not self._urgent.is_set():
                with contextlib.suppress(TimeoutError):
                    await self._clock.wait_for(self._urgent.wait(), wait)
            self._urgent.clear()
            self._last_send = self._clock.monotonic()
            delay = await self._drain()
            if delay is not None:
                # New reports do not cut the wait short (a busy server asked for it); the link
                # coming back does. Then the retry goes at once, not after the interval.
                self._trace.emit("reports", "retry", in_s=round(delay, 3))
                self._link_back.clear()
                with contextlib.suppress(TimeoutError):
                    await self._clock.wait_for(self._link_back.wait(), delay)
                self._urgent.set()
                self._wake.set()

    async def _drain(self) -> float | None:
        """Send batches, oldest first, until none is left (None) or one fails (the delay
        before the next attempt)."""
        while rows := self._store.queued_reports(limit=self._batch):
            seqs = [seq for seq, _, _, _ in rows]
            try:
                reply = await self._link.call("POST", PATH, DeviceReportReply, self._encode(rows))
            except ServerUnreachable:
                return self._backoff.failed()
            except ServerRefused as exc:
                if exc.status not in (400, 413, 422):
                    return self._backoff.failed(float(exc.reply.retry_after_s or 0))
                if len(rows) > 1:
                    self._batch = max(1, len(rows) // 2)  # find the one it refuses
                    continue
                self._store.drop_reports(seqs)
                self._refused += 1
                self._trace.emit(
                    "reports", "refused", seq=seqs[0], status=exc.status, error=exc.message
                )
                continue
            self._store.drop_reports(seqs)
            DELIVERED.reach()
            self._backoff.succeeded()
            self._batch = MAX_REPORTS
            self._sent += len(seqs)
            self._trace.emit(
                "reports",
                "sent",
                first=seqs[0],
                last=seqs[-1],
                count=len(seqs),
                stored=reply.stored,
                duplicates=reply.duplicates,
            )
        return None

    def _encode(self, rows: list[tuple[int, str, float, str]]) -> bytes:
        """The batch's body; each stored body goes in as the JSON it was stored as."""
        reports = ",".join(
            f'{{"seq":{seq},"kind":{json.dumps(kind)},"at":{json.dumps(at)},"body":{body}}}'
            for seq, kind, at, body in rows
        )
        return f'{{"stream":{json.dumps(self._stream)},"reports":[{reports}]}}'.encode()
