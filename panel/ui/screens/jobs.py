"""Job list: every job on the device with its state, progress and a Cancel button, kept live."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from panel.device.model import Job, JobKind, JobState
from panel.ui import theme
from panel.ui.widgets import repolish

KIND_LABELS = {
    JobKind.CLOUD_PRINT: "Cloud print",
    JobKind.COPY: "Copy",
    JobKind.SCAN: "Scan to cloud",
    JobKind.FAX: "Fax",
}
KIND_ICONS = {
    JobKind.CLOUD_PRINT: "print",
    JobKind.COPY: "copy",
    JobKind.SCAN: "scan",
    JobKind.FAX: "fax",
}


def progress_text(job: Job) -> str:
    """'Page x of y': the sheet in the engine now, out of all sheets (copies included).

    The bar beside it shows the sheets already finished.
    """
    if job.total_pages > 0:
        return f"Page {min(job.pages_done + 1, job.total_pages)} of {job.total_pages}"
    return f"Page {job.pages_done + 1}"


class JobRow(QFrame):
    """One job: kind icon, title, owner, state badge, progress while printing, Cancel."""

    cancel_requested = Signal(str)  # job_id

    def __init__(self, job: Job, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobRow")
        self.job_id = job.job_id
        self.icon = QLabel(self)
        self.icon.setFixedSize(44, 44)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("jobTitle")
        self.meta_label = QLabel(self)
        self.meta_label.setObjectName("jobMeta")
        self.reason_label = QLabel(self)
        self.reason_label.setObjectName("jobReason")
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("jobProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("jobProgressText")
        self.badge = QLabel(self)
        self.badge.setObjectName("stateBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setMinimumWidth(112)
        self.badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        keep_place = QSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        keep_place.setRetainSizeWhenHidden(True)  # badges stay in one column
        self.cancel_button.setSizePolicy(keep_place)
        self.cancel_button.clicked.connect(lambda: self.cancel_requested.emit(self.job_id))

        self.progress_box = QWidget(self)
        progress = QHBoxLayout(self.progress_box)
        progress.setContentsMargins(0, 2, 0, 0)
        progress.setSpacing(12)
        progress.addWidget(self.progress_bar, 1)
        progress.addWidget(self.progress_label)
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addStretch(1)
        text.addWidget(self.title_label)
        text.addWidget(self.meta_label)
        text.addWidget(self.progress_box)
        text.addWidget(self.reason_label)
        text.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 12, 16, 12)
        row.setSpacing(16)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(text, 1)
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setMinimumHeight(92)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._kind: JobKind | None = None
        self.update_job(job)

    def update_job(self, job: Job) -> None:
        if job.kind is not self._kind:
            self._kind = job.kind
            self.icon.setPixmap(theme.pixmap(KIND_ICONS.get(job.kind, "print"), theme.ACCENT, 44))
        self.title_label.setText(job.title or job.job_id)
        meta = [job.user_id or "unknown user", KIND_LABELS.get(job.kind, job.kind.value)]
        if job.pages:
            meta.append(f"{job.pages} page{'s' if job.pages != 1 else ''}")
        if job.copies > 1:
            meta.append(f"{job.copies} copies")
        self.meta_label.setText("  ·  ".join(meta))
        state = job.state
        self.badge.setText(state.value.capitalize())
        if self.badge.property("state") != state.value:
            self.badge.setProperty("state", state.value)
            repolish(self.badge)
        printing = state is JobState.PRINTING
        self.progress_box.setVisible(printing)
        if printing:
            self.progress_bar.setRange(0, max(job.total_pages, 0))
            self.progress_bar.setValue(min(job.pages_done, job.total_pages))
            self.progress_label.setText(progress_text(job))
        self.reason_label.setText(job.reason)
        self.reason_label.setVisible(bool(job.reason) and state is JobState.FAILED)
        self.cancel_button.setVisible(not state.is_final)


class JobListScreen(QWidget):
    back = Signal()
    cancel_requested = Signal(str)  # job_id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobListScreen")
        self.rows: dict[str, JobRow] = {}

        self.back_button = QPushButton("Home", self)
        self.back_button.setObjectName("backButton")
        self.back_button.setIcon(theme.icon("back", theme.ACCENT, 24))
        self.back_button.setIconSize(QSize(24, 24))
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.back)
        title = QLabel("Jobs", self)
        title.setObjectName("screenTitle")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("screenSubtitle")
        header = QHBoxLayout()
        header.setSpacing(18)
        header.addWidget(self.back_button)
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.count_label)

        self.body = QWidget()
        self.body.setObjectName("jobListBody")
        self.list_layout = QVBoxLayout(self.body)
        self.list_layout.setContentsMargins(0, 0, 6, 0)
        self.list_layout.setSpacing(10)
        self.list_layout.addStretch(1)
        self.job_scroll = QScrollArea(self)
        self.job_scroll.setObjectName("jobScroll")
        self.job_scroll.setWidgetResizable(True)
        self.job_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.job_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.job_scroll.setWidget(self.body)

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("emptyText")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setText("No jobs yet.\nPrint jobs sent to this device appear here.")
        empty_icon = QLabel(self)
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
        column.addWidget(self.job_scroll, 1)
        column.addWidget(self.empty_state, 1)
        self._sync_empty()

    def set_jobs(self, jobs: list[Job]) -> None:
        """Show exactly `jobs` (newest first), reusing rows that already exist."""
        wanted = {job.job_id for job in jobs}
        for job_id in [job_id for job_id in self.rows if job_id not in wanted]:
            self._drop(job_id)
        for index, job in enumerate(jobs):
            row = self.rows.get(job.job_id)
            if row is None:
                self._add_row(job, index)
                continue
            row.update_job(job)
            if self.list_layout.indexOf(row) != index:
                self.list_layout.removeWidget(row)
                self.list_layout.insertWidget(index, row)
        self._sync_empty()

    def update_job(self, job: Job) -> None:
        """A job changed; a job not shown yet is the newest and goes on top."""
        row = self.rows.get(job.job_id)
        if row is None:
            self._add_row(job, 0)
            self._sync_empty()
        else:
            row.update_job(job)

    def remove_job(self, job: Job) -> None:
        if job.job_id in self.rows:
            self._drop(job.job_id)
            self._sync_empty()

    def _add_row(self, job: Job, index: int) -> None:
        row = JobRow(job, self.body)
        row.cancel_requested.connect(self.cancel_requested)
        self.rows[job.job_id] = row
        self.list_layout.insertWidget(index, row)
        row.show()  # a layout only shows a new child of a visible parent later, queued

    def _drop(self, job_id: str) -> None:
        row = self.rows.pop(job_id)
        self.list_layout.removeWidget(row)
        row.hide()
        row.deleteLater()

    def _sync_empty(self) -> None:
        count = len(self.rows)
        self.job_scroll.setVisible(count > 0)
        self.empty_state.setVisible(count == 0)
        self.count_label.setText(f"{count} job{'s' if count != 1 else ''}")
