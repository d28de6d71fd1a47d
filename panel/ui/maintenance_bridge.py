"""Remote maintenance (S3) as the views see it: the part of the device's MaintenanceClient they
call, and its events as Qt signals.

`panel.ui.bridge.DeviceBridge` adapts the device's other events; maintenance has its own small
bridge because only devices that have a MaintenanceClient (the real core) can make a call:
the booting placeholder and the view tests' FakeDevice have none, and `maintenance_of` says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, Signal

from panel.device.events import Event, EventBus, EventKind
from panel.device.maintenance import Consent, MaintenanceStatus, PanelState, ScreenRect


@runtime_checkable
class MaintenanceService(Protocol):
    """What the panel reads from and calls on `panel.device.maintenance.MaintenanceClient`."""

    @property
    def status(self) -> MaintenanceStatus: ...
    @property
    def wants_frame(self) -> bool: ...
    @property
    def view_fps(self) -> float: ...
    @property
    def consent_timeout_s(self) -> float: ...

    async def request(
        self,
        reason: str,
        note: str = "",
        error_codes: Iterable[str] = (),
        panel_state: PanelState | None = None,
    ) -> None: ...
    def set_consent(self, choice: Consent) -> None: ...
    def send_frame(self, rects: Sequence[ScreenRect]) -> bool: ...
    def send_chat(self, text: str) -> None: ...
    async def end(self, reason: str = "user") -> None: ...


def maintenance_of(device: object) -> MaintenanceService | None:
    """The device's maintenance client, or None when it has none (still booting, a fake)."""
    service = getattr(device, "maintenance", None)
    return service if isinstance(service, MaintenanceService) else None


class MaintenanceBridge(QObject):
    """Re-emits MAINTENANCE_* events as Qt signals (one thread: qasync shares the loop)."""

    changed = Signal(object, str)  # MaintenanceStatus, change ("queued", "started", ...)
    operator_input = Signal(object)  # OperatorInput to inject
    chat = Signal(object)  # ChatLine
    refresh = Signal()  # send the whole screen next

    def __init__(self, events: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = events.subscribe(
            self._on_event,
            EventKind.MAINTENANCE_CHANGED,
            EventKind.MAINTENANCE_INPUT,
            EventKind.MAINTENANCE_CHAT,
            EventKind.MAINTENANCE_REFRESH,
        )

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_event(self, event: Event) -> None:
        kind = event.kind
        if kind is EventKind.MAINTENANCE_CHANGED:
            self.changed.emit(event.subject, str(event.fields.get("change", "")))
        elif kind is EventKind.MAINTENANCE_INPUT:
            self.operator_input.emit(event.subject)
        elif kind is EventKind.MAINTENANCE_CHAT:
            self.chat.emit(event.subject)
        else:
            self.refresh.emit()
