"""The connection manager (S2): the device's ordered networks, which one it uses, and moving
between them in hundreds of milliseconds instead of TCP time-outs.

When a process is requested (`establish`), the server hands out first communication
information: a short-lived token. The device presents that same token over its networks in
order of preference, staggered as in Happy Eyeballs (RFC 8305): the first network starts, and
if it has not answered within `stagger_s` the next starts beside it; the first to get through
wins and the others are cancelled. A refused or reset network fails at once and the next
starts at once; a silent (blackholed) one is left behind by the stagger; one whose reply comes
later than its latency budget has failed. The token itself is asked for the same way.

Back to the preferred network: while the device uses a less preferred one, the better ones are
probed; one goes back into use only after `recover_probes` good probes spanning
`recover_hold_s`, a hold that doubles (up to eight times) with every failure in the last
`flap_window_s`, so a network that keeps toggling cannot make the device flap.

Each network is a `Route`: its settings and its own HTTP session (its own connection pool).
Every time-out, stagger, probe interval and heartbeat runs on the device clock (a test steps a
ManualClock instead of waiting), and the manager's background work (a shared check, the prober,
a re-check) belongs to its TaskOwner. aiohttp is imported on first use (see connection.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import errno
import random
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlsplit

from panel.device.clock import Clock, Timer
from panel.device.events import Event, EventBus, EventKind
from panel.protocol import PROTOCOL_VERSION, ProtocolError, decode_body, encode_body, liveness
from panel.protocol.messages import ErrorReply, Health
from panel.protocol.reach import (
    MAX_NAME_LENGTH,
    ReachCheck,
    ReachConfirm,
    ReachRequest,
    ReachToken,
)
from panel.tasks import TaskOwner
from panel.trace import Trace

if TYPE_CHECKING:
    import aiohttp

T = TypeVar("T")
C = TypeVar("C")

API = f"/api/v{PROTOCOL_VERSION}"
DEFAULT_NETWORK = "Network"  # the one network of a device configured with a server URL only
# An idle HTTP connection is closed after this (aiohttp keeps one 15-30 s): a device's requests
# come in bursts (a start, a login, a job) minutes apart, and a server holding a fleet paid a
# connection per device for nothing (~12 kB each, and the heap they leave fragmented: issue 12).
# A burst's requests follow each other within milliseconds, so 1 s still carries a burst on one
# connection. 2 s before: while 5,000 devices started, ~700 connections sat idle at once (a
# tracemalloc peak 8 MB above what stays), and the server kept 19.4-20.1 kB a device against
# 18.7 at 1 s (bench fleet's memory a connection, issue 12).
IDLE_CONNECTION_S = 1.0


class ServerUnreachable(Exception):
    """No answer from the server (refused, timed out, dropped): worth retrying later.

    `network` is the network it went over; `kind` says how it failed (refused, reset, timeout,
    too-slow, failed, none); `sent` is False when the request surely never left the device
    (so sending it again over another network cannot run it twice).
    """

    def __init__(self, message: str, network: str = "", kind: str = "failed", sent: bool = True):
        super().__init__(message)
        self.network = network
        self.kind = kind
        self.sent = sent


class DeadLink(Exception):
    """A socket's pings got no answer (panel.protocol.liveness): the link died without a word."""


