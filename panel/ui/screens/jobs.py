"""Job list: every job on the device with its state, progress and a Cancel button, kept live.

Private as on real devices: the user logged in sees their own jobs; another user's job is an
anonymous "Other user" row (its kind and state: the queue is busy, nothing more) with no
action; an administrator sees and manages all; with nobody logged in every row is anonymous.
The device core refuses an action on another user's job whatever the view shows.

Model/view, so that ten thousand jobs and bursts of state changes stay smooth: `JobListModel`
keeps the jobs (newest first) and per-state counts, takes each job event in O(log n) and tells
the view once per frame what changed (`panel.ui.coalesce`); `JobDelegate` paints the visible
rows (no widget per job) and turns a tap on a row's Cancel area into `cancel_requested`. Tests
reach a row by job id with `JobListScreen.row_of`, and call `flush()` to see the view catch up
without waiting for the frame.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPixmap,
    QStaticText,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from panel.device.model import Job, JobKind, JobState, User, may_manage
from panel.text import marker
from panel.ui import i18n, theme
from panel.ui.coalesce import Coalescer
from panel.ui.i18n import Text, bind, translate, translate_marked
from panel.ui.widgets import Label

KIND_LABELS = {
    JobKind.CLOUD_PRINT: Text("Jobs", "Cloud print"),
    JobKind.COPY: Text("Jobs", "Copy"),
    JobKind.LOCAL_PRINT: Text("Jobs", "Print"),
    JobKind.SCAN: Text("Jobs", "Scan"),
    JobKind.FAX: Text("Jobs", "Fax"),
}
# The badge's words for each state (the core's JobState values are codes, not words).
STATE_NAMES = {
    JobState.HELD: Text("Jobs", "Held"),
    JobState.SENDING: Text("Jobs", "Sending"),
    JobState.ACCEPTED: Text("Jobs", "Accepted"),
    JobState.NOTIFIED: Text("Jobs", "Notified"),
    JobState.FETCHING: Text("Jobs", "Fetching"),
    JobState.QUEUED: Text("Jobs", "Queued"),
    JobState.PRINTING: Text("Jobs", "Printing"),
    JobState.COMPLETED: Text("Jobs", "Completed"),
    JobState.FAILED: Text("Jobs", "Failed"),
    JobState.CANCELLED: Text("Jobs", "Cancelled"),
}
KIND_ICONS = {
    JobKind.CLOUD_PRINT: "print",
    JobKind.COPY: "copy",
    JobKind.LOCAL_PRINT: "print",
    JobKind.SCAN: "scan",
    JobKind.FAX: "fax",
}
# Badge colours; resources/style/panel.qss uses the same ones for the held pill.
STATE_COLOURS = {
    JobState.HELD: "#6a4fa0",
    JobState.SENDING: "#0097a7",
    JobState.ACCEPTED: "#00695c",
    JobState.NOTIFIED: "#0277bd",
    JobState.FETCHING: "#0277bd",
    JobState.QUEUED: "#546e7a",
    JobState.PRINTING: "#1b64c4",
    JobState.COMPLETED: "#2e7d32",
    JobState.FAILED: "#c62828",
    JobState.CANCELLED: "#8a939c",
}
# Marked, not Text: composing.py toasts HELD_NOTE and tests compare rows with both (English).
HELD_NOTE = marker("Jobs", "Held — sends when online")
OTHER_USER = marker("Jobs", "Other user")
_ACTIVE_STATES = frozenset(state for state in JobState if state.is_active)


def kind_label(kind: JobKind) -> str:
    label = KIND_LABELS.get(kind)
    return kind.value if label is None else str(label)


def state_name(state: JobState) -> str:
    return str(STATE_NAMES[state])


def failure_reason(reason: str) -> str:
    """A failed or cancelled job's reason, in the panel's language.

    The core writes these as English sentences, some with values in them and none with a code:
    the known shapes are matched here; anything else is shown as the core's marked text.
    """
    for prefix, text, key in _REASON_PREFIXES:
        if reason.startswith(prefix):
            return str(text.format(**{key: reason[len(prefix) :]}))
    fixed = _REASONS.get(reason)
    return str(fixed) if fixed is not None else translate_marked("Core", reason)


_REASONS = {
    "cancelled at the panel": Text("Jobs", "Cancelled at the panel"),
    "its document was lost from storage": Text("Jobs", "Its document was lost from storage"),
}
_REASON_PREFIXES = (
    ("cancelled at the panel by ", Text("Jobs", "Cancelled at the panel by {user}"), "user"),
    ("engine error: ", Text("Jobs", "Engine error: {error}"), "error"),
    (
        "the server refused the job: ",
        Text("Jobs", "The server refused the job: {message}"),
        "message",
    ),
)


def progress_text(job: Job) -> str:
    """'Page x of y': the sheet in the engine now, out of all sheets (copies included).

    The bar beside it shows the sheets already finished.
    """
    if job.total_pages > 0:
        page = min(job.pages_done + 1, job.total_pages)
        return str(Text("Jobs", "Page {page} of {total}").format(page=page, total=job.total_pages))
    return str(Text("Jobs", "Page {page}").format(page=job.pages_done + 1))


class Line(enum.Enum):
    """What a row's third line shows."""

    NONE = "none"
    PROGRESS = "progress"  # printing: bar + "Page x of y"
    REASON = "reason"  # failed: why, in red
    NOTE = "note"  # held: "Held — sends when online"


