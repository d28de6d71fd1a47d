"""`mfp-panel demo` ends cleanly however it is asked to: Ctrl+C (SIGINT) from a terminal, SIGTERM
from a desktop launcher or a session ending. Either way its temporary data directory is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from panel.relaunch import program_argv

pytestmark = pytest.mark.gui


@pytest.mark.timeout(90)
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_demo_removes_its_data_directory_when_signalled(sig: int, tmp_path: Path) -> None:
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path), TMPDIR=str(tmp_path)
    )
    proc = subprocess.Popen(
        program_argv("demo", "--no-dock"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        data = None
        for line in proc.stdout:  # the banner names the data directory once the demo is up
            if line.strip().startswith("data:"):
                data = Path(line.split()[1])
                break
        assert data is not None, proc.stderr.read() if proc.stderr else ""
        assert data.parent == tmp_path
        assert data.is_dir()
        _wait_online(data / "device" / "trace.jsonl")
        proc.send_signal(sig)
        _, errors = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
    assert proc.returncode == 128 + sig, errors
    assert "Traceback" not in errors
    assert not data.exists()
    assert not list(tmp_path.glob("mfp-panel-demo-*"))


def _wait_online(trace: Path) -> None:
    """Until the demo's device is online: a demo in use, as a launcher or a user ends it."""
    deadline = time.monotonic() + 30
    while '"state":"online"' not in (trace.read_text() if trace.exists() else ""):
        assert time.monotonic() < deadline, "the demo's device never came online"
        time.sleep(0.05)


def test_the_app_names_its_desktop_entry(tmp_path: Path) -> None:
    """On Wayland the compositor finds the window's menu entry (name, icon) by this name."""
    script = "from panel.ui.qt_loop import qt_app; print(qt_app().desktopFileName())"
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    entry = Path(__file__).parents[2] / "packaging" / "deb" / "mfp-panel.desktop"
    assert entry.name == f"{done.stdout.strip()}.desktop"
    assert "\nExec=mfp-panel demo\n" in entry.read_text(encoding="utf-8")
