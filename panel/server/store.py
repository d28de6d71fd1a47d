"""The server's SQLite (WAL) store: users, devices, jobs, push notifications, panel logins,
the information devices cache for offline work (S1) and the outbox's idempotency ledger.

Calls are synchronous on purpose: each is a short local transaction that costs less than a
hop to a worker thread, and one writer on the event loop needs no locking. The connection is
in autocommit mode, so a change that spans statements runs inside `_transaction()`.
"""

from __future__ import annotations

import contextlib
import json
import math
import secrets
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from panel.protocol.maintenance import SessionLogEntry
from panel.protocol.messages import (
    AppInfo,
    CacheSnapshot,
    Destination,
    DirectoryUser,
    JobInfo,
    JobTemplate,
    UserInfo,
)
from panel.protocol.power import Preferences
from panel.server.security import check_secret, hash_pin, hash_secret, new_secret, pin_matches
from panel.sqlite import open_wal, transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'user',
    pin_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    model TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(user_id),
    title TEXT NOT NULL,
    pages INTEGER NOT NULL,
    copies INTEGER NOT NULL,
    state TEXT NOT NULL,
    device_id TEXT REFERENCES devices(device_id),
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    document_name TEXT NOT NULL,
    document_size INTEGER NOT NULL,
    pages_done INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS jobs_user ON jobs(user_id, state);
