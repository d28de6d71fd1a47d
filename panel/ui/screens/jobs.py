"""Job list: every job on the device with its state, progress and a Cancel button, kept live.

Model/view, so that ten thousand jobs and bursts of state changes stay smooth: `JobListModel`
keeps the jobs (newest first) and per-state counts, and takes each job event in O(log n);
`JobDelegate` paints the visible rows (no widget per job) and turns a tap on a row's Cancel
area into `cancel_requested`. Tests reach a row by job id with `JobListScreen.row_of`.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPen, QPixmap
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

from panel.device.model import Job, JobKind, JobState
from panel.ui import theme
from panel.ui.widgets import Label

KIND_LABELS = {
    JobKind.CLOUD_PRINT: "Cloud print",
    JobKind.COPY: "Copy",
    JobKind.SCAN: "Scan",
    JobKind.FAX: "Fax",
}
KIND_ICONS = {
    JobKind.CLOUD_PRINT: "print",
    JobKind.COPY: "copy",
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
HELD_NOTE = "Held — sends when online"


def progress_text(job: Job) -> str:
    """'Page x of y': the sheet in the engine now, out of all sheets (copies included).

    The bar beside it shows the sheets already finished.
    """
    if job.total_pages > 0:
        return f"Page {min(job.pages_done + 1, job.total_pages)} of {job.total_pages}"
    return f"Page {job.pages_done + 1}"


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

    @classmethod
    def of(cls, job: Job) -> RowText:
        meta = [job.user_id or "unknown user", KIND_LABELS.get(job.kind, job.kind.value)]
        if job.pages:
            meta.append(f"{job.pages} page{'s' if job.pages != 1 else ''}")
        if job.copies > 1:
            meta.append(f"{job.copies} copies")
        if job.destination:
            meta.append(f"to {job.destination}")
        state = job.state
        line, note, progress, ptext = Line.NONE, "", None, ""
        if state is JobState.PRINTING:
            line = Line.PROGRESS
            total = max(job.total_pages, 0)
            progress = (min(job.pages_done, total) if total else job.pages_done, total)
            ptext = progress_text(job)
        elif state is JobState.FAILED and job.reason:
            line, note = Line.REASON, job.reason
        elif state is JobState.HELD:
            line, note = Line.NOTE, HELD_NOTE
        return cls(
            title=job.title or job.job_id,
            meta="  ·  ".join(meta),
            badge=state.value.capitalize(),
            state=state.value,
            line=line,
            progress_text=ptext,
            progress=progress,
            note=note,
            can_cancel=state.is_active,
        )


class JobListModel(QAbstractListModel):
    """The device's jobs, newest first, and how many are in each state.

    Jobs are kept oldest first with a growing sequence number, so a new job is an append and a
    job's row is a dictionary look-up and a bisection: each event costs O(log n), never O(n).
    """

    JOB_ROLE = int(Qt.ItemDataRole.UserRole) + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[Job] = []  # oldest first
        self._seqs: list[int] = []  # ascending, parallel to _jobs
        self._seq_of: dict[str, int] = {}
        self._state_of: dict[str, JobState] = {}
        self._counts: dict[JobState, int] = dict.fromkeys(JobState, 0)
        self._active = 0  # jobs whose state is_active: kept as events arrive
        self._next_seq = 0

    # -- Qt's side --------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._jobs)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        job = self.job_at(index.row()) if index.isValid() else None
        if job is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return job.title or job.job_id
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = RowText.of(job)
            return f"{text.title}, {text.badge}, {text.meta}"
        if role == self.JOB_ROLE:
            return job
        return None

    # -- reading ----------------------------------------------------------------------------------
    def job_at(self, row: int) -> Job | None:
        """The job shown at `row` (0 is the newest)."""
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
        if state.is_active:
            self._active += delta

    # -- what the device's events do --------------------------------------------------------------
    def set_jobs(self, jobs: Iterable[Job]) -> None:
        """Show exactly `jobs`, given newest first (the device's own order)."""
        self.beginResetModel()
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
        self.endResetModel()

    def update_job(self, job: Job) -> None:
        """A job was created or changed; a job not shown yet is the newest and goes on top."""
        seq = self._seq_of.get(job.job_id)
        if seq is None:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._jobs.append(job)
            self._seqs.append(self._next_seq)
            self._seq_of[job.job_id] = self._next_seq
            self._next_seq += 1
            self._state_of[job.job_id] = job.state
            self._count(job.state, 1)
            self.endInsertRows()
            return
        position = bisect.bisect_left(self._seqs, seq)
        self._jobs[position] = job  # the core may publish a new object for the same job
        before = self._state_of[job.job_id]
        if before is not job.state:
            self._count(before, -1)
            self._count(job.state, 1)
            self._state_of[job.job_id] = job.state
        index = self.index(len(self._jobs) - 1 - position, 0)
        self.dataChanged.emit(index, index)

    def remove_job(self, job_id: str) -> None:
        seq = self._seq_of.pop(job_id, None)
        if seq is None:
            return
        position = bisect.bisect_left(self._seqs, seq)
        row = len(self._jobs) - 1 - position
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._jobs[position]
        del self._seqs[position]
        self._count(self._state_of.pop(job_id), -1)
        self.endRemoveRows()


@dataclass(frozen=True, slots=True)
class _Parts:
    """Where a row's pieces go inside its item rect (viewport coordinates)."""

    card: QRect
    icon: QRect
    text: QRect
    badge: QRect
    cancel: QRect


class JobDelegate(QStyledItemDelegate):
    """Paints a job's row like a card: kind icon, title, owner · kind · pages, the state badge,
    a third line (progress, failure reason or the held note) and a Cancel button."""

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

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        job = self._model.job_at(index.row())
        if job is None:
            return
        text = RowText.of(job)
        parts = self.parts(option.rect)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)

        painter.setPen(QPen(QColor("#d8dee6"), 1))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(QRectF(parts.card).adjusted(0.5, 0.5, -0.5, -0.5), 14, 14)
        painter.drawPixmap(parts.icon, self._icon(job.kind))

        self._paint_text(painter, parts.text, text)
        self._paint_badge(painter, parts.badge, text)
        if text.can_cancel:
            pressed = self._pressed is not None and self._pressed.row() == index.row()
            self._paint_cancel(painter, parts.cancel, pressed)
        painter.restore()

    def _paint_text(self, painter: QPainter, area: QRect, text: RowText) -> None:
        title_m, meta_m = QFontMetrics(self.title_font), QFontMetrics(self.meta_font)
        heights = [title_m.height(), meta_m.height()]
        third = 16 if text.line is Line.PROGRESS else QFontMetrics(self.line_font).height()
        if text.line is not Line.NONE:
            heights.append(third)
        spacing = 4
        total = sum(heights) + spacing * (len(heights) - 1)
        y = area.top() + max(0, (area.height() - total) // 2)
        width = area.width()
        left = area.left()

        painter.setFont(self.title_font)
        painter.setPen(QColor("#1d2733"))
        title = title_m.elidedText(text.title, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, y, width, heights[0]), Qt.AlignmentFlag.AlignVCenter, title)
        y += heights[0] + spacing
        painter.setFont(self.meta_font)
        painter.setPen(QColor("#5b6875"))
        meta = meta_m.elidedText(text.meta, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, y, width, heights[1]), Qt.AlignmentFlag.AlignVCenter, meta)
        y += heights[1] + spacing
        if text.line is Line.PROGRESS and text.progress is not None:
            self._paint_progress(painter, QRect(left, y, width, third), text)
        elif text.line in (Line.REASON, Line.NOTE):
            painter.setFont(self.line_font)
            colour = "#b3261e" if text.line is Line.REASON else STATE_COLOURS[JobState.HELD]
            painter.setPen(QColor(colour))
            line_m = QFontMetrics(self.line_font)
            note = line_m.elidedText(text.note, Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRect(left, y, width, third), Qt.AlignmentFlag.AlignVCenter, note)

    def _paint_progress(self, painter: QPainter, area: QRect, text: RowText) -> None:
        assert text.progress is not None
        done, total = text.progress
        painter.setFont(self.line_font)
        label_w = QFontMetrics(self.line_font).horizontalAdvance(text.progress_text) + 4
        bar = QRectF(area.left(), area.center().y() - 5, area.width() - label_w - 12, 12)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e3e8ee"))
        painter.drawRoundedRect(bar, 6, 6)
        if total > 0 and done > 0:
            filled = QRectF(bar.left(), bar.top(), bar.width() * min(done, total) / total, 12)
            painter.setBrush(QColor(theme.ACCENT))
            painter.drawRoundedRect(filled, 6, 6)
        painter.setPen(QColor(theme.ACCENT))
        label = QRect(int(bar.right()) + 12, area.top(), label_w, area.height())
        painter.drawText(label, Qt.AlignmentFlag.AlignVCenter, text.progress_text)

    def _paint_badge(self, painter: QPainter, rect: QRect, text: RowText) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(STATE_COLOURS.get(JobState(text.state), "#5b6875")))
        painter.drawRoundedRect(QRectF(rect), self.BADGE_H / 2, self.BADGE_H / 2)
        painter.setFont(self.badge_font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text.badge)

    def _paint_cancel(self, painter: QPainter, rect: QRect, pressed: bool) -> None:
        painter.setPen(QPen(QColor("#d9534a"), 2))
        painter.setBrush(QColor("#fbe4e2" if pressed else "#ffffff"))
        painter.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 12, 12)
        painter.setFont(self.cancel_font)
        painter.setPen(QColor("#b3261e"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "Cancel")

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
        job = self._model.job_at(index.row())
        on_cancel = (
            job is not None
            and job.state.is_active
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
        return RowText.of(job)

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


class JobListScreen(QWidget):
    back = Signal()
    cancel_requested = Signal(str)  # job_id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobListScreen")
        self.model = JobListModel(self)
        self.delegate = JobDelegate(self.model, self)
        self.delegate.cancel_clicked.connect(self.cancel_requested)

        self.back_button = QPushButton("Home", self)
        self.back_button.setObjectName("backButton")
        self.back_button.setIcon(theme.icon("back", theme.ACCENT, 24))
        self.back_button.setIconSize(QSize(24, 24))
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.back)
        title = Label("Jobs", self)
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
        # Laying out 10,000 rows at once stalls the loop ~25 ms; in batches it never does.
        self.list_view.setLayoutMode(QListView.LayoutMode.Batched)
        self.list_view.setBatchSize(500)
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
        self.empty_label.setText("No jobs yet.\nPrint jobs sent to this device appear here.")
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
        self._sync_count()

    # -- what the window tells it -------------------------------------------------------------
    def set_jobs(self, jobs: Iterable[Job]) -> None:
        """Show exactly `jobs` (newest first)."""
        self.model.set_jobs(jobs)

    def update_job(self, job: Job) -> None:
        self.model.update_job(job)

    def remove_job(self, job: Job) -> None:
        self.model.remove_job(job.job_id)

    # -- what tests read ----------------------------------------------------------------------
    def row_of(self, job_id: str) -> JobRowHandle | None:
        """The row showing `job_id` (a live handle), or None when the list does not have it."""
        return JobRowHandle(self, job_id) if self.model.row_of(job_id) >= 0 else None

    def titles(self) -> list[str]:
        """Every row's title, top to bottom."""
        rows = range(self.model.rowCount())
        return [RowText.of(job).title for job in map(self.model.job_at, rows) if job is not None]

    def row_rect(self, job_id: str) -> QRect:
        """The row's card in the list's viewport, scrolled into view first."""
        index = self.model.index(self.model.row_of(job_id), 0)
        self.list_view.scrollTo(index)
        return self.delegate.parts(self.list_view.visualRect(index)).card

    def badge_rect(self, job_id: str) -> QRect:
        index = self.model.index(self.model.row_of(job_id), 0)
        self.list_view.scrollTo(index)
        return self.delegate.parts(self.list_view.visualRect(index)).badge

    def cancel_rect(self, job_id: str) -> QRect:
        """Where the row's Cancel button is painted, in the viewport (tap its centre)."""
        index = self.model.index(self.model.row_of(job_id), 0)
        self.list_view.scrollTo(index)
        return self.delegate.parts(self.list_view.visualRect(index)).cancel

    def _sync_count(self) -> None:
        count = self.model.rowCount()
        if count == self._shown_count:
            return
        if (count == 0) != (self._shown_count == 0) or self._shown_count < 0:
            self.list_view.setVisible(count > 0)
            self.empty_state.setVisible(count == 0)
        self._shown_count = count
        self.count_label.setText(f"{count:,} job{'s' if count != 1 else ''}")
