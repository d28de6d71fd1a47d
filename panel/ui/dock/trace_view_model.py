"""The trace viewer's list: the kept entries that pass the filters, as a Qt table model.

Lines arrive in batches (one a poll): a batch in time order is one row insertion at the end;
the few lines one file flushed after another file's newer ones are inserted where they belong;
the oldest are removed in one go when the store drops them for its bound. A filter change
rebuilds the rows in one pass (a list comprehension over at most 100k entries). Only the rows
on screen are formatted, when Qt asks for them.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from panel.ui.dock.trace_view_data import FAULT, WARNING, Entry, TraceStore
from panel.ui.i18n import Text

TIME, SOURCE, CONCERN, EVENT, FIELDS = range(5)
HEADERS = (
    Text("TraceView", "Time"),
    Text("TraceView", "From"),
    Text("TraceView", "Concern"),
    Text("TraceView", "Event"),
    Text("TraceView", "Fields"),
)
LEVEL_COLOURS = {WARNING: QColor("#ffb020"), FAULT: QColor("#ff6b5e")}
FAULT_BACKGROUND = QColor(255, 90, 78, 34)
SERVER_COLOUR = QColor("#8fb3ff")
SERVER = Text("TraceView", "Server")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's Entry
SUMMARY_CACHE = 4000  # formatted field summaries kept (a screenful is ~30)

AnyIndex = QModelIndex | QPersistentModelIndex


def clock_text(ts: float, millis: bool = True) -> str:
    """HH:MM:SS(.mmm) in local time."""
    text = time.strftime("%H:%M:%S", time.localtime(ts))
    return f"{text}.{int(ts % 1 * 1000):03d}" if millis else text


def _key(entry: Entry) -> tuple[float, int]:
    return (entry.ts, entry.seq)


class TraceModel(QAbstractTableModel):
    """The filtered rows of `store`; `names` maps a device id to the name shown for it."""

    def __init__(self, store: TraceStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.rows: list[Entry] = []
        self.names: dict[str, str] = {}
        self.concern: str | None = None
        self.device: str | None = None
        self.text = ""
        self._summaries: dict[int, str] = {}
        self.mono = QFont("DejaVu Sans Mono")
        self.mono.setStyleHint(QFont.StyleHint.Monospace)
        self.mono.setPixelSize(11)

    # -- filters --------------------------------------------------------------------------------
    def accepts(self, entry: Entry) -> bool:
        if self.concern is not None and entry.concern != self.concern:
            return False
        if self.device is not None and entry.device != self.device:
            return False
        return not self.text or self.text in entry.raw.casefold()

    def filtered(self) -> bool:
        return self.concern is not None or self.device is not None or bool(self.text)

    def set_filter(self, concern: str | None, device: str | None, text: str) -> None:
        """Keep only the entries of `concern`, from or about `device`, containing `text` (any
        case, anywhere in the line); None or "": no filter on that."""
        text = text.strip().casefold()
        if (concern, device, text) == (self.concern, self.device, self.text):
            return
        self.concern, self.device, self.text = concern, device, text
        self.beginResetModel()
        self.rows = [entry for entry in self.store.entries if self.accepts(entry)]
        self.endResetModel()

    # -- new lines ------------------------------------------------------------------------------
    def add(self, batch: Sequence[Entry]) -> list[Entry]:
        """Merge a batch into the store and the rows; returns the new rows that passed."""
        late, appended, dropped = self.store.add(batch)
        if dropped:
            self._drop_old()
        shown_late = [entry for entry in late if self.accepts(entry)]
        if len(shown_late) > 200:  # a burst out of order: cheaper to rebuild
            self.beginResetModel()
            self.rows = [entry for entry in self.store.entries if self.accepts(entry)]
            self.endResetModel()
            return [entry for entry in appended if self.accepts(entry)] + shown_late
        for entry in shown_late:
            at = bisect.bisect_right(self.rows, _key(entry), key=_key)
            self.beginInsertRows(QModelIndex(), at, at)
            self.rows.insert(at, entry)
            self.endInsertRows()
        shown = [entry for entry in appended if self.accepts(entry)]
        if shown:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(shown) - 1)
            self.rows.extend(shown)
            self.endInsertRows()
        return shown + shown_late

    def _drop_old(self) -> None:
        """Remove the rows the store no longer keeps (its oldest)."""
        first = self.store.first_key()
        gone = len(self.rows) if first is None else bisect.bisect_left(self.rows, first, key=_key)
        if gone:
            self.beginRemoveRows(QModelIndex(), 0, gone - 1)
            del self.rows[:gone]
            self.endRemoveRows()
        if len(self._summaries) > SUMMARY_CACHE:
            self._summaries.clear()

    def row_of(self, entry: Entry) -> int:
        """The row showing `entry`, or -1 when it is filtered out or dropped."""
        at = bisect.bisect_left(self.rows, _key(entry), key=_key)
        return at if at < len(self.rows) and self.rows[at] is entry else -1

    def source_name(self, entry: Entry) -> str:
        if entry.source == "server":
            return str(SERVER)
        return self.names.get(entry.device, entry.device)

    # -- QAbstractTableModel --------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        entry = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (EVENT, FIELDS) and entry.level in LEVEL_COLOURS:
                return QBrush(LEVEL_COLOURS[entry.level])
            if column == SOURCE and entry.source == "server":
                return QBrush(SERVER_COLOUR)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and entry.level == FAULT:
            return QBrush(FAULT_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole and column == FIELDS:
            return self._summary(entry)
        if role == Qt.ItemDataRole.FontRole and column == TIME:
            return self.mono
        return None

    def _display(self, entry: Entry, column: int) -> str:
        if column == TIME:
            return clock_text(entry.ts)
        if column == SOURCE:
            return self.source_name(entry)
        if column == CONCERN:
            return entry.concern
        if column == EVENT:
            return entry.event
        return self._summary(entry)

    def _summary(self, entry: Entry) -> str:
        text = self._summaries.get(entry.seq)
        if text is None:
            text = self._summaries[entry.seq] = entry.summary()
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return str(HEADERS[section])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