@dataclass(frozen=True, slots=True)
class RowText:
    """Everything a job's row shows, as text: what the delegate paints and tests read."""

    title: str
    meta: str
    badge: str
    state: str  # JobState value: selects the badge colour
    line: Line
    progress_text: str  # "" unless printing
    progress: tuple[int, int] | None  # (sheets done, sheets in all) while printing
    note: str  # the reason of a failure or the held note; "" otherwise
    can_cancel: bool
    private: bool = False  # another user's job: shown anonymously, no actions

    @classmethod
    def of(cls, job: Job, viewer: User | None) -> RowText:
        """What `job`'s row shows to `viewer`, the user logged in (None: nobody)."""
        if not may_manage(viewer, job):
            return cls.anonymous(job)
        meta = [job.user_id or translate("Jobs", "unknown user"), kind_label(job.kind)]
        if job.pages:
            pages = Text("Jobs", "{n} page") if job.pages == 1 else Text("Jobs", "{n} pages")
            meta.append(str(pages.format(n=job.pages)))
        if job.copies > 1:
            meta.append(str(Text("Jobs", "{n} copies").format(n=job.copies)))
        if job.destination:
            meta.append(str(Text("Jobs", "to {destination}").format(destination=job.destination)))
        state = job.state
        line, note, progress, ptext = Line.NONE, "", None, ""
        if state is JobState.PRINTING:
            line = Line.PROGRESS
            total = max(job.total_pages, 0)
            progress = (min(job.pages_done, total) if total else job.pages_done, total)
            ptext = progress_text(job)
        elif state is JobState.FAILED and job.reason:
            line, note = Line.REASON, failure_reason(job.reason)
        elif state is JobState.HELD:
            line, note = Line.NOTE, translate_marked("Jobs", HELD_NOTE)
        return cls(
            title=job.title or job.job_id,
            meta="  ·  ".join(meta),
            badge=state_name(state),
            state=state.value,
            line=line,
            progress_text=ptext,
            progress=progress,
            note=note,
            can_cancel=state.is_active,
        )

    @classmethod
    def anonymous(cls, job: Job) -> RowText:
        """Another user's job: that it exists, its kind and its state; no title, owner, page
        count, progress or reason (a reason may quote the document)."""
        return cls(
            title=translate_marked("Jobs", OTHER_USER),
            meta=kind_label(job.kind),
            badge=state_name(job.state),
            state=job.state.value,
            line=Line.NONE,
            progress_text="",
            progress=None,
            note="",
            can_cancel=False,
            private=True,
        )


