"""`mfp-panel fleet` as QA runs it: a real server process, 20 devices in worker processes,
jobs pushed to every user, and the report read as a person would read it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

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
