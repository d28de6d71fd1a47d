"""Changing one typed setting, as a device's settings menu does: a page of its own with the
setting's name, one big field, the on-screen keypad (numbers) or keyboard (text), Cancel and
Save. A value that is refused stays in the field, marked, with the reason under it; nothing
is saved until it is taken."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from panel.device.settings import SettingError
from panel.ui.i18n import Text, bind
from panel.ui.settings.parts import SettingsKeyboard, describe
from panel.ui.widgets import Keypad, Label, repolish

# What Save does with the text: returns when it is taken, raises SettingError when not; a
# coroutine for what takes a moment (the server URL is checked with a real request).
Commit = Callable[[str], Awaitable[None] | None]


@dataclass(frozen=True)
class Entry:
    title: Text
    value: str
    commit: Commit
    numeric: bool = False
    hint: Text | None = None
    max_length: int = 256


class EntryPage(QWidget):
    """One setting being typed. `done` once the value was taken or Cancel was tapped;
    `submitted(text)` asks the screen to take it (it answers with `taken` or `refused`)."""

    done = Signal()
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsEntry")
        self.entry: Entry | None = None
        self.title = Label(parent=self)
        self.title.setObjectName("pageTitle")
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("backButton")
        bind(self.cancel_button, Text("Settings", "Cancel"))
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("primaryButton")
        self.save_button.setMinimumSize(132, 56)
        bind(self.save_button, Text("Settings", "Save"))
        for button in (self.cancel_button, self.save_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button.clicked.connect(self.save)

        self.field = QLineEdit(self)
        self.field.setObjectName("field")
        self.field.setProperty("active", True)
        self.field.returnPressed.connect(self.save)
        self.field.textChanged.connect(lambda _text: self.clear_error())
        self.error = Label(parent=self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.hint = Label(parent=self)
        self.hint.setObjectName("fieldHint")
        self.hint.setWordWrap(True)

        self.keypad = Keypad(self)
        self.keypad.digit.connect(self.field.insert)
        self.keypad.backspace.connect(self.field.backspace)
        self.keypad.clear.connect(self.field.clear)
        self.keypad.buttons["ok"].hide()  # Save is at the top: the keypad fits a 7" panel
        self.keyboard = SettingsKeyboard(self)
        self.keyboard.text.connect(self.field.insert)
        self.keyboard.backspace.connect(self.field.backspace)
        self.keyboard.done.connect(self.save)
        for typing in (self.keypad, self.keyboard):  # typing clears a shown refusal
            for key in typing.findChildren(QPushButton):
                key.clicked.connect(self.clear_error)

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.cancel_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.save_button)
        # The field, its refusal and its hint: beside the keypad for a number, above the
        # keyboard for text (moved between the two when a page opens).
        self.words = QWidget(self)
        words = QVBoxLayout(self.words)
        words.setContentsMargins(0, 0, 0, 0)
        words.setSpacing(6)
        words.addWidget(self.field)
        words.addWidget(self.error)
        words.addWidget(self.hint)
        self.pads = QStackedWidget(self)
        numeric = QWidget(self.pads)
        side = QHBoxLayout(numeric)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(20)
        self._beside = QVBoxLayout()
        self._beside.addStretch(1)
        side.addLayout(self._beside, 1)
        side.addWidget(self.keypad, 1)
        text = QWidget(self.pads)
        self._above = QVBoxLayout(text)
        self._above.setContentsMargins(0, 0, 0, 0)
        self._above.setSpacing(8)
        self._above.addWidget(self.keyboard, 1)
        self.pads.addWidget(numeric)
        self.pads.addWidget(text)
        self._host: QVBoxLayout | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 8, 20, 8)
        column.setSpacing(8)
        column.addLayout(top)
        column.addWidget(self.pads, 1)

    def open(self, entry: Entry) -> None:
        self.entry = entry
        bind(self.title, entry.title)
        self.field.setMaxLength(entry.max_length)
        self.field.setText(entry.value)
        self.field.selectAll()
        bind(self.hint, entry.hint or "")
        self.hint.setVisible(entry.hint is not None)
        host = self._beside if entry.numeric else self._above
        if host is not self._host:
            if self._host is not None:
                self._host.removeWidget(self.words)
            host.insertWidget(0, self.words)
            self._host = host
        self.pads.setCurrentIndex(0 if entry.numeric else 1)
        self.set_checking(None)
        self.clear_error()
        self.field.setFocus()

    def save(self) -> None:
        if self.entry is not None and self.save_button.isEnabled():
            self.submitted.emit(self.field.text())

    def cancel(self) -> None:
        self.entry = None
        self.done.emit()

    def set_checking(self, what: Text | None) -> None:
        """While the value is being checked (`what` says how): Save is off and the hint says
        what happens; None: back to typing."""
        self.save_button.setEnabled(what is None)
        self.field.setReadOnly(what is not None)
        if what is not None:
            self.hint.show()
            bind(self.hint, what)
        elif self.entry is not None:
            self.hint.setVisible(self.entry.hint is not None)
            bind(self.hint, self.entry.hint or "")

    def refuse(self, error: SettingError) -> None:
        """The value stays in the field, marked, with the reason under it."""
        self.set_checking(None)
        self.error.setText(describe(error))
        self.error.show()
        self.hint.hide()  # the refusal says what the hint did, in its place
        self.field.setProperty("invalid", True)
        repolish(self.field)
        self.field.setFocus()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()
        self.hint.setVisible(self.entry is not None and self.entry.hint is not None)
        if self.field.property("invalid"):
            self.field.setProperty("invalid", False)
            repolish(self.field)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        super().keyPressEvent(event)
