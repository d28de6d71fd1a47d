"""Job privacy in the device core (issue 11): only a job's owner, or an administrator, may
cancel it, whatever a view shows; the Stop key obeys the same rule; a cancel's report names
the user who asked, so that the server can check it too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from panel.device.clock import ManualClock, run_until_idle
from panel.device.connection import ServerRefused
from panel.device.engine import PrintEngine
from panel.device.events import EventBus
from panel.device.jobs import JobManager
from panel.device.model import ConnectionState, Job, JobRefused, JobState, User
from panel.device.store import DeviceStore
from panel.protocol.messages import JobInfo, JobStatusReport
from panel.trace import Trace

ALICE = User("1001", "Alice Martin")
CHEN = User("1003", "Chen Wei")
ADMIN = User("9000", "Service Admin", "admin")


class RecordingLink:
    """The server as the job manager sees it: every job is Alice's; status reports are kept,
    and the next `refuse` ones are refused with that code."""

    def __init__(self) -> None:
        self.state = ConnectionState.ONLINE
        self.reports: list[JobStatusReport] = []
        self.refuse: list[str] = []

    async def call(self, method: str, path: str, reply: type[Any], body: Any = None) -> Any:
        job_id = path.split("/")[2]
        if method == "POST":
            assert isinstance(body, JobStatusReport)
            if self.refuse:
                code = self.refuse.pop(0)
                raise ServerRefused(403, code, "refused (scripted)")
            self.reports.append(body)
        return JobInfo(job_id, ALICE.user_id, "Alice's payslip", 50, 1, "queued", "d", 0.0, "p", 9)


@dataclass
class Parts:
    clock: ManualClock
    link: RecordingLink
    jobs: JobManager


@pytest.fixture
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    clock = ManualClock()  # does not move: a job stays on its first page
    link = RecordingLink()
    events, trace = EventBus(), Trace(None)
    store = DeviceStore(tmp_path / "device.sqlite3")
    engine = PrintEngine(events, trace, clock, ppm=60.0, warmup_s=0.0)
    jobs = JobManager(store, link, engine, events, trace, clock)  # type: ignore[arg-type]
    jobs.start()
    yield Parts(clock, link, jobs)
    await jobs.stop()
    store.close()


async def alices_job_printing(parts: Parts) -> Job:
    assert parts.jobs.notified(1, "job-1")
    await run_until_idle()
    job = parts.jobs.get("job-1")
    assert job is not None
    assert job.user_id == ALICE.user_id
    assert job.state is JobState.PRINTING
    return job


async def test_another_user_cannot_cancel_a_job(parts: Parts) -> None:
    job = await alices_job_printing(parts)
    with pytest.raises(JobRefused, match="belongs to another user"):
        parts.jobs.cancel_job(job.job_id, CHEN)
    await run_until_idle()
    assert job.state is JobState.PRINTING  # still printing
    assert [r.state for r in parts.link.reports] == ["printing"]  # nothing told the server


async def test_nobody_logged_in_cannot_cancel_a_job(parts: Parts) -> None:
    job = await alices_job_printing(parts)
    with pytest.raises(JobRefused, match="Log in"):
        parts.jobs.cancel_job(job.job_id, None)
    assert job.state is JobState.PRINTING


async def test_the_stop_key_does_not_cancel_another_users_job(parts: Parts) -> None:
    job = await alices_job_printing(parts)
    with pytest.raises(JobRefused):
        parts.jobs.cancel_current_job(CHEN)
    assert job.state is JobState.PRINTING
    assert parts.jobs.cancel_current_job(ALICE) is job
    assert parts.jobs.get(job.job_id) is job
    assert job.state.is_final  # cancelled (mypy keeps `state` narrowed to PRINTING)
    assert job.reason == "cancelled at the panel by 1001"


async def test_the_owner_cancels_and_the_report_names_them(parts: Parts) -> None:
    job = await alices_job_printing(parts)
    assert parts.jobs.cancel_job(job.job_id, ALICE)
    await run_until_idle()
    assert job.state is JobState.CANCELLED
    assert [(r.state, r.acting_user) for r in parts.link.reports] == [
        ("printing", ""),  # the device's own word
        ("cancelled", ALICE.user_id),
    ]


async def test_an_administrator_cancels_anyones_job(parts: Parts) -> None:
    job = await alices_job_printing(parts)
    assert parts.jobs.cancel_job(job.job_id, ADMIN)
    await run_until_idle()
    assert job.state is JobState.CANCELLED
    assert parts.link.reports[-1].acting_user == ADMIN.user_id


async def test_a_cancel_reported_after_the_user_left_goes_as_the_devices_word(
    parts: Parts,
) -> None:
    """The user cancelled their job and logged out before the report got through: the
    server refuses it in their name; the device did stop the job, so it says so itself."""
    job = await alices_job_printing(parts)
    parts.link.refuse = ["not_logged_in_here"]
    assert parts.jobs.cancel_job(job.job_id, ALICE)
    await run_until_idle()
    assert [(r.state, r.acting_user) for r in parts.link.reports] == [
        ("printing", ""),
        ("cancelled", ""),
    ]


async def test_a_cancel_the_server_refuses_as_not_theirs_is_not_sent_again(parts: Parts) -> None:
    job = await alices_job_printing(parts)
    parts.link.refuse = ["not_your_job"]
    assert parts.jobs.cancel_job(job.job_id, ALICE)
    await run_until_idle()
    assert [r.state for r in parts.link.reports] == ["printing"]  # dropped, not laundered
