"""Malformed, wrong-version and unauthenticated messages get a clear refusal over real sockets."""

from __future__ import annotations

import base64
import io
import json

import aiohttp
import pytest

from panel.device.connection import device_token
from panel.protocol import encode_frame
from panel.protocol.messages import ErrorFrame, Hello


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


# ---- issue 12: input that cannot hurt ---------------------------------------------------------
# Each string field a client sends, with a body that is valid except for that field. A lone
# surrogate or a NUL is refused at the decoder with a 400 naming the field: before this, 9 of
# these gave a 500 (SQLite cannot encode a lone surrogate), some of them unauthenticated.

ADMIN_BASIC = {"Authorization": "Basic " + base64.b64encode(b"9000:9999").decode()}
PDF_B64 = base64.b64encode(b"%PDF-1.4 not really").decode()
NOT_TEXT = {"lone surrogate": "a\ud800b", "NUL": "a\x00b"}


def _fax(key: str, **change: object) -> dict[str, object]:
    item: dict[str, object] = {
        "key": key,
        "kind": "fax",
        "user_id": "1001",
        "title": f"Fax {key}",
        "pages": 1,
        "destination": "555 1234",
        "document_b64": PDF_B64,
        "composed_at": 1_700_000_000.0,
    }
    return {**item, **change}


# (path, credentials, valid body, field, where the refusal names it)
STRING_FIELDS = [
    *[
        ("/operator/login", None, {"operator_id": "op", "password": "pw"}, f, f"{f}")
        for f in ("operator_id", "password")
    ],
    *[
        ("/sessions", "device", {"user_id": "1001", "pin": "1234"}, f, f"LoginRequest.{f}")
        for f in ("user_id", "pin")
    ],
    *[
        ("/devices", "admin", {"name": "MFP", "model": "M"}, f, f"RegisterRequest.{f}")
        for f in ("name", "model")
    ],
    *[
        (
            "/jobs",
            "admin",
            {"user_id": "1001", "title": "t", "document_b64": PDF_B64, "device_id": "d"},
            f,
            f"JobCreate.{f}",
        )
        for f in ("user_id", "title", "document_b64", "document_name", "device_id")
    ],
    ("/sessions/logout", "device", {"user_id": "1001"}, "user_id", "LogoutRequest.user_id"),
    ("/sessions/card", "device", {"card_id": "c"}, "card_id", "CardLoginRequest.card_id"),
    *[
        ("/reach", "device", {"process": "push", "network": "LAN"}, f, f"ReachRequest.{f}")
        for f in ("process", "network")
    ],
    *[
        (
            "/outbox",
            "device",
            {"items": [_fax("k1")]},
            f"items.0.{f}",
            f"OutboxBatch.items[0].{f}",
        )
        for f in ("key", "user_id", "title", "destination", "document_b64")
    ],
]


def _with(body: dict[str, object], dotted: str, value: str) -> dict[str, object]:
    """`body` with the field at `dotted` (e.g. "items.0.title") set to `value`."""
    out = json.loads(json.dumps(body))
    node, *rest = dotted.split(".")
    target = out
    for step in rest:
        target = target[node] if isinstance(target, dict) else target[int(node)]
        node = step
    if isinstance(target, list):
        target[int(node)] = value
    else:
        target[node] = value
    return out


@pytest.mark.parametrize("bad", list(NOT_TEXT), ids=list(NOT_TEXT))
@pytest.mark.parametrize(
    ("path", "who", "body", "field", "named"),
    STRING_FIELDS,
    ids=[f"{p} {f}" for p, _, _, f, _ in STRING_FIELDS],
)
async def test_strings_that_are_not_text_are_refused_naming_the_field(
    server, client, device_auth, path, who, body, field, named, bad
):
    headers = {"admin": ADMIN_BASIC, "device": device_auth}.get(who, {})
    raw = json.dumps(_with(body, field, NOT_TEXT[bad]))  # ASCII: "\ud800" and "\u0000" escapes
    assert "\\u" in raw
    async with client.post(
        f"{server.url}/api/v1{path}",
        data=raw,
        headers={**headers, "Content-Type": "application/json"},
    ) as r:
        assert r.status == 400, await r.text()
        refusal = await r.json()
    assert refusal["error"] == "malformed"
    assert named in refusal["message"]
    assert "NUL or lone surrogates" in refusal["message"]


