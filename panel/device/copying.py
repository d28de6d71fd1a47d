"""Copy: the originals on the feeder or the glass, the copy's settings, the plan of the sheets it
prints, and the copy job that prints them on the engine's queue.

The plan is a pure function (`plan_sheets`): which original pages go on which side of which
sheet, in what order, for collated or grouped sets, one- or two-sided output and N-up. The job
prints the plan's sides in order, blank backs included, so the engine's sheets are the plan's
sheets; the engine is told which of its pages are blank (`PrintOptions.blank`), so it counts
no impression and uses no toner for them. What was printed (impressions, sheets) is read off
the plan at the count the engine reached. Nothing here needs the server: a copy works
offline, and its usage record waits in the device's durable report queue until the link is
back.
"""

from __future__ import annotations

import enum
import json
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from panel import crashpoints
from panel.device.engine import PrintOptions
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import Job, JobKind, JobState, User
from panel.device.store import DeviceStore
from panel.paths import resources_dir
from panel.tasks import report_failure
from panel.text import marker
from panel.threads import in_thread
from panel.trace import Trace

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
            raise CopyError(marker("Core", "Put 1, 2 or 4 pages on a side."))

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
    """Every sheet of a copy in the order it leaves the engine, and the pages the engine is
    given for it (`Job.pages` a set, `Job.copies` sets)."""

    sheets: tuple[PlannedSheet, ...]
    duplex: bool
    collate: bool
    copies: int
    pages_per_set: int

    @property
    def engine_pages(self) -> tuple[Face, ...]:
        """The sides the engine prints, in order. The engine starts each set of a two-sided
        job on a new sheet, so a collated set's blank last back is left out; a grouped copy
        repeats sheets, not sets, so there a blank back goes through the engine as a blank
        page to keep the engine's sheets the plan's (see `blank_pages`)."""
        out: list[Face] = []
        for sheet in self.sheets:
            out.append(sheet.front)
            if sheet.back or (sheet.back == () and not self.collate):
                out.append(sheet.back)
        return tuple(out)

    @property
    def blank_pages(self) -> frozenset[int]:
        """The engine's pages (1-based) that are blank sides: no impression, no toner."""
        return frozenset(i for i, face in enumerate(self.engine_pages, 1) if not face)

    @property
    def impressions(self) -> int:
        return sum(1 for face in self.engine_pages if face)

    @property
    def sheet_count(self) -> int:
        return len(self.sheets)

    def printed(self, pages_done: int) -> tuple[int, int]:
        """(impressions, sheets) once the engine has printed its first `pages_done` pages:
        a blank side is no impression; a sheet counts from its front side."""
        done = self.engine_pages[: max(0, pages_done)]
        impressions = sum(1 for face in done if face)
        sheets, left = 0, len(done)
        for sheet in self.sheets:
            if left <= 0:
                break
            sheets += 1
            left -= 1 + (bool(sheet.back) or (sheet.back == () and not self.collate))
        return impressions, sheets


def plan_sheets(pages: int, settings: CopySettings) -> SheetPlan:
    """The sheets of `settings.copies` copies of a `pages`-page original.

    N-up puts `n_up` consecutive pages on a side (the last side may hold fewer). Two-sided
    output pairs the sides of a set front/back; an odd side count leaves the set's last back
    blank, so every set starts on a new sheet. Collated sets come one after the other; grouped
    copies repeat each sheet `copies` times before the next one.
    """
    if pages < 1:
        raise CopyError(marker("Core", "Place the originals first."))
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
    per_set = 2 * len(pairs) if duplex and not settings.collate else len(faces)
    return SheetPlan(sheets, duplex, settings.collate, settings.copies, per_set)


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


