"""Fixtures of the integration tests that step time: a device ManualClock and the two simulated
networks in front of the real server, their toxics on that clock (tests/support/networks.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.networks import Nets, start_nets, stop_nets

from panel.device.clock import ManualClock
from panel.server.app import RunningServer


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def nets(server: RunningServer, clock: ManualClock) -> AsyncIterator[Nets]:
    nets = await start_nets(server.port, clock)
    yield nets
    await stop_nets(nets)
