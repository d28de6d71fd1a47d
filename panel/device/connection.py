"""The device's link to the server: authenticated REST calls, the push socket, the link's state.

Every exchange goes through `call` so it is traced and its failures become one of two
exceptions the rest of the core understands: the server is unreachable, or it refused.

aiohttp is imported on first use, not with this module: it costs ~0.25 s to import (its
connector builds an SSL context), and the panel paints its first screen before it connects.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any, TypeVar

from panel.device.events import Event, EventBus, EventKind
from panel.device.model import ConnectionState
from panel.protocol import PROTOCOL_VERSION, ProtocolError, decode_body, encode_body
from panel.protocol.messages import ErrorReply
from panel.trace import Trace

if TYPE_CHECKING:
    import aiohttp

T = TypeVar("T")

API = f"/api/v{PROTOCOL_VERSION}"


class ServerUnreachable(Exception):
    """No answer from the server (refused, timed out, dropped): worth retrying later."""


class ServerRefused(Exception):
    """The server answered and said no; retrying the same request will not help."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def device_token(device_id: str, secret: str) -> str:
    """The bearer token a device presents: its id and its secret."""
    return f"{device_id}.{secret}"


class ServerLink:
    """One aiohttp session to the server, used by every concern of one device."""

    def __init__(
        self,
        events: EventBus,
        trace: Trace,
        base_url: str,
        device_id: str,
        secret: str,
        timeout_s: float = 5.0,
    ) -> None:
        self._events = events
        self._trace = trace
        self.base_url = base_url.rstrip("/")
        self._token = device_token(device_id, secret)
        self._timeout_s = timeout_s
        self._session: aiohttp.ClientSession | None = None
        self._closing: asyncio.Future[None] | None = None
        self.state = ConnectionState.OFFLINE

    def set_credentials(self, device_id: str, secret: str) -> None:
        """The identity to present from now on (see Device.identify)."""
        self._token = device_token(device_id, secret)
        if self._session is not None:  # it carries the old header: make the next one anew
            session, self._session = self._session, None
            self._closing = asyncio.ensure_future(session.close())

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            import aiohttp

            timeout = aiohttp.ClientTimeout(total=self._timeout_s, sock_connect=self._timeout_s)
            headers = {"Authorization": f"Bearer {self._token}"}
            self._session = aiohttp.ClientSession(headers=headers, timeout=timeout)
        return self._session

    async def close(self) -> None:
        if self._closing is not None:
            await self._closing
        if self._session is not None:
            await self._session.close()
            self._session = None

    def set_state(self, state: ConnectionState) -> None:
        if state is not self.state:
            self.state = state
            self._trace.emit("connection", "state", state=state.value)
            self._events.publish(Event(EventKind.CONNECTION_CHANGED, state))

    async def call(self, method: str, path: str, reply: type[T], body: Any = None) -> T:
        """One REST exchange, decoded as `reply`. `body` is a message, or bytes already
        encoded (a large batch is encoded off the event loop by its sender)."""
        import aiohttp

        url = f"{self.base_url}{API}{path}"
        data = body if isinstance(body, bytes) else encode_body(body) if body is not None else None
        started = time.perf_counter()
        try:
            async with self.session.request(
                method, url, data=data, headers={"Content-Type": "application/json"}
            ) as resp:
                raw = await resp.read()
                status = resp.status
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            self._trace.emit("connection", "unreachable", method=method, path=path, error=str(exc))
            raise ServerUnreachable(f"{method} {path}: {str(exc) or type(exc).__name__}") from exc
        ms = round((time.perf_counter() - started) * 1000, 2)
        self._trace.emit("connection", "exchange", method=method, path=path, status=status, ms=ms)
        if status >= 400:
            try:
                err = decode_body(ErrorReply, raw)
            except ProtocolError:
                err = ErrorReply("http_error", raw[:200].decode(errors="replace"))
            raise ServerRefused(status, err.error, err.message)
        try:
            return decode_body(reply, raw, limit=16 * 1024 * 1024)
        except ProtocolError as exc:
            self._trace.emit("connection", "malformed-reply", path=path, error=exc.message)
            raise ServerRefused(status, exc.code, f"malformed reply: {exc.message}") from exc

    async def open_push(self) -> aiohttp.ClientWebSocketResponse:
        """The persistent push socket; heartbeats notice a silently dead link."""
        import aiohttp

        try:
            return await self.session.ws_connect(
                f"{self.base_url}{API}/push", heartbeat=10.0, autoping=True
            )
        except aiohttp.WSServerHandshakeError as exc:
            if exc.status in (401, 403):
                raise ServerRefused(exc.status, "unauthorized", exc.message) from exc
            raise ServerUnreachable(str(exc)) from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise ServerUnreachable(str(exc) or type(exc).__name__) from exc
