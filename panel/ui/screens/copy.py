"""Copy screen: the originals' state, quick settings (colour, 2-sided, zoom, N-up, sort, paper),
the number of copies (stepper or keypad), a big Start, then "Copying page 4 of 12" with Stop and
the result.

The screen only shows and asks: `CopyController` starts and stops copies on the device's copier
(`panel.device.copying.Copier`) and feeds the screen its `CopyStatus` from the bridge's
`copy_changed`. Copy is local: it works offline, and the screen says nothing about the link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from panel.device.copying import (
    MAX_COPIES,
    N_UP,
    ZOOM_MAX,
    ZOOM_MIN,
    ZOOM_PRESETS,
    ColourMode,
    CopyError,
    CopyPhase,
    CopySettings,
    CopyStatus,
    Original,
    Sides,
    zoom_label,
)
from panel.device.model import JobRefused
from panel.tasks import report_failure
from panel.ui import theme
from panel.ui.bridge import copier_of
from panel.ui.widgets import Keypad, Label, Stepper, repolish

if TYPE_CHECKING:
    from panel.ui.window import PanelWindow

A4, A3, LETTER = "iso_a4_210x297mm", "iso_a3_297x420mm", "na_letter_8.5x11in"
MEDIA_LABELS = {A4: "A4", A3: "A3", LETTER: "Letter"}
# (tray, media): what the Paper setting offers; a tray's own media is the engine's business.
PAPER_CHOICES: tuple[tuple[str, str, str], ...] = (
    ("auto", A4, "Auto \N{MIDDLE DOT} A4"),
    ("auto", A3, "Auto \N{MIDDLE DOT} A3"),
    ("auto", LETTER, "Auto \N{MIDDLE DOT} Letter"),
    ("tray-1", A4, "Tray 1 \N{MIDDLE DOT} A4"),
    ("tray-2", A4, "Tray 2 \N{MIDDLE DOT} A4"),
    ("bypass", A4, "Bypass \N{MIDDLE DOT} A4"),
)
NO_ORIGINALS = "Place originals"
START_FAILED = "The copy could not start. Try again."

# The Copy screen's own widgets, on top of style/panel.qss (same palette).
COPY_QSS = """
QToolButton#copySetting {
    background: #ffffff; border: 1px solid #d3dae2; border-bottom: 3px solid #c3ccd6;
    border-radius: 14px; padding: 6px;
}
QToolButton#copySetting:pressed { background: #e8f1fc; }
QToolButton#copySetting:disabled { background: #f3f5f8; }
QLabel#copySettingName { font-size: 14px; color: #5b6875; }
QLabel#copySettingValue { font-size: 18px; font-weight: bold; color: #1d2733; }
QToolButton#copySetting[changed="true"] { border-color: #1b64c4; background: #f2f7fd; }
QPushButton#copyChoice {
    font-size: 18px; font-weight: bold; color: #1d2733; background: #ffffff;
    border: 2px solid #d3dae2; border-radius: 12px; min-height: 56px; padding: 0 12px;
}
QPushButton#copyChoice:checked { color: #ffffff; background: #1b64c4; border-color: #134a91; }
QLabel#copyOptionTitle { font-size: 20px; font-weight: bold; color: #1d2733; }
QLabel#originalPill {
    color: #ffffff; background: #2e7d32; border-radius: 13px; padding: 4px 14px;
    font-size: 15px; font-weight: bold;
}
QLabel#originalPill[placed="false"] { background: #a86400; }
QLabel#copyProgressText { font-size: 20px; font-weight: bold; color: #1d2733; }
QLabel#copyResult { font-size: 17px; font-weight: bold; color: #2e7d32; }
QLabel#copyResult[phase="stopped"], QLabel#copyResult[phase="failed"] { color: #b3261e; }
QProgressBar#copyProgress {
    background: #e3e8ee; border: none; border-radius: 6px; max-height: 12px;
}
QProgressBar#copyProgress::chunk { background: #1b64c4; border-radius: 6px; }
QPushButton#copyStop {
    font-size: 22px; font-weight: bold; color: #ffffff; background: #b3261e;
    border: 1px solid #8c1d17; border-bottom: 3px solid #74140f; border-radius: 14px;
}
QPushButton#copyStop:pressed { background: #8c1d17; }
QPushButton#copiesValue {
    font-size: 30px; font-weight: bold; color: #1d2733; background: #f7f9fb;
    border: 2px solid #c3ccd6; border-radius: 12px; min-height: 60px;
}
QPushButton#copiesValue:checked { border: 3px solid #1b64c4; background: #ffffff; }
"""


def sides_text(sides: Sides) -> str:
    return {Sides.ONE_ONE: "1-sided", Sides.ONE_TWO: "1 \N{RIGHTWARDS ARROW} 2-sided"}.get(
        sides, "2 \N{RIGHTWARDS ARROW} 2-sided"
    )


def n_up_text(n_up: int) -> str:
    return "Off" if n_up == 1 else f"{n_up} on 1"


def paper_text(tray: str, media: str) -> str:
    for t, m, text in PAPER_CHOICES:
        if (t, m) == (tray, media):
            return text
    return f"{tray} \N{MIDDLE DOT} {MEDIA_LABELS.get(media, media)}"


class SettingTile(QToolButton):
    """A quick setting: its name over its value; tapping it opens its choices."""

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("copySetting")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 64)
        self.name_label = Label(name, self)
        self.name_label.setObjectName("copySettingName")
        self.value_label = Label(parent=self)
        self.value_label.setObjectName("copySettingValue")
        self.value_label.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.setSpacing(2)
        column.addWidget(self.name_label)
        column.addWidget(self.value_label)
        column.addStretch(1)
        for part in (self.name_label, self.value_label):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAccessibleName(name)

    def set_value(self, text: str, changed: bool) -> None:
        self.value_label.setText(text)
        self.setAccessibleDescription(text)
        if self.property("changed") != changed:
            self.setProperty("changed", changed)
            repolish(self)


class CopyScreen(QWidget):
    """Set up a copy of the originals placed, start it, follow it, stop it."""

    back = Signal()
    start_requested = Signal(object)  # CopySettings
    stop_requested = Signal()

    SETTINGS = ("colour", "sides", "zoom", "n_up", "sort", "paper")
    NAMES = {
        "colour": "Colour",
        "sides": "2-Sided",
        "zoom": "Zoom",
        "n_up": "Pages per side",
        "sort": "Sort",
        "paper": "Paper",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("copyScreen")
        self.setStyleSheet(COPY_QSS)
        self.settings = CopySettings()
        self.status = CopyStatus(None)
        self._option: str | None = None  # the setting whose choices are open
        self._typed = ""  # digits typed on the keypad, not taken yet

        self.back_button = QPushButton("Home", self)
        self.back_button.setObjectName("backButton")
        self.back_button.setIcon(theme.icon("back", theme.ACCENT, 24))
        self.back_button.setIconSize(QSize(24, 24))
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.back)
        heading = Label("Copy", self)
        heading.setObjectName("screenTitle")
        self.original_pill = Label(NO_ORIGINALS, self)
        self.original_pill.setObjectName("originalPill")
        header = QHBoxLayout()
        header.setSpacing(18)
        header.addWidget(self.back_button)
        header.addWidget(heading)
        header.addStretch(1)
        header.addWidget(self.original_pill, 0, Qt.AlignmentFlag.AlignVCenter)

        self.left = QFrame(self)
        self.left.setObjectName("composeCard")
        self.pages = QStackedWidget(self.left)
        self.pages.addWidget(self._build_tiles())
        self.pages.addWidget(self._build_options())
        self.pages.addWidget(self._build_keypad())
        box = QVBoxLayout(self.left)
        box.setContentsMargins(14, 14, 14, 14)
        box.addWidget(self.pages)

        self.right = QFrame(self)
        self.right.setObjectName("composeCard")
        self._build_side()

        cards = QHBoxLayout()
        cards.setSpacing(16)
        cards.addWidget(self.left, 13)
        cards.addWidget(self.right, 8)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 14, 24, 16)
        column.setSpacing(12)
        column.addLayout(header)
        column.addLayout(cards, 1)
        self._show_settings()
        self.set_status(self.status)

    # -- construction ---------------------------------------------------------------------------
    def _build_tiles(self) -> QWidget:
        page = QWidget(self.left)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        self.tiles: dict[str, SettingTile] = {}
        for index, key in enumerate(self.SETTINGS):
            tile = SettingTile(self.NAMES[key], page)
            tile.clicked.connect(lambda _checked=False, k=key: self.open_option(k))
            grid.addWidget(tile, index // 3, index % 3)
            self.tiles[key] = tile
        return page

    def _build_options(self) -> QWidget:
        page = QWidget(self.left)
        self.option_title = Label(parent=page)
        self.option_title.setObjectName("copyOptionTitle")
        self.choice_box = QGridLayout()
        self.choice_box.setSpacing(8)
        self.choice_group = QButtonGroup(page)
        self.choice_group.setExclusive(True)
        self.choices: dict[str, QPushButton] = {}
        self.zoom_stepper = Stepper(ZOOM_MIN, ZOOM_MAX, 100, page)
        self.zoom_stepper.value_changed.connect(self._on_zoom_stepped)
        self.done_button = QPushButton("Done", page)
        self.done_button.setObjectName("primaryButton")
        self.done_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.done_button.setMinimumHeight(56)
        self.done_button.clicked.connect(self.close_option)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addWidget(self.option_title)
        column.addLayout(self.choice_box)
        column.addWidget(self.zoom_stepper)
        column.addStretch(1)
        column.addWidget(self.done_button)
        return page

    def _build_keypad(self) -> QWidget:
        page = QWidget(self.left)
        title = Label("Number of copies", page)
        title.setObjectName("copyOptionTitle")
        self.keypad = Keypad(page)
        self.keypad.digit.connect(self._type_digit)
        self.keypad.backspace.connect(lambda: self._set_typed(self._typed[:-1]))
        self.keypad.clear.connect(lambda: self._set_typed(""))
        self.keypad.ok.connect(self._keypad_ok)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addWidget(title)
        column.addWidget(self.keypad, 1)
        return page

    def _build_side(self) -> None:
        side = QVBoxLayout(self.right)
        side.setContentsMargins(20, 14, 20, 16)
        side.setSpacing(6)
        copies_label = Label("Copies", self.right)
        copies_label.setObjectName("fieldLabel")
        self.copies = Stepper(1, MAX_COPIES, 1, self.right)
        # The value is a button: tapping it opens the keypad, as a copier's numeric keys do.
        self.copies_value = QPushButton("1", self.copies)
        self.copies_value.setObjectName("copiesValue")
        self.copies_value.setCheckable(True)
        self.copies_value.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.copies_value.setToolTip("Type the number of copies")
        self.copies_value.clicked.connect(self._toggle_keypad)
        stepper_row = self.copies.layout()
        assert isinstance(stepper_row, QHBoxLayout)
        stepper_row.replaceWidget(self.copies.value_label, self.copies_value)
        self.copies.value_label.hide()
        self.copies.value_changed.connect(self._on_copies)
        side.addWidget(copies_label)
        side.addWidget(self.copies)
        side.addSpacing(6)
        self.progress_text = Label(parent=self.right)
        self.progress_text.setObjectName("copyProgressText")
        self.progress_bar = QProgressBar(self.right)
        self.progress_bar.setObjectName("copyProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_detail = Label(parent=self.right)
        self.progress_detail.setObjectName("composeHint")
        self.result_label = Label(parent=self.right)
        self.result_label.setObjectName("copyResult")
        self.result_label.setWordWrap(True)
        self.hint_label = Label(parent=self.right)
        self.hint_label.setObjectName("composeHint")
        self.hint_label.setWordWrap(True)
        self.error_label = Label(parent=self.right)
        self.error_label.setObjectName("composeError")
        self.error_label.setWordWrap(True)
        parts = (self.progress_text, self.progress_bar, self.progress_detail, self.result_label)
        for part in parts:
            side.addWidget(part)
        side.addStretch(1)
        side.addWidget(self.hint_label)
        side.addWidget(self.error_label)
        self.start_button = QPushButton("Start", self.right)
        self.start_button.setObjectName("primaryButton")
        self.start_button.setIcon(theme.icon("copy", "#ffffff", 30))
        self.start_button.setIconSize(QSize(30, 30))
        self.start_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.start_button.setMinimumHeight(68)
        self.start_button.clicked.connect(self.submit)
        self.stop_button = QPushButton("Stop", self.right)
        self.stop_button.setObjectName("copyStop")
        self.stop_button.setIcon(theme.icon("stop", "#ffffff", 30))
        self.stop_button.setIconSize(QSize(30, 30))
        self.stop_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stop_button.setMinimumHeight(68)
        self.stop_button.clicked.connect(self.stop_requested)
        side.addWidget(self.start_button)
        side.addWidget(self.stop_button)

    # -- settings -------------------------------------------------------------------------------
    def _choices_for(self, key: str) -> Sequence[tuple[str, str]]:
        """(choice id, label) of a setting's options."""
        if key == "colour":
            return [
                (m.value, m.label) for m in (ColourMode.AUTO, ColourMode.COLOUR, ColourMode.MONO)
            ]
        if key == "sides":
            return [(s.value, sides_text(s)) for s in Sides]
        if key == "zoom":
            return [(str(pct), name) for name, pct in ZOOM_PRESETS]
        if key == "n_up":
            return [(str(n), n_up_text(n)) for n in N_UP]
        if key == "sort":
            return [("collate", "Collated 1-2-3, 1-2-3"), ("group", "Grouped 1-1, 2-2, 3-3")]
        return [(f"{t}|{m}", text) for t, m, text in PAPER_CHOICES]

    def _chosen(self, key: str) -> str:
        s = self.settings
        return {
            "colour": s.colour.value,
            "sides": s.sides.value,
            "zoom": str(s.zoom_pct),
            "n_up": str(s.n_up),
            "sort": "collate" if s.collate else "group",
            "paper": f"{s.tray}|{s.media}",
        }[key]

    def open_option(self, key: str) -> None:
        """Show a setting's choices in place of the tiles (its tile was tapped)."""
        if self.status.busy:
            return
        self._option = key
        self.option_title.setText(self.NAMES[key])
        for button in self.choices.values():
            self.choice_group.removeButton(button)
            button.deleteLater()
        self.choices = {}
        options = self._choices_for(key)
        columns = 2 if len(options) > 3 else 1
        for index, (choice, text) in enumerate(options):
            button = QPushButton(text, self.pages.widget(1))
            button.setObjectName("copyChoice")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setChecked(choice == self._chosen(key))
            button.clicked.connect(lambda _checked=False, k=key, c=choice: self.choose(k, c))
            self.choice_group.addButton(button)
            self.choice_box.addWidget(button, index // columns, index % columns)
            self.choices[choice] = button
        self.zoom_stepper.setVisible(key == "zoom")
        self.zoom_stepper.set_value(self.settings.zoom_pct)
        self.pages.setCurrentIndex(1)

    def choose(self, key: str, choice: str) -> None:
        """A choice was tapped: the setting takes it (the choices stay open until Done)."""
        s = self.settings
        if key == "colour":
            s = replace(s, colour=ColourMode(choice))
        elif key == "sides":
            s = replace(s, sides=Sides(choice))
        elif key == "zoom":
            s = replace(s, zoom_pct=int(choice))
            self.zoom_stepper.set_value(int(choice))
        elif key == "n_up":
            s = replace(s, n_up=int(choice))
        elif key == "sort":
            s = replace(s, collate=choice == "collate")
        else:
            tray, media = choice.split("|", 1)
            s = replace(s, tray=tray, media=media)
        if choice in self.choices:
            self.choices[choice].setChecked(True)
        self._set_settings(s)

    def _on_zoom_stepped(self, pct: int) -> None:
        if self._option == "zoom":
            self._set_settings(replace(self.settings, zoom_pct=pct))
            button = self.choices.get(str(pct))
            if button is not None:
                button.setChecked(True)
            else:  # a percentage no preset names
                checked = self.choice_group.checkedButton()
                if checked is not None:
                    self.choice_group.setExclusive(False)
                    checked.setChecked(False)
                    self.choice_group.setExclusive(True)

    def close_option(self) -> None:
        self._option = None
        self._show_settings()

    def _set_settings(self, settings: CopySettings) -> None:
        self.settings = settings
        self.show_error("")
        self._show_tiles()

    def _show_settings(self) -> None:
        self.copies_value.setChecked(False)
        self.pages.setCurrentIndex(0)
        self._show_tiles()

    def _show_tiles(self) -> None:
        s, default = self.settings, CopySettings()
        values = {
            "colour": (s.colour.label, s.colour != default.colour),
            "sides": (s.sides.label, s.sides != default.sides),
            "zoom": (zoom_label(s.zoom_pct), s.zoom_pct != default.zoom_pct),
            "n_up": (n_up_text(s.n_up), s.n_up != default.n_up),
            "sort": ("Collated" if s.collate else "Grouped", s.collate != default.collate),
            "paper": (
                paper_text(s.tray, s.media),
                (s.tray, s.media) != (default.tray, default.media),
            ),
        }
        for key, (text, changed) in values.items():
            self.tiles[key].set_value(text, changed)
        self.refresh()

    # -- copies: stepper and keypad -------------------------------------------------------------
    def _on_copies(self, value: int) -> None:
        self.copies_value.setText(str(value))
        self.settings = replace(self.settings, copies=value)
        self.refresh()

    def set_copies(self, value: int) -> None:
        self.copies.set_value(value)

    def _toggle_keypad(self, checked: bool) -> None:
        if checked and not self.status.busy:
            self._typed = ""
            self.pages.setCurrentIndex(2)
        else:
            self._show_settings()

    def _type_digit(self, digit: str) -> None:
        self._set_typed((self._typed + digit).lstrip("0")[: len(str(MAX_COPIES))])

    def _set_typed(self, typed: str) -> None:
        self._typed = typed
        self.copies_value.setText(typed or "0")

    def _keypad_ok(self) -> None:
        if self._typed:
            self.set_copies(int(self._typed))
        self.copies_value.setText(str(self.copies.value()))
        self._show_settings()

    # -- what the controller tells it -------------------------------------------------------------
    def set_status(self, status: CopyStatus) -> None:
        """The copier's state: the originals' pill, the live count, the result."""
        self.status = status
        original = status.original
        self.original_pill.setText(original.describe() if original else NO_ORIGINALS)
        self.original_pill.setProperty("placed", original is not None)
        repolish(self.original_pill)
        copying = status.phase is CopyPhase.COPYING
        for part in (self.progress_text, self.progress_bar, self.progress_detail):
            part.setVisible(copying)
        if copying:
            self.progress_text.setText(status.progress_text())
            if self.progress_bar.maximum() != status.impressions_total:
                self.progress_bar.setRange(0, max(1, status.impressions_total))
            self.progress_bar.setValue(status.impressions)
            sides = "2-sided" if status.duplex else "1-sided"
            self.progress_detail.setText(
                f"{status.sheets} of {status.sheets_total} sheets out \N{MIDDLE DOT} {sides}"
            )
            self._show_settings()
        ended = status.phase in (CopyPhase.COMPLETED, CopyPhase.STOPPED, CopyPhase.FAILED)
        self.result_label.setVisible(ended)
        if ended:
            self.result_label.setText(status.progress_text())
            self.result_label.setProperty("phase", status.phase.value)
            repolish(self.result_label)
        self.start_button.setVisible(not copying)
        self.stop_button.setVisible(copying)
        self.left.setEnabled(not copying)
        self.copies.setEnabled(not copying)
        self.refresh()

    def show_error(self, message: str) -> None:
        """A refusal, in red, where the hint was; an empty message brings the hint back."""
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        self.refresh()

    def submit(self) -> None:
        """Start: the window asks the copier; a refusal comes back through show_error."""
        if self.status.busy:
            return
        if self.status.original is None:
            self.show_error("Place the originals in the feeder or on the glass.")
            return
        self.show_error("")
        self.start_requested.emit(self.settings)

    def reset(self) -> None:
        """Reset key, logout: a copier's defaults (a copy running goes on)."""
        self.settings = CopySettings()
        self.copies.set_value(1)
        self.copies_value.setText("1")
        self.show_error("")
        self._option = None
        self._show_settings()

    def refresh(self) -> None:
        busy = self.status.busy
        self.start_button.setEnabled(not busy)
        text = self.hint()
        self.hint_label.setText(text)
        self.hint_label.setVisible(bool(text) and not self.error_label.text())

    def hint(self) -> str:
        original: Original | None = self.status.original
        if self.status.busy:
            return ""
        if original is None:
            return "Place the originals in the feeder or on the glass."
        s = self.settings
        copies = f"{s.copies} cop{'ies' if s.copies != 1 else 'y'}"
        return f"{copies} of {original.name}, {sides_text(s.sides)}."


class CopyController(QObject):
    """The Copy screen of one panel window and the copier it drives."""

    def __init__(self, window: PanelWindow) -> None:
        super().__init__(window)
        self._window = window
        self._screen: CopyScreen | None = None

    @property
    def screen(self) -> CopyScreen:
        if self._screen is None:
            window = self._window
            screen = self._screen = CopyScreen()
            window.stack.addWidget(screen)
            screen.back.connect(window.show_home)
            screen.start_requested.connect(self._start)
            screen.stop_requested.connect(self._stop)
            copier = copier_of(window.device)
            if copier is not None:
                screen.set_status(copier.status())
        return self._screen

    def show(self) -> None:
        window = self._window
        if window.device.user is None:
            window.show_login()
            return
        if copier_of(window.device) is None:
            window.show_toast("Copy is not available yet: the device is still starting.")
            return
        window.stack.setCurrentWidget(self.screen)

    def status_changed(self, status: CopyStatus, _change: str) -> None:
        if self._screen is not None:
            self._screen.set_status(status)

    def reset(self) -> None:
        if self._screen is not None:
            self._screen.reset()

    def _start(self, settings: CopySettings) -> None:
        copier = copier_of(self._window.device)
        if copier is None:
            return
        try:
            copier.start(settings)
        except CopyError as refused:
            self.screen.show_error(refused.message)
        except Exception as exc:  # a bug or a store that cannot write: said, and reported
            self.screen.show_error(START_FAILED)
            report_failure("panel", "starting a copy", exc)

    def _stop(self) -> None:
        copier = copier_of(self._window.device)
        if copier is None:
            return
        try:
            copier.stop()
        except JobRefused as refused:
            self._window.show_toast(refused.message, "warning")
