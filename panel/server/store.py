"""The server's SQLite (WAL) store: users, devices, jobs, push notifications, panel logins.

Calls are synchronous on purpose: each is a short local transaction that costs less than a
hop to a worker thread, and one writer on the event loop needs no locking.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from panel.protocol.messages import JobInfo, UserInfo
from panel.server.security import check_pin, check_secret, hash_pin, hash_secret, new_secret
from panel.sqlite import open_wal

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
"""

FINAL_STATES = frozenset({"completed", "failed", "cancelled"})
DEVICE_STATES = frozenset({"printing", "completed", "failed", "cancelled"})


@dataclass(frozen=True, slots=True)
class Notification:
    device_id: str
    seq: int
    job_id: str
    created_at: float


class ServerStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = open_wal(path, _SCHEMA, synchronous="NORMAL")

    def close(self) -> None:
        self._db.close()

    # -- users ----------------------------------------------------------------------------------
    def add_user(self, user_id: str, name: str, pin: str, role: str = "user") -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO users(user_id, name, role, pin_hash) VALUES (?,?,?,?)",
            (user_id, name, role, hash_pin(pin)),
        )

    def user(self, user_id: str) -> UserInfo | None:
        row = self._db.execute(
            "SELECT user_id, name, role FROM users WHERE user_id=?", (user_id,)
        ).fetchone()
        return UserInfo(*row) if row else None

    def check_user(self, user_id: str, pin: str) -> UserInfo | None:
        """The user when the PIN is right; None otherwise (same cost either way)."""
        row = self._db.execute(
            "SELECT user_id, name, role, pin_hash FROM users WHERE user_id=?", (user_id,)
        ).fetchone()
        stored = row[3] if row else hash_pin("timing-equaliser")
        ok = check_pin(pin, stored)
        return UserInfo(row[0], row[1], row[2]) if row and ok else None

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
        if user_id is None:
            self._db.execute("DELETE FROM logins WHERE device_id=?", (device_id,))
        else:
            self._db.execute(
                "INSERT OR REPLACE INTO logins(device_id, user_id, at) VALUES (?,?,?)",
                (device_id, user_id, time.time()),
            )

    def device_of_user(self, user_id: str) -> str | None:
        """The device the user is logged in at (the most recent one)."""
        row = self._db.execute(
            "SELECT device_id FROM logins WHERE user_id=? ORDER BY at DESC LIMIT 1", (user_id,)
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
        with self._db:
            self._db.execute(
                "UPDATE jobs SET device_id=?, state='notified', updated_at=? WHERE job_id=?",
                (device_id, now, job_id),
            )
            (seq,) = self._db.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM notifications WHERE device_id=?",
                (device_id,),
            ).fetchone()
            self._db.execute(
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


_JOB_SELECT = (
    "SELECT job_id, user_id, title, pages, copies, state, device_id, created_at, document_name,"
    " document_size, pages_done, reason FROM jobs"
)