# -- the copy job ---------------------------------------------------------------------------------
class CopyPhase(enum.Enum):
    READY = "ready"  # nothing running (the last copy's result, if any, stays in `status`)
    COPYING = "copying"
    COMPLETED = "completed"
    STOPPED = "stopped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class CopyStatus:
    """What the Copy screen and the QA dock show: the originals placed, and the copy running
    or the last one's result."""

    original: Original | None
    phase: CopyPhase = CopyPhase.READY
    job_id: str = ""
    copies: int = 0
    impressions: int = 0  # printed so far
    impressions_total: int = 0
    sheets: int = 0
    sheets_total: int = 0
    colour: bool = False
    duplex: bool = False
    message: str = ""  # why a copy stopped or failed
    waiting: bool = False  # queued behind another job, not printing yet

    @property
    def busy(self) -> bool:
        return self.phase is CopyPhase.COPYING

    def progress_text(self) -> str:
        """ "Copying page 4 of 12", or the result once it has ended."""
        if self.phase is CopyPhase.COPYING and self.waiting:
            return "Waiting for the printer\N{HORIZONTAL ELLIPSIS}"
        if self.phase is CopyPhase.COPYING:
            page = min(self.impressions + 1, self.impressions_total)
            return f"Copying page {page} of {self.impressions_total}"
        if self.phase is CopyPhase.READY:
            return ""
        pages = f"{self.impressions} page{'s' if self.impressions != 1 else ''}"
        sheets = f"{self.sheets} sheet{'s' if self.sheets != 1 else ''}"
        if self.phase is CopyPhase.COMPLETED:
            copies = f"{self.copies} cop{'ies' if self.copies != 1 else 'y'}"
            return f"Done: {copies}, {pages} on {sheets}"
        if self.phase is CopyPhase.STOPPED:
            return f"Stopped after {pages} on {sheets}"
        return f"Failed after {pages}: {self.message}"


class CopyJobs(Protocol):
    """The part of `JobManager` a copy uses: the engine's queue, and cancelling (Stop)."""

    def all(self) -> list[Job]: ...
    def enqueue_local(self, job: Job, options: PrintOptions) -> object: ...
    def cancel_job(self, job_id: str, user: User | None) -> bool: ...


class UsageReports(Protocol):
    """The device's durable report queue (sent to the server in order, when online)."""

    def add(self, kind: str, body: dict[str, Any]) -> object: ...


_SPEC = "copy:"  # store meta key prefix: a copy's plan inputs, until its usage is recorded

# A copy's durable writes, in order (the crash sweep kills the device after each).
SPEC_STORED = crashpoints.point(
    "device.copy.spec-stored", "a copy's plan inputs stored, before its job exists"
)
JOB_STORED = crashpoints.point(
    "device.copy.job-stored", "a copy's local job stored with how it prints (blank sides too)"
)
USAGE_QUEUED = crashpoints.point(
    "device.copy.usage-queued", "a finished copy's usage record committed to the report queue"
)
RECORDED = crashpoints.point(
    "device.copy.recorded", "a finished copy's plan inputs marked recorded (its usage queued)"
)


@dataclass(slots=True)
class _Run:
    job: Job
    plan: SheetPlan
    colour: bool
    phase: CopyPhase = CopyPhase.COPYING
    message: str = ""


