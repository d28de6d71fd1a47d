"""What creating a print job costs the server: CPU per job, with no device or with a fleet.

A script, not a test (speed is not asserted on shared machines):

    .venv/bin/python tests/bench/bench_create_jobs.py [--jobs 2000] [--rounds 3]
        [--devices N | --in-process] [--cprofile FILE] [--json]

One server process (`mfp-panel server`), its store seeded with fleet users; a client in this
process sends POST /jobs over the administrator's socket, 64 at a time over keep-alive (as
`bench fleet`'s burst does). The server's CPU time (user + system, all its threads, read from
/proc) per created job is the robust figure on a shared machine; the wall rate is reported
too. The baseline, measured in the same run against the same process: GET /health with the
same client and concurrency, i.e. what the HTTP plumbing alone costs per request. Rounds
alternate baseline and burst so both see the same load.

With `--devices N`, N fleet devices (as `bench fleet` runs them) are logged in and the jobs
go to them: the figure then includes each job's push, fetch, reports and ack, until every job
is delivered, less what the idle fleet costs the server meanwhile. `BENCH_PYSPY="PY-SPY OUT"`
samples the server with py-spy (raw format) during the rounds. `--in-process`: the create
path alone (the dispatcher in this process, no HTTP), its CPU per job and jobs a second.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import statistics
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from panel import config
from panel.bench.fleet import listening
from panel.bench.push import bench_dir
from panel.fleet.controller import Fleet, default_processes
from panel.fleet.jobs import JobSubmitter
from panel.fleet.seed import seed_data_dir
from panel.fleet.worker import raise_nofile
from panel.protocol import PROTOCOL_VERSION
from panel.protocol.messages import JobCreate
from panel.relaunch import program_argv
from panel.server.demo_data import sample_pdf
from panel.server.dispatch import Dispatcher
from panel.server.documents import DocumentStore
from panel.server.push import PushHub
from panel.server.store import ServerStore
from panel.trace import Trace

pytestmark = pytest.mark.realtime  # a benchmark: real time is the point (not collected)

CONCURRENCY = 64
IDLE_S = 16.0  # the devices' logins and cache fetches are over, their connections idle
_TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


async def health_burst(unix_path: Path, count: int) -> float:
    """`count` GET /health, CONCURRENCY at a time over keep-alive; seconds taken."""
    connector = aiohttp.UnixConnector(path=str(unix_path), limit=0)
    url = f"http://localhost/api/v{PROTOCOL_VERSION}/health"
    left = count
    async with aiohttp.ClientSession(connector=connector) as session:

        async def lane() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                async with session.get(url) as resp:
                    await resp.read()
                    assert resp.status == 200, resp.status

        t0 = time.perf_counter()
        await asyncio.gather(*(lane() for _ in range(CONCURRENCY)))
        return time.perf_counter() - t0


async def run(
    jobs: int, rounds: int, tmp: Path, profile: Path | None, devices: int = 0
) -> dict[str, object]:
    raise_nofile()
    members = seed_data_dir(tmp / "server", max(200, devices))
    users = [m.user_id for m in members]
    argv = program_argv("server", "--port", "0", "--data", str(tmp / "server"))
    if profile is not None:  # python -m cProfile -o PATH -m panel server ...
        argv[1:1] = ["-m", "cProfile", "-o", str(profile)]
    base_ms: list[float] = []
    job_ms: list[float] = []
    rates: list[float] = []
    base_rates: list[float] = []
    failed = 0
    delivered: list[float] = []
    idle_cpu_per_s = 0.0
    async with listening(argv, tmp / "server.log") as server:
        port = int(server.url.rsplit(":", 1)[1])
        sock = config.server_socket(port)
        submitter = JobSubmitter(server.url, sock)
        spy = None
        fleet = None
        if devices:  # jobs for users logged in at devices: each also pushed, fetched, reported
            fleet = Fleet(server.url, members[:devices], tmp / "fleet", default_processes())
            await fleet.start()
            if not await fleet.wait_online(120 + devices / 20):
                print(
                    f"only {fleet.online} of {devices} online: {fleet.errors()[:3]}",
                    file=sys.stderr,
                )
            users = sorted(fleet.logged_in_users) or users
            await asyncio.sleep(IDLE_S)  # what the connected fleet costs when no job comes
            before, t0 = cpu_s(server.pid), time.monotonic()
            await asyncio.sleep(3.0)
            idle_cpu_per_s = (cpu_s(server.pid) - before) / (time.monotonic() - t0)
        try:
            await submitter.burst(users, 200, CONCURRENCY)  # warm up: imports, caches, pools
            await health_burst(sock, 200)
            if pyspy := os.environ.get("BENCH_PYSPY"):  # "py-spy OUTPUT": sample the server
                exe, out = pyspy.split()
                spy = await asyncio.create_subprocess_exec(
                    exe,
                    "record",
                    "--threads",
                    "-r",
                    "250",
                    "-f",
                    "raw",
                    "-o",
                    out,
                    "--pid",
                    str(server.pid),
                )
                await asyncio.sleep(1.0)
            for _ in range(rounds):
                before = cpu_s(server.pid)
                base_rates.append(jobs / await health_burst(sock, jobs))
                base_ms.append(1000 * (cpu_s(server.pid) - before) / jobs)
                before, t0 = cpu_s(server.pid), time.monotonic()
                made, seconds = await submitter.burst(users, jobs, CONCURRENCY)
                if fleet is not None:  # what the devices' fetches and reports cost too
                    await fleet.delivery(made, 30 + jobs / 100)
                    delivered.append(fleet.delivered(made) / max(1, len(made.created)))
                cpu = cpu_s(server.pid) - before - idle_cpu_per_s * (time.monotonic() - t0)
                failed += made.failed
                if made.errors:
                    print(f"errors: {made.errors[:3]}", file=sys.stderr)
                job_ms.append(1000 * cpu / max(1, len(made.created)))
                rates.append(len(made.created) / seconds)
        finally:
            await submitter.close()
            if fleet is not None:
                await fleet.stop()
            if spy is not None:
                spy.send_signal(2)
                await spy.wait()
    return {
        "create_cpu_ms_per_job": round(statistics.median(job_ms), 3),
        "health_cpu_ms_per_request": round(statistics.median(base_ms), 3),
        "create_vs_health_cpu_ratio": round(
            statistics.median(job_ms) / statistics.median(base_ms), 2
        ),
        "create_jobs_per_s": round(statistics.median(rates), 1),
        "health_per_s": round(statistics.median(base_rates), 1),
        "create_vs_health_rate": round(statistics.median(rates) / statistics.median(base_rates), 2),
        "create_cpu_ms_rounds": [round(v, 3) for v in job_ms],
        "create_jobs_per_s_rounds": [round(v, 1) for v in rates],
        "failed": failed,
        "jobs_per_round": jobs,
        "devices": devices,
        "delivered_share": delivered,
        "idle_cpu_ms_per_s": round(1000 * idle_cpu_per_s, 1),
    }


async def run_in_process(jobs: int, rounds: int, tmp: Path) -> dict[str, object]:
    """The create path alone, no HTTP: `Dispatcher.create` from CONCURRENCY lanes in this
    process (validation, page count, group commit, the documents' sync, the rows' commit)."""
    store = ServerStore(tmp / "server.sqlite3")
    store.add_user("u", "U", "1234")
    trace = Trace(None)
    docs = DocumentStore(tmp / "documents")
    dispatcher = Dispatcher(store, docs, PushHub(store, trace), trace)
    req = JobCreate("u", "Fleet job", base64.b64encode(sample_pdf(1, "fleet")).decode())
    await dispatcher.create(req)
    rates, cpu_ms = [], []
    for _ in range(rounds):
        left = jobs

        async def lane() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                await dispatcher.create(req)

        cpu, t0 = time.process_time(), time.perf_counter()
        await asyncio.gather(*(lane() for _ in range(CONCURRENCY)))
        rates.append(jobs / (time.perf_counter() - t0))
        cpu_ms.append(1000 * (time.process_time() - cpu) / jobs)
    store.close()
    return {
        "dispatcher_cpu_ms_per_job": round(statistics.median(cpu_ms), 3),
        "dispatcher_jobs_per_s": round(statistics.median(rates), 1),
        "dispatcher_jobs_per_s_rounds": [round(r, 1) for r in rates],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--devices", type=int, default=0, help="fleet devices to deliver to")
    parser.add_argument(
        "--in-process", action="store_true", help="the create path alone, without HTTP"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cprofile", type=Path, help="profile the server into this file")
    args = parser.parse_args()
    with bench_dir() as tmp:
        if args.in_process:
            figures = asyncio.run(run_in_process(args.jobs, args.rounds, tmp))
        else:
            figures = asyncio.run(run(args.jobs, args.rounds, tmp, args.cprofile, args.devices))
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    else:
        for name, value in figures.items():
            print(f"{name:30} {value}")


if __name__ == "__main__":
    main()
