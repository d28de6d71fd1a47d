"""The sleep-proxy role (S5): this device keeps the server sessions of sleeping peers.

A peer about to sleep asks over the LAN (`/lan/v1/keep`) with a delegation the server signed;
this device proves it at once with a first proxy heartbeat, then sends one every
`proxy_heartbeat_s`. While it keeps any session it holds its proxy channel open, a WebSocket on
which the server says when work arrived for a sleeper; it then wakes the sleeper over the LAN,
every `wake_retry_s` until the sleeper confirms or `wake_give_up_s` has passed. It stops when
the sleeper, awake, says it has its session back (`/lan/v1/release`), or when the server
refuses the delegation (revoked, expired).

Apple's Bonjour Sleep Proxy and ECMA-393 keep a host's network presence; this keeps its
application session with the cloud.

Heartbeats, wake retries and the channel's reconnects run on the device clock; every task (a
heartbeat loop per kept session, the channel, a wake) belongs to the part's TaskOwner.
"""

from __future__ import annotations

import asyncio
import enum
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from panel.device.backoff import Backoff
from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.events import Event, EventBus, EventKind
from panel.device.networks import DeadLink
from panel.device.peers import Lan, PeerRefused, PeerUnreachable
from panel.device.power import PowerSettings
from panel.protocol import ProtocolError, decode_frame
from panel.protocol.messages import ProxyWake
from panel.protocol.power import (
    KeepRelease,
    KeepRequest,
    LanReply,
    ProxyHeartbeat,
    ProxyLease,
    WakeReply,
    WakeRequest,
)
from panel.tasks import TaskOwner
from panel.text import marker
from panel.trace import Trace

CHANNEL_HEARTBEAT_S = 10.0


class KeptState(enum.Enum):
    KEEPING = "keeping"  # heartbeats go out for the sleeper
    WAKING = "waking"  # work arrived: wake messages go out until it confirms
    WOKEN = "woken"  # it confirmed; heartbeats go on until it takes its session back


@dataclass(slots=True)
class KeptSession:
    """A sleeping peer whose server session this device keeps (the panel lists them)."""

    device_id: str
    name: str
    delegation_id: str
    host: str
    port: int
    since: float  # device-clock time the keeping began
    lease_until: float  # server time the sleeper's session is good until
    token: str = field(repr=False)
    state: KeptState = KeptState.KEEPING
    wake_attempts: int = 0


