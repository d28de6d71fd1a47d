"""`mfp-panel networks`: simulated networks in front of a server, with their control API; headless.

QA staff start it beside a server, point devices at a network's port instead of the server's, and
break the networks with Toxiproxy's tools or curl on the control API (default port 8474, as
Toxiproxy's). Without `--network`, the demo's "Wired LAN" and "LTE" are made on free ports.
aiohttp is imported only when serving, so the CLI can import this module cheaply.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from panel.sim import DEMO_NETWORKS
from panel.sim.network import Address, NetworkSet, format_address, parse_address
from panel.sim.observe import NetworkEvent, NetworkEventKind
from panel.sim.toxics import check_name

if TYPE_CHECKING:
    from panel.sim.control import RunningControl

DEFAULT_CONTROL_PORT = 8474  # Toxiproxy's: its CLI and clients work unchanged
CONTROL_LISTENING = "mfp-panel networks: control API on "
_QUIET = {NetworkEventKind.CONNECTION_OPENED, NetworkEventKind.CONNECTION_CLOSED}


def upstream_arg(text: str) -> Address:
    """argparse type of `--upstream HOST:PORT`."""
    try:
        return parse_address(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def network_arg(text: str) -> tuple[str, int]:
    """argparse type of `--network NAME=PORT` (the name may have spaces; port 0: a free one)."""
    name, sep, port = text.rpartition("=")
    if not sep or not port.isdigit() or int(port) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=PORT (e.g. 'Wired LAN=9001')")
    try:
        return check_name(name, "network"), int(port)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


async def start_networks(
    upstream: Address, control_port: int, networks: Sequence[tuple[str, int]] = ()
) -> tuple[NetworkSet, RunningControl]:
    """The networks (the demo's two when none are named) and their control API, on loopback."""
    from panel.sim.control import start_control

    network_set = NetworkSet()
    try:
        for name, port in networks or [(name, 0) for name in DEMO_NETWORKS]:
            await network_set.create(name, upstream, ("127.0.0.1", port))
        control = await start_control(network_set, "127.0.0.1", control_port)
    except BaseException:
        await network_set.stop()
        raise
    return network_set, control


async def serve(
    upstream: Address,
    control_port: int | None = None,
    networks: Sequence[tuple[str, int]] = (),
    stop: asyncio.Event | None = None,
) -> int:
    """Run until SIGINT/SIGTERM (or `stop` is set); print where everything is, then changes.

    `control_port` None: Toxiproxy's 8474; 0: a free port.
    """
    port = DEFAULT_CONTROL_PORT if control_port is None else control_port
    try:
        network_set, control = await start_networks(upstream, port, networks)
    except (OSError, ValueError) as exc:
        print(f"mfp-panel networks: {exc}", file=sys.stderr)
        return 2
    print(f"{CONTROL_LISTENING}{control.url}", flush=True)
    width = max(len(network.name) for network in network_set)
    for network in network_set:
        print(
            f"  {network.name:<{width}}  {format_address(network.listen)}"
            f" -> {format_address(upstream)}",
            flush=True,
        )
    first = next(iter(network_set))
    print(
        f"  take a network down:  curl -X POST -d '{{\"enabled\": false}}' "
        f"{control.url}/proxies/{quote(first.name)}",
        flush=True,
    )
    unsubscribe = network_set.subscribe(_print_change)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        unsubscribe()
        await control.stop()
        await network_set.stop()
    return 0


def _print_change(event: NetworkEvent) -> None:
    if event.kind in _QUIET:
        return
    toxic = f" {event.toxic.name}: {event.toxic.to_json()}" if event.toxic else ""
    print(f"  [{event.network}] {event.kind.value}{toxic}", flush=True)