class JobListModel(QStringListModel):
    """The device's jobs, newest first, and how many are in each state.

    It has two sides. The Python side (`job_at`, `row_of`, `job_count`, `count`,
    `active_count`) follows each event at once, in O(log n) at most: jobs are kept oldest first
    with a growing sequence number, so a new job is an append and a job's row is a dictionary
    look-up and a bisection. Qt's side (`rowCount`, `index`, the rows the view paints) hears of
    the events once per frame (`updates`, the window's `Coalescer`): one insertion for every job
    created since, one dataChanged over the rows that changed. `flush()` tells it at once.

    The rows Qt counts are QStringListModel's empty strings, kept in C++: QListView lays the
    whole list out again after an insertion, asking the model for an index per row, and through
    a Python `rowCount` that took ~45 ms at 10,000 jobs (~2 ms in C++). Qt's row `r` shows the
    job at position `rowCount() - 1 - r` of the oldest-first list; that holds at every moment,
    because jobs Qt has not heard of yet are only ever appended to its end. A removal (rare)
    tells Qt at once, after what was pending.
    """

    JOB_ROLE = int(Qt.ItemDataRole.UserRole) + 1
    _FLAGS = (
        Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
    )

    def __init__(self, updates: Coalescer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._updates = updates
        self._jobs: list[Job] = []  # oldest first
        self._seqs: list[int] = []  # ascending, parallel to _jobs
        self._seq_of: dict[str, int] = {}
        self._state_of: dict[str, JobState] = {}
        self._counts: dict[JobState, int] = dict.fromkeys(JobState, 0)
        self._active = 0  # jobs whose state is_active: kept as events arrive
        self._next_seq = 0
        self._changed: tuple[int, int] | None = None  # positions changed since the last flush
        self._removing: int | None = None  # the position `remove_job` is taking out
        self.viewer: User | None = None  # whose jobs show in full (`set_viewer`)
        # Connected before any view is: the Python side loses the row right after Qt's does.
        self.rowsRemoved.connect(self._rows_removed)

    # -- Qt's side --------------------------------------------------------------------------------
    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return self._FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        job = self.job_of(index)
        if job is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return RowText.of(job, self.viewer).title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = RowText.of(job, self.viewer)
            return f"{text.title}, {text.badge}, {text.meta}"
        if role == Qt.ItemDataRole.ToolTipRole:  # what an elided title or badge cut off
            text = RowText.of(job, self.viewer)
            return "\n".join(filter(None, (text.title, text.badge, text.meta, text.note)))
        if role == self.JOB_ROLE:
            return job
        return None

    def job_of(self, index: QModelIndex | QPersistentModelIndex) -> Job | None:
        """The job Qt's row `index` shows (what the delegate paints)."""
        if not index.isValid():
            return None
        position = self.rowCount() - 1 - index.row()
        return self._jobs[position] if 0 <= position < len(self._jobs) else None

    def flush(self) -> None:
        """Tell Qt now what it would hear at the end of the frame."""
        self._apply()

    def _apply(self) -> None:
        shown = len(self._jobs)
        new = shown - self.rowCount()
        if new > 0:
            self.insertRows(0, new)  # the newest on top, in one insertion
        changed, self._changed = self._changed, None
        if changed is not None:
            first, last = changed
            self.dataChanged.emit(self.index(shown - 1 - last), self.index(shown - 1 - first))

    def _rows_removed(self, _parent: QModelIndex, _first: int, _last: int) -> None:
        position, self._removing = self._removing, None
        if position is None:
            return
        job = self._jobs.pop(position)
        del self._seqs[position]
        del self._seq_of[job.job_id]
        self._count(self._state_of.pop(job.job_id), -1)

    # -- reading (the Python side: every event received so far) ----------------------------------
    def job_count(self) -> int:
        return len(self._jobs)

    def job_at(self, row: int) -> Job | None:
        """The job at `row` (0 is the newest)."""
        if 0 <= row < len(self._jobs):
            return self._jobs[len(self._jobs) - 1 - row]
        return None

    def row_of(self, job_id: str) -> int:
        """The row showing `job_id`, or -1."""
        seq = self._seq_of.get(job_id)
        if seq is None:
            return -1
        position = bisect.bisect_left(self._seqs, seq)
        return len(self._jobs) - 1 - position

    def count(self, state: JobState) -> int:
        return self._counts[state]

    def active_count(self) -> int:
        """Jobs the device still has work for (the Data LED, the jobs tile)."""
        return self._active

    def _count(self, state: JobState, delta: int) -> None:
        self._counts[state] += delta
        if state in _ACTIVE_STATES:
            self._active += delta

    def row_text(self, row: int) -> RowText | None:
        """What the row at `row` (0 is the newest) shows to the viewer."""
        job = self.job_at(row)
        return None if job is None else RowText.of(job, self.viewer)

    # -- what the device's events do --------------------------------------------------------------
    def set_viewer(self, user: User | None) -> bool:
        """Show the rows as `user` may see them; True when that changed anything."""
        if user == self.viewer:
            return False
        self.viewer = user
        self._apply()
        if self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))
        return True

    def set_jobs(self, jobs: Iterable[Job]) -> None:
        """Show exactly `jobs`, given newest first (the device's own order); Qt hears at once."""
        self._jobs = list(jobs)
        self._jobs.reverse()
        self._seqs = list(range(len(self._jobs)))
        self._next_seq = len(self._jobs)
        self._seq_of = {job.job_id: seq for seq, job in enumerate(self._jobs)}
        self._state_of = {job.job_id: job.state for job in self._jobs}
        self._counts = dict.fromkeys(JobState, 0)
        self._active = 0
        for state in self._state_of.values():
            self._count(state, 1)
        self._changed = None
        self.setStringList([""] * len(self._jobs))  # a reset: what was pending is in it

    def update_job(self, job: Job) -> None:
        """A job was created or changed; a job not shown yet is the newest and goes on top."""
        seq = self._seq_of.get(job.job_id)
        if seq is None:
            self._jobs.append(job)
            self._seqs.append(self._next_seq)
            self._seq_of[job.job_id] = self._next_seq
            self._next_seq += 1
            self._state_of[job.job_id] = job.state
            self._count(job.state, 1)
            self._updates.schedule(self._apply)
            return
        position = bisect.bisect_left(self._seqs, seq)
        self._jobs[position] = job  # the core may publish a new object for the same job
        before = self._state_of[job.job_id]
        if before is not job.state:
            self._count(before, -1)
            self._count(job.state, 1)
            self._state_of[job.job_id] = job.state
        if position >= self.rowCount():
            return  # Qt has not heard of the job yet: its insertion will show it as it is
        changed = self._changed
        if changed is None:
            self._changed = (position, position)
        elif not changed[0] <= position <= changed[1]:
            self._changed = (min(changed[0], position), max(changed[1], position))
        self._updates.schedule(self._apply)

    def remove_job(self, job_id: str) -> None:
        seq = self._seq_of.get(job_id)
        if seq is None:
            return
        self._apply()  # Qt's rows are the list's before one goes
        position = bisect.bisect_left(self._seqs, seq)
        self._removing = position  # taken out of the Python side by _rows_removed
        self.removeRows(len(self._jobs) - 1 - position, 1)


