"""The Attention LED of a device without an engine (a panel still booting) is given its printer
state alone (so the window does not import the engine before its first paint): it must light
exactly as it did for the engine status with no reason the window used to build for it."""

from __future__ import annotations

import itertools

from panel.device.attention import attention
from panel.device.engine.status import Counters, EngineStatus
from panel.device.model import ConnectionState, PrinterState


def test_a_printer_state_alone_lights_as_an_engine_status_with_no_reason() -> None:
    for state, connection, job_failed, held, off_network_ok in itertools.product(
        PrinterState, ConnectionState, (False, True), (0, 3), (False, True)
    ):
        empty = EngineStatus(state, (), (), (), Counters(), 0.0, 0.0, False, None)
        case = (connection, job_failed, held)
        alone = attention(state, *case, off_network_ok=off_network_ok)
        as_before = attention(empty, *case, off_network_ok=off_network_ok)
        assert alone is as_before, (state, *case, off_network_ok)
