"""What observers of a simulated network see: its traffic counters and its change events.

A QA dock (Qt, in panel/ui) or a test subscribes a plain callable; nothing here knows about Qt.
Handlers run synchronously on the event loop, in the call that made the change.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from panel.sim.toxics import Stream, Toxic
from panel.tasks import report_failure


class NetworkEventKind(enum.Enum):
    CREATED = "created"  # added to a NetworkSet
    DELETED = "deleted"  # removed from a NetworkSet (and stopped)
    ENABLED = "enabled"  # listening again: the network is up
    DISABLED = "disabled"  # refusing connections, existing ones cut: the network is down
    TOXIC_ADDED = "toxic-added"
    TOXIC_UPDATED = "toxic-updated"
    TOXIC_REMOVED = "toxic-removed"
    RESET = "reset"  # every toxic removed and the network enabled
    CONNECTION_OPENED = "connection-opened"
    CONNECTION_CLOSED = "connection-closed"  # `reason` says why


@dataclass(frozen=True, slots=True)
class NetworkEvent:
    """One change on network `network`; `toxic` and `connection` (its number) where they apply."""

    network: str
    kind: NetworkEventKind
    toxic: Toxic | None = None
    connection: int | None = None
    reason: str = ""


NetworkHandler = Callable[[NetworkEvent], None]


class Listeners:
    """Handlers of one publisher; a failing handler is reported (an ERROR) and never breaks the
    network."""

    def __init__(self) -> None:
        self._handlers: list[NetworkHandler] = []

    def subscribe(self, handler: NetworkHandler) -> Callable[[], None]:
        """Call `handler` for every event; returns the function that unsubscribes it."""
        self._handlers.append(handler)

        def unsubscribe() -> None:
            if handler in self._handlers:
                self._handlers.remove(handler)

        return unsubscribe

    def publish(self, event: NetworkEvent) -> None:
        for handler in list(self._handlers):
            try:
                handler(event)
            except Exception as exc:
                report_failure(
                    f"sim network {event.network}", f"handler {handler!r} on {event.kind}", exc
                )


@dataclass
class NetworkStats:
    """Bytes delivered each way (after the toxics) and connections accepted since start."""

    bytes_up: int = 0  # device -> server
    bytes_down: int = 0  # server -> device
    connections_total: int = 0
    connections_open: int = 0
    connections_failed: int = 0  # accepted, but the upstream could not be reached

    def counter(self, stream: Stream) -> Callable[[int], None]:
        """The function that counts bytes delivered in `stream`."""

        def up(n: int) -> None:
            self.bytes_up += n

        def down(n: int) -> None:
            self.bytes_down += n

        return up if stream == "upstream" else down

    def to_json(self) -> dict[str, int]:
        return {
            "bytes_up": self.bytes_up,
            "bytes_down": self.bytes_down,
            "connections_total": self.connections_total,
            "connections_open": self.connections_open,
            "connections_failed": self.connections_failed,
        }
