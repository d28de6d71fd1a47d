"""PIN guessing over real sockets: wrong PINs are throttled per user and client, and checking
them (slow on purpose) never stalls the rest of the server."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import pytest
from support import ALICE, ALICE_PIN, BOB

from panel.server.api import auth_key
from panel.server.auth import Authenticator

JOBS = "/api/v1/jobs"


@pytest.fixture
async def client():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def other_client():
    """A second client on another loopback address (Linux routes all of 127/8 to lo)."""
    connector = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
    async with aiohttp.ClientSession(connector=connector) as session:
        yield session


def basic(user_id: str, pin: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user_id}:{pin}".encode()).decode()}


async def status_of(client, url: str, headers: dict[str, str]) -> int:
    async with client.get(url, headers=headers) as r:
        await r.read()
        return r.status


async def test_wrong_basic_pins_are_throttled_per_client(server, client, other_client):
    url = server.url + JOBS
    wrong = [await status_of(client, url, basic(ALICE, "0000")) for _ in range(6)]
    assert wrong == [401] * 5 + [429]
    async with client.get(url, headers=basic(ALICE, ALICE_PIN)) as r:
        assert r.status == 429  # this client is locked out for Alice, even with her PIN
        assert (await r.json())["error"] == "too_many_attempts"
    assert await status_of(other_client, url, basic(ALICE, ALICE_PIN)) == 200
    assert await status_of(client, url, basic(BOB, "2345")) == 200  # other users are not locked


async def test_a_device_guessing_a_pin_locks_only_itself_out(server, client):
    def device_headers(name: str) -> dict[str, str]:
        device_id, secret = server.store.register_device(name, "m")
        return {"Authorization": f"Bearer {device_id}.{secret}"}

    guesser, honest = device_headers("Guesser"), device_headers("Honest")
    url = server.url + "/api/v1/sessions"

    async def login(headers: dict[str, str], pin: str) -> int:
        body = json.dumps({"user_id": ALICE, "pin": pin})
        async with client.post(url, data=body, headers=headers) as r:
            await r.read()
            return r.status

    assert [await login(guesser, "0000") for _ in range(6)] == [401] * 5 + [429]
    assert await login(honest, ALICE_PIN) == 200


def probe_health_among_guesses(base_url: str, auth: Authenticator) -> tuple[float, int, list[int]]:
    """From a thread with its own event loop, so that a stalled server loop cannot stall the
    clock too: ten wrong PINs (different IDs: the throttle stops none of them), then, once the
    server is checking them, /health. Returns how long /health took, how many guesses were
    still in flight, their statuses."""

    async def main() -> tuple[float, int, list[int]]:
        async with aiohttp.ClientSession() as session:
            url = base_url + JOBS
            guesses = [
                asyncio.create_task(status_of(session, url, basic(f"guess-{n}", "0000")))
                for n in range(10)
            ]
            deadline = time.monotonic() + 10
            while auth.pin_checks_running == 0:  # until the guesses have reached the server
                assert time.monotonic() < deadline, "the server never started checking PINs"
                await asyncio.sleep(0.001)
            started = time.monotonic()
            assert await status_of(session, base_url + "/api/v1/health", {}) == 200
            took = time.monotonic() - started
            in_flight = sum(not g.done() for g in guesses)
            return took, in_flight, list(await asyncio.gather(*guesses))

    return asyncio.run(main())


@pytest.mark.realtime  # the point: /health's latency in real time while PINs are checked
async def test_health_answers_while_pins_are_being_checked(server):
    with ThreadPoolExecutor(1) as pool:
        took, in_flight, statuses = await asyncio.get_running_loop().run_in_executor(
            pool, probe_health_among_guesses, server.url, server.app[auth_key]
        )
    assert took < 0.2, f"/health took {took * 1000:.0f} ms"
    assert in_flight > 0
    assert statuses == [401] * 10


async def test_an_overlong_user_id_is_refused_and_never_remembered(server, client):
    for n in range(10):
        headers = basic(f"{n}" * 65, "1234")
        assert await status_of(client, server.url + JOBS, headers) == 401
    assert len(server.app[auth_key].throttle) == 0
    assert await status_of(client, server.url + JOBS, basic("9" * 64, "1234")) == 401
    assert len(server.app[auth_key].throttle) == 2  # a possible ID: counted (user, and source)


async def test_a_device_login_refusal_warns_before_the_lock_and_the_lock_says_how_long(
    server, client
):
    """The 4th wrong PIN warns (1 try left, a 5-minute lock); the 5th starts the lock and says
    so; while locked, even the right PIN gets 429 with the seconds to go (and Retry-After)."""
    device_id, secret = server.store.register_device("Panel", "m")
    headers = {"Authorization": f"Bearer {device_id}.{secret}"}
    url = server.url + "/api/v1/sessions"

    async def login(pin: str) -> tuple[int, dict[str, object], str | None]:
        body = json.dumps({"user_id": ALICE, "pin": pin})
        async with client.post(url, data=body, headers=headers) as r:
            return r.status, await r.json(), r.headers.get("Retry-After")

    replies = [await login("0000") for _ in range(3)]
    assert [(s, b["attempts_left"]) for s, b, _ in replies] == [(401, 4), (401, 3), (401, 2)]
    assert {b["message"] for _, b, _ in replies} == {"Wrong user ID or PIN."}

    status, body, _ = await login("0000")
    assert (status, body["error"], body["attempts_left"], body["lock_s"]) == (
        401,
        "invalid_credentials",
        1,
        300,
    )
    assert body["message"] == "Wrong user ID or PIN. 1 attempt left before a 5-minute lock."

    status, body, _ = await login("0000")
    assert (status, body["attempts_left"], body["retry_after_s"]) == (401, 0, 300)
    assert body["message"] == "Wrong user ID or PIN. Too many wrong PINs. Try again in 5 min."

    status, body, retry_after = await login(ALICE_PIN)
    assert (status, body["error"]) == (429, "too_many_attempts")
    assert 0 < body["retry_after_s"] <= 300
    assert retry_after == str(body["retry_after_s"])
    assert body["message"].startswith("Too many wrong PINs. Try again in ")
