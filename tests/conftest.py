"""Fixtures for the headless layers (core, server, integration): plain asyncio, real sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from support import assert_no_leftover_tasks, device_config, running_server

from panel.device import Device
from panel.server.app import RunningServer


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    srv = await running_server(tmp_path)
    yield srv
    await srv.stop()
    await assert_no_leftover_tasks()


DeviceFactory = Callable[..., Awaitable[Device]]


@pytest.fixture
async def make_device(server: RunningServer, tmp_path: Path) -> AsyncIterator[DeviceFactory]:
    """Build and start real devices against the real server; all are stopped after the test."""
    devices: list[Device] = []

    async def factory(name: str = "Test MFP", **settings: float) -> Device:
        config = device_config(server, tmp_path / f"device-{len(devices)}", name, **settings)
        device = Device(config)
        await device.start()
        devices.append(device)
        return device

    yield factory
    for device in devices:
        await device.stop()  # the server fixture, torn down next, checks for leftovers
