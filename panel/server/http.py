"""The server's HTTP vocabulary, in one module every handler uses: JSON replies, refusals
(`ApiError` and its `ErrorReply`), request bodies read with a size limit, and upgrading a request
to a WebSocket.

It depends on nothing else in the server, so the relay and the REST API both build on it and
neither needs the other.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web

from panel.protocol import decode_body, encode_body
from panel.protocol.codec import MAX_FRAME_BYTES
from panel.protocol.maintenance import OperatorLoginRequest
from panel.protocol.messages import ErrorReply, LoginRequest, LogoutRequest, RegisterRequest
from panel.protocol.power import CardLoginRequest

T = TypeVar("T")

MAX_BODY_BYTES = 48 * 1024 * 1024  # a 32 MiB document in base64, with room for the JSON around it
# A login or a registration is an ID and a PIN, a password, a card or a name: well under 1 KB.
# These bodies are read while (or before) the caller is authenticated, so they stay this small
# whatever limit the handler asks for.
LOGIN_BODY_BYTES = 4 * 1024
SMALL_BODIES: dict[type, int] = dict.fromkeys(
    (LoginRequest, LogoutRequest, CardLoginRequest, OperatorLoginRequest, RegisterRequest),
    LOGIN_BODY_BYTES,
)
# Content-Encoding of request bodies read here: gzip or zlib ("deflate"), inflated in steps that
# never pass the endpoint's limit. Brotli and zstd are refused: not installed, and their windows
# (up to 16 MiB and more) would cost memory before a single byte is counted.
_INFLATE_WBITS = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": zlib.MAX_WBITS,
}
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
    """The request's JSON body as `cls`, refused (413) beyond `limit` bytes, or beyond
    `LOGIN_BODY_BYTES` for the login messages (`SMALL_BODIES`)."""
    limit = min(limit, SMALL_BODIES.get(cls, limit))
    return decode_body(cls, await read_bytes(request, limit), limit=limit)


def body_too_large(limit: int, size: int | None = None) -> ApiError:
    said = "" if size is None else f"; this one has {size}"
    return ApiError(413, "too_large", f"This request's body is at most {limit} bytes{said}.")


async def read_bytes(request: web.Request, limit: int) -> bytes:
    """The request's body, at most `limit` bytes once inflated.

    Refused (413) on its Content-Length before a byte is read, and as soon as it passes `limit`
    while reading: a compressed body is inflated here, in steps that never produce more than
    the bytes still allowed, so a small gzip that inflates to gigabytes costs `limit` bytes
    (aiohttp's own `request.read()` inflates up to `client_max_size` first and counts after).
    The server runs with aiohttp's decompression off (`app.start_server`); where it is on, the
    body arrives inflated and is only counted.
    """
    slot = request.get(preauth_key)
    if slot is not None:
        slot.check_may_wait()
    declared = request.content_length
    if declared is not None and declared > limit:
        raise body_too_large(limit, declared)
    inflater = _inflater(request)
    body = bytearray()
    async for chunk in request.content.iter_any():
        if inflater is None:
            body += chunk
        else:
            body += _inflate(inflater, chunk, limit + 1 - len(body))
        if len(body) > limit:
            raise body_too_large(limit)
    if inflater is not None and not inflater.eof:
        raise ApiError(400, "bad_encoding", "The compressed body ends before its stream does.")
    return bytes(body)


def _inflater(request: web.Request) -> Any:
    """A zlib decompressor for the body's Content-Encoding, None for an identity body (or
    one aiohttp already inflated); 415 for an encoding this server does not read."""
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return None
    wbits = _INFLATE_WBITS.get(encoding)
    if wbits is None:
        raise ApiError(
            415,
            "unsupported_encoding",
            f"Request bodies are sent as identity, gzip or deflate, not {encoding!r}.",
        )
    if getattr(request.content, "total_compressed_bytes", None) is not None:  # inflated already
        return None
    return zlib.decompressobj(wbits)


def _inflate(inflater: Any, chunk: bytes, budget: int) -> bytes:
    """At most `budget` bytes of what `chunk` inflates to (reaching it means: too large)."""
    if inflater.eof:
        if chunk:
            raise ApiError(400, "bad_encoding", "Bytes follow the end of the compressed body.")
        return b""
    try:
        out: bytes = inflater.decompress(chunk, budget)
    except zlib.error as exc:
        raise ApiError(400, "bad_encoding", f"The compressed body is corrupt: {exc}.") from None
    if inflater.eof and inflater.unused_data:
        raise ApiError(400, "bad_encoding", "Bytes follow the end of the compressed body.")
    return out


class WebSocket(web.WebSocketResponse):
    """aiohttp's server WebSocket, minus a leftover timer: aiohttp 3.14 re-arms the heartbeat
    when data arrives after the socket closed (its data callback does not look at `closed`),
    which leaves a timer that later pings a closed connection."""

    def _reset_heartbeat(self) -> None:
        if not self.closed:
            super()._reset_heartbeat()


class Busy(ApiError):
    """503: too many requests are waiting to be authenticated; Retry-After says when to retry."""

    def __init__(self, retry_after_s: int) -> None:
        message = f"The server is busy; try again in {retry_after_s} seconds."
        super().__init__(503, "busy", message)
        self.retry_after_s = retry_after_s

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_s)}


class PreAuthSlot:
    """A request's place among those not yet authenticated (see `edge.PreAuthGate`), given back
    once: when the caller is authenticated or the request ends, whichever comes first.

    A request let in beyond the cap because it carries a bearer token (checked at once, with
    no wait) holds no place (`leave` None): until its caller is known it may not wait for
    anything, such as its body (`check_may_wait`: 503)."""

    __slots__ = ("_leave", "authenticated", "over_cap", "retry_after_s")  # one a push socket

    def __init__(self, leave: Callable[[], None] | None, retry_after_s: int) -> None:
        self._leave = leave
        self.over_cap = leave is None
        self.retry_after_s = retry_after_s
        self.authenticated = False

    def release(self) -> None:
        if self._leave is not None:
            leave, self._leave = self._leave, None
            leave()

    def check_may_wait(self) -> None:
        if self.over_cap and not self.authenticated:
            raise Busy(self.retry_after_s)


preauth_key = web.RequestKey("preauth", PreAuthSlot)


def mark_authenticated(request: web.Request) -> None:
    """The caller is known: its request no longer counts against the cap on unauthenticated
    requests (a device's push socket then stays open for hours without holding a place)."""
    slot = request.get(preauth_key)
    if slot is not None:
        slot.authenticated = True
        slot.release()


# Set the moment a request is upgraded: from then on an error closes the socket instead of
# being answered in HTTP (see `errors.answer_error`).
websocket_key = web.RequestKey("websocket", WebSocket)


async def open_websocket(
    request: web.Request, heartbeat_s: float, max_msg_size: int, compress: bool = True
) -> WebSocket:
    """Upgrade `request` to a WebSocket that pings every `heartbeat_s` (closing on no pong)."""
    mark_authenticated(request)  # every WebSocket route authenticates its caller first
    ws = WebSocket(heartbeat=heartbeat_s, max_msg_size=max_msg_size, compress=compress)
    await ws.prepare(request)
    request[websocket_key] = ws
    return ws