async def test_a_batch_with_one_bad_item_is_refused_whole_and_loses_nothing(
    server, client, device_auth
):
    """The batch is one message: a malformed item makes it malformed, so none of it runs (a
    partly-read batch would execute items out of the device's order). Nothing is lost: the
    device keeps its items until the server answers them, and on a 400 for a batch it sends
    fewer at a time until only the bad item is refused (panel/device/outbox.py `_refused`)."""
    good, bad = _fax("good-1"), _fax("bad-2", title="Scan \ud800")
    async with client.post(
        f"{server.url}/api/v1/outbox", data=json.dumps({"items": [good, bad]}), headers=device_auth
    ) as r:
        assert r.status == 400
        refusal = await r.json()
    assert "OutboxBatch.items[1].title" in refusal["message"]
    assert server.store.outgoing_jobs() == []
    async with client.post(
        f"{server.url}/api/v1/outbox", data=json.dumps({"items": [good]}), headers=device_auth
    ) as r:
        assert r.status == 200
        (result,) = (await r.json())["results"]
    assert (result["key"], result["status"]) == ("good-1", 201)
    assert [j.key for j in server.store.outgoing_jobs()] == ["good-1"]


@pytest.mark.parametrize("last_seq", [2**63, 2**64 + 5, -1])
async def test_a_hello_with_a_sequence_out_of_range_gets_a_protocol_error_not_1011(
    server, client, device_auth, last_seq
):
    async with client.ws_connect(f"{server.url}/api/v1/push", headers=device_auth) as ws:
        await ws.send_str(json.dumps({"v": 1, "type": "hello", "last_seq": last_seq}))
        error = json.loads((await ws.receive()).data)
        assert error["type"] == "error"
        assert error["code"] == "malformed"
        assert "hello.last_seq" in error["message"]
        while not ws.closed:
            await ws.receive()
    assert ws.close_code == 4002  # the protocol's refusal; 1011 was the server failing


async def test_the_largest_sequence_number_is_accepted(server, client, device_auth):
    async with client.ws_connect(f"{server.url}/api/v1/push", headers=device_auth) as ws:
        await ws.send_str(json.dumps({"v": 1, "type": "hello", "last_seq": 2**63 - 1}))
        welcome = json.loads((await ws.receive()).data)
        assert welcome["type"] == "welcome"


@pytest.mark.parametrize("query", ["state=AAA", "state=held&state=AAA", "user_id=a%00b"])
async def test_a_query_parameter_outside_its_document_is_refused(server, client, query):
    async with client.get(f"{server.url}/api/v1/jobs?{query}", headers=ADMIN_BASIC) as r:
        assert r.status == 400
        refusal = await r.json()
    assert refusal["error"] in ("bad_state", "malformed")
    assert query.split("=")[0] in refusal["message"]


async def test_a_known_state_still_lists_jobs(server, client):
    async with client.get(f"{server.url}/api/v1/jobs?state=held", headers=ADMIN_BASIC) as r:
        assert r.status == 200
        assert (await r.json())["jobs"] == []


