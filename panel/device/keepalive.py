"""This device's own server session (S5): heartbeats while awake; before sleeping, a peer found
on the LAN keeps it (with a delegation the server signed for that peer) and the device goes off
the network; woken, the device takes its session back. When no peer accepts, the device keeps
its own session with slower heartbeats and stays reachable by push.

A device that keeps sessions for others never hands its own to a peer (it must stay on the
network for them), and one whose session a peer keeps declines to keep others'.

Heartbeats and waits run on the device clock; the session loop belongs to the part's TaskOwner.
The device's own heartbeat goes on its push socket when that socket's session takes it (no
connection of its own: issue 12), over HTTP otherwise, or when the socket does not answer in
time; a peer's heartbeats for a sleeper (sleep_proxy.py) go over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
from collections.abc import Awaitable, Callable

from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.events import Event, EventBus, EventKind
from panel.device.peers import Lan, Peer, PeerRefused, PeerUnreachable
from panel.device.power import PowerManager, PowerSettings, PowerState, WakeSource
from panel.device.push import PushChannel
from panel.device.sleep_proxy import SleepProxy
from panel.protocol.power import (
    Delegation,
    DelegationRequest,
    HeartbeatRequest,
    KeepRelease,
    KeepRequest,
    LanReply,
    LeaseReply,
    SessionInfo,
    WakeReply,
    WakeRequest,
)
from panel.tasks import TaskOwner
from panel.trace import Trace

TAKE_BACK_RETRY_S = 5.0  # awake, but the server did not hear us yet: try again this soon


class SessionMode(enum.Enum):
    """Who keeps this device's server session (the subject of SESSION_KEEPER_CHANGED)."""

    ACTIVE = "active"  # the device, awake
    LOW_POWER = "low-power"  # the device, asleep, with slower heartbeats
    PROXIED = "proxied"  # a peer (`KeepAlive.keeper`), while the device sleeps off the network


