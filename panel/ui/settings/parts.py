"""The pieces the Settings screens are made of: a category button, a setting's row (its name and
value, tapped to change it), a row of choices, a keyboard with what URLs need, the look, and
the words for a refused value."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from panel.device.settings import Problem, SettingError
from panel.ui import theme
from panel.ui.i18n import Text, bind
from panel.ui.widgets import MIN_TOUCH, ElidedLabel, Label, TextKeyboard, repolish

ROW_HEIGHT = 64

# Over the panel's sheet (resources/style/panel.qss): only what the Settings screens add.
STYLE = """
QPushButton#settingsCategory {
    background: transparent; border: none; border-radius: 12px;
}
QPushButton#settingsCategory:checked { background: #1b64c4; }
QLabel#categoryName { font-size: 18px; font-weight: bold; color: #1d2733; }
QLabel#categoryName[lit="true"] { color: #ffffff; }
QPushButton#settingsCategory:pressed { background: #d5e3f5; }
QFrame#settingsList { background: #ffffff; border-right: 1px solid #d8dee6; }
QPushButton#settingRow {
    background: #ffffff; border: 1px solid #d8dee6; border-bottom: 3px solid #cfd7e0;
    border-radius: 12px; text-align: left;
}
QPushButton#settingRow:pressed { background: #e3ecf7; }
QPushButton#settingRow:disabled { background: #f4f6f8; }
QLabel#settingName { font-size: 18px; font-weight: bold; color: #1d2733; }
QLabel#settingValue { font-size: 18px; color: #1b64c4; }
QLabel#settingNote { font-size: 15px; color: #5b6875; }
QLabel#pageTitle { font-size: 22px; font-weight: bold; color: #1d2733; }
QLabel#fieldError { font-size: 17px; font-weight: bold; color: #c62828; }
QLabel#fieldHint { font-size: 15px; color: #5b6875; }
QPushButton#choice {
    font-size: 17px; font-weight: bold; color: #1d2733; min-height: 52px; padding: 0 14px;
    background: #ffffff; border: 1px solid #cdd5de; border-bottom: 3px solid #b8c2cd;
    border-radius: 12px;
}
QPushButton#choice:checked { background: #1b64c4; color: #ffffff; border-color: #134a91; }
QPushButton#choice:pressed { background: #d5e3f5; }
QPushButton#choice:disabled { color: #a9b3bd; }
QLineEdit#field[invalid="true"] { border: 3px solid #c62828; background: #fff6f5; }
QLabel#infoName { font-size: 16px; color: #5b6875; }
QLabel#infoValue { font-size: 16px; font-weight: bold; color: #1d2733; }
QLabel#infoHeading { font-size: 14px; font-weight: bold; color: #1b64c4; padding-top: 8px; }
"""


def describe(error: SettingError) -> str:
    """A refused value in the panel's words, for the message under the field."""
    v = error.values
    texts = {
        Problem.NAME_EMPTY: Text("Settings", "Enter a name."),
        Problem.NAME_TOO_LONG: Text("Settings", "A name has at most {high} characters."),
        Problem.NAME_UNPRINTABLE: Text("Settings", "A name cannot contain control characters."),
        Problem.NOT_A_NUMBER: Text("Settings", "Enter whole seconds, with digits only."),
        Problem.OUT_OF_RANGE: Text("Settings", "Enter {low} to {high} seconds."),
        Problem.LOGOUT_RANGE: Text("Settings", "Enter 0 (never) or {low} to {high} seconds."),
        Problem.SLEEP_BEFORE_DIM: Text(
            "Settings",
            "The panel dims before it sleeps: sleep after {sleep} s cannot come before "
            "dimming after {dim} s.",
        ),
        Problem.URL_MALFORMED: Text("Settings", "Enter a URL such as http://server:8080"),
        Problem.URL_HAS_SECRET: Text(
            "Settings",
            "A URL with a user name or password is not allowed: settings never hold a secret.",
        ),
        Problem.URL_UNREACHABLE: Text(
            "Settings", "No server answered at this URL ({detail}): check the address."
        ),
        Problem.URL_NOT_A_SERVER: Text(
            "Settings", "Something answered at this URL, but not an mfp-panel server ({detail})."
        ),
        Problem.NO_NETWORK: Text("Settings", "At least one network must stay enabled."),
        Problem.UNKNOWN_CHOICE: Text("Settings", "This choice is not available."),
    }
    return str(texts[error.problem].format(**v))


def seconds_text(seconds: int) -> Text:
    """A timer as the rows show it: "90 s (1 min 30 s)", or "Never" for 0."""
    if seconds == 0:
        return Text("Settings", "Never")
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return Text("Settings", "{s} s").format(s=seconds)
    if rest == 0:
        return Text("Settings", "{s} s ({m} min)").format(s=seconds, m=minutes)
    return Text("Settings", "{s} s ({m} min {r} s)").format(s=seconds, m=minutes, r=rest)


