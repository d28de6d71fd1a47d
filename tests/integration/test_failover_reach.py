"""The server's side of first communication information (S2), over a real socket: a token is
this device's, short-lived, and every network it arrives over is recorded; anything else is
refused with a clear code."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import aiohttp
import pytest

from panel.device.connection import device_token
from panel.server.app import RunningServer
from panel.server.demo_data import DEMO_USERS

REACH = "/api/v1/reach"


class Client:
    def __init__(self, server: RunningServer, session: aiohttp.ClientSession) -> None:
        self.server = server
        self.session = session

    def device(self, name: str) -> dict[str, str]:
        device_id, secret = self.server.store.register_device(name, "MFP-Emu 1")
        return {"Authorization": f"Bearer {device_token(device_id, secret)}"}

    async def post(self, path: str, body: object, auth: dict[str, str]) -> tuple[int, dict]:
        async with self.session.post(self.server.url + path, json=body, headers=auth) as r:
            return r.status, await r.json()


@pytest.fixture
async def client(server: RunningServer) -> AsyncIterator[Client]:
    async with aiohttp.ClientSession() as session:
        yield Client(server, session)


async def test_a_token_checked_over_two_networks_is_recorded_with_both(client, server):
    auth = client.device("MFP A")
    status, token = await client.post(REACH, {"process": "login", "network": "LTE"}, auth)
    assert status == 201
    assert token["expires_at"] - token["issued_at"] == pytest.approx(server.reach.ttl_s)
    for network, n in (("Wired LAN", 1), ("LTE", 2)):
        status, confirm = await client.post(
            f"{REACH}/check", {"token": token["token"], "network": network}, auth
        )
        assert status == 200
        assert (confirm["network"], confirm["process"], confirm["checks"]) == (network, "login", n)

    admin, pin = DEMO_USERS[3][0], DEMO_USERS[3][2]  # the demo admin
    basic = {"Authorization": "Basic " + base64.b64encode(f"{admin}:{pin}".encode()).decode()}
    async with client.session.get(server.url + REACH, headers=basic) as reply:
        assert reply.status == 200
        (record,) = (await reply.json())["records"]
    assert record["token"] == token["token"]
    assert record["issued_over"] == "LTE"
    assert [a["network"] for a in record["arrivals"]] == ["Wired LAN", "LTE"]


async def test_a_token_is_refused_when_it_is_another_devices_unknown_or_expired(client, server):
    mine, other = client.device("MFP A"), client.device("MFP B")
    _, token = await client.post(REACH, {"process": "push", "network": "Wired LAN"}, mine)
    check = {"token": token["token"], "network": "Wired LAN"}

    assert await client.post(f"{REACH}/check", check, other) == (
        403,
        {"error": "reach_not_yours", "message": "This reach token was issued to another device."},
    )
    status, err = await client.post(f"{REACH}/check", {**check, "token": "made-up"}, mine)
    assert (status, err["error"]) == (404, "reach_unknown")

    issued_at = token["issued_at"]
    server.reach.clock = lambda: issued_at + server.reach.ttl_s + 1
    status, err = await client.post(f"{REACH}/check", check, mine)
    assert (status, err["error"]) == (410, "reach_expired")
    assert [a.network for a in server.reach.record(token["token"]).arrivals] == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"process": "push", "network": ""}, "bad_network"),
        ({"process": "push", "network": "x" * 101}, "bad_network"),
        ({"process": " ", "network": "LTE"}, "bad_process"),
        ({"process": "push"}, "malformed"),
    ],
)
async def test_a_request_without_a_usable_network_or_process_name_is_refused(client, body, code):
    status, err = await client.post(REACH, body, client.device("MFP A"))
    assert (status, err["error"]) == (400, code)


async def test_only_devices_get_tokens(client, server):
    async with client.session.post(server.url + REACH, json={}) as reply:
        assert reply.status == 401
