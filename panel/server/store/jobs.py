"""Print jobs: held for their user, given to a device with a push notice, and the states the
device reports."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from dataclasses import dataclass

from panel import crashpoints
from panel.protocol.messages import JobInfo
from panel.server.store.db import Database
from panel.server.store.notices import Notification

FINAL_STATES = frozenset({"completed", "failed", "cancelled"})
DEVICE_STATES = frozenset({"printing", "completed", "failed", "cancelled"})
JOB_STATES = frozenset({"held", "notified", "fetched"}) | DEVICE_STATES

CREATED = crashpoints.point(
    "server.jobs.created",
    "a new job's row and the push notice giving it to a device committed together; the"
    " notice not pushed, the HTTP reply not written",
)
FETCHED = crashpoints.point(
    "server.jobs.fetched",
    "a job a device fetched marked fetched; the job's information not sent to the device yet",
)
REPORTED = crashpoints.point(
    "server.jobs.reported",
    "a device's status report (printing or final) committed; the HTTP reply not written",
)


@dataclass(frozen=True, slots=True)
class StateChange:
    """A job fetched by its device (`state` "fetched"), or a state the device reported."""

    job_id: str
    state: str
    pages_done: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class JobKey:
    """An `Idempotency-Key` a caller (`principal`, e.g. "admin:9000") sent to create a job,
    and the fingerprint of the request it came with."""

    principal: str
    key: str
    request_hash: str


class Jobs:
    """Print jobs and their states; giving one to a device records its notice in the same commit."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def recording_job(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """Creating a job and giving it to its device (`create_job`, `assign_and_notify`)
        in one commit: a kill between the two would leave it held, its notice never sent.
        A group commit records several jobs in one, each in its own `savepoint()`."""
        return self._db.transaction(CREATED)

    def savepoint(self) -> contextlib.AbstractContextManager[None]:
        """One job of a group commit (inside `recording_job`): it fails alone."""
        return self._db.savepoint()

    def create_job(
        self,
        job_id: str,
        user_id: str,
        title: str,
        pages: int,
        copies: int,
        document_name: str,
        document_size: int,
        key: JobKey | None = None,
    ) -> JobInfo:
        """A new job, held; with `key`, the key is recorded in the same commit (a key already
        used by this principal: sqlite3.IntegrityError, and nothing is recorded)."""
        now = time.time()
        with self._db.transaction() as db:  # with its notice, in `recording_job`
            db.execute(
                "INSERT INTO jobs(job_id, user_id, title, pages, copies, state, device_id,"
                " created_at, updated_at, document_name, document_size)"
                " VALUES (?,?,?,?,?,'held',NULL,?,?,?,?)",
                (job_id, user_id, title, pages, copies, now, now, document_name, document_size),
            )
            if key is not None:
                db.execute(
                    "INSERT INTO job_keys(principal, key, request_hash, job_id, created_at)"
                    " VALUES (?,?,?,?,?)",
                    (key.principal, key.key, key.request_hash, job_id, self._db.clock()),
                )
        # What `job(job_id)` would read back, without reading it (a group commit makes many).
        return JobInfo(
            job_id, user_id, title, pages, copies, "held", None, now, document_name, document_size
        )

    def delete_job(self, job_id: str) -> None:
        with self._db.transaction() as db:
            db.execute("DELETE FROM job_keys WHERE job_id=?", (job_id,))
            db.execute("DELETE FROM jobs WHERE job_id=?", (job_id,))

    def keyed_job(self, principal: str, key: str) -> tuple[str, str] | None:
        """(request fingerprint, job id) of the job `principal` created with `key`."""
        row = self._db.execute(
            "SELECT request_hash, job_id FROM job_keys WHERE principal=? AND key=?",
            (principal, key),
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def purge_job_keys(self, retention_s: float) -> int:
        """Forget keys older than `retention_s` (their jobs stay); returns how many."""
        cutoff = self._db.clock() - retention_s
        return self._db.execute("DELETE FROM job_keys WHERE created_at<?", (cutoff,)).rowcount

    def job_ids(self) -> set[str]:
        """Every job's id (the server's start looks for documents no job names)."""
        return {str(r[0]) for r in self._db.execute("SELECT job_id FROM jobs")}

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
        with self._db.transaction() as db:  # with its creation, in `recording_job`
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

    def set_job_state(
        self, job_id: str, state: str, pages_done: int | None = None, reason: str = ""
    ) -> JobInfo:
        """Fetched (the server's own step) or a state the device reported."""
        with self._db.transaction(FETCHED if state == "fetched" else REPORTED) as db:
            db.execute(
                "UPDATE jobs SET state=?, pages_done=COALESCE(?, pages_done), reason=?,"
                " updated_at=? WHERE job_id=?",
                (state, pages_done, reason, time.time(), job_id),
            )
        job = self.job(job_id)
        assert job is not None
        return job

    def set_job_states(self, changes: list[StateChange]) -> list[JobInfo]:
        """Many fetches and reports in one commit (a group commit), in order; each change's
        job as it is after the commit. A fetch changes only a job still `notified`, a report
        only a job not final yet: the caller compares the state it gets with the one it
        asked for. FETCHED and REPORTED are reached after the commit, as by `set_job_state`."""
        now = time.time()
        fetched = reported = False
        jobs: list[JobInfo] = []
        with self._db.transaction() as db:
            for change in changes:
                if change.state == "fetched":
                    fetched |= _changed(
                        db.execute(
                            "UPDATE jobs SET state='fetched', updated_at=?"
                            " WHERE job_id=? AND state='notified'",
                            (now, change.job_id),
                        )
                    )
                else:
                    reported |= _changed(
                        db.execute(
                            "UPDATE jobs SET state=?, pages_done=COALESCE(?, pages_done),"
                            " reason=?, updated_at=? WHERE job_id=?"
                            " AND state NOT IN ('completed', 'failed', 'cancelled')",
                            (change.state, change.pages_done, change.reason, now, change.job_id),
                        )
                    )
                job = self.job(change.job_id)
                assert job is not None
                jobs.append(job)
        if not db.in_transaction:  # joined into a batch: its own commit says when
            if fetched:
                FETCHED.reach()
            if reported:
                REPORTED.reach()
        return jobs


def _changed(cursor: sqlite3.Cursor) -> bool:
    return cursor.rowcount > 0


_JOB_SELECT = (
    "SELECT job_id, user_id, title, pages, copies, state, device_id, created_at, document_name,"
    " document_size, pages_done, reason FROM jobs"
)
