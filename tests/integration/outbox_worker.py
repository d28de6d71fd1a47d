"""A headless device for the outbox crash test: it logs in, composes numbered scans until the
device holds `total` of them, and prints a line the moment each is durable. The test kills
this process with SIGKILL at random points and restarts it on the same data directory.

Usage: outbox_worker.py URL DEVICE_ID DATA_DIR USER PIN DEST_ID TOTAL
(the device secret comes on standard input, never on the command line).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

# The shared worker's start-up (tests/support/device_worker.py), without importing the whole
# support package (its server imports would slow every restart).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from device_worker import log_in, start_device

from panel.device import EventKind, JobKind, JobState


async def main(
    url: str, device_id: str, data_dir: Path, user: str, pin: str, dest: str, total: int
) -> None:
    secret = sys.stdin.readline().strip()
    device = await start_device(url, device_id, secret, data_dir, dest)
    await log_in(device, user, pin)
    print("STARTED", flush=True)
    made = sum(1 for j in device.jobs.all() if j.kind is JobKind.SCAN)
    for n in range(made, total):
        job = await device.scan_to(dest, 1, title=f"crash job {n:04d}")
        print(f"HELD {job.job_id} {n}", flush=True)
    changed = asyncio.Event()  # woken by every change of a job or of the outbox
    device.events.subscribe(
        lambda _: changed.set(), EventKind.JOB_STATE_CHANGED, EventKind.OUTBOX_CHANGED
    )
    while True:
        changed.clear()
        scans = [j for j in device.jobs.all() if j.kind is JobKind.SCAN]
        if all(j.state is JobState.ACCEPTED for j in scans) and device.outbox_stats.held == 0:
            break
        await changed.wait()
    print("DONE", flush=True)
    await device.stop()


if __name__ == "__main__":
    url, device_id, data_dir, user, pin, dest, total = sys.argv[1:8]
    asyncio.run(main(url, device_id, Path(data_dir), user, pin, dest, int(total)))
