"""The server end of push (S9): one WebSocket per device, per-device sequence numbers, replay.

A notice is recorded in the store before it is sent, so a device that was away gets it on
its next hello (which carries the last sequence it stored). The hub also tells every connected
device when the information devices cache changed (S1: `cache.changed`); a device that was
away learns the version from the snapshot it fetches when it comes back.

A panel login is the device's, not its socket's: when the connection ends (a network switch, a
dead link) the login is kept for the grace period (`LOGIN_GRACE_S` of server time), and jobs for
its user still go to that device, replayed when it comes back. The hello names who the device
has logged in: the server takes that login back, or says in the welcome how it ended (the grace
period ran out, the user logged in elsewhere), so the panel shows the login screen with why. A
hello that names nobody (the device restarted, or logged out while away) ends the login, so a
job for that user is held instead of given to an empty panel.

Holding a fleet (issue 12): a socket is dead only after the silence of `panel.protocol.liveness`
(a stall of a few seconds drops nobody); the welcome carries the cache version, so a device
that reconnects fetches nothing it has; and new sockets are admitted at `HELLOS_PER_S` at most:
beyond it the upgrade is refused with 503 and Retry-After, which devices honour (plus their own
jitter), so a fleet that comes back at once is spread out instead of queued behind each other.
A device's own session heartbeat (S5) rides its socket too (`session.heartbeat`, answered on
it by the same `DeviceSessions.heartbeat` as `POST /power/heartbeat`): 5,000 devices beating
every minute over HTTP were a third of the server's requests, each on a new connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import WSMsgType, web

from panel.device.clock import Timer
from panel.protocol import ProtocolError, decode_frame, encode_frame, liveness
from panel.protocol.messages import (
    Ack,
    CacheChanged,
    ErrorFrame,
    ErrorReply,
    Frame,
    Hello,
    JobNotify,
    LoginEnded,
    LoginEndedNotice,
    SessionHeartbeat,
    Welcome,
)
from panel.protocol.power import HeartbeatRequest, LeaseReply
from panel.server.errors import INTERNAL
from panel.server.http import ApiError, open_websocket
from panel.server.store import LOGIN_GRACE_S, EndedLogin, Notification, ServerStore
from panel.server.store.group_commit import GroupCommit
from panel.tasks import TaskOwner
from panel.trace import Trace

_log = logging.getLogger(__name__)

HELLO_TIMEOUT_S = 10.0
CLOSE_PROTOCOL_ERROR = 4002
CLOSE_REPLACED = 4001
# New push sockets a second (a token bucket with as much burst): a hello costs the server a few
# queries and a welcome; 5,000 at once would hold the loop for seconds.
HELLOS_PER_S = 1000.0
BUSY_RETRY_AFTER_S = 5  # what a refused device is told; its own jitter spreads it beyond


class Busy(ApiError):
    """503: too many devices connecting at once; come back after `retry_after_s`."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(
            503, "busy", f"Too many devices are connecting; retry in {retry_after_s} s."
        )
        self.retry_after_s = retry_after_s

    def body(self) -> ErrorReply:
        return ErrorReply(self.code, self.message, retry_after_s=self.retry_after_s)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_s)}


