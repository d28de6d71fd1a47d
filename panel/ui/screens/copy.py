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
from PySide6.QtGui import QResizeEvent
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
    FEEDER_SHEETS,
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
    Placement,
    Sides,
    zoom_label,
)
from panel.device.model import JobRefused
from panel.tasks import report_failure
from panel.ui import i18n, theme
from panel.ui.bridge import copier_of
from panel.ui.i18n import Text, bind, translate, translate_marked
from panel.ui.screens.jobs import failure_reason
from panel.ui.screens.shared_files import FitButton
from panel.ui.widgets import Keypad, Label, Stepper, repolish

if TYPE_CHECKING:
    from panel.ui.window import PanelWindow

A4, A3, LETTER = "iso_a4_210x297mm", "iso_a3_297x420mm", "na_letter_8.5x11in"
MEDIA_LABELS = {A4: Text("Copy", "A4"), A3: Text("Copy", "A3"), LETTER: Text("Copy", "Letter")}
TRAY_LABELS = {
    "auto": Text("Copy", "Auto"),
    "tray-1": Text("Copy", "Tray 1"),
    "tray-2": Text("Copy", "Tray 2"),
    "bypass": Text("Copy", "Bypass"),
}
# (tray, media): what the Paper setting offers; a tray's own media is the engine's business.
PAPER_CHOICES: tuple[tuple[str, str], ...] = (
    ("auto", A4),
    ("auto", A3),
    ("auto", LETTER),
    ("tray-1", A4),
    ("tray-2", A4),
    ("bypass", A4),
)
NO_ORIGINALS = Text("Copy", "Place originals")
START_FAILED = Text("Copy", "The copy could not start. Try again.")
PLACE_ORIGINALS = Text("Copy", "Place the originals in the feeder or on the glass.")
COLOUR_LABELS = {
    ColourMode.AUTO: Text("Copy", "Auto colour"),
    ColourMode.COLOUR: Text("Copy", "Full colour"),
    ColourMode.MONO: Text("Copy", "Black & white"),
}
SIDES_LABELS = {
    Sides.ONE_ONE: Text("Copy", "1 → 1"),
    Sides.ONE_TWO: Text("Copy", "1 → 2"),
    Sides.TWO_TWO: Text("Copy", "2 → 2"),
}
# The copier's refusals (panel/device/copying.py words them in English, without a code).
_REFUSALS = {
    "Log in first.": Text("Copy", "Log in first."),
    "A copy is already running. Press Stop to end it.": Text(
        "Copy", "A copy is already running. Press Stop to end it."
    ),
    PLACE_ORIGINALS.source: PLACE_ORIGINALS,
    "Place the originals first.": Text("Copy", "Place the originals first."),
    "Two-sided originals go in the feeder, not on the glass.": Text(
        "Copy", "Two-sided originals go in the feeder, not on the glass."
    ),
    f"The feeder holds {FEEDER_SHEETS} sheets: copy fewer at a time.": Text(
        "Copy", "The feeder holds {sheets} sheets: copy fewer at a time."
    ).format(sheets=FEEDER_SHEETS),
    f"Make 1 to {MAX_COPIES} copies.": Text("Copy", "Make 1 to {copies} copies.").format(
        copies=MAX_COPIES
    ),
    f"Zoom goes from {ZOOM_MIN}% to {ZOOM_MAX}%.": Text(
        "Copy", "Zoom goes from {low}% to {high}%."
    ).format(low=ZOOM_MIN, high=ZOOM_MAX),
    "Put 1, 2 or 4 pages on a side.": Text("Copy", "Put 1, 2 or 4 pages on a side."),
    "Log in to manage your jobs.": Text("Copy", "Log in to manage your jobs."),
    "This job belongs to another user. Only its owner or an administrator can change it.": Text(
        "Copy",
        "This job belongs to another user. Only its owner or an administrator can change it.",
    ),
}


def refusal_text(message: str) -> Text | str:
    """A refusal from the copier or the job list, in the panel's language."""
    found = _REFUSALS.get(message)
    return found if found is not None else translate_marked("Core", message)


