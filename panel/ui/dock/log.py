"""The dock's connection log: a live, time-stamped line for every connection, network, power and
sensor event the other cards see.

Time stamps are the device's time (`DockedDevice.time()`): with a scaled clock (a 10x demo) they
match the panel's status bar and the device's trace, not the wall clock. A line that repeats one
of the last few is folded into it ("... x12", stamped with its latest time) instead of added: an
offline device retrying its link writes the same three lines every second."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

from panel.ui.dock.parts import Card
from panel.ui.i18n import Text

LOG_LINES = 400  # the log keeps the newest lines only
FOLD_WINDOW = 4  # a line equal to one of the last this many is folded into it


@dataclass
class _Recent:
    text: str
    count: int = 1

    def shown(self) -> str:
        return self.text if self.count == 1 else f"{self.text} x{self.count}"


def stamp(seconds: float) -> str:
    """HH:MM:SS.mmm in local time."""
    return time.strftime("%H:%M:%S", time.localtime(seconds)) + f".{int(seconds % 1 * 1000):03d}"


class LogCard(Card):
    """The newest `LOG_LINES` lines; the view follows the end unless scrolled back. `now` is
    the device's time; `scale` its clock's speed (said in the heading when it is not 1)."""

    def __init__(
        self,
        now: Callable[[], float] = time.time,
        scale: float = 1.0,
        parent: QWidget | None = None,
    ) -> None:
        title = Text("DockLog", "Connection log")
        if scale != 1.0:
            title = Text("DockLog", "Connection log · device time {scale}").format(
                scale=f"\N{MULTIPLICATION SIGN}{scale:g}"
            )
        super().__init__(title, parent)
        self._now = now
        self._recent: list[_Recent] = []  # the last lines of the view, oldest first
        self.view = QPlainTextEdit(self)
        self.view.setObjectName("qaLog")
        self.view.setReadOnly(True)
        self.view.setMaximumBlockCount(LOG_LINES)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # A long token or address wraps too: nothing runs past the right edge.
        self.view.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setMinimumHeight(64)
        # All the height the other sections leave, and no more: the dock should not scroll.
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.column.addWidget(self.view, 1)

    def log(self, text: str) -> None:
        """A line at the end of the log, or a repeat folded into its earlier line; the view
        follows the end unless scrolled back."""
        text = " ".join(text.splitlines())  # one line each: the folding counts lines
        bar = self.view.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 2 or not self.view.isVisible()
        at = stamp(self._now())
        for index, recent in enumerate(self._recent):
            if recent.text == text:
                recent.count += 1
                self._rewrite(index, f"{at}  {recent.shown()}")
                break
        else:
            self.view.appendPlainText(f"{at}  {text}")
            self._recent = [*self._recent, _Recent(text)][-FOLD_WINDOW:]
        if following:
            bar.setValue(bar.maximum())

    def _rewrite(self, index: int, line: str) -> None:
        """Replace the line `index` of the recent ones (they are the view's last lines)."""
        document = self.view.document()
        block = document.findBlockByNumber(document.blockCount() - len(self._recent) + index)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(line)

    def show_end(self) -> None:
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())

    def lines(self) -> list[str]:
        """The log's lines, without their time stamps (tests, QA reports)."""
        lines = self.view.toPlainText().splitlines()
        return [line.split("  ", 1)[1] if "  " in line else line for line in lines]
