"""The logged-in user's data (S4): after a login the device fetches from the server what the user
set and what waits for them (held print jobs), and executes it: with "print all on login" the
held jobs are released to this device at once, and print as pushed jobs do.

Observed through USER_DATA_CHANGED (subject: `UserData` or None once the user logged out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import ConnectionState, User
from panel.protocol import power as wire
from panel.tasks import TaskOwner
from panel.text import marker
from panel.trace import Trace


@dataclass(frozen=True, slots=True)
class HeldJob:
    """A print job the server holds for the user until they release it at a device."""

    job_id: str
    title: str
    pages: int
    copies: int
    created_at: float


@dataclass(frozen=True, slots=True)
class UserData:
    user: User
    print_all_on_login: bool
    held: tuple[HeldJob, ...]


class UserDataFetcher:
    def __init__(self, link: ServerLink, events: EventBus, trace: Trace, clock: Clock) -> None:
        self._link = link
        self._events = events
        self._trace = trace
        self._user: User | None = None
        self.current: UserData | None = None
        self._tasks = TaskOwner("user data", clock, trace)  # fetches after a login
        self._unsubscribe = (
            events.subscribe(self._on_session, EventKind.SESSION_CHANGED),
            events.subscribe(self._on_connection, EventKind.CONNECTION_CHANGED),
        )

    async def stop(self) -> None:
        """No fetch after this: logins and connections that follow are not acted on."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        await self._tasks.close()

    # -- what views call ---------------------------------------------------------------------------
    async def refresh(self) -> UserData | None:
        """Fetch the logged-in user's data again (None: nobody logged in, or no answer)."""
        user = self._user
        if user is None:
            return None
        try:
            reply = await self._link.call("GET", f"/users/{user.user_id}/data", wire.UserData)
        except (ServerUnreachable, ServerRefused) as exc:
            self._trace.emit("user-data", "not-fetched", user_id=user.user_id, error=str(exc))
            return None
        held = tuple(
            HeldJob(j.job_id, j.title, j.pages, j.copies, j.created_at) for j in reply.held_jobs
        )
        self._set(user, UserData(user, reply.preferences.print_all_on_login, held))
        self._trace.emit("user-data", "fetched", user_id=user.user_id, held=len(held))
        return self.current

    async def release(self, job_ids: Sequence[str] = ()) -> list[str]:
        """Print the user's held jobs here (all when none named); returns the released ids.
        Raises ServerRefused (e.g. not held any more) or ServerUnreachable."""
        user = self._user
        if user is None:
            return []
        reply = await self._link.call(
            "POST",
            "/jobs/release",
            wire.ReleaseReply,
            wire.ReleaseRequest(user.user_id, list(job_ids)),
        )
        released = [job.job_id for job in reply.released]
        self._trace.emit("user-data", "released", user_id=user.user_id, jobs=released)
        current = self.current
        if current is not None and current.user == user:
            left = tuple(j for j in current.held if j.job_id not in released)
            self._set(user, UserData(user, current.print_all_on_login, left))
        return released

    async def set_print_all_on_login(self, on: bool) -> None:
        """The user's preference, kept by the server for their logins at any device."""
        user = self._user
        if user is None:
            return
        await self._link.call(
            "PUT", f"/users/{user.user_id}/preferences", wire.Preferences, wire.Preferences(on)
        )
        current = self.current
        if current is not None and current.user == user:
            self._set(user, UserData(user, on, current.held))

    # -- reacting to logins --------------------------------------------------------------------
    def _on_session(self, event: Event) -> None:
        self._user = event.subject
        if self._user is None:
            if self.current is not None:
                self.current = None
                self._events.publish(Event(EventKind.USER_DATA_CHANGED, None))
            return
        self._fetch_soon(self._user)

    def _on_connection(self, event: Event) -> None:
        """Logged in offline: fetch once the server can be reached."""
        if event.subject is ConnectionState.ONLINE and self._user and self.current is None:
            self._fetch_soon(self._user)

    def _fetch_soon(self, user: User) -> None:
        _ = self._tasks.spawn(self._fetch_and_execute(user), f"fetch {user.user_id}'s data")

    async def _fetch_and_execute(self, user: User) -> None:
        data = await self.refresh()
        if data is None or data.user != user or not data.print_all_on_login or not data.held:
            return
        try:
            released = await self.release()
        except (ServerUnreachable, ServerRefused) as exc:
            self._trace.emit("user-data", "release-failed", user_id=user.user_id, error=str(exc))
            return
        count = len(released)
        if not count:
            return  # another fetch released them a moment ago
        self._events.publish(
            Event(
                EventKind.NOTICE,
                None,
                {
                    "text": f"Printing your {count} held job{'s' * (count != 1)}.",
                    "template": (
                        marker("Core", "Printing your 1 held job.")
                        if count == 1
                        else marker("Core", "Printing your {count} held jobs.")
                    ),
                    "values": {"count": count},
                    "level": "info",
                },
            )
        )

    def _set(self, user: User, data: UserData) -> None:
        if self._user != user:
            return  # they logged out meanwhile
        self.current = data
        self._events.publish(Event(EventKind.USER_DATA_CHANGED, data))
