"""The device's link to the server as its concerns see it: authenticated REST calls, the push
socket, the link's state, over whichever network the connection manager has in use.

Every exchange goes through `call` so it is traced and its failures become one of two
exceptions the rest of the core understands: the server is unreachable, or it refused.
Which network carries it, and moving to another, is `networks` (panel/device/networks.py).

aiohttp is imported on first use, not with this module: it costs ~0.25 s to import (its
connector builds an SSL context), and the panel paints its first screen before it connects.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from panel.device.clock import Clock
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import ConnectionState
from panel.device.networks import (
    API,
    FailoverPolicy,
    NetworkManager,
    NetworkSettings,
    Route,
    ServerRefused,
    ServerUnreachable,
    Socket,
    single_network,
)
from panel.protocol.codec import MAX_FRAME_BYTES
from panel.protocol.messages import ErrorReply
from panel.trace import Trace

if TYPE_CHECKING:
    import aiohttp

T = TypeVar("T")

__all__ = [
    "API",
    "PROCESSES",
    "ServerLink",
    "ServerRefused",
    "ServerUnreachable",
    "device_token",
]

# Requests that start a process (S2): each gets a network checked with a fresh token first
# (one checked less than FailoverPolicy.reuse_s ago serves as it is). The push socket is one
# too ("push", see push.py). Other requests go over the network in use.
PROCESSES: dict[tuple[str, str], str] = {
    ("POST", "/sessions"): "login",
    ("POST", "/sessions/card"): "login",
    ("POST", "/outbox"): "outbox",
}


def device_token(device_id: str, secret: str) -> str:
    """The bearer token a device presents: its id and its secret."""
    return f"{device_id}.{secret}"


class ServerLink:
    """The server, reached over the networks of one device, used by every concern of it."""

    def __init__(
        self,
        events: EventBus,
        trace: Trace,
        base_url: str,
        device_id: str,
        secret: str,
        timeout_s: float = 5.0,
        networks: Sequence[NetworkSettings] = (),
        policy: FailoverPolicy | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._events = events
        self._trace = trace
        self.policy = policy or FailoverPolicy()
        self.clock = clock or Clock()  # the device's (a link on its own: real time)
        self.networks = NetworkManager(
            networks or [single_network(base_url, timeout_s)],
            self.policy,
            events,
            trace,
            f"Bearer {device_token(device_id, secret)}",
            timeout_s,
            self.clock,
        )
        self.state = ConnectionState.OFFLINE

    @property
    def base_url(self) -> str:
        """The server's URL through the network in use (the preferred one when none is)."""
        return self.networks.preferred.base_url

    @property
    def session(self) -> aiohttp.ClientSession:
        """The HTTP session of the network in use; it carries the device's credentials."""
        return self.networks.preferred.session

    def set_credentials(self, device_id: str, secret: str) -> None:
        """The identity to present from now on (see Device.identify)."""
        self.networks.set_authorization(f"Bearer {device_token(device_id, secret)}")

    async def close(self) -> None:
        await self.networks.close()

    def set_state(self, state: ConnectionState) -> None:
        if state is not self.state:
            self.state = state
            self._trace.emit("connection", "state", state=state.value)
            self._events.publish(Event(EventKind.CONNECTION_CHANGED, state))

    async def call(
        self, method: str, path: str, reply: type[T], body: Any = None, process: str = ""
    ) -> T:
        """One REST exchange, decoded as `reply`. `body` is a message, or bytes already
        encoded (a large batch is encoded off the event loop by its sender). A request that
        starts a process (`process`, or PROCESSES) goes over a network checked for it.

        A request that never left the device (its network refused the connection) is sent
        once more over the network the manager moves to; any other failure is raised."""
        process = process or PROCESSES.get((method, path), "")
        route = await self._route(process)
        try:
            return await self._exchange(route, method, path, reply, body)
        except ServerUnreachable as exc:
            if exc.sent:
                raise
            again = await self._route("resend")
            if again is route:
                raise
            return await self._exchange(again, method, path, reply, body)

    async def _route(self, process: str) -> Route:
        try:
            if process:
                return await self.networks.establish(process)
            return await self.networks.current("connect")
        except ServerUnreachable as exc:
            self._trace.emit("connection", "unreachable", process=process, error=str(exc))
            raise

    async def _exchange(self, route: Route, method: str, path: str, reply: type[T], body: Any) -> T:
        try:
            exchange = await route.request(method, path, reply, body)
        except ServerUnreachable as exc:
            self._trace.emit(
                "connection",
                "unreachable",
                method=method,
                path=path,
                network=route.name,
                error=str(exc),
            )
            self.networks.note_failure(route, str(exc))
            raise
        except ServerRefused as exc:
            self._trace.emit(
                "connection",
                "refused",
                method=method,
                path=path,
                network=route.name,
                status=exc.status,
                code=exc.code,
            )
            raise
        self._trace.emit(
            "connection",
            "exchange",
            method=method,
            path=path,
            status=exchange.status,
            ms=exchange.ms,
            network=route.name,
        )
        return exchange.value

    async def open_push(self, route: Route | None = None) -> Socket:
        """The persistent push socket over `route` (the network in use by default); its
        heartbeat (FailoverPolicy.heartbeat_s) notices a silently dead link."""
        return await self.open_socket("/push", self.policy.heartbeat_s, route)

    async def open_socket(
        self,
        path: str,
        heartbeat_s: float,
        route: Route | None = None,
        max_frame_bytes: int = MAX_FRAME_BYTES,
    ) -> Socket:
        """A WebSocket to `path` over `route` (the network in use by default), with a
        heartbeat on the device clock; a frame over `max_frame_bytes` (the protocol's frame limit
        by default) closes it (1009) before it is read into memory.
        ServerRefused when the server refuses the device, ServerUnreachable otherwise."""
        import aiohttp

        route = route or self.networks.preferred
        try:
            return await route.open_socket(path, heartbeat_s, max_frame_bytes)
        except aiohttp.WSServerHandshakeError as exc:
            if exc.status in (401, 403):
                raise ServerRefused(exc.status, "unauthorized", exc.message) from exc
            if exc.status in (429, 503):  # the server is there and asks us to come back later
                wait = retry_after_header(exc.headers.get("Retry-After") if exc.headers else None)
                reply = ErrorReply("busy", exc.message, retry_after_s=wait)
                raise ServerRefused(exc.status, "busy", exc.message, reply) from exc
            raise ServerUnreachable(str(exc), route.name) from exc
        except aiohttp.ClientConnectorError as exc:
            raise ServerUnreachable(str(exc), route.name, "refused", sent=False) from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise ServerUnreachable(str(exc) or type(exc).__name__, route.name) from exc


def retry_after_header(value: str | None) -> int | None:
    """Seconds from an HTTP Retry-After header in its delay form (RFC 9110), else None."""
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())
