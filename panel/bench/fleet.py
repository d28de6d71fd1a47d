"""`mfp-panel bench fleet`: one server process holding a fleet of headless devices.

In a temporary directory: a server (real aiohttp, real socket) whose store is seeded with one
user, card and device per member; fleet workers (one process per core) run the devices, each
logged in by card. Measured, in this order:

1. the baseline: a bare aiohttp WebSocket server (the push endpoint's heartbeat) holding as
   many plain sockets (the devices' heartbeat), its memory per connection;
2. the fleet connected: server memory per connection (ratio to the bare one), worker memory
   per device (RSS beyond the worker's bare start);
3. paced jobs (20/s) for random fleet users: push latency (server creation -> the job visible
   in the device core) p50/p99, and the share delivered;
4. a burst of jobs submitted concurrently over the admin socket: jobs/s created, and their
   delivery;
5. the server stopped for 5 s (SIGSTOP, SIGCONT) while jobs keep coming: time from SIGCONT
   until every device is online again, and jobs accepted but never seen (lost).

Both ends stamp wall-clock time on the same machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from panel import config
from panel.bench import percentile, report
from panel.bench.push import bench_dir
from panel.fleet.bare import BARE_COMMAND
from panel.fleet.controller import Fleet, Stopped, default_processes, stopping_on_signals
from panel.fleet.jobs import JobSubmitter, Submitted
from panel.fleet.seed import Member, seed_data_dir
from panel.fleet.worker import WORKER_COMMAND, raise_nofile
from panel.modes.server_mode import listening_url
from panel.relaunch import program_argv
from panel.threads import in_thread

PACED_RATE = 20.0
PACED_S = 10.0
BURST_CONCURRENCY = 64
STALL_S = 5.0
SETTLE_S = 6.0  # two heartbeats with no device dropping: the fleet is back for good
DELIVERY_WAIT_S = 30.0
RECOVERY_LIMIT_S = 180.0
# Server memory is read once the fleet is idle: a device's HTTP connection (its logins and
# fetches) is closed after aiohttp's 15 s keep-alive, and what stays is its push socket.
IDLE_S = 16.0


@dataclass(frozen=True)
class Process:
    """A child process listening at `url`."""

    proc: asyncio.subprocess.Process
    url: str

    @property
    def pid(self) -> int:
        return self.proc.pid

    def rss_kb(self) -> int:
        return proc_rss_kb(self.pid)


def proc_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@contextlib.asynccontextmanager
async def listening(argv: list[str], log: Path) -> AsyncIterator[Process]:
    """A child process whose first stdout line says where it listens; its log in `log`."""
    with log.open("ab") as err:
        proc = await asyncio.create_subprocess_exec(
            *argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL
        )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
        url = listening_url(line) or (line.split()[1] if line.startswith("listening ") else None)
        if url is None:
            raise RuntimeError(f"bench fleet: {argv[2:4]} did not start: {line!r} (see {log})")
        # Keep reading what it prints (nobody blocks on a full pipe), and drop it.
        drain = asyncio.create_task(proc.stdout.read())
        yield Process(proc, url)
    finally:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGCONT)
                proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 60)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        with contextlib.suppress(NameError):
            await drain


async def _bare_per_conn_kb(tmp: Path, n: int, processes: int) -> float:
    async with listening(program_argv(WORKER_COMMAND, BARE_COMMAND), tmp / "bare.log") as bare:
        await asyncio.sleep(0.5)
        before = bare.rss_kb()
        members = [Member(f"bare-{i}", "", "", "") for i in range(n)]
        fleet = Fleet(bare.url, members, tmp / "bare-fleet", processes, bare=True)
        try:
            await fleet.start()
            if not await fleet.wait_online(60 + n / 100):
                raise RuntimeError(f"bench fleet: {fleet.online} of {n} bare sockets connected")
            await asyncio.sleep(IDLE_S)
            after = bare.rss_kb()
        finally:
            await fleet.stop()
    return (after - before) / n


async def _stall(
    server: Process, fleet: Fleet, submitter: JobSubmitter, users: list[str]
) -> dict[str, Any]:
    """SIGSTOP the server for STALL_S while jobs keep being submitted; then measure."""
    jobs = Submitted()
    drops_before = fleet.total("drops")
    paced = asyncio.create_task(submitter.paced(users, PACED_RATE, STALL_S + SETTLE_S + 2.0, jobs))
    await asyncio.sleep(1.0)
    os.kill(server.pid, signal.SIGSTOP)
    await asyncio.sleep(STALL_S)
    os.kill(server.pid, signal.SIGCONT)
    resumed = time.time()
    deadline = time.monotonic() + RECOVERY_LIMIT_S
    recovered = False
    n = len(fleet.members)
    while time.monotonic() < deadline:
        if not await fleet.wait_online(deadline - time.monotonic(), logged_in=False):
            break
        quiet_since = fleet.total("drops")
        await asyncio.sleep(SETTLE_S)
        if fleet.online >= n and fleet.total("drops") == quiet_since:
            recovered = True
            break
    await paced
    await fleet.delivery(jobs, DELIVERY_WAIT_S)
    dropped = fleet.total("drops") - drops_before
    recovery = max(0.0, fleet.last_online - resumed) if recovered else RECOVERY_LIMIT_S
    return {
        "stall_recovery_s": round(recovery, 2),
        "stall_recovered": recovered,
        "stall_drops": dropped,
        "stall_jobs": len(jobs.created),
        "stall_lost": len(jobs.created) - fleet.delivered(jobs),
        "stall_submit_failed": jobs.failed,
    }


def _progress(what: str) -> None:
    """A line on stderr as each phase starts: at 5,000 devices the run takes ten minutes."""
    print(f"bench fleet: {time.strftime('%H:%M:%S')} {what}", file=sys.stderr, flush=True)


async def _run(n: int, processes: int, burst: int, tmp: Path) -> dict[str, Any]:
    raise_nofile()  # the server and the workers inherit it
    figures: dict[str, Any] = {"fleet_devices": n, "fleet_processes": processes}
    _progress(f"the baseline: {n} sockets to a bare aiohttp server")
    bare_kb = await _bare_per_conn_kb(tmp, n, processes)
    _progress(f"the fleet: {n} devices connecting")
    members = seed_data_dir(tmp / "server", n)
    users = [m.user_id for m in members]
    argv = program_argv("server", "--port", "0", "--data", str(tmp / "server"))
    async with listening(argv, tmp / "server.log") as server:
        await asyncio.sleep(0.5)
        server_before = server.rss_kb()
        fleet = Fleet(server.url, members, tmp / "fleet", processes)
        port = int(server.url.rsplit(":", 1)[1])
        submitter = JobSubmitter(server.url, config.server_socket(port))
        try:
            await fleet.start()
            t0 = time.monotonic()
            ok = await fleet.wait_online(120 + n / 20)
            figures["fleet_connect_s"] = round(time.monotonic() - t0, 2)
            figures["fleet_connected_pct"] = round(100 * fleet.online / n, 2)
            figures["fleet_logged_in"] = fleet.total("logged_in")
            if not ok:  # measured all the same: how much of the fleet the server holds
                print(
                    f"bench fleet: {fleet.online} of {n} devices online and "
                    f"{fleet.total('logged_in')} logged in after {figures['fleet_connect_s']} s; "
                    f"going on. Last errors: {fleet.errors()[:3]}",
                    file=sys.stderr,
                )
            _progress(f"{fleet.online} online in {figures['fleet_connect_s']} s; idle {IDLE_S:g} s")
            await asyncio.sleep(IDLE_S)  # what the connections cost once they are idle
            # Per connection held: none held (a server in a storm), no figure.
            connected = fleet.online
            server_kb = (server.rss_kb() - server_before) / connected if connected else None
            figures["server_conn_kb"] = round(server_kb, 1) if server_kb is not None else None
            figures["bare_conn_kb"] = round(bare_kb, 1)
            figures["conn_mem_ratio_vs_bare"] = (
                round(server_kb / bare_kb, 2) if server_kb is not None and bare_kb > 0 else None
            )
            figures["device_mem_mb"] = round(fleet.device_mem_mb(), 3)
            figures["worker_rss_per_device_mb"] = round(fleet.rss_kb() / 1024 / n, 3)

            # Jobs go to users logged in at a device: a job for anyone else is held by the
            # server until they log in (a fleet the server could not hold entirely).
            users = sorted(fleet.logged_in_users) or users
            _progress(f"paced jobs: {PACED_RATE:g} a second for {PACED_S:g} s")
            paced = await submitter.paced(users, PACED_RATE, PACED_S)
            await fleet.delivery(paced, DELIVERY_WAIT_S)
            ms = fleet.latencies_ms(paced) or [float("nan")]
            figures["fleet_push_p50_ms"] = round(percentile(ms, 50), 2)
            figures["fleet_push_p99_ms"] = round(percentile(ms, 99), 2)
            figures["fleet_delivered_pct"] = round(
                100 * fleet.delivered(paced) / max(1, len(paced.created)), 2
            )
            figures["fleet_jobs"] = len(paced.created)
            figures["fleet_submit_failed"] = paced.failed
            if paced.errors:
                figures["submit_errors"] = paced.errors[:3]

            users = sorted(fleet.logged_in_users) or users
            _progress(f"a burst of {burst} jobs, {BURST_CONCURRENCY} in flight")
            jobs, seconds = await submitter.burst(users, burst, BURST_CONCURRENCY)
            await fleet.delivery(jobs, DELIVERY_WAIT_S + burst / 100)
            figures["burst_jobs"] = burst
            figures["burst_jobs_per_s"] = round(len(jobs.created) / seconds, 1)
            figures["burst_submit_failed"] = jobs.failed
            burst_ms = fleet.latencies_ms(jobs) or [float("nan")]
            figures["burst_push_p99_ms"] = round(percentile(burst_ms, 99), 2)
            figures["burst_delivered_pct"] = round(
                100 * fleet.delivered(jobs) / max(1, len(jobs.created)), 2
            )

            users = sorted(fleet.logged_in_users) or users
            _progress(f"the server stopped for {STALL_S:g} s (SIGSTOP, SIGCONT)")
            figures |= await _stall(server, fleet, submitter, users)
            figures["fleet_loop_lag_max_ms"] = round(fleet.loop_lag_ms(), 1)
            figures["fleet_gc_full_max_ms"] = fleet.worst("gc_full_ms")
            figures["fleet_gc_step_max_ms"] = fleet.worst("gc_step_ms")
            figures["device_files_kb"] = round(await in_thread(fleet.files_kb_per_device), 1)
            figures["fleet_duplicated"] = fleet.duplicates()
            figures["fleet_reconnects"] = fleet.total("drops")
        finally:
            _progress("stopping the fleet and the server")
            await submitter.close()
            await fleet.stop()
    return figures


def bench_fleet(devices: int, as_json: bool, processes: int | None = None) -> int:
    """Print the fleet figures; 2 for a bad argument."""
    if not 1 <= devices <= 100_000:
        print("bench fleet: --devices is 1 to 100000")
        return 2
    processes = processes or default_processes()
    burst = max(200, min(2000, devices))
    try:
        with bench_dir() as tmp:
            figures = asyncio.run(stopping_on_signals(_run(devices, processes, burst, tmp)))
    except Stopped as stopped:
        print(f"bench fleet: {stopped}; its processes ended, its files removed", file=sys.stderr)
        return 128 + stopped.signum
    f = figures
    report(
        figures,
        as_json,
        [
            f"fleet: {devices} headless devices in {processes} worker process(es), one server "
            f"process, {os.cpu_count()} cores (shared with whatever else runs)",
            f"  connected       {f['fleet_connected_pct']:8.2f} %  in {f['fleet_connect_s']} s,"
            f" {f['fleet_logged_in']} users logged in (jobs go to them)",
            f"  push p50        {f['fleet_push_p50_ms']:8.2f} ms  ({PACED_RATE:g} jobs/s)",
            f"  push p99        {f['fleet_push_p99_ms']:8.2f} ms  (goal <= 50)",
            f"  delivered       {f['fleet_delivered_pct']:8.2f} %  of {f['fleet_jobs']} (goal 100)",
            f"  burst           {f['burst_jobs_per_s']:8.1f} jobs/s created (goal >= 1000),"
            f" {f['burst_delivered_pct']} % delivered, push p99 {f['burst_push_p99_ms']} ms",
            f"  stall 5 s       {f['stall_recovery_s']:8.2f} s until all online (goal <= 60),"
            f" {f['stall_lost']} of {f['stall_jobs']} jobs lost (goal 0),"
            f" {f['stall_drops']} drops",
            f"  server memory   {f['server_conn_kb']} kB/connection, bare aiohttp"
            f" {f['bare_conn_kb']} kB: ratio {f['conn_mem_ratio_vs_bare']} (goal <= 1.3)",
            f"  device memory   {f['device_mem_mb']:8.3f} MB/device (goal <= 0.5),"
            f" {f['worker_rss_per_device_mb']} MB with the worker's own;"
            f" files (store, trace; tmpfs) {f['device_files_kb']} kB",
            f"  duplicated      {f['fleet_duplicated']:8d}   reconnects {f['fleet_reconnects']}"
            f"   fleet loop lag max {f['fleet_loop_lag_max_ms']} ms",
            f"  fleet GC        longest step {f['fleet_gc_step_max_ms']} ms,"
            f" longest full collection {f['fleet_gc_full_max_ms']} ms (workers)",
        ],
    )
    return 0
