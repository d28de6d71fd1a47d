"""POST /jobs with an Idempotency-Key, over real sockets: a key sent again with the same body
gets the first job back (200, Idempotent-Replayed), with another body a 422; keys belong to
their caller. `mfp-panel server submit` sends a fresh key and asks again with it when the reply
is lost after the server's commit (crash point server.jobs.created): the job is made, printed
and shown once."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import aiohttp
import pytest
from support import ALICE, ALICE_PIN, until, wait_event

from panel import crashpoints
from panel.device import ConnectionState, EventKind, JobState
from panel.modes import server_mode
from panel.server.api import trace_key
from panel.server.app import RunningServer
from panel.server.demo_data import sample_pdf
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
