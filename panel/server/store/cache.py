"""The information devices cache for offline work (S1): the directory subset, destinations,
templates, apps and the offline-login policy, with one version that grows with every change."""

from __future__ import annotations

import contextlib
import gzip
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from panel.protocol import encode_body
from panel.protocol.messages import (
    AppInfo,
    CacheSnapshot,
    Destination,
    DirectoryUser,
    JobTemplate,
)
from panel.server.store.db import Database

DESTINATION_KINDS = frozenset({"email", "folder", "cloud"})
TEMPLATE_KINDS = frozenset({"scan", "fax", "copy"})


@dataclass(frozen=True, slots=True)
class EncodedSnapshot:
    """One version of the snapshot as it goes on the wire: JSON, and the same gzipped."""

    version: int
    body: bytes
    gzipped: bytes


class CachedInfo:
    """Cached information and its version; listeners hear of each committed change."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._listeners: list[Callable[[int], None]] = []
        self._encoded: EncodedSnapshot | None = None  # the last version encoded

    def add_cache_listener(self, listener: Callable[[int], None]) -> None:
        """Call `listener(version)` after each committed change to the cached information."""
        self._listeners.append(listener)

    @contextlib.contextmanager
    def change(self) -> Iterator[sqlite3.Connection]:
        """A transaction over cached information: when it changes a row, `cache_version` grows
        in the same transaction, and the listeners hear of it once it is committed."""
        with self._db.transaction() as db:
            before = db.total_changes
            yield db
            changed = db.total_changes != before
            if changed:
                db.execute(
                    "UPDATE settings SET value=CAST(value AS INTEGER) + 1"
                    " WHERE name='cache_version'"
                )
        if changed:
            version = self.cache_version()
            for listener in self._listeners:
                listener(version)

    def _upsert(self, table: str, key: str, row: dict[str, str]) -> int:
        """Insert or update one row of cached information; an identical row changes nothing."""
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        others = [c for c in row if c != key]
        sets = ", ".join(f"{c}=excluded.{c}" for c in others)
        differs = " OR ".join(f"{c}<>excluded.{c}" for c in others)
        with self.change() as db:
            db.execute(
                f"INSERT INTO {table}({cols}) VALUES ({marks})"
                f" ON CONFLICT({key}) DO UPDATE SET {sets} WHERE {differs}",
                tuple(row.values()),
            )
        return self.cache_version()

    def _remove(self, table: str, key: str, value: str) -> int:
        with self.change() as db:
            db.execute(f"DELETE FROM {table} WHERE {key}=?", (value,))
        return self.cache_version()

    def cache_version(self) -> int:
        (value,) = self._db.execute(
            "SELECT value FROM settings WHERE name='cache_version'"
        ).fetchone()
        return int(value)

    def add_destination(self, dest: Destination) -> int:
        """Add or replace an address-book entry; returns the cache version after it."""
        if dest.kind not in DESTINATION_KINDS:
            raise ValueError(f"a destination is one of {sorted(DESTINATION_KINDS)}")
        return self._upsert(
            "destinations",
            "dest_id",
            {
                "dest_id": dest.dest_id,
                "name": dest.name,
                "kind": dest.kind,
                "address": dest.address,
            },
        )

    def remove_destination(self, dest_id: str) -> int:
        return self._remove("destinations", "dest_id", dest_id)

    def destination(self, dest_id: str) -> Destination | None:
        row = self._db.execute(
            "SELECT dest_id, name, kind, address FROM destinations WHERE dest_id=?", (dest_id,)
        ).fetchone()
        return Destination(*row) if row else None

    def destinations(self) -> list[Destination]:
        rows = self._db.execute(
            "SELECT dest_id, name, kind, address FROM destinations ORDER BY name, dest_id"
        )
        return [Destination(*r) for r in rows]

    def add_template(self, template: JobTemplate) -> int:
        if template.kind not in TEMPLATE_KINDS:
            raise ValueError(f"a job template is one of {sorted(TEMPLATE_KINDS)}")
        return self._upsert(
            "templates",
            "template_id",
            {
                "template_id": template.template_id,
                "name": template.name,
                "kind": template.kind,
                "settings": template.settings,
            },
        )

    def remove_template(self, template_id: str) -> int:
        return self._remove("templates", "template_id", template_id)

    def templates(self) -> list[JobTemplate]:
        rows = self._db.execute(
            "SELECT template_id, name, kind, settings FROM templates ORDER BY name, template_id"
        )
        return [JobTemplate(*r) for r in rows]

    def add_app(self, app: AppInfo) -> int:
        """The app and the roles that may use it (kept apart: a store from before roles
        gets the table without a migration)."""
        with self.change() as db:
            db.execute(
                "INSERT INTO apps(app_id, name, description) VALUES (?,?,?)"
                " ON CONFLICT(app_id) DO UPDATE SET name=excluded.name,"
                " description=excluded.description"
                " WHERE name<>excluded.name OR description<>excluded.description",
                (app.app_id, app.name, app.description),
            )
            if sorted(set(app.roles)) != self._app_roles().get(app.app_id, []):
                db.execute("DELETE FROM app_roles WHERE app_id=?", (app.app_id,))
                db.executemany(
                    "INSERT INTO app_roles(app_id, role) VALUES (?,?)",
                    [(app.app_id, role) for role in set(app.roles)],
                )
        return self.cache_version()

    def remove_app(self, app_id: str) -> int:
        with self.change() as db:
            db.execute("DELETE FROM apps WHERE app_id=?", (app_id,))
            db.execute("DELETE FROM app_roles WHERE app_id=?", (app_id,))
        return self.cache_version()

    def _app_roles(self) -> dict[str, list[str]]:
        roles: dict[str, list[str]] = {}
        for app_id, role in self._db.execute("SELECT app_id, role FROM app_roles ORDER BY role"):
            roles.setdefault(app_id, []).append(role)
        return roles

    def apps(self) -> list[AppInfo]:
        rows = self._db.execute("SELECT app_id, name, description FROM apps ORDER BY name, app_id")
        roles = self._app_roles()
        return [AppInfo(a, n, d, roles.get(a, [])) for a, n, d in rows]

    def offline_login_allowed(self) -> bool:
        (value,) = self._db.execute(
            "SELECT value FROM settings WHERE name='offline_login_allowed'"
        ).fetchone()
        return bool(value == "1")

    def set_offline_login_allowed(self, allowed: bool) -> int:
        """The administrator's policy: may a device check a PIN against its cache when offline."""
        value = "1" if allowed else "0"
        with self.change() as db:
            db.execute(
                "UPDATE settings SET value=? WHERE name='offline_login_allowed' AND value<>?",
                (value, value),
            )
        return self.cache_version()

    def directory(self) -> list[DirectoryUser]:
        """The user directory subset a device may cache: never a PIN or its hash."""
        rows = self._db.execute("SELECT user_id, name, role FROM users ORDER BY user_id")
        return [DirectoryUser(*r) for r in rows]

    def cache_snapshot(self) -> CacheSnapshot:
        """Everything a device caches, read in one transaction so the version matches the rows."""
        with self._db.snapshot():
            return CacheSnapshot(
                self.cache_version(),
                self.offline_login_allowed(),
                self.directory(),
                self.destinations(),
                self.templates(),
                self.apps(),
            )

    def encoded_snapshot(self) -> EncodedSnapshot:
        """`cache_snapshot` encoded, once per version: every device of a fleet fetches the
        same bytes (at 5,000 users the directory alone is ~330 kB of JSON, ~30 ms to read and
        encode, ~26 kB gzipped), so a fleet starting at 100 devices a second would otherwise
        spend three cores on it. The version is read again each time (another process, such as
        `server add-user`, may have changed the store): a new one is encoded afresh."""
        encoded = self._encoded
        if encoded is not None and encoded.version == self.cache_version():
            return encoded
        snapshot = self.cache_snapshot()  # its version and rows read together
        body = encode_body(snapshot)
        encoded = EncodedSnapshot(snapshot.version, body, gzip.compress(body, 6, mtime=0))
        self._encoded = encoded
        return encoded
