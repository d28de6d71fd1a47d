"""Jobs created in group commits: many submissions made durable by one sync and one
transaction, each answered only once its own job is durable, each failing alone."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import errno
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from panel import crashpoints
from panel.protocol.messages import JobCreate
from panel.server import job_intake
from panel.server.demo_data import sample_pdf
from panel.server.dispatch import Created, Dispatcher
from panel.server.documents import DocumentStore
from panel.server.http import ApiError
from panel.server.pdf_check import PageCounts
from panel.server.push import PushHub
from panel.server.store import ServerStore
from panel.server.store import jobs as store_jobs
from panel.server.store.group_commit import GroupCommit
from panel.trace import Trace

PDF = base64.b64encode(sample_pdf(3, "batch")).decode()


class Killed(Exception):
    """The test's stand-in for a SIGKILL at a crash point: nothing after it runs."""


@pytest.fixture
async def dispatcher(store: ServerStore, tmp_path: Path) -> AsyncIterator[Dispatcher]:
    for user in ("u", "v"):
        store.add_user(user, user.upper(), "1234")
    trace = Trace(None)
    yield Dispatcher(store, DocumentStore(tmp_path / "documents"), PushHub(store, trace), trace)
    crashpoints.disarm_all()


async def primed(dispatcher: Dispatcher) -> str:
    """One job made first: its document's page count is known from then on, so the
    submissions that follow reach the group commit together (one batch)."""
    return (await dispatcher.create(job())).job.job_id


def committed_jobs(store: ServerStore) -> list[str]:
    """Job ids another process (the server started again) finds in the database file."""
    with contextlib.closing(sqlite3.connect(store.path)) as conn:
        return sorted(r[0] for r in conn.execute("SELECT job_id FROM jobs"))


def job(user: str = "u", title: str = "t") -> JobCreate:
    return JobCreate(user, title, PDF, "doc.pdf")


async def test_concurrent_submissions_share_commits_and_each_is_durable(
    dispatcher: Dispatcher, store: ServerStore
) -> None:
    created = await asyncio.gather(*(dispatcher.create(job(title=f"t{n}")) for n in range(40)))
    ids = sorted(c.job.job_id for c in created)
    assert len(set(ids)) == 40
    assert committed_jobs(store) == ids
    assert sorted(p.name for p in dispatcher.docs.root.iterdir()) == ids
    assert all(c.job.pages == 3 and c.job.state == "held" for c in created)
    assert [store.job(c.job.job_id) for c in created] == [c.job for c in created]
    assert dispatcher._intake.commits.batches < 40  # what a group commit is


