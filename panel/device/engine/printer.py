"""The simulated print engine: trays, toner, counters, faults that stop and resume a job.

One page at a time on the device clock, against absolute deadlines (page k of a run comes out
k periods after the run began, so a long job keeps its pages per minute). Before each page the
engine checks what a real one checks: no standing error (jam, open cover, black toner empty),
paper in the tray the page takes its sheet from, colour toner for a colour page; it waits
(state STOPPED, with a Prompt when the user has a choice) until that is so. A jam spoils the
sheet in hand: that page is not counted and prints again after `clear()`, so every page comes
out exactly once. A fuser warm-up precedes the first page after power-on or sleep.

Counters, levels and the faults that stand until someone acts (a jam, an open cover) are kept
in the device store: after a restart the sensors still see the jammed sheet or the open door,
so the fault is back, and the job resumes once it is cleared.

The state is derived, never set by hand: STOPPED while an error reason stands, PROCESSING while
a job prints, IDLE otherwise. Every reason raised or cleared is traced (concern "engine") and
every change published as ENGINE_STATUS_CHANGED.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from panel.device.clock import Clock
from panel.device.engine import faults
from panel.device.engine.status import (
    A4,
    Counters,
    EngineStatus,
    PrintOptions,
    Prompt,
    Reason,
    Severity,
    Toner,
    Tray,
    media_label,
    ordered,
)
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import Job, PrinterState
from panel.device.power import PowerState
from panel.trace import Trace

if TYPE_CHECKING:
    from panel.device.store import DeviceStore

COLOURS = ("black", "cyan", "magenta", "yellow")
LOW_PCT = 10  # toner-low warning at or below this level; it never stops anything
PAGES_PER_CARTRIDGE = 10_000
DEFAULT_OPTIONS = PrintOptions()  # how cloud jobs print


def default_trays() -> tuple[Tray, ...]:
    """Tray 1 and tray 2 hold 500 sheets of A4 each; the bypass 100."""
    return (
        Tray("tray-1", "Tray 1", A4, 500, 500),
        Tray("tray-2", "Tray 2", A4, 500, 500),
        Tray("bypass", "Bypass", A4, 100, 100),
    )


def default_toner(colour: bool = True) -> tuple[Toner, ...]:
    """Full cartridges: CMYK for a colour device, black only for a mono one."""
    colours = COLOURS if colour else COLOURS[:1]
    return tuple(Toner(c, PAGES_PER_CARTRIDGE, PAGES_PER_CARTRIDGE) for c in colours)


class JobAborted(Exception):
    """The user answered the engine's prompt with "Cancel the job": the job ends cancelled."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class _Page:
    """What printing one page takes: the tray its sheet comes from (None for a duplex back
    side, printed on the sheet already in the engine), whether it is a colour page, and
    whether the side is blank (the sheet passes; no impression, no toner)."""

    tray_id: str | None
    colour: bool
    blank: bool = False


