"""Hostile bytes on the device's sockets: a peer that sends an oversized frame gets the socket
closed with 1009 before the frame is read into memory; the device does not hold it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from panel.device.clock import ManualClock
from panel.device.connection import ServerLink
from panel.device.events import EventBus
from panel.device.networks import API
from panel.protocol.codec import MAX_FRAME_BYTES
from panel.trace import Trace


@pytest.fixture
async def hostile_server() -> AsyncIterator[str]:
    """A "server" whose every WebSocket sends one frame far over the protocol's limit."""

    async def flood(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str("x" * (16 * MAX_FRAME_BYTES))
        await ws.receive()  # the device's close
        return ws

    app = web.Application()
    app.router.add_get(f"{API}/maintenance/call", flood)
    app.router.add_get(f"{API}/push", flood)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.mark.parametrize("path", ["/maintenance/call", "/push"])
async def test_an_oversized_frame_closes_the_socket_with_1009(hostile_server: str, path: str):
    link = ServerLink(EventBus(), Trace(None), hostile_server, "dev-1", "s", clock=ManualClock())
    try:
        socket = await link.open_socket(path, heartbeat_s=30)
        msg = await socket.receive()
        assert msg.type is aiohttp.WSMsgType.ERROR
        assert socket.close_code == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
        await socket.close()
    finally:
        await link.close()
