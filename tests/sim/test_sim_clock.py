"""Toxics act in the time of the network's clock: with a ManualClock, a 5 s latency or a 30 s
timeout is advanced, not waited for (the sockets stay real)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from support import until
from support.sim import EchoServer, connected, read_all, read_exactly

from panel.device.clock import ManualClock
from panel.sim import Network, Toxic


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def manual_network(echo: EchoServer, clock: ManualClock) -> AsyncIterator[Network]:
    net = Network("Wired LAN", ("127.0.0.1", echo.port), clock=clock)
    await net.start()
    yield net
    await net.stop()


async def test_a_latency_holds_the_reply_until_the_clock_reaches_it(
    manual_network: Network, clock: ManualClock
) -> None:
    manual_network.add_toxic(Toxic("latency", {"latency": 5000}))
    async with connected(manual_network.port) as (reader, writer):
        writer.write(b"ping")
        await until(lambda: clock.pending == 1, what="the echo waiting in the latency toxic")
        reply = asyncio.ensure_future(read_exactly(reader, 4))
        await clock.run_for(4.9)
        assert clock.pending == 1
        assert not reply.done()
        await clock.run_for(0.1)
        assert await reply == b"ping"
        assert clock.pending == 0


async def test_a_timeout_closes_the_connection_after_its_time_on_the_clock(
    manual_network: Network, echo: EchoServer, clock: ManualClock
) -> None:
    manual_network.add_toxic(Toxic("timeout", {"timeout": 30_000}, "upstream"))
    async with connected(manual_network.port) as (reader, writer):
        writer.write(b"hello?")
        await until(lambda: clock.pending == 1, what="the timeout's timer")
        await clock.run_for(29.9)
        assert manual_network.stats.connections_open == 1
        await clock.run_for(0.1)
        assert await read_all(reader) == b""
    assert echo.received == b""


async def test_stopping_a_network_cancels_its_timers_and_tasks(
    manual_network: Network, clock: ManualClock
) -> None:
    manual_network.add_toxic(Toxic("latency", {"latency": 60_000}))
    async with connected(manual_network.port) as (reader, writer):
        writer.write(b"ping")
        await until(lambda: clock.pending == 1, what="the echo waiting in the latency toxic")
        await manual_network.stop()
        assert await read_all(reader) == b""
    assert clock.pending == 0
