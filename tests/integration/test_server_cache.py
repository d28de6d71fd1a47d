"""The information a device caches for offline work (S1) over real sockets: the snapshot, its
version, and the cache.changed frame pushed to connected devices."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from panel.protocol import decode_frame, encode_frame
from panel.protocol.messages import AppInfo, CacheChanged, Destination, Hello, JobTemplate
from panel.server.api import trace_key
from panel.server.demo_data import (
    DEMO_APPS,
    DEMO_DESTINATIONS,
    DEMO_TEMPLATES,
    DEMO_USERS,
    seed_cache,
)

URL = "/api/v1/cache"


@pytest.fixture
async def client():
    async with aiohttp.ClientSession() as session:
        yield session


def device_headers(server, name: str = "Cache MFP") -> dict[str, str]:
    device_id, secret = server.store.register_device(name, "MFP-Emu 1")
    return {"Authorization": f"Bearer {device_id}.{secret}"}


async def snapshot(client, server, headers) -> dict:
    async with client.get(server.url + URL, headers=headers) as r:
        assert r.status == 200, await r.text()
        text = await r.text()
    assert "scrypt" not in text
    assert "pin" not in text.lower()
    return json.loads(text)


async def test_the_snapshot_holds_the_directory_subset_and_never_a_pin(server, client):
    seed_cache(server.store)
    snap = await snapshot(client, server, device_headers(server))
    assert snap["version"] == server.store.cache_version()
    assert snap["offline_login_allowed"] is True
    assert snap["users"] == [
        {"user_id": u, "name": n, "role": r} for u, n, _, r in sorted(DEMO_USERS)
    ]
    assert {d["dest_id"] for d in snap["destinations"]} == {d.dest_id for d in DEMO_DESTINATIONS}
    assert {
        "dest_id": "accounts-payable",
        "name": "Accounts Payable",
        "kind": "email",
        "address": "ap@example.com",
    } in snap["destinations"]
    assert {t["template_id"] for t in snap["templates"]} == {t.template_id for t in DEMO_TEMPLATES}
    assert {a["app_id"] for a in snap["apps"]} == {a.app_id for a in DEMO_APPS}


async def test_a_client_that_takes_gzip_gets_the_same_snapshot_gzipped(server, client):
    seed_cache(server.store)
    headers = device_headers(server)
    plain = await snapshot(client, server, {**headers, "Accept-Encoding": "identity"})
    async with client.get(server.url + URL, headers=headers) as r:  # aiohttp asks for gzip
        assert r.headers["Content-Encoding"] == "gzip"
        assert int(r.headers["Content-Length"]) < len(json.dumps(plain)) / 2
        assert await r.json() == plain


async def test_the_version_grows_with_every_change(server, client):
    headers = device_headers(server)
    before = (await snapshot(client, server, headers))["version"]
    server.store.add_destination(Destination("d", "Desk", "email", "desk@example.com"))
    server.store.set_offline_login_allowed(False)
    after = await snapshot(client, server, headers)
    assert after["version"] == before + 2
    assert after["offline_login_allowed"] is False
    assert [d["dest_id"] for d in after["destinations"]] == ["d"]
    unchanged = await snapshot(client, server, headers)
    assert unchanged["version"] == after["version"]


async def test_the_snapshot_needs_a_device_or_admin(server, client):
    async with client.get(server.url + URL) as r:
        assert r.status == 401
    bad = {"Authorization": "Bearer dev-nobody.secret"}
    async with client.get(server.url + URL, headers=bad) as r:
        assert r.status == 401


async def next_frame(ws) -> object:
    msg = await asyncio.wait_for(ws.receive(), 5)
    assert msg.type is aiohttp.WSMsgType.TEXT, msg
    return decode_frame(msg.data)


async def test_connected_devices_hear_of_a_change(server, client):
    sockets = []
    for name in ("One", "Two"):
        ws = await client.ws_connect(
            f"{server.url}/api/v1/push", headers=device_headers(server, name)
        )
        await ws.send_str(encode_frame(Hello(last_seq=0)))
        assert type(await next_frame(ws)).__name__ == "Welcome"
        sockets.append(ws)
    try:
        version = server.store.add_app(AppInfo("scan2ocr", "Scan to text", "OCR a page"))
        for ws in sockets:
            assert await next_frame(ws) == CacheChanged(version)
        # a burst of changes in one go is one frame with the last version
        server.store.add_template(JobTemplate("t1", "Scan to PDF", "scan", "PDF, 300 dpi"))
        server.store.add_template(JobTemplate("t2", "Fax", "fax", "fine"))
        last = server.store.remove_app("scan2ocr")
        for ws in sockets:
            assert await next_frame(ws) == CacheChanged(last)
    finally:
        for ws in sockets:
            await ws.close()
    trace = server.app[trace_key]
    trace.flush()  # lines emitted in this loop iteration are written at its end
    lines = trace.path.read_text().splitlines()
    changed = [json.loads(ln) for ln in lines if '"concern":"cache"' in ln]
    assert [c["version"] for c in changed][-4:] == [version, last - 2, last - 1, last]
    sent = [json.loads(ln) for ln in lines if '"event":"cache.changed"' in ln]
    assert [(s["version"], s["devices"]) for s in sent][-2:] == [(version, 2), (last, 2)]


async def test_the_openapi_document_lists_cache_and_outbox(server, client):
    async with client.get(f"{server.url}/api/openapi.json") as r:
        doc = await r.json()
    assert doc["paths"]["/api/v1/cache"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]["$ref"].endswith("CacheSnapshot")
    outbox = doc["paths"]["/api/v1/outbox"]["post"]
    assert outbox["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "OutboxBatch"
    )
    assert outbox["security"] == [{"deviceToken": []}]
    assert {"OutboxItem", "OutboxResult", "Destination", "DirectoryUser"} <= set(
        doc["components"]["schemas"]
    )
    assert "cache.changed" in doc["x-push-frames"]
