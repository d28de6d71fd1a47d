"""A headless device core in a process of its own, for tests that kill it (SIGKILL, crash
points) and start it again on the same data directory.

Run as a script: `device_worker.py URL DEVICE_ID DATA_DIR USER PIN DEST [TRAY [PPM]]`; the
device secret comes as the first line of standard input, never on the command line. The worker
starts the device, waits for the address book (once; it is kept after that), logs USER in
(online, or offline against the cached credentials) and prints `READY <status>`. Then it obeys
one command a line on standard input, each answered by one line on standard output:

- `scan N`: a one-page scan to DEST titled `scan N`, composed only if no job has that title
  yet (after a kill the test cannot know whether the last one was made durable), answered
  `HELD <job id> N` once it is held;
- `copy`: the workload's copy (COPY_SETTINGS of the sample letter, placed in the feeder),
  started only if the device has no copy job yet (after a kill the test cannot know whether
  it was stored), answered `COPIED <job id> <state>` once it is final (it works offline);
- `status`: `STATUS <json>`, the device's state (see `status`);
- `stop`: stops the device (logging the user out, as a panel switched off does), `STOPPED`.

Every sheet the engine puts out is appended to TRAY (`<job id> <page>` a line, one unbuffered
write, so it survives a SIGKILL of this process) as it leaves, before the device counts it: the
paper tray, where a page printed twice or never shows.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from panel.device import (
    ConnectionState,
    Device,
    DeviceConfig,
    Event,
    EventKind,
    Job,
    JobKind,
    LoginOutcome,
)
from panel.device.copying import CopySettings, Placement, Sides
from panel.device.networks import FailoverPolicy

FAST_PPM = 6000.0
# A panel waits up to tens of seconds between reconnects after repeated failures (a fleet must
# not storm its server); a test that restarts the server on purpose reconnects within a second.
QUICK_RECONNECT = FailoverPolicy(reconnect_base_s=0.1, reconnect_cap_s=1.0, reconnect_stable_s=1.0)


# Grouped two-sided copies of the 3-page sample letter: 4 sheets, two with a blank back.
COPY_SAMPLE = "letter"
COPY_SETTINGS = CopySettings(copies=2, sides=Sides.ONE_TWO, collate=False)


def scan_title(n: int) -> str:
    return f"scan {n}"


async def start_device(
    url: str, device_id: str, secret: str, data_dir: Path, dest: str, ppm: float = FAST_PPM
) -> Device:
    """Start a device and wait until its address book holds `dest` (at once when cached)."""
    config = DeviceConfig(
        "Worker MFP",
        url,
        data_dir,
        device_id,
        secret,
        ppm=ppm,
        warmup_s=0.0,
        failover=QUICK_RECONNECT,
    )
    device = Device(config)
    cached = asyncio.Event()  # the address book comes once online (it is kept after that)
    device.events.subscribe(lambda _: cached.set(), EventKind.CACHE_CHANGED)
    await device.start()
    while device.cache.destination(dest) is None:
        cached.clear()
        await cached.wait()
    return device


# How long a login waits for a server the test is restarting (a crash at the server's first
# commits kills it before this user ever logged in here, so no offline login can stand in).
SERVER_BACK_S = 120.0


async def log_in(device: Device, user: str, pin: str) -> None:
    """Log `user` in; while the server cannot be reached, try again each time the device is
    back online, as the person at the panel would (on a loaded machine the test's restart of a
    killed server can take longer than the device's start)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SERVER_BACK_S
    changed = asyncio.Event()  # the connection's state changed since the last try
    stop = device.events.subscribe(lambda _: changed.set(), EventKind.CONNECTION_CHANGED)
    try:
        while True:
            changed.clear()
            result = await device.login(user, pin)
            if result.ok:
                return
            if result.outcome is not LoginOutcome.UNREACHABLE:
                raise SystemExit(f"login refused: {result.message}")
            # Online but unreachable: the link has not noticed yet; it goes offline, then back.
            while not changed.is_set() or device.connection_state is not ConnectionState.ONLINE:
                changed.clear()
                try:
                    await asyncio.wait_for(changed.wait(), max(0.0, deadline - loop.time()))
                except TimeoutError:
                    raise SystemExit(f"login refused: {result.message}") from None
    finally:
        stop()


def status(device: Device) -> dict[str, Any]:
    """What a test checks of a running device: connection, jobs, the outbox, reports."""
    held, size = device.store.outbox_usage()
    return {
        "online": device.connection_state.value == "online",
        "jobs": {j.job_id: _job(j) for j in device.jobs.all()},
        "outbox": held,
        "outbox_bytes": size,
        "reports": len(device.store.pending_reports()),
        "unfetched": len(device.store.unfetched_receptions()),
        "device_reports": len(device.store.queued_reports()),
        "copy_specs": len(device.store.meta_with_prefix("copy:")),
        "user": device.user.user_id if device.user else None,
    }


def _job(job: Job) -> dict[str, Any]:
    return {
        "kind": job.kind.value,
        "state": job.state.value,
        "title": job.title,
        "pages_done": job.pages_done,
        "total": job.total_pages,
    }


class _Tray:
    """The sheets that came out, one line each, appended with a single write (no buffer)."""

    def __init__(self, path: Path | None) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT) if path else None

    def __call__(self, event: Event) -> None:
        job: Job = event.subject
        if self._fd is not None:
            os.write(self._fd, f"{job.job_id} {event.fields['page']}\n".encode())

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)


