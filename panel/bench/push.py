"""Server job creation -> job visible in the device core (reception stored, event published).

The server runs in its own process, as in real use; the device core runs here. Both stamp
wall-clock time on the same machine. Jobs go one at a time so each figure is pure latency.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
import time
from pathlib import Path

from panel.bench import percentile, report
from panel.device import Device, DeviceConfig, Event, EventKind
from panel.modes.admin_client import AdminClient
from panel.modes.server_mode import listening_url, server_argv
from panel.server.demo_data import DEMO_USERS, sample_pdf


async def _measure(jobs: int, tmp: Path, env: dict[str, str]) -> list[float]:
    proc = await asyncio.create_subprocess_exec(
        *server_argv(tmp / "server", seed_demo=True),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
        url = listening_url(line)
        if url is None:
            raise RuntimeError(f"the server did not start: {line}{await proc.stdout.read()!r}")
        admin = AdminClient.locate(url)  # over its admin socket in our XDG_RUNTIME_DIR
        reg = await admin.register_device("Bench MFP")
        device = Device(
            DeviceConfig(
                "Bench MFP", url, tmp / "device", reg.device_id, reg.secret, ppm=1e6, warmup_s=0.0
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
                job = await admin.submit(user, doc, "bench", 1, reg.device_id)
                while job.job_id not in seen:
                    await asyncio.wait_for(arrived.wait(), 10)
                    arrived.clear()
                latencies.append(seen[job.job_id] - job.created_at)
            return latencies
        finally:
            await device.stop()
    finally:
        proc.terminate()
        await proc.wait()


def bench_push(jobs: int, as_json: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="mfp-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = dict(os.environ)
        env["XDG_RUNTIME_DIR"] = str(tmp / "run")
        (tmp / "run").mkdir(mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = env["XDG_RUNTIME_DIR"]
        latencies = asyncio.run(_measure(jobs, tmp, env))
    ms = [x * 1000 for x in latencies]
    figures = {
        "jobs": jobs,
        "push_p50_ms": round(percentile(ms, 50), 2),
        "push_p99_ms": round(percentile(ms, 99), 2),
        "push_max_ms": round(max(ms), 2),
    }
    report(
        figures,
        as_json,
        [
            f"push: server job creation -> job visible in the device core, {jobs} jobs",
            f"  p50  {figures['push_p50_ms']:8.2f} ms",
            f"  p99  {figures['push_p99_ms']:8.2f} ms  (goal <= 50)",
            f"  max  {figures['push_max_ms']:8.2f} ms",
        ],
    )
    return 0
