"""Fixtures for the headless layers (core, server, integration): plain asyncio, real sockets.

Every test of the suite, headless or GUI, runs under `support.cleanup`'s `verify_cleanup`: it
fails a test that leaves tasks, timer handles, threads or sockets behind, or logs an ERROR it
did not declare with `@pytest.mark.expect_errors(logger=..., match=...)` (or inside
`caplog.at_level(logging.ERROR)`). See tests/support/cleanup.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from support import StartedDevices, running_server

from panel.device import Device
from panel.server.app import RunningServer

pytest_plugins = ["pytester", "support.cleanup"]


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    srv = await running_server(tmp_path)
    yield srv
    await srv.stop()


DeviceFactory = Callable[..., Awaitable[Device]]


@pytest.fixture
async def make_device(server: RunningServer, tmp_path: Path) -> AsyncIterator[DeviceFactory]:
    """Build and start real devices against the real server; all are stopped after the test."""
    started = StartedDevices(server, tmp_path)

    async def factory(name: str = "Test MFP", **settings: float) -> Device:
        return await started.start(started.config(name, **settings))

    yield factory
    await started.stop_all()
