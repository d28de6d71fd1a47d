"""Copy: the originals on the feeder or the glass, the copy's settings, the plan of the sheets it
prints, and the copy job that prints them on the engine's queue.

The plan is a pure function (`plan_sheets`): which original pages go on which side of which
sheet, in what order, for collated or grouped sets, one- or two-sided output and N-up. The job
prints the plan's sides in order, blank backs included, so the engine's sheets are the plan's
sheets; what was printed (impressions, sheets) is read off the plan at the count the engine
reached. Nothing here needs the server: a copy works offline, and its usage record waits in the
device's durable report queue until the link is back.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from pathlib import Path

from panel.paths import resources_dir

MAX_COPIES = 999
ZOOM_MIN, ZOOM_MAX = 25, 400
N_UP = (1, 2, 4)
FEEDER_SHEETS = 100  # what the simulated document feeder holds
MAX_FILE_BYTES = 64 * 1024 * 1024

# Reduce/enlarge presets, as a copier's zoom menu names them (the usual A/B series ratios).
ZOOM_PRESETS: tuple[tuple[str, int], ...] = (
    ("A3 \N{RIGHTWARDS ARROW} A4", 71),
    ("B4 \N{RIGHTWARDS ARROW} A4", 81),
    ("100%", 100),
    ("A4 \N{RIGHTWARDS ARROW} B4", 122),
    ("A4 \N{RIGHTWARDS ARROW} A3", 141),
)


class CopyError(Exception):
    """A copy the device refuses (no originals, a setting out of range, an unreadable file):
    the message is a sentence for the person at the panel, and nothing started."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- settings -------------------------------------------------------------------------------------
class Sides(enum.Enum):
    """Originals' sides -> copies' sides, as a copier's "2-Sided" menu offers them."""

    ONE_ONE = "1-1"
    ONE_TWO = "1-2"
    TWO_TWO = "2-2"

    @property
    def label(self) -> str:
        return {"1-1": "1 \N{RIGHTWARDS ARROW} 1", "1-2": "1 \N{RIGHTWARDS ARROW} 2"}.get(
            self.value, "2 \N{RIGHTWARDS ARROW} 2"
        )

    @property
    def duplex_output(self) -> bool:
        return self is not Sides.ONE_ONE

    @property
    def duplex_originals(self) -> bool:
        return self is Sides.TWO_TWO


class ColourMode(enum.Enum):
    COLOUR = "colour"
    MONO = "mono"
    AUTO = "auto"  # colour when the original has colour (auto colour select)

    @property
    def label(self) -> str:
        return {"colour": "Full colour", "mono": "Black & white"}.get(self.value, "Auto colour")


@dataclass(frozen=True, slots=True)
class CopySettings:
    """What the Copy screen sets; the defaults are a copier's after Reset."""

    copies: int = 1
    sides: Sides = Sides.ONE_ONE
    colour: ColourMode = ColourMode.AUTO
    zoom_pct: int = 100
    n_up: int = 1
    collate: bool = True  # True: sets 1-2-3, 1-2-3; False: grouped 1-1, 2-2, 3-3
    tray: str = "auto"  # "auto" or a tray id
    media: str = "iso_a4_210x297mm"

    def check(self) -> None:
        """Raise CopyError naming the first setting out of range."""
        if not 1 <= self.copies <= MAX_COPIES:
            raise CopyError(f"Make 1 to {MAX_COPIES} copies.")
        if not ZOOM_MIN <= self.zoom_pct <= ZOOM_MAX:
            raise CopyError(f"Zoom goes from {ZOOM_MIN}% to {ZOOM_MAX}%.")
        if self.n_up not in N_UP:
            raise CopyError("Put 1, 2 or 4 pages on a side.")

    def prints_colour(self, original: Original) -> bool:
        if self.colour is ColourMode.AUTO:
            return original.colour
        return self.colour is ColourMode.COLOUR


def zoom_label(pct: int) -> str:
    """The zoom as the quick setting shows it: a preset's name, else the percentage."""
    for name, value in ZOOM_PRESETS:
        if value == pct and value != 100:
            return f"{name} ({pct}%)"
    return f"{pct}%"


# -- the sheet plan -------------------------------------------------------------------------------
Face = tuple[int, ...]  # the original pages (1-based) on one side of a sheet; () is blank


@dataclass(frozen=True, slots=True)
class PlannedSheet:
    set_no: int  # which copy of the original (1-based)
    sheet_no: int  # the sheet's place in its set (1-based)
    front: Face
    back: Face | None  # None: a one-sided sheet; (): a two-sided sheet with a blank back


@dataclass(frozen=True, slots=True)
class SheetPlan:
    """Every sheet of a copy in the order it leaves the engine."""

    sheets: tuple[PlannedSheet, ...]
    duplex: bool
    sides_per_set: int  # sides the engine prints per set, blank backs included

    @property
    def sides(self) -> tuple[Face, ...]:
        """The sides the engine prints, in order: front, back, front, back... (duplex)."""
        out: list[Face] = []
        for sheet in self.sheets:
            out.append(sheet.front)
            if sheet.back is not None:
                out.append(sheet.back)
        return tuple(out)

    @property
    def impressions(self) -> int:
        return self.printed(len(self.sides))[0]

    @property
    def sheet_count(self) -> int:
        return len(self.sheets)

    def printed(self, sides_done: int) -> tuple[int, int]:
        """(impressions, sheets) once the engine has printed its first `sides_done` sides: a
        blank back is no impression; a sheet counts once any of its sides is printed."""
        done = self.sides[: max(0, sides_done)]
        per_sheet = 2 if self.duplex else 1
        return sum(1 for face in done if face), math.ceil(len(done) / per_sheet)


