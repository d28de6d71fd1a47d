"""The outbox's crash points, each hit on purpose: the device (tests/integration/outbox_worker.py)
SIGKILLs itself at the point (MFP_CRASH_AT), is started again on the same data, and finishes.
Every scan it confirmed is executed once by the server, in the order composed, and no
document file is left behind on the device."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
from support import ALICE, ALICE_PIN, device_config, running_server
from support.workers import start_worker

from panel import crashpoints
from panel.device.store import DeviceStore
from panel.protocol.messages import Destination

WORKER = Path(__file__).with_name("outbox_worker.py")
TOTAL = 4


async def _life(config, url: str, point: str | None) -> tuple[int | None, str, list[str]]:
    """One run of the worker until it ends: (exit code, stderr, keys it confirmed held)."""
    env = dict(os.environ)
    env.pop(crashpoints.ENV, None)
    if point is not None:
        env[crashpoints.ENV] = point
    proc = await start_worker(
        WORKER,
        url,
        config.device_id,
        str(config.data_dir),
        ALICE,
        ALICE_PIN,
        "d-points",
        str(TOTAL),
        secret=config.secret,
        env=env,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    held = [line.split()[1] for line in out.decode().splitlines() if line.startswith("HELD")]
    return proc.returncode, err.decode(), held


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "point", ["device.outbox.document-written", "device.outbox.held", "device.outbox.settled"]
)
async def test_a_device_killed_at_an_outbox_point_loses_and_repeats_nothing(
    tmp_path: Path, point: str
) -> None:
    server = await running_server(tmp_path)
    try:
        server.store.add_destination(Destination("d-points", "Points", "folder", "/srv/p"))
        config = device_config(server, tmp_path / "device", "Points MFP")
        code, err, first = await _life(config, server.url, point)
        assert code == -signal.SIGKILL, err
        assert f"crash point reached: {point}" in err
        code, err, second = await _life(config, server.url, None)
        assert code == 0, err
        confirmed = first + second

        ledger = server.store.ledger(config.device_id)
        outgoing = server.store.outgoing_jobs(config.device_id)
    finally:
        await server.stop()
    store = DeviceStore(config.data_dir / "device.sqlite3")
    try:
        scans = [j for j in store.load_jobs() if j.kind.value == "scan"]
        assert store.outbox_usage() == (0, 0)
    finally:
        store.close()
    assert list((config.data_dir / "outbox").iterdir()) == []  # no orphan document
    keys = [e.key for e in ledger]
    assert set(confirmed) <= set(keys)  # nothing confirmed is lost
    assert all(e.executions == 1 and e.status == 201 for e in ledger)  # none twice
    assert len(keys) == len(set(keys)) == len(outgoing) == TOTAL
    assert {j.job_id for j in scans} == set(keys)
    assert all(j.state.value == "accepted" for j in scans)
    titles = [o.title for o in outgoing]
    assert titles == [f"crash job {n:04d}" for n in range(TOTAL)]  # in order
