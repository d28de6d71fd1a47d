"""Operator logins for the console: password check, session tokens, and who is calling.

A password is checked like a PIN (salted scrypt, in the server's PIN-check threads, throttled
per operator and source by the server's `LoginThrottle`): scrypt's 16 MiB stays in those few
threads instead of in every worker of the shared pool. A login makes a random session token; the
server keeps only its hash, in memory (a restart logs operators out). Browsers get it as an
HttpOnly, SameSite=Strict cookie; scripts and tests send `Authorization: Bearer opt_...`. A
request authenticated by the cookie must come from the console's own origin (no cross-site use
of the cookie, WebSockets included: browsers send an Origin header with every handshake). A
request whose operator is known no longer counts against the cap on unauthenticated requests.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

from aiohttp import web

from panel.server.auth import LoginThrottle, Principal
from panel.server.http import ApiError, mark_authenticated
from panel.server.security import hash_secret, pin_matches
from panel.server.store import OperatorAccount, ServerStore
from panel.threads import in_executor

COOKIE = "mfp_operator"
TOKEN_PREFIX = "opt_"
LOGIN_TTL_S = 12 * 3600.0
MAX_OPERATOR_ID = 64
MAX_PASSWORD = 128
MIN_PASSWORD = 8
PASSWORD_CHECKS_AT_ONCE = 2


@dataclass(frozen=True, slots=True)
class OperatorLogin:
    operator_id: str
    expires: float


class OperatorAccounts:
    def __init__(
        self,
        store: ServerStore,
        throttle: LoginThrottle | None = None,
        ttl_s: float = LOGIN_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.throttle = throttle or LoginThrottle()
        self._ttl_s = ttl_s
        self._clock = clock
        self._logins: dict[str, OperatorLogin] = {}  # token hash -> login
        self._checks = asyncio.Semaphore(PASSWORD_CHECKS_AT_ONCE)
        # Where passwords are checked: the app sets the Authenticator's PIN-check threads
        # (None: the loop's default pool, for a relay built without a server).
        self.threads: Executor | None = None

    async def login(
        self, operator_id: str, password: str, source: str
    ) -> tuple[OperatorAccount, str]:
        """The operator and a new session token; 401 for a wrong ID or password (the same
        cost either way), 429 while `source` is throttled for this operator."""
        if not 0 < len(operator_id) <= MAX_OPERATOR_ID:
            raise ApiError(401, "invalid_credentials", "Wrong operator ID or password.")
        async with self._checks:
            self.throttle.check(operator_id, source)
            found = self.store.operator_and_password_hash(operator_id)
            ok = len(password) <= MAX_PASSWORD and await in_executor(
                self.threads, pin_matches, password, found[1] if found else None
            )
            if found is None or not ok:
                self.throttle.failed(operator_id, source)
                raise ApiError(401, "invalid_credentials", "Wrong operator ID or password.")
            self.throttle.succeeded(operator_id, source)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self._drop_expired()
        self._logins[hash_secret(token)] = OperatorLogin(operator_id, self._clock() + self._ttl_s)
        return found[0], token

    def logout(self, token: str) -> None:
        self._logins.pop(hash_secret(token), None)

    @staticmethod
    def token_of(request: web.Request) -> tuple[str, bool] | None:
        """The operator token a request presents and whether it came in the cookie."""
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme == "Bearer" and value.startswith(TOKEN_PREFIX):
            return value, False
        cookie = request.cookies.get(COOKIE)
        return (cookie, True) if cookie else None

    def principal(self, request: web.Request) -> Principal | None:
        """The operator a request comes from; None when it carries no operator credential.
        A stale or unknown token is a 401, a cookie sent from another origin a 403. A known
        operator's request leaves the cap on unauthenticated ones (`edge.PreAuthGate`)."""
        found = self.token_of(request)
        if found is None:
            return None
        token, from_cookie = found
        login = self._logins.get(hash_secret(token))
        if login is None or login.expires <= self._clock():
            raise ApiError(401, "unauthorized", "The operator login has ended; log in again.")
        if from_cookie and not _same_origin(request):
            raise ApiError(403, "cross_origin", "The console's cookie is not accepted from there.")
        mark_authenticated(request)
        return Principal("operator", login.operator_id)

    def _drop_expired(self) -> None:
        now = self._clock()
        for key in [k for k, v in self._logins.items() if v.expires <= now]:
            del self._logins[key]


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    return origin is None or origin == f"{request.scheme}://{request.host}"


def check_new_password(password: str) -> None:
    """What `mfp-panel server add-operator` accepts (demo passwords included)."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValueError(f"a password is {MIN_PASSWORD} to {MAX_PASSWORD} characters")
