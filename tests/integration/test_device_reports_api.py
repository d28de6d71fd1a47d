"""Device reports (issue 14) over real sockets: a batch of status and usage reports is stored
once per (device, stream, seq) whatever is sent again; the latest status, the faults raised and
cleared and the usage totals appear in GET /devices/{id}/status; bad bodies are 400 naming
what is wrong, and store nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from support.device_reports import (
    ADMIN,
    API,
    JAM,
    TONER_LOW,
    device_headers,
    get_status,
    post_reports,
    report,
    status_body,
    usage_body,
)

from panel.protocol.device_reports import MAX_REPORTS
from panel.server.app import RunningServer


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_a_jam_and_its_clearing_show_in_the_status_and_fault_history(
    server: RunningServer, client: aiohttp.ClientSession
) -> None:
    device_id, headers = device_headers(server)
    status, info = await get_status(client, server, device_id)
    assert status == 200
    assert info["status"] is None
    assert info["faults"] == []

    batch = [
        report(1, status_body("processing", total=3)),
        report(2, status_body("stopped", [JAM], total=3), at=2000.0),
    ]
    status, reply = await post_reports(client, server, headers, batch)
    assert (status, reply) == (200, {"stored": 2, "duplicates": 0, "last_seq": 2})

    status, info = await get_status(client, server, device_id)
    assert status == 200
    assert info["device_name"] == "Reporting MFP"
    assert info["status"]["state"] == "stopped"
    assert [r["code"] for r in info["status"]["reasons"]] == ["J-0101"]
    assert info["status"]["reasons"][0]["message"] == "Paper jam at the tray 1 feed."
    assert info["status"]["toner"][1] == {"colour": "cyan", "pct": 9}
    assert info["status"]["trays"][0]["level"] == 250
    assert info["at"] == 2000.0
    assert info["faults"] == [
        {
            **{k: JAM[k] for k in ("code", "keyword", "severity", "location", "message")},
            "raised_at": 2000.0,
            "cleared_at": None,
        }
    ]

    status, _ = await post_reports(
        client, server, headers, [report(3, status_body("idle", total=4), at=2100.0)]
    )
    assert status == 200
    _, info = await get_status(client, server, device_id)
    assert info["status"]["state"] == "idle"
    assert info["status"]["counters"]["total"] == 4
    assert [(f["code"], f["raised_at"], f["cleared_at"]) for f in info["faults"]] == [
        ("J-0101", 2000.0, 2100.0)
    ]


async def test_a_batch_sent_again_is_accepted_and_stored_once(
    server: RunningServer, client: aiohttp.ClientSession
) -> None:
    device_id, headers = device_headers(server)
    batch = [
        report(1, status_body("stopped", [JAM])),
        report(2, usage_body("copy-1")),
        report(3, status_body("idle")),
    ]
    first = await post_reports(client, server, headers, batch)
    again = await post_reports(client, server, headers, batch)
    assert first == (200, {"stored": 3, "duplicates": 0, "last_seq": 3})
    assert again == (200, {"stored": 0, "duplicates": 3, "last_seq": 3})
    # overlapping: the two already there and one new
    more = await post_reports(client, server, headers, [*batch[1:], report(4, usage_body("c-2"))])
    assert more == (200, {"stored": 1, "duplicates": 2, "last_seq": 4})
    assert server.store.device_reports_count(device_id) == 4
    _, info = await get_status(client, server, device_id)
    assert len(info["faults"]) == 1  # raised once, cleared once: not again on the resend
    assert info["faults"][0]["cleared_at"] is not None
    assert info["usage"] == {
        "jobs": 2,
        "impressions": 12,
        "sheets": 6,
        "colour_jobs": 0,
        "duplex_jobs": 2,
    }


async def test_gaps_are_fine_and_a_late_older_status_does_not_replace_a_newer_one(
    server: RunningServer, client: aiohttp.ClientSession
) -> None:
    device_id, headers = device_headers(server)
    assert (await post_reports(client, server, headers, [report(7, status_body("idle"))]))[0] == 200
    late = await post_reports(client, server, headers, [report(5, status_body("stopped", [JAM]))])
    assert late == (200, {"stored": 1, "duplicates": 0, "last_seq": 7})
    _, info = await get_status(client, server, device_id)
    assert info["status"]["state"] == "idle"
    assert info["faults"] == []  # the older snapshot's jam is not raised after the fact
    # a queue made afresh (another stream) starts its numbers again: not a resend
    fresh = await post_reports(
        client, server, headers, [report(1, status_body("idle", [TONER_LOW]))], stream="stream-2"
    )
    assert fresh == (200, {"stored": 1, "duplicates": 0, "last_seq": 1})
    _, info = await get_status(client, server, device_id)
    assert [r["code"] for r in info["status"]["reasons"]] == ["T-0201"]


def _with(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """`body` with the field at dotted `path` (list items by index) set to `value`."""
    import copy

    out = copy.deepcopy(body)
    *parents, last = path.split(".")
    node: Any = out
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is ...:
        del node[last]
    else:
        node[last] = value
    return out


GOOD = {"stream": "s", "reports": [report(1, status_body("stopped", [JAM]))]}


@pytest.mark.parametrize(
    ("body", "code", "says"),
    [
        (_with(GOOD, "reports.0.body.state", "on-fire"), "malformed", "state is one of idle"),
        (_with(GOOD, "reports.0.kind", "usage"), "bad_report", "of kind 'usage' but its body"),
        (_with(GOOD, "reports.0.body.counters", ...), "malformed", "counters is missing"),
        (
            _with(GOOD, "reports.0.body.reasons.0.severity", "fatal"),
            "malformed",
            "severity is one of report, warning, error",
        ),
        (_with(GOOD, "reports.0.body.toner", [{"colour": "k", "pct": 101}]), "malformed", "pct"),
        (_with(GOOD, "reports.0.body.reasons.0.code", "J\x00"), "malformed", "without NUL"),
        (_with(GOOD, "reports.0.seq", 0), "bad_report", "seq is 1 to"),
        (_with(GOOD, "reports.0.kind", "coffee"), "bad_report", "kind is one of status, usage"),
        (_with(GOOD, "reports", []), "too_many_reports", "holds 1 to 100 items"),
        (
            _with(GOOD, "reports", [report(i + 1, usage_body(f"c{i}")) for i in range(101)]),
            "too_many_reports",
            f"holds 1 to {MAX_REPORTS} items",
        ),
        (_with(GOOD, "stream", ...), "malformed", "stream is missing"),
    ],
    ids=[
        "state",
        "kind-body",
        "no-counters",
        "severity",
        "toner-pct",
        "nul",
        "seq-0",
        "kind",
        "empty",
        "too-many",
        "no-stream",
    ],
)
async def test_bad_report_bodies_are_refused_naming_the_field_and_store_nothing(
    server: RunningServer,
    client: aiohttp.ClientSession,
    body: dict[str, Any],
    code: str,
    says: str,
) -> None:
    device_id, headers = device_headers(server)
    url = f"{server.url}{API}/devices/me/reports"
    async with client.post(url, json=body, headers=headers) as r:
        assert r.status == 400
        refusal = await r.json()
    assert refusal["error"] == code
    assert says in refusal["message"]
    assert server.store.device_reports_count(device_id) == 0
    _, info = await get_status(client, server, device_id)
    assert info["status"] is None


async def test_the_status_is_for_operators_and_administrators_and_reports_for_devices(
    server: RunningServer, client: aiohttp.ClientSession
) -> None:
    device_id, headers = device_headers(server)
    status, refusal = await get_status(client, server, device_id, headers={})
    assert (status, refusal["error"]) == (401, "unauthorized")
    status, refusal = await get_status(client, server, device_id, headers=headers)
    assert (status, refusal["error"]) == (403, "forbidden")
    status, refusal = await get_status(client, server, "dev-nobody")
    assert (status, refusal["error"]) == (404, "unknown_device")

    server.store.add_operator("op1", "Olivia Park", "correct horse")
    login = {"operator_id": "op1", "password": "correct horse"}
    async with client.post(f"{server.url}{API}/operator/login", json=login) as r:
        token = (await r.json())["token"]
    status, info = await get_status(client, server, device_id, {"Authorization": f"Bearer {token}"})
    assert (status, info["device_id"]) == (200, device_id)

    url = f"{server.url}{API}/devices/me/reports"
    async with client.post(url, json=GOOD) as r:
        assert r.status == 401
    async with client.post(url, json=GOOD, headers=ADMIN) as r:
        assert r.status == 403


async def test_which_reports_arrived_is_forgotten_with_the_ledger_and_nothing_counts_twice(
    server: RunningServer, client: aiohttp.ClientSession
) -> None:
    device_id, headers = device_headers(server)
    batch = [report(1, status_body("stopped", [JAM])), report(2, usage_body("copy-1"))]
    assert (await post_reports(client, server, headers, batch))[0] == 200
    now = server.store.clock()
    server.store.clock = lambda: now + 7 * 24 * 3600 + 1
    assert server.store.purge_ledger(7 * 24 * 3600, 600) == 2
    assert server.store.device_reports_count(device_id) == 0
    # a reply lost for a week: the resend is taken as new, and still changes nothing
    status, reply = await post_reports(client, server, headers, batch)
    assert (status, reply["stored"]) == (200, 2)
    _, info = await get_status(client, server, device_id)
    assert info["usage"]["jobs"] == 1
    assert [(f["code"], f["cleared_at"]) for f in info["faults"]] == [("J-0101", None)]
