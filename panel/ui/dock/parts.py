"""What every card of the QA dock is made of: a titled section, compact buttons and combos, and
the few formats the cards share.

Every text is a `panel.ui.i18n.Text` (or data, a str): headings, buttons, tooltips and combo
items are set again on a language switch; a card that renders from state re-renders through
`follow_language`. Log lines are history: written in the language of their moment."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QFrame, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from panel.paths import resources_dir
from panel.ui import i18n
from panel.ui.bridge import PanelDevice, PoweredDevice
from panel.ui.i18n import Text, bind
from panel.ui.widgets import Label


class DockedDevice(PanelDevice, PoweredDevice, Protocol):
    """The dock needs the device's events and name as well as its power and network side."""


def dock_stylesheet() -> str:
    """The dock's cards (dock.qss), then its tabs and trace viewer (trace_view.qss)."""
    style = resources_dir() / "style"
    return "\n".join(
        (style / name).read_text(encoding="utf-8") for name in ("dock.qss", "trace_view.qss")
    )


class Upper(Text):
    """A heading: its text in capitals (in a language that has them)."""

    __slots__ = ()

    @classmethod
    def of(cls, text: Text) -> Upper:
        made = cls(text.context, text.source)
        made.values = text.values
        return made

    def __str__(self) -> str:
        return super().__str__().upper()


class _Follower(QObject):
    """Calls `render` after each language switch, for as long as its parent lives."""

    def __init__(self, parent: QObject, render: Callable[[], object]) -> None:
        super().__init__(parent)
        self._render = render
        i18n.notifier().changed.connect(self._changed)

    def _changed(self, _code: str) -> None:
        self._render()


def follow_language(owner: QObject, render: Callable[[], object]) -> None:
    """`render()` again after every language switch while `owner` lives (a card that shows
    state in words)."""
    _Follower(owner, render)


class Card(QFrame):
    """One section of the dock: a small upper-case heading over `column`."""

    def __init__(self, title: Text, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qaSection")
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(8, 6, 8, 8)
        self.column.setSpacing(5)
        self.heading = Label("", self)
        self.heading.setObjectName("qaHeading")
        self.set_title(title)
        self.column.addWidget(self.heading)

    def set_title(self, title: Text) -> None:
        bind(self.heading, Upper.of(title))


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


def button(
    text: Text | str, tip: Text | str, parent: QWidget, checkable: bool = False
) -> QPushButton:
    widget = QPushButton(parent)
    widget.setObjectName("qaButton")
    bind(widget, text)
    bind(widget, tip, "setToolTip")
    widget.setCheckable(checkable)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the panel keeps the keyboard
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def combo(
    items: Sequence[tuple[Text | str, object]], tip: Text | str, parent: QWidget
) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName("qaCombo")
    narrow(box)
    bind(box, tip, "setToolTip")
    box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    add_items(box, items)
    return box


def add_items(box: QComboBox, items: Sequence[tuple[Text | str, object]]) -> None:
    """Items whose texts follow the language (a `Text`) or are data (a str)."""
    start = box.count()
    for text, value in items:
        box.addItem(str(text), value)
    texts = [(start + index, text) for index, (text, _) in enumerate(items)]

    def retranslate() -> None:
        for index, text in texts:
            if isinstance(text, Text) and index < box.count():
                box.setItemText(index, str(text))

    if any(isinstance(text, Text) for text, _ in items):
        follow_language(box, retranslate)


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
    return "" if value is None else i18n.translate("Dock", "{ms} ms").format(ms=f"{value:.0f}")


def duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
