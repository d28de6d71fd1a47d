"""The baseline for the server's memory per connection: a bare aiohttp WebSocket server with the
push endpoint's heartbeat, holding sockets open and doing nothing else."""

from __future__ import annotations

import asyncio
import signal
import socket

from aiohttp import web

from panel.listener import OwnedSite, stop_serving

BARE_COMMAND = "--bare-server"
SERVER_HEARTBEAT_S = 10.0  # as the server's push endpoint (panel/server/push.py)
BACKLOG = 4096


async def _socket(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse(heartbeat=SERVER_HEARTBEAT_S)
    await ws.prepare(request)
    async for _ in ws:
        pass
    return ws


async def serve_bare() -> int:
    """Serve on a free loopback port; print `listening URL`; stop on SIGTERM/SIGINT."""
    from panel.fleet.worker import raise_nofile

    raise_nofile()
    app = web.Application()
    app.router.add_get("/ws", _socket)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    sock = socket.create_server(("127.0.0.1", 0), backlog=BACKLOG)
    site = OwnedSite(runner, sock)
    await site.start()
    port = sock.getsockname()[1]
    print(f"listening ws://127.0.0.1:{port}/ws", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await stop_serving(runner, [site])
    return 0
