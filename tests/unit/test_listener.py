"""The server's site leaves no accepted connection open when it stops, even one accepted in the
very loop iteration the server starts stopping in (Python 3.11's asyncio.Server leaked it)."""

from __future__ import annotations

import asyncio
import gc
import socket
from pathlib import Path

import pytest
from aiohttp import web

from panel.listener import OwnedSite


async def hello(_: web.Request) -> web.Response:
    return web.Response(text="hello")


async def serve(sock: socket.socket) -> tuple[web.AppRunner, OwnedSite]:
    app = web.Application()
    app.router.add_get("/", hello)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = OwnedSite(runner, sock)
    await site.start()
    return runner, site


async def peer_closed(client: socket.socket) -> bool:
    client.setblocking(False)
    try:
        async with asyncio.timeout(10):
            return await asyncio.get_running_loop().sock_recv(client, 1) == b""
    except ConnectionResetError:
        return True


@pytest.mark.parametrize("yields", range(5))
async def test_a_connection_accepted_while_the_server_stops_is_closed(yields: int) -> None:
    """Stopping `yields` loop iterations after a client connected: whichever step the accept is
    at (not yet accepted, accepted with aiohttp not told yet, connected), nothing leaks."""
    runner, site = await serve(socket.create_server(("127.0.0.1", 0)))
    port = site.name.rsplit(":", 1)[1]
    with socket.create_connection(("127.0.0.1", int(port))) as client:
        for _ in range(yields):
            await asyncio.sleep(0)  # a step of the loop, not a wait for time
        await runner.cleanup()
        site.abort_connections()
        assert await peer_closed(client)
    gc.collect()  # an unclosed server-side socket would be reported here (warnings are errors)


async def test_it_serves_over_a_unix_socket_and_aborts_what_outlives_the_shutdown(
    tmp_path: Path,
) -> None:
    path = tmp_path / "admin.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen()
    runner, site = await serve(listener)
    reader, writer = await asyncio.open_unix_connection(str(path))
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert (await reader.readuntil(b"\r\n")).startswith(b"HTTP/1.1 200")
    await runner.cleanup()  # the keep-alive connection is closed by aiohttp's shutdown
    assert site.abort_connections() == 0
    assert (await reader.read()).endswith(b"hello")
    writer.close()
    await writer.wait_closed()
