"""Operators and the cap on unauthenticated requests (issue 12, finding 4): a request whose
operator is known (by the `opt_` bearer token or the console's cookie) leaves the cap at once,
and is served even while the cap is full of unauthenticated ones; an operator's password is
checked in the server's PIN-check threads, not in the shared pool."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from support import until

from panel.server.app import RunningServer, start_server
from panel.server.relay import accounts

API = "/api/v1"
OPERATOR, PASSWORD = "op-1", "correct horse"
AT_ONCE = 70  # more than the default cap (64), with a cap of 2 full of unauthenticated ones


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    """A server that lets 2 requests at once wait before authentication, and an operator."""
    srv = await start_server(tmp_path / "gate", preauth_limit=2)
    srv.store.add_operator(OPERATOR, "Olivia Park", PASSWORD)
    yield srv
    await srv.stop()


async def log_in(server: RunningServer, session: aiohttp.ClientSession) -> str:
    """Log the operator in; returns the token (the bearer token, and the cookie's value)."""
    login = {"operator_id": OPERATOR, "password": PASSWORD}
    async with session.post(f"{server.url}{API}/operator/login", json=login) as r:
        assert r.status == 200, await r.text()
        token: str = (await r.json())["token"]
    return token


async def hold_places(server: RunningServer, request_line: str, headers: str = "") -> list:
    """Requests whose bodies never finish, one for each place of the cap (2)."""
    held = []
    for _ in range(2):
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(
            f"{request_line} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{headers}"
            'Content-Length: 60\r\n\r\n{"'.encode()
        )
        await writer.drain()
        held.append((reader, writer))
    return held


async def release(held: list) -> None:
    for _, writer in held:
        writer.close()
        await writer.wait_closed()


async def test_operators_are_served_while_the_cap_is_full(server: RunningServer) -> None:
    async with aiohttp.ClientSession() as session:
        token = await log_in(server, session)
        held = await hold_places(server, f"POST {API}/operator/login")  # not known yet
        try:
            await until(lambda: server.gate.waiting == 2, what="the cap full")
            bearer = {"Authorization": f"Bearer {token}"}
            cookie = {"Cookie": f"{accounts.COOKIE}={token}"}  # as the console's browser sends it

            async def change(n: int) -> int:
                """Half by token, half by cookie; each reads a body."""
                body = {"presence": "busy" if n % 2 else "away"}
                headers = bearer if n % 2 else cookie
                url = f"{server.url}{API}/operator/presence"
                async with session.put(url, json=body, headers=headers) as r:
                    return r.status

            statuses = await asyncio.gather(*(change(n) for n in range(AT_ONCE)))
            async with session.get(f"{server.url}{API}/health") as r:
                assert r.status == 503  # the unauthenticated are still refused
        finally:
            await release(held)
    assert statuses == [200] * AT_ONCE
    assert server.gate.refused == 1


async def test_an_operator_known_holds_no_place_while_its_body_comes(
    server: RunningServer,
) -> None:
    async with aiohttp.ClientSession() as session:
        token = await log_in(server, session)
        held = await hold_places(
            server, f"PUT {API}/operator/presence", f"Authorization: Bearer {token}\r\n"
        )
        try:
            await until(lambda: server.gate.waiting == 0, what="both places given back")
            async with session.get(f"{server.url}{API}/health") as r:
                assert r.status == 200  # the two slow operators hold no place
        finally:
            await release(held)


async def test_an_operator_password_is_checked_in_the_pin_check_threads(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked_in: list[str] = []
    matches = accounts.pin_matches

    def recorded(secret: str, stored: str | None) -> bool:
        checked_in.append(threading.current_thread().name)
        return matches(secret, stored)

    monkeypatch.setattr(accounts, "pin_matches", recorded)
    async with aiohttp.ClientSession() as session:
        await log_in(server, session)
    assert len(checked_in) == 1
    assert checked_in[0].startswith("pin-check")
