"""Device sessions (S5): every device keeps its server session alive with heartbeats and the
server holds a lease for it. Before it sleeps a device may have a peer keep its session: the
server issues a signed, leased delegation naming both, and accepts the peer's heartbeats only
with a delegation that verifies, names that peer, has not expired and was not revoked.

When work arrives for a sleeping device whose session a proxy keeps (the push hub could not
deliver the notice: the sleeper is off the network), the server tells the proxy over the
proxy's own push channel, a WebSocket the proxy keeps open while it keeps sessions; the proxy
wakes the device over the LAN, and the woken device's own heartbeat takes its session back.
"""

from __future__ import annotations

import contextlib
import uuid

from aiohttp import WSMsgType, web

from panel.protocol import encode_frame
from panel.protocol.messages import ProxyWake
from panel.protocol.power import (
    SESSION_MODES,
    Delegation,
    DelegationRequest,
    HeartbeatRequest,
    LeaseReply,
    ProxyHeartbeat,
    ProxyLease,
    SessionInfo,
)
from panel.server.delegation import DelegationClaims, DelegationSigner
from panel.server.http import ApiError, open_websocket
from panel.server.store import DelegationRecord, DeviceSession, Notification, ServerStore
from panel.trace import Trace

LEASE_FACTOR = 3.0  # a lease outlives two missed heartbeats
MIN_INTERVAL_S = 1.0
MAX_INTERVAL_S = 3600.0
DELEGATION_TTL_S = 3600.0  # renewed by the proxy's heartbeats once half of it has passed
CLOSE_REPLACED = 4001


