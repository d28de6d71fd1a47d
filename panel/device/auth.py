"""Who is logged in at the panel (S4): user ID + PIN checked by the server.

When the server cannot be reached, a user may still log in against the credentials this
device cached at an earlier online login (a salted scrypt hash, never the PIN) -- only if
the administrator's policy, as last cached, allows offline login (S1).

A login the server checked is the device's session on the server, not its connection's: it
survives reconnects and network switches (the push hello names it, and the server keeps it for
a grace period while the device is away). When the server ended it meanwhile, the welcome says
so and `ended_by_server` brings the login screen back with the reason (SESSION_CHANGED's
`reason` field).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from panel.device.cache import DeviceCache
from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import LoginOutcome, LoginResult, User
from panel.device.store import CachedCredential, DeviceStore
from panel.lockout import lock_left, locked_message, recent, wrong_pin_message
from panel.pinhash import check_pin, hash_pin
from panel.protocol.messages import LoginReply, LoginRequest, LogoutRequest
from panel.tasks import TaskOwner
from panel.text import marker
from panel.threads import in_thread
from panel.trace import Trace

MAX_FIELD = 64
STOP_GRACE_S = 2.0  # device time a stopping device gives a logout to reach the server
# Wrong PINs checked offline, as the server counts them: 5 within 5 minutes lock that user out
# at this device for 5 minutes (real time, like the server's lock).
OFFLINE_PIN_LIMIT = 5
OFFLINE_LOCK_S = 300.0

# What the login screen shows (translated there: panel.ui.i18n.translate_marked).
EMPTY = marker("Core", "Enter your user ID and PIN.")
TOO_LONG = marker("Core", "User ID or PIN is too long.")
OFFLINE_NOT_ALLOWED = marker(
    "Core",
    "The server cannot be reached, and the administrator does not allow logging in offline. Try again when the device is online.",  # noqa: E501
)
NEVER_ONLINE = marker(
    "Core",
    "The server cannot be reached, and you have not logged in on this device while it was online, so your PIN cannot be checked here.",  # noqa: E501
)


class Session:
    def __init__(
        self,
        link: ServerLink,
        events: EventBus,
        trace: Trace,
        cache: DeviceCache,
        store: DeviceStore,
        clock: Clock,
    ) -> None:
        self._link = link
        self._events = events
        self._trace = trace
        self._cache = cache
        self._store = store
        self._clock = clock
        self.user: User | None = None
        self._server_knows = False  # the user was logged in by the server, not offline
        self._tasks = TaskOwner("session", clock, trace)  # caching PINs, telling logouts
        self._offline_fails: dict[str, deque[float]] = {}  # wrong offline PINs, by user
        self._stopped = False

    async def login(self, user_id: str, pin: str) -> LoginResult:
        user_id = user_id.strip()
        if not user_id or not pin:
            return LoginResult(LoginOutcome.REFUSED, message=EMPTY)
        if len(user_id) > MAX_FIELD or len(pin) > MAX_FIELD:
            return LoginResult(LoginOutcome.REFUSED, message=TOO_LONG)
        try:
            reply = await self._link.call(
                "POST", "/sessions", LoginReply, LoginRequest(user_id, pin)
            )
        except ServerRefused as exc:
            self._trace.emit("auth", "refused", user_id=self._traceable(user_id), code=exc.code)
            return _refusal(exc)
        except ServerUnreachable:
            self._trace.emit("auth", "unreachable", user_id=self._traceable(user_id))
            return await self._offline_login(user_id, pin)
        user = User(reply.user.user_id, reply.user.name, reply.user.role)
        self._set_user(user)
        _ = self._tasks.spawn(self._remember(user, pin), "cache the PIN hash")
        return LoginResult(LoginOutcome.ACCEPTED, user=user)

    async def _remember(self, user: User, pin: str) -> None:
        """Cache a slow salted hash of the PIN that just worked online, for offline logins."""
        pin_hash = await in_thread(hash_pin, pin)
        cred = CachedCredential(user.user_id, user.name, user.role, pin_hash)
        self._store.save_credential(cred, self._clock.time())

    async def _offline_login(self, user_id: str, pin: str) -> LoginResult:
        if not self._cache.offline_login_allowed:
            self._trace.emit(
                "auth", "offline-refused", user_id=self._traceable(user_id), reason="policy"
            )
            return LoginResult(
                LoginOutcome.UNREACHABLE,
                message=OFFLINE_NOT_ALLOWED,
            )
        cred = self._store.credential(user_id)
        if cred is None:
            self._trace.emit(
                "auth", "offline-refused", user_id=self._traceable(user_id), reason="never-online"
            )
            return LoginResult(
                LoginOutcome.UNREACHABLE,
                message=NEVER_ONLINE,
            )
        fails = self._offline_fails.setdefault(user_id, deque(maxlen=OFFLINE_PIN_LIMIT))
        if locked := self._offline_lock(user_id, fails):
            return locked
        if not await in_thread(check_pin, pin, cred.pin_hash):
            self._trace.emit(
                "auth", "offline-refused", user_id=self._traceable(user_id), reason="pin"
            )
            now = self._clock.unscaled().monotonic()
            fails.append(now)
            if locked := self._offline_lock(user_id, fails):
                return locked
            left = OFFLINE_PIN_LIMIT - recent(fails, OFFLINE_LOCK_S, now)
            message = wrong_pin_message(left, OFFLINE_LOCK_S)
            return LoginResult(
                LoginOutcome.REFUSED, message=message, attempts_left=left, lock_s=OFFLINE_LOCK_S
            )
        self._offline_fails.pop(user_id, None)
        user = User(cred.user_id, cred.name, cred.role)
        self._trace.emit("auth", "offline-login", user_id=user_id)
        self._set_user(user, server_knows=False)
        return LoginResult(LoginOutcome.ACCEPTED, user=user, offline=True)

    def _offline_lock(self, user_id: str, fails: deque[float]) -> LoginResult | None:
        """The refusal while wrong offline PINs lock `user_id` out here (None: not locked).
        Entries exist only for users with cached credentials, so the map stays small."""
        wait = lock_left(
            fails, OFFLINE_PIN_LIMIT, OFFLINE_LOCK_S, self._clock.unscaled().monotonic()
        )
        if not wait:
            return None
        self._trace.emit("auth", "offline-refused", user_id=user_id, reason="locked")
        return LoginResult(
            LoginOutcome.REFUSED, message=locked_message(wait), attempts_left=0, retry_after_s=wait
        )

    def logout(self) -> None:
        """End the panel session now; the server is told in the background (best effort)."""
        user = self.user
        if user is None:
            return
        self._set_user(None)
        if not self._stopped:  # stopped, the link is closed: the server ended the session
            _ = self._tasks.spawn(self._tell_logout(user.user_id), "tell the server of a logout")

    @property
    def server_login(self) -> str | None:
        """The user logged in at this panel by the server (an offline login is not the
        server's): the push hello names them so the server keeps their login."""
        return self.user.user_id if self.user is not None and self._server_knows else None

    def ended_by_server(self, user_id: str, reason: str, code: str = "") -> None:
        """The server ended `user_id`'s login while the device was away: the panel session
        ends too (nothing to tell the server), and the login screen says `reason` (the
        server's sentence; `code` is why for machines: "offline", "elsewhere", ...)."""
        if self.server_login != user_id:  # someone else logged in meanwhile
            return
        self._trace.emit("auth", "ended-by-server", user_id=user_id)
        self._set_user(None, reason=reason, code=code)

    async def _tell_logout(self, user_id: str) -> None:
        with contextlib.suppress(ServerUnreachable, ServerRefused):
            await self._link.call("POST", "/sessions/logout", LoginReply, LogoutRequest(user_id))

    async def stop(self) -> None:
        """Give a logout (and a PIN being cached) a moment to finish, then end them."""
        self._stopped = True
        if pending := self._tasks.tasks:
            with contextlib.suppress(TimeoutError):
                async with self._clock.timeout(STOP_GRACE_S):
                    await asyncio.wait(pending)
        await self._tasks.close()

    def _traceable(self, user_id: str) -> str:
        """A refused ID goes into the trace only if it is a known user's: people type their
        PIN into the ID field, and a trace must never hold a PIN."""
        known = any(u.user_id == user_id for u in self._cache.users())
        return user_id if known or self._store.credential(user_id) else "<unknown id>"

    def _set_user(
        self, user: User | None, server_knows: bool = True, reason: str = "", code: str = ""
    ) -> None:
        """The panel's user is `user` now (None: nobody; `reason` says why, if not a logout
        at the panel, and `code` is that why for machines)."""
        self.user = user
        self._server_knows = user is not None and server_knows
        self._trace.emit("auth", "session", user_id=user.user_id if user else None)
        fields = {"reason": reason, "code": code} if reason else {}
        self._events.publish(Event(EventKind.SESSION_CHANGED, user, fields))


def _refusal(exc: ServerRefused) -> LoginResult:
    """The server's no, in the panel's words: a wrong PIN warns before the last try, and a
    lock says how long it has to go (the panel counts it down)."""
    said = exc.reply
    if said.retry_after_s:  # the server's lock (429), or the wrong PIN that started it
        return LoginResult(
            LoginOutcome.REFUSED,
            message=locked_message(said.retry_after_s),
            attempts_left=0,
            retry_after_s=float(said.retry_after_s),
        )
    if exc.code == "invalid_credentials":
        return LoginResult(
            LoginOutcome.REFUSED,
            message=wrong_pin_message(said.attempts_left, said.lock_s),
            attempts_left=said.attempts_left,
            lock_s=said.lock_s,
        )
    return LoginResult(LoginOutcome.REFUSED, message=exc.message)
