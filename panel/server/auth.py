"""Who is calling: a device (bearer token), a user or admin (HTTP Basic with ID and PIN), or the
local administrator on the server's Unix socket (file permissions are the credential, as with
Docker's socket).

A PIN is short, so guessing is throttled: per user and source (a client address, a device) and
per user overall. A refusal says how many tries are left before a lock and a lock how long it
has to go (`PinRefused`), so a person at a panel is warned and knows when to try again.
Checking a PIN is slow on purpose (scrypt), so it runs in a worker thread, a few at a time,
and the event loop goes on serving everyone else meanwhile. Those threads are a pool of their
own (`PIN_CHECKS_AT_ONCE`): scrypt needs 16 MiB per check and a thread's allocator keeps what it
used, so in the shared pool every worker that ever checked a PIN would keep 16 MiB (measured:
+32 to +48 MiB over 50 admin logins; +16 MiB here, and two threads keep 32 MiB at most).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import math
import socket
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from aiohttp import web

from panel.lockout import WRONG_PIN, lock_left, locked_message, recent, wrong_pin_message
from panel.protocol.messages import ErrorReply, UserInfo
from panel.server.http import ApiError, mark_authenticated
from panel.server.security import pin_matches
from panel.server.store import ServerStore
from panel.threads import in_executor

MAX_USER_ID = 64  # longer IDs are refused before anything else: no work, no throttle entry
MAX_PIN = 64
PIN_CHECKS_AT_ONCE = 2

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Principal:
    kind: str  # "device" | "user" | "admin"
    ident: str

    @property
    def is_admin(self) -> bool:
        return self.kind == "admin"


class PinRefused(ApiError):
    """A wrong PIN (401) or a lock (429), with how close the caller is to a lock or how long
    it has to go: fields of the `ErrorReply`, and Retry-After while locked."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        attempts_left: int | None,
        lock_s: float,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(status, code, message)
        self.attempts_left = attempts_left
        self.lock_s = math.ceil(lock_s)
        self.retry_after_s = None if retry_after_s is None else math.ceil(retry_after_s)

    def body(self) -> ErrorReply:
        return ErrorReply(
            self.code, self.message, self.attempts_left, self.lock_s, self.retry_after_s
        )

    def headers(self) -> dict[str, str]:
        return {} if self.retry_after_s is None else {"Retry-After": str(self.retry_after_s)}


