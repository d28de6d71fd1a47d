"""`mfp-panel fleet` as QA runs it: a real server process, 20 devices in worker processes,
jobs pushed to every user, and the report read as a person would read it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from panel.fleet.controller import WORKER_NICE, Fleet
from panel.fleet.seed import Member
from panel.modes.server_mode import listening_url, server_argv
from panel.relaunch import program_argv

DEVICES = 20


@pytest.fixture
def server(tmp_path: Path):
    """A server on a free port, its admin socket in a private XDG_RUNTIME_DIR."""
    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path / "run")}
    (tmp_path / "run").mkdir(mode=0o700)
    proc = subprocess.Popen(
        server_argv(tmp_path / "srv"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    url = listening_url(proc.stdout.readline())
    assert url is not None
    yield url, env
    proc.terminate()
    proc.communicate(timeout=30)


@pytest.mark.timeout(240)
def test_fleet_of_20_connects_every_device_and_loses_no_job(server):
    url, env = server
    result = subprocess.run(
        program_argv("fleet", "--devices", str(DEVICES), "--server", url, "--duration", "2"),
        env=env,
        capture_output=True,
        text=True,
        timeout=220,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert f"connected   {DEVICES} of {DEVICES} (100.0 %)" in out
    assert f"{DEVICES} users logged in" in out
    accepted = re.search(r"jobs +(\d+) accepted", out)
    assert accepted is not None
    assert int(accepted.group(1)) == 40, out  # 20 jobs a second for 2 s
    assert re.search(r"lost +0 ", out), out
    assert re.search(r"duplicated +0$", out, re.MULTILINE), out
    memory = re.search(r"memory +([\d.]+) MB per device", out)
    assert memory is not None
    assert float(memory.group(1)) > 0


def _children(pid: int) -> set[int]:
    """Every process below `pid` now (Linux /proc)."""
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                kids = {int(k) for k in task.read_text().split()}
                todo.extend(kids - found)
                found |= kids
    return found


def _fleet_folders(pids: set[int]) -> set[Path]:
    """The device folders (/dev/shm/mfp-fleet-*) of the fleet workers among `pids`: each
    worker's spec names its data directory."""
    folders = set()
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            spec = Path(argv[argv.index(b"_fleet-worker") + 1].decode())
            folders.add(Path(json.loads(spec.read_text())["data_dir"]).parent)
    return folders


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.realtime  # real processes and a real signal, waited for with generous deadlines
@pytest.mark.timeout(240)
@pytest.mark.parametrize("command", ["bench", "fleet"])
def test_sigterm_ends_every_worker_and_removes_the_devices_files(server, command, tmp_path):
    """SIGTERM (a CI job's time-out, systemd, kill) used to end the controller at once and
    leave its workers running and their devices' files in /dev/shm."""
    url, env = server
    argv = {
        "bench": program_argv("bench", "fleet", "--devices", "10", "--json"),
        "fleet": program_argv("fleet", "--devices", "10", "--server", url, "--duration", "600"),
    }[command]
    proc = subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: a failed run is ended whole below
    )
    seen: set[int] = set()
    folders: set[Path] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            seen |= _children(proc.pid)
            folders |= _fleet_folders(seen)
            if folders and len(seen) >= 2:
                break
            time.sleep(0.2)
        assert folders, "no fleet worker started"
        assert all(f.is_dir() for f in folders)
        time.sleep(1.0)  # the workers are starting their devices
        seen |= _children(proc.pid)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=150)
        assert proc.returncode == 128 + signal.SIGTERM, out + err
        assert "stopped by SIGTERM" in err
        assert [pid for pid in seen if _alive(pid)] == []
        assert [f for f in folders if f.exists()] == []
    finally:  # nothing of a failed run is left behind for the next tests
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


async def test_a_worker_that_dies_is_named_with_how_it_ended(tmp_path):
    """A worker killed from outside (the OOM killer, a stray kill) takes its devices with it:
    the fleet's errors say which worker and how, before any device's own error."""
    members = [Member(f"bare-{n}", "", "", "") for n in range(2)]
    fleet = Fleet("ws://127.0.0.1:9/ws", members, tmp_path / "fleet", 1, bare=True)
    try:
        await fleet.start()
        (pid,) = fleet.pids
        await fleet.wait_for(lambda: fleet.workers[0].base_rss_kb > 0, 60)
        os.kill(pid, signal.SIGKILL)
        assert not await fleet.wait_for(lambda: False, 60)  # ends as the worker stops
        assert fleet.errors()[0].startswith("worker 0 ended: killed by SIGKILL (see ")
    finally:
        await fleet.stop()
    assert not fleet.data.exists()


async def test_workers_run_below_the_servers_priority(tmp_path):
    """The fleet stands in for machines with processors of their own: on the server's cores
    its workers yield to the server (a burst was created 6-10x slower without it)."""
    members = [Member(f"bare-{n}", "", "", "") for n in range(2)]
    fleet = Fleet("ws://127.0.0.1:9/ws", members, tmp_path / "fleet", 2, bare=True)
    try:
        await fleet.start()
        assert await fleet.wait_for(lambda: all(w.base_rss_kb for w in fleet.workers), 60)
        own = os.getpriority(os.PRIO_PROCESS, 0)
        expected = min(19, own + WORKER_NICE)
        assert [os.getpriority(os.PRIO_PROCESS, pid) for pid in fleet.pids] == [expected] * 2
    finally:
        await fleet.stop()
