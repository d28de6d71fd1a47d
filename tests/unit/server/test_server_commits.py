"""One commit per fact on the server, seen from the crash point right after it: what another
process (the server started again) finds on disk there."""

from __future__ import annotations

import base64
import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from panel import crashpoints
from panel.protocol.messages import Destination, OutboxBatch, OutboxItem
from panel.server import outbox as server_outbox
from panel.server.dispatch import Dispatcher
from panel.server.documents import DocumentStore
from panel.server.outbox import Outbox
from panel.server.push import PushHub
from panel.server.store import ServerStore
from panel.server.store import jobs as store_jobs
from panel.server.store import notices as store_notices
from panel.trace import Trace


class Killed(Exception):
    """The test's stand-in for a SIGKILL at a crash point: nothing after it runs."""


def kill() -> None:
    raise Killed


@pytest.fixture(autouse=True)
def _disarmed() -> Iterator[None]:
    yield
    crashpoints.disarm_all()


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """What a second connection (another process) reads in the database file."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def device(store: ServerStore) -> str:
    """A registered device, and the user "u" whose jobs it prints."""
    store.add_user("u", "U", "1234")
    device_id, _ = store.register_device("A", "m")
    return device_id


JOINED = "SELECT j.state, n.seq FROM jobs j JOIN notifications n USING (job_id)"


def test_a_job_and_its_notice_are_one_commit(store: ServerStore, device: str) -> None:
    seen: list[list[tuple[object, ...]]] = []
    store_jobs.CREATED.arm(lambda: seen.append(rows(store.path, JOINED)))
    with store.recording_job():
        store.create_job("j1", "u", "t", 1, 1, "d.pdf", 1)
        store.assign_and_notify("j1", device)
        assert rows(store.path, "SELECT * FROM jobs") == []  # nothing visible before the commit
    assert seen == [[("notified", 1)]]

    def notice_fails(*_: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    def create_then_fail() -> None:
        with store.recording_job():
            store.create_job("j2", "u", "t", 1, 1, "d.pdf", 1)
            notice_fails("j2", device)

    with pytest.raises(sqlite3.OperationalError):
        create_then_fail()
    assert store.job("j2") is None  # no job held for ever without its notice


def test_a_report_commits_before_its_point_and_an_ack_only_when_it_acks(
    store: ServerStore, device: str
) -> None:
    with store.recording_job():
        store.create_job("j1", "u", "t", 2, 1, "d.pdf", 1)
        note = store.assign_and_notify("j1", device)
    fetched: list[object] = []
    store_jobs.FETCHED.arm(lambda: fetched.extend(rows(store.path, "SELECT state FROM jobs")))
    store_jobs.REPORTED.arm(lambda: fetched.extend(rows(store.path, "SELECT state FROM jobs")))
    store.set_job_state("j1", "fetched")
    store.set_job_state("j1", "completed", 2)
    assert fetched == [("fetched",), ("completed",)]

    acked: list[int] = []
    store_notices.ACKED.arm(lambda: acked.append(1), nth=1)
    store.ack(device, 0)  # a hello that acknowledges nothing new: no durable change
    assert acked == []
    store.ack(device, note.seq)
    assert acked == [1]
    assert store.first_unacked(device) is None


def outbox_item(key: str) -> OutboxItem:
    return OutboxItem(key, "scan", "u1", "Scan", 1, "ap", base64.b64encode(b"%PDF").decode(), 1.0)


async def test_a_server_killed_after_its_claims_takes_them_over_when_it_starts_again(
    tmp_path: Path,
) -> None:
    """Killed between claiming a batch and recording its results: the restarted server
    executes the re-sent items at once (no 409 for the claim's 10 minutes), once each."""
    path = tmp_path / "server.sqlite3"
    store = ServerStore(path)
    store.add_user("u1", "User", "1234")
    store.add_destination(Destination("ap", "Accounts", "email", "ap@example.com"))
    docs = DocumentStore(tmp_path / "outgoing")
    batch = OutboxBatch([outbox_item("k1"), outbox_item("k2")])
    server_outbox.CLAIMED.arm(kill)
    with pytest.raises(Killed):
        await Outbox(store, docs, Trace(None)).run("dev-a", batch)
    store.close()
    assert [e[0] for e in rows(path, "SELECT state FROM outbox_ledger")] == ["in_progress"] * 2

    again = ServerStore(path)  # the server started again
    try:
        reply = await Outbox(again, docs, Trace(None)).run("dev-a", batch)
        assert [(r.key, r.status) for r in reply.results] == [("k1", 201), ("k2", 201)]
        assert [e.executions for e in again.ledger("dev-a")] == [1, 1]
        replay = await Outbox(again, docs, Trace(None)).run("dev-a", batch)
        assert [r.status for r in replay.results] == [200, 200]  # executed once
        assert sorted(p.name for p in docs.root.iterdir()) == sorted(
            e.job_id for e in again.ledger("dev-a")
        )
    finally:
        again.close()


async def test_results_are_committed_before_the_reply_is_written(tmp_path: Path) -> None:
    """Killed between the results' commit and the reply: the device re-sends, the server
    replays the stored results (200), never executing twice."""
    store = ServerStore(tmp_path / "server.sqlite3")
    try:
        store.add_user("u1", "User", "1234")
        store.add_destination(Destination("ap", "Accounts", "email", "ap@example.com"))
        outbox = Outbox(store, DocumentStore(tmp_path / "outgoing"), Trace(None))
        batch = OutboxBatch([outbox_item("k1")])
        server_outbox.RESULTS_COMMITTED.arm(kill)
        with pytest.raises(Killed):
            await outbox.run("dev-a", batch)
        reply = await outbox.run("dev-a", batch)
        assert [(r.key, r.status) for r in reply.results] == [("k1", 200)]
        assert [e.executions for e in store.ledger("dev-a")] == [1]
        assert len(store.outgoing_jobs("dev-a")) == 1
    finally:
        store.close()


def test_documents_a_killed_server_left_without_a_job_are_removed_at_the_start(
    store: ServerStore, device: str, tmp_path: Path
) -> None:
    """Killed after a job's document was made durable and before the job's commit
    (server.jobs.document-written), or in the middle of a write: the next start removes
    those files and keeps every document a job names."""
    docs = DocumentStore(tmp_path / "documents")
    with store.recording_job():
        store.create_job("j1", "u", "t", 1, 1, "d.pdf", 4)
    docs.write("j1", b"%PDF")
    docs.write("job-never-recorded", b"%PDF")
    (docs.root / ".job-half-written.tmp").write_bytes(b"%P")
    trace = Trace(None)
    Dispatcher(store, docs, PushHub(store, trace), trace)
    assert [p.name for p in docs.root.iterdir()] == ["j1"]
