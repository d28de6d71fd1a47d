"""`mfp-panel networks`: its arguments, and the networks and control API it runs."""

from __future__ import annotations

import argparse
import asyncio

import aiohttp
import pytest
from support import until
from support.sim import EchoServer, connected, read_exactly

from panel.sim import DEMO_NETWORKS
from panel.sim.serve import (
    CONTROL_LISTENING,
    network_arg,
    serve,
    start_networks,
    upstream_arg,
)


def test_arguments_are_parsed_or_refused_clearly() -> None:
    assert upstream_arg("127.0.0.1:8631") == ("127.0.0.1", 8631)
    assert upstream_arg("[::1]:8631") == ("::1", 8631)
    assert network_arg("Wired LAN=9001") == ("Wired LAN", 9001)
    assert network_arg("a=b=0") == ("a=b", 0)
    for bad in ("8631", "host:", "host:99999", "::1:8631"):
        with pytest.raises(argparse.ArgumentTypeError):
            upstream_arg(bad)
    for bad in ("LTE", "LTE=", "LTE=x", "=9001", "a/b=9001", "LTE=70000"):
        with pytest.raises(argparse.ArgumentTypeError):
            network_arg(bad)


async def test_without_names_the_demo_networks_are_made(echo: EchoServer) -> None:
    networks, control = await start_networks(("127.0.0.1", echo.port), 0)
    try:
        assert [n.name for n in networks] == list(DEMO_NETWORKS)
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{control.url}/proxies") as reply,
        ):
            assert list(await reply.json()) == ["Wired LAN", "LTE"]
        for network in networks:
            async with connected(network.port) as (reader, writer):
                writer.write(network.name.encode())
                assert await read_exactly(reader, len(network.name)) == network.name.encode()
    finally:
        await control.stop()
        await networks.stop()


async def test_serve_prints_where_everything_is_and_stops_cleanly(
    echo: EchoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(serve(("127.0.0.1", echo.port), 0, [("Office", 0)], stop))
    printed = ""

    def listening() -> bool:
        nonlocal printed
        printed += capsys.readouterr().out
        return "take a network down" in printed

    await until(listening, what="serve's banner")
    assert printed.startswith(CONTROL_LISTENING)
    control_url = printed.removeprefix(CONTROL_LISTENING).split()[0]
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{control_url}/proxies/Office/toxics", json={"type": "latency"}) as reply,
    ):
        assert reply.status == 200
    await until(lambda: "[Office] toxic-added" in capsys.readouterr().out, what="change shown")
    stop.set()
    assert await task == 0


async def test_serve_says_why_it_cannot_start(
    echo: EchoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    networks, control = await start_networks(("127.0.0.1", echo.port), 0, [("LTE", 0)])
    try:
        status = await serve(("127.0.0.1", echo.port), control.port, [("LTE", 0)])
    finally:
        await control.stop()
        await networks.stop()
    assert status == 2
    assert "Address already in use" in capsys.readouterr().err
