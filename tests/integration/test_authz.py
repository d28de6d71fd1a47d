"""Who may do what, over real sockets: users act only for themselves, only admins register
devices, a device sees only the jobs given to it, and nothing but /health and the OpenAPI
document answers without credentials."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass

import aiohttp
import pytest
from support import ALICE, ALICE_PIN, BOB, BOB_PIN, submit

from panel.server.api import ROUTES
from panel.server.demo_data import sample_pdf

ADMIN, ADMIN_PIN = "9000", "9999"


@pytest.fixture
async def client():
    async with aiohttp.ClientSession() as session:
        yield session


def basic(user_id: str, pin: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user_id}:{pin}".encode()).decode()}


@dataclass
class World:
    """Two devices, each with a job given to it, and everyone's credentials."""

    headers: dict[str, dict[str, str]]
    jobs: dict[str, str]  # whose device -> job id


@pytest.fixture
async def world(server) -> World:
    headers = {"alice": basic(ALICE, ALICE_PIN), "bob": basic(BOB, BOB_PIN)}
    headers["admin"] = basic(ADMIN, ADMIN_PIN)
    jobs = {}
    for name, user in (("dev_a", ALICE), ("dev_b", BOB)):
        device_id, secret = server.store.register_device(name, "m")
        headers[name] = {"Authorization": f"Bearer {device_id}.{secret}"}
        jobs[name] = (await submit(server, user, f"for {name}", device_id=device_id)).job_id
    await submit(server, ALICE, "Alice's held job")
    return World(headers, jobs)


def new_job(user_id: str) -> str:
    doc = base64.b64encode(sample_pdf(1, "t")).decode()
    return json.dumps({"user_id": user_id, "title": "t", "document_b64": doc})


STATUS = json.dumps({"state": "completed", "pages_done": 1})

# (who, method, path, body, expected status); {a} and {b} are the jobs given to dev_a and dev_b
CASES = [
    ("alice", "POST", "/jobs", new_job(BOB), 403),  # a user submits only for themselves
    ("alice", "POST", "/jobs", new_job(ALICE), 201),
    ("admin", "POST", "/jobs", new_job(BOB), 201),
    ("dev_a", "POST", "/jobs", new_job(ALICE), 403),
    ("alice", "POST", "/devices", json.dumps({"name": "mine"}), 403),  # admins register devices
    ("dev_a", "POST", "/devices", json.dumps({"name": "mine"}), 403),
    ("admin", "POST", "/devices", json.dumps({"name": "new"}), 201),
    ("dev_a", "POST", "/jobs/{b}/status", STATUS, 404),  # a device reports only on its own jobs
    ("dev_a", "GET", "/jobs/{b}", None, 404),  # and fetches only its own
    ("dev_a", "GET", "/jobs/{a}", None, 200),
    ("bob", "GET", "/jobs/{a}", None, 404),  # Alice's job, given to dev_a
    ("alice", "GET", "/jobs/{a}", None, 200),
    ("alice", "POST", "/jobs/{a}/status", STATUS, 403),  # only devices report
    ("alice", "POST", "/sessions", json.dumps({"user_id": ALICE, "pin": ALICE_PIN}), 403),
    ("alice", "GET", "/cache", None, 403),
    ("alice", "GET", "/push", None, 403),
]


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "expected"),
    CASES,
    ids=[f"{c[0]} {c[1]} {c[2]}" for c in CASES],
)
async def test_who_may_do_what(server, client, world, who, method, path, body, expected):
    url = server.url + "/api/v1" + path.format(a=world.jobs["dev_a"], b=world.jobs["dev_b"])
    async with client.request(method, url, data=body, headers=world.headers[who]) as r:
        assert r.status == expected, await r.text()
        if expected >= 400:
            assert (await r.json())["error"] in ("forbidden", "unknown_job")


# query -> whose jobs an admin sees with it (a user sees only their own, whatever the query)
LISTS = {"": {ALICE, BOB}, f"?user_id={BOB}": {BOB}, "?state=notified": {ALICE, BOB}}


@pytest.mark.parametrize(("query", "admin_sees"), LISTS.items())
async def test_a_user_lists_only_their_own_jobs(server, client, world, query, admin_sees):
    async def owners(who: str) -> set[str]:
        async with client.get(f"{server.url}/api/v1/jobs{query}", headers=world.headers[who]) as r:
            assert r.status == 200
            return {j["user_id"] for j in (await r.json())["jobs"]}

    assert await owners("alice") == {ALICE}
    assert await owners("admin") == admin_sees


OPEN = {"/api/v1/health"}


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path}" for r in ROUTES])
async def test_nothing_answers_without_credentials_but_health_and_openapi(server, client, route):
    url = server.url + re.sub(r"\{(\w+)\}", r"\1-x", route.path)
    async with client.request(route.method, url, data=b"{}") as r:
        if route.path in OPEN:
            assert r.status == 200
        else:
            assert r.status == 401, route.path
            assert (await r.json())["error"] == "unauthorized"
    assert (route.path in OPEN) == (route.auth == ())


async def test_the_openapi_document_needs_no_credentials(server, client):
    async with client.get(server.url + "/api/openapi.json") as r:
        assert r.status == 200
        assert (await r.json())["openapi"].startswith("3.")
