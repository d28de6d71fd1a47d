"""Fetching pushed jobs and reporting their outcome when the server cannot be reached: each is
tried again after a full-jitter backoff in device time (a ManualClock here, so nobody waits),
and a stopped job manager tries nothing again and leaves no task or timer behind."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support.job_link import Parts, ScriptedLink, running

from panel.device.clock import ManualClock, run_until_idle
from panel.device.model import JobState


@pytest.fixture
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    async with running(tmp_path, ScriptedLink(ManualClock())) as parts:
        yield parts


def waited_within(times: list[float], *ceilings: float) -> bool:
    """Each wait between successive attempts was at most its backoff ceiling (full jitter)."""
    waits = [b - a for a, b in itertools.pairwise(times)][: len(ceilings)]
    return len(waits) == len(ceilings) and all(
        0 <= wait <= ceiling for wait, ceiling in zip(waits, ceilings, strict=True)
    )


async def test_a_fetch_that_fails_is_tried_again_after_a_growing_backoff(parts: Parts) -> None:
    parts.link.failures["GET"] = 3
    assert parts.jobs.notified(1, "job-1")
    await run_until_idle()
    job = parts.jobs.get("job-1")
    assert job is not None
    assert job.state is JobState.NOTIFIED  # not fetched; waits for its retry
    assert parts.clock.pending == 1  # the retry timer, on the device clock
    await parts.clock.run_for(0.5 + 1.0 + 2.0)  # the ceilings of the first three retries
    fetches = parts.link.times("GET")
    assert len(fetches) == 4
    assert waited_within(fetches, 0.5, 1.0, 2.0)
    await parts.clock.run_for(1.0)  # one page
    assert job.state is JobState.COMPLETED


async def test_a_report_that_fails_is_kept_and_delivered_after_the_backoff(parts: Parts) -> None:
    parts.link.failures["POST"] = 2
    assert parts.jobs.notified(1, "job-1")
    await run_until_idle()  # fetched and printing; telling the server so failed
    assert parts.link.times("POST") == [0.0]
    assert [r.state for r in parts.store.pending_reports()] == ["printing"]  # kept
    await parts.clock.run_for(0.5 + 1.0 + 1.0)  # the ceilings of two retries, and the page
    reports = parts.link.times("POST")
    assert len(reports) == 4  # two failed, then "printing" and "completed" delivered
    assert waited_within(reports, 0.5, 1.0)
    assert parts.store.pending_reports() == []


async def test_a_stopped_manager_retries_nothing_and_leaves_nothing(parts: Parts) -> None:
    parts.link.failures["GET"] = 1
    assert parts.jobs.notified(1, "job-1")
    await run_until_idle()
    assert parts.clock.pending == 1
    await parts.jobs.stop()
    assert parts.clock.pending == 0  # the retry timer was cancelled
    current = asyncio.current_task()
    assert [t for t in asyncio.all_tasks() if t is not current and not t.done()] == []
    await parts.clock.run_for(3600)
    assert len(parts.link.times("GET")) == 1
    job = parts.jobs.get("job-1")
    assert job is not None
    assert job.state is JobState.NOTIFIED  # fetched after the next start, not now
    assert [r.job_id for r in parts.store.unfetched_receptions()] == ["job-1"]
