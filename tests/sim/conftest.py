"""Fixtures of the simulated-network tests: a real echo server, a network in front of it.
Every test must end with no task and no socket left (support.cleanup checks it)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.sim import EchoServer

from panel.sim import Network


@pytest.fixture
async def echo() -> AsyncIterator[EchoServer]:
    server = EchoServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def network(echo: EchoServer) -> AsyncIterator[Network]:
    net = Network("Wired LAN", ("127.0.0.1", echo.port))
    await net.start()
    yield net
    await net.stop()
