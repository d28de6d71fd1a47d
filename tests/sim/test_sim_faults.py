"""The named faults (panel.sim.faults) as a device notices them, on real sockets: the same
presets the QA dock, the benchmarks and the failover tests use."""

from __future__ import annotations

import asyncio

import pytest
from support.sim import EchoServer, connected, read_all, read_exactly

from panel.sim import Fault, Network, fault_toxics, faults_on, restore, set_fault, set_toxic_fault


async def test_a_blackhole_lets_nothing_through_either_way_and_holds_the_connection(
    network: Network, echo: EchoServer
) -> None:
    await set_fault(network, Fault.BLACKHOLE)
    async with connected(network.port) as (reader, writer):
        writer.write(b"hello?")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.read(100), 0.3)
        assert network.stats.connections_open == 1  # held: no refusal, no reset
        assert echo.received == b""
    assert {(t.type, t.stream) for t in network.toxics} == {
        ("timeout", "upstream"),
        ("timeout", "downstream"),
    }


async def test_reset_resets_the_connection_when_the_device_sends(network: Network) -> None:
    await set_fault(network, Fault.RESET)
    async with connected(network.port) as (reader, writer):
        writer.write(b"hello")
        with pytest.raises(ConnectionResetError):
            await asyncio.wait_for(reader.read(100), 10)


async def test_down_refuses_and_restore_brings_everything_back(
    network: Network, echo: EchoServer
) -> None:
    await set_fault(network, Fault.DOWN)
    await set_fault(network, Fault.LATENCY, 50)
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", network.port)
    assert faults_on(network) == {Fault.DOWN: 1, Fault.LATENCY: 50}
    await restore(network)
    assert faults_on(network) == {}
    async with connected(network.port) as (reader, writer):
        writer.write(b"back")
        assert await read_exactly(reader, 4) == b"back"


async def test_setting_a_fault_again_replaces_it_and_zero_lifts_it(network: Network) -> None:
    set_toxic_fault(network, Fault.LATENCY, 200)
    set_toxic_fault(network, Fault.LATENCY, 500)
    set_toxic_fault(network, Fault.BANDWIDTH, 100)
    assert [(t.type, dict(t.attributes)) for t in network.toxics] == [
        ("latency", {"latency": 500, "jitter": 50}),
        ("bandwidth", {"rate": 100}),
    ]
    assert faults_on(network) == {Fault.LATENCY: 500, Fault.BANDWIDTH: 100}
    set_toxic_fault(network, Fault.LATENCY, 0)
    await set_fault(network, Fault.BANDWIDTH, 0)
    assert network.toxics == []
    async with connected(network.port) as (reader, writer):
        writer.write_eof()
        assert await read_all(reader) == b""


def test_down_is_not_a_toxic_and_values_are_never_negative() -> None:
    assert fault_toxics(Fault.DOWN) == ()
    with pytest.raises(ValueError, match="0 \\(off\\) or more"):
        fault_toxics(Fault.LATENCY, -1)


async def test_down_cannot_be_set_as_a_toxic(network: Network) -> None:
    with pytest.raises(ValueError, match="enabled flag"):
        set_toxic_fault(network, Fault.DOWN)
