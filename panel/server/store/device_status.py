"""What devices report about themselves (issue 14): each report once, the latest status per
device, the history of its faults (raised and cleared) and its local jobs' usage.

A batch is one transaction. Each report is recorded under (device, stream, seq) first: one
already recorded is a resend and changes nothing. A status report becomes the device's latest
only when it is newer than the one held (a higher seq of the same stream, or another stream: a
device whose queue was made afresh); the faults are the difference between the two: a code
that appears is raised at the report's time, one that disappears is cleared then. An older
status arriving late is recorded and otherwise ignored. A usage record counts once per job.
"""

from __future__ import annotations

from dataclasses import dataclass

from panel import crashpoints
from panel.protocol.codec import decode_body, encode_body
from panel.protocol.device_reports import (
    DeviceReport,
    DeviceStatusInfo,
    FaultRecord,
    ReasonInfo,
    StatusBody,
    UsageBody,
    UsageTotals,
)
from panel.protocol.files import BoxChange
from panel.server.files.index import apply_box_change
from panel.server.store.db import Database

STORED = crashpoints.point(
    "server.device-reports.stored",
    "a batch of device reports, the latest status, its faults and usage committed; the reply"
    " not written",
)
MAX_FAULTS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    stored: int
    duplicates: int
    last_seq: int


def _fault_key(reason: ReasonInfo) -> str:
    """What identifies a fault across reports: its code, or its keyword and place without one."""
    return reason.code or f"{reason.keyword}@{reason.location}"


class DeviceStatusStore:
    """Device reports: the ledger of (device, stream, seq), the latest status, faults, usage."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record_reports(
        self, device_id: str, stream: str, reports: list[DeviceReport]
    ) -> BatchOutcome:
        """Record a batch in one commit; each report once, whatever was sent before."""
        stored = duplicates = 0
        now = self._db.clock()
        with self._db.transaction(STORED):
            for report in reports:
                cur = self._db.execute(
                    "INSERT OR IGNORE INTO device_reports(device_id, stream, seq, kind, at,"
                    " received_at) VALUES (?,?,?,?,?,?)",
                    (device_id, stream, report.seq, report.kind, report.at, now),
                )
                if cur.rowcount != 1:
                    duplicates += 1
                    continue
                stored += 1
                if isinstance(report.body, StatusBody):
                    self._status(device_id, stream, report, report.body, now)
                elif isinstance(report.body, UsageBody):
                    self._usage(device_id, report.at, report.body)
                elif isinstance(report.body, BoxChange):
                    apply_box_change(self._db, device_id, report.body)
            row = self._db.execute(
                "SELECT MAX(seq) FROM device_reports WHERE device_id=? AND stream=?",
                (device_id, stream),
            ).fetchone()
        return BatchOutcome(stored, duplicates, int(row[0] or 0))

    def _status(
        self, device_id: str, stream: str, report: DeviceReport, body: StatusBody, now: float
    ) -> None:
        held = self._db.execute(
            "SELECT stream, seq FROM device_status WHERE device_id=?", (device_id,)
        ).fetchone()
        if held is not None and held[0] == stream and held[1] > report.seq:
            return  # older than the status held: recorded (above), not shown
        self._db.execute(
            "INSERT OR REPLACE INTO device_status(device_id, stream, seq, at, received_at, body)"
            " VALUES (?,?,?,?,?,?)",
            (device_id, stream, report.seq, report.at, now, encode_body(body).decode()),
        )
        current = {_fault_key(r): r for r in body.reasons}
        open_faults = {
            str(key): int(fault_id)
            for fault_id, key in self._db.execute(
                "SELECT fault_id, fault_key FROM device_faults"
                " WHERE device_id=? AND cleared_at IS NULL",
                (device_id,),
            )
        }
        for key, fault_id in open_faults.items():
            if key not in current:
                self._db.execute(
                    "UPDATE device_faults SET cleared_at=? WHERE fault_id=?", (report.at, fault_id)
                )
        for key, reason in current.items():
            if key not in open_faults:
                self._db.execute(
                    "INSERT INTO device_faults(device_id, fault_key, code, keyword, severity,"
                    " location, message, raised_at) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        device_id,
                        key,
                        reason.code,
                        reason.keyword,
                        reason.severity,
                        reason.location,
                        reason.message,
                        report.at,
                    ),
                )

    def _usage(self, device_id: str, at: float, body: UsageBody) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO device_usage(device_id, job_id, user_id, kind, impressions,"
            " sheets, colour, duplex, at) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                device_id,
                body.job_id,
                body.user_id,
                body.kind,
                body.impressions,
                body.sheets,
                int(body.colour),
                int(body.duplex),
                at,
            ),
        )

    def device_status(
        self, device_id: str, device_name: str, faults: int = MAX_FAULTS_SHOWN
    ) -> DeviceStatusInfo:
        """The latest status of `device_id`, its last `faults` faults (latest first) and usage."""
        with self._db.snapshot():
            row = self._db.execute(
                "SELECT body, at, received_at FROM device_status WHERE device_id=?", (device_id,)
            ).fetchone()
            history = self._db.execute(
                "SELECT code, keyword, severity, location, message, raised_at, cleared_at"
                " FROM device_faults WHERE device_id=? ORDER BY fault_id DESC LIMIT ?",
                (device_id, faults),
            ).fetchall()
            usage = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(impressions), 0), COALESCE(SUM(sheets), 0),"
                " COALESCE(SUM(colour), 0), COALESCE(SUM(duplex), 0)"
                " FROM device_usage WHERE device_id=?",
                (device_id,),
            ).fetchone()
        status = decode_body(StatusBody, row[0], limit=len(row[0])) if row else None
        return DeviceStatusInfo(
            device_id,
            device_name,
            status,
            row[1] if row else None,
            row[2] if row else None,
            [FaultRecord(*fault) for fault in history],
            UsageTotals(*(int(v) for v in usage)),
        )

    def purge_reports(self, retention_s: float) -> int:
        """Forget which reports arrived more than `retention_s` ago (how many went). Safe: a
        device drops a report once answered, so only a reply lost for that long could bring
        one back, and then an older status is not shown and a job's usage counts once."""
        cur = self._db.execute(
            "DELETE FROM device_reports WHERE received_at < ?", (self._db.clock() - retention_s,)
        )
        return int(cur.rowcount)

    def reports_count(self, device_id: str) -> int:
        """How many reports of `device_id` the server holds (each stored once)."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM device_reports WHERE device_id=?", (device_id,)
        ).fetchone()
        return int(row[0])

    def status_seqs(self, device_id: str) -> list[int]:
        """The seqs of `device_id`'s status reports, in the order they were recorded."""
        rows = self._db.execute(
            "SELECT seq FROM device_reports WHERE device_id=? AND kind='status' ORDER BY rowid",
            (device_id,),
        )
        return [int(r[0]) for r in rows]
