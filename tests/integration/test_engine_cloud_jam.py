"""A cloud print job jammed mid-way over real sockets (issue 14): the server's job is pushed to a
real device, a jam is injected and cleared through the device's engine control HTTP API, and
every page comes out once; the server ends with the job completed and every page counted, and
the device's counters agree; and counters survive a real device's restart."""

from __future__ import annotations

import aiohttp
from support import ALICE, device_config, submit, until, wait_event

from panel.device import ConnectionState, Device, Event, EventKind, JobState
from panel.device.model import PrinterState
from panel.sim.device_control import start_device_control


async def test_a_cloud_job_jammed_and_cleared_over_http_prints_each_page_once(
    server, make_device
) -> None:
    # 1.5 s a page: the jam sent over HTTP lands while page 2 is in the engine, even on a
    # loaded machine.
    device = await make_device(ppm=40.0)
    if device.connection_state is not ConnectionState.ONLINE:
        await wait_event(
            device, EventKind.CONNECTION_CHANGED, lambda e: e.subject is ConnectionState.ONLINE
        )
    control = await start_device_control(device.engine, device.trace)
    sheets: list[int] = []
    device.events.subscribe(lambda e: sheets.append(e.fields["page"]), EventKind.SHEET_OUT)
    try:
        async with aiohttp.ClientSession() as http:

            async def post(path: str, body: object) -> dict[str, object]:
                async with http.post(f"{control.url}{path}", json=body) as reply:
                    assert reply.status == 200, await reply.text()
                    result: dict[str, object] = await reply.json()
                    return result

            page_2 = wait_event(
                device, EventKind.PAGE_STARTED, lambda e: e.fields["page"] == 2, timeout=30
            )
            stopped = wait_event(
                device,
                EventKind.PRINTER_STATE_CHANGED,
                lambda e: e.subject is PrinterState.STOPPED,
                timeout=30,
            )
            job = await submit(server, ALICE, "Jammed report", pages=4, device_id=device.device_id)
            await page_2
            jammed = await post("/engine/jam", {"location": "duplex-unit"})
            assert jammed["error_codes"] == ["J-0601"]
            await stopped
            printing = device.jobs.get(job.job_id)
            assert printing is not None
            assert printing.state is JobState.PRINTING  # waits on the jam, does not fail
            assert sheets == [1]  # page 2 jammed in the engine: not counted

            done = wait_event(
                device,
                EventKind.JOB_STATE_CHANGED,
                lambda e: _completed(e, job.job_id),
                timeout=30,
            )
            cleared = await post("/engine/clear", {"code": "J-0601"})
            assert cleared["state"] == "processing"
            await done
    finally:
        await control.stop()
    assert sheets == [1, 2, 3, 4]
    await until(lambda: server.store.job(job.job_id).state == "completed", what="completion")
    assert server.store.job(job.job_id).pages_done == 4
    counters = device.engine.status().counters
    assert (counters.total, counters.sheets) == (4, 4)
    assert counters.per_user == ((ALICE, 4),)


def _completed(event: Event, job_id: str) -> bool:
    return bool(event.subject.job_id == job_id and event.subject.state is JobState.COMPLETED)


async def test_counters_and_levels_survive_a_device_restart(server, tmp_path) -> None:
    """The same device (identity and data folder) stopped and started again: its counters,
    tray levels and toner are as it left them, and the next job adds to them."""
    config = device_config(server, tmp_path / "device")

    async def print_one(title: str, pages: int) -> Device:
        device = Device(config)
        await device.start()
        done = wait_event(
            device,
            EventKind.JOB_STATE_CHANGED,
            lambda e: e.subject.state is JobState.COMPLETED,
            timeout=30,
        )
        await submit(server, ALICE, title, pages=pages, device_id=device.device_id)
        await done
        return device

    first = await print_one("Before the restart", 3)
    try:
        first.engine.set_toner("cyan", 7)
        before = first.engine.status()
    finally:
        await first.stop()
    second = await print_one("After the restart", 2)
    try:
        after = second.engine.status()
    finally:
        await second.stop()
    assert before.counters.total == 3
    assert after.counters.total == 5
    assert after.counters.per_user == ((ALICE, 5),)
    levels = {t.tray_id: t.level for t in after.trays}
    assert levels["tray-1"] == 500 - 5
    assert {t.colour: t.level_pct for t in after.toner}["cyan"] == 7
    assert after.state_reasons == ["toner-low-warning"]