def plan_sheets(pages: int, settings: CopySettings) -> SheetPlan:
    """The sheets of `settings.copies` copies of a `pages`-page original.

    N-up puts `n_up` consecutive pages on a side (the last side may hold fewer). Two-sided
    output pairs the sides of a set front/back; an odd side count leaves the set's last back
    blank, so every set starts on a new sheet. Collated sets come one after the other; grouped
    copies repeat each sheet `copies` times before the next one.
    """
    if pages < 1:
        raise CopyError("Place the originals first.")
    settings.check()
    n = settings.n_up
    faces = [tuple(range(first, min(first + n, pages + 1))) for first in range(1, pages + 1, n)]
    duplex = settings.sides.duplex_output
    if duplex:
        pairs: list[tuple[Face, Face | None]] = [
            (faces[i], faces[i + 1] if i + 1 < len(faces) else ()) for i in range(0, len(faces), 2)
        ]
    else:
        pairs = [(face, None) for face in faces]
    copies = range(1, settings.copies + 1)
    order = (
        [(c, i) for c in copies for i in range(len(pairs))]
        if settings.collate
        else [(c, i) for i in range(len(pairs)) for c in copies]
    )
    sheets = tuple(PlannedSheet(c, i + 1, *pairs[i]) for c, i in order)
    return SheetPlan(sheets, duplex, len(pairs) * (2 if duplex else 1))


# -- originals ------------------------------------------------------------------------------------
class Placement(enum.Enum):
    FEEDER = "feeder"  # the automatic document feeder: any number of pages
    GLASS = "glass"  # the platen glass: one page

    @property
    def label(self) -> str:
        return "feeder" if self is Placement.FEEDER else "glass"


@dataclass(frozen=True, slots=True)
class Original:
    """What lies on the scanner: `pages` page images (a side each) from `source`."""

    name: str  # "Letter", or the file's name
    pages: int
    placement: Placement
    colour: bool  # has colour (what auto colour select sees)
    source: str  # "sample:<name>" or the file's path

    def describe(self) -> str:
        """The panel's line: "3 pages in the feeder", "1 page on the glass"."""
        count = f"{self.pages} page{'s' if self.pages != 1 else ''}"
        if self.placement is Placement.GLASS:
            return f"{count} on the glass"
        return f"{count} in the feeder"

    def sheets(self, duplex_originals: bool) -> int:
        """Sheets of paper the original is (two-sided originals: two pages a sheet)."""
        return math.ceil(self.pages / 2) if duplex_originals else self.pages


@dataclass(frozen=True, slots=True)
class SampleSet:
    """A sample original shipped under resources/originals (the QA dock offers them)."""

    key: str
    name: str
    file: str
    colour: bool


SAMPLES: tuple[SampleSet, ...] = (
    SampleSet("letter", "Letter, 3 pages", "letter.pdf", colour=False),
    SampleSet("report", "Report, 5 pages", "report.pdf", colour=False),
    SampleSet("photo", "Photo, 1 page", "photo.png", colour=True),
)


def originals_dir() -> Path:
    return resources_dir() / "originals"


# Images the copier takes as one page each, by their first bytes (the file name is not trusted).
_IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
UNREADABLE = "{name} cannot be copied: {why}. Use a PDF or an image (PNG, JPEG, GIF, BMP, TIFF)."


def read_original(path: Path, placement: Placement) -> Original:
    """The original a file makes: a PDF's pages, or one page for an image; on the glass, its
    first page only. Raises CopyError with a sentence for QA when the file cannot be read.
    Blocking (reads and parses the file): call it in a thread."""
    from panel.pdf import page_count  # pypdf: loaded when a file is first placed

    name = path.name

    def refuse(why: str) -> CopyError:
        return CopyError(UNREADABLE.format(name=name, why=why))

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise refuse(f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise refuse(exc.strerror or "it cannot be opened") from None
    if not data:
        raise refuse("it is empty")
    if data.startswith(b"%PDF-"):
        try:
            pages, colour = page_count(data), True
        except ValueError as exc:
            raise refuse(str(exc)) from None
    elif any(data.startswith(magic) and len(data) > 32 for magic, _ in _IMAGE_SIGNATURES):
        pages, colour = 1, True
    else:
        raise refuse("it is neither a PDF nor an image")
    return _placed(name, pages, placement, colour, str(path))


def sample_original(key: str, placement: Placement) -> Original:
    """One of the shipped sample sets (SAMPLES), read like any file."""
    sample = next((s for s in SAMPLES if s.key == key), None)
    if sample is None:
        raise CopyError(f"There is no sample original named {key!r}.")
    found = read_original(originals_dir() / sample.file, placement)
    return _placed(sample.name, found.pages, placement, sample.colour, f"sample:{key}")


def _placed(name: str, pages: int, placement: Placement, colour: bool, source: str) -> Original:
    """On the glass lies one page; the feeder holds FEEDER_SHEETS sheets."""
    if placement is Placement.GLASS:
        pages = 1
    elif pages > FEEDER_SHEETS * 2:
        raise CopyError(f"{name} has {pages} pages: the feeder holds {FEEDER_SHEETS} sheets.")
    return Original(name, pages, placement, colour, source)