def _count(n: int, one: Text, many: Text) -> str:
    return str((one if n == 1 else many).format(n=n))


def pages_text(n: int) -> str:
    return _count(n, Text("Copy", "{n} page"), Text("Copy", "{n} pages"))


def sheets_text(n: int) -> str:
    return _count(n, Text("Copy", "{n} sheet"), Text("Copy", "{n} sheets"))


def copies_text(n: int) -> str:
    return _count(n, Text("Copy", "{n} copy"), Text("Copy", "{n} copies"))


def original_text(original: Original) -> str:
    """ "3 pages in the feeder", "1 page on the glass"."""
    if original.placement is Placement.GLASS:
        where = Text("Copy", "{pages} on the glass")
    else:
        where = Text("Copy", "{pages} in the feeder")
    return str(where.format(pages=pages_text(original.pages)))


def status_text(status: CopyStatus) -> str:
    """ "Copying page 4 of 12", or the result once it has ended (CopyStatus.progress_text, in
    the panel's language)."""
    if status.phase is CopyPhase.COPYING and status.waiting:
        return translate("Copy", "Waiting for the printer…")
    if status.phase is CopyPhase.COPYING:
        page = min(status.impressions + 1, status.impressions_total)
        copying = Text("Copy", "Copying page {page} of {total}")
        return str(copying.format(page=page, total=status.impressions_total))
    if status.phase is CopyPhase.READY:
        return ""
    pages, sheets = pages_text(status.impressions), sheets_text(status.sheets)
    if status.phase is CopyPhase.COMPLETED:
        done = Text("Copy", "Done: {copies}, {pages} on {sheets}")
        return str(done.format(copies=copies_text(status.copies), pages=pages, sheets=sheets))
    if status.phase is CopyPhase.STOPPED:
        stopped = Text("Copy", "Stopped after {pages} on {sheets}")
        return str(stopped.format(pages=pages, sheets=sheets))
    failed = Text("Copy", "Failed after {pages}: {reason}")
    return str(failed.format(pages=pages, reason=failure_reason(status.message)))


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
    if sides is Sides.ONE_ONE:
        return translate("Copy", "1-sided")
    if sides is Sides.ONE_TWO:
        return translate("Copy", "1 → 2-sided")
    return translate("Copy", "2 → 2-sided")


def n_up_text(n_up: int) -> str:
    if n_up == 1:
        return translate("Copy", "Off")
    return str(Text("Copy", "{n} on 1").format(n=n_up))


def paper_text(tray: str, media: str) -> str:
    """ "Auto · A4", "Tray 1 · A4"; a tray or media the screen does not name, as it is."""
    tray_text, media_text = TRAY_LABELS.get(tray, tray), MEDIA_LABELS.get(media, media)
    return f"{tray_text} \N{MIDDLE DOT} {media_text}"


