"""The command line as a user runs it: real processes, waiting on their output and trace lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from panel.modes.server_mode import listening_url, server_argv
from panel.server.demo_data import sample_pdf


def cli(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "panel", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    """A private set of XDG dirs, as a fresh user account would have."""
    env = dict(os.environ)
    for name in ("CONFIG", "DATA"):
        env[f"XDG_{name}_HOME"] = str(tmp_path / name.lower())
    env["XDG_RUNTIME_DIR"] = str(tmp_path / "run")
    (tmp_path / "run").mkdir(mode=0o700)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.fixture
def server_process(tmp_path: Path, user_env: dict[str, str]):
    proc = subprocess.Popen(
        server_argv(tmp_path / "srv", seed_demo=True),
        env=user_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    url = listening_url(first)
    assert url is not None, proc.stderr.read() if proc.stderr else first
    yield url, tmp_path / "srv"
    proc.terminate()
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err  # SIGTERM is a clean shutdown


def wait_trace(path: Path, predicate, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            for line in path.read_text().splitlines():
                record = json.loads(line)
                if predicate(record):
                    return record
        time.sleep(0.05)
    raise AssertionError(f"no matching line in {path}")


def test_server_submit_finds_the_local_server_and_holds_the_job(server_process, user_env, tmp_path):
    _, data = server_process
    doc = tmp_path / "report.pdf"
    doc.write_bytes(sample_pdf(3, "report"))
    result = cli("server", "submit", "--user", "1001", str(doc), env=user_env)
    assert result.returncode == 0, result.stderr
    assert "3 page(s) x 1 -> held until the user logs in" in result.stdout
    job_id = result.stdout.split(":")[0]
    record = wait_trace(
        data / "trace.jsonl", lambda r: r["event"] == "created" and r.get("job_id") == job_id
    )
    assert record["user_id"] == "1001"
    assert record["pages"] == 3


def test_server_submit_errors_are_clear(server_process, user_env, tmp_path):
    url, _ = server_process
    doc = tmp_path / "a.pdf"
    doc.write_bytes(sample_pdf(1, "a"))
    unknown = cli("server", "submit", "--server", url, "--user", "nobody", str(doc), env=user_env)
    assert unknown.returncode == 1
    assert "There is no user 'nobody'" in unknown.stderr
    missing = cli(
        "server",
        "submit",
        "--server",
        url,
        "--user",
        "1001",
        str(tmp_path / "no.pdf"),
        env=user_env,
    )
    assert missing.returncode == 1
    assert "cannot read" in missing.stderr
    dead = cli(
        "server",
        "submit",
        "--server",
        "http://127.0.0.1:9",
        "--admin",
        "9000",
        "--user",
        "1001",
        str(doc),
        env={**user_env, "MFP_ADMIN_PIN": "9999"},
    )
    assert dead.returncode == 1
    assert "cannot reach the server" in dead.stderr


def test_remote_submit_with_admin_pin(server_process, user_env, tmp_path):
    url, _ = server_process
    doc = tmp_path / "a.pdf"
    doc.write_bytes(sample_pdf(2, "a"))
    env = {**user_env, "MFP_ADMIN_PIN": "9999"}
    ok = cli(
        "server", "submit", "--server", url, "--admin", "9000", "--user", "1002", str(doc), env=env
    )
    assert ok.returncode == 0, ok.stderr
    bad = cli(
        "server",
        "submit",
        "--server",
        url,
        "--admin",
        "9000",
        "--user",
        "1002",
        str(doc),
        env={**user_env, "MFP_ADMIN_PIN": "0000"},
    )
    assert bad.returncode == 1
    assert "Wrong user ID or PIN" in bad.stderr


def test_run_without_a_keyring_says_what_to_do_and_registers_nothing(server_process, user_env):
    url, data = server_process
    env = {**user_env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = cli("run", "--server", url, env=env)
    assert result.returncode == 2
    assert "found none it can use" in result.stderr
    assert "PYTHON_KEYRING_BACKEND" in result.stderr
    assert "--ephemeral" in result.stderr
    trace = (data / "trace.jsonl").read_text()
    assert '"event":"registered"' not in trace
    assert not list(Path(user_env["XDG_CONFIG_HOME"]).rglob("*.json"))