class SleepProxy:
    def __init__(
        self,
        link: ServerLink,
        lan: Lan,
        events: EventBus,
        trace: Trace,
        clock: Clock,
        settings: Callable[[], PowerSettings],
        refuse_reason: Callable[[], str | None],
    ) -> None:
        self._link = link
        self._lan = lan
        self._events = events
        self._trace = trace
        self._clock = clock
        self._settings = settings
        self._refuse_reason = refuse_reason  # why this device cannot keep sessions now, if so
        self._kept: dict[str, KeptSession] = {}
        self._owner = TaskOwner("sleep proxy", clock, trace)
        self._beats: dict[str, asyncio.Task[None]] = {}  # which of its tasks beats for whom
        self._channel: asyncio.Task[None] | None = None
        lan.endpoint.add_route("/keep", KeepRequest, self._on_keep)
        lan.endpoint.add_route("/release", KeepRelease, self._on_release)

    @property
    def kept(self) -> tuple[KeptSession, ...]:
        """The sleeping peers whose sessions this device keeps, oldest first."""
        return tuple(self._kept.values())

    async def stop(self) -> None:
        """Stop keeping sessions: cancel and await every heartbeat, wake and the channel."""
        self._kept.clear()
        self._beats.clear()
        self._channel = None
        await self._owner.close()

    # -- the LAN requests ------------------------------------------------------------------------
    async def _on_keep(self, req: KeepRequest, remote: str) -> LanReply:
        reason = self._refuse_reason()
        full = len(self._kept) >= self._settings().max_kept_sessions
        if reason is None and full and req.device_id not in self._kept:
            reason = "This device keeps as many sessions as it can."
        if reason is not None:
            self._trace.emit("proxy", "declined", device_id=req.device_id, reason=reason)
            return LanReply(False, reason)
        interval = self._settings().proxy_heartbeat_s
        try:  # the server's word on the delegation before ours
            lease = await self._link.call(
                "POST", "/proxy/heartbeat", ProxyLease, ProxyHeartbeat(req.token, interval)
            )
        except ServerRefused as exc:
            self._trace.emit("proxy", "declined", device_id=req.device_id, reason=exc.code)
            return LanReply(False, f"The server refused the delegation: {exc.message}")
        except ServerUnreachable:
            self._trace.emit("proxy", "declined", device_id=req.device_id, reason="unreachable")
            return LanReply(False, "This device cannot reach the server now.")
        if lease.device_id != req.device_id:
            self._trace.emit("proxy", "declined", device_id=req.device_id, reason="not-yours")
            return LanReply(False, "That delegation is another device's.")
        self._drop(req.device_id, "replaced by a new delegation", publish=False)
        kept = KeptSession(
            req.device_id,
            req.name[:64],
            lease.delegation_id,
            remote,
            req.wake_port,
            self._clock.time(),
            lease.lease_until,
            lease.token,
        )
        self._kept[kept.device_id] = kept
        self._beats[kept.device_id] = self._owner.spawn(
            self._beat_forever(kept), f"heartbeats for {kept.device_id}"
        )
        if self._channel is None:
            self._channel = self._owner.spawn(self._keep_channel_open(), "channel")
        self._trace.emit(
            "proxy",
            "keeping",
            device_id=kept.device_id,
            delegation=kept.delegation_id,
            lease_until=kept.lease_until,
        )
        self._publish()
        return LanReply(True)

    async def _on_release(self, req: KeepRelease, remote: str) -> LanReply:
        kept = self._kept.get(req.device_id)
        if kept is None or kept.delegation_id != req.delegation_id:
            return LanReply(False, "This device does not keep that session.")
        self._drop(req.device_id, "taken back by the device")
        return LanReply(True)

    # -- heartbeats ------------------------------------------------------------------------------
    async def _beat_forever(self, kept: KeptSession) -> None:
        beat_at = self._clock.monotonic()  # the first beat went with the keep request
        while True:
            interval = self._settings().proxy_heartbeat_s
            # A steady cadence, however long each exchange took; no burst to catch up on
            # after a stall (a suspended host, a stopped test clock).
            beat_at = max(beat_at + interval, self._clock.monotonic())
            await self._clock.sleep(beat_at - self._clock.monotonic())
            try:
                lease = await self._link.call(
                    "POST", "/proxy/heartbeat", ProxyLease, ProxyHeartbeat(kept.token, interval)
                )
            except ServerRefused as exc:  # revoked, expired: the sleeper's session is not ours
                self._drop(kept.device_id, f"refused by the server: {exc.code}")
                return
            except ServerUnreachable:
                self._trace.emit("proxy", "heartbeat-unreachable", device_id=kept.device_id)
                continue  # the lease outlives two missed heartbeats
            kept.token, kept.lease_until = lease.token, lease.lease_until
            self._trace.emit(
                "proxy", "heartbeat", device_id=kept.device_id, lease_until=lease.lease_until
            )

    def _drop(self, device_id: str, reason: str, publish: bool = True) -> None:
        kept = self._kept.pop(device_id, None)
        if kept is None:
            return
        beat = self._beats.pop(device_id, None)
        if beat is not None and beat is not asyncio.current_task():
            beat.cancel()
        self._trace.emit("proxy", "stopped", device_id=device_id, reason=reason)
        if not self._kept and self._channel is not None:
            if self._channel is not asyncio.current_task():
                self._channel.cancel()
            self._channel = None
        if publish:
            self._publish()

    def _publish(self) -> None:
        self._events.publish(Event(EventKind.KEPT_SESSIONS_CHANGED, self.kept))

    # -- the proxy channel and waking ------------------------------------------------------------
    async def _keep_channel_open(self) -> None:
        """Open while any session is kept; reconnects with jittered backoff."""
        import aiohttp

        ended = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED)
        backoff = Backoff(base_s=0.1, cap_s=5.0, now=self._clock.monotonic)
        while True:
            try:
                ws = await self._link.open_socket("/proxy/push", CHANNEL_HEARTBEAT_S)
            except (ServerUnreachable, ServerRefused) as exc:
                self._trace.emit("proxy", "channel-unreachable", error=str(exc))
                await self._clock.sleep(backoff.failed())
                continue
            backoff.succeeded()
            self._trace.emit("proxy", "channel-open")
            try:
                while (msg := await ws.receive()).type not in ended:
                    if msg.type is aiohttp.WSMsgType.TEXT:
                        self._on_frame(msg.data)
            except (aiohttp.ClientError, ConnectionResetError, DeadLink) as exc:
                self._trace.emit("proxy", "channel-lost", error=str(exc))
            finally:
                await ws.close()
            await self._clock.sleep(random.uniform(0, 0.2))

    def _on_frame(self, raw: str) -> None:
        try:
            frame = decode_frame(raw)
        except ProtocolError as exc:
            self._trace.emit("proxy", "malformed", code=exc.code, error=exc.message)
            return
        if not isinstance(frame, ProxyWake):
            self._trace.emit("proxy", "unexpected", type=type(frame).__name__)
            return
        kept = self._kept.get(frame.device_id)
        if kept is None or kept.delegation_id != frame.delegation_id:
            self._trace.emit("proxy", "wake-ignored", device_id=frame.device_id)
            return
        if kept.state is KeptState.WAKING:
            return  # already at it
        _ = self._owner.spawn(self._wake(kept, frame.job_id), f"wake {kept.device_id}")

    async def _wake(self, kept: KeptSession, job_id: str) -> None:
        """Wake the sleeper over the LAN until it confirms, every `wake_retry_s`; give up
        after `wake_give_up_s` (its session then lapses: the server keeps the work for it)."""
        settings = self._settings()
        kept.state, kept.wake_attempts = KeptState.WAKING, 0
        self._publish()
        started = self._clock.monotonic()
        while True:
            attempt_at = self._clock.monotonic()
            kept.wake_attempts += 1
            try:
                reply = await self._lan.client.call(
                    kept.host,
                    kept.port,
                    "/wake",
                    WakeRequest(kept.device_id, "work", job_id),
                    WakeReply,
                    timeout_s=settings.wake_retry_s,
                )
                confirmed = reply.awake
            except (PeerUnreachable, PeerRefused):
                confirmed = False
            if self._kept.get(kept.device_id) is not kept:
                return  # released while we were waking it
            if confirmed:
                kept.state = KeptState.WOKEN
                self._trace.emit(
                    "proxy",
                    "woken",
                    device_id=kept.device_id,
                    attempts=kept.wake_attempts,
                    after_s=round(self._clock.monotonic() - started, 3),
                )
                self._publish()
                return
            next_at = attempt_at + settings.wake_retry_s
            if next_at - started > settings.wake_give_up_s:
                break
            await self._clock.sleep(next_at - self._clock.monotonic())
        self._trace.emit(
            "proxy", "wake-failed", device_id=kept.device_id, attempts=kept.wake_attempts
        )
        self._events.publish(
            Event(
                EventKind.NOTICE,
                None,
                {
                    "text": f"{kept.name} did not wake up for its work.",
                    "template": marker("Core", "{name} did not wake up for its work."),
                    "values": {"name": kept.name},
                    "level": "warning",
                },
            )
        )
        self._drop(kept.device_id, "it did not wake up")