class ServerRefused(Exception):
    """The server answered and said no; retrying the same request will not help."""

    def __init__(
        self, status: int, code: str, message: str, reply: ErrorReply | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.reply = reply or ErrorReply(code, message)  # all it said (a PIN's tries left...)


# ---- settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkSettings:
    """One network the device can reach the server over, with that network's own settings.

    `server_url` is the server as seen through this network. `connect_timeout_s` bounds the
    TCP connection; `latency_budget_s` is the most a reachability check's reply may take once
    the request is sent: a slower network counts as failed.
    """

    name: str
    server_url: str
    connect_timeout_s: float = 3.0
    latency_budget_s: float = 1.0

    def __post_init__(self) -> None:
        name = self.name.strip()
        if not name or len(name) > MAX_NAME_LENGTH or not name.isprintable():
            raise ValueError(
                f"a network name is 1 to {MAX_NAME_LENGTH} printable characters: {self.name!r}"
            )
        url = urlsplit(self.server_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(
                f"network {name!r}: the server URL must be http(s)://HOST[:PORT],"
                f" not {self.server_url!r}"
            )
        for what in ("connect_timeout_s", "latency_budget_s"):
            value = getattr(self, what)
            if not isinstance(value, int | float) or not 0 < value <= 600:
                raise ValueError(f"network {name!r}: {what} must be > 0 and <= 600 s")
        object.__setattr__(self, "name", name)

    @classmethod
    def wired(cls, name: str, server_url: str) -> NetworkSettings:
        """A wired LAN: connects at once, answers within milliseconds."""
        return cls(name, server_url, connect_timeout_s=1.0, latency_budget_s=0.5)

    @classmethod
    def cellular(cls, name: str, server_url: str) -> NetworkSettings:
        """A cellular link (LTE): slower to connect, with room for a longer path."""
        return cls(name, server_url, connect_timeout_s=3.0, latency_budget_s=1.5)


@dataclass(frozen=True)
class FailoverPolicy:
    """How the manager moves between networks; the defaults suit a real panel."""

    stagger_s: float = 0.25  # RFC 8305's recommended connection attempt delay
    heartbeat_s: float = 3.0  # push socket ping interval (dead link: panel.protocol.liveness)
    probe_interval_s: float = 2.0  # probing a better network while on another (+/- 50 %)
    recover_probes: int = 3  # good probes in a row...
    recover_hold_s: float = 10.0  # ...spanning at least this long before going back
    flap_window_s: float = 60.0  # each failure in this window doubles the hold (up to x8)
    reuse_s: float = 1.0  # a network checked this recently serves a new process as it is
    # Reconnecting the push socket (full jitter, panel.device.backoff): the n-th failure in a
    # row waits up to min(cap, base * 2**n); a connection up for `reconnect_stable_s` resets
    # it. Tens of seconds at the cap: a fleet that lost its server must not storm it.
    reconnect_base_s: float = 0.5
    reconnect_cap_s: float = 30.0
    reconnect_stable_s: float = 30.0

    def __post_init__(self) -> None:
        for what in (
            "stagger_s",
            "heartbeat_s",
            "probe_interval_s",
            "recover_hold_s",
            "reconnect_base_s",
            "reconnect_cap_s",
        ):
            if not getattr(self, what) > 0:
                raise ValueError(f"failover policy: {what} must be > 0")
        if self.recover_probes < 1:
            raise ValueError("failover policy: recover_probes must be >= 1")
        if self.flap_window_s < 0 or self.reuse_s < 0:
            raise ValueError("failover policy: flap_window_s and reuse_s must be >= 0")


# ---- what observers see -------------------------------------------------------------------


class NetworkState(enum.Enum):
    """What the device knows of one network's path to the server."""

    UNKNOWN = "unknown"  # not tried yet
    REACHABLE = "reachable"  # its last check or use got through
    UNREACHABLE = "unreachable"  # its last check or use failed
    RECOVERING = "recovering"  # failed before, probes get through again (hysteresis running)


@dataclass(frozen=True, slots=True)
class NetworkStatus:
    """One network as the status bar and the QA dock show it (`Device.networks`)."""

    name: str
    state: NetworkState
    active: bool
    latency_ms: float | None = None  # of its last good check or probe
    error: str = ""  # why it last failed


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try of one network in a reachability check."""

    network: str
    stage: str  # "token": asking for the token; "check": presenting it
    outcome: str  # "ok", "refused", "reset", "timeout", "too-slow", "failed", "cancelled"
    ms: float


@dataclass(frozen=True, slots=True)
class ReachOutcome:
    """One reachability check: the token, every attempt, and the network that got through
    (None when none did). The subject of EventKind.NETWORK_REACH."""

    process: str
    token: str
    network: str | None
    attempts: tuple[Attempt, ...]
    ms: float
    error: str = ""


# ---- one network ----------------------------------------------------------------------------


@dataclass
class Exchange(Generic[T]):
    value: T
    status: int
    ms: float  # from the request sent to the reply read (connection set-up excluded)


class _Deadline:
    """asyncio's time-out scope, expired by a timer on the device clock; it can be moved."""

    def __init__(self, clock: Clock, scope: asyncio.Timeout) -> None:
        self._clock = clock
        self._scope = scope
        self._timer: Timer | None = None
        self.when = 0.0  # device time

    def at(self, when: float) -> None:
        self.cancel()
        self.when = when
        self._timer = self._clock.call_later(when - self._clock.monotonic(), self._expire)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self) -> None:
        self._timer = None
        if not self._scope.expired():
            self._scope.reschedule(asyncio.get_running_loop().time())  # time-out now


class _Sent:
    """Per exchange over a route: where it is on the wire, and its deadline. Connecting has
    the network's connect timeout; once the request went out, with a budget, the deadline
    moves to sent + budget. The route counts what is on its wire (`Route.sending`/`awaiting`)."""

    def __init__(self, route: Route, deadline: _Deadline, budget_s: float | None) -> None:
        self.route = route
        self.deadline = deadline
        self.budget_s = budget_s
        self.limit = deadline.when  # the whole exchange's
        self.at: float | None = None
        route.sending += 1

    def connecting(self) -> None:
        if self.at is None:
            connect = self.route.clock.monotonic() + self.route.settings.connect_timeout_s
            self.deadline.at(min(self.limit, connect))

    def connected(self) -> None:
        if self.at is None:
            self.deadline.at(self.limit)

    def mark(self) -> None:
        if self.at is not None:
            return
        self.at = self.route.clock.monotonic()
        self.route.sending -= 1
        self.route.awaiting += 1
        if self.budget_s is not None:
            self.deadline.at(self.at + self.budget_s)

    def done(self) -> None:
        self.deadline.cancel()
        if self.at is None:
            self.route.sending -= 1
        else:
            self.route.awaiting -= 1


def _sent_of(ctx: Any) -> _Sent | None:
    sent = ctx.trace_request_ctx
    return sent if isinstance(sent, _Sent) else None


async def _on_headers_sent(_: Any, ctx: Any, __: Any) -> None:
    if (sent := _sent_of(ctx)) is not None:
        sent.mark()


async def _on_connection_create_start(_: Any, ctx: Any, __: Any) -> None:
    if (sent := _sent_of(ctx)) is not None:
        sent.connecting()


async def _on_connection_create_end(_: Any, ctx: Any, __: Any) -> None:
    if (sent := _sent_of(ctx)) is not None:
        sent.connected()


@contextlib.asynccontextmanager
async def _exchange(route: Route, limit_s: float, budget_s: float | None) -> AsyncIterator[_Sent]:
    """One exchange over `route`, ended (TimeoutError) by the device clock."""
    async with asyncio.timeout(None) as scope:
        deadline = _Deadline(route.clock, scope)
        deadline.at(route.clock.monotonic() + limit_s)
        sent = _Sent(route, deadline, budget_s)
        try:
            yield sent
        finally:
            sent.done()


class Route:
    """One network: its settings, its own HTTP session, and what the device learnt of it."""

    def __init__(
        self,
        settings: NetworkSettings,
        rank: int,
        authorization: str,
        call_timeout_s: float,
        clock: Clock,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.name = settings.name
        self.rank = rank  # 0 is the preferred network
        self.base_url = settings.server_url.rstrip("/")
        self.state = NetworkState.UNKNOWN
        self.latency_ms: float | None = None
        self.error = ""
        self.verified_at: float | None = None  # device time of its last passed token check
        self.good_since: float | None = None  # first of the good probes in a row
        self.good_probes = 0
        self._failures: deque[float] = deque()  # device times it became unreachable
        # On the wire now: exchanges not yet sent, and sent ones (pings included) whose answer
        # is not in. A test steps a manual clock only while no working network has any.
        self.sending = 0
        self.awaiting = 0
        self._authorization = authorization
        self._call_timeout_s = call_timeout_s
        self._session: aiohttp.ClientSession | None = None
        self._retired: list[aiohttp.ClientSession] = []  # old credentials' sessions
        self.sockets: set[Socket] = set()  # open over this network now (see `carries_live`)

    # -- the session ----------------------------------------------------------------------------
    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            import aiohttp

            tracer = aiohttp.TraceConfig()
            tracer.on_request_headers_sent.append(_on_headers_sent)
            tracer.on_connection_create_start.append(_on_connection_create_start)
            tracer.on_connection_create_end.append(_on_connection_create_end)
            self._session = aiohttp.ClientSession(
                headers={"Authorization": self._authorization},
                connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_CONNECTION_S),
                # No time-outs of aiohttp's own (loop time): each exchange has its deadline
                # on the device clock (`_exchange`).
                timeout=aiohttp.ClientTimeout(),
                trace_configs=[tracer],
            )
        return self._session

    def set_authorization(self, authorization: str) -> None:
        """New credentials: the next request makes a session that carries them."""
        self._authorization = authorization
        if self._session is not None:
            self._retired.append(self._session)  # closed with the route: no task of its own
            self._session = None

    async def close(self) -> None:
        retired, self._retired = self._retired, []
        if self._session is not None:
            retired.append(self._session)
            self._session = None
        for session in retired:
            await session.close()

    def url(self, path: str) -> str:
        return f"{self.base_url}{API}{path}"

    # -- one exchange -------------------------------------------------------------------------
    async def request(
        self,
        method: str,
        path: str,
        reply: type[T],
        body: Any = None,
        budget_s: float | None = None,
    ) -> Exchange[T]:
        """One REST exchange over this network, decoded as `reply`. With `budget_s`, a reply
        later than that after the request went out is a failure ("too-slow")."""
        import aiohttp

        data = body if isinstance(body, bytes) else encode_body(body) if body is not None else None
        limit = self._call_timeout_s
        if budget_s is not None:
            limit = self.settings.connect_timeout_s + budget_s
        sent: _Sent | None = None
        try:
            async with (
                _exchange(self, limit, budget_s) as sent,
                self.session.request(
                    method,
                    self.url(path),
                    data=data,
                    headers={"Content-Type": "application/json"},
                    trace_request_ctx=sent,
                ) as resp,
            ):
                raw = await resp.read()
                status = resp.status
        except aiohttp.ClientConnectorError as exc:
            raise self._unreachable(method, path, "refused", exc, sent=False) from exc
        except TimeoutError as exc:
            was_sent = sent is not None and sent.at is not None
            kind = "too-slow" if was_sent and budget_s is not None else "timeout"
            raise self._unreachable(method, path, kind, exc, sent=was_sent) from exc
        except (aiohttp.ClientError, OSError) as exc:
            reset = isinstance(exc, ConnectionResetError | aiohttp.ServerDisconnectedError) or (
                isinstance(exc, OSError) and exc.errno in (errno.ECONNRESET, errno.EPIPE)
            )
            was_sent = sent is None or sent.at is not None
            kind = "reset" if reset else "failed"
            raise self._unreachable(method, path, kind, exc, was_sent) from exc
        now = self.clock.monotonic()
        ms = round((now - (sent.at if sent.at is not None else now)) * 1000, 2)
        if status >= 400:
            try:
                err = decode_body(ErrorReply, raw)
            except ProtocolError:
                err = ErrorReply("http_error", raw[:200].decode(errors="replace"))
            raise ServerRefused(status, err.error, err.message, err)
        try:
            return Exchange(decode_body(reply, raw, limit=16 * 1024 * 1024), status, ms)
        except ProtocolError as exc:
            raise ServerRefused(status, exc.code, f"malformed reply: {exc.message}") from exc

    def exchange(self) -> contextlib.AbstractAsyncContextManager[_Sent]:
        """One exchange over this network that is no REST request (a request on its push
        socket, `mark`ed once sent): a REST call's time-out on the device clock (TimeoutError),
        counted on the wire as a REST call is."""
        return _exchange(self, self._call_timeout_s, None)

    async def open_socket(self, path: str, heartbeat_s: float, max_frame_bytes: int) -> Socket:
        """A WebSocket to `path` over this network: its handshake bounded by the call time-out,
        its heartbeat on the device clock (see `Socket`), frames bounded by `max_frame_bytes`.
        Raises what aiohttp raises, or TimeoutError."""
        import aiohttp

        async with _exchange(self, self._call_timeout_s, None) as sent:
            sent.mark()  # aiohttp tells no hook when a handshake went out: count it as sent
            ws = await self.session.ws_connect(
                self.url(path),
                autoping=False,  # a pong is the heartbeat's answer: Socket reads it
                max_msg_size=max_frame_bytes,
                timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=None),
            )
        return Socket(ws, self, heartbeat_s)

    def _unreachable(
        self, method: str, path: str, kind: str, exc: BaseException, sent: bool
    ) -> ServerUnreachable:
        detail = str(exc) or type(exc).__name__
        return ServerUnreachable(
            f"{method} {path} over {self.name}: {kind}: {detail}", self.name, kind, sent
        )

    # -- what the device learnt -----------------------------------------------------------------
    def carries_live(self) -> bool:
        """A socket over this network is open and has no ping waiting for its answer: the
        server is answering over it now."""
        return any(s.live for s in self.sockets)

    def status(self, active: bool) -> NetworkStatus:
        return NetworkStatus(self.name, self.state, active, self.latency_ms, self.error)

    def reached(self, ms: float, now: float, verified: bool) -> NetworkState:
        """It got through (a check it won, or a use); returns the state it had."""
        previous = self.state
        self.state, self.error, self.latency_ms = NetworkState.REACHABLE, "", ms
        self.good_since, self.good_probes = None, 0
        if verified:
            self.verified_at = now
        return previous

    def failed(self, error: str, now: float) -> NetworkState:
        """It failed (a check or a use); a network that was working counts a flap."""
        previous = self.state
        if previous is not NetworkState.UNREACHABLE:
            self._failures.append(now)
        self.state, self.error = NetworkState.UNREACHABLE, error
        self.verified_at, self.good_since, self.good_probes = None, None, 0
        return previous

    def probed(self, ms: float, now: float) -> NetworkState:
        """A good probe while another network is in use: the hold starts or goes on."""
        previous = self.state
        if previous is not NetworkState.RECOVERING:
            self.state, self.good_since, self.good_probes = NetworkState.RECOVERING, now, 0
        self.good_probes += 1
        self.latency_ms, self.error = ms, ""
        return previous

    def hold_s(self, policy: FailoverPolicy, now: float) -> float:
        """How long probes must keep getting through before this network is used again."""
        while self._failures and self._failures[0] < now - policy.flap_window_s:
            self._failures.popleft()
        return policy.recover_hold_s * 2.0 ** min(3, max(0, len(self._failures) - 1))

    def ready_to_return(self, policy: FailoverPolicy, now: float) -> bool:
        return (
            self.state is NetworkState.RECOVERING
            and self.good_since is not None
            and self.good_probes >= policy.recover_probes
            and now - self.good_since >= self.hold_s(policy, now)
        )


