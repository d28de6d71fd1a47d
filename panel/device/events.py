"""The one dispatcher through which the device core tells observers (views, traces, tests)
what changed.

Events are plain Python (no Qt), named after the domain's own vocabulary like PAPPL's event flags.
Handlers run synchronously in the publisher's call, on the event loop; they must not block.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from panel.tasks import report_failure


class EventKind(enum.Enum):
    """What changed. Views subscribe to the kinds they draw."""

    JOB_CREATED = "job-created"
    JOB_STATE_CHANGED = "job-state-changed"
    JOB_PROGRESS = "job-progress"
    # A sheet left the engine (subject: Job; fields: page), published before the job's count is
    # committed: a kill between the two prints that one sheet again, never loses it.
    SHEET_OUT = "sheet-out"
    # The engine began a page (subject: Job; fields: page): the live count shows "page N".
    PAGE_STARTED = "page-started"
    JOB_REMOVED = "job-removed"
    # Copy (panel/device/copying.py): subject: CopyStatus (the originals placed, the copy
    # running or its result); fields: change ("originals", "started", "page", "ended").
    COPY_CHANGED = "copy-changed"
    SESSION_CHANGED = "session-changed"
    CONNECTION_CHANGED = "connection-changed"
    PRINTER_STATE_CHANGED = "printer-state-changed"
    # The engine's status (subject: EngineStatus; fields: change = "fault", "cleared", "levels",
    # "counters", "state" or "prompt"), on every change; page-level changes once a page.
    ENGINE_STATUS_CHANGED = "engine-status-changed"
    NOTICE = "notice"
    OUTBOX_CHANGED = "outbox-changed"  # subject: OutboxStats
    CACHE_CHANGED = "cache-changed"  # subject: the cache's new version (int)
    POWER_CHANGED = "power-changed"  # subject: PowerState; fields: cause, previous
    PRESENCE_CHANGED = "presence-changed"  # subject: bool, someone is in front of the panel
    USER_DATA_CHANGED = "user-data-changed"  # subject: UserData of the logged-in user, or None
    PEERS_CHANGED = "peers-changed"  # subject: tuple[Peer, ...] found on the LAN by DNS-SD
    SESSION_KEEPER_CHANGED = "session-keeper-changed"  # subject: SessionMode; fields: keeper
    KEPT_SESSIONS_CHANGED = "kept-sessions-changed"  # subject: tuple[KeptSession, ...]
    MAINTENANCE_CHANGED = "maintenance-changed"  # subject: MaintenanceStatus; fields: change
    MAINTENANCE_INPUT = "maintenance-input"  # subject: OperatorInput to inject (tap or key)
    MAINTENANCE_CHAT = "maintenance-chat"  # subject: ChatLine
    MAINTENANCE_REFRESH = "maintenance-refresh"  # send the whole screen next (subject: None)
    # Networks (S2), see panel/device/networks.py. NETWORK_CHANGED: subject: NetworkStatus of
    # the network now in use, None when none reaches the server; fields: previous (name or
    # None), reason ("connected", "failover", "recovered", "unreachable").
    NETWORK_CHANGED = "network-changed"
    NETWORK_STATE_CHANGED = "network-state-changed"  # subject: NetworkStatus; fields: previous
    NETWORK_REACH = "network-reach"  # subject: ReachOutcome of one token check (every attempt)
    # Document boxes (S6, panel/device/files.py). BOX_CHANGED: subject: BoxFile (fields: change
    # "added" or "removed") or BoxInfo (change "box"). FILE_TRANSFER: subject: TransferProgress
    # of a file coming in via the server (bytes done of total, rate, state), on every chunk.
    BOX_CHANGED = "box-changed"
    FILE_TRANSFER = "file-transfer"
    # QR connection (S7, panel/device/qr.py): subject: QrStatus (camera frame, state, pages).
    QR_CHANGED = "qr-changed"


@dataclass(frozen=True, slots=True)
class Event:
    """One change. `subject` is the changed object (a Job, a User or None, a ConnectionState...)."""

    kind: EventKind
    subject: Any = None
    fields: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[Event], None]


class EventBus:
    """Synchronous publish/subscribe; a failing handler is reported (log ERROR) and never breaks
    the publisher."""

    def __init__(self) -> None:
        self._handlers: list[tuple[frozenset[EventKind] | None, Handler]] = []

    def subscribe(self, handler: Handler, *kinds: EventKind) -> Callable[[], None]:
        """Call `handler` for events of `kinds` (all when none given); returns an unsubscriber."""
        entry = (frozenset(kinds) if kinds else None, handler)
        self._handlers.append(entry)

        def unsubscribe() -> None:
            if entry in self._handlers:
                self._handlers.remove(entry)

        return unsubscribe

    def publish(self, event: Event) -> None:
        for kinds, handler in list(self._handlers):
            if kinds is None or event.kind in kinds:
                try:
                    handler(event)
                except Exception as exc:
                    report_failure("events", f"handler {handler!r} of {event.kind.value}", exc)
