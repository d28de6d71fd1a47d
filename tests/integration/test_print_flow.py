"""The S9 flow over real sockets: a job created on the server is pushed, fetched, printed and
reported; logins accepted and refused."""

from __future__ import annotations

from pathlib import Path

from support import ALICE, ALICE_PIN, BOB, device_config, submit, until, wait_event

from panel.device import ConnectionState, Device, EventKind, JobState
from panel.device.clock import ManualClock
from panel.server.api import trace_key


async def online(device) -> None:
    if device.connection_state is not ConnectionState.ONLINE:
        await wait_event(
            device, EventKind.CONNECTION_CHANGED, lambda e: e.subject is ConnectionState.ONLINE
        )


async def test_job_for_device_is_pushed_printed_and_reported(server, make_device):
    device = await make_device()
    await online(device)
    done = wait_event(
        device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.COMPLETED
    )
    job = await submit(server, ALICE, "Quarterly report", pages=3, device_id=device.device_id)
    event = await done
    printed = event.subject
    assert printed.job_id == job.job_id
    assert printed.title == "Quarterly report"
    assert printed.pages_done == 3
    states = [entry.state for entry in printed.timeline]
    assert states == [
        JobState.NOTIFIED,
        JobState.FETCHING,
        JobState.QUEUED,
        JobState.PRINTING,
        JobState.COMPLETED,
    ]
    await until(lambda: server.store.job(job.job_id).state == "completed", what="server completion")
    assert server.store.job(job.job_id).pages_done == 3


async def test_login_accepted_releases_held_jobs(server, make_device):
    device = await make_device()
    await online(device)
    held = await submit(server, ALICE, "Held for Alice")
    assert server.store.job(held.job_id).state == "held"
    completed = wait_event(
        device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.COMPLETED
    )
    result = await device.login(ALICE, ALICE_PIN)
    assert result.ok
    assert device.user is not None
    assert device.user.name == "Alice Martin"
    assert (await completed).subject.job_id == held.job_id


async def test_login_refused_with_wrong_pin(server, make_device):
    device = await make_device()
    await online(device)
    result = await device.login(BOB, "0000")
    assert not result.ok
    assert result.message == "Wrong user ID or PIN."
    assert device.user is None


async def test_a_pin_typed_into_the_id_field_never_reaches_a_trace(server, make_device):
    device = await make_device()
    await online(device)
    result = await device.login("73914206", "73914206")
    assert not result.ok
    device.trace.flush()
    server.app[trace_key].flush()
    assert "73914206" not in device.trace.path.read_text()
    assert "73914206" not in server.app[trace_key].path.read_text()


async def test_a_device_stopped_mid_work_leaves_no_timer_and_settles_it_at_the_next_start(
    server, tmp_path: Path
):
    """Stopped while printing, with its user's data being fetched and PIN being cached: stop
    ends every task and timer of the device (the suite's cleanup check sees any task, thread
    or socket left), and the print it cut short resumes at the next start, at its first page
    not printed, and completes on both sides."""
    clock = ManualClock()
    config = device_config(server, tmp_path / "device", ppm=6.0)  # a page every 10 s
    device = Device(config, clock=clock)
    await device.start()
    try:
        await online(device)
        printing = wait_event(
            device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.PRINTING
        )
        job = await submit(server, ALICE, "Long report", pages=5, device_id=device.device_id)
        await printing
        assert (await device.login(ALICE, ALICE_PIN)).ok
        assert clock.pending > 0  # the next page, the power and connection timers
    finally:
        await device.stop()
    assert clock.pending == 0

    again = Device(config, clock=clock)
    await again.start()
    try:
        interrupted = again.jobs.get(job.job_id)
        assert interrupted is not None
        assert interrupted.state is JobState.QUEUED
        assert interrupted.timeline[-1].note == "the device restarted: resumes at page 1 of 5"
        done = wait_event(
            again, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.COMPLETED
        )
        await clock.run_for(60.0)  # five pages at 6 ppm
        assert (await done).subject.pages_done == 5
        await until(lambda: server.store.job(job.job_id).state == "completed", what="told")
    finally:
        await again.stop()
    assert clock.pending == 0
