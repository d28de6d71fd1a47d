"""The network faults QA staff ask for by name, defined once: what "blackhole" means here is
what it means in the QA dock, the benchmarks and the tests.

- `down`: the network's `enabled` flag off (connections refused, open ones cut); not a toxic.
- `blackhole`: a `timeout` toxic with timeout 0 on both streams: nothing gets through either
  way, nothing is refused or reset, connections are held open.
- `reset`: a `reset_peer` toxic on the upstream: a connection is reset as soon as the device
  sends.
- `latency`: a `latency` toxic on replies from the server: `value` ms, +/- 10 % jitter.
- `bandwidth`: a `bandwidth` toxic on replies from the server: at most `value` KB/s.
- `restore`: every network up, every toxic removed (`restore`).

A fault is set to a value: 0 lifts it; for the on/off faults any other value means on.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Final

from panel.sim.network import Network, NetworkSet
from panel.sim.toxics import STREAMS, Toxic


class Fault(enum.StrEnum):
    DOWN = "down"
    BLACKHOLE = "blackhole"
    RESET = "reset"
    LATENCY = "latency"
    BANDWIDTH = "bandwidth"


# The toxic type each fault is made of (down is the network's enabled flag).
TOXIC_TYPE: Final[Mapping[Fault, str]] = {
    Fault.BLACKHOLE: "timeout",
    Fault.RESET: "reset_peer",
    Fault.LATENCY: "latency",
    Fault.BANDWIDTH: "bandwidth",
}

# What each fault does, in words a QA engineer reads (the dock's tooltips).
DESCRIPTION: Final[Mapping[Fault, str]] = {
    Fault.DOWN: "Take the network down: connections refused, open ones cut",
    Fault.BLACKHOLE: "Nothing gets through either way and nothing is refused (timeout toxic)",
    Fault.RESET: "Connections are reset as soon as the device sends (reset_peer)",
    Fault.LATENCY: "Delay added to every reply from the server (latency toxic, ±10 % jitter)",
    Fault.BANDWIDTH: "Replies from the server limited to this rate (bandwidth toxic)",
}


def fault_toxics(fault: Fault, value: int = 1) -> tuple[Toxic, ...]:
    """The toxics that make `fault` at `value` (ms of latency, KB/s of bandwidth; 0: none)."""
    if value < 0:
        raise ValueError(f"a {fault} fault's value must be 0 (off) or more, not {value}")
    if value == 0 or fault is Fault.DOWN:
        return ()
    if fault is Fault.BLACKHOLE:
        return tuple(Toxic("timeout", {"timeout": 0}, stream) for stream in STREAMS)
    if fault is Fault.RESET:
        return (Toxic("reset_peer", {"timeout": 0}, "upstream"),)
    if fault is Fault.LATENCY:
        return (Toxic("latency", {"latency": value, "jitter": value // 10}),)
    return (Toxic("bandwidth", {"rate": value}),)


def set_toxic_fault(network: Network, fault: Fault, value: int = 1) -> tuple[Toxic, ...]:
    """Put `fault` on `network` at `value` (0 lifts it), in place of any toxic of its type;
    at once, on the connections already open too. `down` is not a toxic: see `set_fault`."""
    if fault is Fault.DOWN:
        raise ValueError("down is the network's enabled flag: await set_fault(...) instead")
    toxics = fault_toxics(fault, value)
    for toxic in network.toxics:
        if toxic.type == TOXIC_TYPE[fault]:
            network.remove_toxic(toxic.name)
    return tuple(network.add_toxic(toxic) for toxic in toxics)


async def set_fault(network: Network, fault: Fault, value: int = 1) -> None:
    """Put `fault` on `network` at `value` (0 lifts it), down included."""
    if fault is Fault.DOWN:
        await network.set_enabled(value == 0)
    else:
        set_toxic_fault(network, fault, value)


async def restore(networks: Network | NetworkSet) -> None:
    """Every network up and without toxics (Toxiproxy's reset)."""
    await networks.reset()


def faults_on(network: Network) -> dict[Fault, int]:
    """The faults on `network` now and their values (1 for the on/off ones), as the dock shows
    them; a toxic added over the control API counts as the fault of its type."""
    on: dict[Fault, int] = {} if network.enabled else {Fault.DOWN: 1}
    by_type = {toxic_type: fault for fault, toxic_type in TOXIC_TYPE.items()}
    for toxic in network.toxics:
        fault = by_type.get(toxic.type)
        if fault is Fault.LATENCY:
            on[fault] = toxic.attr("latency")
        elif fault is Fault.BANDWIDTH:
            on[fault] = toxic.attr("rate")
        elif fault is not None:
            on[fault] = 1
    return on