@dataclass(frozen=True, slots=True)
class _Parts:
    """Where a row's pieces go inside its item rect (viewport coordinates)."""

    card: QRect
    icon: QRect
    text: QRect
    badge: QRect
    cancel: QRect


# What the delegate paints with, made once.
_CARD_EDGE = QColor("#d8dee6")
_CARD_FILL = QColor("#ffffff")
_TITLE_INK = QColor("#1d2733")
_META_INK = QColor("#5b6875")
_REASON_INK = QColor("#b3261e")
_NOTE_INK = QColor(STATE_COLOURS[JobState.HELD])
_TRACK_FILL = QColor("#e3e8ee")
_ACCENT = QColor(theme.ACCENT)
_BADGE_INK = QColor("#ffffff")
_BADGE_FILLS = {state.value: QColor(colour) for state, colour in STATE_COLOURS.items()}
_BADGE_OTHER = QColor("#5b6875")
_CANCEL_EDGE = QColor("#d9534a")
_CANCEL_FILL = QColor("#ffffff")
_CANCEL_PRESSED = QColor("#fbe4e2")
_CANCEL_INK = QColor("#b3261e")

_TITLE, _META, _LINE, _BADGE, _CANCEL = range(5)  # the delegate's fonts
_TEXT_CACHE = 512  # laid-out texts kept: a screenful of rows needs a few dozen
_SPACING = 4  # between a row's lines
_PROGRESS_H = 16


