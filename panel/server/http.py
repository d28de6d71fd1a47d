"""The server's HTTP vocabulary, in one module every handler uses: JSON replies, refusals
(`ApiError` and its `ErrorReply`), request bodies read with a size limit, and upgrading a request
to a WebSocket.

It depends on nothing else in the server, so the relay and the REST API both build on it and
neither needs the other.
"""

from __future__ import annotations

from typing import Any, TypeVar

from aiohttp import web

from panel.protocol import decode_body, encode_body
from panel.protocol.codec import MAX_FRAME_BYTES
from panel.protocol.messages import ErrorReply

T = TypeVar("T")

MAX_BODY_BYTES = 48 * 1024 * 1024  # a 32 MiB document in base64, with room for the JSON around it
JSON = "application/json"


class ApiError(Exception):
    """A refusal: answered as `ErrorReply(code, message)` with HTTP `status`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> ErrorReply:
        """What the refusal says on the wire (a subclass may say more)."""
        return ErrorReply(self.code, self.message)

    def headers(self) -> dict[str, str]:
        """HTTP headers that go with the refusal (e.g. Retry-After)."""
        return {}


def reply(message: Any, status: int = 200) -> web.Response:
    """A protocol message (a dataclass of panel.protocol) as a JSON response."""
    return web.Response(status=status, body=encode_body(message), content_type=JSON)


def error_response(status: int, code: str, message: str) -> web.Response:
    return reply(ErrorReply(code, message), status)


async def read_body(request: web.Request, cls: type[T], limit: int = MAX_FRAME_BYTES) -> T:
    """The request's JSON body as `cls`, refused (ProtocolError) beyond `limit` bytes."""
    return decode_body(cls, await request.read(), limit=limit)


class WebSocket(web.WebSocketResponse):
    """aiohttp's server WebSocket, minus a leftover timer: aiohttp 3.14 re-arms the heartbeat
    when data arrives after the socket closed (its data callback does not look at `closed`),
    which leaves a timer that later pings a closed connection."""

    def _reset_heartbeat(self) -> None:
        if not self.closed:
            super()._reset_heartbeat()


# Set the moment a request is upgraded: from then on an error closes the socket instead of
# being answered in HTTP (see `errors.error_middleware`).
websocket_key = web.RequestKey("websocket", WebSocket)


async def open_websocket(
    request: web.Request, heartbeat_s: float, max_msg_size: int, compress: bool = True
) -> WebSocket:
    """Upgrade `request` to a WebSocket that pings every `heartbeat_s` (closing on no pong)."""
    ws = WebSocket(heartbeat=heartbeat_s, max_msg_size=max_msg_size, compress=compress)
    await ws.prepare(request)
    request[websocket_key] = ws
    return ws
