"""The trace viewer (issue 18): the dock's Trace tab, the device's and the server's trace merged in
time order while the demo runs.

Each file is tailed (`trace_view_data.TraceTail`: new bytes only, a partial last line held back,
a truncated or replaced file read again) on a poll timer; a poll's lines are parsed, merged into
a bounded store (the newest 100k lines) and appended to the list's model in one batch
(`trace_view_model`). Above the list, one lane per concern (`trace_view_lanes`); beside it, the
fields of the entry clicked, in the list or on a lane. The view follows the live edge until QA
pauses it (the Live button, scrolling back, clicking an entry, dragging the lanes).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from panel.ui import i18n
from panel.ui.dock.parts import FitLabel, narrow
from panel.ui.dock.trace_view_data import MAX_LINES, Entry, TraceStore, TraceTail
from panel.ui.dock.trace_view_lanes import TraceLanes
from panel.ui.dock.trace_view_model import (
    CONCERN,
    ENTRY_ROLE,
    EVENT,
    SERVER,
    SOURCE,
    TIME,
    TraceModel,
    clock_text,
)
from panel.ui.i18n import Text, bind

POLL_MS = 250  # how often the files are read: live enough, and one batch per read
ROW_PX = 18

CONTEXT = "TraceView"
ALL_CONCERNS = Text("TraceView", "All concerns")
ALL_DEVICES = Text("TraceView", "All devices")
LIVE = Text("TraceView", "Live")
PAUSED = Text("TraceView", "Paused")
PAUSED_NEW = Text("TraceView", "Paused · {count} new")


class TraceFields(QFrame):
    """The side pane: the clicked entry's fields, nested values as branches, and its line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("traceFields")
        self.entry: Entry | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 8)
        column.setSpacing(4)
        self.title = FitLabel("", self)
        self.title.setObjectName("traceFieldsTitle")
        self.subtitle = FitLabel("", self)
        self.subtitle.setObjectName("traceFieldsSubtitle")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("traceFieldsTree")
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(12)
        self.tree.setUniformRowHeights(True)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("qaButton")
        self.copy_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.copy_button.clicked.connect(self.copy_line)
        bind(self.copy_button, Text("TraceView", "Copy line"))
        bind(self.copy_button, Text("TraceView", "Copy the entry's JSON line"), "setToolTip")
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        column.addWidget(self.tree, 1)
        column.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)
        i18n.notifier().changed.connect(self._render)
        self._render()

    def show_entry(self, entry: Entry | None, source: str = "") -> None:
        self.entry, self._source = entry, source
        self._render()

    def _render(self, *_: object) -> None:
        self.tree.setHeaderLabels(
            [i18n.translate("TraceView", "Field"), i18n.translate("TraceView", "Value")]
        )
        self.tree.clear()
        entry = self.entry
        self.copy_button.setEnabled(entry is not None)
        if entry is None:
            self.title.set_full_text(i18n.translate("TraceView", "No entry selected"))
            self.subtitle.set_full_text(
                i18n.translate("TraceView", "Click an entry in the list or a tick on a lane")
            )
            return
        self.title.set_full_text(f"{entry.concern} · {entry.event}")
        self.subtitle.set_full_text(f"{clock_text(entry.ts)} · {self._source}")
        self.title.setProperty("level", entry.level)
        self.title.style().unpolish(self.title)
        self.title.style().polish(self.title)
        fields = entry.own_fields()
        self.tree.setRootIsDecorated(any(isinstance(v, dict | list) and v for v in fields.values()))
        for key, value in fields.items():
            self.tree.addTopLevelItem(_item(key, value))
        self.tree.expandAll()

    def field_text(self, key: str) -> str | None:
        """The value shown for a top-level field (tests)."""
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item is not None and item.text(0) == key:
                return item.text(1)
        return None

    def copy_line(self) -> None:
        if self.entry is not None:
            QGuiApplication.clipboard().setText(self.entry.raw)


