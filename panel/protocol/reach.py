"""Wire messages of network fallback (S2): the first communication information a device gets
when a process is requested, and the reachability check it makes with it over a network.

The device asks for a token (`ReachRequest` -> `ReachToken`), then presents the same token over
its networks in order of preference (`ReachCheck` -> `ReachConfirm`) until one gets through.
Requests say which network they travel over: the server cannot tell two routes from the same
host apart, and records the name for the trace and for QA.

Same conventions as `panel.protocol.messages`: frozen dataclasses whose field types are the
schema, validated by `panel.protocol.codec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from panel.protocol.constraints import Count, Limit

MAX_NAME_LENGTH = 100  # a network's or a process's name
ProcessName = Annotated[str, Limit(1, MAX_NAME_LENGTH, code="bad_process")]
NetworkName = Annotated[str, Limit(1, MAX_NAME_LENGTH, code="bad_network")]


@dataclass(frozen=True, slots=True)
class ReachRequest:
    """Device -> server: a process (`connect`, `push`, `login`, `outbox`...) is requested."""

    process: ProcessName
    network: NetworkName  # the network this request travels over


@dataclass(frozen=True, slots=True)
class ReachToken:
    """Server -> device: present `token` over a network (`ReachCheck`) before `expires_at`
    (server time); it is valid for this device only."""

    token: str
    process: str
    issued_at: float
    expires_at: float


@dataclass(frozen=True, slots=True)
class ReachCheck:
    """Device -> server, over the network being checked: this token reached you over `network`."""

    token: str
    network: NetworkName


@dataclass(frozen=True, slots=True)
class ReachConfirm:
    """Server -> device: the token is this device's, unexpired, and arrived over `network`;
    `checks` counts the networks it has arrived over so far (this one included)."""

    token: str
    network: str
    process: str
    checks: Count
    server_time: float


@dataclass(frozen=True, slots=True)
class ReachArrival:
    """One check that reached the server: over which network, and when (server time)."""

    network: str
    at: float


@dataclass(frozen=True, slots=True)
class ReachRecord:
    """What the server knows of one token (admins, QA): to whom and over which network it was
    issued, and every network it then arrived over, in order."""

    token: str
    device_id: str
    process: str
    issued_over: str
    issued_at: float
    expires_at: float
    arrivals: list[ReachArrival] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReachRecordList:
    """The tokens issued lately (those not yet forgotten), oldest first."""

    records: list[ReachRecord]
