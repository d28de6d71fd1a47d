"""S9 over real sockets: nothing missed while away, nothing executed twice, receptions survive
a restart."""

from __future__ import annotations

import asyncio
import json

from support import ALICE, ALICE_PIN, device_config, submit, until, wait_event
from support.networks import online_over

from panel.device import Device, EventKind, JobState
from panel.device.clock import ManualClock
from panel.device.store import DeviceStore
from panel.server.api import hub_key


def completed(job_id: str):
    return lambda e: e.subject.job_id == job_id and e.subject.state is JobState.COMPLETED


async def test_jobs_sent_while_the_device_was_away_are_replayed(server, make_device):
    device = await make_device()
    await online_over(device)
    config = device.config
    await device.stop()
    missed = [
        await submit(server, ALICE, f"while away {n}", device_id=config.device_id) for n in range(3)
    ]
    assert all(server.store.job(j.job_id).state == "notified" for j in missed)

    again = Device(config)
    done = {
        j.job_id: wait_event(again, EventKind.JOB_STATE_CHANGED, completed(j.job_id))
        for j in missed
    }
    await again.start()
    try:
        for waiter in done.values():
            await waiter
        await until(
            lambda: all(server.store.job(j).state == "completed" for j in done), what="reports"
        )
    finally:
        await again.stop()


async def test_a_repeated_notification_is_executed_once(server, make_device):
    device = await make_device()
    await online_over(device)
    finished = wait_event(device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state.is_final)
    job = await submit(server, ALICE, "once", device_id=device.device_id)
    await finished
    (note,) = server.store.notifications_after(device.device_id, 0)
    hub = server.app[hub_key]
    await hub.send(note)
    await hub.send(note)

    def receptions() -> list[dict]:
        lines = device.trace.path.read_text().splitlines()
        return [json.loads(ln) for ln in lines if '"event":"reception"' in ln]

    await until(lambda: len(receptions()) == 3, what="three receptions traced")
    assert [r["fresh"] for r in receptions()] == [True, False, False]
    assert server.store.job(job.job_id).state == "completed"
    printed = [e for e in device.jobs.get(job.job_id).timeline if e.state is JobState.PRINTING]
    assert len(printed) == 1
    assert len(device.jobs.all()) == 1


async def test_a_reception_stored_before_a_crash_is_fetched_after_restart(
    server, make_device, tmp_path
):
    device = await make_device()
    await online_over(device)
    config = device.config
    await device.stop()
    job = await submit(server, ALICE, "received, never fetched", device_id=config.device_id)
    (note,) = server.store.notifications_after(config.device_id, 0)
    # The device stored the reception and died before it requested the job information.
    crashed = DeviceStore(config.data_dir / "device.sqlite3")
    crashed.store_reception(note.seq, note.job_id, note.created_at)
    crashed.close()

    again = Device(config)
    done = wait_event(again, EventKind.JOB_STATE_CHANGED, completed(job.job_id))
    await again.start()
    try:
        await done
        await until(lambda: server.store.job(job.job_id).state == "completed")
    finally:
        await again.stop()


async def test_cancel_at_the_panel_reaches_the_server(server, tmp_path):
    # On a clock that does not move, the job stays on its first page: time to cancel.
    device = Device(device_config(server, tmp_path / "device"), clock=ManualClock())
    await device.start()
    try:
        await online_over(device)
        printing = wait_event(
            device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.PRINTING
        )
        job = await submit(server, ALICE, "long", pages=50, device_id=device.device_id)
        await printing
        assert (await device.login(ALICE, ALICE_PIN)).ok  # only its owner may cancel it
        cancelled = device.cancel_current_job()
        assert cancelled is not None
        assert cancelled.job_id == job.job_id
        assert device.jobs.get(job.job_id).state is JobState.CANCELLED
        await until(lambda: server.store.job(job.job_id).state == "cancelled", what="cancelled")
        assert device.cancel_current_job() is None
    finally:
        await device.stop()


async def test_stopping_the_device_mid_print_returns_promptly(server, tmp_path):
    # On a clock that never moves, a stop that waited for the page (or any other timer)
    # would never return: the real-time bound only turns that hang into a failure.
    device = Device(device_config(server, tmp_path / "device", ppm=60.0), clock=ManualClock())
    await device.start()
    try:
        await online_over(device)
        printing = wait_event(
            device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.PRINTING
        )
        first = await submit(server, ALICE, "first", pages=30, device_id=device.device_id)
        await submit(server, ALICE, "second", pages=30, device_id=device.device_id)
        await printing
    finally:
        await asyncio.wait_for(device.stop(), 30)
    # after a restart, the interrupted job goes back to the queue, ahead of the queued one
    again = Device(device.config, clock=ManualClock())
    await again.start()
    try:
        job = again.jobs.get(first.job_id)
        assert job.state is JobState.QUEUED
        assert job.timeline[-1].note.startswith("the device restarted: resumes at page ")
    finally:
        await again.stop()
