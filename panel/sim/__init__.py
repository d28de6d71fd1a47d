"""Simulated networks between device and server: TCP proxies on loopback with Toxiproxy's toxics.

Controlled in process (`Network`, `NetworkSet`: tests, scenarios, the QA dock) and over a
Toxiproxy-shaped HTTP control API (`panel.sim.control`, imported on its own: it needs aiohttp).
Nothing here imports Qt.
"""

from panel.sim.faults import Fault, fault_toxics, faults_on, restore, set_fault, set_toxic_fault
from panel.sim.network import (
    NameTaken,
    Network,
    NetworkSet,
    UnknownName,
    format_address,
    parse_address,
)
from panel.sim.observe import NetworkEvent, NetworkEventKind, NetworkStats
from panel.sim.toxics import STREAMS, TOXIC_TYPES, Stream, Toxic, ToxicError

DEMO_NETWORKS = ("Wired LAN", "LTE")  # the demo's networks, the preferred one first

__all__ = [
    "DEMO_NETWORKS",
    "STREAMS",
    "TOXIC_TYPES",
    "Fault",
    "NameTaken",
    "Network",
    "NetworkEvent",
    "NetworkEventKind",
    "NetworkSet",
    "NetworkStats",
    "Stream",
    "Toxic",
    "ToxicError",
    "UnknownName",
    "fault_toxics",
    "faults_on",
    "format_address",
    "parse_address",
    "restore",
    "set_fault",
    "set_toxic_fault",
]
