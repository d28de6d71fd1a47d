"""What every card of the QA dock is made of: a titled section, compact buttons and combos, and
the few formats the cards share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QFrame, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from panel.paths import resources_dir
from panel.ui.bridge import PanelDevice, PoweredDevice
from panel.ui.widgets import Label


class DockedDevice(PanelDevice, PoweredDevice, Protocol):
    """The dock needs the device's events and name as well as its power and network side."""


def dock_stylesheet() -> str:
    """The dock's cards (dock.qss), then its tabs and trace viewer (trace_view.qss)."""
    style = resources_dir() / "style"
    return "\n".join(
        (style / name).read_text(encoding="utf-8") for name in ("dock.qss", "trace_view.qss")
    )


class Card(QFrame):
    """One section of the dock: a small upper-case heading over `column`."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qaSection")
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(8, 6, 8, 8)
        self.column.setSpacing(5)
        self.heading = Label(title.upper(), self)
        self.heading.setObjectName("qaHeading")
        self.column.addWidget(self.heading)


class FitLabel(Label):
    """One line that never clips: elided ("…") to the width it gets, the whole text then as its
    tooltip (unless the caller set a tooltip of its own, e.g. the device's whole message)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self._full = ""
        self._tip = ""
        # Whatever width the row leaves: the text adapts to it, not the row to the text.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.set_full_text(text)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str, tip: str = "") -> None:
        """Show `text` (elided if it must be); `tip`: the tooltip, else the text when elided."""
        self._full, self._tip = text, tip
        self._fit()

    def elided(self) -> bool:
        return self.text() != self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()  # the style sheet's font, once polished

    def _fit(self) -> None:
        width = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        self.setText(shown)
        self.setToolTip(self._tip or (self._full if shown != self._full else ""))


def button(text: str, tip: str, parent: QWidget, checkable: bool = False) -> QPushButton:
    widget = QPushButton(text, parent)
    widget.setObjectName("qaButton")
    widget.setToolTip(tip)
    widget.setCheckable(checkable)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the panel keeps the keyboard
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def combo(items: Sequence[tuple[str, int]], tip: str, parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName("qaCombo")
    narrow(box)
    box.setToolTip(tip)
    box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for text, value in items:
        box.addItem(text, value)
    return box


def narrow(box: QComboBox) -> None:
    """As narrow as the dock needs, not as wide as the longest item."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(6)
    box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


def select(box: QComboBox, value: int, text: str) -> None:
    """Show `value` in `box` without acting on it (an item is added for a value set elsewhere,
    e.g. through the control API)."""
    index = box.findData(value)
    if index < 0:
        box.addItem(text, value)
        index = box.count() - 1
    box.blockSignals(True)
    box.setCurrentIndex(index)
    box.blockSignals(False)


def ms_text(value: float | None) -> str:
    return "" if value is None else f"{value:.0f} ms"


def duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