class Admission:
    """A token bucket on loop time: `rate` admissions a second, bursts of `rate`."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self._tokens = rate
        self._at = time.monotonic()
        self.refused = 0

    def admit(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self.rate, self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        self.refused += 1
        return False

    def retry_after_s(self) -> int:
        """Long enough for the bucket to have refilled, at least BUSY_RETRY_AFTER_S."""
        return max(BUSY_RETRY_AFTER_S, math.ceil(1 - self._tokens / self.rate))


# What the panel shows when the server ended its login while it was away.
_ENDED_MESSAGES: Final = {
    "offline": "You were logged out: the device was offline for more than {grace}.",
    "elsewhere": "You were logged out: you logged in at another device.",
    "logout": "You were logged out.",
}
_ENDED_UNKNOWN = "You were logged out: the server no longer had your login."


def ended_message(reason: str, grace_s: float = LOGIN_GRACE_S) -> str:
    """The sentence the panel shows for a login the server ended for `reason`."""
    minutes = grace_s / 60
    grace = (
        f"{minutes:g} minute{'s' if minutes != 1 else ''}"
        if grace_s >= 60 and minutes == int(minutes)
        else f"{grace_s:g} seconds"
    )
    return _ENDED_MESSAGES.get(reason, _ENDED_UNKNOWN).format(grace=grace)


def _drop_tracebacks(exc: BaseException | None) -> None:
    """Forget where the error a socket ended with was raised (its message and type stay).

    aiohttp keeps the error of a socket whose device vanished (its close frame could not be
    written: "Cannot write to closing transport") on the socket, and the traceback's frames
    hold the socket again: per dead connection ~16 more objects (the frames and their
    tracebacks: 52 instead of 36, measured with 1,000 sockets) that wait for the cycle
    collector, whose full passes already take ~0.5 s with 1,000 sockets held. aiohttp's own
    cycles (the request and its socket) remain."""
    while exc is not None:
        exc.__traceback__ = None
        exc = exc.__cause__ or exc.__context__


class PushHub:
    def __init__(
        self, store: ServerStore, trace: Trace, hellos_per_s: float = HELLOS_PER_S
    ) -> None:
        self._store = store
        self._trace = trace
        self.admission = Admission(hellos_per_s)
        self._sockets: dict[str, web.WebSocketResponse] = {}
        self._welcomed: set[web.WebSocketResponse] = set()  # broadcasts never precede a welcome
        self._owner = TaskOwner("push", trace=trace)
        self._cache_task: asyncio.Task[None] | None = None  # owned by _owner
        self._cache_dirty = False
        self._closing = False
        self._deferred_listeners: list[Callable[[Notification], Awaitable[None]]] = []
        # Acks (hellos' and frames') that arrive while one commits share the next commit: a
        # burst of jobs or a fleet's hellos is a few commits on the loop, not one per frame.
        self._acks: GroupCommit[tuple[str, int], None] = GroupCommit("push acks", self._ack_batch)
        self._expiry: dict[str, Timer] = {}  # away devices' grace periods
        # A device's own session heartbeat (S5), as `POST /power/heartbeat` answers it (see
        # `take_heartbeats`); None: welcomes do not offer the socket for heartbeats.
        self._heartbeat: Callable[[str, HeartbeatRequest], LeaseReply] | None = None
        # No device is connected yet: every login's grace period starts now.
        store.mark_all_logins_away()
        store.add_login_listener(self.async_login_ended)

    async def _ack_batch(self, acks: list[tuple[str, int]]) -> list[Exception | None]:
        self._store.ack_many(acks)
        return [None] * len(acks)

    def take_heartbeats(self, heartbeat: Callable[[str, HeartbeatRequest], LeaseReply]) -> None:
        """Answer devices' own session heartbeats on their sockets with `heartbeat` (the REST
        endpoint's: `DeviceSessions.heartbeat`); welcomes say so from now on."""
        self._heartbeat = heartbeat

    def connected(self, device_id: str) -> bool:
        return device_id in self._sockets

    def add_deferred_listener(self, listener: Callable[[Notification], Awaitable[None]]) -> None:
        """Await `listener(notification)` when a notice cannot be sent now (its device is not
        connected): the sleep proxy's wake (S5) starts there."""
        self._deferred_listeners.append(listener)

    async def broadcast(self, frame: Frame) -> int:
        """Send `frame` to every connected device that has been welcomed; returns how many."""
        sent = 0
        for ws in list(self._sockets.values()):
            if ws.closed or ws not in self._welcomed:
                continue
            with contextlib.suppress(ConnectionResetError):
                await ws.send_str(encode_frame(frame))
                sent += 1
        return sent

    def async_cache_changed(self, version: int) -> None:
        """The store's cache listener: tell connected devices, once per burst of changes."""
        self._trace.emit("cache", "changed", version=version)
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # changed outside the server's loop: devices see it when they fetch
            return
        self._cache_dirty = True
        if not self._closing and (self._cache_task is None or self._cache_task.done()):
            self._cache_task = self._owner.spawn(self._send_cache_changed(), "cache.changed")

    async def _send_cache_changed(self) -> None:
        while self._cache_dirty:
            self._cache_dirty = False
            version = self._store.cache_version()
            sent = await self.broadcast(CacheChanged(version))
            self._trace.emit("push", "cache.changed", version=version, devices=sent)

    def async_login_ended(self, ended: EndedLogin) -> None:
        """The store's login listener: a connected device whose login the server ended (the
        user logged in elsewhere) is told now; one that is away learns it from its welcome."""
        ws = self._sockets.get(ended.device_id)
        if ws is None or ws.closed or ws not in self._welcomed or self._closing:
            return
        self._trace.emit(
            "auth", "ended", device=ended.device_id, user_id=ended.user_id, reason=ended.reason
        )
        message = ended_message(ended.reason, self._store.login_grace_s)
        login = LoginEnded(ended.user_id, ended.reason, message)
        _ = self._owner.spawn(self._tell(ws, LoginEndedNotice(login)), "login.ended")

    async def _tell(self, ws: web.WebSocketResponse, frame: Frame) -> None:
        """Send one frame; a device gone meanwhile learns it from its next welcome."""
        with contextlib.suppress(ConnectionResetError):
            await ws.send_str(encode_frame(frame))

    async def tell(self, device_id: str, frame: Frame) -> bool:
        """Send one unrecorded frame to a welcomed device (a `file.send`, S6); False if it is
        not connected (the caller says so to whoever asked)."""
        ws = self._sockets.get(device_id)
        if ws is None or ws.closed or ws not in self._welcomed:
            return False
        try:
            await ws.send_str(encode_frame(frame))
        except ConnectionResetError:
            return False
        return True

    async def send(self, n: Notification) -> None:
        """Push a recorded notification if the device is connected; replay covers it otherwise."""
        ws = self._sockets.get(n.device_id)
        if ws is None or ws.closed or ws not in self._welcomed:  # the welcome's replay has it
            self._trace.emit("push", "deferred", device=n.device_id, seq=n.seq, job_id=n.job_id)
            for listener in self._deferred_listeners:
                await listener(n)
            return
        with contextlib.suppress(ConnectionResetError):
            await ws.send_str(encode_frame(JobNotify(n.seq, n.job_id, n.created_at)))
            self._trace.emit("push", "notify", device=n.device_id, seq=n.seq, job_id=n.job_id)

    async def shed(self, device_id: str, retry_after_s: int) -> bool:
        """Close a device's socket asking it to come back no sooner than `retry_after_s`
        (a server shedding load; the device adds its own jitter). False if not connected."""
        ws = self._sockets.get(device_id)
        if ws is None or ws.closed:
            return False
        self._trace.emit("push", "shed", device=device_id, retry_after_s=retry_after_s)
        reason = liveness.retry_after_reason(retry_after_s)
        await ws.close(code=liveness.TRY_AGAIN_LATER, message=reason)
        return True

    async def close_all(self) -> None:
        self._closing = True
        self._expiry.clear()  # the owner cancels them
        await self._owner.close()
        await self._acks.close()
        for ws in list(self._sockets.values()):
            await ws.close(code=1001, message=b"server shutting down")

    async def serve(self, request: web.Request, device_id: str) -> web.WebSocketResponse:
        if not self.admission.admit():
            busy = Busy(self.admission.retry_after_s())
            self._trace.emit("push", "busy", device=device_id, retry_after_s=busy.retry_after_s)
            raise busy
        # upgraded: errors from here on are no HTTP responses
        ws = await open_websocket(
            request, heartbeat_s=liveness.server_heartbeat_s(), max_msg_size=64 * 1024
        )
        try:
            if await self._welcome(ws, device_id, self._store.clock()):
                # Listening is here, not in a coroutine of its own: a frame kept for hours
                # by every socket (issue 12: memory per connection).
                try:
                    async for msg in ws:  # acks and session heartbeats, nothing else
                        if msg.type is WSMsgType.TEXT:
                            await self._received(ws, device_id, msg.data)
                finally:
                    self._forget(ws, device_id)
        except ConnectionResetError as exc:  # aiohttp's ClientConnectionResetError too
            # The device went away while we wrote to it; its next hello replays what it missed.
            self._trace.emit("push", "reset", device=device_id, error=str(exc))
        finally:
            _drop_tracebacks(ws.exception())
        return ws

    async def _welcome(self, ws: web.WebSocketResponse, device_id: str, accepted_at: float) -> bool:
        """The hello, the welcome and the replay; True when the socket is now the device's.

        A coroutine of its own, apart from `serve`'s listening: its frame (the hello, the
        welcome, the replayed notices) is gone once the device is welcomed, and thousands of
        sockets held for hours keep only what listening needs (issue 12: memory per connection)."""
        try:
            first = await asyncio.wait_for(ws.receive(), HELLO_TIMEOUT_S)
        except TimeoutError:
            await ws.close(code=CLOSE_PROTOCOL_ERROR, message=b"no hello")
            return False
        hello = await self._decode(ws, first.data) if first.type is WSMsgType.TEXT else None
        if not isinstance(hello, Hello):
            await self._refuse(ws, "expected_hello", "The first frame must be a hello.")
            return False
        network = hello.network[:100] if hello.network is not None else None
        self._trace.emit(
            "push", "hello", device=device_id, last_seq=hello.last_seq, network=network
        )
        # The device stored everything up to last_seq: that acknowledges it, also an ack that
        # was lost with the previous connection.
        await self._acks.submit((device_id, hello.last_seq))
        ended = self._resume_login(device_id, hello.user_id, accepted_at)
        old = self._sockets.get(device_id)
        self._sockets[device_id] = ws  # first: the old socket's end must not undo this one
        try:
            if old is not None:
                await old.close(code=CLOSE_REPLACED, message=b"replaced by a newer connection")
            welcome = Welcome(
                device_id,
                self._store.last_seq(device_id),
                time.time(),
                ended,
                cache_version=self._store.cache_version(),
                heartbeats=True if self._heartbeat is not None else None,
            )
            await ws.send_str(encode_frame(welcome))
            self._welcomed.add(ws)
            for n in self._store.notifications_after(device_id, hello.last_seq):
                await ws.send_str(encode_frame(JobNotify(n.seq, n.job_id, n.created_at)))
                self._trace.emit("push", "replay", device=device_id, seq=n.seq, job_id=n.job_id)
        except BaseException:
            self._forget(ws, device_id)
            raise
        return True

    async def _received(self, ws: web.WebSocketResponse, device_id: str, raw: str) -> None:
        """A text frame from a welcomed device: an ack or a session heartbeat."""
        frame = await self._decode(ws, raw)
        if isinstance(frame, Ack):
            await self._acks.submit((device_id, frame.seq))
            self._trace.emit("push", "ack", device=device_id, seq=frame.seq)
        elif isinstance(frame, SessionHeartbeat):
            await ws.send_str(encode_frame(self._answer_heartbeat(device_id, frame)))
        elif frame is not None:
            self._trace.emit("push", "unexpected", device=device_id, type=type(frame).__name__)

    def _answer_heartbeat(self, device_id: str, frame: SessionHeartbeat) -> Frame:
        """The lease, or the refusal `POST /power/heartbeat` would give (its code, message and
        status, with the frame's id); a failure answers this frame only, the socket stays up.
        Traced as the HTTP exchange is, beside what `DeviceSessions.heartbeat` traces."""
        started = time.perf_counter()
        answer: Frame
        try:
            if self._heartbeat is None:  # the welcome did not offer it
                raise ApiError(404, "not_found", "This server takes heartbeats over HTTP only.")
            answer = self._heartbeat(device_id, HeartbeatRequest.of(frame)).frame(frame.id)
            status = 200
        except ApiError as exc:
            answer, status = ErrorFrame(exc.code, exc.message, frame.id, exc.status), exc.status
        except Exception:
            _log.exception("session heartbeat of %s failed", device_id)
            answer, status = ErrorFrame(*INTERNAL, id=frame.id, status=500), 500
        self._trace.emit(
            "push",
            "exchange",
            device=device_id,
            type=frame.TYPE,
            id=frame.id,
            status=status,
            ms=round((time.perf_counter() - started) * 1000, 2),
        )
        return answer

    def _forget(self, ws: web.WebSocketResponse, device_id: str) -> None:
        """The socket ended: the device is away (unless a newer socket replaced this one)."""
        self._welcomed.discard(ws)
        if self._sockets.get(device_id) is ws:
            del self._sockets[device_id]
            self._login_away(device_id)
        self._trace.emit("push", "disconnected", device=device_id, code=ws.close_code)

    def _resume_login(
        self, device_id: str, user_id: str | None, accepted_at: float
    ) -> LoginEnded | None:
        """The device is back: keep the login its hello names, or say how it ended."""
        self._cancel_expiry(device_id)
        if user_id is None:  # nobody at the panel (restarted, or logged out while away)
            ended_id = self._store.end_login(device_id, before=accepted_at)
            if ended_id is not None:
                self._trace.emit(
                    "auth", "ended", device=device_id, user_id=ended_id, reason="hello"
                )
            return None
        ended = self._store.resume_login(device_id, user_id)
        if ended is None:
            self._trace.emit("auth", "resumed", device=device_id, user_id=user_id)
            return None
        if ended.just_now:  # away past the grace period, and no timer ended it yet
            self._trace_expired(ended)
        self._trace.emit(
            "auth", "told-ended", device=device_id, user_id=user_id, reason=ended.reason
        )
        message = ended_message(ended.reason, self._store.login_grace_s)
        return LoginEnded(user_id, ended.reason, message)

    def _login_away(self, device_id: str) -> None:
        """The device's connection ended: its login (if any) waits out the grace period."""
        user_id = self._store.mark_login_away(device_id)
        if user_id is None:
            return
        grace_s = self._store.login_grace_s
        self._trace.emit("auth", "away", device=device_id, user_id=user_id, grace_s=grace_s)
        if not self._closing:
            self._cancel_expiry(device_id)
            self._expiry[device_id] = self._owner.call_later(
                grace_s, self._expire_logins, device_id
            )

    def _cancel_expiry(self, device_id: str) -> None:
        self._owner.cancel_timer(self._expiry.pop(device_id, None))

    def _expire_logins(self, device_id: str) -> None:
        """A grace period ran out: end the logins of devices still away (this one's included,
        unless it came back)."""
        self._expiry.pop(device_id, None)
        for ended in self._store.expire_logins():
            self._trace_expired(ended)

    def _trace_expired(self, ended: EndedLogin) -> None:
        self._trace.emit(
            "auth", "ended", device=ended.device_id, user_id=ended.user_id, reason=ended.reason
        )

    async def _decode(self, ws: web.WebSocketResponse, raw: str) -> Frame | None:
        """A valid frame, or None after telling the device what was wrong with it."""
        try:
            return decode_frame(raw)
        except ProtocolError as exc:
            self._trace.emit("push", "malformed", code=exc.code, error=exc.message)
            if exc.code == "unsupported_version":
                await self._refuse(ws, exc.code, exc.message)
            else:
                await ws.send_str(encode_frame(ErrorFrame(exc.code, exc.message)))
            return None

    async def _refuse(self, ws: web.WebSocketResponse, code: str, message: str) -> None:
        if not ws.closed:
            await ws.send_str(encode_frame(ErrorFrame(code, message)))
            await ws.close(code=CLOSE_PROTOCOL_ERROR, message=code.encode())
