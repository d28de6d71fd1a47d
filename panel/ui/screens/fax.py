"""Fax screen (S1): a number typed on the dial keypad (or a keyboard), the page count, Send.

The window runs the composition (`send_requested`) and reports back with `composed()` or
`show_error()`; the device checks the number itself (a refusal comes back as a sentence).
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from panel.ui.i18n import Text, bind
from panel.ui.screens.compose import ComposeScreen
from panel.ui.widgets import DialPad, Label

MAX_NUMBER = 32
DIAL_CHARACTERS = "0123456789*#+"


class FaxScreen(ComposeScreen):
    """Send a fax to a number typed at the panel."""

    send_requested = Signal(str, int)  # number, pages

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "faxScreen",
            Text("Fax", "Fax"),
            Text("Fax", "Send"),
            "send",
            Text("Fax", "Sending…"),
            parent,
        )
        self.dialpad = DialPad(self.left)
        box = QVBoxLayout(self.left)
        box.setContentsMargins(16, 16, 16, 16)
        box.addWidget(self.dialpad)

        number_label = Label(parent=self.right)
        bind(number_label, Text("Fax", "Fax number"))
        number_label.setObjectName("fieldLabel")
        self.number_field = QLineEdit(self.right)
        self.number_field.setObjectName("numberField")
        bind(self.number_field, Text("Fax", "Dial a number"), "setPlaceholderText")
        self.number_field.setMaxLength(MAX_NUMBER)
        self.number_field.setMinimumHeight(64)
        self.number_field.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9*#+]*"), self.number_field)
        )
        self.details.addWidget(number_label)
        self.details.addWidget(self.number_field)
        self.details.addSpacing(6)

        self.dialpad.key.connect(self._dial)
        self.dialpad.backspace.connect(self._backspace)
        self.dialpad.clear.connect(self._clear)
        self.number_field.textChanged.connect(self._on_number_changed)
        self.number_field.returnPressed.connect(self.submit)
        self.refresh()

    def number(self) -> str:
        return self.number_field.text()

    # -- input ------------------------------------------------------------------------------------
    def _dial(self, key: str) -> None:
        if not self.busy:
            self.number_field.insert(key)

    def _backspace(self) -> None:
        if not self.busy:
            self.number_field.backspace()

    def _clear(self) -> None:
        if not self.busy:
            self.number_field.clear()

    def _on_number_changed(self, _text: str) -> None:
        if self.error_label.text():
            self.show_error("")
        else:
            self.refresh()

    def focus_number(self) -> None:
        """Keys from a physical keyboard go to the number."""
        self.number_field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.number_field.end(False)

    # -- what the window tells it -----------------------------------------------------------------
    def submit(self) -> None:
        if self.busy:
            return
        number = self.number()
        if not any(ch.isdigit() for ch in number):
            self.show_error(Text("Fax", "Enter the fax number on the keypad."))
            return
        self.show_error("")
        self.send_requested.emit(number, self.pages.value())

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.number_field.setReadOnly(busy)

    def composed(self) -> None:
        super().composed()
        self.number_field.clear()

    def reset(self) -> None:
        self.number_field.clear()
        super().reset()

    # -- ComposeScreen ----------------------------------------------------------------------------
    def ready(self) -> bool:
        return any(ch.isdigit() for ch in self.number())

    def hint(self) -> Text | str:
        if not self.ready():
            return Text("Fax", "Dial the number, then Send.")
        if not self.online:
            return Text(
                "Fax", "Offline: the fax waits on this device and goes when the link is back."
            )
        return ""
