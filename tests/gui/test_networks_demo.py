"""`mfp-panel demo --devices 2` end to end: the real program in a subprocess (offscreen Qt). It
prints the simulated networks' ports and the control API's URL, and each device's engine
control API; QA scripts faults with them the way curl would; Ctrl+C ends the demo cleanly."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

START_S = 30.0


class Demo:
    """The demo's process; a thread reads its output lines (a pipe's reads block)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def read_until(self, pattern: str) -> re.Match[str]:
        """The first printed line matching `pattern` (every line read is kept in `lines`)."""
        deadline = time.monotonic() + START_S
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"no {pattern!r} in the demo's output:\n" + "\n".join(self.lines))

    def stop(self) -> str:
        """Ctrl+C; what it wrote on stderr."""
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=30)
        self._reader.join(timeout=5)
        assert self.proc.stderr is not None
        return self.proc.stderr.read()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, "-m", "panel", "demo", "--devices", "2", "--no-dock"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield Demo(proc)
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def call(method: str, url: str, body: object | None = None) -> object:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    with urllib.request.urlopen(request, timeout=5) as reply:
        return json.loads(reply.read() or b"null")


def test_demo_prints_its_networks_and_control_api_and_qa_can_script_faults(demo: Demo) -> None:
    control = demo.read_until(r"network control API: (http://127\.0\.0\.1:\d+)")[1]
    devices = demo.read_until(r"devices: (.*?)  \(")[1]
    assert devices == "Demo MFP 1, Demo MFP 2"
    printed = {
        name.strip(): int(port)
        for line in demo.lines
        if (row := re.match(r"\s+(Wired LAN|LTE)\s+127\.0\.0\.1:(\d+)", line))
        for name, port in [row.groups()]
    }
    assert list(printed) == ["Wired LAN", "LTE"]
    assert any("Wired LAN" in line and "(preferred)" in line for line in demo.lines)

    proxies = call("GET", f"{control}/proxies")
    assert isinstance(proxies, dict)
    assert {name: int(p["listen"].rsplit(":", 1)[1]) for name, p in proxies.items()} == printed
    assert all(p["enabled"] for p in proxies.values())
    down = call("POST", f"{control}/proxies/Wired%20LAN", {"enabled": False})
    assert isinstance(down, dict)
    assert down["enabled"] is False

    # Each device's engine control API is printed beside the panel too (issue 14).
    for name in ("Demo MFP 1", "Demo MFP 2"):
        pattern = rf"engine control API \({name}\): (http://127\.0\.0\.1:\d+/engine)"
        engine = demo.read_until(pattern)[1]
        jammed = call("POST", f"{engine}/jam", {"location": "fuser"})
        assert isinstance(jammed, dict)
        assert (jammed["state"], jammed["error_codes"]) == ("stopped", ["J-0501"])

    errors = demo.stop()
    assert demo.proc.returncode in (0, 130)
    assert "Traceback" not in errors


def test_demo_refuses_a_bad_number_of_devices(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "panel", "demo", "--devices", "9"],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert "--devices: must be a number from 1 to 4" in done.stderr
