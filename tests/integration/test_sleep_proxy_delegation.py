"""Delegations over real sockets (S5, issue 5 acceptance 3): the server accepts a proxy's
heartbeat only with a delegation it signed, that names that proxy, has not expired and was not
revoked; every refusal is a clear 4xx with a stable code."""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from panel.server.app import RunningServer
from panel.server.delegation import DelegationClaims, DelegationSigner
from panel.server.sessions import LEASE_FACTOR

API = "/api/v1"


class Dev:
    """A registered device calling the server with its own token."""

    def __init__(self, server: RunningServer, http: aiohttp.ClientSession, name: str) -> None:
        self.id, secret = server.store.register_device(name, "MFP-Emu 1")
        self._url = server.url + API
        self._http = http
        self._auth = {"Authorization": f"Bearer {self.id}.{secret}"}

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        async with self._http.request(
            method, self._url + path, json=body, headers=self._auth
        ) as resp:
            return resp.status, await resp.json()

    async def delegate(self, proxy: Dev) -> dict[str, Any]:
        status, body = await self.call("POST", "/power/delegations", {"proxy_id": proxy.id})
        assert status == 201, body
        return dict(body)

    async def keep(self, token: str, interval_s: float = 120.0) -> tuple[int, Any]:
        return await self.call(
            "POST", "/proxy/heartbeat", {"token": token, "interval_s": interval_s}
        )

    async def session(self) -> dict[str, Any]:
        status, body = await self.call("GET", f"/devices/{self.id}/session")
        assert status == 200, body
        return dict(body)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def frozen(server: RunningServer) -> list[float]:
    """The server's clock, held still; tests move it by changing now[0]."""
    now = [time.time()]
    server.store.clock = lambda: now[0]
    return now


async def test_a_delegation_lets_its_proxy_keep_the_sleepers_session(server, http, frozen):
    sleeper, proxy = Dev(server, http, "Sleeper"), Dev(server, http, "Proxy")
    delegation = await sleeper.delegate(proxy)
    assert (delegation["device_id"], delegation["proxy_id"]) == (sleeper.id, proxy.id)
    assert delegation["expires_at"] == pytest.approx(frozen[0] + server.sessions.delegation_ttl_s)

    status, lease = await proxy.keep(delegation["token"], interval_s=120)
    assert status == 200, lease
    assert lease["device_id"] == sleeper.id
    assert lease["lease_until"] == pytest.approx(frozen[0] + 120 * LEASE_FACTOR)
    session = await sleeper.session()
    assert session["mode"] == "proxied"
    assert session["alive"] is True
    assert (session["proxy_id"], session["delegation_id"]) == (
        proxy.id,
        delegation["delegation_id"],
    )


async def test_a_forged_delegation_is_refused(server, http, frozen):
    sleeper, proxy, other = (Dev(server, http, n) for n in ("Sleeper", "Proxy", "Other"))
    token = (await sleeper.delegate(proxy))["token"]
    version, payload, signature = token.split(".")

    # The proxy edits what the delegation says (another sleeper), keeping the signature.
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["device_id"] = other.id
    edited = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    status, body = await proxy.keep(f"{version}.{edited}.{signature}")
    assert (status, body["error"]) == (403, "delegation_forged")

    # Signed with a key that is not the server's.
    made_up = DelegationSigner(os.urandom(32)).sign(
        DelegationClaims("dlg-mine", sleeper.id, proxy.id, frozen[0], frozen[0] + 3600)
    )
    status, body = await proxy.keep(made_up)
    assert (status, body["error"]) == (403, "delegation_forged")
    assert "did not issue it" in body["message"]

    status, body = await proxy.keep("not a token at all")
    assert (status, body["error"]) == (400, "bad_delegation")
    assert (await other.session())["mode"] == "none"  # nothing was recorded for anyone


async def test_an_expired_delegation_is_refused(server, http, frozen):
    sleeper, proxy = Dev(server, http, "Sleeper"), Dev(server, http, "Proxy")
    token = (await sleeper.delegate(proxy))["token"]
    frozen[0] += server.sessions.delegation_ttl_s + 1  # no heartbeat renewed it meanwhile
    status, body = await proxy.keep(token)
    assert (status, body["error"]) == (403, "delegation_expired")


async def test_a_revoked_delegation_is_refused(server, http, frozen):
    sleeper, proxy = Dev(server, http, "Sleeper"), Dev(server, http, "Proxy")
    delegation = await sleeper.delegate(proxy)
    status, _ = await proxy.keep(delegation["token"])
    assert status == 200
    status, session = await sleeper.call(
        "DELETE", f"/power/delegations/{delegation['delegation_id']}"
    )
    assert status == 200, session
    status, body = await proxy.keep(delegation["token"])
    assert (status, body["error"]) == (403, "delegation_revoked")
    assert "revoked by the device" in body["message"]