def _rounded_box(
    painter: QPainter, rect: QRectF, radius: float, edge_w: float, edge: QColor, fill: QColor
) -> None:
    """A rounded box with an edge `edge_w` wide inside `rect`: two fills, not a stroke.

    It looks like drawRoundedRect with a pen, but stroking an antialiased outline is slow: ~0.4
    ms for a row's card at 1:1, when filling it takes ~0.03 ms.
    """
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(edge)
    painter.drawRoundedRect(rect, radius, radius)
    painter.setBrush(fill)
    inner = radius - edge_w
    painter.drawRoundedRect(rect.adjusted(edge_w, edge_w, -edge_w, -edge_w), inner, inner)


class JobDelegate(QStyledItemDelegate):
    """Paints a job's row like a card: kind icon, title, owner · kind · pages, the state badge,
    a third line (progress, failure reason or the held note) and a Cancel button.

    A row is repainted whenever a row above it comes or goes, so its texts are elided and laid
    out once (QStaticText, kept by text and width) and its colours, pens and metrics made once.
    """

    ROW_HEIGHT = 96
    GAP = 10
    BADGE_W = 112
    BADGE_H = 30
    CANCEL_W = 124
    CANCEL_H = 56
    ICON = 44
    PAD = 16

    cancel_clicked = Signal(str)  # job_id

    def __init__(self, model: JobListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._pressed: QPersistentModelIndex | None = None
        self._icons: dict[JobKind, QPixmap] = {}
        family = "DejaVu Sans"
        self.title_font = self._font(family, 19, bold=True)
        self.meta_font = self._font(family, 15)
        self.line_font = self._font(family, 15, bold=True)
        self.badge_font = self._font(family, 14, bold=True)
        self.cancel_font = self._font(family, 17, bold=True)
        # Made at the first paint: loading five fonts' metrics would slow the panel's start-up.
        self._metrics: list[QFontMetrics] = []
        self._heights: list[int] = []
        self._texts: dict[tuple[int, str, int], tuple[QStaticText, int]] = {}

    @staticmethod
    def _font(family: str, pixels: int, bold: bool = False) -> QFont:
        font = QFont(family)
        font.setPixelSize(pixels)
        font.setBold(bold)
        return font

    # -- geometry ---------------------------------------------------------------------------------
    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(option.rect.width() or 600, self.ROW_HEIGHT + self.GAP)

    def parts(self, rect: QRect) -> _Parts:
        card = QRect(rect.left(), rect.top(), rect.width() - 6, self.ROW_HEIGHT)
        middle = card.center().y()
        icon = QRect(card.left() + self.PAD, middle - self.ICON // 2, self.ICON, self.ICON)
        cancel = QRect(
            card.right() - self.PAD - self.CANCEL_W + 1,
            middle - self.CANCEL_H // 2,
            self.CANCEL_W,
            self.CANCEL_H,
        )
        badge = QRect(
            cancel.left() - self.PAD - self.BADGE_W,
            middle - self.BADGE_H // 2,
            self.BADGE_W,
            self.BADGE_H,
        )
        left = icon.right() + 1 + self.PAD
        text = QRect(left, card.top() + 10, badge.left() - self.PAD - left, card.height() - 20)
        return _Parts(card, icon, text, badge, cancel)

    # -- painting ---------------------------------------------------------------------------------
    def _icon(self, kind: JobKind) -> QPixmap:
        icon = self._icons.get(kind)
        if icon is None:
            icon = theme.pixmap(KIND_ICONS.get(kind, "print"), theme.ACCENT, self.ICON)
            self._icons[kind] = icon
        return icon

    def _text(self, font: int, text: str, width: int = -1) -> tuple[QStaticText, int]:
        """`text` in one of the delegate's fonts, elided to `width` (-1: whole), laid out once;
        with its width in pixels."""
        key = (font, text, width)
        found = self._texts.get(key)
        if found is None:
            if len(self._texts) >= _TEXT_CACHE:
                self._texts.clear()
            metrics = self._metrics[font]
            elide = Qt.TextElideMode.ElideRight
            shown = text if width < 0 else metrics.elidedText(text, elide, width)
            static = QStaticText(shown)
            static.setTextFormat(Qt.TextFormat.PlainText)  # a title is characters, never markup
            found = (static, metrics.horizontalAdvance(shown))
            self._texts[key] = found
        return found

    def _draw_centred(self, painter: QPainter, rect: QRect, font: int, text: str) -> None:
        """`text` centred in `rect`, elided to its width (a long word in another language)."""
        static, width = self._text(font, text, rect.width())
        x = rect.left() + (rect.width() - width) / 2
        y = rect.top() + (rect.height() - self._heights[font]) / 2
        painter.drawStaticText(QPointF(x, y), static)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        job = self._model.job_of(index)
        if job is None:
            return
        if not self._metrics:
            fonts = (self.title_font, self.meta_font, self.line_font)
            self._metrics = [QFontMetrics(f) for f in (*fonts, self.badge_font, self.cancel_font)]
            self._heights = [metrics.height() for metrics in self._metrics]
        text = RowText.of(job, self._model.viewer)
        parts = self.parts(option.rect)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)

        _rounded_box(painter, QRectF(parts.card), 14.5, 1, _CARD_EDGE, _CARD_FILL)
        painter.drawPixmap(parts.icon, self._icon(job.kind))

        self._paint_text(painter, parts.text, text)
        self._paint_badge(painter, parts.badge, text)
        if text.can_cancel:
            pressed = self._pressed is not None and self._pressed.row() == index.row()
            self._paint_cancel(painter, parts.cancel, pressed)
        painter.restore()

    def _paint_text(self, painter: QPainter, area: QRect, text: RowText) -> None:
        title_h, meta_h = self._heights[_TITLE], self._heights[_META]
        third = _PROGRESS_H if text.line is Line.PROGRESS else self._heights[_LINE]
        total = title_h + _SPACING + meta_h
        if text.line is not Line.NONE:
            total += _SPACING + third
        y = area.top() + max(0, (area.height() - total) // 2)
        width = area.width()
        left = area.left()

        painter.setFont(self.title_font)
        painter.setPen(_TITLE_INK)
        painter.drawStaticText(left, y, self._text(_TITLE, text.title, width)[0])
        y += title_h + _SPACING
        painter.setFont(self.meta_font)
        painter.setPen(_META_INK)
        painter.drawStaticText(left, y, self._text(_META, text.meta, width)[0])
        y += meta_h + _SPACING
        if text.line is Line.PROGRESS and text.progress is not None:
            self._paint_progress(painter, QRect(left, y, width, third), text)
        elif text.line in (Line.REASON, Line.NOTE):
            painter.setFont(self.line_font)
            painter.setPen(_REASON_INK if text.line is Line.REASON else _NOTE_INK)
            painter.drawStaticText(left, y, self._text(_LINE, text.note, width)[0])

    def _paint_progress(self, painter: QPainter, area: QRect, text: RowText) -> None:
        assert text.progress is not None
        done, total = text.progress
        painter.setFont(self.line_font)
        label, label_w = self._text(_LINE, text.progress_text)
        label_w += 4
        bar = QRectF(area.left(), area.center().y() - 5, area.width() - label_w - 12, 12)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_TRACK_FILL)
        painter.drawRoundedRect(bar, 6, 6)
        if total > 0 and done > 0:
            filled = QRectF(bar.left(), bar.top(), bar.width() * min(done, total) / total, 12)
            painter.setBrush(_ACCENT)
            painter.drawRoundedRect(filled, 6, 6)
        painter.setPen(_ACCENT)
        y = area.top() + (area.height() - self._heights[_LINE]) / 2
        painter.drawStaticText(QPointF(int(bar.right()) + 12, y), label)

    def _paint_badge(self, painter: QPainter, rect: QRect, text: RowText) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_BADGE_FILLS.get(text.state, _BADGE_OTHER))
        painter.drawRoundedRect(QRectF(rect), self.BADGE_H / 2, self.BADGE_H / 2)
        painter.setFont(self.badge_font)
        painter.setPen(_BADGE_INK)
        self._draw_centred(painter, rect.adjusted(6, 0, -6, 0), _BADGE, text.badge)

    def _paint_cancel(self, painter: QPainter, rect: QRect, pressed: bool) -> None:
        fill = _CANCEL_PRESSED if pressed else _CANCEL_FILL
        _rounded_box(painter, QRectF(rect), 13, 2, _CANCEL_EDGE, fill)
        painter.setFont(self.cancel_font)
        painter.setPen(_CANCEL_INK)
        self._draw_centred(
            painter, rect.adjusted(6, 0, -6, 0), _CANCEL, translate("Jobs", "Cancel")
        )

    # -- taps -------------------------------------------------------------------------------------
    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """A press and release on the same row's Cancel area is a tap on Cancel."""
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            return False
        assert isinstance(event, QMouseEvent)
        if event.button() is not Qt.MouseButton.LeftButton:
            return False
        job = self._model.job_of(index)
        on_cancel = (
            job is not None
            and RowText.of(job, self._model.viewer).can_cancel
            and self.parts(option.rect).cancel.contains(event.position().toPoint())
        )
        if kind is QEvent.Type.MouseButtonPress:
            self._pressed = QPersistentModelIndex(index) if on_cancel else None
            return on_cancel
        pressed, self._pressed = self._pressed, None
        if pressed is not None and pressed.isValid():
            model.dataChanged.emit(pressed, pressed)  # repaint it released
        if on_cancel and job is not None and pressed is not None and pressed.row() == index.row():
            self.cancel_clicked.emit(job.job_id)
            return True
        return False


