"""What the print engine is and has, as plain frozen data: its state and current reasons
(IPP printer-state / printer-state-reasons, as PAPPL names them, with a vendor-style code the
service engineer reads), trays, toner, counters, and the question it may be waiting on.

Views, the status report to the server and the Attention LED read an `EngineStatus` snapshot;
nothing here changes the engine.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from panel.device.model import PrinterState

A4 = "iso_a4_210x297mm"
A3 = "iso_a3_297x420mm"
LETTER = "na_letter_8.5x11in"

# PWG self-describing media names -> the short label the panel shows.
_MEDIA_LABELS = {A4: "A4", A3: "A3", LETTER: "Letter", "iso_a5_148x210mm": "A5"}


def media_label(media: str) -> str:
    """The panel's short name for a PWG media name ("A4"); unknown names pass as they are."""
    return _MEDIA_LABELS.get(media, media)


class Severity(enum.Enum):
    """IPP printer-state-reasons suffixes."""

    REPORT = "report"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Reason:
    """One current printer-state-reason, with what the panel tells the user about it."""

    keyword: str  # IPP keyword without its suffix: "media-jam", "toner-low"...
    severity: Severity
    code: str  # vendor-style code: "J-0101" (jam at the tray 1 feed)
    location: str  # "tray-1", "fuser", "front-cover", "toner-black"... ("" when none)
    message: str  # one sentence for the panel
    steps: tuple[str, ...]  # how to clear it, one short sentence a step
    icon: str  # picture name under resources/engine/
    media: str = ""  # the media label its text names ("A4"; "" when none): views reword it

    @property
    def ipp(self) -> str:
        """The IPP keyword with its severity suffix, e.g. "media-jam-error"."""
        return f"{self.keyword}-{self.severity.value}"

    @property
    def stops(self) -> bool:
        """An error stops the engine until it is cleared."""
        return self.severity is Severity.ERROR


@dataclass(frozen=True, slots=True)
class Tray:
    tray_id: str  # "tray-1", "tray-2", "bypass"
    name: str  # "Tray 1", "Bypass"
    media: str  # PWG self-describing name
    capacity: int  # sheets
    level: int  # sheets left

    @property
    def media_label(self) -> str:
        return media_label(self.media)


@dataclass(frozen=True, slots=True)
class Toner:
    colour: str  # "black", "cyan", "magenta", "yellow"
    pages_left: int
    pages_per_cartridge: int

    @property
    def level_pct(self) -> int:
        """0..100, rounded down: a cartridge with one page left is not "1%" too soon."""
        if self.pages_per_cartridge <= 0:
            return 0
        return max(0, min(100, self.pages_left * 100 // self.pages_per_cartridge))


@dataclass(frozen=True, slots=True)
class Counters:
    """Page counters; they survive restarts (device store)."""

    total: int = 0  # impressions (page sides printed)
    colour: int = 0
    mono: int = 0
    duplex: int = 0  # sheets printed on both sides
    sheets: int = 0  # sheets out
    per_user: tuple[tuple[str, int], ...] = ()  # (user_id, impressions), sorted by user_id


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question the engine waits on; the panel shows it with one button per choice."""

    kind: str  # "paper-out" | "toner-empty"
    message: str
    choices: tuple[tuple[str, str], ...]  # (choice_id, label)
    job_id: str


@dataclass(frozen=True, slots=True)
class PrintOptions:
    """How a job is printed; cloud jobs use the defaults."""

    duplex: bool = False
    colour: bool = False
    media: str = A4
    tray: str = "auto"  # "auto": a tray holding `media`; a tray_id: whatever that tray holds
    # Pages of the job (1-based, across its copies) that are blank sides: the sheet goes
    # through the engine and counts as a sheet, but nothing is printed on that side, so it is
    # no impression and takes no toner (a grouped two-sided copy's blank backs).
    blank: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class EngineStatus:
    state: PrinterState
    reasons: tuple[Reason, ...]  # current ones, errors first
    trays: tuple[Tray, ...]
    toner: tuple[Toner, ...]  # one for mono devices, four for colour
    counters: Counters
    ppm_simplex: float
    ppm_duplex: float
    warming_up: bool
    prompt: Prompt | None

    @property
    def error_codes(self) -> list[str]:
        """Codes of every current reason, errors first (what a maintenance call carries)."""
        return [r.code for r in self.reasons]

    @property
    def state_reasons(self) -> list[str]:
        """IPP printer-state-reasons; ["none"] when there are none."""
        return [r.ipp for r in self.reasons] or ["none"]

    @property
    def has_error(self) -> bool:
        return any(r.severity is Severity.ERROR for r in self.reasons)

    @property
    def has_warning(self) -> bool:
        return any(r.severity is Severity.WARNING for r in self.reasons)


def ordered(reasons: list[Reason]) -> tuple[Reason, ...]:
    """Errors first, then warnings, then reports; stable within a severity."""
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.REPORT: 2}
    return tuple(sorted(reasons, key=lambda r: rank[r.severity]))
