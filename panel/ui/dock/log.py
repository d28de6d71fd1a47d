"""The dock's connection log: a live, time-stamped line for every connection, network, power and
sensor event the other cards see."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

from panel.ui.dock.parts import Card

LOG_LINES = 400  # the log keeps the newest lines only


class LogCard(Card):
    """The newest `LOG_LINES` lines; the view follows the end unless scrolled back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Connection log", parent)
        self.view = QPlainTextEdit(self)
        self.view.setObjectName("qaLog")
        self.view.setReadOnly(True)
        self.view.setMaximumBlockCount(LOG_LINES)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setMinimumHeight(64)
        # All the height the other sections leave, and no more: the dock should not scroll.
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.column.addWidget(self.view, 1)

    def log(self, text: str) -> None:
        """A line at the end of the log; the view follows the end unless scrolled back."""
        now = time.time()
        stamp = time.strftime("%H:%M:%S", time.localtime(now)) + f".{int(now % 1 * 1000):03d}"
        bar = self.view.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 2 or not self.view.isVisible()
        self.view.appendPlainText(f"{stamp}  {text}")
        if following:
            bar.setValue(bar.maximum())

    def show_end(self) -> None:
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())

    def lines(self) -> list[str]:
        """The log's lines, without their time stamps (tests, QA reports)."""
        lines = self.view.toPlainText().splitlines()
        return [line.split("  ", 1)[1] if "  " in line else line for line in lines]