class JobRowHandle:
    """A live view of one job's row, by job id (what tests and scripts read)."""

    def __init__(self, screen: JobListScreen, job_id: str) -> None:
        self._screen = screen
        self.job_id = job_id

    @property
    def row(self) -> int:
        """The row now showing the job (-1 once it is gone)."""
        return self._screen.model.row_of(self.job_id)

    @property
    def text(self) -> RowText:
        job = self._screen.model.job_at(self.row)
        if job is None:
            raise LookupError(f"job {self.job_id} is no longer in the list")
        return RowText.of(job, self._screen.model.viewer)

    @property
    def title(self) -> str:
        return self.text.title

    @property
    def meta(self) -> str:
        return self.text.meta

    @property
    def badge(self) -> str:
        return self.text.badge

    @property
    def state(self) -> str:
        return self.text.state

    @property
    def progress_text(self) -> str:
        return self.text.progress_text

    @property
    def progress(self) -> tuple[int, int] | None:
        return self.text.progress

    @property
    def note(self) -> str:
        return self.text.note

    @property
    def can_cancel(self) -> bool:
        return self.text.can_cancel

    @property
    def private(self) -> bool:
        """Another user's job, shown anonymously."""
        return self.text.private


class JobListScreen(QWidget):
    back = Signal()
    cancel_requested = Signal(str)  # job_id

    def __init__(self, updates: Coalescer | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobListScreen")
        # The window's frame, so that the rows change in the same frame as the counts elsewhere.
        self.model = JobListModel(updates or Coalescer(parent=self), self)
        self.delegate = JobDelegate(self.model, self)
        self.delegate.cancel_clicked.connect(self.cancel_requested)

        self.back_button = QPushButton(self)
        bind(self.back_button, Text("Jobs", "Home"))
        self.back_button.setObjectName("backButton")
        self.back_button.setIcon(theme.icon("back", theme.ACCENT, 24))
        self.back_button.setIconSize(QSize(24, 24))
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.back)
        title = Label(parent=self)
        bind(title, Text("Jobs", "Jobs"))
        self.title_label = title
        title.setObjectName("screenTitle")
        self.count_label = Label(parent=self)
        self.count_label.setObjectName("screenSubtitle")
        header = QHBoxLayout()
        header.setSpacing(18)
        header.addWidget(self.back_button)
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.count_label)

        self.list_view = QListView(self)
        self.list_view.setObjectName("jobList")
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(self.delegate)
        self.list_view.setUniformItemSizes(True)  # no per-row size hints, whatever the count
        # With the rows counted in C++ (JobListModel) laying out 10,000 of them takes ~2 ms: one
        # pass, one repaint. In batches it would repaint again when the last batch is done.
        self.list_view.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list_view.verticalScrollBar().setSingleStep(24)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setFrameShape(QFrame.Shape.NoFrame)
        self.list_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list_view.setMouseTracking(False)

        self.empty_label = Label(parent=self)
        self.empty_label.setObjectName("emptyText")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        bind(
            self.empty_label,
            Text("Jobs", "No jobs yet.\nPrint jobs sent to this device appear here."),
        )
        empty_icon = Label(parent=self)
        empty_icon.setPixmap(theme.pixmap("jobs-empty", theme.MUTED, 72))
        empty_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state = QWidget(self)
        empty_box = QVBoxLayout(self.empty_state)
        empty_box.addStretch(1)
        empty_box.addWidget(empty_icon)
        empty_box.addWidget(self.empty_label)
        empty_box.addStretch(2)

        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 18, 12)
        column.setSpacing(12)
        column.addLayout(header)
        column.addWidget(self.list_view, 1)
        column.addWidget(self.empty_state, 1)
        self._shown_count = -1
        for changed in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            changed.connect(self._sync_count)
        self.model.rowsInserted.connect(self._lay_out_now)  # once per frame (removals: Qt's timer)
        self._sync_count()
        i18n.notifier().changed.connect(self._retranslate)

    def _retranslate(self, _language: str = "") -> None:
        """Rows and the count are drawn from state: draw them again in the new language."""
        self._shown_count = -1
        self._sync_count()
        self.list_view.viewport().update()

    # -- what the window tells it -------------------------------------------------------------
    def set_jobs(self, jobs: Iterable[Job]) -> None:
        """Show exactly `jobs` (newest first)."""
        self.model.set_jobs(jobs)

    def set_viewer(self, user: User | None) -> None:
        """The user logged in changed: show the rows as they may see them, from the top (the
        previous user's scroll position is none of theirs)."""
        if self.model.set_viewer(user):
            self.list_view.scrollToTop()

    def update_job(self, job: Job) -> None:
        self.model.update_job(job)

    def remove_job(self, job: Job) -> None:
        self.model.remove_job(job.job_id)

    def flush(self) -> None:
        """Show every job event received so far now, not at the end of the frame."""
        self.model.flush()

    # -- what tests read ----------------------------------------------------------------------
    def row_of(self, job_id: str) -> JobRowHandle | None:
        """The row showing `job_id` (a live handle), or None when the list does not have it."""
        return JobRowHandle(self, job_id) if self.model.row_of(job_id) >= 0 else None

    def titles(self) -> list[str]:
        """Every row's title, top to bottom."""
        rows = range(self.model.job_count())
        return [text.title for text in map(self.model.row_text, rows) if text is not None]

    def row_rect(self, job_id: str) -> QRect:
        """The row's card in the list's viewport, scrolled into view first."""
        return self._parts(job_id).card

    def badge_rect(self, job_id: str) -> QRect:
        return self._parts(job_id).badge

    def cancel_rect(self, job_id: str) -> QRect:
        """Where the row's Cancel button is painted, in the viewport (tap its centre)."""
        return self._parts(job_id).cancel

    def _parts(self, job_id: str) -> _Parts:
        self.flush()  # the view's rows are the list's
        index = self.model.index(self.model.row_of(job_id), 0)
        self.list_view.scrollTo(index)
        return self.delegate.parts(self.list_view.visualRect(index))

    def _lay_out_now(self) -> None:
        """Lay the rows out in this frame (Qt would wait for a timer, then repaint once more)."""
        if self.list_view.isVisible():
            self.list_view.executeDelayedItemsLayout()

    def _sync_count(self) -> None:
        count = self.model.rowCount()
        if count == self._shown_count:
            return
        if (count == 0) != (self._shown_count == 0) or self._shown_count < 0:
            self.list_view.setVisible(count > 0)
            self.empty_state.setVisible(count == 0)
        self._shown_count = count
        label = Text("Jobs", "{count} job") if count == 1 else Text("Jobs", "{count} jobs")
        self.count_label.setText(str(label.format(count=f"{count:,}")))
