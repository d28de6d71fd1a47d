"""The persistent push connection (S9): notices of new jobs arrive here.

Each notice is stored as a reception record before it is acknowledged; on every (re)connect
the device says the last sequence up to which it stored every notice, so the server replays
what was missed (a notice lost in a dead link included). Each (re)connect is a process for
the connection manager (S2): it goes over a network checked with a fresh token, and moves
when the manager moves. Its heartbeat notices a link that died without a word.

The hello also names the user the server logged in at this panel, so the server keeps that
login across the reconnect (a network switch is no logout); when the server ended it meanwhile
(the device was away too long, or the user logged in elsewhere) the welcome or a `login.ended`
notice says so and the panel session ends with the server's reason.

Retries and the heartbeat run on the device clock; the session loop and the background work it
starts (cache refreshes, closing a socket the manager moved away from) belong to the channel's
TaskOwner, closed by `stop`.

A fleet that lost its server must not storm it when it comes back (issue 12): reconnects wait a
full-jitter backoff (FailoverPolicy.reconnect_*: up to tens of seconds after repeated failures,
reset by a connection that stayed up), no less than a server that is busy asks for (503
Retry-After before the upgrade, or `retry-after=N` as the socket's close reason). Only a move
to another network (or a broken link while there are others) checks again at once; a check
that fails backs off like the rest. A reconnect over the network in use costs one request,
the upgrade: the handshake and the welcome are that network's reachability check (the hello
names it), and the welcome's cache version says whether the cache needs fetching at all.

The device's own session heartbeat (S5, keepalive.py) rides the socket when the session's
welcome offers it (`session_heartbeat`): no connection of its own every minute (issue 12). It
waits for its answer as long as a REST call may take, on the device clock; no session, a
session that ends, or no answer in time, and the caller sends it over HTTP instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from panel.device.auth import Session
from panel.device.backoff import Backoff
from panel.device.cache import DeviceCache
from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.events import Event, EventBus, EventKind
from panel.device.jobs import JobManager
from panel.device.model import ConnectionState
from panel.device.networks import DeadLink, NetworkState, Route, Socket
from panel.device.store import DeviceStore
from panel.protocol import ProtocolError, decode_frame, encode_frame
from panel.protocol.codec import check_value, to_dict
from panel.protocol.liveness import retry_after_s
from panel.protocol.messages import (
    MAX_REQUEST_ID,
    Ack,
    CacheChanged,
    ErrorFrame,
    FileDelete,
    FileSend,
    Hello,
    JobNotify,
    LoginEndedNotice,
    SessionHeartbeat,
    SessionLease,
    Welcome,
)
from panel.protocol.power import HeartbeatRequest, LeaseReply
from panel.tasks import TaskOwner
from panel.text import marker
from panel.trace import Trace

NOT_RECOGNISED = marker(
    "Core",
    "The server does not recognise this device (its identity was refused). Register it again with `mfp-panel run --server URL`.",  # noqa: E501
)

_log = logging.getLogger(__name__)

REFUSED_RETRY_S = 30.0  # our credentials were refused: at least this long between tries


class PushChannel:
    def __init__(
        self,
        link: ServerLink,
        store: DeviceStore,
        jobs: JobManager,
        cache: DeviceCache,
        events: EventBus,
        trace: Trace,
        clock: Clock,
        session: Session | None = None,
    ) -> None:
        self._link = link
        self._panel_session = session  # its login is named in each hello (kept across reconnects)
        self._events = events
        self._cache = cache
        self._clock = clock
        self._owner = TaskOwner("push", clock, trace)
        self._running: asyncio.Task[None] | None = None
        # `file.send` and `file.delete` (S6): for the document box (set by the Device).
        self.file_sender: Callable[[FileSend | FileDelete], None] | None = None
        self._store = store
        self._jobs = jobs
        self._trace = trace
        self.refused: ServerRefused | None = None
        self._welcomed = False  # in the current session
        policy = link.policy
        self.backoff = Backoff(
            policy.reconnect_base_s,
            policy.reconnect_cap_s,
            policy.reconnect_stable_s,
            now=clock.monotonic,
        )
        self._told_wait = 0.0  # what the server asked for when it closed the last session
        self._route_of_session: Route | None = None
        self._server_closed = False  # the last session ended with the server's close frame
        # The socket of the current session when its welcome offered heartbeats, and the
        # requests on it waiting for their answer (None: the session ended first), by id.
        self._beats_over: Socket | None = None
        self._requests: dict[int, asyncio.Future[SessionLease | ErrorFrame | None]] = {}
        self._last_id = 0

    def start(self) -> asyncio.Task[None]:
        """Start the session loop (`run`) as the channel's own task."""
        if self._running is None or self._running.done():
            self._running = self._owner.spawn(self.run(), "run")
        return self._running

    async def run(self) -> None:
        """Stay connected for as long as the device runs, over the network the connection
        manager checks for it. A session that ends because the manager moved to another
        network, or whose link broke while there are others, is followed at once by a check
        (the manager staggers its attempts itself); any other end or failure waits its backoff
        (see the module's docstring). OFFLINE means that no network reaches the server."""
        while True:
            self._link.set_state(ConnectionState.CONNECTING)
            at_least = 0.0
            try:
                route = await self._route()
                if await self._session(route):
                    continue  # a network check at once
                at_least, self._told_wait = self._told_wait, 0.0
                self._link.set_state(ConnectionState.CONNECTING)  # a network reaches the server
                await self._wait(at_least)
                continue
            except ServerRefused as exc:
                at_least = float(exc.reply.retry_after_s or 0)
                if exc.status not in (401, 403):  # the server is there, but failing or busy
                    self._trace.emit(
                        "push", "server-failed", error=str(exc), retry_after_s=at_least
                    )
                else:
                    # Our credentials were refused: retrying fast would only hammer the server.
                    self._trace.emit("push", "refused", error=str(exc))
                    if self.refused is None:
                        self._notify(NOT_RECOGNISED)
                    self.refused = exc
                    at_least = max(at_least, REFUSED_RETRY_S)
            except ServerUnreachable as exc:
                self._trace.emit("push", "unreachable", error=str(exc))
            except Exception as exc:
                # A bug or a local failure (a full disk under the store): say so and go on
                # retrying, instead of a dead push task behind a panel that still says online.
                _log.exception("push session failed")
                self._trace.emit("push", "failed", error=f"{type(exc).__name__}: {exc}")
                self._notify(
                    f"The connection to the server failed: {exc}. Retrying.",
                    marker("Core", "The connection to the server failed: {error}. Retrying."),
                    {"error": str(exc)},
                )
            self._link.set_state(ConnectionState.OFFLINE)
            await self._wait(at_least)

    async def _wait(self, at_least: float) -> None:
        """The backoff's wait before the next attempt, no less than `at_least`."""
        delay = self.backoff.failed(at_least)
        self._trace.emit("push", "retry", in_s=round(delay, 3), failures=self.backoff.failures)
        await self._clock.sleep(delay)

    @property
    def _other_networks(self) -> bool:
        return len(self._link.networks.routes) > 1

    async def _route(self) -> Route:
        """The network in use, when the server itself closed the last session over it or it
        is the device's only network (the new socket's handshake and welcome check it, with no
        request of their own); else one checked with a token now (after a link that broke
        with another network to move to, a failure, or at start)."""
        networks = self._link.networks
        active, server_closed, self._server_closed = networks.active, self._server_closed, False
        direct = server_closed or not self._other_networks
        if direct and active is not None and active.state is NetworkState.REACHABLE:
            return active
        return await networks.establish("push")

    async def _session(self, route: Route) -> bool:
        """One push session over `route`; True when a network check should follow at once:
        the manager moved to another network, or the link broke (died silently or was cut)
        while the device has other networks to move to (S2: failover within hundreds of
        milliseconds). False when it ended otherwise once up (the server closed it, or the
        device's only link broke): the backoff's wait comes first. ServerUnreachable when it
        failed before the server welcomed it."""
        import aiohttp  # loaded on first connect (see connection.py)

        ended = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED)

        try:
            ws = await self._link.open_push(route)
        except ServerUnreachable as exc:
            self._link.networks.note_failure(route, str(exc))  # checked again before the next
            raise
        self._welcomed = False
        self._route_of_session = route
        self._beats_over = None
        moving: list[str] = []

        def on_network(event: Event) -> None:
            active = event.subject
            if active is None and not self._other_networks:
                # A request failed and the check after it too (a busy server), but there is
                # nowhere to move: this socket's own heartbeat says whether its link is dead.
                # Closing it would only add a reconnect to the server's load (issue 12).
                return
            if not moving and (active is None or active.name != route.name):
                moving.append(active.name if active is not None else "")
                # Online means pushes arrive over the network in use: not until we moved.
                self._link.set_state(ConnectionState.CONNECTING)
                _ = self._owner.spawn(ws.close(), "close the socket of a network left")

        unsubscribe = self._events.subscribe(on_network, EventKind.NETWORK_CHANGED)
        try:
            login = self._panel_session.server_login if self._panel_session is not None else None
            hello = Hello(last_seq=self._store.contiguous_seq(), user_id=login, network=route.name)
            await ws.send_str(encode_frame(hello))
            while (msg := await ws.receive()).type not in ended:
                if msg.type is aiohttp.WSMsgType.TEXT:
                    await self._handle(ws, msg.data)
            if msg.type is aiohttp.WSMsgType.CLOSE:  # the server's word: the link works
                self._server_closed = self._welcomed
                # A busy server says when to come back.
                self._told_wait = retry_after_s(msg.extra if isinstance(msg.extra, str) else None)
        except DeadLink as exc:  # the heartbeat got no answer
            self._trace.emit("push", "dead-link", network=route.name, error=str(exc))
            if self._other_networks:  # check them all: another may work
                self._link.networks.note_failure(route, f"dead link: {exc}")
            return self._other_networks
        except (aiohttp.ClientError, ConnectionResetError) as exc:
            if not self._welcomed:
                raise ServerUnreachable(str(exc), route.name) from exc
            self._trace.emit("push", "lost", network=route.name, error=str(exc))
            return self._other_networks
        finally:
            unsubscribe()
            self._end_requests()
            await ws.close()
        if moving:
            self._trace.emit("push", "moved", network=route.name, to=moving[0] or None)
            return True
        self._trace.emit(
            "push", "closed", network=route.name, code=ws.close_code, retry_after_s=self._told_wait
        )
        return False

    async def _handle(self, ws: Socket, raw: str) -> None:
        try:
            frame = decode_frame(raw)
        except ProtocolError as exc:
            self._trace.emit("push", "malformed", code=exc.code, error=exc.message)
            await ws.send_str(encode_frame(ErrorFrame(exc.code, exc.message)))
            return
        if isinstance(frame, Welcome):
            self.refused = None
            self._welcomed = True
            self.backoff.succeeded()
            if self._route_of_session is not None:
                self._link.networks.verified(self._route_of_session)
            self._trace.emit(
                "push", "welcome", last_seq=frame.last_seq, cache_version=frame.cache_version
            )
            if frame.login_ended is not None and self._panel_session is not None:
                ended = frame.login_ended
                self._panel_session.ended_by_server(ended.user_id, ended.message, ended.reason)
            self._beats_over = ws if frame.heartbeats else None
            self._link.set_state(ConnectionState.ONLINE)
            self._jobs.online()
            mine = self._cache.version  # 0: never fetched
            if frame.cache_version is None or mine == 0 or frame.cache_version != mine:
                self._refresh_cache(None)
        elif isinstance(frame, JobNotify):
            self._trace.emit("push", "notify", seq=frame.seq, job_id=frame.job_id)
            self._jobs.notified(frame.seq, frame.job_id)
            await ws.send_str(encode_frame(Ack(seq=frame.seq)))
        elif isinstance(frame, CacheChanged):
            self._trace.emit("push", "cache-changed", version=frame.version)
            self._refresh_cache(frame.version)
        elif isinstance(frame, LoginEndedNotice):
            self._trace.emit("push", "login-ended", reason=frame.login.reason)
            if self._panel_session is not None:
                login = frame.login
                self._panel_session.ended_by_server(login.user_id, login.message, login.reason)
        elif isinstance(frame, FileSend | FileDelete):
            self._trace.emit("push", frame.TYPE, file_id=frame.file_id)
            if self.file_sender is not None:
                self.file_sender(frame)
        elif isinstance(frame, SessionLease):
            self._answered(frame.id, frame)
        elif isinstance(frame, ErrorFrame):
            if frame.id is None or not self._answered(frame.id, frame):
                self._trace.emit("push", "server-error", code=frame.code, error=frame.message)
        else:
            self._trace.emit("push", "unexpected", type=type(frame).__name__)

    # -- requests on the socket (the device's own session heartbeat, S5) --------------------------
    async def session_heartbeat(self, req: HeartbeatRequest) -> LeaseReply | None:
        """`req` on the socket, when the current session's welcome offered it: the lease, or
        ServerRefused as `POST /power/heartbeat` refuses it. None when the socket cannot carry
        it now: no such session, the session ended, or no answer within a REST call's time-out
        (on the device clock, counted on the wire as a REST call); the caller uses HTTP. So
        does a heartbeat out of the protocol's bounds (a setting beyond an hour): the server's
        refusal of a frame it cannot decode names no request, HTTP's says why."""
        ws = self._beats_over
        if ws is None or ws.ws.closed:
            return None
        self._last_id = request_id = self._last_id % MAX_REQUEST_ID + 1
        frame = req.frame(request_id)
        try:
            check_value(to_dict(frame), SessionHeartbeat, frame.TYPE)
        except ProtocolError:
            return None
        answered = asyncio.get_running_loop().create_future()
        self._requests[request_id] = answered
        try:
            async with ws.route.exchange() as sent:
                await ws.send_str(encode_frame(frame))
                sent.mark()
                answer = await answered
        except TimeoutError:
            self._trace.emit("push", "unanswered", id=request_id, network=ws.route.name)
            return None
        except ConnectionResetError as exc:  # the socket is closing
            self._trace.emit("push", "unsent", id=request_id, error=str(exc))
            return None
        finally:
            del self._requests[request_id]
        if answer is None:
            return None
        if isinstance(answer, ErrorFrame):
            raise ServerRefused(answer.status or 400, answer.code, answer.message)
        return LeaseReply.of(answer)

    def _answered(self, request_id: int, answer: SessionLease | ErrorFrame) -> bool:
        """Hand `answer` to the request waiting for it; False when none does (too late)."""
        waiting = self._requests.get(request_id)
        if waiting is None or waiting.done():
            self._trace.emit("push", "late-answer", id=request_id, type=answer.TYPE)
            return False
        waiting.set_result(answer)
        return True

    def _end_requests(self) -> None:
        """The session ended: its requests get no answer on it."""
        self._beats_over = None
        for waiting in self._requests.values():
            if not waiting.done():
                waiting.set_result(None)

    def _notify(
        self, text: str, template: str = "", values: dict[str, object] | None = None
    ) -> None:
        """A notice for the panel: `text` as said (traces), `template` + `values` for the panel
        to say it in its language (a marked string; `text` is marked itself when it has none)."""
        fields: dict[str, object] = {"text": text, "level": "error"}
        if template:
            fields |= {"template": template, "values": values or {}}
        self._events.publish(Event(EventKind.NOTICE, None, fields))

    def _refresh_cache(self, hint: int | None) -> None:
        """In the background: the push loop must keep reading frames meanwhile."""
        _ = self._owner.spawn(self._cache.refresh(hint), "refresh the cache")

    async def suspend(self) -> None:
        """End the session loop (the device goes off the network); `start` resumes it."""
        running, self._running = self._running, None
        if running is not None:
            running.cancel()
            await asyncio.wait([running])

    async def stop(self) -> None:
        """Cancel and await the session loop and everything it started. Final."""
        self._running = None
        await self._owner.close()
