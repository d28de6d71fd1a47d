"""A simulated network without toxics: a transparent TCP proxy on loopback, up or down."""

from __future__ import annotations

import asyncio
import logging
import os
import socket

import pytest
from support import until
from support.sim import EchoServer, connected, open_fds, read_all, read_exactly

from panel.sim import Network, NetworkEvent, NetworkEventKind, Toxic


async def test_bytes_pass_both_ways_unchanged_and_are_counted(
    network: Network, echo: EchoServer
) -> None:
    payload = os.urandom(2_000_000)
    async with connected(network.port) as (reader, writer):
        writer.write(payload)
        assert await read_exactly(reader, len(payload)) == payload
    await until(lambda: network.stats.connections_open == 0, what="connection closed")
    stats = network.stats
    assert (stats.bytes_up, stats.bytes_down) == (len(payload), len(payload))
    assert (stats.connections_total, stats.connections_failed) == (1, 0)
    assert echo.received == payload


async def test_each_device_connection_gets_its_own_upstream_connection(
    network: Network, echo: EchoServer
) -> None:
    events: list[NetworkEvent] = []
    network.subscribe(events.append)
    async with connected(network.port) as (r1, w1), connected(network.port) as (r2, w2):
        w1.write(b"one")
        w2.write(b"two")
        assert await read_exactly(r1, 3) == b"one"
        assert await read_exactly(r2, 3) == b"two"
        assert sorted(bytes(c.data) for c in echo.connections) == [b"one", b"two"]
        assert network.stats.connections_open == 2
    await until(lambda: network.stats.connections_open == 0, what="both closed")
    kinds = [e.kind for e in events]
    assert kinds.count(NetworkEventKind.CONNECTION_OPENED) == 2
    assert kinds.count(NetworkEventKind.CONNECTION_CLOSED) == 2
    assert {e.connection for e in events} == {1, 2}


async def test_a_half_close_is_passed_on_and_the_reply_still_comes_back(
    network: Network, echo: EchoServer
) -> None:
    async with connected(network.port) as (reader, writer):
        writer.write(b"last words")
        writer.write_eof()
        assert await read_all(reader) == b"last words"  # the server closed after its echo
    assert echo.connections[0].eof


async def test_an_unreachable_upstream_closes_the_device_connection() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    network = Network("LTE", ("127.0.0.1", dead_port))
    await network.start()
    closed: list[NetworkEvent] = []
    network.subscribe(
        lambda e: closed.append(e) if e.kind is NetworkEventKind.CONNECTION_CLOSED else None
    )
    try:
        async with connected(network.port) as (reader, _):
            assert await read_all(reader) == b""
        await until(lambda: bool(closed), what="connection closed event")
        assert network.stats.connections_failed == 1
        assert "unreachable" in closed[0].reason
    finally:
        await network.stop()


async def test_disabled_refuses_new_connections_and_cuts_open_ones(network: Network) -> None:
    async with connected(network.port) as (reader, writer):
        writer.write(b"ping")
        assert await read_exactly(reader, 4) == b"ping"
        await network.set_enabled(False)
        assert not network.enabled
        assert await read_all(reader) == b""  # cut
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", network.port)


async def test_re_enabled_it_accepts_again_on_the_same_port(network: Network) -> None:
    port = network.port
    await network.set_enabled(False)
    await network.set_enabled(True)
    assert network.port == port
    async with connected(port) as (reader, writer):
        writer.write(b"back")
        assert await read_exactly(reader, 4) == b"back"


async def test_started_disabled_it_refuses_until_enabled(echo: EchoServer) -> None:
    network = Network("LTE", ("127.0.0.1", echo.port))
    await network.start(enabled=False)
    try:
        assert network.port != 0
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection("127.0.0.1", network.port)
        await network.set_enabled(True)
        async with connected(network.port) as (reader, writer):
            writer.write(b"up")
            assert await read_exactly(reader, 2) == b"up"
    finally:
        await network.stop()


async def test_a_large_transfer_through_a_toxic_arrives_intact_and_in_order(
    network: Network,
) -> None:
    # Chunks queue behind the toxic and the sender is paused when the queue is full.
    network.add_toxic(Toxic("latency", {"latency": 20, "jitter": 20}, stream="upstream"))
    network.add_toxic(Toxic("slicer", {"average_size": 50_000, "size_variation": 20_000}))
    payload = os.urandom(8_000_000)
    async with connected(network.port) as (reader, writer):
        writer.write(payload)
        assert await read_exactly(reader, len(payload), timeout=30) == payload


async def test_stop_leaves_no_task_and_no_socket_behind(echo: EchoServer) -> None:
    before = open_fds()
    network = Network("Wired LAN", ("127.0.0.1", echo.port))
    await network.start()
    network.add_toxic(Toxic("latency", {"latency": 10_000}))  # replies wait in a task
    async with connected(network.port) as (reader, writer):
        writer.write(b"stuck")
        await until(lambda: echo.received == b"stuck", what="data at the server")
        await network.stop()
        assert await read_all(reader) == b""
    assert network.stats.connections_open == 0
    await until(lambda: open_fds() <= before, what="every socket closed")
    # the autouse fixture then checks that no task is left


async def test_changes_are_told_to_subscribers(network: Network) -> None:
    events: list[NetworkEvent] = []
    unsubscribe = network.subscribe(events.append)
    latency = network.add_toxic(Toxic("latency", {"latency": 5}))
    network.update_toxic(latency.name, {"latency": 7})
    network.remove_toxic(latency.name)
    await network.set_enabled(False)
    await network.set_enabled(True)
    network.add_toxic(Toxic("timeout", {"timeout": 0}))
    await network.reset()
    unsubscribe()
    await network.set_enabled(False)
    assert [e.kind for e in events] == [
        NetworkEventKind.TOXIC_ADDED,
        NetworkEventKind.TOXIC_UPDATED,
        NetworkEventKind.TOXIC_REMOVED,
        NetworkEventKind.DISABLED,
        NetworkEventKind.ENABLED,
        NetworkEventKind.TOXIC_ADDED,
        NetworkEventKind.TOXIC_REMOVED,
        NetworkEventKind.RESET,
    ]
    updated = events[1].toxic
    assert updated is not None
    assert updated.attributes["latency"] == 7
    assert {e.network for e in events} == {"Wired LAN"}
    assert network.toxics == []


async def test_a_failing_subscriber_does_not_break_the_network(
    network: Network, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_: NetworkEvent) -> None:
        raise RuntimeError("dock bug")

    network.subscribe(broken)
    with caplog.at_level(logging.ERROR, logger="panel.tasks"):  # reported, as an ERROR
        async with connected(network.port) as (reader, writer):
            writer.write(b"still works")
            assert await read_exactly(reader, 11) == b"still works"
        await network.stop()  # its last events (connection closed) reach the handler too
    assert "dock bug" in caplog.text


async def test_a_network_listens_on_loopback_only() -> None:
    with pytest.raises(ValueError, match="loopback"):
        Network("Wired LAN", ("127.0.0.1", 8631), listen=("0.0.0.0", 0))
    with pytest.raises(ValueError, match="name"):
        Network("a/b", ("127.0.0.1", 8631))


async def test_url_points_at_the_network_not_the_server(network: Network, echo: EchoServer) -> None:
    assert network.url == f"http://127.0.0.1:{network.port}"
    assert network.url_for("/api/v1/ping") == f"http://127.0.0.1:{network.port}/api/v1/ping"
    assert network.port != echo.port
    with pytest.raises(ValueError, match="starts with"):
        network.url_for("api")