async def _scan(device: Device, dest: str, n: int) -> Job:
    title = scan_title(n)
    done = next((j for j in device.jobs.all() if j.kind is JobKind.SCAN and j.title == title), None)
    return done or await device.scan_to(dest, 1, title=title)


async def _copy(device: Device) -> Job:
    """The workload's copy, started once, awaited until it is final."""
    job = next((j for j in device.jobs.all() if j.kind is JobKind.COPY), None)
    if job is None:
        await device.copier.place_sample(COPY_SAMPLE, Placement.FEEDER)
        job = device.copier.start(COPY_SETTINGS)
    final = asyncio.Event()
    unsubscribe = device.events.subscribe(
        lambda e: final.set() if e.subject.job_id == job.job_id else None,
        EventKind.JOB_STATE_CHANGED,
    )
    try:
        while not job.state.is_final:
            final.clear()
            await final.wait()
    finally:
        unsubscribe()
    return job


def _say(*words: str) -> None:
    print(*words, flush=True)


async def main(argv: list[str]) -> None:
    url, device_id, data_dir, user, pin, dest = argv[:6]
    tray = _Tray(Path(argv[6]) if len(argv) > 6 else None)
    ppm = float(argv[7]) if len(argv) > 7 else FAST_PPM
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    secret = (await reader.readline()).decode().strip()
    print("worker: starting the device", file=sys.stderr, flush=True)
    device = await start_device(url, device_id, secret, Path(data_dir), dest, ppm)
    device.events.subscribe(tray, EventKind.SHEET_OUT)
    print("worker: started, address book cached", file=sys.stderr, flush=True)
    try:
        await log_in(device, user, pin)
        _say("READY", json.dumps(status(device)))
        while line := (await reader.readline()).decode().split():
            if line[0] == "scan":
                job = await _scan(device, dest, int(line[1]))
                _say("HELD", job.job_id, line[1])
            elif line[0] == "copy":
                job = await _copy(device)
                _say("COPIED", job.job_id, job.state.value)
            elif line[0] == "status":
                _say("STATUS", json.dumps(status(device)))
            elif line[0] == "stop":
                break
            else:
                raise SystemExit(f"unknown command {line!r}")
    finally:
        await device.stop()
        tray.close()
    _say("STOPPED")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
