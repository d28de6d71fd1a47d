"""Where server-side jobs change hands: created for a user, given to a device, reported on.

A job names a device, or it is held for its user and given to the device the user is logged
in at (now, or at their next login): pull printing, as MFP fleets do it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import sqlite3
import uuid
from dataclasses import dataclass

from panel.protocol import idempotency
from panel.protocol.messages import JobCreate, JobInfo, JobStatusReport
from panel.server.documents import DocumentStore, decode_document
from panel.server.http import ApiError
from panel.server.job_intake import JobIntake, NewJob
from panel.server.pdf_check import PageCounts
from panel.server.push import PushHub
from panel.server.store import (
    DEVICE_STATES,
    FINAL_STATES,
    JobKey,
    Notification,
    ServerStore,
    StateChange,
    disk_full,
)
from panel.server.store.group_commit import GroupCommit
from panel.threads import in_thread
from panel.trace import Trace

MAX_COPIES = 999
MAX_TITLE = 200
MAX_USER_ID = 64
DISK_FULL = "The server's disk is full; the job was not stored. Try again later."


@dataclass(frozen=True, slots=True)
class Created:
    """The job a submission made, or (`replayed`) the one its idempotency key made before."""

    job: JobInfo
    replayed: bool = False


def request_hash(req: JobCreate) -> str:
    """The fingerprint a key is stored with: the same request gives the same one, whatever
    order its JSON came in (hashing a large document: call it in a thread)."""
    fields = [req.user_id, req.title, req.document_name, req.copies, req.device_id]
    digest = hashlib.sha256(json.dumps(fields).encode())
    digest.update(req.document_b64.encode())
    return digest.hexdigest()


class Dispatcher:
    def __init__(self, store: ServerStore, docs: DocumentStore, hub: PushHub, trace: Trace) -> None:
        self.store = store
        self.docs = docs
        self._hub = hub
        self._trace = trace
        self._intake = JobIntake(store, docs, store.device_of_user)
        self._pages = PageCounts()
        # Fetches and reports of devices, in group commits too (one commit each was a write
        # on the loop per report: four per printed job).
        self._states = GroupCommit[StateChange, JobInfo]("job states", self._commit_states)
        self._remove_orphans()

    def _remove_orphans(self) -> None:
        """Documents a killed server wrote for jobs it never recorded (the document is made
        durable before the job's commit), and temporary files of writes it was doing."""
        known = self.store.job_ids()
        orphans = [
            path
            for path in self.docs.root.iterdir()
            if path.name.endswith(".tmp") or path.name not in known
        ]
        for path in orphans:
            path.unlink(missing_ok=True)
        if orphans:
            self._trace.emit("jobs", "orphans-removed", documents=len(orphans))

    async def submit(self, req: JobCreate) -> JobInfo:
        """Validate, store the document, record the job, and push it if it has a device."""
        return (await self.create(req)).job

    async def create(self, req: JobCreate, principal: str = "", key: str | None = None) -> Created:
        """`submit`, once per idempotency `key` of `principal`: the key is recorded with the
        job (one commit), and a request sending it again gets that job back (`replayed`),
        or a 422 when its body differs from the first's."""
        job_key = None
        if key is not None:
            job_key = JobKey(principal, key, await in_thread(request_hash, req))
            if (first := self._replayed(job_key)) is not None:
                return first
        if self.store.user(req.user_id) is None:
            raise ApiError(404, "unknown_user", f"There is no user {req.user_id!r}.")
        if req.device_id is not None and not self.store.device_exists(req.device_id):
            raise ApiError(404, "unknown_device", f"There is no device {req.device_id!r}.")
        if not 1 <= req.copies <= MAX_COPIES:
            raise ApiError(400, "bad_copies", f"Copies must be between 1 and {MAX_COPIES}.")
        title = req.title.strip()[:MAX_TITLE] or req.document_name
        data = decode_document(req.document_b64, too_large_status=413)
        pages = await self._pages.pages(data)  # 415 before anything is stored
        job_id = f"job-{uuid.uuid4().hex[:16]}"
        new = NewJob(
            job_id,
            req.user_id,
            title,
            pages,
            req.copies,
            req.document_name,
            data,
            req.device_id,
            job_key,
        )
        try:
            recorded = await self._intake.record(new)  # durable on return, with the others
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise ApiError(507, "disk_full", DISK_FULL) from exc
            raise
        except sqlite3.IntegrityError:
            if job_key is None:
                raise
            # The same key, sent again while the first request was still running, and that
            # one committed first: this one's document went, the first one's job is the answer.
            if (first := self._replayed(job_key)) is not None:
                return first
            raise ApiError(
                409, "idempotency_key_in_use", "A request with this key is being processed."
            ) from None
        except sqlite3.OperationalError as exc:
            if not disk_full(exc):
                raise
            self._trace.emit(
                "jobs", "refused", job_id=job_id, user_id=req.user_id, code="disk_full"
            )
            raise ApiError(507, "disk_full", DISK_FULL) from exc
        self._trace.emit("jobs", "created", job_id=job_id, user_id=req.user_id, pages=pages)
        if recorded.note is not None:
            await self._announce(recorded.note)
        return Created(recorded.job)

    def _replayed(self, key: JobKey) -> Created | None:
        """The job `key` created before (None: the key is new); 422 when it came with
        another request."""
        found = self.store.keyed_job(key.principal, key.key)
        if found is None:
            return None
        first_hash, job_id = found
        if first_hash != key.request_hash:
            raise ApiError(
                422,
                "idempotency_key_reused",
                f"This {idempotency.HEADER} was used for another request (a different body):"
                " send a new key with each new job.",
            )
        job = self.store.job(job_id)
        if job is None:
            return None
        self._trace.emit("jobs", "replayed", job_id=job_id, principal=key.principal)
        return Created(job, replayed=True)

    async def release_held(self, user_id: str, device_id: str) -> int:
        """The user logged in at a device: give it the jobs held for them."""
        held = self.store.jobs(user_id=user_id, state="held")
        for job in held:
            await self._give(job.job_id, device_id)
        return len(held)

    async def _give(self, job_id: str, device_id: str) -> None:
        await self._announce(self.store.assign_and_notify(job_id, device_id))

    async def _announce(self, note: Notification) -> None:
        """The job was given to a device: trace it and push the notice."""
        self._trace.emit(
            "jobs", "assigned", job_id=note.job_id, device=note.device_id, seq=note.seq
        )
        await self._hub.send(note)

    async def job_for_device(self, job_id: str, device_id: str) -> JobInfo:
        job = self.store.job(job_id)
        if job is None or job.device_id != device_id:
            raise ApiError(404, "unknown_job", f"No job {job_id!r} for this device.")
        if job.state == "notified":
            job = await self._states.submit(StateChange(job_id, "fetched"))
            if job.state == "fetched":  # else a report got there first
                self._trace.emit("jobs", "state", job_id=job_id, device=device_id, state="fetched")
        return job

    async def report(self, job_id: str, device_id: str, report: JobStatusReport) -> JobInfo:
        job = self.store.job(job_id)
        if job is None or job.device_id != device_id:
            raise ApiError(404, "unknown_job", f"No job {job_id!r} for this device.")
        if report.state not in DEVICE_STATES:
            raise ApiError(
                400,
                "bad_state",
                f"A device reports one of {sorted(DEVICE_STATES)}, not {report.state!r}.",
            )
        if report.acting_user:
            self._check_acting_user(job, device_id, report.acting_user)
        if job.state in FINAL_STATES:
            if job.state == report.state:
                return job  # a repeated report: already recorded
            raise ApiError(409, "job_final", f"Job {job_id} is already {job.state}.")
        if not 0 <= report.pages_done <= job.pages * job.copies:
            raise ApiError(400, "bad_pages", "pages_done is outside the job's page count.")
        change = StateChange(job_id, report.state, report.pages_done, report.reason[:500])
        updated = await self._states.submit(change)  # committed with others reported meanwhile
        if updated.state != report.state:  # another final report was committed first
            raise ApiError(409, "job_final", f"Job {job_id} is already {updated.state}.")
        self._trace.emit("jobs", "state", job_id=job_id, device=device_id, state=report.state)
        return updated

    async def _commit_states(self, changes: list[StateChange]) -> list[JobInfo | Exception]:
        return list(self.store.set_job_states(changes))

    def _check_acting_user(self, job: JobInfo, device_id: str, user_id: str) -> None:
        """A device acting for the user at its panel: that user must be logged in there (as
        the server recorded it) and own the job or be an administrator."""
        if len(user_id) > MAX_USER_ID:
            raise ApiError(400, "bad_user", f"A user ID is at most {MAX_USER_ID} characters.")
        user = self.store.user(user_id)
        if user is None or self.store.device_of_user(user_id) != device_id:
            # Only a known ID goes into the trace or the answer.
            known = user_id if user is not None else "<unknown id>"
            self._refuse(job, device_id, known, "not_logged_in_here")
            raise ApiError(
                403, "not_logged_in_here", f"User {known} is not logged in at this device."
            )
        if user.role != "admin" and job.user_id != user_id:
            self._refuse(job, device_id, user_id, "not_your_job")
            raise ApiError(
                403,
                "not_your_job",
                f"Job {job.job_id} belongs to another user: only its owner or an administrator"
                " can change it.",
            )

    def _refuse(self, job: JobInfo, device_id: str, user_id: str, code: str) -> None:
        self._trace.emit(
            "jobs",
            "action-refused",
            job_id=job.job_id,
            device=device_id,
            user_id=user_id,
            code=code,
        )
