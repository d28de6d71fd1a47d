"""The device's copy of a portion of the server's information (S1): the user directory subset,
the address book, job templates, the app list and the offline-login policy, with the version
it came with. Composing a job reads only this, so it works with no connection.
"""

from __future__ import annotations

import json

from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.events import Event, EventBus, EventKind
from panel.device.store import DeviceStore
from panel.protocol import ProtocolError, decode_body
from panel.protocol.codec import to_dict
from panel.protocol.messages import AppInfo, CacheSnapshot, Destination, DirectoryUser, JobTemplate
from panel.trace import Trace

_EMPTY = CacheSnapshot(0, False, [], [], [], [])


class DeviceCache:
    def __init__(
        self, store: DeviceStore, link: ServerLink, events: EventBus, trace: Trace
    ) -> None:
        self._store = store
        self._link = link
        self._events = events
        self._trace = trace
        self.snapshot = _EMPTY

    @property
    def version(self) -> int:
        return self.snapshot.version

    def load(self) -> None:
        """What was cached before (a restart while offline still has its address book)."""
        stored = self._store.load_cache()
        if stored is None:
            return
        try:
            self.snapshot = decode_body(CacheSnapshot, stored[1], limit=64 * 1024 * 1024)
        except ProtocolError as exc:
            self._trace.emit("cache", "unreadable", error=exc.message)

    async def refresh(self, hint: int | None = None) -> None:
        """Fetch the snapshot unless `hint` says ours is current; keep ours on any failure."""
        if hint is not None and hint <= self.version:
            return
        try:
            snapshot = await self._link.call("GET", "/cache", CacheSnapshot)
        except (ServerUnreachable, ServerRefused) as exc:
            self._trace.emit("cache", "refresh-failed", error=str(exc))
            return
        if snapshot.version == self.version and self.version != 0:
            return
        self._store.save_cache(snapshot.version, json.dumps(to_dict(snapshot)))
        self.snapshot = snapshot
        self._trace.emit(
            "cache", "updated", version=snapshot.version, destinations=len(snapshot.destinations)
        )
        self._events.publish(Event(EventKind.CACHE_CHANGED, snapshot.version))

    # -- what composition and login read -----------------------------------------------------
    def destinations(self) -> list[Destination]:
        return list(self.snapshot.destinations)

    def destination(self, dest_id: str) -> Destination | None:
        return next((d for d in self.snapshot.destinations if d.dest_id == dest_id), None)

    def templates(self) -> list[JobTemplate]:
        return list(self.snapshot.templates)

    def apps(self) -> list[AppInfo]:
        return list(self.snapshot.apps)

    def users(self) -> list[DirectoryUser]:
        return list(self.snapshot.users)

    @property
    def offline_login_allowed(self) -> bool:
        """The administrator's policy as last seen; never seen means no."""
        return self.snapshot.offline_login_allowed
