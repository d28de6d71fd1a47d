"""Devices' fetches and reports committed in groups: each change keeps the rules it had when
it was one commit (a final state is final, a fetch never moves a job back), and is durable
before its answer."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from panel import crashpoints
from panel.protocol.messages import JobStatusReport
from panel.server.dispatch import Dispatcher
from panel.server.documents import DocumentStore
from panel.server.http import ApiError
from panel.server.push import PushHub
from panel.server.store import ServerStore
from panel.server.store import jobs as store_jobs
from panel.server.store import notices as store_notices
from panel.trace import Trace


@pytest.fixture(autouse=True)
def _disarmed() -> Iterator[None]:
    yield
    crashpoints.disarm_all()


@pytest.fixture
def dispatcher(store: ServerStore, tmp_path: Path) -> Dispatcher:
    trace = Trace(None)
    return Dispatcher(store, DocumentStore(tmp_path / "documents"), PushHub(store, trace), trace)


@pytest.fixture
def device(store: ServerStore) -> str:
    """A device with jobs j0..j9 of user "u" given to it."""
    store.add_user("u", "U", "1234")
    device_id, _ = store.register_device("A", "m")
    for n in range(10):
        with store.recording_job():
            store.create_job(f"j{n}", "u", "t", 2, 1, "d.pdf", 1)
            store.assign_and_notify(f"j{n}", device_id)
    return device_id


def states(store: ServerStore) -> dict[str, str]:
    """What another process (the server started again) finds in the database file."""
    with contextlib.closing(sqlite3.connect(store.path)) as conn:
        return dict(conn.execute("SELECT job_id, state FROM jobs").fetchall())


async def test_fetches_and_reports_at_once_are_each_durable_before_their_answer(
    dispatcher: Dispatcher, store: ServerStore, device: str
) -> None:
    seen: list[dict[str, str]] = []
    store_jobs.REPORTED.arm(lambda: seen.append(states(store)))
    fetched = await asyncio.gather(*(dispatcher.job_for_device(f"j{n}", device) for n in range(10)))
    assert {j.state for j in fetched} == {"fetched"}
    reports = [
        dispatcher.report(f"j{n}", device, JobStatusReport("completed", 2)) for n in range(10)
    ]
    done = await asyncio.gather(*reports)
    assert [(j.job_id, j.state, j.pages_done) for j in done] == [
        (f"j{n}", "completed", 2) for n in range(10)
    ]
    assert seen == [{f"j{n}": "completed" for n in range(10)}]  # one commit, then the answers
    assert dispatcher._states.batches == 2  # one for the fetches, one for the reports


async def test_two_final_reports_at_once_one_wins_and_the_other_is_told(
    dispatcher: Dispatcher, store: ServerStore, device: str
) -> None:
    results = await asyncio.gather(
        dispatcher.report("j0", device, JobStatusReport("completed", 2)),
        dispatcher.report("j0", device, JobStatusReport("cancelled", 1)),
        dispatcher.report("j0", device, JobStatusReport("completed", 2)),  # a repeat: fine
        return_exceptions=True,
    )
    assert [getattr(r, "state", None) for r in results] == ["completed", None, "completed"]
    refused = results[1]
    assert isinstance(refused, ApiError)
    assert (refused.status, refused.code) == (409, "job_final")
    assert "already completed" in refused.message
    assert states(store)["j0"] == "completed"


async def test_a_late_fetch_never_moves_a_job_back(
    dispatcher: Dispatcher, store: ServerStore, device: str
) -> None:
    printing, fetched = await asyncio.gather(
        dispatcher.report("j1", device, JobStatusReport("printing", 0)),
        dispatcher.job_for_device("j1", device),
    )
    assert (printing.state, fetched.state) == ("printing", "printing")
    assert states(store)["j1"] == "printing"


def test_acks_of_many_devices_are_one_commit(store: ServerStore, device: str) -> None:
    other, _ = store.register_device("B", "m")
    with store.recording_job():
        store.create_job("k0", "u", "t", 1, 1, "d.pdf", 1)
        store.assign_and_notify("k0", other)
    reached: list[int] = []
    store_notices.ACKED.arm(lambda: reached.append(len(unacked(store))))
    store.ack_many([(device, 4), (other, 1), (device, 3)])
    assert reached == [6]  # j4..j9 of the first device left, after one commit
    assert store.first_unacked(device) is not None
    assert store.first_unacked(other) is None
    store.ack_many([(device, 4)])  # nothing new: no durable change, no point
    assert reached == [6]


def unacked(store: ServerStore) -> list[tuple[str, int]]:
    with contextlib.closing(sqlite3.connect(store.path)) as conn:
        return conn.execute("SELECT device_id, seq FROM notifications WHERE acked=0").fetchall()
