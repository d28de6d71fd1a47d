"""One commit per fact on the device, and a restart from whatever a kill left on disk.

Each crash point of the job manager is armed in-process to copy the SQLite file as a SIGKILL
there would leave it (only what was committed). The test then starts a new job manager on
that copy, against a scripted server that knows what the real one would have known at that
moment, and checks that the job ends the same on both sides, every page printed once.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support.job_link import ScriptedLink, snapshot_at

from panel import crashpoints
from panel.device import jobs as job_points
from panel.device.clock import ManualClock, run_until_idle
from panel.device.engine import PrintEngine
from panel.device.events import EventBus, EventKind
from panel.device.jobs import JobManager
from panel.device.model import Job, JobKind, JobState, TimelineEntry
from panel.device.store import DeviceStore
from panel.trace import Trace

PAGES = 3


@contextlib.asynccontextmanager
async def manager(db: Path, link: ScriptedLink) -> AsyncIterator[tuple[JobManager, list[int]]]:
    """A started job manager on `db` (a page a second on `link.clock`), and the pages it prints."""
    events, trace = EventBus(), Trace(None)
    store = DeviceStore(db)
    engine = PrintEngine(events, trace, link.clock, ppm=60.0, warmup_s=0.0)
    jobs = JobManager(store, link, engine, events, trace, link.clock)  # type: ignore[arg-type]
    printed: list[int] = []
    events.subscribe(lambda e: printed.append(e.subject.pages_done), EventKind.JOB_PROGRESS)
    jobs.start()
    try:
        yield jobs, printed
    finally:
        await jobs.stop()
        store.close()


def on_disk(db: Path) -> tuple[str | None, int, list[str], bool | None]:
    """(job state, pages_done, pending report states, reception fetched) of job-1 in `db`."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        job = conn.execute("SELECT state, pages_done FROM jobs WHERE job_id='job-1'").fetchone()
        reports = [r for (r,) in conn.execute("SELECT state FROM reports ORDER BY id")]
        fetched = conn.execute("SELECT fetched FROM receptions WHERE job_id='job-1'").fetchone()
    return (
        job[0] if job else None,
        job[1] if job else 0,
        reports,
        bool(fetched[0]) if fetched else None,
    )


@pytest.fixture(autouse=True)
def _disarmed() -> None:
    crashpoints.disarm_all()


# What each point finds committed: the change and what it implies, never one without the other.
AT_THE_POINT = {
    "device.receptions.stored": ("notified", 0, [], False),
    "device.jobs.fetching": ("fetching", 0, [], False),
    "device.jobs.fetched": ("queued", 0, [], True),
    "device.jobs.printing": ("printing", 0, ["printing"], True),
    "device.jobs.page": ("printing", 1, [], True),  # the printing report was delivered
    "device.jobs.final": ("completed", PAGES, ["completed"], True),
    "device.reports.confirmed": ("printing", 0, [], True),  # the first report: printing
}


@pytest.mark.parametrize("name", sorted(AT_THE_POINT))
async def test_a_kill_at_any_point_of_a_print_converges_after_the_restart(
    tmp_path: Path, name: str
) -> None:
    """Killed at `name`, restarted from the disk the kill left: the job completes on the device
    and on the server, its final report is delivered, and no page counted before the kill is
    printed again."""
    point = crashpoints.all_points()[name]
    clock = ManualClock()
    link = ScriptedLink(clock, pages=PAGES)
    db, crashed = tmp_path / "device.sqlite3", tmp_path / "crashed.sqlite3"
    server_then: dict[str, str] = {}  # what the server knew at the kill
    snapshot_at(point, db, crashed, also=lambda: server_then.update(link.server_states))
    async with manager(db, link) as (jobs, _):
        assert jobs.notified(1, "job-1")
        await clock.run_for(PAGES + 1.0)
        assert jobs.get("job-1").state is JobState.COMPLETED  # type: ignore[union-attr]
    assert crashed.exists(), f"{name} was not reached"
    state, pages_done, reports, fetched = on_disk(crashed)
    assert (state, pages_done, reports, fetched) == AT_THE_POINT[name]

    again = ScriptedLink(ManualClock(), pages=PAGES)
    again.server_states = server_then
    async with manager(crashed, again) as (jobs, printed):
        jobs.online()  # the link is up again
        await again.clock.run_for(PAGES + 1.0)
        job = jobs.get("job-1")
        assert job is not None
        assert job.state is JobState.COMPLETED
        assert job.pages_done == PAGES
        assert printed == list(range(pages_done + 1, PAGES + 1))  # counted pages: never again
        assert again.server_states["job-1"] == "completed"  # the server agrees
        store = DeviceStore(crashed)
        try:
            assert store.pending_reports() == []
        finally:
            store.close()


