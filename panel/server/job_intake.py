"""New print jobs made durable together (a group commit): the documents of every job that
arrived while the last batch was being committed are written and synced at once, then all
their rows (job, creation key, notice) go into one transaction. Each submission still gets
its answer only after its own job is durable, and fails alone: a key used twice, a document
that could not be written, fail that job and no other.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from panel import crashpoints
from panel.protocol.messages import JobInfo
from panel.server.documents import DocumentStore
from panel.server.store import JobKey, Notification, ServerStore
from panel.server.store.group_commit import GroupCommit
from panel.threads import in_thread

DOCUMENT_WRITTEN = crashpoints.point(
    "server.jobs.document-written",
    "a new job's document written and fsync'd; the job's row not committed (a kill leaves a"
    " file no job names: the next start removes it)",
)


@dataclass(frozen=True, slots=True)
class NewJob:
    """A checked submission waiting for its commit; `device_id` is the device it names."""

    job_id: str
    user_id: str
    title: str
    pages: int
    copies: int
    document_name: str
    data: bytes
    device_id: str | None
    key: JobKey | None


@dataclass(frozen=True, slots=True)
class Recorded:
    """A job made durable, and the notice giving it to its device (if it has one now)."""

    job: JobInfo
    note: Notification | None


class JobIntake:
    """Records `NewJob`s in group commits. `device_of_user` says where a user is logged in
    (read inside the commit, as a login may arrive while the documents are written)."""

    def __init__(
        self,
        store: ServerStore,
        docs: DocumentStore,
        device_of_user: Callable[[str], str | None],
    ) -> None:
        self._store = store
        self._docs = docs
        self._device_of_user = device_of_user
        self.commits = GroupCommit[NewJob, Recorded]("job intake", self._record_all)

    async def record(self, job: NewJob) -> Recorded:
        """Durable on return (the document synced, the rows committed). Raises OSError (the
        document), sqlite3.IntegrityError (the key was used), sqlite3.OperationalError."""
        return await self.commits.submit(job)

    async def _record_all(self, jobs: list[NewJob]) -> list[Recorded | Exception]:
        # Written and synced in a thread: a sync takes milliseconds to seconds on a busy
        # disk, and on the loop it stalls every device's socket with it (issue 12).
        errors = await in_thread(self._docs.write_each, [(j.job_id, j.data) for j in jobs])
        results: list[Recorded | Exception] = [e if e is not None else _NOT_YET for e in errors]
        if all(e is not None for e in errors):
            return results
        DOCUMENT_WRITTEN.reach()
        try:
            with self._store.recording_job():  # each job with its notice: one commit for all
                for n, job in enumerate(jobs):
                    if results[n] is _NOT_YET:
                        results[n] = self._record_one(job)
        except sqlite3.OperationalError as exc:  # a full disk: nothing of the batch is kept
            for job, error in zip(jobs, errors, strict=True):
                if error is None:
                    self._docs.delete(job.job_id)
            return [exc] * len(jobs)
        for job, result in zip(jobs, results, strict=True):
            if isinstance(result, sqlite3.IntegrityError):
                self._docs.delete(job.job_id)  # no row names it
        return results

    def _record_one(self, job: NewJob) -> Recorded | Exception:
        store = self._store
        try:
            with store.savepoint():
                info = store.create_job(
                    job.job_id,
                    job.user_id,
                    job.title,
                    job.pages,
                    job.copies,
                    job.document_name,
                    len(job.data),
                    job.key,
                )
                device_id = job.device_id or self._device_of_user(job.user_id)
                if device_id is None:
                    return Recorded(info, None)
                note = store.assign_and_notify(job.job_id, device_id)
        except sqlite3.IntegrityError as exc:  # this job's key is taken: the others go on
            return exc
        return Recorded(dataclasses.replace(info, state="notified", device_id=device_id), note)


_NOT_YET = RuntimeError("not recorded yet")  # a placeholder, never returned