class KeepAlive:
    def __init__(
        self,
        link: ServerLink,
        events: EventBus,
        trace: Trace,
        clock: Clock,
        power: PowerManager,
        lan: Lan | None,
        proxy: SleepProxy | None,
        suspend_push: Callable[[], Awaitable[None]],
        resume_push: Callable[[], None],
        push: PushChannel | None = None,
    ) -> None:
        self._link = link
        self._push = push  # carries the heartbeat while its session takes it
        self._events = events
        self._trace = trace
        self._clock = clock
        self._power = power
        self._lan = lan
        self._proxy = proxy
        self._suspend_push = suspend_push
        self._resume_push = resume_push
        self.mode = SessionMode.ACTIVE
        self.keeper: Peer | None = None
        self.lease_until = 0.0  # server time, as of the last heartbeat that got through
        self._delegation: Delegation | None = None
        self._next_beat = 0.0
        self._changed = asyncio.Event()
        self._owner = TaskOwner("keepalive", clock, trace)
        events.subscribe(self._on_power, EventKind.POWER_CHANGED)
        if lan is not None:
            lan.endpoint.add_route("/wake", WakeRequest, self._on_wake)

    @property
    def _settings(self) -> PowerSettings:
        return self._power.settings

    def refuse_to_keep(self) -> str | None:
        """Why this device cannot keep a peer's session now (the sleep proxy asks)."""
        if self.mode is SessionMode.PROXIED:
            return "This device is asleep; a peer keeps its own session."
        return None

    def start(self) -> None:
        self._next_beat = self._clock.monotonic()
        _ = self._owner.spawn(self._run(), "run")

    async def stop(self) -> None:
        """Stop; a device switched off while a peer keeps its session ends the delegation
        (best effort), so the peer does not keep a session nobody will take back."""
        await self._owner.close()
        if self.mode is SessionMode.PROXIED and self._delegation is not None:
            with contextlib.suppress(ServerUnreachable, ServerRefused):
                path = f"/power/delegations/{self._delegation.delegation_id}"
                await self._link.call("DELETE", path, SessionInfo)
            await self._release_keeper()

    # -- events and LAN requests -----------------------------------------------------------------
    def _on_power(self, event: Event) -> None:
        if event.subject is not PowerState.SLEEP and self.mode is SessionMode.PROXIED:
            self._resume_push()  # at once: the person at the panel is about to use the server
        self._changed.set()

    async def _on_wake(self, req: WakeRequest, remote: str) -> WakeReply:
        if self._lan is None or req.device_id != self._lan.device_id:
            return WakeReply(False, self._power.state.value)
        self._trace.emit("keepalive", "wake-message", peer=remote, reason=req.reason)
        self._power.wake(WakeSource.LAN)
        return WakeReply(self._power.state is not PowerState.SLEEP, self._power.state.value)

    # -- the session's life ----------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            self._changed.clear()
            asleep = self._power.state is PowerState.SLEEP
            if asleep and self.mode is SessionMode.ACTIVE:
                await self._fall_asleep()
            elif not asleep and self.mode is not SessionMode.ACTIVE:
                await self._wake_up()
            deadline: float | None = None
            if self.mode is not SessionMode.PROXIED:
                if self._clock.monotonic() >= self._next_beat:
                    await self._beat()
                deadline = self._next_beat
            elif self._power.state is not PowerState.SLEEP:
                deadline = self._clock.monotonic() + TAKE_BACK_RETRY_S
            if self._changed.is_set():
                continue
            await self._wait(deadline)

    async def _wait(self, deadline: float | None) -> None:
        """Until the device clock reaches `deadline` or the power state changed."""
        seconds = None if deadline is None else deadline - self._clock.monotonic()
        if seconds is not None and seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            async with self._clock.timeout(seconds):
                await self._changed.wait()

    async def _beat(self) -> bool:
        """One heartbeat in the current mode; the next is due one interval from now."""
        mode = self.mode if self.mode is not SessionMode.PROXIED else SessionMode.ACTIVE
        s = self._settings
        interval = s.heartbeat_s if mode is SessionMode.ACTIVE else s.low_power_heartbeat_s
        self._next_beat = self._clock.monotonic() + interval
        try:
            lease, via = await self._send(HeartbeatRequest(mode.value, interval))
        except (ServerUnreachable, ServerRefused) as exc:
            self._trace.emit("keepalive", "heartbeat-failed", mode=mode.value, error=str(exc))
            return False
        self.lease_until = lease.lease_until
        self._trace.emit(
            "keepalive", "heartbeat", mode=mode.value, lease_until=lease.lease_until, via=via
        )
        return True

    async def _send(self, req: HeartbeatRequest) -> tuple[LeaseReply, str]:
        """The lease, and how it came: on the push socket when its session takes heartbeats,
        else (no such session, or it ended or did not answer in time) over HTTP, in this beat.
        A refusal on either is ServerRefused."""
        if self._push is not None:
            lease = await self._push.session_heartbeat(req)
            if lease is not None:
                return lease, "push"
        return await self._link.call("POST", "/power/heartbeat", LeaseReply, req), "http"

    async def _fall_asleep(self) -> None:
        """Hand the session to the first peer that accepts, else keep it in low power."""
        keeping_others = self._proxy is not None and bool(self._proxy.kept)
        if self._lan is not None and not keeping_others:
            for peer in self._lan.directory.peers:
                if self._power.state is not PowerState.SLEEP:
                    break  # woken while asking around
                delegation = await self._hand_over(peer)
                if delegation is not None:
                    self._delegation, self.keeper = delegation, peer
                    if self._power.state is PowerState.SLEEP:  # not woken meanwhile
                        await self._suspend_push()  # off the network: the peer answers for us
                    self._set_mode(SessionMode.PROXIED)
                    return
        self._next_beat = self._clock.monotonic()  # tell the server at once
        self._set_mode(SessionMode.LOW_POWER)

    async def _hand_over(self, peer: Peer) -> Delegation | None:
        assert self._lan is not None
        try:
            delegation = await self._link.call(
                "POST", "/power/delegations", Delegation, DelegationRequest(peer.device_id)
            )
        except (ServerUnreachable, ServerRefused) as exc:
            self._trace.emit("keepalive", "delegation-failed", peer=peer.device_id, error=str(exc))
            return None
        request = KeepRequest(
            self._lan.device_id, self._lan.name, delegation.token, self._lan.endpoint.port
        )
        try:
            reply = await self._lan.client.call(peer.host, peer.port, "/keep", request, LanReply)
        except (PeerUnreachable, PeerRefused) as exc:
            reply = LanReply(False, str(exc))
        if reply.ok:
            self._trace.emit(
                "keepalive", "handed-over", peer=peer.device_id, delegation=delegation.delegation_id
            )
            return delegation
        self._trace.emit("keepalive", "declined", peer=peer.device_id, reason=reply.message)
        with contextlib.suppress(ServerUnreachable, ServerRefused):
            await self._link.call(
                "DELETE", f"/power/delegations/{delegation.delegation_id}", SessionInfo
            )
        return None

    async def _wake_up(self) -> None:
        """Awake again: our own heartbeat takes the session back (the server ends the
        delegation), then the keeper hears it may stop."""
        if self.mode is SessionMode.PROXIED:
            self._resume_push()
            self.mode = SessionMode.ACTIVE  # what the heartbeat says
            if not await self._beat():
                self.mode = SessionMode.PROXIED  # the keeper's heartbeats go on meanwhile
                return
            await self._release_keeper()
        else:
            self._next_beat = self._clock.monotonic()
        self._set_mode(SessionMode.ACTIVE)

    async def _release_keeper(self) -> None:
        """Tell the keeper it may stop (the server already refuses its heartbeats)."""
        keeper, delegation = self.keeper, self._delegation
        self.keeper, self._delegation = None, None
        if keeper is not None and delegation is not None and self._lan is not None:
            release = KeepRelease(self._lan.device_id, delegation.delegation_id)
            with contextlib.suppress(PeerUnreachable, PeerRefused):
                await self._lan.client.call(keeper.host, keeper.port, "/release", release, LanReply)

    def _set_mode(self, mode: SessionMode) -> None:
        self.mode = mode
        keeper = self.keeper.device_id if self.keeper else None
        self._trace.emit("keepalive", "mode", mode=mode.value, keeper=keeper)
        self._events.publish(Event(EventKind.SESSION_KEEPER_CHANGED, mode, {"keeper": self.keeper}))
