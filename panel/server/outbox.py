"""The server end of a device's outbox (S1): job requests held while offline, executed in order,
each exactly once however often it is re-sent.

Each item carries an idempotency key (the IETF Idempotency-Key semantics, per item). The
ledger in the store remembers, per device and key, a SHA-256 of the item and its result:
an unseen key is claimed, executed and its result stored; a key seen with the same item
replays the stored result without executing again; with another item it is refused (422);
while its first request is still executing it is a conflict (409), and the rest of that batch
is not attempted, so a device's items are never executed out of order.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import hashlib
import json
import logging
import math
import re
import sqlite3

from panel import crashpoints
from panel.protocol.messages import OutboxBatch, OutboxItem, OutboxReply, OutboxResult
from panel.server.documents import DocumentStore, decode_document
from panel.server.http import ApiError
from panel.server.store import Claim, LedgerEntry, OutgoingJob, ServerStore, disk_full
from panel.threads import in_thread
from panel.trace import Trace

_log = logging.getLogger(__name__)

MAX_BATCH_ITEMS = 500
MAX_PAGES = 500
MAX_TITLE = 200
MAX_KEY = 200
LEDGER_RETENTION_S = 7 * 24 * 3600.0  # keys are remembered at least this long after their result
PURGE_INTERVAL_S = 3600.0
CLAIM_STALE_S = 600.0  # a claim this old belongs to a request that died: it may be taken over
KINDS = ("scan", "fax")
_FAX_NUMBER = re.compile(r"[0-9 +\-*#]{3,32}")
_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})

KEY_REUSED = "this idempotency key was used with a different request"
IN_PROGRESS = "this idempotency key is being executed by an earlier request; retry later"
TAKEN_OVER = "this idempotency key was taken over by a newer request; retry later"
NOT_ATTEMPTED_IN_PROGRESS = "not attempted: an earlier item is in progress"
NOT_ATTEMPTED_FAILED = "not attempted: an earlier item could not be stored"
DISK_FULL = "The server's disk is full; the job was not stored. Send it again later."
STORE_FAILED = "The server could not store the document; the job was not stored. Send it again."


CLAIMED = crashpoints.point(
    "server.outbox.claimed",
    "a batch's idempotency keys claimed (in progress) in one commit; no document written yet",
)
DOCUMENTS_WRITTEN = crashpoints.point(
    "server.outbox.documents-written",
    "a batch's accepted documents written and fsync'd; their results not recorded yet",
)
RESULTS_COMMITTED = crashpoints.point(
    "server.outbox.results-committed",
    "a batch's results and the jobs it created committed in one transaction; the HTTP reply"
    " not written",
)

_ITEM_FIELDS = tuple(sorted(f.name for f in dataclasses.fields(OutboxItem)))
_CANONICAL = json.JSONEncoder(separators=(",", ":"))  # ASCII; fields in sorted order


def request_hash(item: OutboxItem) -> str:
    """The item's fingerprint: SHA-256 of its canonical JSON (sorted keys, no spaces, ASCII).
    The item is flat, so its fields are its JSON object (no generic codec walk per item)."""
    canonical = _CANONICAL.encode({name: getattr(item, name) for name in _ITEM_FIELDS})
    return hashlib.sha256(canonical.encode()).hexdigest()


class Outbox:
    """Executes outbox batches against the store; `docs` is where accepted documents go."""

    def __init__(
        self,
        store: ServerStore,
        docs: DocumentStore,
        trace: Trace,
        retention_s: float = LEDGER_RETENTION_S,
        claim_stale_s: float = CLAIM_STALE_S,
    ) -> None:
        self.store = store
        self.docs = docs
        self.retention_s = retention_s
        self.claim_stale_s = claim_stale_s
        self._trace = trace
        # Claims in progress now belong to requests of a process that died (a crash between
        # a claim and its result): the device's re-send takes them over at once.
        if expired := store.expire_outbox_claims(claim_stale_s):
            trace.emit("outbox", "claims-expired", claims=expired)

    async def run(self, device_id: str, batch: OutboxBatch) -> OutboxReply:
        """One result per item, executed in the batch's order; an item in progress elsewhere or
        one that could not be stored stops the batch (the rest: 409, not attempted)."""
        if len(batch.items) > MAX_BATCH_ITEMS:
            raise ApiError(
                400,
                "too_many_items",
                f"A batch holds at most {MAX_BATCH_ITEMS} items, not {len(batch.items)}; "
                "send the rest in another batch.",
            )
        # 1. In order: claim and validate each item, stopping at one in progress elsewhere.
        # One commit for all the claims.
        results: list[OutboxResult | None] = []
        to_write: list[tuple[int, OutboxItem, Claim, bytes, str]] = []
        repeats: dict[int, int] = {}  # the same key again in this batch -> its first index
        with self.store.batch():
            self._claim_all(device_id, batch.items, results, to_write, repeats)
        if to_write:
            CLAIMED.reach()
        # 2. The documents, written and made durable together, off the loop (other requests,
        # and duplicates of these, go on meanwhile and see the claims in progress).
        try:
            written, error = await in_thread(
                self.docs.write_batch,
                [(claim.entry.job_id, data) for _, _, claim, data, _ in to_write],
            )
        except BaseException:
            for _, _, claim, _, _ in to_write:
                with contextlib.suppress(sqlite3.Error):
                    self.store.release_outbox_claim(claim)
            raise
        if written:
            DOCUMENTS_WRITTEN.reach()
        # 3. The results, in one commit; if that commit fails (a full disk), one by one, so
        # each item still gets its own answer and the order holds.
        try:
            with self.store.batch():
                self._record_all(device_id, to_write, written, error, results)
        except sqlite3.OperationalError as exc:
            if not disk_full(exc):
                raise
            self._record_all(device_id, to_write, written, error, results)
        if to_write:
            RESULTS_COMMITTED.reach()
        for index, first in repeats.items():
            done = results[first]
            assert done is not None
            key = batch.items[index].key
            status = 200 if done.status == 201 else done.status
            results[index] = OutboxResult(key, status, done.job_id, done.message)
        return OutboxReply([r for r in results if r is not None])

    def _claim_all(
        self,
        device_id: str,
        items: list[OutboxItem],
        results: list[OutboxResult | None],
        to_write: list[tuple[int, OutboxItem, Claim, bytes, str]],
        repeats: dict[int, int],
    ) -> None:
        first_of: dict[str, tuple[int, str]] = {}
        stopped: str | None = None
        for item in items:
            if stopped is not None:
                results.append(self._not_attempted(device_id, item, stopped))
                continue
            digest = request_hash(item)
            earlier = first_of.get(item.key)
            if earlier is not None:
                if earlier[1] == digest:
                    repeats[len(results)] = earlier[0]  # answered like a retry, at the end
                    results.append(None)
                else:
                    results.append(OutboxResult(item.key, 422, "", KEY_REUSED))
                continue
            first_of[item.key] = (len(results), digest)
            outcome = self._prepare(device_id, item, digest)
            if isinstance(outcome, OutboxResult):
                results.append(outcome)
                if outcome.status == 409:
                    stopped = NOT_ATTEMPTED_IN_PROGRESS
                elif outcome.status >= 500:
                    stopped = NOT_ATTEMPTED_FAILED
            else:
                to_write.append((len(results), item, *outcome))
                results.append(None)

    def _record_all(
        self,
        device_id: str,
        to_write: list[tuple[int, OutboxItem, Claim, bytes, str]],
        written: int,
        error: OSError | None,
        results: list[OutboxResult | None],
    ) -> None:
        broken = False  # after a failure nothing later may execute: the order must hold
        for n, (index, item, claim, data, title) in enumerate(to_write):
            if n < written and not broken:
                results[index] = result = self._finish(device_id, item, claim, data, title)
                broken = result.status != 201
                continue
            with contextlib.suppress(sqlite3.Error):  # else it goes stale and is taken over
                self.store.release_outbox_claim(claim)
                if n < written and self.store.ledger_entry(device_id, item.key) is None:
                    self.docs.delete(claim.entry.job_id)  # written, but nothing refers to it
            if n == written and error is not None and not broken:
                results[index] = self._write_failed(device_id, item, claim, error)
            else:
                results[index] = self._not_attempted(device_id, item, NOT_ATTEMPTED_FAILED)

    def _not_attempted(self, device_id: str, item: OutboxItem, why: str) -> OutboxResult:
        result = OutboxResult(item.key, 409, "", why)
        self._emit("conflict", device_id, result, attempted=False)
        return result

    def _prepare(
        self, device_id: str, item: OutboxItem, digest: str
    ) -> OutboxResult | tuple[Claim, bytes, str]:
        """A result already known (refused, replayed, conflicting), or the claim to execute."""
        if not 1 <= len(item.key) <= MAX_KEY or not item.key.isprintable():
            message = f"An idempotency key is 1 to {MAX_KEY} printable characters."
            result = OutboxResult(item.key, 400, "", message)
            self._emit("refused", device_id, result, recorded=False)
            return result
        try:
            claim = self.store.claim_outbox_key(device_id, item.key, digest, self.claim_stale_s)
        except sqlite3.OperationalError as exc:
            if not disk_full(exc):
                raise
            return self._disk_full(device_id, item)
        if not claim.claimed:
            return self._seen(device_id, item, claim.entry, digest)
        try:
            data, title = self._validate(item)
        except ApiError as exc:
            if self.store.finish_outbox_item(claim, 400, exc.message) is None:
                return self._taken_over(device_id, item)
            result = OutboxResult(item.key, 400, "", exc.message)
            self._emit("refused", device_id, result, code=exc.code)
            return result
        return claim, data, title

    def _write_failed(
        self, device_id: str, item: OutboxItem, claim: Claim, exc: OSError
    ) -> OutboxResult:
        if exc.errno in _DISK_FULL:
            return self._disk_full(device_id, item)
        _log.error("storing outbox document %s failed: %s", claim.entry.job_id, exc)
        result = OutboxResult(item.key, 500, "", STORE_FAILED)
        self._emit("refused", device_id, result, code="io_error")
        return result

    def _seen(
        self, device_id: str, item: OutboxItem, entry: LedgerEntry, digest: str
    ) -> OutboxResult:
        if entry.request_hash != digest:
            result = OutboxResult(item.key, 422, "", KEY_REUSED)
            self._emit("conflict", device_id, result, reason="different_request")
        elif entry.state == "in_progress":
            result = OutboxResult(item.key, 409, "", IN_PROGRESS)
            self._emit("conflict", device_id, result, reason="in_progress")
        else:
            assert entry.status is not None
            accepted = entry.status == 201
            result = OutboxResult(
                item.key,
                200 if accepted else entry.status,
                entry.job_id if accepted else "",
                entry.message,
            )
            self._emit("replayed", device_id, result)
        return result

    def _finish(
        self, device_id: str, item: OutboxItem, claim: Claim, data: bytes, title: str
    ) -> OutboxResult:
        job_id = claim.entry.job_id
        job = OutgoingJob(
            job_id,
            device_id,
            item.key,
            item.kind,
            item.user_id,
            title,
            item.pages,
            item.destination,
            len(data),
            item.composed_at,
            self.store.clock(),
        )
        try:
            finished = self.store.finish_outbox_item(claim, 201, "", job)
        except sqlite3.OperationalError as exc:
            if not disk_full(exc):
                raise
            with contextlib.suppress(sqlite3.Error):  # else it goes stale and is taken over
                self.store.release_outbox_claim(claim)
                if self.store.ledger_entry(device_id, item.key) is None:
                    self.docs.delete(job_id)  # nothing refers to it
            return self._disk_full(device_id, item)
        if finished is None:
            return self._taken_over(device_id, item)
        result = OutboxResult(item.key, 201, job_id)
        self._emit("executed", device_id, result, kind=item.kind, size=len(data))
        return result

    def _disk_full(self, device_id: str, item: OutboxItem) -> OutboxResult:
        result = OutboxResult(item.key, 507, "", DISK_FULL)
        self._emit("refused", device_id, result, code="disk_full")
        return result

    def _taken_over(self, device_id: str, item: OutboxItem) -> OutboxResult:
        result = OutboxResult(item.key, 409, "", TAKEN_OVER)
        self._emit("conflict", device_id, result, reason="taken_over")
        return result

    def _validate(self, item: OutboxItem) -> tuple[bytes, str]:
        """The decoded document and the title to keep, or an ApiError saying what is wrong."""
        if item.kind not in KINDS:
            raise ApiError(400, "bad_kind", f"kind must be 'scan' or 'fax', not {item.kind!r}.")
        if self.store.user(item.user_id) is None:
            raise ApiError(400, "unknown_user", f"There is no user {item.user_id!r}.")
        if item.kind == "scan" and self.store.destination(item.destination) is None:
            raise ApiError(
                400,
                "unknown_destination",
                f"There is no destination {item.destination!r} in the address book.",
            )
        if item.kind == "fax" and not (
            _FAX_NUMBER.fullmatch(item.destination) and any(c.isdigit() for c in item.destination)
        ):
            raise ApiError(
                400,
                "bad_fax_number",
                f"{item.destination!r} is not a fax number "
                "(3 to 32 characters: digits, spaces, +, -, *, #).",
            )
        if not 1 <= item.pages <= MAX_PAGES:
            raise ApiError(400, "bad_pages", f"pages must be between 1 and {MAX_PAGES}.")
        if not math.isfinite(item.composed_at):
            raise ApiError(400, "bad_time", "composed_at must be a time in seconds.")
        data = decode_document(item.document_b64, too_large_status=400)
        return data, item.title.strip()[:MAX_TITLE] or item.kind.capitalize()

    def _emit(self, event: str, device_id: str, result: OutboxResult, **extra: object) -> None:
        self._trace.emit(
            "outbox",
            event,
            device=device_id,
            key=result.key,
            status=result.status,
            job_id=result.job_id,
            **extra,
        )

    # -- keeping the ledger small ---------------------------------------------------------------
    def purge(self) -> int:
        """Forget keys older than the retention; returns how many."""
        purged = self.store.purge_ledger(self.retention_s, self.claim_stale_s)
        if purged:
            self._trace.emit("outbox", "purged", entries=purged, retention_s=self.retention_s)
        return purged

    async def purge_forever(self, interval_s: float) -> None:
        """Purge now and every `interval_s` (the app's cleanup_ctx starts and cancels this)."""
        while True:
            try:
                self.purge()
            except sqlite3.Error:
                _log.exception("purging the outbox ledger failed; trying again later")
            await asyncio.sleep(interval_s)
