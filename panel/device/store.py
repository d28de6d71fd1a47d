"""The device's own durable state in SQLite (WAL): receptions, jobs and their timelines,
status reports not yet delivered, the engine's counters and levels, and small metadata such as
the last push sequence seen.

Every write commits before the caller goes on, with synchronous=FULL: a record the device
has acknowledged survives a kill or a power cut. One fact is one commit: a job's new state
goes with the report it owes the server and the reception it settles, a notice's reception
with its job's first row, so a kill between two writes cannot leave half a fact.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from panel.device.engine.status import PrintOptions
from panel.device.model import Job, JobKind, JobState, TimelineEntry
from panel.sqlite import crash_safe_only, open_wal, transaction

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
    created_at REAL NOT NULL,
    destination TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS timeline (
    job_id TEXT NOT NULL,
    at REAL NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS timeline_job ON timeline(job_id);
CREATE TABLE IF NOT EXISTS cache (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS credentials (
    user_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    seen_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL,
    title TEXT NOT NULL,
    pages INTEGER NOT NULL,
    destination TEXT NOT NULL,
    doc_size INTEGER NOT NULL,
    composed_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS job_options (
    job_id TEXT PRIMARY KEY,
    duplex INTEGER NOT NULL,
    colour INTEGER NOT NULL,
    media TEXT NOT NULL,
    tray TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS job_blank_sides (job_id TEXT PRIMARY KEY, pages TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS engine (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS device_reports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    at REAL NOT NULL,
    body TEXT NOT NULL,
    replaceable INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL,
    state TEXT NOT NULL,
    pages_done INTEGER NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS boxes (
    box_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    pin_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS app_sessions (
    launch_id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    app_name TEXT NOT NULL,
    request_token TEXT NOT NULL,
    device_info TEXT NOT NULL,
    user_id TEXT NOT NULL,
    stored_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS box_files (
    file_id TEXT PRIMARY KEY,
    box_id TEXT NOT NULL,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    pages INTEGER NOT NULL,
    size INTEGER NOT NULL,
    created_at REAL NOT NULL,
    sha256 TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Reception:
    seq: int
    job_id: str
    received_at: float
    fetched: bool


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A job request waiting in the outbox; its document is a file named after `key`."""

    seq: int
    key: str
    kind: str
    user_id: str
    title: str
    pages: int
    destination: str
    doc_size: int
    composed_at: float


