"""Who is logged in at the panel (S4): user ID + PIN checked by the server.

Offline login against cached credentials comes with the offline-hold work; until then an
unreachable server is an honest "cannot check now", never a silent acceptance.
"""

from __future__ import annotations

import asyncio
import contextlib

from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import LoginOutcome, LoginResult, User
from panel.protocol.messages import LoginReply, LoginRequest, LogoutRequest
from panel.trace import Trace

MAX_FIELD = 64


class Session:
    def __init__(self, link: ServerLink, events: EventBus, trace: Trace) -> None:
        self._link = link
        self._events = events
        self._trace = trace
        self.user: User | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def login(self, user_id: str, pin: str) -> LoginResult:
        user_id = user_id.strip()
        if not user_id or not pin:
            return LoginResult(LoginOutcome.REFUSED, message="Enter your user ID and PIN.")
        if len(user_id) > MAX_FIELD or len(pin) > MAX_FIELD:
            return LoginResult(LoginOutcome.REFUSED, message="User ID or PIN is too long.")
        try:
            reply = await self._link.call(
                "POST", "/sessions", LoginReply, LoginRequest(user_id, pin)
            )
        except ServerRefused as exc:
            self._trace.emit("auth", "refused", user_id=user_id, code=exc.code)
            if exc.code == "invalid_credentials":
                return LoginResult(LoginOutcome.REFUSED, message="Wrong user ID or PIN.")
            return LoginResult(LoginOutcome.REFUSED, message=exc.message)
        except ServerUnreachable:
            self._trace.emit("auth", "unreachable", user_id=user_id)
            return LoginResult(
                LoginOutcome.UNREACHABLE,
                message="The server cannot be reached, so your PIN cannot be checked. Try again.",
            )
        user = User(reply.user.user_id, reply.user.name, reply.user.role)
        self._set_user(user)
        return LoginResult(LoginOutcome.ACCEPTED, user=user)

    def logout(self) -> None:
        """End the panel session now; the server is told in the background (best effort)."""
        user = self.user
        if user is None:
            return
        self._set_user(None)
        task = asyncio.ensure_future(self._tell_logout(user.user_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _tell_logout(self, user_id: str) -> None:
        with contextlib.suppress(ServerUnreachable, ServerRefused):
            await self._link.call("POST", "/sessions/logout", LoginReply, LogoutRequest(user_id))

    async def stop(self) -> None:
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _set_user(self, user: User | None) -> None:
        self.user = user
        self._trace.emit("auth", "session", user_id=user.user_id if user else None)
        self._events.publish(Event(EventKind.SESSION_CHANGED, user))