class Socket:
    """A WebSocket over one route with a heartbeat on the device clock: after `heartbeat_s`
    without a frame it pings, and a link is dead (DeadLink) only after several unanswered
    pings, so a stall of a few seconds is no dead link (the rule and why:
    panel.protocol.liveness). aiohttp's own heartbeat runs on loop time, which a test cannot
    step."""

    def __init__(
        self, ws: aiohttp.ClientWebSocketResponse, route: Route, heartbeat_s: float
    ) -> None:
        self.ws = ws
        self.route = route
        self.heartbeat_s = heartbeat_s
        self.unanswered = 0  # pings sent since the last frame (a live socket has none)
        route.sockets.add(self)

    @property
    def live(self) -> bool:
        return not self.ws.closed and self.unanswered == 0

    @property
    def close_code(self) -> int | None:
        return self.ws.close_code

    async def send_str(self, data: str) -> None:
        await self.ws.send_str(data)

    async def receive(self) -> aiohttp.WSMessage:
        """The next frame that is not a ping or a pong (a server's ping is answered here)."""
        import aiohttp

        clock = self.route.clock
        unanswered = self.unanswered = 0  # on the wire until an answer comes
        try:
            while True:
                try:
                    async with clock.timeout(
                        liveness.ping_interval_s(self.heartbeat_s, unanswered)
                    ):
                        msg = await self.ws.receive()
                except TimeoutError:
                    if unanswered >= liveness.PINGS_BEFORE_DEAD:
                        raise DeadLink(
                            f"no answer to {unanswered} pings in"
                            f" {liveness.dead_after_s(self.heartbeat_s):g} s"
                        ) from None
                    if unanswered == 0:
                        self.route.awaiting += 1
                    unanswered = self.unanswered = unanswered + 1
                    await self.ws.ping()
                    continue
                if unanswered:
                    self.route.awaiting -= 1
                    unanswered = self.unanswered = 0
                if msg.type is aiohttp.WSMsgType.PING:
                    await self.ws.pong(msg.data)
                elif msg.type is not aiohttp.WSMsgType.PONG:
                    return msg
        finally:
            if unanswered:
                self.route.awaiting -= 1
            if self.ws.closed:
                self.route.sockets.discard(self)

    async def close(self) -> None:
        """Close; a peer that does not answer the close within a second (or half a
        heartbeat) is cut off (the wait is cancelled: aiohttp then drops the connection)."""
        self.route.sockets.discard(self)
        with contextlib.suppress(TimeoutError):
            async with self.route.clock.timeout(min(1.0, self.heartbeat_s / 2)):
                await self.ws.close()


