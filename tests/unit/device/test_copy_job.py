"""A copy on the engine (manual clock, a real SQLite store): it prints its plan's sheets and
impressions, Stop interrupts it, and its usage record is queued exactly once, across a restart
too. No server: a copy works offline (the report queue is not drained here; see
tests/integration/test_copy_usage.py for the record reaching the server)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from support.engine_rig import Rig, a_job, closing, job_manager, rig
from support.job_link import ScriptedLink

from panel.device.copying import (
    ColourMode,
    Copier,
    CopyError,
    CopyPhase,
    CopySettings,
    CopyStatus,
    Placement,
    Sides,
)
from panel.device.engine import PrintOptions
from panel.device.events import Event, EventKind
from panel.device.jobs import JobManager
from panel.device.model import JobState, PrinterState, User
from panel.device.reports import Reports

ALICE = User("1001", "Alice Martin")
THREE_DUPLEX = CopySettings(copies=3, sides=Sides.ONE_TWO)


class Copying:
    """A copier on the rig's engine, job manager and store, with what a test watches."""

    def __init__(self, r: Rig, jobs: JobManager, user: User | None = ALICE) -> None:
        assert r.store is not None
        self.rig, self.jobs, self.store = r, jobs, r.store
        self.user = user
        link = ScriptedLink(r.clock)
        self.reports = Reports(r.store, link, r.engine, r.events, r.trace, r.clock)  # type: ignore[arg-type]
        self.copier = Copier(
            jobs,
            self.reports,
            r.events,
            r.trace,
            r.store,
            lambda: self.user,
            lambda: r.engine.state is not PrinterState.IDLE,
        )
        self.changes: list[tuple[str, CopyStatus]] = []
        r.events.subscribe(self._on, EventKind.COPY_CHANGED)
        self.sides: list[str] = []
        r.events.subscribe(lambda e: self.sides.append(e.fields["side"]), EventKind.SHEET_OUT)

    def _on(self, event: Event) -> None:
        self.changes.append((event.fields["change"], event.subject))

    def usage(self) -> list[dict[str, Any]]:
        """The usage records in the device's report queue."""
        return [json.loads(b) for _, kind, _, b in self.store.queued_reports() if kind == "usage"]


@asynccontextmanager
async def copying(tmp_path: Path, **engine: Any) -> AsyncIterator[Copying]:
    with closing(rig(tmp_path / "device.sqlite3", **engine)) as r:
        async with job_manager(r) as jobs:
            yield Copying(r, jobs)


async def test_three_copies_duplex_of_three_pages_print_six_sheets_nine_impressions(
    tmp_path: Path,
) -> None:
    async with copying(tmp_path) as c:
        await c.copier.place_sample("letter", Placement.FEEDER)
        job = c.copier.start(THREE_DUPLEX)
        assert (job.pages, job.copies) == (3, 3)
        await c.rig.clock.run_for(60)
        assert job.state is JobState.COMPLETED
        # Each set: a sheet with pages 1 and 2, a sheet with page 3 and a blank back.
        assert c.sides == ["front", "back", "front"] * 3
        counters = c.rig.engine.status().counters
        assert (counters.total, counters.sheets, counters.duplex) == (9, 6, 3)
        status = c.copier.status()
        assert status.phase is CopyPhase.COMPLETED
        assert (status.impressions, status.sheets) == (9, 6)
        assert status.progress_text() == "Done: 3 copies, 9 pages on 6 sheets"
        assert c.usage() == [
            {
                "job_id": job.job_id,
                "user_id": ALICE.user_id,
                "kind": "copy",
                "impressions": 9,
                "sheets": 6,
                "colour": False,
                "duplex": True,
            }
        ]
        # The live count went page by page, then the result.
        pages = [s.impressions for change, s in c.changes if change == "page"]
        assert pages == sorted(pages)
        assert pages[-1] == 9
        assert [change for change, _ in c.changes][-1] == "ended"
        assert c.rig.trace.of("copy", "usage")[0]["impressions"] == 9


async def test_grouped_two_sided_copies_repeat_each_sheet(tmp_path: Path) -> None:
    async with copying(tmp_path) as c:
        await c.copier.place_sample("letter", Placement.FEEDER)
        job = c.copier.start(CopySettings(copies=2, sides=Sides.ONE_TWO, collate=False))
        assert (job.pages, job.copies) == (4, 2)  # 2 sheets a set, blank back included
        await c.rig.clock.run_for(60)
        assert job.state is JobState.COMPLETED
        # pages 1|2 twice, then page 3 with its blank back twice: 4 sheets
        assert c.sides == ["front", "back"] * 4
        assert c.rig.engine.status().counters.sheets == 4
        assert [(u["impressions"], u["sheets"]) for u in c.usage()] == [(6, 4)]


