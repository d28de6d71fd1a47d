"""The OpenAPI document served over a real socket: every parameter an operation reads is in it,
and it stays valid OpenAPI 3.0 where 3.0 is stricter than JSON Schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest


@pytest.fixture
async def document(server) -> dict[str, Any]:
    async with aiohttp.ClientSession() as client, client.get(f"{server.url}/api/openapi.json") as r:
        assert r.status == 200
        return await r.json()


def test_list_jobs_documents_its_query_parameters(document):
    op = document["paths"]["/api/v1/jobs"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert set(params) == {"user_id", "state"}
    for p in params.values():
        assert p["in"] == "query"
        assert p["required"] is False
        assert p["description"]
    assert params["user_id"]["schema"] == {"type": "string"}
    assert set(params["state"]["schema"]["enum"]) == {
        "held",
        "notified",
        "fetched",
        "printing",
        "completed",
        "failed",
        "cancelled",
    }


def test_path_parameters_are_still_there(document):
    (param,) = document["paths"]["/api/v1/jobs/{job_id}"]["get"]["parameters"]
    assert (param["name"], param["in"], param["required"]) == ("job_id", "path", True)


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_no_ref_has_siblings(document):
    """OpenAPI 3.0 ignores every key beside a $ref (a nullable there would be lost)."""
    refs = [o for o in _objects(document) if "$ref" in o]
    assert refs
    assert [o for o in refs if set(o) != {"$ref"}] == []
    schemas = document["components"]["schemas"]
    for o in refs:
        assert o["$ref"].removeprefix("#/components/schemas/") in schemas


# ---- issue 12: the document declares what the server enforces --------------------------------


def test_bounds_the_server_enforces_are_declared(document):
    schemas = document["components"]["schemas"]
    name = schemas["RegisterRequest"]["properties"]["name"]
    assert (name["minLength"], name["maxLength"]) == (1, 64)
    assert schemas["JobCreate"]["properties"]["document_b64"]["minLength"] == 1
    copies = schemas["JobCreate"]["properties"]["copies"]
    assert (copies["minimum"], copies["maximum"]) == (1, 999)
    for card in ("CardAssignment", "CardLoginRequest"):
        card_id = schemas[card]["properties"]["card_id"]
        assert (card_id["minLength"], card_id["maxLength"]) == (1, 64)
    assert schemas["Hello"]["properties"]["last_seq"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": 2**63 - 1,
    }
    assert schemas["JobStatusReport"]["properties"]["state"]["enum"] == [
        "printing",
        "completed",
        "failed",
        "cancelled",
    ]
    assert schemas["OutboxBatch"]["properties"]["items"]["maxItems"] == 500
    assert schemas["HeartbeatRequest"]["properties"]["interval_s"]["maximum"] == 3600.0


def test_every_integer_is_bounded(document):
    integers = [o for o in _objects(document) if o.get("type") == "integer"]
    assert integers
    assert [o for o in integers if "minimum" not in o or "maximum" not in o] == []


def test_each_operation_lists_the_refusals_it_can_give(document):
    ops = document["paths"]
    assert set(ops["/api/v1/devices"]["post"]["responses"]) == {
        "201",
        "400",
        "401",
        "403",
        "413",
        "415",
        "429",
        "5XX",
    }
    assert set(ops["/api/v1/health"]["get"]["responses"]) == {"200", "5XX"}
    assert {"400", "401", "403", "404"} <= set(ops["/api/v1/jobs/{job_id}"]["get"]["responses"])
    assert {"400", "401", "429"} <= set(ops["/api/v1/operator/login"]["post"]["responses"])
    for path in ops.values():
        for op in path.values():
            assert "4XX" not in op["responses"]  # each refusal is named, none only by range


def test_the_decoders_limits_match_the_servers_own_checks():
    """Where a server module still checks a bound itself, it is the protocol's bound."""
    from panel.protocol import messages, power
    from panel.protocol.maintenance import PRESENCES
    from panel.server import dispatch, outbox, sessions, user_data
    from panel.server.relay.assignment import Presence
    from panel.server.store import DEVICE_STATES, JOB_STATES

    assert set(messages.JOB_STATES) == JOB_STATES
    assert set(messages.DEVICE_REPORT_STATES) == DEVICE_STATES
    assert messages.MAX_COPIES == dispatch.MAX_COPIES
    assert messages.MAX_USER_ID == dispatch.MAX_USER_ID
    assert messages.MAX_OUTBOX_ITEMS == outbox.MAX_BATCH_ITEMS
    assert (power.MIN_INTERVAL_S, power.MAX_INTERVAL_S) == (
        sessions.MIN_INTERVAL_S,
        sessions.MAX_INTERVAL_S,
    )
    assert power.MAX_CARD_ID == user_data.MAX_CARD_ID
    assert set(PRESENCES) == {p.value for p in Presence}
