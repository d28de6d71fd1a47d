"""Finding 1 of issue 12 over a real server on a real socket: a device SIGKILLed right after it
committed a job's final state keeps the report it owes the server (same commit) and delivers
it after the restart; the server's crash window between its commit and its reply makes the
device send the report again, which the server takes as the repeat it is."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path

import pytest
from support import ALICE, device_config, running_server, submit, until, wait_event
from support.workers import start_worker

from panel import crashpoints
from panel.device import Device, EventKind, JobState
from panel.device.store import DeviceStore
from panel.server.store import jobs as server_jobs

WORKER = Path(__file__).with_name("print_worker.py")


async def _killed_at(point: str, url: str, device_id: str, secret: str, data_dir: Path):
    """Start the worker device with `point` armed; returns (process, stderr reader) once online."""
    env = {**os.environ, crashpoints.ENV: point}
    proc = await start_worker(WORKER, url, device_id, str(data_dir), secret=secret, env=env)
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), 60)
    assert line.strip() == b"ONLINE", line
    return proc


# Every crash point a print goes through on the device, in the order it reaches them.
DEVICE_POINTS = [
    "device.receptions.stored",
    "device.jobs.fetching",
    "device.jobs.fetched",
    "device.jobs.printing",
    "device.reports.confirmed",
    "device.jobs.page",
    "device.jobs.final",
]


def _left_on_disk(data_dir: Path, job_id: str) -> tuple[JobState | None, int, list[str]]:
    """(state, pages_done, pending report states) of `job_id` as the kill left them."""
    store = DeviceStore(data_dir / "device.sqlite3")
    try:
        stored = {j.job_id: j for j in store.load_jobs()}.get(job_id)
        reports = [r.state for r in store.pending_reports() if r.job_id == job_id]
    finally:
        store.close()
    return (stored.state, stored.pages_done, reports) if stored else (None, 0, reports)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("point", DEVICE_POINTS)
async def test_a_device_killed_at_any_point_of_a_print_converges_after_restart(
    tmp_path: Path, point: str
) -> None:
    """SIGKILL at `point` (the process kills itself there), then a restart on the same data:
    the job ends completed on both sides, with no report left and no counted page printed
    again. At device.jobs.final (finding 1) the final report was committed with the state."""
    server = await running_server(tmp_path)
    try:
        config = device_config(server, tmp_path / "device")
        proc = await _killed_at(point, server.url, config.device_id, config.secret, config.data_dir)
        try:
            job = await submit(server, ALICE, "Killed", pages=2, device_id=config.device_id)
            code = await asyncio.wait_for(proc.wait(), 60)
        finally:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        assert proc.stderr is not None
        err = (await proc.stderr.read()).decode()
        assert code == -signal.SIGKILL, err
        assert f"crash point reached: {point}" in err

        state, pages_done, reports = _left_on_disk(config.data_dir, job.job_id)
        if point == "device.jobs.final":
            # Completed on the device with its report pending; the server has not heard.
            assert (state, pages_done, reports[-1:]) == (JobState.COMPLETED, 2, ["completed"])
            assert server.store.job(job.job_id).state in ("fetched", "printing")

        again = Device(config)
        printed: list[int] = []
        again.events.subscribe(
            lambda e: printed.append(e.subject.pages_done), EventKind.JOB_PROGRESS
        )
        await again.start()
        try:
            await until(
                lambda: server.store.job(job.job_id).state == "completed",
                timeout=30,
                what="the job completed on the server after the restart",
            )
            await until(lambda: again.store.pending_reports() == [], what="no report left")
            restarted = again.jobs.get(job.job_id)
            assert restarted is not None
            assert (restarted.state, restarted.pages_done) == (JobState.COMPLETED, 2)
            assert printed == list(range(pages_done + 1, 3))  # counted pages: never again
            assert server.store.job(job.job_id).pages_done == 2
            assert server.store.first_unacked(config.device_id) is None
        finally:
            await again.stop()
    finally:
        await server.stop()


class ReplyLost(Exception):
    """The server committed, and its reply never left (the test's stand-in for a kill)."""


@pytest.mark.expect_errors(logger="panel.server.errors", match="unhandled error on POST")
async def test_a_report_committed_whose_reply_is_lost_is_taken_once(tmp_path: Path) -> None:
    server = await running_server(tmp_path)
    try:
        config = device_config(server, tmp_path / "device")
        device = Device(config)

        lost: list[str] = []

        def lose_the_reply() -> None:
            lost.append("completed")
            raise ReplyLost("the server died between its commit and its reply")

        # The second report is the final one (the first says printing).
        server_jobs.REPORTED.arm(lose_the_reply, nth=2)
        await device.start()
        try:
            done = wait_event(
                device,
                EventKind.JOB_STATE_CHANGED,
                lambda e: e.subject.state is JobState.COMPLETED,
                timeout=30,
            )
            job = await submit(server, ALICE, "Reply lost", pages=2, device_id=config.device_id)
            await done
            await until(lambda: device.store.pending_reports() == [], timeout=30, what="sent")
            assert lost == ["completed"]  # committed, and the device got no answer...
            info = server.store.job(job.job_id)
            assert (info.state, info.pages_done) == ("completed", 2)  # ...so it sent it again
            device.trace.flush()
            assert device.trace.path is not None
            assert '"report-refused"' not in device.trace.path.read_text()  # taken as a repeat
        finally:
            await device.stop()
    finally:
        crashpoints.disarm_all()
        await server.stop()