CREATE TABLE IF NOT EXISTS notifications (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    job_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    acked INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, seq)
);
CREATE TABLE IF NOT EXISTS logins (
    device_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS destinations (
    dest_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS templates (
    template_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    settings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS apps (
    app_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT OR IGNORE INTO settings(name, value) VALUES ('cache_version', '1');
INSERT OR IGNORE INTO settings(name, value) VALUES ('offline_login_allowed', '1');
CREATE TABLE IF NOT EXISTS outbox_ledger (
    device_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
    claim TEXT NOT NULL,
    job_id TEXT NOT NULL,
    status INTEGER,
    message TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    done_at REAL,
    settled INTEGER,
    executions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, key)
);
CREATE INDEX IF NOT EXISTS outbox_ledger_age ON outbox_ledger(created_at);
CREATE INDEX IF NOT EXISTS outbox_ledger_settled ON outbox_ledger(settled);
CREATE TABLE IF NOT EXISTS outgoing (
    job_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL,
    title TEXT NOT NULL,
    pages INTEGER NOT NULL,
    destination TEXT NOT NULL,
    document_size INTEGER NOT NULL,
    composed_at REAL NOT NULL,
    accepted_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS outgoing_device ON outgoing(device_id);
CREATE TABLE IF NOT EXISTS device_sessions (
    device_id TEXT PRIMARY KEY REFERENCES devices(device_id),
    mode TEXT NOT NULL,
    interval_s REAL NOT NULL,
    lease_until REAL NOT NULL,
    last_heartbeat REAL NOT NULL,
    proxy_id TEXT,
    delegation_id TEXT,
    lapses INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS delegations (
    delegation_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(device_id),
    proxy_id TEXT NOT NULL REFERENCES devices(device_id),
    issued_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    revoked_at REAL,
    revoked_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS delegations_device ON delegations(device_id, revoked_at);
CREATE INDEX IF NOT EXISTS delegations_proxy ON delegations(proxy_id, revoked_at);
INSERT OR IGNORE INTO settings(name, value) VALUES ('delegation_key', lower(hex(randomblob(32))));
CREATE TABLE IF NOT EXISTS user_preferences (
    user_id TEXT PRIMARY KEY REFERENCES users(user_id),
    print_all_on_login INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS user_cards (
    card_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(user_id)
);
CREATE TABLE IF NOT EXISTS operators (
    operator_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS maintenance_log (
    call_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    device_name TEXT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    error_codes TEXT NOT NULL DEFAULT '[]',
    requested_at REAL NOT NULL,
    operator_id TEXT,
    operator_name TEXT NOT NULL DEFAULT '',
    started_at REAL,
    ended_at REAL,
    consent_trail TEXT NOT NULL DEFAULT '[]',
    end_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS maintenance_log_operator ON maintenance_log(operator_id, requested_at);
"""

FINAL_STATES = frozenset({"completed", "failed", "cancelled"})
DEVICE_STATES = frozenset({"printing", "completed", "failed", "cancelled"})
JOB_STATES = frozenset({"held", "notified", "fetched"}) | DEVICE_STATES
LOGIN_MAX_AGE_S = 12 * 3600.0  # a panel login older than this is taken to be forgotten
DESTINATION_KINDS = frozenset({"email", "folder", "cloud"})
TEMPLATE_KINDS = frozenset({"scan", "fax", "copy"})


def disk_full(exc: sqlite3.Error) -> bool:
    """SQLite could not write: its database file's disk (or quota) is full."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "database or disk is full" in str(exc)


@dataclass(frozen=True, slots=True)
class Notification:
    device_id: str
    seq: int
    job_id: str
    created_at: float


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One idempotency key a device used on the outbox: its request's fingerprint and result.

    `status` is the stored result (201 accepted, 400 refused) once `state` is "done";
    `executions` counts how often the item was really executed (never more than once).
    """

    device_id: str
    key: str
    request_hash: str
    state: str  # "in_progress" | "done"
    job_id: str
    status: int | None
    message: str
    created_at: float
    executions: int


@dataclass(frozen=True, slots=True)
class OutgoingJob:
    """A scan or fax a device sent through its outbox, as the server accepted it."""

    job_id: str
    device_id: str
    key: str
    kind: str
    user_id: str
    title: str
    pages: int
    destination: str
    document_size: int
    composed_at: float
    accepted_at: float


@dataclass(frozen=True, slots=True)
class OperatorAccount:
    """A remote-maintenance operator (S3); their presence lives in the relay, not here."""

    operator_id: str
    name: str


@dataclass(frozen=True, slots=True)
class DeviceSession:
    """A device's server session (S5): alive while `lease_until` is ahead of the server's clock.
    `proxy_id`/`delegation_id` are set while a peer keeps it for the sleeping device."""

    device_id: str
    mode: str  # "active" | "low-power" | "proxied"
    interval_s: float
    lease_until: float
    last_heartbeat: float
    proxy_id: str | None
    delegation_id: str | None
    lapses: int


@dataclass(frozen=True, slots=True)
class DelegationRecord:
    """A delegation the server issued; the signed token repeats these fields."""

    delegation_id: str
    device_id: str
    proxy_id: str
    issued_at: float
    expires_at: float
    revoked_at: float | None
    revoked_reason: str


@dataclass(frozen=True, slots=True)
class Claim:
    """The answer to claiming an outbox key: ours to execute (`token` set), or already seen."""

    entry: LedgerEntry
    token: str | None

    @property
    def claimed(self) -> bool:
        return self.token is not None


class ServerStore:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock  # the time of ledger entries and logins; tests move it to age them
        self._db = open_wal(path, _SCHEMA, synchronous="NORMAL")
        self._cache_listeners: list[Callable[[int], None]] = []

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return transaction(self._db)

    def batch(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """Many store changes in one commit (the outbox's claims, then its results)."""
        return transaction(self._db)

    # -- users ----------------------------------------------------------------------------------
    def add_user(self, user_id: str, name: str, pin: str, role: str = "user") -> None:
        pin_hash = hash_pin(pin)  # slow on purpose: outside the transaction
        with self._cache_change() as db:
            db.execute(
                "INSERT OR REPLACE INTO users(user_id, name, role, pin_hash) VALUES (?,?,?,?)",
                (user_id, name, role, pin_hash),
            )

    def user(self, user_id: str) -> UserInfo | None:
        row = self._db.execute(
            "SELECT user_id, name, role FROM users WHERE user_id=?", (user_id,)
        ).fetchone()
        return UserInfo(*row) if row else None

    def user_and_pin_hash(self, user_id: str) -> tuple[UserInfo, str] | None:
        """A user and the hash of their PIN, to check a PIN against off the event loop."""
        row = self._db.execute(
            "SELECT user_id, name, role, pin_hash FROM users WHERE user_id=?", (user_id,)
        ).fetchone()
        return (UserInfo(row[0], row[1], row[2]), row[3]) if row else None

    def check_user(self, user_id: str, pin: str) -> UserInfo | None:
        """The user when the PIN is right; None otherwise (same cost either way). Slow: the
        server checks PINs through `auth.Authenticator`, in a worker thread."""
        found = self.user_and_pin_hash(user_id)
        ok = pin_matches(pin, found[1] if found else None)
        return found[0] if found and ok else None

    # -- devices ---------------------------------------------------------------------------------
    def register_device(self, name: str, model: str) -> tuple[str, str]:
        """A new device id and its secret; only the secret's hash is kept."""
        device_id = f"dev-{uuid.uuid4().hex[:12]}"
        secret = new_secret()
        self._db.execute(
            "INSERT INTO devices(device_id, name, model, secret_hash, created_at)"
            " VALUES (?,?,?,?,?)",
            (device_id, name, model, hash_secret(secret), time.time()),
        )
        return device_id, secret

    def check_device(self, device_id: str, secret: str) -> bool:
        row = self._db.execute(
            "SELECT secret_hash FROM devices WHERE device_id=?", (device_id,)
        ).fetchone()
        return bool(row) and check_secret(secret, row[0])

    def device_exists(self, device_id: str) -> bool:
        return bool(
            self._db.execute("SELECT 1 FROM devices WHERE device_id=?", (device_id,)).fetchone()
        )

    # -- logins at panels -------------------------------------------------------------------------
    def set_login(self, device_id: str, user_id: str | None) -> None:
        """`user_id` is logged in at the device's panel now (None: nobody). A user is at one
        panel at a time, so their login at any other device ends."""
        if user_id is None:
            self.end_login(device_id)
            return
        with self._transaction() as db:
            db.execute("DELETE FROM logins WHERE user_id=? AND device_id<>?", (user_id, device_id))
            db.execute(
                "INSERT OR REPLACE INTO logins(device_id, user_id, at) VALUES (?,?,?)",
                (device_id, user_id, self.clock()),
            )

    def end_login(self, device_id: str, before: float | None = None) -> str | None:
        """Forget who is logged in at the device (if `before` is given, only a login recorded
        before that time); returns the ID of the user whose login ended, if any."""
        cutoff = math.inf if before is None else before
        with self._transaction() as db:
            row = db.execute(
                "SELECT user_id FROM logins WHERE device_id=? AND at<?", (device_id, cutoff)
            ).fetchone()
            if row is None:
                return None
            db.execute("DELETE FROM logins WHERE device_id=?", (device_id,))
        return str(row[0])

    def device_of_user(self, user_id: str, max_age_s: float = LOGIN_MAX_AGE_S) -> str | None:
        """The device the user is logged in at, unless they logged in there `max_age_s` ago
        or longer (a login the panel never ended: its user is long gone)."""
        row = self._db.execute(
            "SELECT device_id FROM logins WHERE user_id=? AND at>? ORDER BY at DESC LIMIT 1",
            (user_id, self.clock() - max_age_s),
        ).fetchone()
        return str(row[0]) if row else None

    # -- jobs -------------------------------------------------------------------------------------
    def create_job(
        self,
        job_id: str,
        user_id: str,
        title: str,
        pages: int,
        copies: int,
        document_name: str,
        document_size: int,
    ) -> JobInfo:
        now = time.time()
        self._db.execute(
            "INSERT INTO jobs(job_id, user_id, title, pages, copies, state, device_id, created_at,"
            " updated_at, document_name, document_size) VALUES (?,?,?,?,?,'held',NULL,?,?,?,?)",
            (job_id, user_id, title, pages, copies, now, now, document_name, document_size),
        )
        job = self.job(job_id)
        assert job is not None
        return job

    def delete_job(self, job_id: str) -> None:
        self._db.execute("DELETE FROM jobs WHERE job_id=?", (job_id,))

    def has_jobs(self) -> bool:
        return self._db.execute("SELECT 1 FROM jobs LIMIT 1").fetchone() is not None

    def job(self, job_id: str) -> JobInfo | None:
        row = self._db.execute(_JOB_SELECT + " WHERE job_id=?", (job_id,)).fetchone()
        return JobInfo(*row) if row else None

    def jobs(self, user_id: str | None = None, state: str | None = None) -> list[JobInfo]:
        sql, args = _JOB_SELECT + " WHERE 1=1", list[str]()
        if user_id is not None:
            sql, args = sql + " AND user_id=?", [*args, user_id]
        if state is not None:
            sql, args = sql + " AND state=?", [*args, state]
        return [JobInfo(*r) for r in self._db.execute(sql + " ORDER BY created_at", args)]

    def assign_and_notify(self, job_id: str, device_id: str) -> Notification:
        """Give a job to a device and record the notification with the device's next sequence."""
        now = time.time()
        with self._transaction() as db:
            db.execute(
                "UPDATE jobs SET device_id=?, state='notified', updated_at=? WHERE job_id=?",
                (device_id, now, job_id),
            )
            (seq,) = db.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM notifications WHERE device_id=?",
                (device_id,),
            ).fetchone()
            db.execute(
                "INSERT INTO notifications(device_id, seq, job_id, created_at) VALUES (?,?,?,?)",
                (device_id, seq, job_id, now),
            )
        return Notification(device_id, seq, job_id, now)

    def notifications_after(self, device_id: str, seq: int) -> list[Notification]:
        rows = self._db.execute(
            "SELECT device_id, seq, job_id, created_at FROM notifications"
            " WHERE device_id=? AND seq>? ORDER BY seq",
            (device_id, seq),
        ).fetchall()
        return [Notification(*r) for r in rows]

    def last_seq(self, device_id: str) -> int:
        (seq,) = self._db.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM notifications WHERE device_id=?", (device_id,)
        ).fetchone()
        return int(seq)

    def ack(self, device_id: str, seq: int) -> None:
        self._db.execute(
            "UPDATE notifications SET acked=1 WHERE device_id=? AND seq<=? AND acked=0",
            (device_id, seq),
        )

    def set_job_state(
        self, job_id: str, state: str, pages_done: int | None = None, reason: str = ""
    ) -> JobInfo:
        self._db.execute(
            "UPDATE jobs SET state=?, pages_done=COALESCE(?, pages_done), reason=?, updated_at=?"
            " WHERE job_id=?",
            (state, pages_done, reason, time.time(), job_id),
        )
        job = self.job(job_id)
        assert job is not None
        return job

    # -- cached information (S1): directory subset, destinations, templates, apps, policy -------
    def add_cache_listener(self, listener: Callable[[int], None]) -> None:
        """Call `listener(version)` after each committed change to the cached information."""
        self._cache_listeners.append(listener)

    @contextlib.contextmanager
    def _cache_change(self) -> Iterator[sqlite3.Connection]:
        """A transaction over cached information: when it changes a row, `cache_version` grows
        in the same transaction, and the listeners hear of it once it is committed."""
        with self._transaction() as db:
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
            for listener in self._cache_listeners:
                listener(version)

    def _upsert(self, table: str, key: str, row: dict[str, str]) -> int:
        """Insert or update one row of cached information; an identical row changes nothing."""
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        others = [c for c in row if c != key]
        sets = ", ".join(f"{c}=excluded.{c}" for c in others)
        differs = " OR ".join(f"{c}<>excluded.{c}" for c in others)
        with self._cache_change() as db:
            db.execute(
                f"INSERT INTO {table}({cols}) VALUES ({marks})"
                f" ON CONFLICT({key}) DO UPDATE SET {sets} WHERE {differs}",
                tuple(row.values()),
            )
        return self.cache_version()

    def _remove(self, table: str, key: str, value: str) -> int:
        with self._cache_change() as db:
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
        return self._upsert(
            "apps",
            "app_id",
            {"app_id": app.app_id, "name": app.name, "description": app.description},
        )

    def remove_app(self, app_id: str) -> int:
        return self._remove("apps", "app_id", app_id)

    def apps(self) -> list[AppInfo]:
        rows = self._db.execute("SELECT app_id, name, description FROM apps ORDER BY name, app_id")
        return [AppInfo(*r) for r in rows]

    def offline_login_allowed(self) -> bool:
        (value,) = self._db.execute(
            "SELECT value FROM settings WHERE name='offline_login_allowed'"
        ).fetchone()
        return bool(value == "1")

    def set_offline_login_allowed(self, allowed: bool) -> int:
        """The administrator's policy: may a device check a PIN against its cache when offline."""
        value = "1" if allowed else "0"
        with self._cache_change() as db:
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
        self._db.execute("BEGIN")
        try:
            return CacheSnapshot(
                self.cache_version(),
                self.offline_login_allowed(),
                self.directory(),
                self.destinations(),
                self.templates(),
                self.apps(),
            )
        finally:
            self._db.commit()

    # -- the outbox's idempotency ledger (S1) ------------------------------------------------------
    def claim_outbox_key(
        self, device_id: str, key: str, request_hash: str, stale_after_s: float
    ) -> Claim:
        """Claim `key` for executing it: an unseen key, or a claim left `in_progress` longer than
        `stale_after_s` by a request that died (same request only). Anything else is returned
        as seen, unclaimed. A claim keeps its job id, so a takeover rewrites the same document."""
        now = self.clock()
        token = secrets.token_hex(8)
        with self._transaction() as db:
            row = db.execute(
                _LEDGER_SELECT + " WHERE device_id=? AND key=?", (device_id, key)
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO outbox_ledger(device_id, key, request_hash, state, claim, job_id,"
                    " created_at) VALUES (?,?,?,'in_progress',?,?,?)",
                    (device_id, key, request_hash, token, f"out-{uuid.uuid4().hex[:16]}", now),
                )
            else:
                seen = LedgerEntry(*row)
                stale = (
                    seen.state == "in_progress"
                    and seen.request_hash == request_hash
                    and seen.created_at < now - stale_after_s
                )
                if not stale:
                    return Claim(seen, None)
                db.execute(
                    "UPDATE outbox_ledger SET claim=?, created_at=? WHERE device_id=? AND key=?",
                    (token, now, device_id, key),
                )
        entry = self.ledger_entry(device_id, key)
        assert entry is not None
        return Claim(entry, token)

    def finish_outbox_item(
        self,
        claim: Claim,
        status: int,
        message: str = "",
        job: OutgoingJob | None = None,
    ) -> LedgerEntry | None:
        """Record the result of an executed item (and the job it created) in one transaction.
        None when the claim is no longer ours (taken over as stale): nothing is recorded."""
        assert claim.token is not None
        entry = claim.entry
        with self._transaction() as db:
            done = db.execute(
                "UPDATE outbox_ledger SET state='done', status=?, message=?, done_at=?,"
                " executions=executions + 1,"
                " settled=(SELECT COALESCE(MAX(settled), 0) + 1 FROM outbox_ledger)"
                " WHERE device_id=? AND key=? AND claim=? AND state='in_progress'",
                (status, message, self.clock(), entry.device_id, entry.key, claim.token),
            )
            if done.rowcount == 0:
                return None
            if job is not None:
                db.execute(
                    "INSERT INTO outgoing(job_id, device_id, key, kind, user_id, title, pages,"
                    " destination, document_size, composed_at, accepted_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        job.job_id,
                        job.device_id,
                        job.key,
                        job.kind,
                        job.user_id,
                        job.title,
                        job.pages,
                        job.destination,
                        job.document_size,
                        job.composed_at,
                        job.accepted_at,
                    ),
                )
        return self.ledger_entry(entry.device_id, entry.key)

    def release_outbox_claim(self, claim: Claim) -> None:
        """Forget a claim whose item could not be executed (e.g. a full disk): a retry may."""
        self._db.execute(
            "DELETE FROM outbox_ledger WHERE device_id=? AND key=? AND claim=?"
            " AND state='in_progress'",
            (claim.entry.device_id, claim.entry.key, claim.token),
        )

    def ledger_entry(self, device_id: str, key: str) -> LedgerEntry | None:
        row = self._db.execute(
            _LEDGER_SELECT + " WHERE device_id=? AND key=?", (device_id, key)
        ).fetchone()
        return LedgerEntry(*row) if row else None

    def ledger(self, device_id: str) -> list[LedgerEntry]:
        """A device's keys in the order their results were recorded; claims in progress last."""
        rows = self._db.execute(
            _LEDGER_SELECT + " WHERE device_id=? ORDER BY settled IS NULL, settled, created_at",
            (device_id,),
        )
        return [LedgerEntry(*r) for r in rows]

    def outgoing_jobs(self, device_id: str | None = None) -> list[OutgoingJob]:
        """Scans and faxes accepted from outboxes, in acceptance order."""
        sql = _OUTGOING_SELECT
        args: tuple[str, ...] = ()
        if device_id is not None:
            sql, args = sql + " WHERE device_id=?", (device_id,)
        return [OutgoingJob(*r) for r in self._db.execute(sql + " ORDER BY rowid", args)]

    def purge_ledger(self, retention_s: float, stale_after_s: float) -> int:
        """Forget keys whose result is older than `retention_s`, and claims in progress that are
        both that old and stale (their request died); returns how many."""
        now = self.clock()
        cutoff = now - retention_s
        dead = min(cutoff, now - stale_after_s)
        cur = self._db.execute(
            "DELETE FROM outbox_ledger WHERE (state='done' AND done_at<?)"
            " OR (state='in_progress' AND created_at<?)",
            (cutoff, dead),
        )
        return cur.rowcount

    # -- remote maintenance (S3): operators and the log of maintenance calls --------------------
    def add_operator(self, operator_id: str, name: str, password: str) -> None:
        """Create or replace an operator; only the password's scrypt hash is kept."""
        password_hash = hash_pin(password)  # slow on purpose: outside any transaction
        self._db.execute(
            "INSERT OR REPLACE INTO operators(operator_id, name, password_hash, created_at)"
            " VALUES (?,?,?,?)",
            (operator_id, name, password_hash, time.time()),
        )

    def operator(self, operator_id: str) -> OperatorAccount | None:
        row = self._db.execute(
            "SELECT operator_id, name FROM operators WHERE operator_id=?", (operator_id,)
        ).fetchone()
        return OperatorAccount(*row) if row else None

    def operator_and_password_hash(self, operator_id: str) -> tuple[OperatorAccount, str] | None:
        """An operator and their password's hash, to check a password against off the loop."""
        row = self._db.execute(
            "SELECT operator_id, name, password_hash FROM operators WHERE operator_id=?",
            (operator_id,),
        ).fetchone()
        return (OperatorAccount(row[0], row[1]), row[2]) if row else None

    def device_name(self, device_id: str) -> str | None:
        row = self._db.execute(
            "SELECT name FROM devices WHERE device_id=?", (device_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def log_call(
        self,
        call_id: str,
        device_id: str,
        device_name: str,
        reason: str,
        note: str,
        error_codes: list[str],
        requested_at: float,
    ) -> None:
        """A device made a maintenance call (the log's row for it, completed as it goes on)."""
        self._db.execute(
            "INSERT INTO maintenance_log(call_id, device_id, device_name, reason, note,"
            " error_codes, requested_at) VALUES (?,?,?,?,?,?,?)",
            (call_id, device_id, device_name, reason, note, json.dumps(error_codes), requested_at),
        )

    def log_call_started(
        self, call_id: str, operator_id: str, operator_name: str, started_at: float
    ) -> None:
        self._db.execute(
            "UPDATE maintenance_log SET operator_id=?, operator_name=?, started_at=?"
            " WHERE call_id=?",
            (operator_id, operator_name, started_at, call_id),
        )

    def log_call_consent(self, call_id: str, trail: list[str]) -> None:
        self._db.execute(
            "UPDATE maintenance_log SET consent_trail=? WHERE call_id=?",
            (json.dumps(trail), call_id),
        )

    def log_call_ended(self, call_id: str, ended_at: float, end_reason: str) -> None:
        self._db.execute(
            "UPDATE maintenance_log SET ended_at=?, end_reason=? WHERE call_id=?",
            (ended_at, end_reason, call_id),
        )

    def maintenance_log(
        self, operator_id: str | None = None, limit: int = 500
    ) -> list[SessionLogEntry]:
        """The latest maintenance calls first (only `operator_id`'s sessions if given)."""
        sql = f"SELECT {', '.join(_LOG_FIELDS)}, consent_trail FROM maintenance_log"
        args: tuple[str | int, ...] = ()
        if operator_id is not None:
            sql, args = sql + " WHERE operator_id=?", (operator_id,)
        rows = self._db.execute(sql + " ORDER BY requested_at DESC LIMIT ?", (*args, limit))
        entries = []
        for row in rows:
            *fields, trail_json = row
            trail = json.loads(trail_json)
            call = dict(zip(_LOG_FIELDS, fields, strict=True))
            consent = trail[-1] if trail else ""
            entries.append(SessionLogEntry(**call, consent=consent, consent_trail=trail))
        return entries

    # -- device sessions and delegations (S5) ---------------------------------------------------
    def delegation_key(self) -> bytes:
        """The key delegations are signed with: made once per database, never sent anywhere."""
        (value,) = self._db.execute(
            "SELECT value FROM settings WHERE name='delegation_key'"
        ).fetchone()
        return bytes.fromhex(value)

    def device_session(self, device_id: str) -> DeviceSession | None:
        row = self._db.execute(_SESSION_SELECT + " WHERE device_id=?", (device_id,)).fetchone()
        return DeviceSession(*row) if row else None

    def record_heartbeat(
        self,
        device_id: str,
        mode: str,
        interval_s: float,
        lease_until: float,
        delegation: DelegationRecord | None = None,
    ) -> DeviceSession:
        """Renew a device's session lease (kept by `delegation`'s proxy, if given). A lease
        that had already run out counts as a lapse."""
        now = self.clock()
        proxy_id = delegation.proxy_id if delegation else None
        delegation_id = delegation.delegation_id if delegation else None
        with self._transaction() as db:
            db.execute(
                "INSERT INTO device_sessions(device_id, mode, interval_s, lease_until,"
                " last_heartbeat, proxy_id, delegation_id) VALUES (?,?,?,?,?,?,?)"
                " ON CONFLICT(device_id) DO UPDATE SET mode=excluded.mode,"
                " interval_s=excluded.interval_s, lease_until=excluded.lease_until,"
                " last_heartbeat=excluded.last_heartbeat, proxy_id=excluded.proxy_id,"
                " delegation_id=excluded.delegation_id,"
                " lapses=lapses + (device_sessions.lease_until < excluded.last_heartbeat)",
                (device_id, mode, interval_s, lease_until, now, proxy_id, delegation_id),
            )
        session = self.device_session(device_id)
        assert session is not None
        return session

    def add_delegation(self, record: DelegationRecord) -> list[str]:
        """Record a new delegation; the device's earlier ones still in force are revoked
        ("superseded"), and their ids returned."""
        with self._transaction() as db:
            older = [
                r[0]
                for r in db.execute(
                    "SELECT delegation_id FROM delegations"
                    " WHERE device_id=? AND revoked_at IS NULL",
                    (record.device_id,),
                )
            ]
            db.execute(
                "UPDATE delegations SET revoked_at=?, revoked_reason='superseded'"
                " WHERE device_id=? AND revoked_at IS NULL",
                (record.issued_at, record.device_id),
            )
            db.execute(
                "INSERT INTO delegations(delegation_id, device_id, proxy_id, issued_at, expires_at)"
                " VALUES (?,?,?,?,?)",
                (
                    record.delegation_id,
                    record.device_id,
                    record.proxy_id,
                    record.issued_at,
                    record.expires_at,
                ),
            )
        return older

    def delegation(self, delegation_id: str) -> DelegationRecord | None:
        row = self._db.execute(
            _DELEGATION_SELECT + " WHERE delegation_id=?", (delegation_id,)
        ).fetchone()
        return DelegationRecord(*row) if row else None

    def extend_delegation(self, delegation_id: str, expires_at: float) -> None:
        self._db.execute(
            "UPDATE delegations SET expires_at=? WHERE delegation_id=? AND revoked_at IS NULL",
            (expires_at, delegation_id),
        )

    def revoke_delegation(self, delegation_id: str, reason: str) -> bool:
        """End a delegation now; False if it had already ended."""
        cur = self._db.execute(
            "UPDATE delegations SET revoked_at=?, revoked_reason=?"
            " WHERE delegation_id=? AND revoked_at IS NULL",
            (self.clock(), reason, delegation_id),
        )
        return cur.rowcount > 0

    def delegation_in_force(self, device_id: str) -> DelegationRecord | None:
        """The device's delegation neither revoked nor expired, if any."""
        row = self._db.execute(
            _DELEGATION_SELECT + " WHERE device_id=? AND revoked_at IS NULL AND expires_at>?"
            " ORDER BY issued_at DESC LIMIT 1",
            (device_id, self.clock()),
        ).fetchone()
        return DelegationRecord(*row) if row else None

    def delegations_kept_by(self, proxy_id: str) -> list[DelegationRecord]:
        """Delegations in force that name `proxy_id` as the keeper."""
        rows = self._db.execute(
            _DELEGATION_SELECT + " WHERE proxy_id=? AND revoked_at IS NULL AND expires_at>?",
            (proxy_id, self.clock()),
        )
        return [DelegationRecord(*r) for r in rows]

    def first_unacked(self, device_id: str) -> Notification | None:
        """The oldest notification the device has not acknowledged: work waiting for it."""
        row = self._db.execute(
            "SELECT device_id, seq, job_id, created_at FROM notifications"
            " WHERE device_id=? AND acked=0 ORDER BY seq LIMIT 1",
            (device_id,),
        ).fetchone()
        return Notification(*row) if row else None

    # -- card login and user preferences (S4) -----------------------------------------------------
    def add_card(self, card_id: str, user_id: str) -> None:
        """`card_id` logs `user_id` in from now on (a card has one owner)."""
        self._db.execute(
            "INSERT OR REPLACE INTO user_cards(card_id, user_id) VALUES (?,?)", (card_id, user_id)
        )

    def user_of_card(self, card_id: str) -> UserInfo | None:
        row = self._db.execute(
            "SELECT u.user_id, u.name, u.role FROM user_cards c JOIN users u USING (user_id)"
            " WHERE c.card_id=?",
            (card_id,),
        ).fetchone()
        return UserInfo(*row) if row else None

    def preferences(self, user_id: str) -> Preferences:
        row = self._db.execute(
            "SELECT print_all_on_login FROM user_preferences WHERE user_id=?", (user_id,)
        ).fetchone()
        return Preferences(bool(row[0])) if row else Preferences()

    def set_preferences(self, user_id: str, preferences: Preferences) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO user_preferences(user_id, print_all_on_login) VALUES (?,?)",
            (user_id, int(preferences.print_all_on_login)),
        )


_SESSION_SELECT = (
    "SELECT device_id, mode, interval_s, lease_until, last_heartbeat, proxy_id, delegation_id,"
    " lapses FROM device_sessions"
)
_DELEGATION_SELECT = (
    "SELECT delegation_id, device_id, proxy_id, issued_at, expires_at, revoked_at,"
    " revoked_reason FROM delegations"
)
_LOG_FIELDS = (
    "call_id",
    "device_id",
    "device_name",
    "reason",
    "requested_at",
    "operator_id",
    "operator_name",
    "started_at",
    "ended_at",
    "end_reason",
)
_JOB_SELECT = (
    "SELECT job_id, user_id, title, pages, copies, state, device_id, created_at, document_name,"
    " document_size, pages_done, reason FROM jobs"
)
_LEDGER_SELECT = (
    "SELECT device_id, key, request_hash, state, job_id, status, message, created_at, executions"
    " FROM outbox_ledger"
)
_OUTGOING_SELECT = (
    "SELECT job_id, device_id, key, kind, user_id, title, pages, destination, document_size,"
    " composed_at, accepted_at FROM outgoing"
)
