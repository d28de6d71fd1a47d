"""What a device reports about itself (issue 14): its engine's status and its local jobs' usage.

A device keeps each report in a durable queue and sends them in order, in batches, to
`POST /api/v{PROTOCOL_VERSION}/devices/me/reports`:

    {"stream": "...", "reports": [{"seq": 1, "kind": "status", "at": 1765000000.0, "body": {...}}]}

`seq` grows by one per report a device queues (a device that coalesced unsent level changes
leaves gaps); `stream` names the device's queue (made once with its store), so that a store
made afresh, whose numbers start again, is not taken for a resend. The server stores each
(device, stream, seq) once: a batch sent again after a lost reply is accepted and changes
nothing.

Versioning: these bodies are part of protocol `PROTOCOL_VERSION`. Fields added later are
optional, and a receiver ignores the fields it does not know, so older and newer peers still
understand each other; anything else is a new protocol version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from panel.protocol.codec import ProtocolError
from panel.protocol.constraints import Count, Limit, Seq
from panel.protocol.files import BoxChange

REPORT_KINDS = ("status", "usage", "box")
PRINTER_STATES = ("idle", "processing", "stopped")
SEVERITIES = ("report", "warning", "error")
USAGE_KINDS = ("copy",)

MAX_REPORTS = 100  # per batch
MAX_REASONS = 32
MAX_TRAYS = 16
MAX_TONERS = 8
MAX_KEYWORD = 64
MAX_CODE = 32
MAX_LOCATION = 32
MAX_MESSAGE = 300
MAX_NAME = 64
MAX_ID = 64
MAX_SHEETS = 1_000_000  # a tray's capacity or level
REPORTS_BODY_BYTES = 1024 * 1024  # a full batch of the largest status bodies fits

Keyword = Annotated[str, Limit(1, MAX_KEYWORD, code="bad_report")]
Code = Annotated[str, Limit(max_length=MAX_CODE, code="bad_report")]
Location = Annotated[str, Limit(max_length=MAX_LOCATION, code="bad_report")]
Message = Annotated[str, Limit(max_length=MAX_MESSAGE, code="bad_report")]
Name = Annotated[str, Limit(max_length=MAX_NAME, code="bad_report")]
Ident = Annotated[str, Limit(1, MAX_ID, code="bad_report")]
Sheets = Annotated[int, Limit(minimum=0, maximum=MAX_SHEETS, code="bad_report")]


@dataclass(frozen=True, slots=True)
class ReasonInfo:
    """One current printer-state-reason: IPP keyword (no suffix) and severity, the vendor code
    the service engineer reads, where it is, and the panel's sentence about it."""

    keyword: Keyword
    severity: Annotated[str, Limit(choices=SEVERITIES, code="bad_report")]
    code: Code = ""
    location: Location = ""
    message: Message = ""


@dataclass(frozen=True, slots=True)
class TrayInfo:
    """A paper tray: its PWG media name, capacity and sheets left."""

    tray_id: Ident
    name: Name
    media: Name
    capacity: Sheets
    level: Sheets


@dataclass(frozen=True, slots=True)
class TonerInfo:
    colour: Annotated[str, Limit(1, 32, code="bad_report")]
    pct: Annotated[int, Limit(minimum=0, maximum=100, code="bad_report")]


@dataclass(frozen=True, slots=True)
class CounterInfo:
    """Page counters since the device was made: impressions (total, colour, mono), sheets
    printed on both sides (duplex) and sheets out."""

    total: Count
    colour: Count
    mono: Count
    duplex: Count
    sheets: Count


@dataclass(frozen=True, slots=True)
class StatusBody:
    """The engine's state (IPP printer-state), its current reasons, trays, toner and counters."""

    state: Annotated[str, Limit(choices=PRINTER_STATES, code="bad_report")]
    reasons: Annotated[list[ReasonInfo], Limit(max_length=MAX_REASONS, code="bad_report")]
    trays: Annotated[list[TrayInfo], Limit(max_length=MAX_TRAYS, code="bad_report")]
    toner: Annotated[list[TonerInfo], Limit(max_length=MAX_TONERS, code="bad_report")]
    counters: CounterInfo


@dataclass(frozen=True, slots=True)
class UsageBody:
    """One local job's usage (a copy): who made it, impressions and sheets, colour, duplex."""

    job_id: Ident
    user_id: Annotated[str, Limit(max_length=MAX_ID, code="bad_report")]
    kind: Annotated[str, Limit(choices=USAGE_KINDS, code="bad_report")]
    impressions: Count
    sheets: Count
    colour: bool
    duplex: bool


# "box": a document box change (S6, panel/protocol/files.py)
ReportBody = StatusBody | UsageBody | BoxChange
_BODY_OF = {"status": StatusBody, "usage": UsageBody, "box": BoxChange}


@dataclass(frozen=True, slots=True)
class DeviceReport:
    """One report: `kind` says what `body` is (a status body for "status", a usage record for
    "usage"); `at` is the device's time when it was made."""

    seq: Annotated[int, Limit(minimum=1, maximum=2**63 - 1, code="bad_report")]
    kind: Annotated[str, Limit(choices=REPORT_KINDS, code="bad_report")]
    at: Annotated[float, Limit(minimum=0, code="bad_report")]
    body: ReportBody

    def __post_init__(self) -> None:
        expected = _BODY_OF.get(self.kind)
        if expected is not None and not isinstance(self.body, expected):
            raise ProtocolError(
                "bad_report",
                f"report {self.seq} is of kind {self.kind!r} but its body is a"
                f" {type(self.body).__name__}, not a {expected.__name__}",
            )


@dataclass(frozen=True, slots=True)
class DeviceReportBatch:
    """Reports in the order the device made them (at most `MAX_REPORTS`)."""

    stream: Annotated[str, Limit(1, MAX_ID, code="bad_report")]
    reports: Annotated[list[DeviceReport], Limit(1, MAX_REPORTS, code="too_many_reports")]


@dataclass(frozen=True, slots=True)
class DeviceReportReply:
    """`stored`: reports new to the server; `duplicates`: reports it had already (a resend);
    `last_seq`: the highest seq of this stream the server holds."""

    stored: Count
    duplicates: Count
    last_seq: Seq


@dataclass(frozen=True, slots=True)
class FaultRecord:
    """A reason the device raised, and when it was cleared (None while it lasts)."""

    code: str
    keyword: str
    severity: str
    location: str
    message: str
    raised_at: float
    cleared_at: float | None = None


@dataclass(frozen=True, slots=True)
class UsageTotals:
    """What a device's local jobs (copies) used, summed from their usage records."""

    jobs: Count = 0
    impressions: Count = 0
    sheets: Count = 0
    colour_jobs: Count = 0
    duplex_jobs: Count = 0


@dataclass(frozen=True, slots=True)
class DeviceStatusInfo:
    """A device's latest status as the server knows it (`status` None: none reported yet),
    its recent faults (latest first) and its usage totals. `at`: the device's time of the
    status; `received_at`: the server's time it arrived."""

    device_id: str
    device_name: str
    status: StatusBody | None
    at: float | None
    received_at: float | None
    faults: list[FaultRecord]
    usage: UsageTotals
