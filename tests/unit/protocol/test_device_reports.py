"""The device-report messages (issue 14): a body is one of two messages, chosen by what fits
and checked against the report's kind; the document says the same (anyOf); a device's status
is cut to the protocol's bounds before it is queued, so no report is refused forever."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from support.device_reports import report, status_body, usage_body

from panel.device.engine import faults
from panel.device.engine.status import Counters, EngineStatus, Toner, Tray
from panel.device.model import PrinterState
from panel.device.reports import status_body as wire_status
from panel.protocol.codec import ProtocolError, decode_body, encode_body
from panel.protocol.device_reports import (
    MAX_MESSAGE,
    MAX_REASONS,
    DeviceReport,
    DeviceReportBatch,
    StatusBody,
    UsageBody,
)
from panel.protocol.schema import component_schemas


def _batch(*reports: dict[str, object]) -> DeviceReportBatch:
    return decode_body(DeviceReportBatch, json.dumps({"stream": "s", "reports": list(reports)}))


def test_each_body_decodes_as_the_message_it_fits() -> None:
    batch = _batch(report(1, status_body("stopped")), report(2, usage_body("c-1")))
    assert isinstance(batch.reports[0].body, StatusBody)
    assert isinstance(batch.reports[1].body, UsageBody)
    assert batch.reports[1].body.impressions == 6
    # and encodes back to what was sent
    again = json.loads(encode_body(batch))
    assert again["reports"][0]["body"] == status_body("stopped")


def test_a_body_that_fits_neither_says_why_for_each() -> None:
    with pytest.raises(ProtocolError) as refused:
        _batch(report(1, {"state": "idle"}))
    message = refused.value.message
    assert "reports[0].body is none of the shapes it may take" in message
    assert "as StatusBody: DeviceReportBatch.reports[0].body.reasons is missing" in message
    assert "as UsageBody: DeviceReportBatch.reports[0].body.job_id is missing" in message


def test_a_body_of_the_other_kind_is_refused() -> None:
    with pytest.raises(ProtocolError, match="kind 'status' but its body is a UsageBody"):
        _batch({**report(1, usage_body("c-1")), "kind": "status"})


def test_the_document_declares_the_body_as_any_of_the_two() -> None:
    schemas = component_schemas([DeviceReportBatch])
    body = schemas["DeviceReport"]["properties"]["body"]
    assert list(body) == ["anyOf"]
    assert body["anyOf"][:2] == [
        {"$ref": "#/components/schemas/StatusBody"},
        {"$ref": "#/components/schemas/UsageBody"},
    ]
    assert {"StatusBody", "UsageBody", "ReasonInfo", "TrayInfo"} <= set(schemas)
    assert schemas["DeviceReportBatch"]["properties"]["reports"]["maxItems"] == 100
    assert DeviceReport.__name__ in schemas


def test_a_status_beyond_the_protocols_bounds_is_cut_to_them() -> None:
    jam = faults.reason("media-jam", "tray-1")
    long = replace(jam, message="x" * (MAX_MESSAGE + 50))
    status = EngineStatus(
        PrinterState.STOPPED,
        (long,) * (MAX_REASONS + 3),
        (Tray("tray-1", "Tray 1", "iso_a4_210x297mm", 500, 600),),
        (Toner("black", 10, 1000),),
        Counters(3, 0, 3, 0, 3),
        30.0,
        30.0,
        False,
        None,
    )
    body = wire_status(status)
    decoded = decode_body(StatusBody, encode_body(body))  # what the server will accept
    assert len(decoded.reasons) == MAX_REASONS
    assert len(decoded.reasons[0].message) == MAX_MESSAGE
    assert decoded.reasons[0].code == "J-0101"
    assert decoded.toner[0].pct == 1
    assert decoded.state == "stopped"
