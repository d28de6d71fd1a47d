"""A report the server refuses because the job is final there in another state (409 job_final):
the device takes the server's state over, so both sides agree, instead of dropping the report
and keeping its own word."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from support.job_link import Parts, ScriptedLink, running

from panel.device.clock import ManualClock, run_until_idle
from panel.device.model import JobState


@pytest.fixture
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    async with running(tmp_path, ScriptedLink(ManualClock(), pages=2)) as parts:
        yield parts


async def test_a_final_report_refused_as_final_takes_the_servers_state_over(parts: Parts) -> None:
    assert parts.jobs.notified(1, "job-1")
    await run_until_idle()  # fetched, printing, and the printing report delivered
    parts.link.server_states["job-1"] = "cancelled"  # cancelled on the server meanwhile
    await parts.clock.run_for(2.0)  # both pages: completed on the device, refused (409)
    job = parts.job()
    assert job.state is JobState.CANCELLED
    assert job.reason == "cancelled on the server"
    assert job.pages_done == 2  # what was printed stays counted
    assert parts.store.pending_reports() == []
    assert [r.state for _, r in parts.link.reports] == ["printing"]
    stored = {j.job_id: j.state for j in parts.store.load_jobs()}
    assert stored["job-1"] is JobState.CANCELLED  # durable: a restart agrees too
    await parts.clock.run_for(60.0)
    assert len(parts.link.times("POST")) == 2  # refused once, never sent again


class FailedAfterTheFetch(ScriptedLink):
    """The job fails on the server right after the device fetched it."""

    async def call(self, method: str, path: str, reply: type[Any], body: Any = None) -> Any:
        info = await super().call(method, path, reply, body)
        if method == "GET" and len(self.times("GET")) == 1:
            self.server_states["job-1"] = "failed"
        return info


async def test_a_printing_report_refused_as_final_stops_the_print(tmp_path: Path) -> None:
    async with running(tmp_path, FailedAfterTheFetch(ManualClock(), pages=2)) as parts:
        assert parts.jobs.notified(1, "job-1")
        await run_until_idle()  # fetched, printing; the printing report refused (409)
        job = parts.job()
        assert job.state is JobState.FAILED
        assert job.reason == "failed on the server"
        await parts.clock.run_for(5.0)
        assert job.pages_done == 0  # the print was stopped before its first page
        assert parts.store.pending_reports() == []
        assert parts.link.reports == []


async def test_the_report_is_kept_while_the_server_cannot_say_which_state(parts: Parts) -> None:
    assert parts.jobs.notified(1, "job-1")
    await run_until_idle()
    parts.link.server_states["job-1"] = "cancelled"
    parts.link.failures["GET"] = 1  # the question after the refusal gets no answer
    await parts.clock.run_for(2.0)
    assert parts.job().state is JobState.COMPLETED
    assert [r.state for r in parts.store.pending_reports()] == ["completed"]  # kept
    await parts.clock.run_for(1.0)  # the backoff's first ceiling: sent again, refused, asked
    assert parts.job().state is JobState.CANCELLED
    assert parts.store.pending_reports() == []