async def test_the_sleepers_own_heartbeat_takes_its_session_back(server, http, frozen):
    sleeper, proxy = Dev(server, http, "Sleeper"), Dev(server, http, "Proxy")
    token = (await sleeper.delegate(proxy))["token"]
    assert (await proxy.keep(token))[0] == 200
    status, lease = await sleeper.call(
        "POST", "/power/heartbeat", {"mode": "active", "interval_s": 60}
    )
    assert status == 200, lease
    assert lease["mode"] == "active"
    session = await sleeper.session()
    assert (session["mode"], session["proxy_id"]) == ("active", None)
    status, body = await proxy.keep(token)
    assert (status, body["error"]) == (403, "delegation_revoked")
    assert "taken back" in body["message"]


async def test_a_new_delegation_supersedes_the_old_one(server, http, frozen):
    sleeper, first, second = (Dev(server, http, n) for n in ("Sleeper", "First", "Second"))
    old = (await sleeper.delegate(first))["token"]
    new = (await sleeper.delegate(second))["token"]
    status, body = await first.keep(old)
    assert (status, body["error"]) == (403, "delegation_revoked")
    assert (await second.keep(new))[0] == 200


async def test_a_delegation_works_only_for_the_proxy_it_names(server, http, frozen):
    sleeper, proxy, thief = (Dev(server, http, n) for n in ("Sleeper", "Proxy", "Thief"))
    token = (await sleeper.delegate(proxy))["token"]
    status, body = await thief.keep(token)
    assert (status, body["error"]) == (403, "delegation_not_yours")


async def test_heartbeats_renew_the_delegation_before_it_expires(server, http, frozen):
    sleeper, proxy = Dev(server, http, "Sleeper"), Dev(server, http, "Proxy")
    delegation = await sleeper.delegate(proxy)
    ttl = server.sessions.delegation_ttl_s
    frozen[0] += ttl * 0.4
    status, lease = await proxy.keep(delegation["token"])
    assert lease["expires_at"] == delegation["expires_at"]  # not half-way yet: not renewed
    frozen[0] += ttl * 0.2
    status, lease = await proxy.keep(delegation["token"])
    assert status == 200
    assert lease["expires_at"] == pytest.approx(frozen[0] + ttl)
    assert lease["token"] != delegation["token"]
    frozen[0] += ttl * 0.9  # past the first token's expiry, inside the renewed one's
    status, body = await proxy.keep(delegation["token"])
    assert (status, body["error"]) == (403, "delegation_expired")
    status, _ = await proxy.keep(lease["token"])
    assert status == 200


async def test_a_lease_that_ran_out_counts_as_a_lapse(server, http, frozen):
    device = Dev(server, http, "Forgetful")
    beat = {"mode": "low-power", "interval_s": 300}
    assert (await device.call("POST", "/power/heartbeat", beat))[0] == 200
    frozen[0] += 300 * LEASE_FACTOR - 1
    assert (await device.session())["alive"] is True
    frozen[0] += 2
    session = await device.session()
    assert (session["alive"], session["lapses"]) == (False, 0)
    assert (await device.call("POST", "/power/heartbeat", beat))[0] == 200
    session = await device.session()
    assert (session["alive"], session["lapses"], session["mode"]) == (True, 1, "low-power")


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/power/heartbeat", {"mode": "asleep", "interval_s": 60}, 400, "bad_mode"),
        ("/power/heartbeat", {"mode": "active", "interval_s": 0.01}, 400, "bad_interval"),
        ("/power/heartbeat", {"mode": "active", "interval_s": 86400}, 400, "bad_interval"),
        ("/power/heartbeat", {"mode": "active"}, 400, "malformed"),
        ("/power/delegations", {"proxy_id": "dev-nobody"}, 404, "unknown_device"),
    ],
)
async def test_bad_session_requests_get_clear_errors(server, http, path, body, status, code):
    device = Dev(server, http, "Device")
    got, reply = await device.call("POST", path, body)
    assert (got, reply["error"]) == (status, code)
    assert reply["message"]


async def test_a_device_cannot_keep_its_own_session_or_read_anothers(server, http):
    device, other = Dev(server, http, "Device"), Dev(server, http, "Other")
    status, reply = await device.call("POST", "/power/delegations", {"proxy_id": device.id})
    assert (status, reply["error"]) == (400, "bad_proxy")
    status, reply = await device.call("GET", f"/devices/{other.id}/session")
    assert (status, reply["error"]) == (403, "forbidden")
    status, reply = await device.call("DELETE", "/power/delegations/dlg-nope")
    assert (status, reply["error"]) == (404, "unknown_delegation")
