"""Malformed, wrong-version and unauthenticated messages get a clear refusal over real sockets."""

from __future__ import annotations

import base64
import io
import json

import aiohttp
import pytest

from panel.device.connection import device_token
from panel.protocol import encode_frame
from panel.protocol.messages import Hello


@pytest.fixture
async def client():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def device_auth(server):
    device_id, secret = server.store.register_device("Raw", "m")
    return {"Authorization": f"Bearer {device_token(device_id, secret)}"}


async def test_rest_refuses_malformed_json_with_a_clear_error(server, client, device_auth):
    async with client.post(
        f"{server.url}/api/v1/sessions", data=b"{oops", headers=device_auth
    ) as r:
        assert r.status == 400
        body = await r.json()
    assert body["error"] == "malformed"
    assert "not valid JSON" in body["message"]


async def test_rest_refuses_a_wrong_field_type(server, client, device_auth):
    payload = json.dumps({"user_id": 1001, "pin": "1234"})
    async with client.post(f"{server.url}/api/v1/sessions", data=payload, headers=device_auth) as r:
        assert r.status == 400
        assert (await r.json())["message"] == "LoginRequest.user_id must be str, got int"


async def test_wrong_device_secret_is_refused(server, client):
    device_id, _ = server.store.register_device("Raw", "m")
    headers = {"Authorization": f"Bearer {device_token(device_id, 'not-the-secret')}"}
    async with client.get(f"{server.url}/api/v1/jobs/job-x", headers=headers) as r:
        assert r.status == 401
        assert (await r.json())["error"] == "unauthorized"
    async with client.get(f"{server.url}/api/v1/jobs/job-x") as r:
        assert r.status == 401


async def test_oversized_body_is_refused_and_nothing_is_created(server, client):
    big = io.BytesIO(b"x" * (49 * 1024 * 1024))
    basic = {"Authorization": "Basic " + base64.b64encode(b"9000:9999").decode()}
    async with client.post(f"{server.url}/api/v1/jobs", data=big, headers=basic) as r:
        assert r.status == 413
        assert (await r.json())["error"] == "too_large"
    assert server.store.jobs() == []


async def test_device_cannot_fetch_another_devices_job(server, client, device_auth):
    from support import ALICE, submit

    other, _ = server.store.register_device("Other", "m")
    job = await submit(server, ALICE, device_id=other)
    async with client.get(f"{server.url}/api/v1/jobs/{job.job_id}", headers=device_auth) as r:
        assert r.status == 404


async def test_push_refuses_bad_frames_and_wrong_versions(server, client, device_auth):
    async with client.ws_connect(f"{server.url}/api/v1/push", headers=device_auth) as ws:
        await ws.send_str(encode_frame(Hello(last_seq=0)))
        welcome = json.loads((await ws.receive()).data)
        assert welcome["type"] == "welcome"
        await ws.send_str("{garbage")
        error = json.loads((await ws.receive()).data)
        assert error["type"] == "error"
        assert error["code"] == "malformed"
        await ws.send_str(json.dumps({"v": 99, "type": "ack", "seq": 1}))
        error = json.loads((await ws.receive()).data)
        assert error["code"] == "unsupported_version"
        assert "version 99 is not supported" in error["message"]
        closing = await ws.receive()
        assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert ws.close_code == 4002


async def test_push_requires_hello_first(server, client, device_auth):
    async with client.ws_connect(f"{server.url}/api/v1/push", headers=device_auth) as ws:
        await ws.send_str(json.dumps({"v": 1, "type": "ack", "seq": 1}))
        error = json.loads((await ws.receive()).data)
        assert error["code"] == "expected_hello"


async def test_push_without_credentials_is_refused(server, client):
    with pytest.raises(aiohttp.WSServerHandshakeError) as info:
        await client.ws_connect(f"{server.url}/api/v1/push")
    assert info.value.status == 401


async def test_openapi_document_describes_the_api(server, client):
    async with client.get(f"{server.url}/api/openapi.json") as r:
        doc = await r.json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/sessions", "/api/v1/jobs", "/api/v1/jobs/{job_id}/status"} <= set(doc["paths"])
    login = doc["paths"]["/api/v1/sessions"]["post"]
    assert login["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "LoginRequest"
    )
    assert doc["components"]["schemas"]["LoginRequest"]["required"] == ["user_id", "pin"]
    assert "job.notify" in doc["x-push-frames"]
