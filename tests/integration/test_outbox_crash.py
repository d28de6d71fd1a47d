"""Kill the device with SIGKILL at random points of composing and sending, over and over,
and prove the outbox lost nothing, duplicated nothing and kept the order (S1).

The device core runs in a subprocess (tests/integration/outbox_worker.py) against a real
server on a real socket in this process. Some kills are timed at random; others fire from
inside the server right after it committed an item and before its reply left, the worst
moment: the device must resend and get the stored result, never a second execution.

No kill waits for a time: a random one comes the moment the device has confirmed a random
number of jobs as held (it is then composing the next one and sending earlier ones), so a
loaded machine changes where the kills land, never whether the test passes.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
from pathlib import Path

import pytest
from support import ALICE, ALICE_PIN, device_config, running_server
from support.workers import start_worker

from panel.device.store import DeviceStore
from panel.protocol.messages import Destination

WORKER = Path(__file__).with_name("outbox_worker.py")
KILLS = int(os.environ.get("MFP_CRASH_KILLS", "24"))
COMMIT_KILL_EVERY = 3  # every third kill fires between the server's commit and its reply


async def _round(
    config, server_url: str, total: int, kill_after: int | None, armed: list[int]
) -> tuple[list[str], bool, bool]:
    """One life of the device: returns (keys confirmed held, finished, killed).

    `kill_after`: SIGKILL once that many jobs were confirmed held (None: no kill from here)."""
    proc = await start_worker(
        WORKER,
        server_url,
        config.device_id,
        str(config.data_dir),
        ALICE,
        ALICE_PIN,
        "d-crash",
        str(total),
        secret=config.secret,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    if kill_after is None and total:
        armed.append(proc.pid)  # the server kills it right after its next commit
    held: list[str] = []
    finished = False
    due = asyncio.Event()  # started, and `kill_after` jobs confirmed held

    async def read() -> None:
        nonlocal finished
        started = False
        async for raw in proc.stdout:
            line = raw.decode().split()
            if line[0] == "STARTED":
                started = True
            elif line[0] == "HELD":
                held.append(line[1])
            elif line[0] == "DONE":
                finished = True
            if started and kill_after is not None and len(held) >= kill_after:
                due.set()
        due.set()  # the process ended first

    reader = asyncio.ensure_future(read())
    killed = False
    if kill_after is not None:
        await asyncio.wait_for(due.wait(), 60)
        if proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
            killed = True
    code = await asyncio.wait_for(proc.wait(), 60)
    await reader
    err = (await proc.stderr.read()).decode()
    killed = killed or code == -signal.SIGKILL
    assert killed or code == 0, err
    if proc.pid in armed:
        armed.remove(proc.pid)
    return held, finished, killed


@pytest.mark.timeout(300)
async def test_sigkill_during_enqueue_and_send_loses_and_duplicates_nothing(tmp_path):
    server = await running_server(tmp_path)
    server.store.add_destination(Destination("d-crash", "Crash bin", "folder", "/srv/crash"))
    config = device_config(server, tmp_path / "device", "Crash MFP")
    armed: list[int] = []
    commit_kills = 0
    finish = server.store.finish_outbox_item

    def finish_then_maybe_kill(*args, **kwargs):
        nonlocal commit_kills
        result = finish(*args, **kwargs)  # committed...
        if result is not None and armed:
            os.kill(armed.pop(), signal.SIGKILL)  # ...and the device dies before the reply
            commit_kills += 1
        return result

    server.store.finish_outbox_item = finish_then_maybe_kill
    rng = random.Random(20261125)
    confirmed: list[str] = []
    kills = 0
    try:
        while kills < KILLS:
            at_commit = kills % COMMIT_KILL_EVERY == COMMIT_KILL_EVERY - 1
            after = None if at_commit else rng.randrange(0, 25)
            held, finished, killed = await _round(config, server.url, 10**6, after, armed)
            assert not finished
            confirmed += held
            kills += killed
        held, finished, _ = await _round(config, server.url, 0, None, armed)
        assert finished
        confirmed += held
    finally:
        server.store.finish_outbox_item = finish
        await server.stop()

    store = DeviceStore(config.data_dir / "device.sqlite3")
    device_jobs = [j for j in store.load_jobs() if j.kind.value == "scan"]
    assert store.outbox_usage() == (0, 0)
    store.close()
    assert not list((config.data_dir / "outbox").iterdir())

    from panel.server.store import ServerStore

    sstore = ServerStore(tmp_path / "server" / "server.sqlite3")
    ledger = sstore.ledger(config.device_id)
    outgoing = sstore.outgoing_jobs(config.device_id)
    sstore.close()

    assert kills >= 20
    assert commit_kills >= KILLS // COMMIT_KILL_EVERY - 1  # the worst moment was really hit
    keys = [e.key for e in ledger]
    # 0 lost: every job the device confirmed as held reached the server
    assert set(confirmed) <= set(keys)
    assert len(confirmed) >= 20
    # 0 duplicated: one execution and one outgoing job per key
    assert all(e.executions == 1 and e.status == 201 for e in ledger)
    assert len(keys) == len(set(keys)) == len(outgoing)
    # the device knows exactly the jobs the server executed, all accepted
    assert {j.job_id for j in device_jobs} == set(keys)
    assert all(j.state.value == "accepted" for j in device_jobs)
    # order kept: the server accepted them in the order they were composed
    titles = [o.title for o in outgoing]
    assert titles == [f"crash job {n:04d}" for n in range(len(titles))]
    replays = [
        json.loads(line)
        for line in (tmp_path / "server" / "trace.jsonl").read_text().splitlines()
        if '"event":"replayed"' in line
    ]
    assert replays, "a commit-time kill should have made the device resend a committed item"
