"""`mfp-panel fleet`: N headless devices against a running server, for QA's load tests.

Each device gets a user with a login card, written into the server's store (the server's data
directory: the local server's own, found as `server add-user` finds it, or `--data`), and a
device registration; the devices run in worker processes (one per core by default), log their
users in by card, and receive jobs submitted at `--rate` for `--duration` seconds. The report:
connected, push latency percentiles, jobs lost or duplicated, reconnects, memory per device.
"""

from __future__ import annotations

import asyncio
import math
import signal
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from panel import config
from panel.bench import percentile
from panel.cli_text import translate
from panel.fleet.controller import Fleet, Stopped, default_processes, stopping_on_signals
from panel.fleet.jobs import JobSubmitter, Submitted
from panel.fleet.seed import seed_data_dir
from panel.fleet.worker import raise_nofile
from panel.modes.admin_client import AdminClient
from panel.modes.server_mode import data_file
from panel.modes.server_url import AdminError, check_url

DELIVERY_WAIT_S = 30.0


def server_data_dir(server_url: str) -> Path | None:
    """The data directory of the server running at `server_url` on this machine, if any."""
    port = urlsplit(server_url).port
    if port is None or not config.server_socket(port).is_socket():
        return None
    where = data_file(port)
    return Path(where.read_text()) if where.exists() else None


def _ms(values: list[float], p: float) -> str:
    return f"{percentile(values, p):.1f}" if values else "-"


async def run_fleet(
    server_url: str,
    devices: int,
    admin: str | None,
    processes: int,
    duration_s: float,
    rate: float,
    data: Path | None,
) -> int:
    raise_nofile()
    data = data or server_data_dir(server_url)
    if data is None:
        message = translate(
            "Cli",
            "the fleet's users are written into the server's data directory, and no server at "
            "{url} runs on this machine: run the fleet on the server's machine, or pass --data DIR",
        )
        print(f"mfp-panel: {message.format(url=server_url)}", file=sys.stderr)
        return 2
    try:
        client = AdminClient.locate(server_url, admin)
    except AdminError as exc:
        print(f"mfp-panel: {exc}", file=sys.stderr)
        return 2
    members = seed_data_dir(data, devices)
    users = [m.user_id for m in members]
    submitter = JobSubmitter(server_url, client.unix_path, client.basic)
    with tempfile.TemporaryDirectory(prefix="mfp-fleet-") as tmp:
        fleet = Fleet(server_url, members, Path(tmp), processes)
        print(f"fleet: starting {devices} devices in {fleet.processes} processes", flush=True)
        try:
            await fleet.start()
            t0 = time.monotonic()
            await fleet.wait_online(120 + devices / 20)
            connect_s = time.monotonic() - t0
            jobs = Submitted()
            if duration_s > 0 and rate > 0:
                # For users logged in at a device: a job for anyone else is held until then.
                users = sorted(fleet.logged_in_users) or users
                await submitter.paced(users, rate, duration_s, jobs)
                await fleet.delivery(jobs, DELIVERY_WAIT_S)
            ms = fleet.latencies_ms(jobs)
            delivered = fleet.delivered(jobs)
            online = fleet.online
            print(
                "\n".join(
                    [
                        f"fleet against {server_url}: {devices} devices, {fleet.processes}"
                        " worker processes",
                        f"  connected   {online} of {devices} ({100 * online / devices:.1f} %)"
                        f" in {connect_s:.1f} s; {fleet.total('logged_in')} users logged in",
                        f"  jobs        {len(jobs.created)} accepted ({rate:g}/s for "
                        f"{duration_s:g} s), {jobs.failed} refused or failed",
                        f"  push        p50 {_ms(ms, 50)} ms, p90 {_ms(ms, 90)} ms,"
                        f" p99 {_ms(ms, 99)} ms, max {max(ms, default=math.nan):.1f} ms",
                        f"  lost        {len(jobs.created) - delivered}"
                        f" (not seen within {DELIVERY_WAIT_S:g} s)",
                        f"  duplicated  {fleet.duplicates()}",
                        f"  reconnects  {fleet.total('drops')}"
                        f" (the fleet's own event loops were up to"
                        f" {fleet.loop_lag_ms():.0f} ms late)",
                        f"  memory      {fleet.device_mem_mb():.3f} MB per device"
                        f" ({fleet.rss_kb() / 1024:.0f} MB in the workers)",
                    ]
                ),
                flush=True,
            )
            for error in fleet.errors()[:5]:
                print(f"  error: {error}")
        finally:
            await submitter.close()
            await fleet.stop()
    ok = online == devices and delivered == len(jobs.created) and fleet.duplicates() == 0
    return 0 if ok else 1


def fleet(
    server_url: str,
    devices: int,
    admin: str | None,
    processes: int | None,
    duration_s: float,
    rate: float,
    data: Path | None,
) -> int:
    try:
        check_url(server_url)
    except AdminError as exc:
        print(f"mfp-panel: {exc}", file=sys.stderr)
        return 2
    if devices < 1:
        message = translate("Cli", "--devices is at least 1")
        print(f"mfp-panel: {message}", file=sys.stderr)
        return 2
    main = run_fleet(
        server_url, devices, admin, processes or default_processes(), duration_s, rate, data
    )
    try:
        return asyncio.run(stopping_on_signals(main))
    except Stopped as stopped:
        message = translate("Cli", "stopped by {signal}; its devices stopped")
        message = message.format(signal=signal.Signals(stopped.signum).name)
        print(f"mfp-panel fleet: {message}", file=sys.stderr)
        return 128 + stopped.signum