async def test_a_copy_behind_another_job_waits_for_the_printer(tmp_path: Path) -> None:
    async with copying(tmp_path) as c:
        first = c.jobs.enqueue_local(a_job(3, "print-1"), PrintOptions())
        await c.copier.place_sample("photo", Placement.GLASS)
        job = c.copier.start(CopySettings())
        await c.rig.clock.run_for(1.5)  # the first job's second page
        assert first.state is JobState.PRINTING
        assert c.copier.status().progress_text() == "Waiting for the printer\N{HORIZONTAL ELLIPSIS}"
        await c.rig.clock.run_for(2)  # the first job done, the copy's page in the engine
        assert job.state is JobState.PRINTING
        assert c.copier.status().progress_text() == "Copying page 1 of 1"
        assert [change for change, _ in c.changes][-1] == "page"  # the screen was told
        await c.rig.clock.run_for(2)
        assert c.copier.status().phase is CopyPhase.COMPLETED


async def test_stop_mid_copy_counts_only_what_was_printed(tmp_path: Path) -> None:
    async with copying(tmp_path) as c:
        await c.copier.place_sample("report", Placement.FEEDER)
        job = c.copier.start(CopySettings(copies=2))
        await c.rig.clock.run_for(3.5)  # a page a second: 3 out, the 4th in the engine
        assert c.copier.status().progress_text() == "Copying page 4 of 10"
        assert c.copier.stop()
        assert job.state is JobState.CANCELLED
        await c.rig.clock.run_for(30)
        assert job.pages_done == 3
        assert len(c.sides) == 3  # nothing more came out
        status = c.copier.status()
        assert status.phase is CopyPhase.STOPPED
        assert status.progress_text() == "Stopped after 3 pages on 3 sheets"
        assert [(u["impressions"], u["sheets"]) for u in c.usage()] == [(3, 3)]
        assert not c.copier.stop()  # nothing runs any more


async def test_colour_auto_follows_the_original_and_mono_forces_black(tmp_path: Path) -> None:
    async with copying(tmp_path) as c:
        await c.copier.place_sample("photo", Placement.GLASS)
        c.copier.start(CopySettings())
        await c.rig.clock.run_for(5)
        c.copier.start(CopySettings(colour=ColourMode.MONO))
        await c.rig.clock.run_for(5)
        counters = c.rig.engine.status().counters
        assert (counters.colour, counters.mono) == (1, 1)
        assert [u["colour"] for u in c.usage()] == [True, False]


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (lambda c: None, "Place the originals in the feeder or on the glass."),
        (lambda c: setattr(c, "user", None), "Log in first."),
    ],
)
async def test_a_copy_that_cannot_start_says_why(
    tmp_path: Path, prepare: Callable[[Copying], None], message: str
) -> None:
    async with copying(tmp_path) as c:
        prepare(c)
        with pytest.raises(CopyError) as refused:
            c.copier.start(CopySettings())
        assert refused.value.message == message
        assert c.jobs.all() == []


async def test_two_sided_originals_need_the_feeder_and_one_copy_runs_at_a_time(
    tmp_path: Path,
) -> None:
    async with copying(tmp_path) as c:
        await c.copier.place_sample("letter", Placement.GLASS)
        with pytest.raises(CopyError, match="Two-sided originals go in the feeder"):
            c.copier.start(CopySettings(sides=Sides.TWO_TWO))
        c.copier.start(CopySettings(copies=5))
        with pytest.raises(CopyError, match="already running"):
            c.copier.start(CopySettings())
        await c.rig.clock.run_for(10)
        assert c.copier.status().phase is CopyPhase.COMPLETED


async def test_a_copy_the_store_could_not_keep_leaves_nothing_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with copying(tmp_path) as c:
        await c.copier.place_sample("letter", Placement.FEEDER)

        def disk_full(job: Any, options: Any) -> Any:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(c.jobs, "enqueue_local", disk_full)
        with pytest.raises(OSError, match="No space left"):
            c.copier.start(CopySettings())
        assert c.copier.status().phase is CopyPhase.READY
        assert not c.copier.stop()
        monkeypatch.undo()
        job = c.copier.start(CopySettings())  # the next Start works
        await c.rig.clock.run_for(5)
        assert job.state is JobState.COMPLETED
        assert len(c.usage()) == 1


async def test_originals_are_placed_and_taken_away(tmp_path: Path) -> None:
    async with copying(tmp_path) as c:
        await c.copier.place_sample("report", Placement.FEEDER)
        assert c.copier.status().original is not None
        c.copier.remove_originals()
        assert c.copier.status().original is None
        assert [change for change, _ in c.changes] == ["originals", "originals"]
        with pytest.raises(CopyError, match="cannot be copied"):
            await c.copier.place_file(tmp_path / "device.sqlite3", Placement.FEEDER)


@pytest.mark.expect_errors(logger="panel.tasks", match="recording the usage of copy-")
async def test_a_usage_the_queue_refused_is_recorded_at_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with copying(tmp_path) as c:
        await c.copier.place_sample("letter", Placement.FEEDER)

        def broken(kind: str, body: Any) -> int:
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(c.reports, "add", broken)
        c.copier.start(CopySettings())
        await c.rig.clock.run_for(10)
        assert c.copier.status().phase is CopyPhase.COMPLETED  # the screen still hears of it
        assert c.usage() == []
    async with copying(tmp_path) as again:
        again.copier.resume()
        assert [(u["impressions"], u["sheets"]) for u in again.usage()] == [(3, 3)]


