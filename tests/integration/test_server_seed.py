"""`mfp-panel server --seed-demo` on a data directory that already holds the demo: restarting
the server adds no jobs and resets no PIN."""

from __future__ import annotations

import base64

import aiohttp
from support import ALICE

from panel.server.app import start_server
from panel.server.demo_data import seed


async def test_seeding_again_changes_nothing(tmp_path):
    data = tmp_path / "server"
    server = await start_server(data)
    try:
        await seed(server.dispatcher)
        jobs = server.store.jobs()
        assert len(jobs) == 3
        server.store.add_user(ALICE, "Alice Martin", "8642")  # she changed her PIN
    finally:
        await server.stop()

    again = await start_server(data)  # the next start, with --seed-demo again
    try:
        await seed(again.dispatcher)
        assert again.store.jobs() == jobs
        assert again.store.check_user(ALICE, "8642") is not None
        assert again.store.check_user(ALICE, "1234") is None
        credentials = base64.b64encode(f"{ALICE}:8642".encode()).decode()
        async with (
            aiohttp.ClientSession() as client,
            client.get(
                f"{again.url}/api/v1/jobs", headers={"Authorization": f"Basic {credentials}"}
            ) as r,
        ):
            assert r.status == 200
            assert len((await r.json())["jobs"]) == 2
    finally:
        await again.stop()


async def test_seeding_fills_in_only_what_is_missing(tmp_path):
    server = await start_server(tmp_path / "server")
    try:
        server.store.add_user(ALICE, "Alice Martin", "8642")
        await seed(server.dispatcher)
        assert server.store.check_user(ALICE, "8642") is not None
        assert server.store.check_user("1002", "2345") is not None  # the other demo users
        assert len(server.store.jobs()) == 3
    finally:
        await server.stop()
