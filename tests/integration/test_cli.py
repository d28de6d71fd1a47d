"""The command line as a user runs it: real processes, waiting on their output and trace lines."""

from __future__ import annotations

import base64
import json
import os
import shlex
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from panel.cli import program
from panel.modes.server_mode import listening_url, server_argv
from panel.server.demo_data import sample_pdf
from panel.server.documents import MAX_DOCUMENT_BYTES


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
    assert "cannot reach the server at http://127.0.0.1:9: connection refused" in dead.stderr


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


def created_jobs(data: Path) -> list[str]:
    """The jobs the server's store holds (committed before any reply; the trace is written
    behind the loop by a thread, so it may not have the seeded jobs yet)."""
    with closing(sqlite3.connect(f"file:{data / 'server.sqlite3'}?mode=ro", uri=True)) as db:
        return [row[0] for row in db.execute("SELECT job_id FROM jobs ORDER BY job_id")]


def test_submit_refuses_a_document_the_server_cannot_print(server_process, user_env, tmp_path):
    url, data = server_process
    before = created_jobs(data)
    text = tmp_path / "notes.txt"
    text.write_text("not a document a printer takes\n" * 10)
    result = cli("server", "submit", "--server", url, "--user", "1001", str(text), env=user_env)
    assert result.returncode == 1
    assert "415 unsupported_document" in result.stderr
    assert "PDF (application/pdf), JPEG (image/jpeg), PNG (image/png)" in result.stderr
    assert created_jobs(data) == before


def test_an_oversize_file_is_refused_before_it_is_read_with_the_limit_in_mb(
    server_process, user_env, tmp_path
):
    url, data = server_process
    before = created_jobs(data)
    big = tmp_path / "big.pdf"
    with big.open("wb") as f:  # sparse: 200 MB that cost no disk
        f.truncate(200 * 1024 * 1024)
    result = cli("server", "submit", "--server", url, "--user", "1001", str(big), env=user_env)
    assert result.returncode == 1
    assert f"big.pdf is 200 MB; the server at {url} takes documents up to 32 MB" in result.stderr
    assert str(MAX_DOCUMENT_BYTES) in result.stderr
    assert created_jobs(data) == before


def test_a_document_near_the_limit_is_streamed_and_accepted(server_process, user_env, tmp_path):
    url, _ = server_process
    pdf = sample_pdf(2, "padded")
    doc = tmp_path / "padded.pdf"
    # A PDF may carry anything after %%EOF: 30 MB, to go through the stream path whole.
    doc.write_bytes(pdf + b"%" * (30 * 1024 * 1024))
    result = cli("server", "submit", "--server", url, "--user", "1001", str(doc), env=user_env)
    assert result.returncode == 0, result.stderr
    assert "2 page(s) x 1" in result.stdout


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        ("notaurl", "'notaurl' is not a server URL (invalid URL); give http://HOST:PORT"),
        ("http://127.0.0.1:9", "cannot reach the server at http://127.0.0.1:9: connection refused"),
        ("http://no-such-host.invalid:8631", "'no-such-host.invalid' does not resolve (DNS)"),
    ],
)
def test_submit_names_why_a_server_cannot_be_reached(server, expected, user_env, tmp_path):
    doc = tmp_path / "a.pdf"
    doc.write_bytes(sample_pdf(1, "a"))
    result = cli("server", "submit", "--server", server, "--user", "1001", str(doc), env=user_env)
    assert result.returncode == 1
    assert expected in result.stderr
    assert "no local admin socket" not in result.stderr


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        ("http://127.0.0.1:9", "cannot reach the server at http://127.0.0.1:9: connection refused"),
        ("notaurl", "'notaurl' is not a server URL (invalid URL)"),
    ],
)
def test_run_names_why_a_server_cannot_be_reached(server, expected, user_env):
    result = cli("run", "--ephemeral", "--server", server, env=user_env)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert "no local admin socket" not in result.stderr


@pytest.mark.parametrize("mode", ["server", "demo"])
def test_a_busy_port_is_named_with_a_hint(mode, user_env, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        extra = ["--data", str(tmp_path / "srv")] if mode == "server" else []
        result = cli(mode, "--port", str(port), *extra, env=user_env)
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "pass another --port, or --port 0 for a free one" in result.stderr
    assert "Traceback" not in result.stderr


def test_add_user_writes_to_the_running_server_and_refuses_to_overwrite(
    server_process, user_env, tmp_path
):
    url, data = server_process
    env = {**user_env, "MFP_PIN": "4321"}
    saved = cli("server", "add-user", "7001", "Zoe", env=env)  # the one local server's store
    assert saved.returncode == 0, saved.stderr
    assert f"user 7001 (Zoe, user) saved in {data / 'server.sqlite3'}" in saved.stdout
    again = cli("server", "add-user", "--server", url, "7001", "Zed", env=env)
    assert again.returncode == 1
    assert "user 7001 exists already (Zoe, user)" in again.stderr
    assert "pass --replace" in again.stderr
    replaced = cli("server", "add-user", "--server", url, "--replace", "7001", "Zed", env=env)
    assert replaced.returncode == 0, replaced.stderr
    assert "user 7001 (Zed, user) replaced in" in replaced.stdout
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    other = cli("server", "add-user", "--data", str(elsewhere), "7002", "Yan", env=env)
    assert other.returncode == 0, other.stderr
    assert f"saved in {elsewhere / 'server.sqlite3'}" in other.stdout
    nowhere = cli("server", "add-user", "--server", "http://127.0.0.1:9", "7003", "X", env=env)
    assert nowhere.returncode == 2
    assert "no server runs at http://127.0.0.1:9 on this machine" in nowhere.stderr
    # The running server knows the user at once: their own job list answers.
    token = "Basic " + base64.b64encode(b"7001:4321").decode()
    request = urllib.request.Request(f"{url}/api/v1/jobs", headers={"Authorization": token})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert json.loads(reply.read())["jobs"] == []


def test_the_server_root_is_a_page_that_links_the_api_and_the_console(server_process):
    url, _ = server_process
    with urllib.request.urlopen(f"{url}/", timeout=10) as reply:
        assert reply.headers.get_content_type() == "text/html"
        page = reply.read().decode()
    assert "<title>mfp-panel cloud service</title>" in page
    assert 'href="/api/openapi.json"' in page
    assert 'href="/operator"' in page


def test_printed_commands_work_as_typed(server_process):
    """The demo and the server print `program()`: a full path to the console script."""
    command = shlex.split(program())
    assert Path(command[0]).is_absolute()
    result = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("mfp-panel ")