class SettingTile(QToolButton):
    """A quick setting: its name over its value; tapping it opens its choices."""

    def __init__(self, name: Text, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("copySetting")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 64)
        self.name_label = Label(parent=self)
        self.name_label.setObjectName("copySettingName")
        self.name_label.setWordWrap(True)
        bind(self.name_label, name)
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
        bind(self, name, "setAccessibleName")

    def words_width(self) -> int:
        """The width its longest word needs (a label wraps between words, never inside one)."""
        parts = (self.name_label, self.value_label)
        return max(part.minimumSizeHint().width() for part in parts) + 24 + 8

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
        "colour": Text("Copy", "Colour"),
        "sides": Text("Copy", "2-Sided"),
        "zoom": Text("Copy", "Zoom"),
        "n_up": Text("Copy", "Pages per side"),
        "sort": Text("Copy", "Sort"),
        "paper": Text("Copy", "Paper"),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("copyScreen")
        self.setStyleSheet(COPY_QSS)
        self.settings = CopySettings()
        self.status = CopyStatus(None)
        self._option: str | None = None  # the setting whose choices are open
        self._typed = ""  # digits typed on the keypad, not taken yet

        self.back_button = QPushButton(self)
        bind(self.back_button, Text("Copy", "Home"))
        self.back_button.setObjectName("backButton")
        self.back_button.setIcon(theme.icon("back", theme.ACCENT, 24))
        self.back_button.setIconSize(QSize(24, 24))
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.back)
        heading = self.title_label = Label(parent=self)
        heading.setObjectName("screenTitle")
        bind(heading, Text("Copy", "Copy"))
        self.original_pill = Label(str(NO_ORIGINALS), self)
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
        i18n.notifier().changed.connect(self._retranslate)

    def _retranslate(self, _language: str = "") -> None:
        """The values, the status and an open setting's choices, in the new language."""
        option = self._option
        self.set_status(self.status)
        self._show_tiles()
        self._fit_tiles()
        if option is not None and self.pages.currentIndex() == 1:
            self.open_option(option)

    # -- construction ---------------------------------------------------------------------------
    def _build_tiles(self) -> QWidget:
        page = QWidget(self.left)
        grid = self.tile_grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        self.tiles: dict[str, SettingTile] = {}
        self.tile_columns = 0
        for key in self.SETTINGS:
            tile = SettingTile(self.NAMES[key], page)
            tile.clicked.connect(lambda _checked=False, k=key: self.open_option(k))
            self.tiles[key] = tile
        self._arrange_tiles(3)
        return page

    def _arrange_tiles(self, columns: int) -> None:
        """The quick settings in `columns` columns (3; 2 when a longer language's words would
        not fit three across the 7" panel)."""
        if columns == self.tile_columns:
            return
        self.tile_columns = columns
        for tile in self.tiles.values():
            self.tile_grid.removeWidget(tile)
        for index, tile in enumerate(self.tiles.values()):
            self.tile_grid.addWidget(tile, index // columns, index % columns)
        for column in range(3):
            self.tile_grid.setColumnStretch(column, 1 if column < columns else 0)

    def _fit_tiles(self) -> None:
        """Three columns when the widest tile fits a third of the left card, else two."""
        room = (self.width() - 64) * 13 // 21 - 30  # the left card's share, less its margins
        widest = max(tile.words_width() for tile in self.tiles.values())
        self._arrange_tiles(3 if 3 * widest + 20 <= room else 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_tiles()

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
        self.done_button = QPushButton(page)
        bind(self.done_button, Text("Copy", "Done"))
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
        title = Label(parent=page)
        bind(title, Text("Copy", "Number of copies"))
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
        copies_label = Label(parent=self.right)
        bind(copies_label, Text("Copy", "Copies"))
        copies_label.setObjectName("fieldLabel")
        self.copies = Stepper(1, MAX_COPIES, 1, self.right)
        # The value is a button: tapping it opens the keypad, as a copier's numeric keys do.
        self.copies_value = QPushButton("1", self.copies)
        self.copies_value.setObjectName("copiesValue")
        self.copies_value.setCheckable(True)
        self.copies_value.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bind(self.copies_value, Text("Copy", "Type the number of copies"), "setToolTip")
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
        self.progress_text.setWordWrap(True)
        self.progress_bar = QProgressBar(self.right)
        self.progress_bar.setObjectName("copyProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_detail = Label(parent=self.right)
        self.progress_detail.setObjectName("composeHint")
        self.progress_detail.setWordWrap(True)
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
        self.start_button = QPushButton(self.right)
        bind(self.start_button, Text("Copy", "Start"))
        self.start_button.setObjectName("primaryButton")
        self.start_button.setIcon(theme.icon("copy", "#ffffff", 30))
        self.start_button.setIconSize(QSize(30, 30))
        self.start_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.start_button.setMinimumHeight(68)
        self.start_button.clicked.connect(self.submit)
        self.stop_button = QPushButton(self.right)
        bind(self.stop_button, Text("Copy", "Stop"))
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
            modes = (ColourMode.AUTO, ColourMode.COLOUR, ColourMode.MONO)
            return [(m.value, str(COLOUR_LABELS[m])) for m in modes]
        if key == "sides":
            return [(s.value, sides_text(s)) for s in Sides]
        if key == "zoom":
            return [(str(pct), name) for name, pct in ZOOM_PRESETS]
        if key == "n_up":
            return [(str(n), n_up_text(n)) for n in N_UP]
        if key == "sort":
            return [
                ("collate", translate("Copy", "Collated 1-2-3, 1-2-3")),
                ("group", translate("Copy", "Grouped 1-1, 2-2, 3-3")),
            ]
        return [(f"{t}|{m}", paper_text(t, m)) for t, m in PAPER_CHOICES]

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
        bind(self.option_title, self.NAMES[key])
        for button in self.choices.values():
            self.choice_group.removeButton(button)
            button.deleteLater()
        self.choices = {}
        options = self._choices_for(key)
        columns = 2 if len(options) > 3 else 1
        for index, (choice, text) in enumerate(options):
            # Ends in "…" (whole words in its tooltip) rather than widen the card past the panel.
            button = FitButton(self.pages.widget(1))
            button.setText(text)
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
            "colour": (str(COLOUR_LABELS[s.colour]), s.colour != default.colour),
            "sides": (str(SIDES_LABELS[s.sides]), s.sides != default.sides),
            "zoom": (zoom_label(s.zoom_pct), s.zoom_pct != default.zoom_pct),
            "n_up": (n_up_text(s.n_up), s.n_up != default.n_up),
            "sort": (
                translate("Copy", "Collated") if s.collate else translate("Copy", "Grouped"),
                s.collate != default.collate,
            ),
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
        self.original_pill.setText(original_text(original) if original else str(NO_ORIGINALS))
        self.original_pill.setProperty("placed", original is not None)
        repolish(self.original_pill)
        copying = status.phase is CopyPhase.COPYING
        for part in (self.progress_text, self.progress_bar, self.progress_detail):
            part.setVisible(copying)
        if copying:
            self.progress_text.setText(status_text(status))
            if self.progress_bar.maximum() != status.impressions_total:
                self.progress_bar.setRange(0, max(1, status.impressions_total))
            self.progress_bar.setValue(status.impressions)
            sides = translate("Copy", "2-sided") if status.duplex else translate("Copy", "1-sided")
            out = Text("Copy", "{done} of {total} sheets out")
            out = out.format(done=status.sheets, total=status.sheets_total)
            self.progress_detail.setText(f"{out} \N{MIDDLE DOT} {sides}")
            self._show_settings()
        ended = status.phase in (CopyPhase.COMPLETED, CopyPhase.STOPPED, CopyPhase.FAILED)
        self.result_label.setVisible(ended)
        if ended:
            self.result_label.setText(status_text(status))
            self.result_label.setProperty("phase", status.phase.value)
            repolish(self.result_label)
        self.start_button.setVisible(not copying)
        self.stop_button.setVisible(copying)
        self.left.setEnabled(not copying)
        self.copies.setEnabled(not copying)
        self.refresh()

    def show_error(self, message: Text | str) -> None:
        """A refusal, in red, where the hint was; an empty message brings the hint back (a
        `Text` follows a language switch)."""
        bind(self.error_label, message)
        self.error_label.setVisible(bool(str(message)))
        self.refresh()

    def submit(self) -> None:
        """Start: the window asks the copier; a refusal comes back through show_error."""
        if self.status.busy:
            return
        if self.status.original is None:
            self.show_error(PLACE_ORIGINALS)
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
            return str(PLACE_ORIGINALS)
        s = self.settings
        hint = Text("Copy", "{copies} of {original}, {sides}.")
        return str(
            hint.format(
                copies=copies_text(s.copies), original=original.name, sides=sides_text(s.sides)
            )
        )


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
            window.show_toast(
                translate("Copy", "Copy is not available yet: the device is still starting.")
            )
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
            self.screen.show_error(refusal_text(refused.message))
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
            self._window.show_toast(str(refusal_text(refused.message)), "warning")
