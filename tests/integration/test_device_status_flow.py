"""Status to the server (issue 14, acceptance 2) over real sockets: a device's jam reaches the
server and its status API; status reports made while the network is down arrive once and in
order after it returns; the maintenance call carries the jam's code."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest
from support import device_config, until
from support.device_reports import ADMIN, API, get_status, status_body, usage_body
from support.networks import (
    LTE,
    POLICY,
    WIRED,
    Nets,
    cut_all_networks,
    is_online_over,
    online_over,
    run_for,
    run_until,
    traced,
)

from panel.device import Device
from panel.device.attention import error_codes
from panel.device.clock import ManualClock
from panel.device.maintenance import PanelState
from panel.server.app import RunningServer
from panel.server.store import device_status

DeviceFactory = Callable[..., Awaitable[Device]]


def server_codes(server: RunningServer, device: Device) -> list[str]:
    """The codes of the device's latest status the server holds (read from its store)."""
    status = server.store.device_status(device.device_id, "").status
    return [] if status is None else [r.code for r in status.reasons]


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _codes(client: aiohttp.ClientSession, server: RunningServer, device: Device) -> list[str]:
    _, info = await get_status(client, server, device.device_id)
    status = info["status"]
    return [] if status is None else [r["code"] for r in status["reasons"]]


async def test_a_jam_reaches_the_server_and_its_clearing_too(
    server: RunningServer, make_device: DeviceFactory, client: aiohttp.ClientSession
) -> None:
    device = await make_device("Jam MFP")
    jam = device.engine.jam("tray-1")
    assert jam.code == "J-0101"
    await until(lambda: server_codes(server, device) == ["J-0101"], what="the jam on the server")
    status, info = await get_status(client, server, device.device_id)
    assert status == 200
    assert info["status"]["state"] == "stopped"
    reason = info["status"]["reasons"][0]
    assert (reason["keyword"], reason["severity"], reason["code"], reason["location"]) == (
        "media-jam",
        "error",
        "J-0101",
        "tray-1",
    )
    assert reason["message"] == jam.message
    assert [f["code"] for f in info["faults"]] == ["J-0101"]
    assert info["faults"][0]["cleared_at"] is None

    assert device.engine.clear("J-0101")
    await until(lambda: server_codes(server, device) == [], what="the jam cleared on the server")
    assert await _codes(client, server, device) == []


@pytest.fixture
async def netted(
    server: RunningServer, nets: Nets, clock: ManualClock, tmp_path: Path
) -> AsyncIterator[Device]:
    """A device on `clock` whose networks are `nets`, online over Wired LAN."""
    config = replace(
        device_config(server, tmp_path / "device", "Offline MFP"),
        networks=nets.settings(),
        failover=POLICY,
    )
    device = Device(config, clock=clock)
    await device.start()
    try:
        await run_until(clock, lambda: is_online_over(device, WIRED), device)
        yield device
    finally:
        await device.stop()


async def test_status_reports_made_offline_arrive_once_in_order_when_the_link_returns(
    server: RunningServer, nets: Nets, clock: ManualClock, netted: Device
) -> None:
    device = netted
    await run_until(
        clock, lambda: device.reports.stats.queued == 0, device, what="the first status sent"
    )
    sent_before = server.store.device_reports_count(device.device_id)
    assert sent_before >= 1
    await cut_all_networks(nets, clock, device)

    engine = device.engine
    engine.jam("tray-1")  # a fault: a report of its own
    for pct in (90, 80, 70, 60, 50):
        engine.set_toner("cyan", pct)  # levels: one report, the latest
    engine.clear("J-0101")
    for level in range(400, 100, -10):
        engine.set_tray("tray-1", level)  # 30 changes, one report
    engine.open_cover("front-cover")
    await run_for(clock, 30.0, device, faulted={WIRED, LTE}, step=0.5)  # half a minute offline
    engine.close_cover("front-cover")
    engine.set_tray("tray-1", 99)
    queued = device.store.queued_reports()
    codes = [[r["code"] for r in json.loads(body)["reasons"]] for _, _, _, body in queued]
    # the jam, its toner levels, cleared, the tray's levels, cover open, closed, its tray level
    assert codes == [["J-0101"], ["J-0101"], [], [], ["C-0101"], [], []]
    seqs = [seq for seq, _, _, _ in queued]
    assert server.store.device_reports_count(device.device_id) == sent_before

    await nets.wired.set_enabled(True)
    await nets.lte.set_enabled(True)
    await run_until(
        clock,
        lambda: device.reports.stats.queued == 0,
        device,
        within_s=30,
        what="the reports made offline delivered",
    )
    assert server.store.device_reports_count(device.device_id) == sent_before + len(queued)
    received = server.store.device_status_seqs(device.device_id)
    assert received[-len(seqs) :] == seqs  # in the order they were made, each once
    assert received == sorted(set(received))
    info = server.store.device_status(device.device_id, device.name)
    assert info.status is not None
    assert info.status.trays[0].level == 99
    assert [r.code for r in info.status.reasons] == []
    history = {f.code: (f.raised_at, f.cleared_at) for f in info.faults}
    jam_raised, jam_cleared = history["J-0101"]
    cover_raised, cover_cleared = history["C-0101"]
    assert jam_cleared is not None
    assert cover_cleared is not None
    assert jam_raised <= jam_cleared <= cover_raised
    assert cover_cleared - cover_raised >= 30.0  # the times the device saw, not the arrival


