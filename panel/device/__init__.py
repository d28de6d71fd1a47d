"""The device core: the printer's behaviour as a headless asyncio library (no Qt).

One module per concern; `Device` composes them and `EventBus` is how views observe them.
`Device` and `DeviceConfig` are imported on first use: a view that needs only the model
(`panel.device.model`) does not pay for the whole core (SQLite, the protocol, auth).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from panel.device.events import Event, EventBus, EventKind
from panel.device.model import (
    ConnectionState,
    Job,
    JobKind,
    JobState,
    LoginOutcome,
    LoginResult,
    PrinterState,
    User,
)

if TYPE_CHECKING:
    from panel.device.device import Device, DeviceConfig


def __getattr__(name: str) -> Any:
    if name in ("Device", "DeviceConfig"):
        from panel.device import device

        return getattr(device, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ConnectionState",
    "Device",
    "DeviceConfig",
    "Event",
    "EventBus",
    "EventKind",
    "Job",
    "JobKind",
    "JobState",
    "LoginOutcome",
    "LoginResult",
    "PrinterState",
    "User",
]