@dataclass(frozen=True, slots=True)
class CachedCredential:
    user_id: str
    name: str
    role: str
    pin_hash: str


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

    # -- metadata ----------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str = "") -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def meta_with_prefix(self, prefix: str) -> dict[str, str]:
        """The meta rows whose key starts with `prefix` and whose value is not empty."""
        rows = self._db.execute(
            "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ? AND value != ''",
            (len(prefix), prefix),
        )
        return {str(k): str(v) for k, v in rows}

    # -- receptions (S9) ---------------------------------------------------------------------------
    def store_reception(
        self, seq: int, job_id: str, at: float, new_job: tuple[Job, TimelineEntry] | None = None
    ) -> bool:
        """Record a notification durably, with `new_job` (the job's first row and timeline
        entry) when the notice is fresh, in one commit; False when this job was already
        received (a replay)."""
        with transaction(self._db):
            cur = self._db.execute(
                "INSERT OR IGNORE INTO receptions(seq, job_id, received_at) VALUES (?, ?, ?)",
                (seq, job_id, at),
            )
            if cur.rowcount == 1 and new_job is not None:
                job, entry = new_job
                self._insert_job(job, at, replace=False)
                self._insert_entry(job.job_id, entry)
            self._db.execute(
                "INSERT INTO meta(key, value) VALUES ('last_seq', ?) ON CONFLICT(key) "
                "DO UPDATE SET value=MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
                (str(seq),),
            )
        return cur.rowcount == 1

    def last_seq(self) -> int:
        return int(self.get_meta("last_seq", "0"))

    def contiguous_seq(self) -> int:
        """The highest n with notices 1..n all stored: the server replays everything after it,
        so a notice that overtook an earlier one cannot hide the earlier one's loss."""
        contig = int(self.get_meta("contig_seq", "0"))
        start = contig
        for (seq,) in self._db.execute(
            "SELECT seq FROM receptions WHERE seq > ? ORDER BY seq", (contig,)
        ).fetchall():
            if seq != contig + 1:
                break
            contig = seq
        if contig != start:
            self.set_meta("contig_seq", str(contig))
        return contig

    def bind_identity(self, device_id: str) -> bool:
        """Tie this store's push state to `device_id`; True when it belonged to another id.

        A device registered anew (lost secret, another server) starts its notification
        sequence from 1, so the old receptions and reports are dropped; jobs and the outbox
        stay (they are the user's work).
        """
        previous = self.get_meta("device_id")
        if previous == device_id:
            return False
        with transaction(self._db):
            if previous:
                self._db.execute("DELETE FROM receptions")
                self._db.execute("DELETE FROM reports")
                self._db.execute("DELETE FROM meta WHERE key IN ('last_seq', 'contig_seq')")
            self._db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('device_id', ?)", (device_id,)
            )
        return bool(previous)

    def mark_fetched(self, job_id: str) -> None:
        self._db.execute("UPDATE receptions SET fetched=1 WHERE job_id=?", (job_id,))

    def unfetched_receptions(self) -> list[Reception]:
        rows = self._db.execute(
            "SELECT seq, job_id, received_at, fetched FROM receptions WHERE fetched=0 ORDER BY seq"
        ).fetchall()
        return [Reception(r[0], r[1], r[2], bool(r[3])) for r in rows]

    # -- jobs --------------------------------------------------------------------------------------
    def save_job(self, job: Job, created_at: float, entry: TimelineEntry | None = None) -> None:
        """A new job's row and its first timeline entry, in one commit."""
        with transaction(self._db):
            self._insert_job(job, created_at)
            if entry is not None:
                self._insert_entry(job.job_id, entry)

    def save_local_job(self, job: Job, entry: TimelineEntry, options: PrintOptions) -> None:
        """A local job (a copy) with how it prints and its first timeline entry, one commit:
        a restart finds it with its options and prints what was not counted."""
        with transaction(self._db):
            self._insert_job(job, entry.at)
            self._insert_entry(job.job_id, entry)
            self._db.execute(
                "INSERT OR REPLACE INTO job_options(job_id, duplex, colour, media, tray)"
                " VALUES (?,?,?,?,?)",
                (job.job_id, options.duplex, options.colour, options.media, options.tray),
            )
            if options.blank:  # a table of its own: data folders made before it still open
                self._db.execute(
                    "INSERT OR REPLACE INTO job_blank_sides(job_id, pages) VALUES (?, ?)",
                    (job.job_id, ",".join(map(str, sorted(options.blank)))),
                )

    def job_options(self) -> dict[str, PrintOptions]:
        """How each local job prints (cloud jobs print with the defaults)."""
        rows = self._db.execute(
            "SELECT o.job_id, duplex, colour, media, tray, b.pages FROM job_options o"
            " LEFT JOIN job_blank_sides b ON b.job_id = o.job_id"
        )
        return {
            r[0]: PrintOptions(
                bool(r[1]),
                bool(r[2]),
                r[3],
                r[4],
                frozenset(int(p) for p in (r[5] or "").split(",") if p),
            )
            for r in rows
        }

    def _insert_job(self, job: Job, created_at: float, replace: bool = True) -> None:
        self._db.execute(
            f"INSERT OR {'REPLACE' if replace else 'IGNORE'} INTO jobs(job_id, kind, title,"
            " user_id, state, pages, copies, pages_done, reason, created_at, destination)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
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
                job.destination,
            ),
        )

    def update_job(
        self,
        job: Job,
        entry: TimelineEntry | None,
        *,
        report: bool = False,
        fetched: bool = False,
        engine: dict[str, str] | None = None,
    ) -> None:
        """A job's new state (and its timeline entry) in one commit with what it implies:
        `report`, the status report the server is owed for it (kept until delivered);
        `fetched`, its reception settled (the job's information came from the server);
        `engine`, the counters and levels of the page just counted (see save_engine)."""
        with transaction(self._db):
            self._update_job(job)
            if engine:
                self.save_engine(engine)
            if entry is not None:
                self._insert_entry(job.job_id, entry)
            if fetched:
                self._db.execute("UPDATE receptions SET fetched=1 WHERE job_id=?", (job.job_id,))
            if report:
                self._db.execute(
                    "INSERT INTO reports(job_id, state, pages_done, reason) VALUES (?,?,?,?)",
                    (job.job_id, job.state.value, job.pages_done, job.reason),
                )

    def _update_job(self, job: Job) -> None:
        self._db.execute(
            "UPDATE jobs SET title=?, user_id=?, state=?, pages=?, copies=?, pages_done=?,"
            " reason=? WHERE job_id=?",
            (
                job.title,
                job.user_id,
                job.state.value,
                job.pages,
                job.copies,
                job.pages_done,
                job.reason,
                job.job_id,
            ),
        )

    def _insert_entry(self, job_id: str, entry: TimelineEntry) -> None:
        self._db.execute(
            "INSERT INTO timeline(job_id, at, state, note) VALUES (?,?,?,?)",
            (job_id, entry.at, entry.state.value, entry.note),
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
            "SELECT job_id, kind, title, user_id, state, pages, copies, pages_done, reason,"
            " destination FROM jobs ORDER BY created_at, rowid"
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
                    destination=row[9],
                )
            )
        return jobs

    # -- status reports not yet delivered (written with their state change: update_job) ---------
    def pending_reports(self) -> list[PendingReport]:
        rows = self._db.execute(
            "SELECT id, job_id, state, pages_done, reason FROM reports ORDER BY id"
        ).fetchall()
        return [PendingReport(*r) for r in rows]

    def drop_report(self, report_id: int) -> None:
        self._db.execute("DELETE FROM reports WHERE id=?", (report_id,))

    # -- the engine's counters and levels: one table of named values ----------------------------
    def save_engine(self, values: dict[str, str]) -> None:
        """Set engine values ("counter:total", "user:<id>", "toner:<colour>",
        "tray:<id>:level", "tray:<id>:media"): absolute values, so a write repeated after a
        crash cannot count twice. Joins the caller's transaction when there is one."""
        with transaction(self._db):
            self._db.executemany(
                "INSERT OR REPLACE INTO engine(key, value) VALUES (?, ?)", list(values.items())
            )

    def load_engine(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self._db.execute("SELECT key, value FROM engine")}

    # -- cache of the server's information (S1) ----------------------------------------------------
    def load_cache(self) -> tuple[int, str] | None:
        row = self._db.execute("SELECT version, snapshot FROM cache WHERE id=1").fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def save_cache(self, version: int, snapshot: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO cache(id, version, snapshot) VALUES (1, ?, ?)",
            (version, snapshot),
        )
        # The snapshot (the whole user directory: hundreds of kB) is read back only at start:
        # do not keep the pages it went through in this connection's page cache. A fleet
        # process runs thousands of devices (issue 12: 0.39 MB a device instead of 0.56).
        self._db.execute("PRAGMA shrink_memory")

    # -- credentials for offline login -------------------------------------------------------------
    def save_credential(self, cred: CachedCredential, seen_at: float) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO credentials(user_id, name, role, pin_hash, seen_at)"
            " VALUES (?,?,?,?,?)",
            (cred.user_id, cred.name, cred.role, cred.pin_hash, seen_at),
        )

    def credential(self, user_id: str) -> CachedCredential | None:
        row = self._db.execute(
            "SELECT user_id, name, role, pin_hash FROM credentials WHERE user_id=?", (user_id,)
        ).fetchone()
        return CachedCredential(*row) if row else None

    # -- the outbox (S1) ---------------------------------------------------------------------------
    def outbox_add(self, row: OutboxRow, job: Job, entry: TimelineEntry) -> int:
        """The job request, its job-list row and its first timeline entry, in one commit."""
        with transaction(self._db):
            cur = self._db.execute(
                "INSERT INTO outbox(key, kind, user_id, title, pages, destination, doc_size,"
                " composed_at) VALUES (?,?,?,?,?,?,?,?)",
                (
                    row.key,
                    row.kind,
                    row.user_id,
                    row.title,
                    row.pages,
                    row.destination,
                    row.doc_size,
                    row.composed_at,
                ),
            )
            self._insert_job(job, row.composed_at)
            self._insert_entry(job.job_id, entry)
        return int(cur.lastrowid or 0)

    def outbox_rows(self, limit: int = -1, after_seq: int = 0) -> list[OutboxRow]:
        """Waiting requests composed after `after_seq`, oldest first."""
        rows = self._db.execute(
            "SELECT seq, key, kind, user_id, title, pages, destination, doc_size, composed_at"
            " FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
            (after_seq, limit),
        ).fetchall()
        return [OutboxRow(*r) for r in rows]

    def outbox_usage(self) -> tuple[int, int]:
        """(jobs, bytes) held in the outbox."""
        count, size = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(doc_size), 0) FROM outbox"
        ).fetchone()
        return int(count), int(size)

    def outbox_keys(self) -> set[str]:
        return {str(r[0]) for r in self._db.execute("SELECT key FROM outbox")}

    def outbox_settle(
        self, jobs: list[tuple[Job, TimelineEntry]], keys: list[str], durable: bool = True
    ) -> None:
        """Jobs leave the outbox (accepted, failed, cancelled) with their new state: one commit.

        Not `durable`: the commit survives a crash but not a power cut, which suits the
        server's answers: a job whose answer is lost is sent again and the server replays it.
        """
        with (
            contextlib.nullcontext() if durable else crash_safe_only(self._db),
            transaction(self._db),
        ):
            self._db.executemany("DELETE FROM outbox WHERE key=?", [(k,) for k in keys])
            for job, entry in jobs:
                self._update_job(job)
                self._insert_entry(job.job_id, entry)

    def update_jobs(self, jobs: list[tuple[Job, TimelineEntry]]) -> None:
        """Many state changes in one commit (a batch going to `sending`)."""
        with transaction(self._db):
            for job, entry in jobs:
                self._update_job(job)
                self._insert_entry(job.job_id, entry)

    # -- device reports (issue 14): status and usage, kept until the server has them ---------------
    def queue_report(self, kind: str, at: float, body: str, *, replaceable: bool) -> int:
        """Queue a report under a new seq. A `replaceable` one (levels, counters) takes the
        place of the newest unsent report of its kind if that one was replaceable too (latest
        wins), and is committed without fsync: a power cut may lose it, the next one says as
        much. Others (a fault raised or cleared, a usage record) are durable."""
        with (
            crash_safe_only(self._db) if replaceable else contextlib.nullcontext(),
            transaction(self._db),
        ):
            if replaceable:
                self._db.execute(
                    "DELETE FROM device_reports WHERE replaceable=1 AND seq=(SELECT MAX(seq)"
                    " FROM device_reports WHERE kind=?)",
                    (kind,),
                )
            cur = self._db.execute(
                "INSERT INTO device_reports(kind, at, body, replaceable) VALUES (?,?,?,?)",
                (kind, at, body, int(replaceable)),
            )
        return int(cur.lastrowid or 0)

    def queued_reports(self, limit: int = -1) -> list[tuple[int, str, float, str]]:
        """(seq, kind, at, body) of the reports not yet delivered, oldest first."""
        rows = self._db.execute(
            "SELECT seq, kind, at, body FROM device_reports ORDER BY seq LIMIT ?", (limit,)
        )
        return [(int(r[0]), str(r[1]), float(r[2]), str(r[3])) for r in rows]

    def drop_reports(self, seqs: list[int]) -> None:
        """Delivered: a drop lost in a power cut sends them again, and the server has them."""
        with crash_safe_only(self._db), transaction(self._db):
            self._db.executemany("DELETE FROM device_reports WHERE seq=?", [(s,) for s in seqs])

    # -- server apps (S8, panel/device/apps.py) ---------------------------------------------------
    def save_app_session(self, row: tuple[str, str, str, str, str, str, float]) -> None:
        """(launch_id, app_id, app_name, request_token, device_info JSON, user_id, stored_at):
        the request information kept with the identifying information, in one commit."""
        with transaction(self._db):
            self._db.execute("INSERT OR REPLACE INTO app_sessions VALUES (?,?,?,?,?,?,?)", row)

    def app_sessions(self) -> list[tuple[str, str, str, str, str, str, float]]:
        rows = self._db.execute("SELECT * FROM app_sessions ORDER BY stored_at")
        return [(r[0], r[1], r[2], r[3], r[4], r[5], float(r[6])) for r in rows]

    def drop_app_session(self, launch_id: str) -> None:
        with transaction(self._db):
            self._db.execute("DELETE FROM app_sessions WHERE launch_id=?", (launch_id,))

    # -- document boxes (S6, panel/device/files.py) ----------------------------------------------
    def box_rows(self) -> list[tuple[str, str, str, str]]:
        """(box_id, name, owner, pin_hash) of every box."""
        rows = self._db.execute("SELECT box_id, name, owner, pin_hash FROM boxes ORDER BY box_id")
        return [(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]

    def box_file_rows(self) -> list[tuple[str, str, str, str, int, int, float, str]]:
        """(file_id, box_id, name, owner, pages, size, created_at, sha256), oldest first."""
        rows = self._db.execute(
            "SELECT file_id, box_id, name, owner, pages, size, created_at, sha256"
            " FROM box_files ORDER BY created_at, file_id"
        )
        return [(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), float(r[6]), r[7]) for r in rows]

    @contextlib.contextmanager
    def box_change(self) -> Iterator[BoxWriter]:
        """One commit for a box change and the report it owes the server (a Reports.add made
        inside joins it)."""
        with transaction(self._db):
            yield BoxWriter(self._db)


class BoxWriter:
    """Writes of one `DeviceStore.box_change` transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def put_box(self, box_id: str, name: str, owner: str, pin_hash: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO boxes(box_id, name, owner, pin_hash) VALUES (?,?,?,?)",
            (box_id, name, owner, pin_hash),
        )

    def add_file(self, row: tuple[str, str, str, str, int, int, float, str]) -> None:
        self._db.execute(
            "INSERT INTO box_files(file_id, box_id, name, owner, pages, size, created_at, sha256)"
            " VALUES (?,?,?,?,?,?,?,?)",
            row,
        )

    def remove_file(self, file_id: str) -> None:
        self._db.execute("DELETE FROM box_files WHERE file_id=?", (file_id,))
