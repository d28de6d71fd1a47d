"""What a server holding a fleet keeps for an idle device: its push socket, and no HTTP
connection beside it (issue 12: memory per connection; ~12 kB each in aiohttp)."""

from __future__ import annotations

import asyncio
import time

import pytest
from support import ALICE, ALICE_PIN
from support.networks import online_over

from panel.device import ConnectionState
from panel.device.networks import IDLE_CONNECTION_S
from panel.server.app import RunningServer


def open_connections(server: RunningServer) -> int:
    """Connections the server's HTTP handler holds (an upgraded push socket is one)."""
    assert server.runner.server is not None
    return len(server.runner.server.connections)


@pytest.mark.realtime  # the point: aiohttp closes idle connections on loop time
async def test_a_device_closes_its_idle_http_connection_and_keeps_its_push_socket(
    server, make_device
):
    device = await make_device()
    await online_over(device)
    assert (await device.login(ALICE, ALICE_PIN)).ok  # a burst of requests beside the socket
    assert open_connections(server) >= 2

    # aiohttp's own default would hold it 15-30 s; the device lets it go within two periods.
    deadline = time.monotonic() + 2 * IDLE_CONNECTION_S + 3.0
    while open_connections(server) > 1:
        assert time.monotonic() < deadline, f"{open_connections(server)} connections still open"
        await asyncio.sleep(0.05)
    assert open_connections(server) == 1
    assert device.connection_state is ConnectionState.ONLINE  # the push socket is left
