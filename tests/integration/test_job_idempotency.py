"""POST /jobs with an Idempotency-Key, over real sockets: a key sent again with the same body
gets the first job back (200, Idempotent-Replayed), with another body a 422; keys belong to
their caller. `mfp-panel server submit` sends a fresh key and asks again with it when the reply
is lost after the server's commit (crash point server.jobs.created): the job is made, printed
and shown once, with the reply dropped in-process and with the server really killed there."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from support import ALICE, ALICE_PIN, until, wait_event

from panel import crashpoints
from panel.device import ConnectionState, EventKind, JobState
from panel.modes import server_mode
from panel.modes.server_mode import listening_url, server_argv
from panel.relaunch import program_argv
from panel.server.api import trace_key
from panel.server.app import RunningServer
from panel.server.demo_data import DEMO_USERS, sample_pdf
from panel.server.store import ServerStore
from panel.server.store import jobs as server_jobs

JOBS = "/api/v1/jobs"
ADMIN = ("9000", "9999")


def basic(user_id: str, pin: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user_id}:{pin}".encode()).decode()}


def body(title: str = "Once") -> str:
    doc = base64.b64encode(sample_pdf(1, title)).decode()
    return json.dumps(
        {"user_id": ALICE, "title": title, "document_b64": doc, "document_name": "a.pdf"}
    )


@pytest.fixture(autouse=True)
def _disarmed() -> Iterator[None]:
    yield
    crashpoints.disarm_all()


async def post(
    server: RunningServer, data: str, key: str | None, who: tuple[str, str] = ADMIN
) -> tuple[int, dict[str, str], dict]:
    headers = basic(*who)
    if key is not None:
        headers["Idempotency-Key"] = key
    async with (
        aiohttp.ClientSession() as client,
        client.post(server.url + JOBS, data=data, headers=headers) as r,
    ):
        return r.status, dict(r.headers), await r.json()


async def test_a_key_sent_again_gets_the_first_job_back(server: RunningServer) -> None:
    status, _, first = await post(server, body(), "k-1")
    assert status == 201
    status, headers, again = await post(server, body(), '"k-1"')  # the draft's quoted form
    assert (status, headers.get("Idempotent-Replayed")) == (200, "true")
    assert again["job_id"] == first["job_id"]
    status, _, refused = await post(server, body("Another body"), "k-1")
    assert (status, refused["error"]) == (422, "idempotency_key_reused")
    assert [j.job_id for j in server.store.jobs()] == [first["job_id"]]


async def test_keys_belong_to_their_caller_and_jobs_without_one_are_each_new(
    server: RunningServer,
) -> None:
    _, _, admins = await post(server, body(), "shared")
    status, _, alices = await post(server, body(), "shared", who=(ALICE, ALICE_PIN))
    assert status == 201  # the same key from someone else is their own
    assert alices["job_id"] != admins["job_id"]
    for _ in range(2):
        assert (await post(server, body(), None))[0] == 201
    assert len(server.store.jobs()) == 4


@pytest.mark.parametrize("key", ["", "with space", "x" * 256, "é"])
async def test_a_malformed_key_is_refused_before_anything_is_made(
    server: RunningServer, key: str
) -> None:
    status, _, refused = await post(server, body(), key)
    assert (status, refused["error"]) == (400, "bad_idempotency_key")
    assert server.store.jobs() == []


async def test_keys_are_forgotten_after_a_day(server: RunningServer) -> None:
    _, _, first = await post(server, body(), "old")
    now = server.store.clock()
    server.store.clock = lambda: now + 24 * 3600 + 1
    assert server.store.purge_ledger(7 * 24 * 3600, 600) == 1
    assert server.store.keyed_job("admin:9000", "old") is None
    assert server.store.job(first["job_id"]) is not None  # the job stays


async def test_submit_asks_again_after_a_reply_lost_past_the_commit_and_shows_one_job(
    server: RunningServer, make_device, monkeypatch, tmp_path, capsys
) -> None:
    device = await make_device()
    if device.connection_state is not ConnectionState.ONLINE:
        await wait_event(
            device, EventKind.CONNECTION_CHANGED, lambda e: e.subject is ConnectionState.ONLINE
        )
    assert (await device.login(ALICE, ALICE_PIN)).ok
    printed: list[int] = []
    device.events.subscribe(lambda e: printed.append(e.subject.pages_done), EventKind.JOB_PROGRESS)
    completed = wait_event(
        device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.COMPLETED
    )

    def drop_the_connections() -> None:
        """The job and its notice are committed: the client never hears (a kill's stand-in)."""
        for handler in server.runner.server.connections:
            if handler.transport is not None:
                handler.transport.abort()

    server_jobs.CREATED.arm(drop_the_connections)
    doc = tmp_path / "report.pdf"
    doc.write_bytes(sample_pdf(2, "Report"))
    monkeypatch.setenv("MFP_ADMIN_PIN", ADMIN[1])
    code = await server_mode.submit(server.url, ADMIN[0], ALICE, doc, None, 1, None)
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    (job,) = server.store.jobs()  # made once
    assert len(out) == 1  # shown once
    assert out[0].startswith(f"{job.job_id}: 'report' for {ALICE}, 2 page(s)")
    assert (await completed).subject.job_id == job.job_id
    await until(lambda: server.store.job(job.job_id).state == "completed", what="reported")
    assert printed == [1, 2]  # printed once
    assert [t["job_id"] for t in traced(server, "replayed")] == [job.job_id]  # asked again


def traced(server: RunningServer, event: str) -> list[dict]:
    trace = server.app[trace_key]
    trace.flush()
    lines = [json.loads(ln) for ln in trace.path.read_text().splitlines()]
    return [t for t in lines if t.get("concern") == "jobs" and t["event"] == event]


def _start_server(data: Path, port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        server_argv(data, port), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert listening_url(first) is not None, proc.stderr.read() if proc.stderr else first
    return proc


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.timeout(120)
def test_a_server_killed_between_its_commit_and_its_reply_makes_the_job_once(
    tmp_path: Path,
) -> None:
    """The real thing: the server SIGKILLs itself at server.jobs.created, is started again on
    the same port and data, and `mfp-panel server submit` (its own process) gets the job it
    made before the kill."""
    data = tmp_path / "srv"
    data.mkdir()
    store = ServerStore(data / "server.sqlite3")
    for user_id, name, pin, role in DEMO_USERS:
        store.add_user(user_id, name, pin, role)
    store.close()
    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path / "run"), "MFP_ADMIN_PIN": ADMIN[1]}
    (tmp_path / "run").mkdir(mode=0o700)
    port = _free_port()
    first = _start_server(data, port, {**env, crashpoints.ENV: "server.jobs.created"})
    doc = tmp_path / "report.pdf"
    doc.write_bytes(sample_pdf(2, "Report"))
    url = f"http://127.0.0.1:{port}"
    argv = program_argv("server", "submit", "--server", url, "--admin", ADMIN[0], "--user", ALICE)
    submit = subprocess.Popen(
        [*argv, str(doc)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    again = None
    try:
        _, err = first.communicate(timeout=60)
        assert first.returncode == -signal.SIGKILL, err
        assert "crash point reached: server.jobs.created" in err
        again = _start_server(data, port, env)
        out, err = submit.communicate(timeout=60)
        assert submit.returncode == 0, err
        store = ServerStore(data / "server.sqlite3")
        try:
            (job,) = store.jobs()  # made once, before the kill
        finally:
            store.close()
        assert out.splitlines() == [
            f"{job.job_id}: 'report' for {ALICE}, 2 page(s) x 1 -> held until the user logs in"
            " at a device"
        ]
    finally:
        for proc in (submit, first, again):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.communicate(timeout=10)
