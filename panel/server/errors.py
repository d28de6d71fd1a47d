"""Every refusal the server makes, as one JSON shape (`ErrorReply`) with a stable code.

Except on a request upgraded to a WebSocket: its connection speaks WebSocket frames, and an HTTP
response written into it would only corrupt it. There an error is logged and the socket closed.
"""

from __future__ import annotations

import contextlib
import logging

from aiohttp import WSCloseCode, web

from panel.protocol import ProtocolError
from panel.server.http import ApiError, error_response, reply, websocket_key

_log = logging.getLogger(__name__)

# What a request the server failed on is told (the error itself is logged, never sent).
INTERNAL = ("internal", "The server failed; the error has been logged.")

_HTTP_CODES = {
    404: ("not_found", "No such resource."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("too_large", "The request body is too large."),
}


async def answer_error(request: web.Request, exc: Exception) -> web.StreamResponse:
    """What `request` is answered when its handler (or the edge before it) raised `exc`: the
    API's error shape, or, on an upgraded request, its socket closed. A redirect is raised
    again (it is no error). Called by the server's one middleware (`app.edge_middleware`)."""
    if isinstance(exc, web.HTTPException) and exc.status < 400:
        raise exc
    ws = request.get(websocket_key)
    if ws is not None and ws.prepared:
        return await _end_websocket(request, ws, exc)
    return _error_reply(request, exc)


async def _end_websocket(
    request: web.Request, ws: web.WebSocketResponse, exc: Exception
) -> web.WebSocketResponse:
    """Log what went wrong on an upgraded request and close its socket; never answer in HTTP."""
    if isinstance(exc, ConnectionResetError):  # the peer went away: nothing is wrong here
        _log.info("WebSocket on %s closed by its peer: %s", request.path, exc)
    else:
        _log.error("error on the WebSocket of %s", request.path, exc_info=exc)
    if not ws.closed:
        with contextlib.suppress(Exception):
            await ws.close(code=WSCloseCode.INTERNAL_ERROR, message=b"server error")
    return ws


def _error_reply(request: web.Request, exc: Exception) -> web.Response:
    if isinstance(exc, ConnectionResetError):  # the client left while we wrote: nothing is wrong
        _log.info("%s %s: the client went away: %s", request.method, request.path, exc)
        return error_response(499, "client_gone", "The client closed the connection.")
    if isinstance(exc, ApiError):
        response = reply(exc.body(), exc.status)
        response.headers.update(exc.headers())
        return response
    if isinstance(exc, ProtocolError):
        status = 413 if exc.code == "too_large" else 400
        return error_response(status, exc.code, exc.message)
    if isinstance(exc, web.HTTPException):
        code, message = _HTTP_CODES.get(exc.status, ("http_error", exc.reason))
        if exc.status == 413:
            message = f"The request body is too large ({exc.text})."
        response = error_response(exc.status, code, message)
        if "Allow" in exc.headers:  # a 405 says which methods the resource takes (RFC 9110)
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    _log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, *INTERNAL)
