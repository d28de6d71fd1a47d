"""The listen queue is sized for a fleet (issue 12): 128 overflowed when 5,000 devices came back
at once. The kernel reports a listening socket's backlog as its Send-Q (`ss -ltn`)."""

from __future__ import annotations

import asyncio
import shutil
import socket

import pytest
from aiohttp import web

from panel.listener import LISTEN_BACKLOG, OwnedSite


def somaxconn() -> int:
    with open("/proc/sys/net/core/somaxconn") as f:
        return int(f.read())


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2)")
async def test_a_site_listens_with_the_fleet_backlog_as_far_as_the_kernel_allows():
    runner = web.AppRunner(web.Application(), access_log=None)
    await runner.setup()
    sock = socket.create_server(("127.0.0.1", 0))  # Python's default backlog
    site = OwnedSite(runner, sock)
    await site.start()
    try:
        port = sock.getsockname()[1]
        ss = await asyncio.create_subprocess_exec(
            "ss", "-ltnH", f"sport = :{port}", stdout=asyncio.subprocess.PIPE
        )
        out = (await ss.communicate())[0].decode().split()
        assert int(out[2]) == min(LISTEN_BACKLOG, somaxconn())  # State Recv-Q Send-Q ...
    finally:
        await runner.cleanup()
