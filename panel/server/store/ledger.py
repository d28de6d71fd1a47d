"""The outbox's idempotency ledger (S1): each key a device used, claimed once, executed at most
once, with its result and the job it created."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from panel.server.store.db import Database


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
class Claim:
    """The answer to claiming an outbox key: ours to execute (`token` set), or already seen."""

    entry: LedgerEntry
    token: str | None

    @property
    def claimed(self) -> bool:
        return self.token is not None


class OutboxLedger:
    """Claims and results of outbox items; a result and its job are one commit."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def claim_outbox_key(
        self, device_id: str, key: str, request_hash: str, stale_after_s: float
    ) -> Claim:
        """Claim `key` for executing it: an unseen key, or a claim left `in_progress` longer than
        `stale_after_s` by a request that died (same request only). Anything else is returned
        as seen, unclaimed. A claim keeps its job id, so a takeover rewrites the same document."""
        now = self._db.clock()
        token = secrets.token_hex(8)
        with self._db.transaction() as db:
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
        with self._db.transaction() as db:
            done = db.execute(
                "UPDATE outbox_ledger SET state='done', status=?, message=?, done_at=?,"
                " executions=executions + 1,"
                " settled=(SELECT COALESCE(MAX(settled), 0) + 1 FROM outbox_ledger)"
                " WHERE device_id=? AND key=? AND claim=? AND state='in_progress'",
                (status, message, self._db.clock(), entry.device_id, entry.key, claim.token),
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

    def expire_outbox_claims(self, stale_after_s: float) -> int:
        """Make every claim in progress stale at once: called as the server starts, when the
        requests that made them died with the last process. A re-sent item then takes its
        claim over (same job id, same document) instead of waiting `stale_after_s` in 409s;
        the purge still keeps it (its age is not moved past the retention)."""
        cur = self._db.execute(
            "UPDATE outbox_ledger SET created_at=MIN(created_at, ?) WHERE state='in_progress'",
            (self._db.clock() - stale_after_s - 1.0,),
        )
        return cur.rowcount

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
        now = self._db.clock()
        cutoff = now - retention_s
        dead = min(cutoff, now - stale_after_s)
        cur = self._db.execute(
            "DELETE FROM outbox_ledger WHERE (state='done' AND done_at<?)"
            " OR (state='in_progress' AND created_at<?)",
            (cutoff, dead),
        )
        return cur.rowcount


_LEDGER_SELECT = (
    "SELECT device_id, key, request_hash, state, job_id, status, message, created_at, executions"
    " FROM outbox_ledger"
)


_OUTGOING_SELECT = (
    "SELECT job_id, device_id, key, kind, user_id, title, pages, destination, document_size,"
    " composed_at, accepted_at FROM outgoing"
)