async def test_a_restart_mid_print_resumes_at_the_first_page_not_counted(tmp_path: Path) -> None:
    clock = ManualClock()
    link = ScriptedLink(clock, pages=5)
    db = tmp_path / "device.sqlite3"
    async with manager(db, link) as (jobs, printed):
        jobs.notified(1, "job-1")
        await clock.run_for(2.5)  # two pages out, the third in the engine
        assert printed == [1, 2]
    async with manager(db, link) as (jobs, printed):
        job = jobs.get("job-1")
        assert job is not None
        assert job.state is JobState.QUEUED
        assert job.timeline[-1].note == "the device restarted: resumes at page 3 of 5"
        await link.clock.run_for(5.0)
        assert printed == [3, 4, 5]
        assert job.state is JobState.COMPLETED
    assert link.server_states["job-1"] == "completed"


async def _queued_at_the_stop(tmp_path: Path) -> ScriptedLink:
    """A two-page job fetched and queued, the disk as a stop right then left it in
    `tmp_path / "queued.sqlite3"`; returns the link, to start again against."""
    clock = ManualClock()
    link = ScriptedLink(clock, pages=2)
    db = tmp_path / "device.sqlite3"
    snapshot_at(job_points.FETCHED, db, tmp_path / "queued.sqlite3")
    async with manager(db, link) as (jobs, _):
        jobs.notified(1, "job-1")
        await run_until_idle()
    return link


async def test_a_job_final_on_the_server_is_taken_over_at_the_restart(tmp_path: Path) -> None:
    """Queued on the device when it stopped, final on the server meanwhile: the restart's
    check takes the server's word; the job is not printed and nothing is reported back."""
    link = await _queued_at_the_stop(tmp_path)
    link.server_states["job-1"] = "cancelled"
    link.reports.clear()
    async with manager(tmp_path / "queued.sqlite3", link) as (jobs, printed):
        jobs.online()
        await link.clock.run_for(5.0)
        job = jobs.get("job-1")
        assert job is not None
        assert job.state is JobState.CANCELLED
        assert job.reason == "cancelled on the server"
        assert printed == []
        assert [r.state for _, r in link.reports] == []  # refused (409) or never sent
    assert link.server_states["job-1"] == "cancelled"


async def test_a_notice_received_twice_makes_one_job_and_one_reception(tmp_path: Path) -> None:
    link = ScriptedLink(ManualClock())
    async with manager(tmp_path / "device.sqlite3", link) as (jobs, _):
        link.failures["GET"] = 1  # stays notified for now
        assert jobs.notified(1, "job-1")
        assert not jobs.notified(1, "job-1")  # the server replayed it
        await run_until_idle()
        assert len(jobs.all()) == 1
    with contextlib.closing(sqlite3.connect(tmp_path / "device.sqlite3")) as conn:
        assert conn.execute("SELECT COUNT(*) FROM receptions").fetchone() == (1,)
        assert conn.execute("SELECT COUNT(*) FROM jobs").fetchone() == (1,)


async def test_a_job_the_server_no_longer_knows_still_prints_after_the_restart(
    tmp_path: Path,
) -> None:
    """Queued at the stop, unknown to the server at the restart (the device was registered
    anew): the user's job prints, its reports are dropped instead of retried for ever."""
    link = await _queued_at_the_stop(tmp_path)
    link.refuse["job-1"] = 404
    async with manager(tmp_path / "queued.sqlite3", link) as (jobs, printed):
        jobs.online()
        await link.clock.run_for(5.0)
        job = jobs.get("job-1")
        assert job is not None
        assert job.state is JobState.COMPLETED
        assert printed == [1, 2]
    store = DeviceStore(tmp_path / "queued.sqlite3")
    try:
        assert store.pending_reports() == []
    finally:
        store.close()


@pytest.mark.parametrize("left", ["reception without its job", "fetching, reception settled"])
async def test_a_store_written_before_one_commit_per_fact_is_reconciled(
    tmp_path: Path, left: str
) -> None:
    """Half-facts an older version could leave (two commits where there is one now): the
    restart still fetches, prints and reports the job."""
    db = tmp_path / "device.sqlite3"
    store = DeviceStore(db)
    store.store_reception(1, "job-1", 1.0)  # without its job row
    if left != "reception without its job":
        job = Job("job-1", JobKind.CLOUD_PRINT, "Cloud print job", "", JobState.FETCHING)
        store.save_job(job, 1.0, TimelineEntry(1.0, JobState.FETCHING, ""))
        store.mark_fetched("job-1")
    store.close()
    link = ScriptedLink(ManualClock(), pages=2)
    async with manager(db, link) as (jobs, printed):
        jobs.online()
        await link.clock.run_for(5.0)
        assert [j.state for j in jobs.all()] == [JobState.COMPLETED]
        assert printed == [1, 2]
    assert link.server_states["job-1"] == "completed"