# ---- the staggered race ---------------------------------------------------------------------


class AllFailed(Exception):
    """Every candidate of a staggered race failed; `failures` in the order they failed."""

    def __init__(self, failures: list[tuple[Any, BaseException]]) -> None:
        super().__init__("; ".join(f"{c}: {exc}" for c, exc in failures) or "no candidate")
        self.failures = failures


async def staggered_race(
    candidates: Sequence[C],
    attempt: Callable[[C], Awaitable[T]],
    head_start: Callable[[C], float],
    clock: Clock,
    fatal: Callable[[BaseException], bool] = lambda _: False,
) -> tuple[C, T]:
    """Happy Eyeballs (RFC 8305 §5): start the candidates in order, the next one when the
    last started has had its `head_start` (device time) without an answer, or at once when
    an attempt fails. The first success wins and every other attempt is cancelled. An
    exception for which `fatal` is true ends the race with it; AllFailed when every attempt
    failed. The attempts are this call's own: they end (cancelled if need be) before it
    returns."""
    waiting = list(candidates)
    running: dict[asyncio.Task[T], C] = {}
    failures: list[tuple[C, BaseException]] = []
    next_start = clock.monotonic()
    try:
        while waiting or running:
            if waiting and (not running or clock.monotonic() >= next_start):
                candidate = waiting.pop(0)
                running[asyncio.ensure_future(attempt(candidate))] = candidate
                next_start = clock.monotonic() + head_start(candidate)
                continue
            stagger = next_start - clock.monotonic() if waiting else None
            try:
                async with clock.timeout(stagger):  # the next one's head start is over
                    done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            except TimeoutError:
                continue
            for task in done:
                candidate = running.pop(task)
                exc = task.exception()
                if exc is None:
                    return candidate, task.result()
                if fatal(exc):
                    raise exc
                failures.append((candidate, exc))
                next_start = clock.monotonic()  # a failure starts the next attempt at once
        raise AllFailed(failures)
    finally:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)


