"""Jobs printed through the engine by the job manager (issue 14, acceptance 1): a jam stops a job
at the jammed page and it resumes after the clear with no page twice; counters add up across
jobs, across a restart on a real SQLite file, and across a crash at the page's commit."""

from __future__ import annotations

from pathlib import Path

from support.engine_rig import a_job, closing, jam_as_page_leaves, job_manager, rig
from support.job_link import copy_committed, snapshot_at

from panel import crashpoints
from panel.device import jobs as job_points
from panel.device.engine import PrintOptions
from panel.device.events import EventKind
from panel.device.model import JobState, PrinterState, User
from panel.device.store import DeviceStore

ALICE = User("alice", "Alice")


async def test_a_ten_page_job_jammed_at_page_4_resumes_after_the_clear_each_page_once(
    tmp_path: Path,
) -> None:
    with closing(rig(tmp_path / "device.sqlite3")) as r:
        progress: list[int] = []
        r.events.subscribe(lambda e: progress.append(e.subject.pages_done), EventKind.JOB_PROGRESS)
        # The jam comes as page 3 leaves: the next sheet, page 4, jams in the engine.
        jam_as_page_leaves(r, 3)
        async with job_manager(r) as jobs:
            job = jobs.enqueue_local(a_job(10), PrintOptions())
            await r.clock.run_for(60)
            assert r.pages() == [1, 2, 3]
            assert job.pages_done == 3
            assert job.state is JobState.PRINTING  # stopped, not failed
            status = r.engine.status()
            assert status.state is PrinterState.STOPPED
            assert status.error_codes == ["J-0101"]
            assert status.counters.total == 3

            assert r.engine.clear()
            await r.clock.run_for(7)
            assert job.state is JobState.COMPLETED
        assert r.pages() == list(range(1, 11))  # pages 4-10 after the clear, each once
        assert progress == list(range(1, 11))
        assert r.engine.status().counters.total == 10
        assert r.engine.status().counters.per_user == (("alice", 10),)
        assert r.states == ["processing", "stopped", "processing", "idle"]


async def test_a_local_job_is_stored_with_its_options_and_never_reported(tmp_path: Path) -> None:
    with closing(rig(tmp_path / "device.sqlite3")) as r:
        async with job_manager(r) as jobs:
            options = PrintOptions(duplex=True, colour=True, tray="tray-2")
            job = jobs.enqueue_local(a_job(4), options)
            assert [e.state for e in job.timeline] == [JobState.QUEUED]
            assert r.store is not None
            assert r.store.job_options() == {"job-1": options}
            await r.clock.run_for(8)
            assert job.state is JobState.COMPLETED
            assert r.store.pending_reports() == []
        c = r.engine.status().counters
        assert (c.total, c.colour, c.sheets, c.duplex) == (4, 4, 2, 2)
        assert {t.tray_id: t.level for t in r.engine.status().trays}["tray-2"] == 498


async def test_stop_cancels_a_local_job_waiting_on_a_jam(tmp_path: Path) -> None:
    with closing(rig(tmp_path / "device.sqlite3")) as r:
        async with job_manager(r) as jobs:
            job = jobs.enqueue_local(a_job(5), PrintOptions())
            await r.clock.run_for(1.5)
            r.engine.jam("fuser")
            await r.clock.run_for(10)
            assert jobs.cancel_current_job(ALICE) is job
            await r.clock.run_for(1)
            assert job.state is JobState.CANCELLED
            assert r.engine.state is PrinterState.STOPPED  # the jam is still in the fuser
            r.engine.clear()
            assert r.engine.state is PrinterState.IDLE
        assert r.pages() == [1]


async def test_cancelling_at_the_engines_prompt_cancels_the_job(tmp_path: Path) -> None:
    with closing(rig(tmp_path / "device.sqlite3")) as r:
        r.engine.set_toner("yellow", 0)
        async with job_manager(r) as jobs:
            job = jobs.enqueue_local(a_job(2), PrintOptions(colour=True))
            await r.clock.run_for(5)
            assert r.engine.status().prompt is not None
            r.engine.answer("cancel")
            await r.clock.run_for(1)
            assert job.state is JobState.CANCELLED
            assert job.reason == "cancelled at the panel: toner empty"
            assert r.engine.status().prompt is None


async def test_counters_add_up_across_jobs_and_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "device.sqlite3"
    with closing(rig(db)) as r:
        async with job_manager(r) as jobs:
            jobs.enqueue_local(a_job(3, "j1"), PrintOptions())
            jobs.enqueue_local(a_job(2, "j2", user_id="bob"), PrintOptions(colour=True))
            await r.clock.run_for(5)
        first = r.engine.status().counters
    assert (first.total, first.mono, first.colour) == (5, 3, 2)
    with closing(rig(db)) as again:
        assert again.engine.status().counters == first
        async with job_manager(again) as jobs:
            jobs.enqueue_local(a_job(4, "j3", copies=2), PrintOptions(duplex=True))
            await again.clock.run_for(8)
            assert jobs.get("j3") is not None
        c = again.engine.status().counters
    assert (c.total, c.mono, c.colour, c.sheets, c.duplex) == (13, 11, 2, 9, 4)
    assert c.per_user == (("alice", 11), ("bob", 2))
    levels = {t.tray_id: t.level for t in again.engine.status().trays}
    assert levels["tray-1"] == 500 - 9


