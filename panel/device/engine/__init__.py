"""The print engine (issue 14): trays, toner, counters and faults; see printer.py.

`from panel.device.engine import PrintEngine` is the engine; status.py holds the plain data the
panel, the server report and the Attention LED read; faults.py the catalogue of reasons.
"""

from panel.device.engine.printer import JobAborted, PrintEngine
from panel.device.engine.status import (
    Counters,
    EngineStatus,
    PrintOptions,
    Prompt,
    Reason,
    Severity,
    Toner,
    Tray,
)

__all__ = [
    "Counters",
    "EngineStatus",
    "JobAborted",
    "PrintEngine",
    "PrintOptions",
    "Prompt",
    "Reason",
    "Severity",
    "Toner",
    "Tray",
]