async def test_a_maintenance_call_carries_the_jams_code_to_the_operator(
    server: RunningServer, make_device: DeviceFactory, client: aiohttp.ClientSession
) -> None:
    device = await make_device("Calling MFP")
    await online_over(device)
    device.engine.jam("fuser")
    device.engine.set_toner("cyan", 8)
    codes = error_codes(device.engine.status(), device.connection_state, job_failed=False)
    assert codes == ["J-0501", "T-0102"]  # the error first, then the warning
    await device.maintenance.request("Paper jam", "", codes, PanelState(printer_state="stopped"))
    async with client.get(f"{server.url}{API}/maintenance/calls", headers=ADMIN) as r:
        assert r.status == 200
        (call,) = (await r.json())["calls"]
    assert call["error_codes"] == ["J-0501", "T-0102"]
    assert call["device_id"] == device.device_id
    await until(lambda: server_codes(server, device) == codes, what="the status on the server")
    (entry,) = server.store.maintenance_log()
    assert entry.device_id == device.device_id
    await device.maintenance.end("user")


async def test_a_report_the_server_refuses_is_found_dropped_and_the_others_delivered(
    server: RunningServer, make_device: DeviceFactory
) -> None:
    device = await make_device("Odd MFP")
    await until(lambda: device.reports.stats.queued == 0, what="the first status sent")
    broken = json.dumps({**status_body("on-fire"), "state": "on-fire"})
    bad = device.store.queue_report("status", device.time(), broken, replaceable=False)
    first = device.reports.add("usage", usage_body("copy-1", impressions=4))
    second = device.reports.add("usage", usage_body("copy-2", impressions=2))
    assert bad < first < second
    await until(lambda: device.reports.stats.queued == 0, what="the queue drained")
    assert device.reports.stats.refused == 1
    (refused,) = traced(device, "reports", "refused")
    assert refused["seq"] == bad
    assert refused["status"] == 400
    assert "state is one of idle" in refused["error"]
    usage = server.store.device_status(device.device_id, "").usage
    assert (usage.jobs, usage.impressions) == (2, 6)


async def test_a_usage_record_that_is_not_one_is_refused_at_once(
    make_device: DeviceFactory,
) -> None:
    device = await make_device("Strict MFP")
    with pytest.raises(ValueError, match="impressions must be int"):
        device.reports.add("usage", {**usage_body("c-1"), "impressions": "many"})
    with pytest.raises(ValueError, match="unknown report kind"):
        device.reports.add("coffee", usage_body("c-1"))


async def test_reports_queued_offline_survive_a_restart_and_arrive_once(
    server: RunningServer, nets: Nets, clock: ManualClock, tmp_path: Path
) -> None:
    config = replace(
        device_config(server, tmp_path / "device", "Restarted MFP"),
        networks=nets.settings(),
        failover=POLICY,
    )
    device = Device(config, clock=clock)
    await device.start()
    try:
        await run_until(clock, lambda: device.reports.stats.queued == 0, device, what="sent")
        stream = device.store.get_meta("reports_stream")
        await cut_all_networks(nets, clock, device)
        device.engine.open_cover("front-cover")
        device.reports.add("usage", usage_body("copy-9"))
        waiting = [seq for seq, _, _, _ in device.store.queued_reports()]
        assert len(waiting) == 2
    finally:
        await device.stop()
    before = server.store.device_reports_count(config.device_id)

    await nets.wired.set_enabled(True)
    await nets.lte.set_enabled(True)
    again = Device(config, clock=clock)
    await again.start()
    try:
        assert again.store.get_meta("reports_stream") == stream  # the same queue, not a new one
        await run_until(
            clock, lambda: again.reports.stats.queued == 0, again, within_s=30, what="delivered"
        )
        # the two from before the restart, then the status the restart itself reports
        assert server.store.device_reports_count(config.device_id) == before + 3
        received = server.store.device_status_seqs(config.device_id)
        assert received == sorted(set(received))
        info = server.store.device_status(config.device_id, "")
        assert info.usage.jobs == 1
        assert [f.code for f in info.faults] == ["C-0101"]
    finally:
        await again.stop()


@pytest.mark.expect_errors(logger="panel.server.errors", match="unhandled error on POST")
async def test_a_batch_whose_answer_was_lost_is_sent_again_and_stored_once(
    server: RunningServer, make_device: DeviceFactory
) -> None:
    device = await make_device("Unlucky MFP")
    await until(lambda: device.reports.stats.queued == 0, what="the first status sent")
    before = server.store.device_reports_count(device.device_id)

    def reply_lost() -> None:
        raise RuntimeError("the server failed after committing the batch")

    device_status.STORED.arm(reply_lost)
    try:
        device.engine.jam("tray-1")
        await until(lambda: device.reports.stats.queued == 0, what="the jam delivered")
    finally:
        device_status.STORED.disarm()
    sent = traced(device, "reports", "sent")[-1]
    assert (sent["stored"], sent["duplicates"]) == (0, 1)  # the second time: already there
    assert server.store.device_reports_count(device.device_id) == before + 1
    assert [f.code for f in server.store.device_status(device.device_id, "").faults] == ["J-0101"]