@pytest.mark.parametrize(
    ("path", "body", "code", "named"),
    [
        ("/devices", {"name": ""}, "bad_name", "RegisterRequest.name"),
        ("/devices", {"name": "x" * 65}, "bad_name", "RegisterRequest.name"),
        (
            "/jobs",
            {"user_id": "1001", "title": "t", "document_b64": ""},
            "empty_document",
            "JobCreate.document_b64",
        ),
        (
            "/jobs",
            {"user_id": "1001", "title": "t", "document_b64": PDF_B64, "copies": 10**20},
            "malformed",
            "JobCreate.copies",
        ),
        ("/users/1001/cards", {"card_id": ""}, "bad_card", "CardAssignment.card_id"),
    ],
)
async def test_bounds_are_refused_by_the_decoder(server, client, path, body, code, named):
    async with client.post(
        f"{server.url}/api/v1{path}", data=json.dumps(body), headers=ADMIN_BASIC
    ) as r:
        assert r.status == 400
        refusal = await r.json()
    assert refusal["error"] == code
    assert named in refusal["message"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
async def test_numbers_that_are_not_finite_are_refused(server, client, device_auth, number):
    raw = '{"mode": "active", "interval_s": ' + number + "}"
    async with client.post(
        f"{server.url}/api/v1/power/heartbeat", data=raw, headers=device_auth
    ) as r:
        assert r.status == 400
        assert (await r.json())["error"] == "malformed"


# ---- the relay's WebSockets: the device's call and the operator's live view -------------------

CALL = "/api/v1/maintenance/call"


def _call_request(**change: object) -> dict[str, object]:
    frame: dict[str, object] = {
        "v": 1,
        "type": "maint.request",
        "reason": "Paper jam",
        "note": "",
        "error_codes": ["J-101"],
        "panel": {"screen": "home", "width": 320, "height": 200},
    }
    return {**frame, **change}


@pytest.mark.parametrize("bad", list(NOT_TEXT), ids=list(NOT_TEXT))
@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"reason": "jam {}"}, "maint.request.reason"),
        ({"note": "{}"}, "maint.request.note"),
        ({"error_codes": ["J-1", "{}"]}, "maint.request.error_codes[1]"),
        ({"panel": {"screen": "{}"}}, "maint.request.panel.screen"),
    ],
    ids=["reason", "note", "error_codes", "panel.screen"],
)
async def test_a_call_request_that_is_not_text_is_refused_naming_the_field(
    server, client, device_auth, change, named, bad
):
    raw = json.dumps(_call_request(**change)).replace("{}", json.dumps(NOT_TEXT[bad])[1:-1])
    async with client.ws_connect(server.url + CALL, headers=device_auth) as ws:
        await ws.send_str(raw)
        error = json.loads((await ws.receive(5)).data)
        assert (error["type"], error["code"]) == ("error", "malformed")
        assert named in error["message"]
        while not ws.closed:
            await ws.receive(5)
    assert ws.close_code == 4002
    assert server.store.maintenance_log() == []


async def test_an_operator_frame_that_is_not_text_is_refused_and_the_session_goes_on(
    server, client, device_auth
):
    from panel.protocol.maintenance import ChatMessage, decode_relay_frame
    from panel.server.relay.client import OperatorClient

    server.store.add_operator("op1", "Ann", "op1-password")
    async with OperatorClient(server.url) as op:
        await op.login("op1", "op1-password")
        await op.set_presence("available")
        async with client.ws_connect(server.url + CALL, headers=device_auth) as device:
            await device.send_str(json.dumps(_call_request()))
            assigned = json.loads((await device.receive(5)).data)
            await op.accept(assigned["call_id"])
            view = await op.view(assigned["call_id"])
            await view.details()
            await view.ws.send_str('{"v": 1, "type": "maint.chat", "text": "hi \\ud800"}')
            error = await view.wait(ErrorFrame)
            assert error.code == "malformed"
            assert "maint.chat.text" in error.message
            await view.chat("still here")
            while True:  # the device gets the good chat, never the bad one
                frame = decode_relay_frame((await device.receive(5)).data)
                if isinstance(frame, ChatMessage):
                    break
            assert frame.text == "still here"
            await view.close()