class DeviceSessions:
    def __init__(
        self, store: ServerStore, trace: Trace, delegation_ttl_s: float = DELEGATION_TTL_S
    ) -> None:
        self.store = store
        self._trace = trace
        self._signer = DelegationSigner(store.delegation_key())
        self.delegation_ttl_s = delegation_ttl_s
        self._channels: dict[str, web.WebSocketResponse] = {}

    # -- a device's own heartbeats -------------------------------------------------------------
    def heartbeat(self, device_id: str, req: HeartbeatRequest) -> LeaseReply:
        """Renew the device's lease. A device that speaks for itself again takes its session
        back: a delegation still in force for it ends here."""
        if req.mode not in SESSION_MODES:
            raise ApiError(400, "bad_mode", f"A heartbeat's mode is one of {list(SESSION_MODES)}.")
        interval = _interval(req.interval_s)
        now = self.store.clock()
        kept = self.store.delegation_in_force(device_id)
        if kept is not None:
            self.store.revoke_delegation(kept.delegation_id, "taken back")
            self._trace.emit(
                "sessions",
                "taken-back",
                device=device_id,
                delegation=kept.delegation_id,
                proxy=kept.proxy_id,
            )
        before = self.store.device_session(device_id)
        session = self.store.record_heartbeat(
            device_id, req.mode, interval, now + interval * LEASE_FACTOR
        )
        self._trace_beat(before, session, now)
        return LeaseReply(device_id, session.mode, session.lease_until, now)

    # -- delegations ---------------------------------------------------------------------------
    def delegate(self, device_id: str, req: DelegationRequest) -> Delegation:
        """A signed delegation letting `req.proxy_id` keep `device_id`'s session; it replaces
        any earlier one."""
        if req.proxy_id == device_id:
            raise ApiError(400, "bad_proxy", "A device cannot keep its own session for itself.")
        if not self.store.device_exists(req.proxy_id):
            raise ApiError(404, "unknown_device", f"There is no device {req.proxy_id!r}.")
        now = self.store.clock()
        record = DelegationRecord(
            f"dlg-{uuid.uuid4().hex[:16]}",
            device_id,
            req.proxy_id,
            now,
            now + self.delegation_ttl_s,
            None,
            "",
        )
        superseded = self.store.add_delegation(record)
        self._trace.emit(
            "sessions",
            "delegated",
            device=device_id,
            proxy=req.proxy_id,
            delegation=record.delegation_id,
            expires_at=record.expires_at,
            superseded=superseded,
        )
        return self._delegation(record)

    def revoke(self, device_id: str, delegation_id: str) -> None:
        """The device ends its own delegation (its peer declined, or it woke up)."""
        record = self.store.delegation(delegation_id)
        if record is None or record.device_id != device_id:
            raise ApiError(404, "unknown_delegation", f"No delegation {delegation_id!r} of yours.")
        if self.store.revoke_delegation(delegation_id, "revoked by the device"):
            self._trace.emit("sessions", "revoked", device=device_id, delegation=delegation_id)

    def proxy_heartbeat(self, proxy_id: str, req: ProxyHeartbeat) -> ProxyLease:
        """A heartbeat `proxy_id` sends for the sleeping device its delegation names."""
        interval = _interval(req.interval_s)
        try:
            record = self._check(proxy_id, req.token)
        except ApiError as exc:
            self._trace.emit("sessions", "proxy-refused", proxy=proxy_id, code=exc.code)
            raise
        now = self.store.clock()
        if record.expires_at - now < self.delegation_ttl_s / 2:
            self.store.extend_delegation(record.delegation_id, now + self.delegation_ttl_s)
            record = self.store.delegation(record.delegation_id) or record
            self._trace.emit(
                "sessions",
                "renewed",
                device=record.device_id,
                delegation=record.delegation_id,
                expires_at=record.expires_at,
            )
        before = self.store.device_session(record.device_id)
        session = self.store.record_heartbeat(
            record.device_id, "proxied", interval, now + interval * LEASE_FACTOR, record
        )
        self._trace_beat(before, session, now)
        token = self._delegation(record).token
        return ProxyLease(
            record.device_id,
            record.delegation_id,
            session.lease_until,
            now,
            token,
            record.expires_at,
        )

    def _check(self, proxy_id: str, token: str) -> DelegationRecord:
        claims = self._signer.verify(token)
        record = self.store.delegation(claims.delegation_id)
        if (
            record is None
            or record.device_id != claims.device_id
            or record.proxy_id != claims.proxy_id
        ):
            raise ApiError(403, "delegation_unknown", "This server has no such delegation.")
        if claims.proxy_id != proxy_id:
            raise ApiError(
                403, "delegation_not_yours", "The delegation names another device as keeper."
            )
        if record.revoked_at is not None:
            raise ApiError(
                403, "delegation_revoked", f"The delegation was revoked ({record.revoked_reason})."
            )
        if claims.expires_at <= self.store.clock():
            raise ApiError(403, "delegation_expired", "The delegation has expired.")
        return record

    def _delegation(self, record: DelegationRecord) -> Delegation:
        claims = DelegationClaims(
            record.delegation_id,
            record.device_id,
            record.proxy_id,
            record.issued_at,
            record.expires_at,
        )
        return Delegation(
            record.delegation_id,
            record.device_id,
            record.proxy_id,
            record.issued_at,
            record.expires_at,
            self._signer.sign(claims),
        )

    def info(self, device_id: str) -> SessionInfo:
        session = self.store.device_session(device_id)
        if session is None:
            return SessionInfo(device_id, "none", False, 0.0, 0.0, 0.0, 0)
        return SessionInfo(
            device_id,
            session.mode,
            session.lease_until >= self.store.clock(),
            session.lease_until,
            session.last_heartbeat,
            session.interval_s,
            session.lapses,
            session.proxy_id,
            session.delegation_id,
        )

    def _trace_beat(self, before: DeviceSession | None, session: DeviceSession, now: float) -> None:
        if before is not None and before.lease_until < now:
            self._trace.emit(
                "sessions",
                "lapsed",
                device=session.device_id,
                lease_until=before.lease_until,
                late_s=round(now - before.lease_until, 3),
            )
        self._trace.emit(
            "sessions",
            "heartbeat",
            device=session.device_id,
            mode=session.mode,
            proxy=session.proxy_id,
            lease_until=session.lease_until,
        )

    # -- waking a sleeper through its proxy ----------------------------------------------------
    async def async_work_deferred(self, note: Notification) -> None:
        """The push hub could not deliver `note`: if a proxy keeps the device's session, tell it.
        A proxy whose channel is down hears of it when the channel is back (see serve_channel)."""
        record = self.store.delegation_in_force(note.device_id)
        if record is None:
            return
        ws = self._channels.get(record.proxy_id)
        if ws is None or ws.closed:
            self._trace.emit(
                "sessions", "wake-pending", device=note.device_id, proxy=record.proxy_id
            )
            return
        await self._send_wake(ws, record, note.job_id)

    async def _send_wake(
        self, ws: web.WebSocketResponse, record: DelegationRecord, job_id: str
    ) -> None:
        with contextlib.suppress(ConnectionResetError):
            await ws.send_str(
                encode_frame(ProxyWake(record.device_id, record.delegation_id, job_id))
            )
            self._trace.emit(
                "sessions",
                "wake-sent",
                device=record.device_id,
                proxy=record.proxy_id,
                job_id=job_id,
            )

    async def serve_channel(self, request: web.Request, proxy_id: str) -> web.WebSocketResponse:
        """The proxy's push channel: wakes for the sleepers it keeps. At connect, work that
        arrived while it was away is announced at once."""
        ws = await open_websocket(request, heartbeat_s=10.0, max_msg_size=4096)
        old = self._channels.get(proxy_id)
        self._channels[proxy_id] = ws
        if old is not None:
            await old.close(code=CLOSE_REPLACED, message=b"replaced by a newer channel")
        self._trace.emit("sessions", "channel-open", proxy=proxy_id)
        try:
            for record in self.store.delegations_kept_by(proxy_id):
                waiting = self.store.first_unacked(record.device_id)
                if waiting is not None:
                    await self._send_wake(ws, record, waiting.job_id)
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:  # the channel is one-way; say so, go on
                    self._trace.emit("sessions", "channel-unexpected", proxy=proxy_id)
        except ConnectionResetError:
            pass  # the proxy went away; the next channel gets what is waiting
        finally:
            if self._channels.get(proxy_id) is ws:
                del self._channels[proxy_id]
            self._trace.emit("sessions", "channel-closed", proxy=proxy_id, code=ws.close_code)
        return ws

    async def close_all(self) -> None:
        for ws in list(self._channels.values()):
            await ws.close(code=1001, message=b"server shutting down")


def _interval(value: float) -> float:
    if not MIN_INTERVAL_S <= value <= MAX_INTERVAL_S:
        raise ApiError(
            400,
            "bad_interval",
            f"A heartbeat interval is {MIN_INTERVAL_S:g} to {MAX_INTERVAL_S:g} seconds.",
        )
    return value
