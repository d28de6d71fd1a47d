"""HTTP handlers of device reports (issue 14), in the shape `panel.server.api.Route` takes:
devices post their status and usage reports in batches; operators and administrators read a
device's latest status, its faults and its usage.

`api.ROUTES` lists them with their paths, credentials and messages (so the OpenAPI document
has them); this module turns requests into calls on the store and traces them ("reports").
"""

from __future__ import annotations

import sqlite3

from aiohttp import web

from panel.protocol.device_reports import (
    REPORTS_BODY_BYTES,
    DeviceReportBatch,
    DeviceReportReply,
    StatusBody,
)
from panel.server.auth import Principal, authenticated
from panel.server.http import ApiError, read_body, reply
from panel.server.store import ServerStore, disk_full
from panel.trace import Trace


class DeviceReports:
    """The store's device reports, with the server's trace."""

    def __init__(self, store: ServerStore, trace: Trace) -> None:
        self.store = store
        self.trace = trace


reports_key = web.AppKey("device_reports", DeviceReports)


async def post_reports(request: web.Request, who: Principal | None) -> web.Response:
    device_id = authenticated(who).ident
    batch: DeviceReportBatch = await read_body(request, DeviceReportBatch, REPORTS_BODY_BYTES)
    reports = request.app[reports_key]
    try:
        outcome = reports.store.record_device_reports(device_id, batch.stream, batch.reports)
    except sqlite3.Error as exc:
        if not disk_full(exc):
            raise
        raise ApiError(
            507, "disk_full", "The server's disk is full; nothing was stored. Send them again."
        ) from exc
    faults = sorted(
        {
            r.code
            for report in batch.reports
            if isinstance(report.body, StatusBody)
            for r in report.body.reasons
            if r.code
        }
    )
    reports.trace.emit(
        "reports",
        "received",
        device=device_id,
        first=batch.reports[0].seq,
        last=batch.reports[-1].seq,
        stored=outcome.stored,
        duplicates=outcome.duplicates,
        codes=faults,
    )
    return reply(DeviceReportReply(outcome.stored, outcome.duplicates, outcome.last_seq))


async def device_status(request: web.Request, who: Principal | None) -> web.Response:
    authenticated(who)
    device_id = request.match_info["device_id"]
    store = request.app[reports_key].store
    name = store.device_name(device_id)
    if name is None:
        raise ApiError(404, "unknown_device", f"There is no device {device_id!r}.")
    return reply(store.device_status(device_id, name))