class LoginThrottle:
    """`limit` wrong PINs within `window_s` for one user from one source lock that source out
    for that user for `window_s` from the last of them (so one device or client cannot lock a
    user out for everyone), and `user_limit` from all sources together lock the user out
    everywhere the same way. A lock that ends leaves a fresh count.

    Only failures make entries. Entries whose failures all left the window are dropped (swept
    at most once a window), and beyond `max_entries` a map drops its oldest entries, so a
    stream of made-up IDs cannot grow it without bound.
    """

    def __init__(
        self,
        limit: int = 5,
        user_limit: int = 20,
        window_s: float = 300.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.user_limit, self.window_s = limit, user_limit, window_s
        self.max_entries = max_entries
        self._clock = clock
        self._by_source: dict[tuple[str, str], deque[float]] = {}
        self._by_user: dict[str, deque[float]] = {}
        self._swept = clock()

    def __len__(self) -> int:
        """Entries held (per user and source, plus per user)."""
        return len(self._by_source) + len(self._by_user)

    def check(self, user_id: str, source: str) -> None:
        """Raise 429 (saying for how long) while `source` may not try a PIN for `user_id`."""
        wait = self.locked_for(user_id, source)
        if wait > 0:
            message = locked_message(wait)
            raise PinRefused(429, "too_many_attempts", message, 0, self.window_s, wait)

    def locked_for(self, user_id: str, source: str) -> float:
        """Seconds until `source` may try a PIN for `user_id` again (0: it may now)."""
        now = self._clock()
        return max(
            self._lock_left(self._by_source.get((user_id, source)), self.limit, now),
            self._lock_left(self._by_user.get(user_id), self.user_limit, now),
        )

    def attempts_left(self, user_id: str, source: str) -> int:
        """Wrong PINs `source` may still try for `user_id` before a lock (0: locked)."""
        if self.locked_for(user_id, source) > 0:
            return 0
        now = self._clock()
        by_source = self.limit - self._recent(self._by_source.get((user_id, source)), now)
        by_user = self.user_limit - self._recent(self._by_user.get(user_id), now)
        return max(0, min(by_source, by_user))

    def refusal(self, user_id: str, source: str, code: str) -> PinRefused:
        """The 401 for a wrong PIN just counted: with a warning before the last try, and
        the lock's length when this one started it."""
        left = self.attempts_left(user_id, source)
        wait = self.locked_for(user_id, source)
        if wait > 0:
            message = f"{WRONG_PIN} {locked_message(wait)}"
            return PinRefused(401, code, message, 0, self.window_s, wait)
        return PinRefused(401, code, wrong_pin_message(left, self.window_s), left, self.window_s)

    def failed(self, user_id: str, source: str) -> None:
        now = self._clock()
        self._sweep(now)
        self._record(self._by_source, (user_id, source), self.limit, now)
        self._record(self._by_user, user_id, self.user_limit, now)

    def _lock_left(self, fails: deque[float] | None, limit: int, now: float) -> float:
        return 0.0 if fails is None else lock_left(fails, limit, self.window_s, now)

    def succeeded(self, user_id: str, source: str) -> None:
        """The source knows the PIN: its failures are forgotten (not the user's overall count,
        or guessing from elsewhere could go on between the user's own logins)."""
        self._by_source.pop((user_id, source), None)

    def _recent(self, fails: deque[float] | None, now: float) -> int:
        return 0 if fails is None else recent(fails, self.window_s, now)

    def _record(self, table: dict[K, deque[float]], key: K, keep: int, now: float) -> None:
        fails = table.get(key)
        if fails is None:
            while len(table) >= self.max_entries:
                del table[next(iter(table))]  # the oldest entry
            fails = table[key] = deque(maxlen=keep)
        fails.append(now)

    def _sweep(self, now: float) -> None:
        if now - self._swept >= self.window_s:
            self._swept = now
            self._drop_expired(self._by_source, now)
            self._drop_expired(self._by_user, now)

    def _drop_expired(self, table: dict[K, deque[float]], now: float) -> None:
        for key in [k for k, fails in table.items() if fails[-1] <= now - self.window_s]:
            del table[key]


class Authenticator:
    """Checks the credentials of every request (see the module's docstring)."""

    def __init__(
        self,
        store: ServerStore,
        throttle: LoginThrottle | None = None,
        pin_checks_at_once: int = PIN_CHECKS_AT_ONCE,
    ) -> None:
        self.store = store
        self.throttle = throttle or LoginThrottle()
        self._pin_checks = asyncio.Semaphore(pin_checks_at_once)
        self._pin_threads = ThreadPoolExecutor(pin_checks_at_once, thread_name_prefix="pin-check")
        self.pin_checks_running = 0  # in worker threads now (a load test waits for them)

    @property
    def pin_threads(self) -> Executor:
        """The PIN-check threads, which operator password checks (scrypt too) share."""
        return self._pin_threads

    def close(self) -> None:
        """End the PIN-check threads (each ends once idle; a check running finishes first)."""
        self._pin_threads.shutdown(wait=False)

    async def check_user(self, user_id: str, pin: str, source: str) -> UserInfo | None:
        """The user when the PIN is right, None otherwise; 429 while `source` is throttled for
        `user_id`. A known and an unknown ID cost the same."""
        if not 0 < len(user_id) <= MAX_USER_ID:
            return None
        async with self._pin_checks:
            self.throttle.check(user_id, source)  # after the wait: earlier guesses counted
            found = self.store.user_and_pin_hash(user_id)
            self.pin_checks_running += 1
            try:
                ok = len(pin) <= MAX_PIN and await in_executor(
                    self._pin_threads, pin_matches, pin, found[1] if found else None
                )
            finally:
                self.pin_checks_running -= 1
            if found is None or not ok:
                self.throttle.failed(user_id, source)
                return None
            self.throttle.succeeded(user_id, source)
            return found[0]

    async def authenticate(self, request: web.Request) -> Principal:
        """Who is calling, or 401 (429 while a PIN is throttled). A caller once known no longer
        counts against the server's cap on unauthenticated requests (`edge.PreAuthGate`)."""
        principal = await self._identify(request)
        mark_authenticated(request)
        return principal

    async def _identify(self, request: web.Request) -> Principal:
        if _is_unix(request):
            return Principal("admin", "local")
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme == "Bearer":
            device_id, _, secret = value.partition(".")
            if device_id and secret and self.store.check_device(device_id, secret):
                return Principal("device", device_id)
            raise ApiError(401, "unauthorized", "Unknown device or wrong device secret.")
        if scheme == "Basic":
            try:
                user_id, _, pin = base64.b64decode(value, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                raise ApiError(401, "unauthorized", "Malformed Basic credentials.") from None
            source = f"address:{request.remote}"
            user = await self.check_user(user_id, pin, source)
            if user is None:
                raise self.throttle.refusal(user_id, source, "unauthorized")
            return Principal("admin" if user.role == "admin" else "user", user.user_id)
        raise ApiError(
            401, "unauthorized", "Authentication required (device token or user ID/PIN)."
        )


def _is_unix(request: web.Request) -> bool:
    sock = request.transport.get_extra_info("socket") if request.transport else None
    return sock is not None and sock.family == socket.AF_UNIX


def authenticated(who: Principal | None) -> Principal:
    """The caller of a route that authenticates (None there is an error in the route table)."""
    if who is None:
        raise ApiError(401, "unauthorized", "Authentication required.")
    return who


def require(principal: Principal, *kinds: str) -> None:
    if principal.kind not in kinds:
        raise ApiError(403, "forbidden", f"This needs a {' or '.join(kinds)} credential.")
