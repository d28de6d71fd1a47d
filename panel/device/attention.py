"""The Attention LED's rule and the error codes a maintenance call carries: one place for both.

| what stands                                            | Attention |
| ------------------------------------------------------ | --------- |
| an engine error (jam, open cover, toner or paper out)  | ON        |
| no connection to the server (OFFLINE)                  | ON        |
| a failed job in the job list                           | ON        |
| an engine warning (toner low, a tray empty)            | BLINK     |
| held jobs waiting for a connection                     | BLINK     |
| none of these                                          | OFF       |

ON wins over BLINK. A device off the network on purpose (asleep while a LAN peer keeps its
session) is not "no connection": the caller says so with `off_network_ok`.

The panel window imports this before its first paint, over a device still booting (no engine
yet: `attention` takes its printer state alone). So the engine's types are here for
annotations only, and the wire protocol is imported by `error_codes`, at a maintenance call:
importing panel.protocol cost ~20% of `mfp-panel run`'s instructions to the first paint
(tests/unit/test_startup_imports.py).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from panel.device.model import ConnectionState, PrinterState

if TYPE_CHECKING:
    from panel.device.engine.status import EngineStatus


class Attention(enum.Enum):
    OFF = "off"
    ON = "on"
    BLINK = "blink"


def attention(
    status: EngineStatus | PrinterState,
    connection: ConnectionState,
    job_failed: bool,
    held_jobs: int,
    *,
    off_network_ok: bool = False,
) -> Attention:
    """What the Attention LED shows (the table above). A device without an engine (one still
    booting) has only its printer state: `status` is that state, with no engine reason."""
    if isinstance(status, PrinterState):
        state, error, warning = status, False, False
    else:
        state, error, warning = status.state, status.has_error, status.has_warning
    offline = connection is ConnectionState.OFFLINE and not off_network_ok
    if error or state is PrinterState.STOPPED or offline or job_failed:
        return Attention.ON
    if warning or held_jobs > 0:
        return Attention.BLINK
    return Attention.OFF


def error_codes(status: EngineStatus, connection: ConnectionState, job_failed: bool) -> list[str]:
    """The codes the operator reads with a maintenance call: the engine's (errors first, then
    warnings), then a failed job and the connection's."""
    from panel.protocol.maintenance import MAX_ERROR_CODES

    extra = []
    if status.state is PrinterState.STOPPED and not status.has_error:
        extra.append("PRN-STOPPED")
    if job_failed:
        extra.append("JOB-FAILED")
    if connection is not ConnectionState.ONLINE:
        extra.append(f"NET-{connection.value.upper()}")
    # A call carries at most MAX_ERROR_CODES: the engine's least urgent ones give way.
    return status.error_codes[: MAX_ERROR_CODES - len(extra)] + extra