# ---- the manager ------------------------------------------------------------------------------


@dataclass
class _Race:
    """One reachability check in progress: its attempts, for the outcome and the trace."""

    process: str
    started: float
    attempts: list[Attempt] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # networks that failed in this check


class NetworkManager:
    """The device's networks in order of preference, the one in use (`active`), and moves."""

    def __init__(
        self,
        networks: Sequence[NetworkSettings],
        policy: FailoverPolicy,
        events: EventBus,
        trace: Trace,
        authorization: str,
        call_timeout_s: float,
        clock: Clock,
    ) -> None:
        check_networks(networks)
        if not networks:
            raise ValueError("a device needs at least one network")
        self.policy = policy
        self.clock = clock
        self.routes = [
            Route(settings, rank, authorization, call_timeout_s, clock)
            for rank, settings in enumerate(networks)
        ]
        self.active: Route | None = None
        self.disabled: list[Route] = []  # turned off in Settings (`set_order`): never tried
        self.last_reach: ReachOutcome | None = None
        self._events = events
        self._trace = trace
        self._owner = TaskOwner("networks", clock, trace)
        self._establishing: asyncio.Task[Route | Exception] | None = None
        self._prober: asyncio.Task[None] | None = None
        self._closed = False

    # -- what views read ------------------------------------------------------------------------
    @property
    def statuses(self) -> list[NetworkStatus]:
        """Every network, in order of preference."""
        return [route.status(route is self.active) for route in self.routes]

    @property
    def preferred(self) -> Route:
        """The network to use now: the active one, else the first."""
        return self.active or self.routes[0]

    @property
    def names(self) -> list[str]:
        """Every network of the device, the disabled ones last."""
        return [route.name for route in (*self.routes, *self.disabled)]

    def set_order(self, order: Sequence[str], enabled: Collection[str]) -> None:
        """The administrator's order of preference and choice of networks (Settings), from
        now on: a better network than the one in use is probed and returned to as after a
        failover; leaving the network in use (disabled) moves the device off it at once."""
        every = {route.name: route for route in (*self.routes, *self.disabled)}
        if sorted(order) != sorted(every) or not set(enabled) & set(order):
            raise ValueError(f"an order of {sorted(every)} with one enabled, not {order}")
        self.routes = [every[name] for name in order if name in enabled]
        self.disabled = [every[name] for name in order if name not in enabled]
        for rank, route in enumerate(self.routes):
            route.rank = rank
        self._trace.emit(
            "networks", "order", order=list(order), disabled=[r.name for r in self.disabled]
        )
        active = self.active
        if active is not None and active in self.disabled:
            self._set_active(None)
            for socket in list(active.sockets):
                _ = self._owner.spawn(socket.close(), "close a disabled network's socket")
        elif active is not None and (active.rank > 0 or self._down_behind()):
            self._start_prober()

    def set_authorization(self, authorization: str) -> None:
        for route in (*self.routes, *self.disabled):
            route.set_authorization(authorization)

    def on_wire(self, quiet: Sequence[str] = ()) -> int:
        """Exchanges on the wire now: every one not yet sent, and those sent and not yet
        answered except over the networks named in `quiet` (a test's faulted ones, which
        answer only when the device's clock says they are too late)."""
        return sum(r.sending + (0 if r.name in quiet else r.awaiting) for r in self.routes)

    async def close(self) -> None:
        """Cancel and await every check, probe and re-check; close every session."""
        self._closed = True
        await self._owner.close()
        for route in (*self.routes, *self.disabled):
            route.sockets.clear()
            await route.close()

    # -- a process is requested -------------------------------------------------------------------
    async def current(self, process: str) -> Route:
        """The active network, or one established for `process` when there is none."""
        if self.active is not None:
            return self.active
        return await self.establish(process)

    async def establish(self, process: str) -> Route:
        """A network that reaches the server now, checked with a fresh token (or the active
        one, checked less than `reuse_s` ago, or proven by a live socket: `_proven`).
        Concurrent callers share one check.

        Raises ServerUnreachable when no network gets through, ServerRefused when the server
        refuses the device (its credentials)."""
        active = self.active
        now = self.clock.monotonic()
        if active is not None and (
            (active.verified_at is not None and now - active.verified_at < self.policy.reuse_s)
            or self._proven(active)
        ):
            return active
        if active is None and self._trusts_sockets():
            # Nothing checked yet (or the last check failed): the request itself, or the
            # socket's handshake and the server's welcome (`verified`), is the check.
            return self.routes[0]
        return await self._single_flight(lambda: self._check(process, self._order()))

    def _trusts_sockets(self) -> bool:
        """A device with one network has nothing to choose between: a token check says no
        more than the request itself, and costs the server two requests (when 5,000 devices
        start, or come back after a stall, most of its work: issue 12). Such a device lets
        a socket the server answers stand for the check, and sends a request unchecked while
        it has no network in use (a failure is noted as a failed check's would be). With
        several networks the check chooses between them within the stagger, so it stays.
        `reuse_s` 0 asks for a token for every process (tests that follow tokens)."""
        return len(self.routes) == 1 and self.policy.reuse_s > 0

    def _proven(self, route: Route) -> bool:
        """`route` was checked (by a token or a welcome), has not failed since, and carries a
        socket the server answers now (see `_trusts_sockets`)."""
        return (
            self._trusts_sockets()
            and route.state is NetworkState.REACHABLE
            and route.verified_at is not None
            and route.carries_live()
        )

    async def _single_flight(self, check: Callable[[], Awaitable[Route]]) -> Route:
        if self._closed:
            raise ServerUnreachable("the device is stopping", kind="none", sent=False)
        task = self._establishing
        if task is None or task.done():
            task = self._establishing = self._owner.spawn(_outcome(check()), "check")
        result = await asyncio.shield(task)  # a caller that gives up leaves it to the others
        if isinstance(result, Exception):
            raise result
        return result

    def _order(self) -> list[Route]:
        """Preference order, networks known to fail (or still on hold) after the others."""
        settled = (NetworkState.REACHABLE, NetworkState.UNKNOWN)
        return sorted(self.routes, key=lambda r: (r.state not in settled, r.rank))

    async def _check(self, process: str, order: list[Route], returning: bool = False) -> Route:
        """Ask for a token, then present it over `order`; the winner becomes the active
        network. A failed return to a better network leaves the active one as it is."""
        race = _Race(process, self.clock.monotonic())
        token = ""
        try:
            _, issued = await self._race(
                race,
                "token",
                order,
                lambda r: r.request(
                    "POST", "/reach", ReachToken, ReachRequest(process, r.name), self._budget(r)
                ),
            )
            token = issued.value.token
            winner, _ = await self._race(
                race,
                "check",
                order,
                lambda r: r.request(
                    "POST", "/reach/check", ReachConfirm, ReachCheck(token, r.name), self._budget(r)
                ),
            )
        except AllFailed as exc:
            error = "; ".join(f"{c.name}: {e}" for c, e in exc.failures)
            self._finish(race, token, None, error)
            if not returning:
                self._set_active(None)
            raise ServerUnreachable(
                f"no network reaches the server ({error})", kind="none", sent=False
            ) from exc
        except ServerRefused as exc:
            self._finish(race, token, None, str(exc))
            raise
        self._finish(race, token, winner.name)
        self._set_active(winner)
        return winner

    @staticmethod
    def _budget(route: Route) -> float:
        return route.settings.latency_budget_s

    async def _race(
        self,
        race: _Race,
        stage: str,
        order: list[Route],
        exchange: Callable[[Route], Awaitable[Exchange[T]]],
    ) -> tuple[Route, Exchange[T]]:
        clock = self.clock
        failed_here: set[str] = set()

        async def attempt(route: Route) -> Exchange[T]:
            started = clock.monotonic()
            outcome = "cancelled"
            try:
                result = await exchange(route)
                outcome = "ok"
                self._reached(route, result.ms, verified=stage == "check")
                return result
            except ServerUnreachable as exc:
                outcome = exc.kind
                race.failed.add(route.name)
                failed_here.add(route.name)
                self._failed(route, str(exc))
                raise
            except ServerRefused:
                outcome = "refused-by-server"
                raise
            finally:
                ms = round((clock.monotonic() - started) * 1000, 2)
                race.attempts.append(Attempt(route.name, stage, outcome, ms))
                self._trace.emit(
                    "networks",
                    "attempt",
                    process=race.process,
                    stage=stage,
                    network=route.name,
                    outcome=outcome,
                    ms=ms,
                )

        def head_start(route: Route) -> float:
            # A network that failed or was overtaken earlier in this check gets no head start.
            return 0.0 if route.name in race.failed else self.policy.stagger_s

        winner, result = await staggered_race(
            order, attempt, head_start, clock, lambda exc: isinstance(exc, ServerRefused)
        )
        # Better networks still silent when a worse one answered were left behind by the
        # stagger. At the check, that decides: they are not usable now.
        for route in order[: order.index(winner)]:
            if route.name not in failed_here:
                race.failed.add(route.name)
                if stage == "check":
                    stagger_ms = round(self.policy.stagger_s * 1000)
                    self._failed(
                        route, f"no answer within {stagger_ms} ms; {winner.name} answered first"
                    )
        return winner, result

    def _finish(self, race: _Race, token: str, network: str | None, error: str = "") -> None:
        ms = round((self.clock.monotonic() - race.started) * 1000, 2)
        outcome = ReachOutcome(race.process, token, network, tuple(race.attempts), ms, error)
        self.last_reach = outcome
        self._trace.emit(
            "networks",
            "reach",
            process=race.process,
            token=token[:8],
            network=network,
            ms=ms,
            error=error,
        )
        self._events.publish(Event(EventKind.NETWORK_REACH, outcome))

    # -- what use of a network tells -------------------------------------------------------------
    def verified(self, route: Route) -> None:
        """The server answered a socket over `route` (the push welcome): it reaches the server
        as surely as a token check would say, with no request of its own (issue 12); with no
        network in use yet, it becomes the one."""
        self._reached(route, route.latency_ms or 0.0, verified=True)
        if self.active is None and not self._closed:
            self._set_active(route)

    def note_failure(self, route: Route, error: str) -> None:
        """A request or the push socket over `route` failed: if it is the network in use, check
        again now (for every process to come) instead of at the next process."""
        self._failed(route, error)
        if route is self.active and not self._closed:
            _ = self._owner.spawn(self._recheck(), "recheck")

    async def _recheck(self) -> None:
        with contextlib.suppress(ServerUnreachable, ServerRefused):
            await self.establish("recheck")

    def _reached(self, route: Route, ms: float, verified: bool) -> None:
        previous = route.reached(ms, self.clock.monotonic(), verified)
        if previous is not route.state:
            self._publish_state(route, previous)

    def _failed(self, route: Route, error: str) -> None:
        previous = route.failed(error, self.clock.monotonic())
        if previous is not route.state:
            self._publish_state(route, previous)
        if self._down_behind():
            self._start_prober()  # a failed network behind the one in use: probe it

    def _publish_state(self, route: Route, previous: NetworkState) -> None:
        self._trace.emit(
            "networks",
            "state",
            network=route.name,
            state=route.state.value,
            previous=previous.value,
            error=route.error,
        )
        self._events.publish(
            Event(
                EventKind.NETWORK_STATE_CHANGED,
                route.status(route is self.active),
                {"previous": previous},
            )
        )

    def _set_active(self, route: Route | None) -> None:
        previous = self.active
        if route is previous:
            return
        self.active = route
        if route is None:
            reason = "unreachable"
        elif previous is None:
            reason = "connected"
        else:
            reason = "failover" if route.rank > previous.rank else "recovered"
        self._trace.emit(
            "networks",
            "active",
            network=route.name if route else None,
            previous=previous.name if previous else None,
            reason=reason,
        )
        subject = route.status(True) if route is not None else None
        self._events.publish(
            Event(
                EventKind.NETWORK_CHANGED,
                subject,
                {"previous": previous.name if previous else None, "reason": reason},
            )
        )
        if route is not None and (route.rank > 0 or self._down_behind()):
            self._start_prober()

    # -- back to the preferred network -------------------------------------------------------------
    def _start_prober(self) -> None:
        if self._closed or (self._prober is not None and not self._prober.done()):
            return
        self._prober = self._owner.spawn(self._probe_better(), "probe better networks")

    def _down_behind(self) -> list[Route]:
        """Networks less preferred than the one in use that failed when last tried."""
        active = self.active
        if active is None:
            return []
        return [r for r in self.routes[active.rank + 1 :] if r.state is NetworkState.UNREACHABLE]

    async def _probe_better(self) -> None:
        """While a less preferred network is in use, probe the better ones; go back to one
        once it has been good for its hold. Also probe a failed network behind the one in use
        until it answers again: no check tries it while a better one works, so without a probe
        its failure would show (status bar, QA dock) long after it recovered."""
        clock = self.clock
        while self.active is not None and (self.active.rank > 0 or self._down_behind()):
            interval = self.policy.probe_interval_s
            await clock.sleep(random.uniform(0.5 * interval, 1.5 * interval))
            active: Route | None = self.active  # it may have changed while we slept
            if active is None:
                return
            for route in self.routes[: active.rank]:
                try:
                    probe = await route.request("GET", "/health", Health, None, self._budget(route))
                except (ServerUnreachable, ServerRefused) as exc:
                    self._failed(route, str(exc))
                    continue
                if not self._fast_enough(route, probe.ms, active):
                    self._failed(route, f"too slow to win against {active.name}: {probe.ms} ms")
                    continue
                previous = route.probed(probe.ms, clock.monotonic())
                if previous is not route.state:
                    self._publish_state(route, previous)
                if route.ready_to_return(self.policy, clock.monotonic()):
                    await self._go_back(route)
                    break
            await self._probe_standby()

    async def _probe_standby(self) -> None:
        """One probe of each failed network behind the one in use: an answer within its
        budget makes it reachable again (it is not used for that: the better one stays)."""
        for route in self._down_behind():
            try:
                probe = await route.request("GET", "/health", Health, None, self._budget(route))
            except (ServerUnreachable, ServerRefused) as exc:
                self._failed(route, str(exc))
                continue
            self._reached(route, probe.ms, verified=False)

    def _fast_enough(self, route: Route, ms: float, active: Route) -> bool:
        """A probe counts only if this network would win a check against the one in use (it
        answers within the stagger of that one's answer): else going back would only be
        followed by failing over again at the next check."""
        beaten_by = (active.latency_ms or 0.0) + self.policy.stagger_s * 1000
        return ms <= min(route.settings.latency_budget_s * 1000, beaten_by)

    async def _go_back(self, route: Route) -> None:
        if self._establishing is not None and not self._establishing.done():
            return  # a check is running; the next probe round tries again
        self._trace.emit(
            "networks",
            "returning",
            network=route.name,
            hold_s=route.hold_s(self.policy, self.clock.monotonic()),
        )
        # Not shared with processes: they must not wait on a check of this network alone.
        with contextlib.suppress(ServerUnreachable, ServerRefused):
            await self._check("return", [route], returning=True)


async def _outcome(check: Awaitable[Route]) -> Route | Exception:
    """A shared check's result for every caller: its expected failures are results, not
    failures of background work (its owner reports only the unexpected)."""
    try:
        return await check
    except (ServerUnreachable, ServerRefused) as exc:
        return exc


def check_networks(networks: Sequence[NetworkSettings]) -> None:
    """ValueError unless the networks can be told apart by name (events and traces use it)."""
    names = [n.name for n in networks]
    if len(set(names)) != len(names):
        raise ValueError(f"network names must differ: {names}")


def single_network(server_url: str, call_timeout_s: float = 5.0) -> NetworkSettings:
    """The one network of a device configured with a server URL only."""
    return NetworkSettings(DEFAULT_NETWORK, server_url, call_timeout_s, call_timeout_s)
