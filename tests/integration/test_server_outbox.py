"""The outbox endpoint (S1) over real sockets: each key executed once, in order, whatever the
retries, conflicts, refusals and full disks."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import errno
import io
import json
import sqlite3
import threading
import time

import aiohttp
import pytest
from support import ALICE, until

from panel.protocol import encode_body
from panel.protocol.messages import OutboxBatch, OutboxItem
from panel.server import documents, outbox
from panel.server.api import trace_key
from panel.server.app import start_server
from panel.server.demo_data import DEMO_USERS, seed_cache

URL = "/api/v1/outbox"
NOT_ATTEMPTED = "not attempted: an earlier item is in progress"


@pytest.fixture
async def client():
    async with aiohttp.ClientSession() as session:
        yield session


@dataclasses.dataclass
class Dev:
    device_id: str
    headers: dict[str, str]


def register(server, name: str = "Outbox MFP") -> Dev:
    device_id, secret = server.store.register_device(name, "MFP-Emu 1")
    return Dev(device_id, {"Authorization": f"Bearer {device_id}.{secret}"})


@pytest.fixture
def dev(server) -> Dev:
    seed_cache(server.store)
    return register(server)


def item(key: str, /, **change) -> OutboxItem:
    doc = change.pop("doc", b"%PDF-1.4 scanned page " + key.encode())
    base = OutboxItem(
        key=key,
        kind="scan",
        user_id=ALICE,
        title=f"Scan {key}",
        pages=2,
        destination="team-share",
        document_b64=base64.b64encode(doc).decode(),
        composed_at=1_700_000_000.0,
    )
    return dataclasses.replace(base, **change)


async def send(client, server, dev: Dev, *items: OutboxItem) -> list[dict]:
    body = encode_body(OutboxBatch(list(items)))
    async with client.post(server.url + URL, data=body, headers=dev.headers) as r:
        assert r.status == 200, await r.text()
        return (await r.json())["results"]


def statuses(results: list[dict]) -> list[int]:
    return [r["status"] for r in results]


def trace_lines(server, concern: str) -> list[dict]:
    trace = server.app[trace_key]
    trace.flush()  # lines emitted in this loop iteration are written at its end
    lines = trace.path.read_text().splitlines()
    return [json.loads(ln) for ln in lines if f'"concern":"{concern}"' in ln]


async def test_first_execution_is_201_and_a_retry_replays_it(server, client, dev):
    (first,) = await send(client, server, dev, item("k1"))
    assert first["status"] == 201
    assert first["job_id"].startswith("out-")
    (again,) = await send(client, server, dev, item("k1"))
    assert again == {**first, "status": 200}
    (entry,) = server.store.ledger(dev.device_id)
    assert (entry.key, entry.state, entry.status, entry.executions) == ("k1", "done", 201, 1)
    (job,) = server.store.outgoing_jobs(dev.device_id)
    assert (job.job_id, job.kind, job.user_id, job.title) == (
        first["job_id"],
        "scan",
        ALICE,
        "Scan k1",
    )
    assert (job.pages, job.destination, job.composed_at) == (2, "team-share", 1_700_000_000.0)
    assert server.outbox.docs.path(job.job_id).read_bytes() == b"%PDF-1.4 scanned page k1"
    events = [(t["event"], t["status"]) for t in trace_lines(server, "outbox")]
    assert events == [("executed", 201), ("replayed", 200)]


async def test_the_same_key_with_another_body_is_422(server, client, dev):
    (first,) = await send(client, server, dev, item("k1"))
    (other,) = await send(client, server, dev, item("k1", title="Another title"))
    assert other["status"] == 422
    assert other["message"] == "this idempotency key was used with a different request"
    assert other["job_id"] == ""
    (again,) = await send(client, server, dev, item("k1"))
    assert again["job_id"] == first["job_id"]
    assert len(server.store.outgoing_jobs()) == 1


async def test_a_concurrent_duplicate_is_409_and_the_rest_of_its_batch_not_attempted(
    server, client, dev, monkeypatch
):
    entered, release = threading.Event(), threading.Event()
    real_write = server.outbox.docs.write_unsynced

    def slow_write(job_id: str, data: bytes) -> None:
        entered.set()
        release.wait(10)
        real_write(job_id, data)

    monkeypatch.setattr(server.outbox.docs, "write_unsynced", slow_write)
    try:
        first = asyncio.create_task(send(client, server, dev, item("a"), item("b")))
        await until(entered.is_set, what="the first request is writing item a")
        second = await send(client, server, dev, item("a"), item("b"), item("c"))
        assert statuses(second) == [409, 409, 409]
        assert "being executed" in second[0]["message"]
        assert [r["message"] for r in second[1:]] == [NOT_ATTEMPTED, NOT_ATTEMPTED]
        # the first request claimed its whole batch before writing the documents
        assert [(e.key, e.state) for e in server.store.ledger(dev.device_id)] == [
            ("a", "in_progress"),
            ("b", "in_progress"),
        ]
        release.set()
        done = await first
    finally:
        release.set()
    assert statuses(done) == [201, 201]
    retry = await send(client, server, dev, item("a"), item("b"), item("c"))
    assert statuses(retry) == [200, 200, 201]
    assert [r["job_id"] for r in retry[:2]] == [r["job_id"] for r in done]
    ledger = server.store.ledger(dev.device_id)
    assert [(e.key, e.executions) for e in ledger] == [("a", 1), ("b", 1), ("c", 1)]
    conflicts = [t for t in trace_lines(server, "outbox") if t["event"] == "conflict"]
    assert [t.get("reason", "not attempted") for t in conflicts] == [
        "in_progress",
        "not attempted",
        "not attempted",
    ]


async def test_items_are_executed_in_order_across_batches(server, client, dev):
    keys = [f"k{n}" for n in range(8)]
    await send(client, server, dev, *(item(k) for k in keys[:3]))
    await send(client, server, dev, item(keys[2]), *(item(k) for k in keys[3:6]))
    await send(client, server, dev, *(item(k) for k in keys[6:]))
    assert [e.key for e in server.store.ledger(dev.device_id)] == keys
    jobs = server.store.outgoing_jobs(dev.device_id)
    assert [j.key for j in jobs] == keys
    assert [j.accepted_at for j in jobs] == sorted(j.accepted_at for j in jobs)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "copy"}, "kind must be 'scan' or 'fax', not 'copy'."),
        ({"user_id": "4242"}, "There is no user '4242'."),
        ({"destination": "nowhere"}, "There is no destination 'nowhere' in the address book."),
        ({"kind": "fax", "destination": "call me"}, "'call me' is not a fax number"),
        ({"kind": "fax", "destination": "12"}, "'12' is not a fax number"),
        ({"kind": "fax", "destination": "+-*#"}, "'+-*#' is not a fax number"),
        ({"pages": 0}, "pages must be between 1 and 500."),
        ({"pages": 501}, "pages must be between 1 and 500."),
        ({"document_b64": "not base64!"}, "document_b64 is not valid base64."),
        ({"doc": b""}, "The document is empty."),
        ({"doc": b"x" * 65}, "Documents are limited to 64 bytes, not 65."),
        ({"key": ""}, "An idempotency key is 1 to 200 printable characters."),
        ({"key": "k" * 201}, "An idempotency key is 1 to 200 printable characters."),
    ],
)
async def test_an_invalid_item_is_refused_and_the_batch_goes_on(
    server, client, dev, monkeypatch, change, message
):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 64)
    bad = item("bad", **change)
    results = await send(client, server, dev, bad, item("good"))
    assert statuses(results) == [400, 201]
    assert results[0]["message"].startswith(message)
    again = await send(client, server, dev, bad)
    assert again == results[:1]  # replayed from the ledger, or refused again without a key
    executions = {e.key: e.executions for e in server.store.ledger(dev.device_id)}
    assert executions == ({"good": 1} if "key" in change else {"bad": 1, "good": 1})
    assert [j.key for j in server.store.outgoing_jobs()] == ["good"]


async def test_a_fax_number_may_hold_spaces_and_dialling_signs(server, client, dev):
    (fax,) = await send(client, server, dev, item("f", kind="fax", destination="+44 20 7946-0958#"))
    assert fax["status"] == 201
    assert server.store.outgoing_jobs()[0].destination == "+44 20 7946-0958#"


async def test_a_full_disk_is_507_and_a_retry_executes(server, client, dev, monkeypatch):
    real_write = server.outbox.docs.write_unsynced
    full = [True]

    def write(job_id: str, data: bytes) -> None:
        if full[0]:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(job_id, data)

    monkeypatch.setattr(server.outbox.docs, "write_unsynced", write)
    results = await send(client, server, dev, item("a"), item("b"))
    assert statuses(results) == [507, 409]
    assert "disk is full" in results[0]["message"]
    assert results[1]["message"].startswith("not attempted")
    assert server.store.ledger(dev.device_id) == []  # the claim is released
    full[0] = False
    retry = await send(client, server, dev, item("a"), item("b"))
    assert statuses(retry) == [201, 201]
    assert [(e.key, e.executions) for e in server.store.ledger(dev.device_id)] == [
        ("a", 1),
        ("b", 1),
    ]
    refused = [t for t in trace_lines(server, "outbox") if t["event"] == "refused"]
    assert [(t["status"], t["code"]) for t in refused] == [(507, "disk_full")]


async def test_keys_belong_to_one_device(server, client, dev):
    other = register(server, "Other MFP")
    (mine,) = await send(client, server, dev, item("shared-key"))
    (theirs,) = await send(client, server, other, item("shared-key"))
    assert (mine["status"], theirs["status"]) == (201, 201)
    assert mine["job_id"] != theirs["job_id"]
    (replayed,) = await send(client, server, dev, item("shared-key"))
    assert replayed["job_id"] == mine["job_id"]
    await send(client, server, other, item("theirs-only"))
    assert [e.key for e in server.store.ledger(dev.device_id)] == ["shared-key"]
    assert [e.key for e in server.store.ledger(other.device_id)] == ["shared-key", "theirs-only"]
    assert {j.device_id for j in server.store.outgoing_jobs(other.device_id)} == {other.device_id}


async def test_a_claim_left_by_a_dead_request_is_taken_over_once_stale(server, client, dev):
    it = item("orphan")
    claim = server.store.claim_outbox_key(dev.device_id, "orphan", outbox.request_hash(it), 600)
    (busy,) = await send(client, server, dev, it)
    assert busy["status"] == 409
    real_clock = server.store.clock
    server.store.clock = lambda: real_clock() + server.outbox.claim_stale_s + 1
    (taken,) = await send(client, server, dev, it)
    assert taken["status"] == 201
    assert taken["job_id"] == claim.entry.job_id


async def test_batch_level_refusals(server, client, dev):
    url = server.url + URL
    too_many = encode_body(OutboxBatch([item(f"k{n}", doc=b"x") for n in range(501)]))
    async with client.post(url, data=too_many, headers=dev.headers) as r:
        assert r.status == 400
        body = await r.json()
    assert body["error"] == "too_many_items"
    assert "at most 500 items, not 501" in body["message"]
    async with client.post(url, data=b'{"items": [{"key": 1}]}', headers=dev.headers) as r:
        assert r.status == 400
        assert (await r.json())["error"] == "malformed"
    async with client.post(
        url, data=io.BytesIO(b"x" * (49 * 1024 * 1024)), headers=dev.headers
    ) as r:
        assert r.status == 413
        assert (await r.json())["error"] == "too_large"
    async with client.post(url, data=b'{"items": []}') as r:
        assert r.status == 401
    bad = {"Authorization": f"Bearer {dev.device_id}.wrong-secret"}
    async with client.post(url, data=b'{"items": []}', headers=bad) as r:
        assert r.status == 401
    assert server.store.ledger(dev.device_id) == []
    assert server.store.outgoing_jobs() == []


async def test_the_ledger_is_purged_after_its_retention(tmp_path, client):
    retention = 60.0
    server = await start_server(
        tmp_path / "server", ledger_retention_s=retention, purge_interval_s=0.02
    )
    try:
        for user_id, name, pin, role in DEMO_USERS[:1]:
            server.store.add_user(user_id, name, pin, role)
        seed_cache(server.store)
        dev = register(server)
        (old,) = await send(client, server, dev, item("old"))
        server.store.clock = lambda: time.time() + retention / 2
        await send(client, server, dev, item("young"))
        server.store.clock = lambda: time.time() + retention + 1
        await until(
            lambda: [e.key for e in server.store.ledger(dev.device_id)] == ["young"],
            what="the old key purged",
        )
        purged = [t for t in trace_lines(server, "outbox") if t["event"] == "purged"]
        assert purged[0]["entries"] == 1
        (young,) = await send(client, server, dev, item("young"))
        assert young["status"] == 200
        (reused,) = await send(client, server, dev, item("old"))  # forgotten: a new execution
        assert reused["status"] == 201
        assert reused["job_id"] != old["job_id"]
    finally:
        await server.stop()


async def test_a_full_database_is_507_too_and_leaves_nothing_behind(
    server, client, dev, monkeypatch
):
    real_finish = server.store.finish_outbox_item

    def finish(claim, status, message="", job=None):
        if job is not None and claim.entry.key == "a":
            exc = sqlite3.OperationalError("database or disk is full")
            exc.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise exc
        return real_finish(claim, status, message, job)

    monkeypatch.setattr(server.store, "finish_outbox_item", finish)
    results = await send(client, server, dev, item("a"), item("b"))
    assert statuses(results) == [507, 409]
    assert server.store.ledger(dev.device_id) == []
    assert list(server.outbox.docs.root.iterdir()) == []
    monkeypatch.setattr(server.store, "finish_outbox_item", real_finish)
    assert statuses(await send(client, server, dev, item("a"), item("b"))) == [201, 201]


async def test_the_same_key_twice_in_one_batch_executes_once(server, client, dev):
    results = await send(client, server, dev, item("twice"), item("twice"))
    assert statuses(results) == [201, 200]
    assert results[0]["job_id"] == results[1]["job_id"]
    assert [e.executions for e in server.store.ledger(dev.device_id)] == [1]