# -- exactly once across a restart --------------------------------------------------------------
Forget = Callable[[Copying, str, str], None]


async def _finish_then_restart(tmp_path: Path, forget: Forget) -> list[list[tuple[int, int]]]:
    """A copy runs to the end; `forget(copying, job_id, spec)` undoes part of what its end made
    durable (as a kill before that commit would); then the device starts again on the same
    store, twice. The usage records queued after each start."""
    async with copying(tmp_path) as c:
        await c.copier.place_sample("letter", Placement.FEEDER)
        job_id = c.copier.start(THREE_DUPLEX).job_id
        spec = c.store.get_meta(f"copy:{job_id}")
        assert spec  # the plan's inputs, kept until the usage is recorded
        await c.rig.clock.run_for(60)
        assert len(c.usage()) == 1
        assert c.store.get_meta(f"copy:{job_id}") == ""
        forget(c, job_id, spec)
    after = []
    for _ in range(2):
        async with copying(tmp_path) as again:
            again.copier.resume()
            after.append([(u["impressions"], u["sheets"]) for u in again.usage()])
    return after


async def test_a_kill_after_the_usage_was_queued_queues_no_second_record(
    tmp_path: Path,
) -> None:
    def unmark(c: Copying, job_id: str, spec: str) -> None:
        c.store.set_meta(f"copy:{job_id}", spec)

    assert await _finish_then_restart(tmp_path, unmark) == [[(9, 6)], [(9, 6)]]


async def test_a_kill_before_the_usage_was_queued_queues_it_at_the_restart(
    tmp_path: Path,
) -> None:
    def drop_usage(c: Copying, job_id: str, spec: str) -> None:
        c.store.drop_reports([s for s, kind, _, _ in c.store.queued_reports() if kind == "usage"])
        c.store.set_meta(f"copy:{job_id}", spec)

    assert await _finish_then_restart(tmp_path, drop_usage) == [[(9, 6)], [(9, 6)]]


async def test_a_copy_cut_by_a_restart_resumes_and_is_recorded_once(tmp_path: Path) -> None:
    async with copying(tmp_path) as c:
        await c.copier.place_sample("report", Placement.FEEDER)
        job_id = c.copier.start(CopySettings(copies=2)).job_id
        await c.rig.clock.run_for(4.5)
        assert c.usage() == []
    async with copying(tmp_path) as again:
        again.copier.resume()
        assert again.copier.status().phase is CopyPhase.COPYING
        await again.rig.clock.run_for(30)
        job = next(j for j in again.jobs.all() if j.job_id == job_id)
        assert job.state is JobState.COMPLETED
        assert [(u["impressions"], u["sheets"]) for u in again.usage()] == [(10, 10)]


async def test_grouped_two_sided_copies_count_no_impression_nor_toner_for_blank_backs(
    tmp_path: Path,
) -> None:
    """Two grouped two-sided colour copies of 3 pages: 4 sheets, two of them with a blank
    back. The engine's counters agree with the usage record: 6 impressions (all colour, all
    Alice's), 6 pages' toner, 4 sheets, 2 of them printed on both sides."""
    async with copying(tmp_path) as c:
        await c.copier.place_sample("letter", Placement.FEEDER)
        settings = CopySettings(
            copies=2, sides=Sides.ONE_TWO, collate=False, colour=ColourMode.COLOUR
        )
        job = c.copier.start(settings)
        await c.rig.clock.run_for(60)
        assert job.state is JobState.COMPLETED
        status = c.rig.engine.status()
        n = status.counters
        assert (n.total, n.colour, n.mono, n.sheets, n.duplex) == (6, 6, 0, 4, 2)
        assert n.per_user == ((ALICE.user_id, 6),)
        used = {t.colour: t.pages_per_cartridge - t.pages_left for t in status.toner}
        assert used == {"black": 6, "cyan": 6, "magenta": 6, "yellow": 6}
        assert [(u["impressions"], u["sheets"]) for u in c.usage()] == [(6, 4)]


async def test_a_kill_between_the_spec_and_the_job_leaves_no_copy_pending(
    tmp_path: Path,
) -> None:
    """A copy's plan inputs are stored before its job (two commits): a kill between them
    leaves a spec with no job, which the next start drops (no usage is owed for it)."""
    async with copying(tmp_path) as c:
        await c.copier.place_sample("letter", Placement.FEEDER)
        c.store.set_meta("copy:copy-never-stored", json.dumps({"pages": 3}))
    async with copying(tmp_path) as again:
        again.copier.resume()
        assert again.store.meta_with_prefix("copy:") == {}
        assert again.usage() == []
        assert again.rig.trace.of("copy", "never-started") == [{"job_id": "copy-never-stored"}]
