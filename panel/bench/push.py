"""Server job creation -> job visible in the device core (reception stored, event published).

The server runs in its own process, as in real use; the device core runs here. Both stamp
wall-clock time on the same machine. Jobs go one at a time so each figure is pure latency.
With `latency_ms`, the device reaches the server through a simulated network (panel.sim) with
a latency toxic of `latency_ms` +/- `jitter_ms` on what the server sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from panel.bench import percentile, report
from panel.device import Device, DeviceConfig, Event, EventKind
from panel.device.networks import NetworkSettings
from panel.modes.admin_client import AdminClient
from panel.modes.server_mode import listening_url, server_argv
from panel.server.demo_data import DEMO_USERS, sample_pdf
from panel.sim import Network, Toxic


@dataclass(frozen=True)
class ServerProcess:
    url: str
    port: int
    admin: AdminClient  # over its admin socket in our XDG_RUNTIME_DIR


@contextlib.contextmanager
def bench_dir() -> Iterator[Path]:
    """A temporary directory that is also XDG_RUNTIME_DIR (the server's admin socket)."""
    with tempfile.TemporaryDirectory(prefix="mfp-bench-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "run").mkdir(mode=0o700)
        previous = os.environ.get("XDG_RUNTIME_DIR")
        os.environ["XDG_RUNTIME_DIR"] = str(tmp / "run")
        try:
            yield tmp
        finally:
            if previous is None:
                os.environ.pop("XDG_RUNTIME_DIR", None)
            else:
                os.environ["XDG_RUNTIME_DIR"] = previous


def measure_on_panel(measure: Callable[[Path], Awaitable[dict[str, float]]]) -> dict[str, float]:
    """`measure(tmp)` on one qasync loop (offscreen Qt unless a platform is set) in a bench
    dir; its figures, or {} when the loop ended with an error (the panel benches' shape)."""
    from panel.ui.qt_loop import run_qt

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    figures: dict[str, float] = {}
    with bench_dir() as tmp:

        async def main(_app: object) -> int:
            figures.update(await measure(tmp))
            return 0

        status = run_qt(main)
    return figures if status == 0 else {}


@contextlib.asynccontextmanager
async def server_process(tmp: Path) -> AsyncIterator[ServerProcess]:
    """A server with the demo data in its own process, data in `tmp`/server (see bench_dir)."""
    proc = await asyncio.create_subprocess_exec(
        *server_argv(tmp / "server", seed_demo=True),
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
        url = listening_url(line)
        if url is None:
            raise RuntimeError(f"the server did not start: {line}{await proc.stdout.read()!r}")
        port = urlsplit(url).port
        assert port is not None
        yield ServerProcess(url, port, AdminClient.locate(url))
    finally:
        proc.terminate()
        await proc.wait()


async def _measure(jobs: int, tmp: Path, latency_ms: int, jitter_ms: int) -> list[float]:
    async with server_process(tmp) as server:
        reg = await server.admin.register_device("Bench MFP")
        network: Network | None = None
        networks: tuple[NetworkSettings, ...] = ()
        if latency_ms:
            network = Network("Wired LAN", ("127.0.0.1", server.port))
            await network.start()
            network.add_toxic(Toxic("latency", {"latency": latency_ms, "jitter": jitter_ms}))
            budget_s = 1.0 + 2 * (latency_ms + jitter_ms) / 1000
            networks = (NetworkSettings("Wired LAN", network.url, 3.0, budget_s),)
        device = Device(
            DeviceConfig(
                "Bench MFP",
                server.url,
                tmp / "device",
                reg.device_id,
                reg.secret,
                ppm=1e6,
                warmup_s=0.0,
                networks=networks,
            )
        )
        seen: dict[str, float] = {}
        arrived = asyncio.Event()

        def on_created(event: Event) -> None:
            seen[event.subject.job_id] = time.time()
            arrived.set()

        device.events.subscribe(on_created, EventKind.JOB_CREATED)
        await device.start()
        try:
            doc = tmp / "bench.pdf"
            doc.write_bytes(sample_pdf(1, "bench"))
            user = DEMO_USERS[0][0]
            latencies: list[float] = []
            for _ in range(jobs):
                arrived.clear()
                job = await server.admin.submit(user, doc, "bench", 1, reg.device_id)
                while job.job_id not in seen:
                    await asyncio.wait_for(arrived.wait(), 10)
                    arrived.clear()
                latencies.append(seen[job.job_id] - job.created_at)
            return latencies
        finally:
            await device.stop()
            if network is not None:
                await network.stop()


def bench_push(jobs: int, as_json: bool, latency_ms: int = 0, jitter_ms: int = 0) -> int:
    """Print push latency percentiles; 2 when the network options cannot work."""
    if latency_ms < 0 or not 0 <= jitter_ms <= latency_ms:
        print("bench push: --latency and --jitter are >= 0 ms, the jitter at most the latency")
        return 2
    with bench_dir() as tmp:
        latencies = asyncio.run(_measure(jobs, tmp, latency_ms, jitter_ms))
    ms = [x * 1000 for x in latencies]
    figures = {
        "jobs": jobs,
        "push_p50_ms": round(percentile(ms, 50), 2),
        "push_p99_ms": round(percentile(ms, 99), 2),
        "push_max_ms": round(max(ms), 2),
    }
    path = "directly"
    if latency_ms:
        figures |= {"network_latency_ms": latency_ms, "network_jitter_ms": jitter_ms}
        path = f"through a network with {latency_ms}+/-{jitter_ms} ms latency"
    report(
        figures,
        as_json,
        [
            f"push: server job creation -> job visible in the device core, {jobs} jobs, {path}",
            f"  p50  {figures['push_p50_ms']:8.2f} ms",
            f"  p99  {figures['push_p99_ms']:8.2f} ms  (goal <= 50 directly)",
            f"  max  {figures['push_max_ms']:8.2f} ms",
        ],
    )
    return 0
