"""The device core: the printer's behaviour as a headless asyncio library (no Qt).

One module per concern; `Device` composes them and `EventBus` is how views observe them.
"""

from panel.device.device import Device, DeviceConfig
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
