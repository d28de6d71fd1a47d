"""`bench files`: a shared file relayed device -> server -> device on loopback (S6).

The server runs in its own process (`mfp-panel server`), so its memory is its own; two device
cores run here against it. The holder stores a file of `size_mb` MB (random bytes) in a shared
box; once the server has indexed it, the requester (its user logged in) fetches it through the
server's relay and verifies its SHA-256 before storing it.

- `relay_mb_per_s`: the file's size (MB = 10^6 bytes) over the time from the request to the
  file verified and stored at the requester (goal >= 50 on the 2-core machine).
- `first_byte_ms`: from the request to the first bytes written at the requester, holder online
  and awake (goal <= 500).
- `server_rss_growth_mb`: the server's peak resident memory during the transfer (sampled every
  5 ms) above what it held just before (goal <= 32: it streams, holding a few chunks).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from panel.bench import report
from panel.bench.fleet import listening, proc_rss_kb
from panel.device.device import Device, DeviceConfig
from panel.device.events import Event, EventKind
from panel.relaunch import program_argv
from panel.server.store import ServerStore
from panel.threads import in_thread

USER, PIN = "1001", "1234"
STEP_TIMEOUT_S = 120.0


def _seed(data: Path) -> list[tuple[str, str]]:
    """A server data directory with the user and the two devices (ids and secrets)."""
    store = ServerStore(data / "server.sqlite3")
    try:
        store.add_user(USER, "Alice Martin", PIN, "user")
        return [store.register_device(name, "MFP-Emu 1") for name in ("Holder", "Requester")]
    finally:
        store.close()


def _random_file(path: Path, size: int) -> None:
    block = os.urandom(1024 * 1024)
    with path.open("wb") as out:
        for _ in range(size // len(block)):
            out.write(block[:16] + os.urandom(16) + block[32:])
        out.write(os.urandom(size % len(block)))


async def _until(done: Any, what: str) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"bench files: timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def _measure(size_mb: int, tmp: Path) -> dict[str, Any]:
    (holder_id, holder_secret), (requester_id, requester_secret) = _seed(tmp / "server")
    size = size_mb * 1_000_000
    source = tmp / "source.bin"
    await in_thread(_random_file, source, size)
    argv = program_argv("server", "--port", "0", "--data", str(tmp / "server"))
    async with listening(argv, tmp / "server.log") as server:
        holder = Device(DeviceConfig("Holder", server.url, tmp / "h", holder_id, holder_secret))
        requester = Device(
            DeviceConfig("Requester", server.url, tmp / "r", requester_id, requester_secret)
        )
        await holder.start()
        await requester.start()
        try:
            box = holder.files.create_shared_box("Bench")
            stored = await holder.files.store(USER, box.box_id, "bench.bin", source, 1)
            login = await requester.login(USER, PIN)
            if login.outcome.value != "accepted":
                raise RuntimeError(f"bench files: login refused: {login}")

            async def indexed() -> bool:
                listing = await requester.files.list_fleet(USER)
                return any(e.file.file_id == stored.meta.file_id for e in listing.files)

            deadline = time.monotonic() + STEP_TIMEOUT_S
            while not await indexed():
                if time.monotonic() > deadline:
                    raise TimeoutError("bench files: the server never indexed the file")
                await asyncio.sleep(0.05)

            first: list[float] = []

            def on_progress(event: Event) -> None:
                if not first and event.subject.done > 0:
                    first.append(time.perf_counter())

            requester.events.subscribe(on_progress, EventKind.FILE_TRANSFER)
            before_kb = proc_rss_kb(server.pid)
            peak_kb = [before_kb]
            sampling = True

            async def sample() -> None:
                while sampling:
                    peak_kb[0] = max(peak_kb[0], proc_rss_kb(server.pid))
                    await asyncio.sleep(0.005)

            sampler = asyncio.create_task(sample())
            t0 = time.perf_counter()
            fetched = await requester.files.fetch(holder_id, stored.meta.file_id, USER)
            elapsed = time.perf_counter() - t0
            sampling = False
            await sampler
            assert fetched.meta.sha256 == stored.meta.sha256
            assert fetched.meta.size == size
        finally:
            await requester.stop()
            await holder.stop()
    return {
        "file_mb": size_mb,
        "relay_mb_per_s": round(size / 1e6 / elapsed, 1),
        "first_byte_ms": round((first[0] - t0) * 1000, 1) if first else None,
        "server_rss_growth_mb": round((peak_kb[0] - before_kb) / 1024, 1),
        "elapsed_s": round(elapsed, 3),
    }


def bench_files(size_mb: int, as_json: bool) -> int:
    if not 1 <= size_mb <= 2000:
        raise SystemExit("bench files: --size-mb is 1 to 2000")
    with tempfile.TemporaryDirectory(prefix="mfp-bench-files-") as tmp:
        figures = asyncio.run(_measure(size_mb, Path(tmp)))
    lines = [
        f"shared file relay, {size_mb} MB device -> server -> device on loopback:",
        f"  throughput: {figures['relay_mb_per_s']} MB/s (request -> verified and stored)",
        f"  request -> first byte at the requester: {figures['first_byte_ms']} ms",
        f"  server peak RSS growth during the transfer: {figures['server_rss_growth_mb']} MB",
    ]
    report(figures, as_json, lines)
    return 0
