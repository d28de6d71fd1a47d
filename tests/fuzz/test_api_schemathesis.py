"""The API fuzzed against its own OpenAPI document (schemathesis): as an administrator, as a
device and without credentials, every operation gets generated requests over a real socket,
and every answer must be no server error, a status the document lists for that operation, the
content type it declares and a body that matches its schema.

Bounded: `EXAMPLES` requests per operation per run, half of them requests the document allows
and half requests it does not, the same ones every run (derandomized, no example database); the
three runs together take about a minute on this 2-core machine.
The server runs on the test's loop; the fuzzer's blocking HTTP client runs in a worker thread.
"""

from __future__ import annotations

import base64
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import Failure, FailureGroup
from support import ALICE

from panel.device.connection import device_token
from panel.server.app import RunningServer
from panel.threads import in_thread

# Generated requests per operation and run; MFP_FUZZ_EXAMPLES=200 fuzzes longer (by hand).
EXAMPLES = int(os.environ.get("MFP_FUZZ_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ADMIN = ("9000", "9999")  # the demo administrator and PIN


@dataclass
class Run:
    """What one fuzzing run did: requests sent, and each failure as `METHOD path: what`."""

    requests: int = 0
    failures: list[str] = field(default_factory=list)
    operations: int = 0
    statuses: Counter[int] = field(default_factory=Counter)


def _cases(operation: Any) -> Any:
    """Requests the document allows, and requests it does not (which must be refused with a
    status it lists, never a server error)."""
    return operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
        GenerationMode.NEGATIVE
    )


def fuzz(url: str, document: dict[str, Any], headers: dict[str, str]) -> Run:
    """Every operation of `document`, `EXAMPLES` generated requests each, with `headers`."""
    schema = schemathesis.openapi.from_dict(document)
    run = Run()
    with requests.Session() as http:
        for result in schema.get_all_operations():
            operation = result.ok()
            run.operations += 1

            @hypothesis.settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],  # report what broke, unshrunk: faster
                suppress_health_check=list(HealthCheck),
            )
            @given(case=_cases(operation))
            def send(case: Any) -> None:
                run.requests += 1
                try:
                    response = case.call_and_validate(
                        base_url=url, session=http, headers=headers, checks=CHECKS, timeout=30
                    )
                except (Failure, FailureGroup) as exc:
                    what = " ".join(str(exc).split())[:600]
                    op = case.operation
                    run.failures.append(f"{op.method.upper()} {op.path}: {what}")
                else:
                    run.statuses[response.status_code] += 1

            send()
    return run


async def _document(server: RunningServer) -> dict[str, Any]:
    async with (
        aiohttp.ClientSession() as client,
        client.get(f"{server.url}/api/openapi.json") as r,
    ):
        assert r.status == 200
        document: dict[str, Any] = await r.json()
    return document


def _basic(user: str, pin: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{pin}".encode()).decode()}


def _credentials(server: RunningServer, who: str) -> dict[str, str]:
    if who == "admin":
        return _basic(*ADMIN)
    if who == "device":
        device_id, secret = server.store.register_device("Fuzzed", "MFP-Emu 1")
        server.store.set_login(device_id, ALICE)  # so user data and releases get further
        return {"Authorization": f"Bearer {device_token(device_id, secret)}"}
    return {}


@pytest.mark.timeout(150 + EXAMPLES * 10)  # ~35 s as admin (a PIN hash per request), else ~12 s
@pytest.mark.parametrize("who", ["admin", "device", "unauthenticated"])
async def test_the_api_answers_as_its_document_says(
    server: RunningServer, who: str, capsys: pytest.CaptureFixture[str]
) -> None:
    document = await _document(server)
    headers = _credentials(server, who)
    run = await in_thread(fuzz, server.url, document, headers)
    with capsys.disabled():  # CI's log shows the count on success too, not only on a failure
        print(
            f"\nschemathesis as {who}: {run.requests} requests, {run.operations} operations,"
            f" {len(run.failures)} failures; statuses {dict(sorted(run.statuses.items()))}"
        )
        for failure in run.failures:
            print("  ", failure)
    assert run.operations == sum(len(ops) for ops in document["paths"].values())
    assert run.requests >= run.operations
    assert run.failures == []


async def test_the_fuzzer_catches_a_document_that_lies(server: RunningServer) -> None:
    """The harness itself: a document that promises a field /health never sends fails."""
    document = await _document(server)
    document["paths"] = {p: ops for p, ops in document["paths"].items() if p.endswith("/health")}
    health = document["components"]["schemas"]["Health"]
    health["properties"]["uptime_s"] = {"type": "number"}
    health["required"] = [*health["required"], "uptime_s"]
    run = await in_thread(fuzz, server.url, document, {})
    assert run.requests >= 1
    assert run.failures
    assert all("uptime_s" in f for f in run.failures)
