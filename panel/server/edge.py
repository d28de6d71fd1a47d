"""The server's edge: what a request may cost before its caller is known, and what a broken
request leaves in the log.

At most `PREAUTH_LIMIT` requests at once are inside the server before their caller is
authenticated (an operator login, a PIN sent as HTTP Basic, a page, the health check). One more
is answered at once with 503 and Retry-After: it costs a few hundred bytes instead of a place in
the queue for the PIN checks. A request with a bearer token (a device, an operator's console)
or the console's cookie is let in even then: its token is checked at once, with no wait, and
until it is it may not wait for anything (its body is refused with the same 503). So a few
dozen slow clients cannot lock a fleet of devices or operators out, and a device or operator
stops counting the moment its token is checked.

Why 64: what waits before authentication is mostly PIN and password checks (scrypt, ~50 ms of
CPU each, two at once: ~40 a second), so 64 waiting is a queue of ~1.6 s, and the 65th caller
is better told to come back in `RETRY_AFTER_S` than kept waiting longer. Each request in it
holds at most a login body (`http.LOGIN_BODY_BYTES`, 4 KB) plus aiohttp's read buffer
(~128 KB of raw bytes before it stops reading): under 10 MB for all 64 together. 64 also leaves
room for the 50 parallel logins the memory test sends to each login endpoint.

aiohttp logs a request it cannot parse (bad header bytes, a broken request line) at ERROR with
a full traceback, one per request, so a broken or hostile client floods the log. Through
`log` (the server's request handlers log there) it is one WARNING line naming the client and
what was wrong, and a client that went away while its answer was being written is one INFO line.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from panel.server.http import Busy, PreAuthSlot, preauth_key
from panel.server.relay.accounts import COOKIE as OPERATOR_COOKIE

PREAUTH_LIMIT = 64
RETRY_AFTER_S = 2
_MAX_DETAIL = 300  # characters of aiohttp's description of a malformed request kept in the log


class PreAuthGate:
    """Counts requests not yet authenticated and refuses (503) beyond `limit`; see the module."""

    def __init__(self, limit: int = PREAUTH_LIMIT, retry_after_s: int = RETRY_AFTER_S) -> None:
        self.limit = limit
        self.retry_after_s = retry_after_s
        self.waiting = 0  # requests inside now whose caller is not known yet
        self.refused = 0  # answered 503 since the server started

    def enter(self, request: web.Request) -> PreAuthSlot:
        """The request's place (released by the caller when the request ends, or at its
        authentication), or Busy (503) beyond the cap. The server's one middleware
        (`app.edge_middleware`) calls it."""
        if self.waiting < self.limit:
            self.waiting += 1
            slot = request[preauth_key] = PreAuthSlot(self._leave, self.retry_after_s)
        elif _checked_at_once(request):
            slot = request[preauth_key] = PreAuthSlot(None, self.retry_after_s)
        else:
            self.refused += 1
            raise Busy(self.retry_after_s)
        return slot

    def _leave(self) -> None:
        self.waiting -= 1


def _checked_at_once(request: web.Request) -> bool:
    """A bearer token (a device's, an operator's), or the operator console's cookie with no
    other credential: known or refused at once, with no PIN to check."""
    authorization = request.headers.get("Authorization")
    if authorization is not None:
        return authorization.startswith("Bearer ")
    return OPERATOR_COOKIE in request.cookies


class _OneLine(logging.Filter):
    """Turns aiohttp's traceback for a malformed request into one WARNING line, and for a
    client that went away into one INFO line; other records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            detail = " ".join(str(exc.message).split())[:_MAX_DETAIL]
            _rewrite(record, f"malformed HTTP: {detail}", logging.WARNING)
        elif isinstance(exc, ConnectionResetError):
            _rewrite(record, f"the client went away: {exc}", logging.INFO)
        return True


def _rewrite(record: logging.LogRecord, detail: str, level: int) -> None:
    record.msg = f"{record.getMessage()}: {detail}"
    record.args = None
    record.exc_info = record.exc_text = None
    record.levelno = min(record.levelno, level)
    record.levelname = logging.getLevelName(record.levelno)


log = logging.getLogger(__name__)
log.addFilter(_OneLine())
