"""Every refusal the server makes, as one JSON shape (`ErrorReply`) with a stable code."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from panel.protocol import ProtocolError, encode_body
from panel.protocol.messages import ErrorReply

_log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str) -> web.Response:
    return web.Response(
        status=status, body=encode_body(ErrorReply(code, message)), content_type="application/json"
    )


_HTTP_CODES = {
    404: ("not_found", "No such resource."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("too_large", "The request body is too large."),
}


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.code, exc.message)
    except ProtocolError as exc:
        status = 413 if exc.code == "too_large" else 400
        return error_response(status, exc.code, exc.message)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code, message = _HTTP_CODES.get(exc.status, ("http_error", exc.reason))
        if exc.status == 413:
            message = f"The request body is too large ({exc.text})."
        return error_response(exc.status, code, message)
    except Exception:
        _log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal", "The server failed; the error has been logged.")
