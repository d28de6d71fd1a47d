"""First communication information (S2): short-lived tokens a device presents over its networks.

When a process is requested the device asks for a token, then checks reachability by
presenting that same token over its networks in order of preference. The server accepts a
check only for a token it issued to that device and that has not expired, and records every
network the token arrived over: the trace and `GET /api/v1/reach` show which network reached
the server for which process.

Tokens live in memory: they matter for seconds (a restarted server issues new ones when the
device asks again). Records are forgotten `FORGET_AFTER_S` after their token expired, and
beyond `MAX_RECORDS` the oldest go first, so a device asking in a loop cannot grow them.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from aiohttp import web

from panel.protocol.reach import (
    MAX_NAME_LENGTH,
    ReachArrival,
    ReachCheck,
    ReachConfirm,
    ReachRecord,
    ReachRecordList,
    ReachRequest,
    ReachToken,
)
from panel.server.auth import Principal, authenticated
from panel.server.http import ApiError, read_body, reply
from panel.trace import Trace

TOKEN_TTL_S = 30.0
FORGET_AFTER_S = 300.0
MAX_RECORDS = 10_000


@dataclass
class _Entry:
    record: ReachRecord
    arrivals: list[ReachArrival] = field(default_factory=list)


def _name(value: str, what: str) -> str:
    text = value.strip()
    if not text or len(text) > MAX_NAME_LENGTH or not text.isprintable():
        raise ApiError(
            400, f"bad_{what}", f"A {what} name is 1 to {MAX_NAME_LENGTH} printable characters."
        )
    return text


def trace_id(token: str) -> str:
    """What the trace shows of a token: enough to follow it, not the token itself."""
    return token[:8]


class ReachRegistry:
    """The tokens issued to devices and where they arrived; `clock` is server time (tests
    move it to expire tokens)."""

    def __init__(
        self,
        trace: Trace,
        ttl_s: float = TOKEN_TTL_S,
        clock: Callable[[], float] = time.time,
        max_records: int = MAX_RECORDS,
    ) -> None:
        self._trace = trace
        self.ttl_s = ttl_s
        self.clock = clock
        self._max_records = max_records
        self._entries: OrderedDict[str, _Entry] = OrderedDict()  # in the order issued

    def issue(self, device_id: str, req: ReachRequest) -> ReachToken:
        process, network = _name(req.process, "process"), _name(req.network, "network")
        self._forget_old()
        now = self.clock()
        token = secrets.token_urlsafe(18)
        record = ReachRecord(token, device_id, process, network, now, now + self.ttl_s)
        self._entries[token] = _Entry(record)
        self._trace.emit(
            "reach",
            "issued",
            device=device_id,
            token=trace_id(token),
            process=process,
            network=network,
        )
        return ReachToken(token, process, now, record.expires_at)

    def check(self, device_id: str, req: ReachCheck) -> ReachConfirm:
        """Accept `req` if its token is `device_id`'s and unexpired; record the arrival."""
        network = _name(req.network, "network")
        entry = self._entries.get(req.token)
        now = self.clock()
        refusal: tuple[int, str, str] | None = None
        if entry is None:
            refusal = (404, "reach_unknown", "This reach token was never issued, or is forgotten.")
        elif entry.record.device_id != device_id:
            refusal = (403, "reach_not_yours", "This reach token was issued to another device.")
        elif now > entry.record.expires_at:
            refusal = (410, "reach_expired", "This reach token has expired; ask for a new one.")
        if refusal is not None:
            status, code, message = refusal
            self._trace.emit(
                "reach",
                "refused",
                device=device_id,
                token=trace_id(req.token),
                network=network,
                error=code,
            )
            raise ApiError(status, code, message)
        assert entry is not None
        entry.arrivals.append(ReachArrival(network, now))
        self._trace.emit(
            "reach",
            "checked",
            device=device_id,
            token=trace_id(req.token),
            process=entry.record.process,
            network=network,
            arrival=len(entry.arrivals),
        )
        return ReachConfirm(req.token, network, entry.record.process, len(entry.arrivals), now)

    def record(self, token: str) -> ReachRecord | None:
        entry = self._entries.get(token)
        return None if entry is None else replace(entry.record, arrivals=list(entry.arrivals))

    def records(self, device_id: str | None = None) -> list[ReachRecord]:
        """The records not yet forgotten, oldest first (only `device_id`'s when given)."""
        return [
            replace(e.record, arrivals=list(e.arrivals))
            for e in self._entries.values()
            if device_id is None or e.record.device_id == device_id
        ]

    def _forget_old(self) -> None:
        cutoff = self.clock() - FORGET_AFTER_S
        while self._entries:
            token, entry = next(iter(self._entries.items()))
            if entry.record.expires_at >= cutoff and len(self._entries) < self._max_records:
                break
            del self._entries[token]


reach_key = web.AppKey("reach", ReachRegistry)


# ---- handlers, in the shape `panel.server.api.Route` takes -----------------------------------


async def issue_token(request: web.Request, who: Principal | None) -> web.Response:
    req = await read_body(request, ReachRequest)
    return reply(request.app[reach_key].issue(authenticated(who).ident, req), status=201)


async def check_token(request: web.Request, who: Principal | None) -> web.Response:
    req = await read_body(request, ReachCheck)
    return reply(request.app[reach_key].check(authenticated(who).ident, req))


async def list_records(request: web.Request, who: Principal | None) -> web.Response:
    device_id = request.query.get("device_id") or None
    return reply(ReachRecordList(request.app[reach_key].records(device_id)))
