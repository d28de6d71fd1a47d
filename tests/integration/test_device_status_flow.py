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
from support.device_reports import get_status
from support.networks import (
    LTE,
    POLICY,
    WIRED,
    Nets,
    cut_all_networks,
    is_online_over,
    run_for,
    run_until,
)

from panel.device import Device
from panel.device.clock import ManualClock
from panel.server.app import RunningServer

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
