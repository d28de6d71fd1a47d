"""The device's own durable state in SQLite (WAL): receptions, jobs and their timelines,
status reports not yet delivered, and small metadata such as the last push sequence seen.

Every write commits before the caller goes on, with synchronous=FULL: a record the device
has acknowledged survives a kill or a power cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from panel.device.model import Job, JobKind, JobState, TimelineEntry
from panel.sqlite import open_wal

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS receptions (
    seq INTEGER NOT NULL,
    job_id TEXT PRIMARY KEY,
    received_at REAL NOT NULL,
    fetched INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    user_id TEXT NOT NULL,
    state TEXT NOT NULL,
    pages INTEGER NOT NULL,
    copies INTEGER NOT NULL,
    pages_done INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS timeline (
    job_id TEXT NOT NULL,
    at REAL NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS timeline_job ON timeline(job_id);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL,
    state TEXT NOT NULL,
    pages_done INTEGER NOT NULL,
    reason TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Reception:
    seq: int
    job_id: str
    received_at: float
    fetched: bool


@dataclass(frozen=True, slots=True)
class PendingReport:
    report_id: int
    job_id: str
    state: str
    pages_done: int
    reason: str


class DeviceStore:
    """Synchronous SQLite calls: each is a sub-millisecond local transaction (cheaper than a
    thread hop)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = open_wal(path, _SCHEMA, synchronous="FULL")

    def close(self) -> None:
        self._db.close()

    # -- metadata ------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str = "") -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- receptions (S9) -----------------------------------------------------------------------
    def store_reception(self, seq: int, job_id: str, at: float) -> bool:
        """Record a notification durably; False when this job was already received (a replay)."""
        with self._db:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO receptions(seq, job_id, received_at) VALUES (?, ?, ?)",
                (seq, job_id, at),
            )
            self._db.execute(
                "INSERT INTO meta(key, value) VALUES ('last_seq', ?) ON CONFLICT(key) "
                "DO UPDATE SET value=MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
                (str(seq),),
            )
        return cur.rowcount == 1

    def last_seq(self) -> int:
        return int(self.get_meta("last_seq", "0"))

    def mark_fetched(self, job_id: str) -> None:
        self._db.execute("UPDATE receptions SET fetched=1 WHERE job_id=?", (job_id,))

    def unfetched_receptions(self) -> list[Reception]:
        rows = self._db.execute(
            "SELECT seq, job_id, received_at, fetched FROM receptions WHERE fetched=0 ORDER BY seq"
        ).fetchall()
        return [Reception(r[0], r[1], r[2], bool(r[3])) for r in rows]

    # -- jobs ----------------------------------------------------------------------------------
    def save_job(self, job: Job, created_at: float) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO jobs(job_id, kind, title, user_id, state, pages, copies,"
            " pages_done, reason, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                job.job_id,
                job.kind.value,
                job.title,
                job.user_id,
                job.state.value,
                job.pages,
                job.copies,
                job.pages_done,
                job.reason,
                created_at,
            ),
        )

    def update_job(self, job: Job, entry: TimelineEntry | None) -> None:
        with self._db:
            self._db.execute(
                "UPDATE jobs SET title=?, state=?, pages=?, copies=?, pages_done=?, reason=?"
                " WHERE job_id=?",
                (
                    job.title,
                    job.state.value,
                    job.pages,
                    job.copies,
                    job.pages_done,
                    job.reason,
                    job.job_id,
                ),
            )
            if entry is not None:
                self._db.execute(
                    "INSERT INTO timeline(job_id, at, state, note) VALUES (?,?,?,?)",
                    (job.job_id, entry.at, entry.state.value, entry.note),
                )

    def load_jobs(self) -> list[Job]:
        """Every job, oldest first, with its timeline."""
        timelines: dict[str, list[TimelineEntry]] = {}
        for job_id, at, state, note in self._db.execute(
            "SELECT job_id, at, state, note FROM timeline ORDER BY rowid"
        ):
            timelines.setdefault(job_id, []).append(TimelineEntry(at, JobState(state), note))
        jobs = []
        for row in self._db.execute(
            "SELECT job_id, kind, title, user_id, state, pages, copies, pages_done, reason"
            " FROM jobs ORDER BY created_at, rowid"
        ):
            jobs.append(
                Job(
                    job_id=row[0],
                    kind=JobKind(row[1]),
                    title=row[2],
                    user_id=row[3],
                    state=JobState(row[4]),
                    pages=row[5],
                    copies=row[6],
                    pages_done=row[7],
                    reason=row[8],
                    timeline=timelines.get(row[0], []),
                )
            )
        return jobs

    # -- status reports not yet delivered ---------------------------------------------------------
    def add_report(self, job_id: str, state: str, pages_done: int, reason: str) -> None:
        self._db.execute(
            "INSERT INTO reports(job_id, state, pages_done, reason) VALUES (?,?,?,?)",
            (job_id, state, pages_done, reason),
        )

    def pending_reports(self) -> list[PendingReport]:
        rows = self._db.execute(
            "SELECT id, job_id, state, pages_done, reason FROM reports ORDER BY id"
        ).fetchall()
        return [PendingReport(*r) for r in rows]

    def drop_report(self, report_id: int) -> None:
        self._db.execute("DELETE FROM reports WHERE id=?", (report_id,))