def _close_all(tails: list[TraceTail], *_: object) -> None:
    for tail in tails:
        tail.close()


def _item(key: str, value: Any) -> QTreeWidgetItem:
    """A field as a row; a dict or a list as a branch of its members."""
    if isinstance(value, dict) and value:
        item = QTreeWidgetItem([key, ""])
        for k, v in value.items():
            item.addChild(_item(str(k), v))
        return item
    if isinstance(value, list) and value:
        item = QTreeWidgetItem([key, f"[{len(value)}]"])
        for index, v in enumerate(value):
            item.addChild(_item(str(index), v))
        return item
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    item = QTreeWidgetItem([key, text])
    item.setToolTip(1, text)
    return item


class TraceView(QWidget):
    """The merged, live view of `files` (a device's trace.jsonl, the server's); `names` maps a
    device id to the name shown for it; at most `limit` lines are kept."""

    def __init__(
        self,
        files: Sequence[Path],
        names: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
        limit: int = MAX_LINES,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("traceView")
        self.store = TraceStore(limit)
        self.model = TraceModel(self.store, self)
        self.model.names = dict(names or {})
        self.tails = [TraceTail(path) for path in files]
        self.destroyed.connect(partial(_close_all, self.tails))  # if nobody called stop()
        self.following = True
        self._new_while_paused = 0
        self._scrolling = False  # the view scrolls itself: not QA scrolling back
        self._status_parts: list[Text] = []

        self.follow_button = QPushButton(self)
        self.follow_button.setObjectName("traceFollow")
        self.follow_button.setCheckable(True)
        self.follow_button.setChecked(True)
        self.follow_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.follow_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.follow_button.toggled.connect(self.set_following)
        bind(
            self.follow_button,
            Text("TraceView", "Follow the newest lines, or hold the view still"),
            "setToolTip",
        )
        self.concern_box = self._combo(ALL_CONCERNS, Text("TraceView", "Only this concern"))
        self.device_box = self._combo(ALL_DEVICES, Text("TraceView", "Only this device's lines"))
        self.search = QLineEdit(self)
        self.search.setObjectName("traceSearch")
        self.search.setClearButtonEnabled(True)
        bind(self.search, Text("TraceView", "Filter text…"), "setPlaceholderText")
        bind(self.search, Text("TraceView", "Lines containing this text, any case"), "setToolTip")
        self.search.textChanged.connect(self._filter)

        self.lanes = TraceLanes(lambda: self.model.rows, lambda: list(self.store.concerns), self)
        self.lanes.picked.connect(self._picked_on_lane)
        self.lanes.concern_clicked.connect(self._lane_concern)
        self.lanes.following_changed.connect(self.set_following)
        bind(
            self.lanes,
            Text(
                "TraceView",
                "One lane per concern; faults in red, warnings in amber.\n"
                "Click a tick for its fields, a name for that concern alone.\n"
                "Wheel: zoom · drag: scroll back · double-click: back to live",
            ),
            "setToolTip",
        )

        self.table = QTableView(self)
        self.table.setObjectName("traceTable")
        self.table.setModel(self.model)
        self._shape_table()
        self.fields = TraceFields(self)

        self.status = FitLabel("", self)
        self.status.setObjectName("traceStatus")

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.follow_button)
        bar.addWidget(self.concern_box, 2)
        bar.addWidget(self.device_box, 2)
        bar.addWidget(self.search, 3)
        sides = QSplitter(Qt.Orientation.Horizontal, self)
        sides.setObjectName("traceSides")
        sides.setChildrenCollapsible(False)
        sides.addWidget(self.table)
        sides.addWidget(self.fields)
        sides.setStretchFactor(0, 5)
        sides.setStretchFactor(1, 2)
        sides.setSizes([460, 190])
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("traceSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.lanes)
        self.splitter.addWidget(sides)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([220, 400])
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 6)
        column.setSpacing(6)
        column.addLayout(bar)
        column.addWidget(self.splitter, 1)
        column.addWidget(self.status)

        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        if self.tails:
            self.timer.start()
        i18n.notifier().changed.connect(self._retranslate)
        self._retranslate()

    def _combo(self, everything: Text, tip: Text) -> QComboBox:
        box = QComboBox(self)
        box.setObjectName("qaCombo")
        narrow(box)
        box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        box.addItem(str(everything), None)
        bind(box, tip, "setToolTip")
        box.currentIndexChanged.connect(self._filter)
        return box

    def _shape_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # Fields elides
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        vertical = table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_PX)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        clock = QFontMetrics(self.model.mono).horizontalAdvance("00:00:00.000") + 24
        for column, width in ((TIME, clock), (SOURCE, 72), (CONCERN, 78), (EVENT, 92)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(column, width)
        selection = table.selectionModel()
        selection.currentRowChanged.connect(self._current_changed)
        table.clicked.connect(lambda _index: self.set_following(False))
        table.verticalScrollBar().actionTriggered.connect(self._scrolled_by_hand)

    # -- reading --------------------------------------------------------------------------------
    def poll(self) -> int:
        """Read what the files got since the last poll; returns how many lines were read."""
        lines: list[bytes] = []
        for tail in self.tails:
            lines.extend(tail.read())
        if not lines:
            return 0
        entries = self.store.parse(lines)
        self.add(entries)
        return len(lines)

    def add(self, entries: Sequence[Entry]) -> None:
        """A batch of entries into the list, the lanes, the filters' choices."""
        concerns, devices = len(self.store.concerns), len(self.store.devices)
        shown = self.model.add(entries)
        self.lanes.add_entries(shown)
        if len(self.store.concerns) != concerns:
            self._refill(self.concern_box, sorted(self.store.concerns), {})
            self.lanes.fit_lanes()
        if len(self.store.devices) != devices:
            self._refill(self.device_box, list(self.store.devices), self.model.names)
            self._fit_source_column()
        if self.following:
            self._show_end()
        else:
            self._new_while_paused += len(shown)
            self._show_following()
        self.lanes.update()
        self._show_status()

    def _refill(self, box: QComboBox, values: list[str], names: Mapping[str, str]) -> None:
        """The choices after a new one was seen; the chosen one stays chosen."""
        known = {box.itemData(index) for index in range(1, box.count())}
        for value in values:
            if value not in known:
                at = values.index(value) + 1
                box.blockSignals(True)
                box.insertItem(at, names.get(value, value), value)
                box.blockSignals(False)

    def _fit_source_column(self) -> None:
        """The From column as wide as its longest name (the server, a device), within reason."""
        metrics = self.table.fontMetrics()
        names = [self.model.names.get(device, device) for device in self.store.devices]
        widest = max(metrics.horizontalAdvance(name) for name in [*names, str(SERVER)])
        self.table.setColumnWidth(SOURCE, min(widest + 16, 130))

    # -- following the live edge ----------------------------------------------------------------
    def set_following(self, following: bool) -> None:
        """Follow the newest lines (list and lanes scroll with them) or hold them still."""
        if following != self.following:
            self.following = following
            self._new_while_paused = 0
            self.lanes.set_following(following)
            if following:
                self._show_end()
        self._show_following()

    def _show_following(self) -> None:
        button = self.follow_button
        button.blockSignals(True)
        button.setChecked(self.following)
        button.blockSignals(False)
        if self.following:
            bind(button, LIVE)
        elif self._new_while_paused:
            bind(button, PAUSED_NEW.format(count=f"{self._new_while_paused:,}"))
        else:
            bind(button, PAUSED)
        button.setMinimumWidth(button.sizeHint().width())  # its text in full, never squeezed

    def _show_end(self) -> None:
        self._scrolling = True
        self.table.scrollToBottom()
        self._scrolling = False
        self.lanes.follow_live_edge()

    def _scrolled_by_hand(self, _action: int) -> None:
        """Scrolling back in the list holds it there (scrolling to the end follows again)."""
        if self._scrolling:
            return
        bar = self.table.verticalScrollBar()
        QTimer.singleShot(0, self, lambda: self.set_following(bar.value() >= bar.maximum()))

    # -- filters --------------------------------------------------------------------------------
    def _filter(self, *_: object) -> None:
        selected = self.fields.entry
        self.model.set_filter(
            self.concern_box.currentData(), self.device_box.currentData(), self.search.text()
        )
        self.lanes.active = self.model.concern
        self.lanes.reset_bins()
        self.lanes.fit_lanes()
        self.lanes.update()
        if selected is not None and (row := self.model.row_of(selected)) >= 0:
            self._select_row(row)
        elif self.following:
            self._show_end()
        self._show_status()

    def set_concern(self, concern: str | None) -> None:
        index = self.concern_box.findData(concern)
        self.concern_box.setCurrentIndex(max(0, index))

    def set_device(self, device: str | None) -> None:
        index = self.device_box.findData(device)
        self.device_box.setCurrentIndex(max(0, index))

    def _lane_concern(self, concern: str) -> None:
        self.set_concern(None if self.model.concern == concern else concern)

    # -- the entry shown ------------------------------------------------------------------------
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = current.data(ENTRY_ROLE) if current.isValid() else None
        if isinstance(entry, Entry):
            self.show_entry(entry)

    def show_entry(self, entry: Entry | None) -> None:
        """`entry`'s fields in the side pane and its place on the lanes."""
        source = "" if entry is None else self.model.source_name(entry)
        if entry is not None and entry.source == "server" and entry.device:
            source = f"{source} · {self.model.names.get(entry.device, entry.device)}"
        self.fields.show_entry(entry, source)
        self.lanes.show_entry(entry)

    def _picked_on_lane(self, entry: Entry) -> None:
        self.set_following(False)
        row = self.model.row_of(entry)
        if row >= 0:
            self._select_row(row)
        self.show_entry(entry)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, TIME)  # not a later column: no sideways scroll
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    # -- status and language --------------------------------------------------------------------
    def _show_status(self) -> None:
        store = self.store
        parts = [
            Text("TraceView", "{shown} of {kept} lines").format(
                shown=f"{len(self.model.rows):,}", kept=f"{len(store.entries):,}"
            )
            if self.model.filtered()
            else Text("TraceView", "{kept} lines").format(kept=f"{len(store.entries):,}")
        ]
        if store.faults:
            parts.append(Text("TraceView", "faults: {count}").format(count=f"{store.faults:,}"))
        if store.dropped:
            parts.append(
                Text(
                    "TraceView", "{dropped} older lines dropped (the newest {limit} are kept)"
                ).format(dropped=f"{store.dropped:,}", limit=f"{store.limit:,}")
            )
        if store.unreadable:
            parts.append(
                Text("TraceView", "unreadable lines: {count}").format(count=store.unreadable)
            )
        restarts = sum(tail.restarts for tail in self.tails)
        if restarts:
            parts.append(
                Text("TraceView", "files truncated or replaced: {count}").format(count=restarts)
            )
        self._status_parts = parts
        self._render_status()

    def _render_status(self) -> None:
        text = " · ".join(str(part) for part in self._status_parts)
        files = "\n".join(str(tail.path) for tail in self.tails)
        self.status.set_full_text(text, f"{text}\n{files}" if files else "")

    def _retranslate(self, *_: object) -> None:
        for box, everything in ((self.concern_box, ALL_CONCERNS), (self.device_box, ALL_DEVICES)):
            box.setItemText(0, str(everything))
        self.model.retranslate()
        self._show_following()
        self._show_status()

    def stop(self) -> None:
        """Stop reading and close the files (the dock's window is closing)."""
        self.timer.stop()
        for tail in self.tails:
            tail.close()