async def test_a_reply_waits_for_the_commit_of_its_whole_batch(
    dispatcher: Dispatcher, store: ServerStore
) -> None:
    """Killed right after a batch's commit, before any answer: every job of the batch is
    already in the file, and no submission of it was answered."""
    seen: list[list[str]] = []

    def kill() -> None:
        seen.append(committed_jobs(store))
        raise Killed

    before = [await primed(dispatcher)]
    store_jobs.CREATED.arm(kill)
    results = await asyncio.gather(
        *(dispatcher.create(job()) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(r, Killed) for r in results)  # none answered
    assert len(seen) == 1  # one batch, one commit
    assert len(seen[0]) == 1 + 5  # every job of the batch in the file
    assert committed_jobs(store) == seen[0]
    assert set(before) < set(seen[0])


async def test_a_document_that_cannot_be_written_fails_its_job_alone(
    dispatcher: Dispatcher, store: ServerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = dispatcher.docs
    write = docs._write_new
    calls: list[str] = []

    def full_for_the_second(job_id: str, data: bytes) -> OSError | None:
        calls.append(job_id)
        if len(calls) == 2:
            return OSError(errno.ENOSPC, "No space left on device")
        return write(job_id, data)

    monkeypatch.setattr(docs, "_write_new", full_for_the_second)
    results = await asyncio.gather(
        *(dispatcher.create(job()) for _ in range(4)), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, ApiError)]
    assert [(r.status, r.code) for r in refused] == [(507, "disk_full")]
    made = sorted(r.job.job_id for r in results if isinstance(r, Created))
    assert len(made) == 3
    assert committed_jobs(store) == made
    assert sorted(p.name for p in docs.root.iterdir()) == made  # nothing left of the refused


async def test_a_key_sent_twice_at_once_makes_one_job_and_spares_the_batch(
    dispatcher: Dispatcher, store: ServerStore
) -> None:
    """Two requests with one Idempotency-Key in the same batch: the second's savepoint is
    undone (its key is taken), it is answered with the first's job; the others are made."""
    same = job(title="same")
    results = await asyncio.gather(
        dispatcher.create(job("v")),
        dispatcher.create(same, "admin:1", "key-1"),
        dispatcher.create(same, "admin:1", "key-1"),
        dispatcher.create(job("v")),
    )
    first, again = results[1], results[2]
    assert first.job.job_id == again.job.job_id
    assert (first.replayed, again.replayed) == (False, True)
    assert len(committed_jobs(store)) == 3
    assert len(list(dispatcher.docs.root.iterdir())) == 3
    with pytest.raises(ApiError) as reused:
        await dispatcher.create(job(title="other"), "admin:1", "key-1")
    assert reused.value.status == 422


async def test_the_document_point_is_reached_before_the_rows_commit(
    dispatcher: Dispatcher, store: ServerStore
) -> None:
    """Killed once a batch's documents are synced: no row names them (the next start
    removes them), and no submission was answered."""
    before = [await primed(dispatcher)]

    def kill() -> None:
        raise Killed

    job_intake.DOCUMENT_WRITTEN.arm(kill)
    results = await asyncio.gather(
        *(dispatcher.create(job()) for _ in range(3)), return_exceptions=True
    )
    assert all(isinstance(r, Killed) for r in results)
    assert committed_jobs(store) == before
    assert len(list(dispatcher.docs.root.iterdir())) == 1 + 3


async def test_the_same_document_is_parsed_once_and_a_refusal_is_remembered() -> None:
    counts = PageCounts(entries=2)
    pdf = sample_pdf(2, "x")
    assert [await counts.pages(pdf) for _ in range(3)] == [2, 2, 2]
    assert counts.parsed == 1
    for _ in range(2):
        with pytest.raises(ApiError) as refused:
            await counts.pages(b"%PDF-1.4 broken")
        assert (refused.value.status, refused.value.code) == (415, "unsupported_document")
        assert "starts like a PDF but is not one" in refused.value.message
    assert counts.parsed == 2
    assert await counts.pages(sample_pdf(1, "y")) == 1  # a third: the oldest (pdf) goes
    assert await counts.pages(pdf) == 2
    assert counts.parsed == 4


async def test_a_failed_batch_fails_each_caller_and_a_cancelled_caller_not_its_batch() -> None:
    release = asyncio.Event()
    ran: list[list[int]] = []

    async def run(items: list[int]) -> list[int | Exception]:
        ran.append(items)
        await release.wait()
        if 13 in items:
            raise RuntimeError("unlucky")
        return [i * 10 for i in items]

    commits = GroupCommit[int, int]("test", run)
    first = asyncio.ensure_future(commits.submit(1))
    await asyncio.sleep(0)
    later = [asyncio.ensure_future(commits.submit(i)) for i in (2, 3)]
    await asyncio.sleep(0)
    later[0].cancel()  # its caller went away: the item is still committed with the batch
    release.set()
    assert await first == 10
    assert await later[1] == 30
    assert ran == [[1], [2, 3]]
    results = await asyncio.gather(commits.submit(12), commits.submit(13), return_exceptions=True)
    assert [str(r) for r in results] == ["unlucky", "unlucky"]
    await commits.close()
