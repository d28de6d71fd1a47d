"""Copy offline over real sockets (issue 14): with both simulated networks down, a copy prints
and its usage record waits in the device's report queue; when the networks return, the record
reaches the server once (its usage totals count the copy one time)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from support import ALICE, ALICE_PIN, device_config
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
from panel.device.copying import CopyPhase, CopySettings, Placement, Sides
from panel.device.model import JobState
from panel.server.app import RunningServer


@pytest.fixture
async def netted(
    server: RunningServer, nets: Nets, clock: ManualClock, tmp_path: Path
) -> AsyncIterator[Device]:
    """A device on `clock` behind `nets`, online over Wired LAN, with Alice logged in."""
    config = replace(
        device_config(server, tmp_path / "device", "Copy MFP"),
        networks=nets.settings(),
        failover=POLICY,
    )
    device = Device(config, clock=clock)
    await device.start()
    try:
        await run_until(clock, lambda: is_online_over(device, WIRED), device)
        assert (await device.login(ALICE, ALICE_PIN)).ok
        yield device
    finally:
        await device.stop()


def usage_records(device: Device) -> list[str]:
    return [body for _, kind, _, body in device.store.queued_reports() if kind == "usage"]


async def test_an_offline_copy_prints_and_its_usage_arrives_once_when_the_link_returns(
    server: RunningServer, nets: Nets, clock: ManualClock, netted: Device
) -> None:
    device = netted
    await cut_all_networks(nets, clock, device)
    await device.copier.place_sample("letter", Placement.FEEDER)
    job = device.copier.start(CopySettings(copies=3, sides=Sides.ONE_TWO))
    down = {WIRED, LTE}
    await run_until(
        clock, lambda: job.state is JobState.COMPLETED, device, faulted=down, what="copied"
    )
    status = device.copier.status()
    assert (status.phase, status.impressions, status.sheets) == (CopyPhase.COMPLETED, 9, 6)
    await run_for(clock, 10.0, device, faulted=down)  # ten seconds offline: it waits
    assert len(usage_records(device)) == 1
    assert server.store.device_status(device.device_id, device.name).usage.jobs == 0

    await nets.wired.set_enabled(True)
    await nets.lte.set_enabled(True)
    await run_until(
        clock, lambda: device.reports.stats.queued == 0, device, what="the reports delivered"
    )
    usage = server.store.device_status(device.device_id, device.name).usage
    assert (usage.jobs, usage.impressions, usage.sheets, usage.duplex_jobs) == (1, 9, 6, 1)
    assert usage.colour_jobs == 0
    await run_for(clock, 10.0, device)  # nothing more comes
    usage = server.store.device_status(device.device_id, device.name).usage
    assert (usage.jobs, usage.impressions) == (1, 9)