class LaidOutButton(QPushButton):
    """A button drawn by the widgets in its layout (an icon, a name that wraps, a value): as
    tall as they need at its width (a QPushButton sizes itself by its own text only)."""

    def __init__(self, parent: QWidget, least: int = MIN_TOUCH) -> None:
        super().__init__(parent)
        self.least = least
        # A layout item asks the layout, bounded by the explicit minimum: set it.
        self.setMinimumHeight(least)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def sizeHint(self) -> QSize:
        layout = self.layout()
        hint = layout.sizeHint() if layout is not None else QSize()
        return QSize(hint.width(), max(self.least, hint.height()))

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        hint = layout.minimumSize() if layout is not None else QSize()
        return QSize(hint.width(), max(self.least, hint.height()))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        height = layout.totalHeightForWidth(width) if layout is not None else 0
        return max(self.least, height)


class CategoryButton(LaidOutButton):
    """One category in the list on the left: an icon and its name (wrapped when long); the
    open one is lit, its icon and name in white."""

    def __init__(self, text: Text, icon_name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("settingsCategory")
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bind(self, text, "setAccessibleName")
        self._pictures = (
            theme.pixmap(icon_name, theme.ACCENT, 26),
            theme.pixmap(icon_name, "#ffffff", 26),
        )
        self.picture = Label(parent=self)
        self.label = Label(parent=self)
        self.label.setObjectName("categoryName")
        self.label.setWordWrap(True)
        bind(self.label, text)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 6, 10, 6)
        row.setSpacing(10)
        row.addWidget(self.picture)
        row.addWidget(self.label, 1)
        for part in (self.picture, self.label):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.toggled.connect(self._lit)
        self._lit(False)

    def _lit(self, on: bool) -> None:
        self.picture.setPixmap(self._pictures[on])
        self.label.setProperty("lit", on)
        repolish(self.label)

    def text(self) -> str:
        return self.label.text()


class SettingRow(LaidOutButton):
    """A setting: its name over a note (bounds, when it applies), its value on the right; the
    whole row is one touch target that opens the setting's entry page."""

    def __init__(self, name: Text, parent: QWidget, note: Text | None = None) -> None:
        super().__init__(parent, ROW_HEIGHT)
        self.setObjectName("settingRow")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.name = Label(parent=self)
        self.name.setObjectName("settingName")
        bind(self.name, name)
        bind(self, name, "setAccessibleName")
        self.value = ElidedLabel(parent=self)
        self.value.setObjectName("settingValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.name)
        if note is not None:
            self.note = Label(parent=self)
            self.note.setObjectName("settingNote")
            self.note.setWordWrap(True)
            bind(self.note, note)
            words.addWidget(self.note)
        chevron = Label("\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}", self)
        chevron.setObjectName("settingValue")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 6, 14, 6)
        row.setSpacing(12)
        row.addLayout(words, 1)
        row.addWidget(self.value, 1)
        row.addWidget(chevron)
        for part in self.findChildren(QWidget):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_value(self, text: str) -> None:
        self.value.set_full_text(text)
        self.value.setToolTip(text)


class Choices(QWidget):
    """A setting chosen among a few values (a language, a screen size): one button each, the
    chosen one lit. `chosen(value)` on a tap; `set_value` shows a value without emitting."""

    chosen = Signal(str)

    def __init__(
        self,
        name: Text,
        options: Sequence[tuple[str, Text | str]],
        parent: QWidget,
        columns: int = 4,
    ) -> None:
        super().__init__(parent)
        self.label = Label(parent=self)
        self.label.setObjectName("settingName")
        bind(self.label, name)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        for index, (value, text) in enumerate(options):
            button = QPushButton(self)
            button.setObjectName("choice")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(MIN_TOUCH - 4)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            bind(button, text)
            button.clicked.connect(lambda _checked=False, v=value: self.chosen.emit(v))
            self.group.addButton(button)
            self.buttons[value] = button
            grid.addWidget(button, index // columns, index % columns)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.label)
        column.addLayout(grid)

    def set_value(self, value: str) -> None:
        button = self.buttons.get(value)
        if button is not None:
            button.setChecked(True)


class SettingsKeyboard(TextKeyboard):
    """The panel's text keyboard with the characters a URL needs beside its own (: _)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = self.layout()
        assert isinstance(grid, QGridLayout)
        space = self.buttons["space"]
        grid.removeWidget(space)
        grid.addWidget(space, 4, 4, 1, 8)
        for column, char in ((12, ":"), (14, "_")):
            key = self._key(char, char, "keyboardKey")
            key.clicked.connect(lambda _checked=False, c=char: self.text.emit(c))
            grid.addWidget(key, 4, column, 1, 2)
        for button in self.buttons.values():  # room for a two-line refusal above it at 800x480
            button.setMinimumHeight(42)


def settings_button(parent: QWidget) -> QPushButton:
    """The home screen's Settings button (its owner shows it to administrators only)."""
    button = QPushButton(parent)
    button.setObjectName("backButton")  # styled as the screens' header buttons
    button.setIcon(theme.icon("maintenance", theme.ACCENT, 26))
    button.setIconSize(QSize(26, 26))
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    bind(button, Text("Settings", "Settings"))
    button.hide()
    return button
