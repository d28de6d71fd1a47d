"""HTTP and WebSocket traffic of aiohttp through a simulated network: the project's real server
for REST, a small aiohttp app for a WebSocket."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from panel.server.app import RunningServer
from panel.sim import Network, Toxic


@pytest.fixture
async def lan(server: RunningServer) -> AsyncIterator[Network]:
    network = Network("Wired LAN", ("127.0.0.1", server.port))
    await network.start()
    yield network
    await network.stop()  # before the server fixture checks for leftovers


@pytest.fixture
async def ws_echo_port() -> AsyncIterator[int]:
    async def ws_echo(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for msg in ws:
            await ws.send_str(msg.data)
        return ws

    app = web.Application()
    app.router.add_get("/ws", ws_echo)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    sock = socket.create_server(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    yield sock.getsockname()[1]
    await runner.cleanup()


async def test_rest_requests_to_the_real_server_pass_through_unchanged(
    server: RunningServer, lan: Network
) -> None:
    lan.add_toxic(Toxic("latency", {"latency": 5, "jitter": 5}))
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{server.url}/api/openapi.json") as reply:
            direct = await reply.read()
        for _ in range(3):  # on one kept-alive connection
            async with session.get(lan.url_for("/api/openapi.json")) as reply:
                assert reply.status == 200
                assert await reply.read() == direct
        async with session.get(lan.url_for("/api/v1/health")) as reply:
            assert reply.status == 200
            assert (await reply.json())["status"] == "ok"
        async with session.post(lan.url_for("/api/v1/jobs"), json={"user_id": "1001"}) as reply:
            assert reply.status == 401  # the server's own refusal, passed through
            assert (await reply.json())["error"] == "unauthorized"
    assert lan.stats.connections_total == 1
    assert lan.stats.bytes_down > len(direct) * 3


async def test_a_websocket_passes_through_and_is_cut_when_the_network_goes_down(
    ws_echo_port: int,
) -> None:
    network = Network("LTE", ("127.0.0.1", ws_echo_port))
    await network.start()
    network.add_toxic(Toxic("latency", {"latency": 10, "jitter": 5}, stream="upstream"))
    network.add_toxic(Toxic("slicer", {"average_size": 7, "size_variation": 3}))
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(network.url_for("/ws")) as ws,
        ):
            for i in range(50):
                await ws.send_str(f"frame {i} " + "x" * i)
                reply = await ws.receive(timeout=10)
                assert reply.type is aiohttp.WSMsgType.TEXT
                assert reply.data == f"frame {i} " + "x" * i
            await network.set_enabled(False)
            reply = await ws.receive(timeout=10)
            assert reply.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    finally:
        await network.stop()