class PrintEngine:
    def __init__(
        self,
        events: EventBus,
        trace: Trace,
        clock: Clock,
        store: DeviceStore | None = None,
        ppm: float = 30.0,
        warmup_s: float = 0.0,
        *,
        ppm_duplex: float | None = None,
        colour: bool = True,
        trays: Iterable[Tray] | None = None,
        toner: Iterable[Toner] | None = None,
    ) -> None:
        _check_ppm(ppm, ppm_duplex)
        self._events = events
        self._trace = trace
        self._clock = clock
        self._store = store
        self.ppm = ppm
        self.ppm_duplex = ppm_duplex if ppm_duplex is not None else ppm
        self.warmup_s = warmup_s
        self.colour = colour
        self.state = PrinterState.IDLE
        self._trays = {t.tray_id: t for t in (trays if trays is not None else default_trays())}
        self._toner = {t.colour: t for t in (toner if toner is not None else default_toner(colour))}
        self._counters = Counters()
        self._per_user: dict[str, int] = {}
        # Faults that stand until an operator acts: jams (clear) and covers (close).
        self._faults: dict[tuple[str, str], Reason] = {}
        self._load()
        self._pending_jam: str | None = None  # a jam asked for between sheets: the next one
        self._feeding = False  # a sheet is travelling through the engine
        # What the job waits on: ("tray", tray_id, media label) or ("toner", colour, "").
        self._blocked: tuple[str, str, str] | None = None
        self._prompt: Prompt | None = None
        self._job: Job | None = None
        self._tray_choice: dict[str, str] = {}  # job id -> tray the user chose at a prompt
        self._mono: set[str] = set()  # job ids the user chose to finish in black only
        self._abort: set[str] = set()  # job ids the user cancelled at a prompt
        self._warm = False  # cold at power-on: the first page warms the fuser up
        self._warming = False
        self._wake = asyncio.Event()
        self._page_values: dict[str, str] | None = None
        self._reasons: tuple[Reason, ...] = ()
        self._reasons = self._compute_reasons()
        self.state = self._compute_state()
        events.subscribe(self._on_power, EventKind.POWER_CHANGED)

    # -- reading ------------------------------------------------------------------------------
    def status(self) -> EngineStatus:
        """A snapshot of everything the panel, the server and the LED show."""
        return EngineStatus(
            state=self.state,
            reasons=self._reasons,
            trays=tuple(self._trays.values()),
            toner=tuple(self._toner.values()),
            counters=self._counter_snapshot(),
            ppm_simplex=self.ppm,
            ppm_duplex=self.ppm_duplex,
            warming_up=self._warming,
            prompt=self._prompt,
        )

    def _counter_snapshot(self) -> Counters:
        return replace(self._counters, per_user=tuple(sorted(self._per_user.items())))

    # -- faults and operator actions ----------------------------------------------------------
    def jam(self, location: str = "tray-1") -> Reason:
        """A paper jam at `location`, at once: during a job the sheet travelling jams (between
        sheets, the next one does). KeyError for an unknown location."""
        made = faults.reason("media-jam", location)
        if self._job is not None and not self._feeding:
            self._pending_jam = location
            self._trace.emit("engine", "jam-armed", location=location, code=made.code)
            self._wake.set()
        else:
            self._raise_fault(made)
        return made

    def clear(self, code: str | None = None) -> bool:
        """The jam screen's "Done": remove the jam with `code` (every jam when None). False
        when there was none; an open cover is cleared by closing it, not here."""
        jams = [
            key
            for key, r in self._faults.items()
            if r.keyword == "media-jam" and (code is None or r.code == code)
        ]
        pending = self._pending_jam is not None and (
            code is None or faults.reason("media-jam", self._pending_jam).code == code
        )
        if pending:
            self._pending_jam = None
        for key in jams:
            del self._faults[key]
        self._save({_fault_key(*key): "" for key in jams})
        if jams:
            self._changed("cleared")
        return bool(jams) or pending

    def open_cover(self, cover: str = "front-cover") -> None:
        """Open a cover or door: the engine stops until it is closed."""
        self._raise_fault(faults.reason(faults.cover_keyword(cover), cover))

    def close_cover(self, cover: str = "front-cover") -> None:
        key = (faults.cover_keyword(cover), cover)
        if self._faults.pop(key, None) is not None:
            self._save({_fault_key(*key): ""})
            self._changed("cleared")

    def set_toner(self, colour: str, pct: int) -> None:
        """Set a cartridge's level in percent: 0 empties it, 100 is a new cartridge."""
        toner = self._toner.get(colour)
        if toner is None:
            raise KeyError(f"no {colour} toner (this device has {', '.join(self._toner)})")
        if not 0 <= pct <= 100:
            raise ValueError("a toner level is 0 to 100 percent")
        left = toner.pages_per_cartridge * pct // 100
        self._toner[colour] = replace(toner, pages_left=left)
        self._save({f"toner:{colour}": str(left)})
        self._trace.emit("engine", "toner", colour=colour, pct=pct)
        self._changed("levels")

    def set_tray(self, tray_id: str, level: int, media: str | None = None) -> None:
        """Load a tray to `level` sheets (0 empties it), with other media if given."""
        tray = self._trays.get(tray_id)
        if tray is None:
            raise KeyError(f"no tray {tray_id!r} (this device has {', '.join(self._trays)})")
        if not 0 <= level <= tray.capacity:
            raise ValueError(f"{tray.name} holds 0 to {tray.capacity} sheets")
        if media is not None and not _PWG_MEDIA.fullmatch(media):
            raise ValueError(f"media must be a PWG media name such as {A4}, not {media!r}")
        self._trays[tray_id] = replace(tray, level=level, media=media or tray.media)
        values = {f"tray:{tray_id}:level": str(level)}
        if media:
            values[f"tray:{tray_id}:media"] = media
        self._save(values)
        self._trace.emit("engine", "tray", tray_id=tray_id, level=level, media=media or tray.media)
        self._changed("levels")

    def set_ppm(self, simplex: float, duplex: float | None = None) -> None:
        """Pages per minute from the next page on (duplex: impressions per minute)."""
        _check_ppm(simplex, duplex)
        self.ppm = simplex
        if duplex is not None:
            self.ppm_duplex = duplex
        self._trace.emit("engine", "ppm", simplex=self.ppm, duplex=self.ppm_duplex)
        self._changed("levels")

    def answer(self, choice_id: str) -> None:
        """Answer the engine's prompt with one of its choices (ValueError for anything else)."""
        prompt = self._prompt
        if prompt is None or choice_id not in {c for c, _ in prompt.choices}:
            raise ValueError(f"{choice_id!r} is not a choice the engine is waiting on")
        self._trace.emit("engine", "answer", kind=prompt.kind, choice=choice_id)
        if choice_id.startswith("tray:"):
            self._tray_choice[prompt.job_id] = choice_id.removeprefix("tray:")
        elif choice_id == "mono":
            self._mono.add(prompt.job_id)
        elif choice_id == "cancel":
            self._abort.add(prompt.job_id)
        self._wake.set()

    # -- printing -------------------------------------------------------------------------------
    async def print_job(
        self, job: Job, on_page: Callable[[int], None], options: PrintOptions = DEFAULT_OPTIONS
    ) -> None:
        """Print the pages of `job` not counted yet, calling `on_page(pages_done)` as each
        comes out (SHEET_OUT first). Waits, never fails, while an error stops the engine;
        raises JobAborted when the user cancels the job at a prompt. Cancelling the task
        stops it after the page in hand."""
        if self._job is not None:
            raise RuntimeError("the engine prints one job at a time")
        if options.tray != "auto" and options.tray not in self._trays:
            raise ValueError(f"no tray {options.tray!r}")
        self._job = job
        self._changed("state")
        try:
            await self._run(job, on_page, options)
        finally:
            self._job = None
            self._pending_jam = None
            self._blocked = None
            self._prompt = None
            self._tray_choice.pop(job.job_id, None)
            self._mono.discard(job.job_id)
            self._abort.discard(job.job_id)
            self._changed("state")

    async def _run(self, job: Job, on_page: Callable[[int], None], options: PrintOptions) -> None:
        page = job.pages_done + 1
        due: float | None = None  # the current run's next deadline (None: a new run begins)
        while page <= job.total_pages:
            plan = await self._ready(job, page, options)
            if not self._warm:
                await self._warm_up()
                due = None
                continue  # a cover may have opened meanwhile: check again
            period = 60.0 / (self.ppm_duplex if options.duplex else self.ppm)
            now = self._clock.monotonic()
            if due is None:
                due = now + period
            self._events.publish(Event(EventKind.PAGE_STARTED, job, {"page": page}))
            if not await self._feed(due):
                due = None  # the sheet jammed or the engine stopped: this page again
                continue
            self._output(job, page, plan, options, on_page)
            page += 1
            due += period

    async def _feed(self, due: float) -> bool:
        """The sheet travels until `due`; False when it jammed or an error stopped it."""
        self._feeding = True
        try:
            return await self._travel(due)
        finally:
            self._feeding = False

    async def _travel(self, due: float) -> bool:
        while True:
            if self._pending_jam is not None:
                location, self._pending_jam = self._pending_jam, None
                self._raise_fault(faults.reason("media-jam", location))
                return False
            if any(r.stops for r in self._reasons):
                return False
            left = due - self._clock.monotonic()
            if left <= 0:
                return True
            await self._pause(left)

    async def _ready(self, job: Job, page: int, options: PrintOptions) -> _Page:
        """Wait until the page can print: no stopping fault, paper, toner. Sets and clears
        the block and its prompt as it goes."""
        while True:
            self._wake.clear()
            if job.job_id in self._abort:
                raise JobAborted(f"cancelled at the panel: {self._abort_why()}")
            plan, block, prompt = self._plan(job, page, options)
            if (block, prompt) != (self._blocked, self._prompt):
                self._blocked, self._prompt = block, prompt
                self._changed("prompt")
            if block is None and not any(r.stops for r in self._reasons):
                return plan
            await self._wake.wait()

    def _abort_why(self) -> str:
        return "toner empty" if self._prompt and self._prompt.kind == "toner-empty" else "no paper"

    def _plan(
        self, job: Job, page: int, options: PrintOptions
    ) -> tuple[_Page, tuple[str, str, str] | None, Prompt | None]:
        """The page's tray and colour, or what it waits on and the question for the user."""
        blank = page in options.blank
        colour = options.colour and self.colour and job.job_id not in self._mono and not blank
        if colour:
            for c in COLOURS[1:]:
                if self._toner_out(c):
                    name = c.capitalize()
                    prompt = Prompt(
                        "toner-empty",
                        f"{name} toner is empty. Print the rest in black only, or cancel.",
                        (("mono", "Print in black only"), ("cancel", "Cancel the job")),
                        job.job_id,
                    )
                    return _Page(None, colour), ("toner", c, ""), prompt
        if not _takes_sheet(job, page, options):
            return _Page(None, colour, blank), None, None
        tray_id = self._tray_choice.get(job.job_id) or options.tray
        if tray_id == "auto":
            holding = [t for t in self._trays.values() if t.media == options.media]
            loaded = [t for t in holding if t.level > 0]
            if loaded:
                return _Page(loaded[0].tray_id, colour, blank), None, None
            # No tray holds this size: it is fed by hand, through the bypass.
            tray = holding[0] if holding else self._trays.get("bypass") or self._first_tray()
        else:
            tray = self._trays[tray_id]
            if tray.level > 0:
                return _Page(tray.tray_id, colour, blank), None, None
        label = media_label(options.media if tray_id == "auto" else tray.media)
        others = [
            (f"tray:{t.tray_id}", f"Use {t.name} ({t.media_label})")
            for t in self._trays.values()
            if t.tray_id != tray.tray_id and t.level > 0 and t.media_label == label
        ]
        prompt = Prompt(
            "paper-out",
            f"{tray.name} is out of {label} paper. Load {label} paper"
            + (" or choose another tray." if others else "."),
            (*others, ("cancel", "Cancel the job")),
            job.job_id,
        )
        return _Page(None, colour), ("tray", tray.tray_id, label), prompt

    def _first_tray(self) -> Tray:
        return next(iter(self._trays.values()))

    async def _warm_up(self) -> None:
        self._warming = True
        self._trace.emit("engine", "warm-up", seconds=self.warmup_s)
        self._changed("state")
        try:
            if self.warmup_s > 0:
                await self._clock.sleep(self.warmup_s)
            self._warm = True
        finally:
            self._warming = False
            self._changed("state")

    async def _pause(self, seconds: float) -> None:
        """Sleep on the device clock, woken early by any change (a fault, a level, an answer)."""
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            async with self._clock.timeout(seconds):
                await self._wake.wait()

    def _output(
        self,
        job: Job,
        page: int,
        plan: _Page,
        options: PrintOptions,
        on_page: Callable[[int], None],
    ) -> None:
        """The page is out: its sheet, toner and counts, committed with the job's page count
        (JobManager takes the values into its own commit) or on their own. A blank side is
        no impression and takes no toner; its sheet still counts (from its front), and a
        sheet whose back is blank was not printed on both sides (no duplex count)."""
        c = self._counters
        values: dict[str, str] = {}
        sheet = plan.tray_id is not None
        back = options.duplex and not sheet
        printed = not plan.blank
        counters = replace(
            c,
            total=c.total + printed,
            colour=c.colour + (printed and plan.colour),
            mono=c.mono + (printed and not plan.colour),
            sheets=c.sheets + sheet,
            duplex=c.duplex + (back and printed),
        )
        for name in ("total", "colour", "mono", "sheets", "duplex"):
            values[f"counter:{name}"] = str(getattr(counters, name))
        if job.user_id and printed:
            used = self._per_user.get(job.user_id, 0) + 1
            values[f"user:{job.user_id}"] = str(used)
        toner = dict(self._toner)
        for colour in (COLOURS if plan.colour else COLOURS[:1]) if printed else ():
            if colour in toner:
                t = toner[colour]
                toner[colour] = replace(t, pages_left=max(0, t.pages_left - 1))
                values[f"toner:{colour}"] = str(toner[colour].pages_left)
        trays = dict(self._trays)
        if plan.tray_id is not None:
            tray = trays[plan.tray_id]
            trays[plan.tray_id] = replace(tray, level=max(0, tray.level - 1))
            values[f"tray:{plan.tray_id}:level"] = str(trays[plan.tray_id].level)
        side = "back" if back else "front"
        self._events.publish(
            Event(
                EventKind.SHEET_OUT,
                job,
                {
                    "page": page,
                    "side": side,
                    "tray": plan.tray_id or "",
                    "colour": plan.colour,
                    "blank": plan.blank,
                },
            )
        )
        self._page_values = values
        on_page(page)
        if self._page_values is not None:  # nobody took them into their commit
            self._page_values = None
            self._save(values)
        self._counters = counters
        if job.user_id and printed:
            self._per_user[job.user_id] = int(values[f"user:{job.user_id}"])
        self._toner, self._trays = toner, trays
        self._changed("counters")

    def take_page_values(self) -> dict[str, str]:
        """The engine rows the page just out changes: the jobs concern commits them with the
        job's page count (one transaction: a crash counts the page in both or in neither)."""
        values, self._page_values = self._page_values or {}, None
        return values

    # -- derived state, events and traces -----------------------------------------------------
    def _raise_fault(self, made: Reason) -> None:
        key = (made.keyword, made.location)
        if key not in self._faults:
            self._faults[key] = made
            self._save({_fault_key(*key): "1"})  # the sensors still see it after a restart
            self._changed("fault")

    def _toner_out(self, colour: str) -> bool:
        toner = self._toner.get(colour)
        return toner is not None and toner.pages_left <= 0

    def _compute_reasons(self) -> tuple[Reason, ...]:
        found = list(self._faults.values())
        for toner in self._toner.values():
            where = f"toner-{toner.colour}"
            if toner.pages_left <= 0:
                blocking = self._blocked == ("toner", toner.colour, "") or toner.colour == "black"
                found.append(faults.reason("toner-empty", where, severity=_sev(blocking)))
            elif toner.level_pct <= LOW_PCT:
                found.append(faults.reason("toner-low", where))
        for tray in self._trays.values():
            if self._blocked is not None and self._blocked[:2] == ("tray", tray.tray_id):
                label = self._blocked[2]
                found.append(faults.reason("media-needed", tray.tray_id, media=label))
            elif tray.level <= 0:
                found.append(faults.reason("media-empty", tray.tray_id, media=tray.media_label))
        return ordered(found)

    def _compute_state(self) -> PrinterState:
        if any(r.stops for r in self._reasons):
            return PrinterState.STOPPED
        return PrinterState.PROCESSING if self._job is not None else PrinterState.IDLE

    def _changed(self, change: str) -> None:
        """Recompute reasons and state; trace what was raised and cleared; publish."""
        before = {(r.keyword, r.location, r.severity): r for r in self._reasons}
        self._reasons = self._compute_reasons()
        after = {(r.keyword, r.location, r.severity): r for r in self._reasons}
        raised = [r for key, r in after.items() if key not in before]
        cleared = [r for key, r in before.items() if key not in after]
        for r in cleared:
            self._trace.emit("engine", "cleared", keyword=r.keyword, severity=r.severity.value,
                             code=r.code, location=r.location)  # fmt: skip
        for r in raised:
            self._trace.emit("engine", "fault", keyword=r.keyword, severity=r.severity.value,
                             code=r.code, location=r.location)  # fmt: skip
        if raised:
            change = "fault"
        elif cleared:
            change = "cleared"
        state = self._compute_state()
        if state is not self.state:
            self.state = state
            self._trace.emit("engine", "state", state=state.value)
            self._events.publish(Event(EventKind.PRINTER_STATE_CHANGED, state))
        self._wake.set()
        self._events.publish(
            Event(EventKind.ENGINE_STATUS_CHANGED, self.status(), {"change": change})
        )

    def _on_power(self, event: Event) -> None:
        """The fuser cools down while the device sleeps: the next page warms it up again."""
        if event.subject is PowerState.SLEEP and self._warm:
            self._warm = False
            self._trace.emit("engine", "cooled", cause="sleep")

    # -- persistence -----------------------------------------------------------------------------
    def _save(self, values: dict[str, str]) -> None:
        if self._store is not None and values:
            self._store.save_engine(values)

    def _load(self) -> None:
        """Counters, levels and standing faults as they were before a restart (config gives
        the rest)."""
        if self._store is None:
            return
        rows = self._store.load_engine()
        total, in_colour, mono, duplex, sheets = (
            int(rows.get(f"counter:{name}", "0")) for name in _COUNTER_NAMES
        )
        self._counters = Counters(total, in_colour, mono, duplex, sheets)
        self._per_user = {
            k.removeprefix("user:"): int(v) for k, v in rows.items() if k.startswith("user:")
        }
        for colour, toner in list(self._toner.items()):
            if (left := rows.get(f"toner:{colour}")) is not None:
                self._toner[colour] = replace(
                    toner, pages_left=min(int(left), toner.pages_per_cartridge)
                )
        for tray_id, tray in list(self._trays.items()):
            level = rows.get(f"tray:{tray_id}:level")
            media = rows.get(f"tray:{tray_id}:media")
            self._trays[tray_id] = replace(
                tray,
                level=tray.level if level is None else min(int(level), tray.capacity),
                media=media or tray.media,
            )
        for key, value in rows.items():
            if not (key.startswith("fault:") and value):
                continue
            keyword, _, location = key.removeprefix("fault:").partition(":")
            try:
                made = faults.reason(keyword, location)
            except (KeyError, ValueError):  # a location this configuration no longer has
                continue
            self._faults[(keyword, location)] = made
            self._trace.emit("engine", "restored", keyword=keyword, code=made.code,
                             location=location)  # fmt: skip


# PWG 5101.1 self-describing media names: class_size-name_WIDTHxHEIGHTunit.
_PWG_MEDIA = re.compile(r"[a-z0-9]+_[a-z0-9.-]+_[0-9.]+x[0-9.]+(mm|in)")
_COUNTER_NAMES = ("total", "colour", "mono", "duplex", "sheets")  # Counters' field order


def _fault_key(keyword: str, location: str) -> str:
    """The engine table's row of a standing fault ("1" while it stands, "" once cleared)."""
    return f"fault:{keyword}:{location}"


def _sev(blocking: bool) -> Severity:
    return Severity.ERROR if blocking else Severity.WARNING


def _takes_sheet(job: Job, page: int, options: PrintOptions) -> bool:
    """Simplex: every page. Duplex: the front sides; each copy starts on a new sheet."""
    if not options.duplex:
        return True
    pages = max(1, job.pages)
    return ((page - 1) % pages) % 2 == 0


def _check_ppm(simplex: float, duplex: float | None) -> None:
    if simplex <= 0 or (duplex is not None and duplex <= 0):
        raise ValueError("pages per minute must be positive")
