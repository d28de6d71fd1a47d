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
