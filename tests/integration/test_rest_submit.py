"""Print jobs submitted over REST, over real sockets: by a user for themselves, to the panel
they are logged in at; the fetch traced; a full database refused cleanly."""

from __future__ import annotations

import base64
import json
import sqlite3

import aiohttp
import pytest
from support import ALICE, ALICE_PIN, until, wait_event
from support.documents import jpeg, png

from panel.device import ConnectionState, EventKind, JobState
from panel.server.api import trace_key
from panel.server.demo_data import sample_pdf
from panel.server.documents import MAX_DOCUMENT_BYTES

JOBS = "/api/v1/jobs"
ADMIN = ("9000", "9999")


@pytest.fixture
async def client():
    async with aiohttp.ClientSession() as session:
        yield session


def basic(user_id: str, pin: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user_id}:{pin}".encode()).decode()}


def job_body(
    user_id: str,
    title: str = "From my desk",
    pages: int = 3,
    data: bytes | None = None,
    name: str = "a.pdf",
    **extra: object,
) -> str:
    doc = base64.b64encode(sample_pdf(pages, title) if data is None else data).decode()
    return json.dumps(
        {"user_id": user_id, "title": title, "document_b64": doc, "document_name": name, **extra}
    )


def traced(server, concern: str, event: str) -> list[dict]:
    trace = server.app[trace_key]
    trace.flush()  # lines emitted in this loop iteration are written at its end
    lines = trace.path.read_text().splitlines()
    found = [json.loads(ln) for ln in lines if f'"concern":"{concern}"' in ln]
    return [t for t in found if t["event"] == event]


async def test_a_user_submits_for_themselves_and_it_prints_where_they_are(
    server, client, make_device
):
    device = await make_device()
    if device.connection_state is not ConnectionState.ONLINE:
        await wait_event(
            device, EventKind.CONNECTION_CHANGED, lambda e: e.subject is ConnectionState.ONLINE
        )
    assert (await device.login(ALICE, ALICE_PIN)).ok
    mine = basic(ALICE, ALICE_PIN)
    completed = wait_event(
        device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.COMPLETED
    )
    async with client.post(server.url + JOBS, data=job_body(ALICE), headers=mine) as r:
        assert r.status == 201, await r.text()
        job = await r.json()
    assert (job["user_id"], job["pages"], job["device_id"]) == (ALICE, 3, device.device_id)
    printed = (await completed).subject
    assert (printed.job_id, printed.title, printed.pages_done) == (job["job_id"], "From my desk", 3)

    async def server_state() -> dict:
        async with client.get(f"{server.url}{JOBS}/{job['job_id']}", headers=mine) as r:
            assert r.status == 200
            return await r.json()

    await until(lambda: server.store.job(job["job_id"]).state == "completed", what="reported")
    shown = await server_state()
    assert (shown["state"], shown["pages_done"]) == ("completed", 3)
    states = [t["state"] for t in traced(server, "jobs", "state") if t["job_id"] == job["job_id"]]
    assert states == ["fetched", "printing", "completed"]


async def test_fetching_a_notified_job_is_a_traced_state_change(server, client):
    device_id, secret = server.store.register_device("Fetcher", "m")
    headers = {"Authorization": f"Bearer {device_id}.{secret}"}
    body = job_body(ALICE, device_id=device_id)
    async with client.post(server.url + JOBS, data=body, headers=basic(*ADMIN)) as r:
        job = await r.json()
    assert job["state"] == "notified"
    for _ in range(2):  # the second fetch changes nothing, and is not traced
        async with client.get(f"{server.url}{JOBS}/{job['job_id']}", headers=headers) as r:
            assert (await r.json())["state"] == "fetched"
    (fetched,) = traced(server, "jobs", "state")
    assert (fetched["job_id"], fetched["device"], fetched["state"]) == (
        job["job_id"],
        device_id,
        "fetched",
    )


def database_full(*args: object, **kwargs: object) -> object:
    raise sqlite3.OperationalError("database or disk is full")


@pytest.mark.parametrize("failing", ["create_job", "assign_and_notify"])
async def test_a_full_database_is_507_and_the_document_is_removed(
    server, client, monkeypatch, failing
):
    device_id, _ = server.store.register_device("Full", "m")
    monkeypatch.setattr(server.store, failing, database_full)
    body = job_body(ALICE, device_id=device_id)
    async with client.post(server.url + JOBS, data=body, headers=basic(*ADMIN)) as r:
        assert r.status == 507
        reply = await r.json()
    assert reply["error"] == "disk_full"
    assert "disk is full" in reply["message"]
    assert "not stored" in reply["message"]
    docs = server.dispatcher.docs.root
    assert list(docs.iterdir()) == []
    assert server.store.jobs() == []
    monkeypatch.undo()
    async with client.post(server.url + JOBS, data=body, headers=basic(*ADMIN)) as r:
        assert r.status == 201
    assert len(list(docs.iterdir())) == 1


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Dear Alice,\nplease print me.\n" * 40, "letter.txt"),
        (b"Dear Alice,\nthis is text.\n", "photo.png"),  # renamed: the bytes decide
        (png()[:16] + b"not a header" * 4, "photo.png"),  # a PNG signature, no PNG after it
        (b"%PDF-1.4\n" + b"not really a PDF\n" * 100, "fake.pdf"),
    ],
)
async def test_a_document_that_is_not_pdf_jpeg_or_png_is_415_and_nothing_is_created(
    server, client, data, name
):
    body = job_body(ALICE, data=data, name=name)
    async with client.post(server.url + JOBS, data=body, headers=basic(*ADMIN)) as r:
        assert r.status == 415
        refused = await r.json()
    assert refused["error"] == "unsupported_document"
    assert "PDF (application/pdf), JPEG (image/jpeg), PNG (image/png)" in refused["message"]
    assert list(server.dispatcher.docs.root.iterdir()) == []
    assert server.store.jobs() == []


@pytest.mark.parametrize(
    ("data", "name"),
    [(png(640, 480), "photo.png"), (jpeg(), "cam.jpg"), (png(), "scan.pdf")],
)
async def test_a_png_or_jpeg_image_prints_as_one_page(server, client, data, name):
    async with client.post(
        server.url + JOBS, data=job_body(ALICE, data=data, name=name), headers=basic(*ADMIN)
    ) as r:
        assert r.status == 201, await r.text()
        job = await r.json()
    assert (job["pages"], job["state"]) == (1, "held")
    assert server.dispatcher.docs.path(job["job_id"]).read_bytes() == data


async def test_a_pdf_s_page_count_comes_from_its_page_tree(server, client):
    async with client.post(
        server.url + JOBS, data=job_body(ALICE, pages=7), headers=basic(*ADMIN)
    ) as r:
        assert r.status == 201, await r.text()
        assert (await r.json())["pages"] == 7


async def test_the_limit_and_the_accepted_types_are_advertised(server, client):
    async with client.get(server.url + "/api/v1/health") as r:
        assert (await r.json())["max_document_bytes"] == MAX_DOCUMENT_BYTES
    async with client.get(server.url + "/api/openapi.json") as r:
        create = (await r.json())["paths"][JOBS]["post"]
    assert (
        "PDF (application/pdf), JPEG (image/jpeg), PNG (image/png)"
        in (create["responses"]["415"]["description"])
    )
    assert str(MAX_DOCUMENT_BYTES) in create["responses"]["413"]["description"]
