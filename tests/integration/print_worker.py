"""A headless device for the print crash test: it comes online, prints `ONLINE`, then prints
whatever the server pushes until it is killed (the test arms a crash point with MFP_CRASH_AT).

Usage: print_worker.py URL DEVICE_ID DATA_DIR (the device secret comes on standard input).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from panel.device import ConnectionState, Device, DeviceConfig, EventKind


async def main(url: str, device_id: str, data_dir: Path) -> None:
    secret = sys.stdin.readline().strip()
    config = DeviceConfig("Print crash MFP", url, data_dir, device_id, secret, ppm=6000.0)
    device = Device(config, clock=None)
    online = asyncio.Event()
    device.events.subscribe(
        lambda e: online.set() if e.subject is ConnectionState.ONLINE else None,
        EventKind.CONNECTION_CHANGED,
    )
    await device.start()
    await online.wait()
    print("ONLINE", flush=True)
    try:
        await asyncio.Event().wait()  # until killed
    finally:
        await device.stop()


if __name__ == "__main__":
    url, device_id, data_dir = sys.argv[1:4]
    asyncio.run(main(url, device_id, Path(data_dir)))
