"""Each toxic's effect as a device would notice it, on real sockets through a real echo server.

Timings are asserted as lower bounds (a toxic makes things at least this slow); an upper bound
is only asserted where a toxic must NOT act, with a wide margin for a loaded machine.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from support import until
from support.sim import EchoServer, connected, read_all, read_exactly

from panel.sim import NameTaken, Network, Stream, Toxic, ToxicError, UnknownName


def now() -> float:
    return asyncio.get_running_loop().time()


async def round_trip(network: Network, echo: EchoServer, data: bytes = b"ping") -> float:
    """Seconds from sending `data` to its echo, on a new connection."""
    async with connected(network.port) as (reader, writer):
        started = now()
        writer.write(data)
        assert await read_exactly(reader, len(data)) == data
        return now() - started


async def test_latency_delays_every_round_trip_by_at_least_its_value(
    network: Network, echo: EchoServer
) -> None:
    network.add_toxic(Toxic("latency", {"latency": 150}))
    for _ in range(3):
        assert await round_trip(network, echo) >= 0.150


@pytest.mark.parametrize("stream", ["upstream", "downstream"])
async def test_a_toxic_acts_only_on_its_stream(
    network: Network, echo: EchoServer, stream: Stream
) -> None:
    network.add_toxic(Toxic("latency", {"latency": 400}, stream=stream))
    async with connected(network.port) as (reader, writer):
        sent = now()
        writer.write(b"ping")
        await read_exactly(reader, 4)
        back = now()
    at_server = echo.connections[0].first_at
    assert at_server is not None
    delayed, direct = (at_server - sent, back - at_server)
    if stream == "downstream":
        delayed, direct = direct, delayed
    assert delayed >= 0.400
    assert direct < 0.400  # the other direction is not delayed


@pytest.mark.realtime  # jitter is drawn per chunk as it arrives: the writes must be apart in time
async def test_jitter_keeps_the_bytes_in_order(network: Network) -> None:
    network.add_toxic(Toxic("latency", {"latency": 30, "jitter": 30}, stream="upstream"))
    messages = [f"message {i:03d};".encode() for i in range(60)]
    async with connected(network.port) as (reader, writer):
        for message in messages:
            writer.write(message)
            await asyncio.sleep(0.002)  # not a wait for state: separate chunks, separate jitter
        assert await read_exactly(reader, sum(map(len, messages))) == b"".join(messages)


async def test_bandwidth_limits_throughput(network: Network) -> None:
    network.add_toxic(Toxic("bandwidth", {"rate": 100}))  # 100 KB/s
    payload = os.urandom(50_000)
    async with connected(network.port) as (reader, writer):
        started = now()
        writer.write(payload)
        assert await read_exactly(reader, len(payload)) == payload
        assert now() - started >= 0.45  # 50 KB at 100 KB/s: 0.5 s


async def test_slicer_cuts_writes_into_small_pieces(network: Network) -> None:
    network.add_toxic(
        Toxic("slicer", {"average_size": 10, "size_variation": 0, "delay": 20_000})  # 20 ms
    )
    payload = bytes(range(100))
    pieces: list[bytes] = []
    async with connected(network.port) as (reader, writer):
        started = now()
        writer.write(payload)
        while sum(map(len, pieces)) < len(payload):
            pieces.append(await asyncio.wait_for(reader.read(1000), 10))
        elapsed = now() - started
    assert b"".join(pieces) == payload
    assert len(pieces) >= 5  # one write became many reads
    assert elapsed >= 9 * 0.020  # 10 pieces, 20 ms apart


@pytest.mark.parametrize("stream", ["upstream", "downstream"])
async def test_limit_data_closes_after_that_many_bytes(
    network: Network, echo: EchoServer, stream: Stream
) -> None:
    network.add_toxic(Toxic("limit_data", {"bytes": 100}, stream=stream))
    payload = os.urandom(250)
    async with connected(network.port) as (reader, writer):
        writer.write(payload)
        reply = await read_all(reader)
    if stream == "downstream":
        assert reply == payload[:100]
    else:  # the server got 100 bytes; the link closed before all (or any) of its echo was back
        assert payload[:100].startswith(reply)
        await until(lambda: echo.connections[0].lost.done(), what="server side closed")
        assert echo.received == payload[:100]


async def test_timeout_drops_data_then_closes_after_its_time(
    network: Network, echo: EchoServer
) -> None:
    network.add_toxic(Toxic("timeout", {"timeout": 300}, stream="upstream"))
    async with connected(network.port) as (reader, writer):
        started = now()
        writer.write(b"hello?")
        assert await read_all(reader) == b""
        assert now() - started >= 0.28
    assert echo.received == b""


async def test_timeout_zero_is_a_blackhole_held_open_until_removed(
    network: Network, echo: EchoServer
) -> None:
    toxic = network.add_toxic(Toxic("timeout", {"timeout": 0}, stream="upstream"))
    async with connected(network.port) as (reader, writer):
        writer.write(b"hello?")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.read(100), 0.5)
        assert network.stats.connections_open == 1  # held, not closed
        assert echo.received == b""
        network.remove_toxic(toxic.name)  # its byte stream has a hole: it is closed
        assert await read_all(reader) == b""


async def test_a_blackhole_lifted_before_any_data_leaves_the_connection_working(
    network: Network,
) -> None:
    async with connected(network.port) as (reader, writer):
        toxic = network.add_toxic(Toxic("timeout", {"timeout": 0}))
        network.remove_toxic(toxic.name)
        writer.write(b"fine")
        assert await read_exactly(reader, 4) == b"fine"


async def test_reset_peer_resets_the_device_and_the_server_connection(
    network: Network, echo: EchoServer
) -> None:
    network.add_toxic(Toxic("reset_peer", {"timeout": 0}, stream="upstream"))
    async with connected(network.port) as (reader, writer):
        writer.write(b"hello")
        with pytest.raises(ConnectionResetError):
            await asyncio.wait_for(reader.read(100), 10)
    await until(lambda: bool(echo.connections), what="the server connection")
    assert isinstance(await echo.connections[0].lost, ConnectionResetError)


async def test_reset_peer_waits_its_timeout_after_the_data(network: Network) -> None:
    network.add_toxic(Toxic("reset_peer", {"timeout": 300}))
    async with connected(network.port) as (reader, writer):
        started = now()
        writer.write(b"hello")
        with pytest.raises(ConnectionResetError):
            await asyncio.wait_for(reader.read(100), 10)
        assert now() - started >= 0.28


async def test_slow_close_delays_the_close(network: Network, echo: EchoServer) -> None:
    echo.close_after_reply = True
    network.add_toxic(Toxic("slow_close", {"delay": 300}))
    async with connected(network.port) as (reader, writer):
        writer.write(b"bye")
        assert await read_exactly(reader, 3) == b"bye"
        replied = now()
        assert await read_all(reader) == b""
        assert now() - replied >= 0.25


async def test_toxicity_zero_never_applies(network: Network) -> None:
    network.add_toxic(Toxic("timeout", {"timeout": 0}, toxicity=0.0))
    for _ in range(5):
        async with connected(network.port) as (reader, writer):
            writer.write(b"through")
            assert await read_exactly(reader, 7) == b"through"


async def test_toxicity_is_drawn_per_connection(network: Network) -> None:
    network.add_toxic(Toxic("limit_data", {"bytes": 1}, toxicity=0.5))
    outcomes = set()
    for _ in range(40):  # all 40 alike: probability 2 * 0.5**40
        async with connected(network.port) as (reader, writer):
            writer.write(b"ab")
            writer.write_eof()  # the echo server then closes after its reply
            outcomes.add(await read_all(reader))
    assert outcomes == {b"a", b"ab"}


async def test_a_toxic_added_to_an_open_connection_acts_on_it(network: Network) -> None:
    async with connected(network.port) as (reader, writer):
        writer.write(b"1")
        await read_exactly(reader, 1)
        network.add_toxic(Toxic("limit_data", {"bytes": 3}))
        writer.write(b"2345")
        assert await read_all(reader) == b"234"


async def test_removing_a_toxic_releases_the_data_it_holds(network: Network) -> None:
    toxic = network.add_toxic(Toxic("latency", {"latency": 30_000}))
    async with connected(network.port) as (reader, writer):
        writer.write(b"waiting")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.read(100), 0.3)
        started = now()
        network.remove_toxic(toxic.name)
        assert await read_exactly(reader, 7) == b"waiting"
        assert now() - started < 5


async def test_updating_a_toxic_acts_on_data_already_waiting(network: Network) -> None:
    toxic = network.add_toxic(Toxic("latency", {"latency": 30_000, "jitter": 10}))
    async with connected(network.port) as (reader, writer):
        writer.write(b"waiting")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.read(100), 0.3)
        updated = network.update_toxic(toxic.name, {"latency": 0})
        assert updated.attributes == {"latency": 0, "jitter": 10}  # the others kept
        assert await read_exactly(reader, 7, timeout=5) == b"waiting"


async def test_limit_data_closes_only_once_what_it_passed_has_gone_out(network: Network) -> None:
    # limit_data first: 5 bytes pass on to a slow slicer; the close waits for its slices.
    network.add_toxic(Toxic("limit_data", {"bytes": 5}, name="limit"))
    network.add_toxic(Toxic("slicer", {"average_size": 1, "delay": 10_000}, name="slices"))
    assert [t.name for t in network.toxics] == ["limit", "slices"]
    async with connected(network.port) as (reader, writer):
        writer.write(b"0123456789")
        assert await read_all(reader) == b"01234"


def test_a_toxic_has_toxiproxys_defaults() -> None:
    toxic = Toxic("latency")
    assert toxic.to_json() == {
        "name": "latency_downstream",
        "type": "latency",
        "stream": "downstream",
        "toxicity": 1.0,
        "attributes": {"latency": 0, "jitter": 0},
    }
    assert Toxic.from_json(toxic.to_json()) == toxic


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"type": "blackhole"}, "unknown toxic type 'blackhole'"),
        ({"type": "latency", "attributes": {"delay": 5}}, "unknown attribute"),
        ({"type": "latency", "attributes": {"latency": -1}}, "non-negative integer"),
        ({"type": "latency", "attributes": {"latency": 1.5}}, "non-negative integer"),
        ({"type": "latency", "attributes": {"latency": True}}, "non-negative integer"),
        ({"type": "latency", "stream": "sideways"}, "stream must be"),
        ({"type": "latency", "toxicity": 2}, "toxicity must be"),
        ({"type": "latency", "toxicity": float("nan")}, "toxicity must be"),
        ({"type": "bandwidth", "attributes": {"rate": 0}}, "rate must be > 0"),
        ({"type": "slicer", "attributes": {"average_size": 0}}, "average_size must be > 0"),
        (
            {"type": "slicer", "attributes": {"average_size": 5, "size_variation": 5}},
            "smaller than average_size",
        ),
        ({"type": "latency", "name": "a/b"}, "no '/'"),
    ],
)
def test_a_bad_toxic_is_refused_with_a_clear_message(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ToxicError, match=message):
        Toxic(**kwargs)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "a toxic is a JSON object"),
        ({"attributes": {}}, "missing required field: type"),
        ({"type": "latency", "colour": "red"}, "unknown toxic field"),
        ({"type": "latency", "attributes": [1]}, "attributes must be"),
    ],
)
def test_a_bad_toxic_json_is_refused_with_a_clear_message(body: Any, message: str) -> None:
    with pytest.raises(ToxicError, match=message):
        Toxic.from_json(body)


async def test_toxic_names_are_unique_per_network(network: Network) -> None:
    network.add_toxic(Toxic("latency"))
    with pytest.raises(NameTaken, match="latency_downstream"):
        network.add_toxic(Toxic("latency", {"latency": 5}))
    network.add_toxic(Toxic("latency", stream="upstream"))  # another default name
    with pytest.raises(UnknownName, match="nope"):
        network.remove_toxic("nope")
    with pytest.raises(UnknownName, match="nope"):
        network.update_toxic("nope", {"latency": 1})
    with pytest.raises(ToxicError, match="non-negative"):
        network.update_toxic("latency_upstream", {"latency": -5})
    assert network.toxic("latency_upstream").attributes["latency"] == 0
