"""The trace viewer's timeline: one painted lane per concern, a tick per event, faults and
warnings in their colours, a time axis under them.

The visible window ends at the newest entry while it follows the live edge; the wheel zooms
around the pointer, a drag pans back in time (and stops following), a double-click returns to
the live edge. A click on a tick picks the nearest entry of that lane; a click on a lane's name
asks for that concern alone (again: all of them).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from panel.ui.dock.trace_view_data import FAULT, NORMAL, WARNING, Entry
from panel.ui.dock.trace_view_model import clock_text

LABEL_W = 84  # the lanes' names
AXIS_H = 16
ROW_MIN, ROW_MAX = 9, 14  # a lane's height, as the room allows
MAX_LANES = 30  # the minimum height stops growing here (the lanes then shrink to fit)
PICK_PX = 5  # a click this close to a tick picks it
SPAN_DEFAULT_S = 60.0
SPAN_MIN_S, SPAN_MAX_S = 0.5, 6 * 3600.0
STEPS_S = (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)

BACKGROUND = QColor("#15191d")
STRIPES = (QColor("#1b2025"), QColor("#181c21"))
LABEL_COLOUR = QColor("#8b97a4")
LABEL_ACTIVE = QColor("#4fd1c5")
GRID = QColor("#262d34")
AXIS_TEXT = QColor("#6b7785")
TICKS = {NORMAL: QColor("#4fd1c5"), WARNING: QColor("#ffb020"), FAULT: QColor("#ff5a4e")}
SELECTED = QColor("#ffffff")


class TraceLanes(QWidget):
    """Paints `entries()` (in time order) in lanes; `picked` an entry clicked on its lane,
    `concern_clicked` a lane's name clicked, `following_changed` when a pan stops following or a
    double-click resumes it."""

    picked = Signal(object)
    concern_clicked = Signal(str)
    following_changed = Signal(bool)

    def __init__(
        self,
        entries: Callable[[], Sequence[Entry]],
        concerns: Callable[[], Sequence[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("traceLanes")
        self._entries = entries
        self._concerns = concerns
        self.span = SPAN_DEFAULT_S
        self.end = 0.0  # the window's right edge (a trace time)
        self.following = True
        self.selected: Entry | None = None
        self.active: str | None = None  # the concern filtered on, drawn highlighted
        self._drag_x: float | None = None
        self._drag_end = 0.0
        self._dragged = False
        self._size = 0.0  # the bins' width in seconds (0: to be built)
        self._bins: dict[int, dict[str, int]] = {}  # bin number -> concern -> worst level
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(AXIS_H + 3 * ROW_MIN)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def sizeHint(self) -> QSize:
        return QSize(300, AXIS_H + max(3, len(self.lanes())) * 12 + 4)

    def fit_lanes(self) -> None:
        """Room for every lane at its smallest height (called when a concern is first seen)."""
        self.setMinimumHeight(AXIS_H + 2 + max(3, min(MAX_LANES, len(self.lanes()))) * ROW_MIN)
        self.updateGeometry()

    # -- the window -----------------------------------------------------------------------------
    def visible_range(self) -> tuple[float, float]:
        """(start, end) of the visible time."""
        return self.end - self.span, self.end

    def follow_live_edge(self) -> None:
        """While following: the window ends just after the newest entry."""
        if not self.following:
            return
        entries = self._entries()
        if entries:
            self.end = entries[-1].ts + self.span * 0.03
        self.update()

    def set_following(self, following: bool) -> None:
        if following == self.following:
            return
        self.following = following
        self.follow_live_edge()
        self.following_changed.emit(following)

    def show_entry(self, entry: Entry | None) -> None:
        """Mark `entry`; scroll the window to it when it is outside (when not following)."""
        self.selected = entry
        if entry is not None and not self.following:
            start, end = self.visible_range()
            if not start <= entry.ts <= end:
                self.end = entry.ts + self.span / 2
        self.update()

    # -- geometry -------------------------------------------------------------------------------
    def _strip(self) -> QRectF:
        return QRectF(LABEL_W, 0, max(1, self.width() - LABEL_W - 4), self.height() - AXIS_H)

    def _row_h(self, lanes: int) -> float:
        room = (self.height() - AXIS_H - 2) / max(1, lanes)
        return max(min(float(ROW_MIN), room), min(float(ROW_MAX), room))

    def _x(self, ts: float, strip: QRectF) -> float:
        start = self.end - self.span
        return strip.left() + (ts - start) / self.span * strip.width()

    def _ts(self, x: float, strip: QRectF) -> float:
        return self.end - self.span + (x - strip.left()) / strip.width() * self.span

    def lanes(self) -> list[str]:
        concerns = sorted(self._concerns())
        return [self.active] if self.active in concerns else concerns

    def tick_x(self, entry: Entry) -> int:
        """The pixel column of `entry`'s tick (tests look and click there)."""
        strip = self._strip()
        size = self._bin_size(strip)
        return int(self._x(entry.ts // size * size, strip))

    def lane_y(self, concern: str) -> float:
        """The middle of `concern`'s lane (tests click there)."""
        lanes = self.lanes()
        row = self._row_h(len(lanes))
        return 1 + (lanes.index(concern) + 0.5) * row

    # -- painting -------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        lanes = self.lanes()
        row = self._row_h(len(lanes))
        strip = self._strip()
        font = painter.font()
        font.setPixelSize(max(8, min(11, int(row) - 1)))
        painter.setFont(font)
        for index, concern in enumerate(lanes):
            top = 1 + index * row
            painter.fillRect(QRectF(0, top, self.width(), row), STRIPES[index % 2])
            painter.setPen(LABEL_ACTIVE if concern == self.active else LABEL_COLOUR)
            painter.drawText(
                QRectF(6, top, LABEL_W - 10, row),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                painter.fontMetrics().elidedText(
                    concern, Qt.TextElideMode.ElideRight, LABEL_W - 10
                ),
            )
        self._paint_axis(painter, strip)
        self._paint_ticks(painter, strip, lanes, row)
        if self.selected is not None:
            x = self._x(self.selected.ts, strip)
            if strip.left() <= x <= strip.right():
                painter.setPen(QPen(SELECTED, 1, Qt.PenStyle.DashLine))
                painter.drawLine(QLineF(x, 0, x, strip.bottom()))
        painter.end()

    def _paint_axis(self, painter: QPainter, strip: QRectF) -> None:
        start, end = self.visible_range()
        step = next((s for s in STEPS_S if strip.width() / (self.span / s) >= 70), STEPS_S[-1])
        painter.setPen(GRID)
        painter.drawLine(QLineF(strip.left(), strip.bottom(), strip.right(), strip.bottom()))
        font = painter.font()
        font.setPixelSize(10)
        painter.setFont(font)
        tick = math.ceil(start / step) * step
        while tick <= end:
            x = self._x(tick, strip)
            painter.setPen(GRID)
            painter.drawLine(QLineF(x, 0, x, strip.bottom() + 3))
            painter.setPen(AXIS_TEXT)
            label = clock_text(tick, millis=step < 1)[: 12 if step < 1 else 8]
            if x + painter.fontMetrics().horizontalAdvance(label) / 2 > self.width():
                break  # a label cut by the edge: left out
            painter.drawText(
                QRectF(x - 40, strip.bottom() + 2, 80, AXIS_H - 2),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                label,
            )
            tick += step

    def _paint_ticks(self, painter: QPainter, strip: QRectF, lanes: list[str], row: float) -> None:
        """One tick per pixel column and lane, in the colour of the worst entry there."""
        size = self._bin_size(strip)
        start, end = self.visible_range()
        left, scale = strip.left(), strip.width() / self.span
        lane_of = {concern: index for index, concern in enumerate(lanes)}
        by_level: dict[int, list[QLineF]] = {NORMAL: [], WARNING: [], FAULT: []}
        bins = self._bins
        for number in range(int(start // size), int(end // size) + 1):
            spot = bins.get(number)
            if spot is None:
                continue
            x = int(left + (number * size - start) * scale) + 0.5
            for concern, level in spot.items():
                lane = lane_of.get(concern)
                if lane is None:
                    continue
                top = 1 + lane * row
                inset = row * (0.22 if level == NORMAL else 0.06)
                by_level[level].append(QLineF(x, top + inset, x, top + row - inset))
        for level in (NORMAL, WARNING, FAULT):
            if by_level[level]:
                painter.setPen(QPen(TICKS[level], 1 if level == NORMAL else 3))
                painter.drawLines(by_level[level])

    # -- the ticks, binned ----------------------------------------------------------------------
    # Each entry falls in a bin one pixel wide at the current zoom, by its absolute time: a new
    # batch is added to the bins, a paint reads only the visible bins (~600), and the bins are
    # built again only when the zoom or the filters change, not for every paint.
    def add_entries(self, entries: Sequence[Entry]) -> None:
        if self._size:
            self._bin(entries)

    def reset_bins(self) -> None:
        """The entries shown changed (a filter): bin them again at the next paint."""
        self._size = 0.0
        self._bins = {}

    def _bin_size(self, strip: QRectF) -> float:
        size = self.span / max(1.0, strip.width())
        if size != self._size:
            self._size, self._bins = size, {}
            self._bin(self._entries())
        return size

    def _bin(self, entries: Sequence[Entry]) -> None:
        bins, size = self._bins, self._size
        for entry in entries:
            number = int(entry.ts // size)
            spot = bins.get(number)
            if spot is None:
                bins[number] = {entry.concern: entry.level}
            elif spot.get(entry.concern, -1) < entry.level:
                spot[entry.concern] = entry.level

    # -- mouse ----------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        position = event.position()
        if position.x() < LABEL_W:
            lane = self._lane_at(position.y())
            if lane is not None:
                self.concern_clicked.emit(lane)
            return
        self._drag_x, self._drag_end = position.x(), self.end
        self._dragged = False

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_x is None:
            return
        dx = event.position().x() - self._drag_x
        if abs(dx) < 3 and not self._dragged:
            return
        self._dragged = True
        self.set_following(False)
        self.end = self._drag_end - dx / self._strip().width() * self.span
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_x is None:
            return
        self._drag_x = None
        if not self._dragged:
            self._pick(event.position())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.position().x() >= LABEL_W:
            self.set_following(True)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Zoom around the pointer (the live edge stays put while following)."""
        steps = event.angleDelta().y() / 120
        if not steps:
            return
        strip = self._strip()
        pointer = self._ts(event.position().x(), strip)
        span = min(SPAN_MAX_S, max(SPAN_MIN_S, self.span * 0.8**steps))
        if not self.following:
            self.end = pointer + (self.end - pointer) * span / self.span
        self.span = span
        self.follow_live_edge()
        self.update()
        event.accept()

    def zoom(self, span: float) -> None:
        self.span = min(SPAN_MAX_S, max(SPAN_MIN_S, span))
        self.follow_live_edge()
        self.update()

    def _lane_at(self, y: float) -> str | None:
        lanes = self.lanes()
        index = int((y - 1) // self._row_h(len(lanes)))
        return lanes[index] if 0 <= index < len(lanes) else None

    def _pick(self, position: QPointF) -> None:
        lane = self._lane_at(position.y())
        if lane is None:
            return
        strip = self._strip()
        at = self._ts(position.x(), strip)
        slack = PICK_PX / strip.width() * self.span
        entries = self._entries()
        first = bisect.bisect_left(entries, at - slack, key=lambda e: e.ts)
        last = bisect.bisect_right(entries, at + slack, key=lambda e: e.ts)
        near = [e for e in entries[first:last] if e.concern == lane]
        if near:  # the worst nearby entry, then the closest: a fault is never hidden by a tick
            self.picked.emit(min(near, key=lambda e: (-e.level, abs(e.ts - at))))