async def test_a_restart_resumes_a_local_job_at_its_first_page_not_counted(
    tmp_path: Path,
) -> None:
    db = tmp_path / "device.sqlite3"
    with closing(rig(db)) as r:
        async with job_manager(r) as jobs:
            jobs.enqueue_local(a_job(6), PrintOptions(duplex=True))
            await r.clock.run_for(3.5)  # pages 1-3 out (a page a second here), then the power goes
    with closing(rig(db)) as again:
        async with job_manager(again) as jobs:
            await again.clock.run_for(3)
            job = jobs.get("job-1")
            assert job is not None
            assert job.state is JobState.COMPLETED
        assert again.pages() == [4, 5, 6]
        c = again.engine.status().counters
        assert (c.total, c.sheets, c.duplex) == (6, 3, 3)  # still duplex after the restart


async def test_a_crash_at_the_pages_commit_counts_the_page_in_the_job_and_counters_alike(
    tmp_path: Path,
) -> None:
    """The page's count and the engine's counters are one commit: what a kill right after it
    leaves on disk has both, so the restarted device neither prints nor counts it again."""
    db, after = tmp_path / "device.sqlite3", tmp_path / "after-kill.sqlite3"
    try:
        with closing(rig(db)) as r:
            snapshot_at(job_points.PAGE, db, after)
            async with job_manager(r) as jobs:
                jobs.enqueue_local(a_job(3), PrintOptions())
                await r.clock.run_for(3)
    finally:
        crashpoints.disarm_all()
    left = DeviceStore(after)
    try:
        (job,) = left.load_jobs()
        values = left.load_engine()
    finally:
        left.close()
    assert job.pages_done == 1
    assert values["counter:total"] == "1"
    assert values["tray:tray-1:level"] == "499"
    with closing(rig(after)) as again:
        async with job_manager(again) as jobs:
            await again.clock.run_for(3)
        assert again.pages() == [2, 3]
        assert again.engine.status().counters.total == 3


def test_copy_committed_keeps_only_what_was_committed(tmp_path: Path) -> None:
    """The helper the crash test relies on copies a store that opens as a store."""
    DeviceStore(tmp_path / "a.sqlite3").close()
    copy_committed(tmp_path / "a.sqlite3", tmp_path / "b.sqlite3")
    DeviceStore(tmp_path / "b.sqlite3").close()


async def test_a_blank_side_takes_a_sheet_but_no_impression_nor_toner_across_a_restart(
    tmp_path: Path,
) -> None:
    """Pages 2 and 4 of a duplex colour job are blank backs (as a grouped copy's are): the
    sheets go through, but only pages 1 and 3 are impressions, use toner and count for the
    user; a restart mid-job still knows which sides are blank (stored with the job)."""
    db = tmp_path / "device.sqlite3"
    options = PrintOptions(duplex=True, colour=True, blank=frozenset({2, 4}))
    with closing(rig(db)) as r:
        async with job_manager(r) as jobs:
            jobs.enqueue_local(a_job(4), options)
            await r.clock.run_for(2.5)  # pages 1 and 2 (blank) out, then the power goes
        c = r.engine.status().counters
        assert (c.total, c.colour, c.sheets, c.duplex) == (1, 1, 1, 0)
    with closing(rig(db)) as again:
        async with job_manager(again) as jobs:
            await again.clock.run_for(3)
            job = jobs.get("job-1")
            assert job is not None
            assert (job.state, job.pages_done) == (JobState.COMPLETED, 4)
        assert again.pages() == [3, 4]
        status = again.engine.status()
        c = status.counters
        assert (c.total, c.colour, c.mono, c.sheets, c.duplex) == (2, 2, 0, 2, 0)
        assert c.per_user == (("alice", 2),)
        assert {t.colour: t.pages_per_cartridge - t.pages_left for t in status.toner} == {
            "black": 2,
            "cyan": 2,
            "magenta": 2,
            "yellow": 2,
        }


async def test_a_jam_and_an_open_cover_stand_across_a_restart_and_the_job_resumes_after(
    tmp_path: Path,
) -> None:
    """The power goes while page 4 is jammed and the front cover is open: after the restart
    (a real SQLite file) the engine still sees both, stopped, the job waits at page 4; closing
    the cover leaves the jam; its clear resumes the job at page 4, each page once. Once
    cleared, the faults do not come back at the next start."""
    db = tmp_path / "device.sqlite3"
    with closing(rig(db)) as r:
        jam_as_page_leaves(r, 3)
        async with job_manager(r) as jobs:
            jobs.enqueue_local(a_job(10), PrintOptions())
            await r.clock.run_for(10)
            r.engine.open_cover("front-cover")
            assert r.pages() == [1, 2, 3]
    with closing(rig(db)) as again:
        status = again.engine.status()
        assert status.state is PrinterState.STOPPED
        assert {(f.keyword, f.location) for f in status.reasons if f.stops} == {
            ("media-jam", "tray-1"),
            ("cover-open", "front-cover"),
        }
        restored = sorted(f["code"] for f in again.trace.of("engine", "restored"))
        assert restored == sorted(status.error_codes)
        async with job_manager(again) as jobs:
            await again.clock.run_for(10)
            job = jobs.get("job-1")
            assert job is not None
            assert (job.state, job.pages_done) == (JobState.PRINTING, 3)  # waits at page 4
            again.engine.close_cover("front-cover")
            await again.clock.run_for(10)
            assert job.pages_done == 3  # the jam still stands
            assert again.engine.status().error_codes == ["J-0101"]
            assert again.engine.clear()
            await again.clock.run_for(8)
            assert job.state is JobState.COMPLETED
        assert again.pages() == list(range(4, 11))  # from the jammed page on, each once
        assert again.engine.status().counters.total == 10
    with closing(rig(db)) as third:
        assert third.engine.status().reasons == ()
        assert third.engine.state is PrinterState.IDLE