class Copier:
    """The copier of one device: originals placed, a copy started, followed page by page, and
    its usage recorded once when it ends (completed or stopped), offline or not.

    A copy's plan inputs are kept in the device store (meta `copy:<job id>`) from its start
    until its usage record is in the report queue, so a restart records the usage of a copy
    that ended while the device went down (`resume`)."""

    def __init__(
        self,
        jobs: CopyJobs,
        reports: UsageReports,
        events: EventBus,
        trace: Trace,
        store: DeviceStore,
        user: Callable[[], User | None],
        printer_busy: Callable[[], bool] = lambda: False,
    ) -> None:
        self._jobs = jobs
        self._reports = reports
        self._events = events
        self._trace = trace
        self._store = store
        self._user = user
        self._printer_busy = printer_busy  # the engine printing something else (or stopped)
        self._original: Original | None = None
        self._run: _Run | None = None
        self._watching: dict[str, _Run] = {}
        _ = events.subscribe(self._on_job, EventKind.JOB_PROGRESS, EventKind.JOB_STATE_CHANGED)

    # -- reading --------------------------------------------------------------------------------
    @property
    def original(self) -> Original | None:
        return self._original

    def status(self) -> CopyStatus:
        run = self._run
        if run is None:
            return CopyStatus(self._original)
        impressions, sheets = run.plan.printed(run.job.pages_done)
        return CopyStatus(
            self._original,
            run.phase,
            run.job.job_id,
            run.plan.copies,
            impressions,
            run.plan.impressions,
            sheets,
            run.plan.sheet_count,
            run.colour,
            run.plan.duplex,
            run.message,
            waiting=run.phase is CopyPhase.COPYING
            and run.job.state is JobState.QUEUED
            and self._printer_busy(),
        )

    # -- originals (the QA dock places them) ------------------------------------------------------
    async def place_file(self, path: Path, placement: Placement) -> Original:
        """Place a PDF or image file's pages on the feeder or the glass (CopyError: unreadable)."""
        return self._place(await in_thread(read_original, path, placement))

    async def place_sample(self, key: str, placement: Placement) -> Original:
        """Place one of the shipped sample sets (SAMPLES)."""
        return self._place(await in_thread(sample_original, key, placement))

    def remove_originals(self) -> None:
        if self._original is not None:
            self._original = None
            self._trace.emit("copy", "originals-removed")
            self._publish("originals")

    def _place(self, original: Original) -> Original:
        self._original = original
        self._trace.emit(
            "copy",
            "originals",
            name=original.name,
            pages=original.pages,
            placement=original.placement.value,
            source=original.source,
        )
        self._publish("originals")
        return original

    # -- copying ----------------------------------------------------------------------------------
    def start(self, settings: CopySettings) -> Job:
        """Start a copy of the originals placed: a local job on the engine's queue (works
        offline). Raises CopyError with a sentence for the person at the panel."""
        try:
            return self._start(settings)
        except CopyError as refused:
            self._trace.emit("copy", "refused", reason=refused.message)
            raise

    def _start(self, settings: CopySettings) -> Job:
        user = self._user()
        if user is None:
            raise CopyError(marker("Core", "Log in first."))
        if self._run is not None and self._run.phase is CopyPhase.COPYING:
            raise CopyError(marker("Core", "A copy is already running. Press Stop to end it."))
        original = self._original
        if original is None:
            raise CopyError(marker("Core", "Place the originals in the feeder or on the glass."))
        if settings.sides.duplex_originals and original.placement is Placement.GLASS:
            raise CopyError(
                marker("Core", "Two-sided originals go in the feeder, not on the glass.")
            )
        if original.sheets(settings.sides.duplex_originals) > FEEDER_SHEETS:
            raise CopyError(f"The feeder holds {FEEDER_SHEETS} sheets: copy fewer at a time.")
        plan = plan_sheets(original.pages, settings)
        colour = settings.prints_colour(original)
        job = Job(
            f"copy-{uuid.uuid4().hex[:12]}",
            JobKind.COPY,
            f"Copy of {original.name}",
            user.user_id,
            JobState.QUEUED,
            pages=plan.pages_per_set,
            copies=settings.copies,
        )
        spec = {"pages": original.pages, "settings": _settings_json(settings), "colour": colour}
        self._store.set_meta(_SPEC + job.job_id, json.dumps(spec))  # before the job exists
        SPEC_STORED.reach()
        options = PrintOptions(
            duplex=plan.duplex,
            colour=colour,
            media=settings.media,
            tray=settings.tray,
            blank=plan.blank_pages,
        )
        self._trace.emit(
            "copy",
            "start",
            job_id=job.job_id,
            user_id=user.user_id,
            original=original.name,
            pages=original.pages,
            copies=settings.copies,
            sides=settings.sides.value,
            colour=colour,
            zoom=settings.zoom_pct,
            n_up=settings.n_up,
            collate=settings.collate,
            tray=settings.tray,
            media=settings.media,
            impressions=plan.impressions,
            sheets=plan.sheet_count,
        )
        try:
            self._jobs.enqueue_local(job, options)
        except Exception:
            self._store.set_meta(_SPEC + job.job_id, "")  # no job: no usage to record
            raise
        JOB_STORED.reach()
        # Followed from here: the job's first page or state comes after an await at the
        # earliest (the engine's worker takes it from the queue).
        self._run = self._watching[job.job_id] = _Run(job, plan, colour)
        self._publish("started")
        return job

    def stop(self) -> bool:
        """Stop the copy running (the Copy screen's Stop); False when none is. JobRefused
        for someone else's copy."""
        run = self._run
        if run is None or run.phase is not CopyPhase.COPYING:
            return False
        self._trace.emit("copy", "stop", job_id=run.job.job_id)
        return self._jobs.cancel_job(run.job.job_id, self._user())

    def _on_job(self, event: Event) -> None:
        job = event.subject
        run = self._watching.get(getattr(job, "job_id", ""))
        if run is None:
            return
        if event.kind is EventKind.JOB_STATE_CHANGED and job.state.is_final:
            self._ended(run)
        elif run is self._run:
            self._publish("page")

    def _ended(self, run: _Run) -> None:
        """The copy is final: its usage goes in the report queue (once), then the result."""
        job = run.job
        del self._watching[job.job_id]
        run.phase = {
            JobState.COMPLETED: CopyPhase.COMPLETED,
            JobState.CANCELLED: CopyPhase.STOPPED,
        }.get(job.state, CopyPhase.FAILED)
        run.message = job.reason
        impressions, sheets = run.plan.printed(job.pages_done)
        try:
            self._record_usage(job, run.plan, run.colour)
        except Exception as exc:  # the spec stays: the next start records it (resume)
            report_failure("copy", f"recording the usage of {job.job_id}", exc, self._trace)
        self._trace.emit(
            "copy",
            "end",
            job_id=job.job_id,
            state=job.state.value,
            impressions=impressions,
            sheets=sheets,
        )
        if run is self._run:
            self._publish("ended")

    # -- usage, exactly once --------------------------------------------------------------------
    def resume(self) -> None:
        """After a restart, before the report queue drains: record the usage of every copy
        that ended while the device went down, and follow the copies still to print.

        A copy's usage is queued (one durable commit), then its spec is marked recorded (a
        second one). A kill between the two leaves the record in the queue and the spec
        unmarked: the queue is looked at first, so the record is never queued twice. A spec
        whose job was never stored (a kill between the two commits of `start`) is dropped."""
        queued = self._queued_usage()
        known = {job.job_id for job in self._jobs.all()}
        for key in self._store.meta_with_prefix(_SPEC):
            if key.removeprefix(_SPEC) not in known:
                self._store.set_meta(key, "")
                self._trace.emit("copy", "never-started", job_id=key.removeprefix(_SPEC))
        for job in self._jobs.all():
            raw = self._store.get_meta(_SPEC + job.job_id) if job.kind is JobKind.COPY else ""
            if not raw:
                continue
            spec = json.loads(raw)
            plan = plan_sheets(int(spec["pages"]), _settings_from_json(spec["settings"]))
            run = _Run(job, plan, bool(spec["colour"]))
            if not job.state.is_final:
                self._run = self._watching[job.job_id] = run
                self._trace.emit("copy", "resumed", job_id=job.job_id, pages_done=job.pages_done)
            elif job.job_id in queued:
                self._store.set_meta(_SPEC + job.job_id, "")
            else:
                self._record_usage(job, plan, run.colour)

    def _queued_usage(self) -> set[str]:
        """Job ids of the usage records still in the report queue."""
        found = set()
        for _, kind, _, body in self._store.queued_reports():
            if kind == "usage":
                found.add(str(json.loads(body).get("job_id", "")))
        return found

    def _record_usage(self, job: Job, plan: SheetPlan, colour: bool) -> None:
        impressions, sheets = plan.printed(job.pages_done)
        body: dict[str, Any] = {
            "job_id": job.job_id,
            "user_id": job.user_id,
            "kind": "copy",
            "impressions": impressions,
            "sheets": sheets,
            "colour": colour,
            "duplex": plan.duplex,
        }
        self._reports.add("usage", body)
        USAGE_QUEUED.reach()
        self._store.set_meta(_SPEC + job.job_id, "")  # recorded: a restart leaves it be
        RECORDED.reach()
        self._trace.emit("copy", "usage", **body)

    def _publish(self, change: str) -> None:
        self._events.publish(Event(EventKind.COPY_CHANGED, self.status(), {"change": change}))


def _settings_json(settings: CopySettings) -> dict[str, Any]:
    return {
        "copies": settings.copies,
        "sides": settings.sides.value,
        "colour": settings.colour.value,
        "zoom_pct": settings.zoom_pct,
        "n_up": settings.n_up,
        "collate": settings.collate,
        "tray": settings.tray,
        "media": settings.media,
    }


def _settings_from_json(raw: dict[str, Any]) -> CopySettings:
    return CopySettings(
        copies=int(raw["copies"]),
        sides=Sides(raw["sides"]),
        colour=ColourMode(raw["colour"]),
        zoom_pct=int(raw["zoom_pct"]),
        n_up=int(raw["n_up"]),
        collate=bool(raw["collate"]),
        tray=str(raw["tray"]),
        media=str(raw["media"]),
    )
