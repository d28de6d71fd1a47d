"""The device status screen: the engine's state, its errors and warnings (with their codes and
what to do), the paper trays with their levels, the toner gauges and the page counters.

Reached from the home screen's Device status button and from the status bar's engine pill
(`EnginePill`, also here: it names the worst current reason, red for an error, amber for a
warning, and is hidden when there is none). The window hands both every `EngineStatus`.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from panel.device.engine.status import EngineStatus, Reason, Severity, Toner, Tray
from panel.device.model import PrinterState, User
from panel.ui import i18n, theme
from panel.ui.i18n import Text, bind
from panel.ui.screens.engine_fault import (
    clear_layout,
    colour_label,
    engine_stylesheet,
    reason_message,
    reason_steps,
    title,
    tray_label,
)
from panel.ui.widgets import ElidedLabel, Label, repolish, upper

TONER_COLOURS = {
    "black": "#1d2733",
    "cyan": "#00a0d6",
    "magenta": "#d6247f",
    "yellow": "#f2c500",
}
LEVEL_OK, LEVEL_LOW, LEVEL_OUT = "#1b64c4", "#a86400", "#b3261e"
LOW_PCT = 10  # a tray or cartridge under this is drawn amber
TRACK = "#e3e8ee"

STATE_TEXT = {
    PrinterState.IDLE: (Text("DeviceStatus", "Ready"), "idle"),
    PrinterState.PROCESSING: (Text("DeviceStatus", "Printing"), "processing"),
    PrinterState.STOPPED: (Text("DeviceStatus", "Stopped"), "stopped"),
}


def state_text(status: EngineStatus) -> tuple[Text | str, str]:
    """(what the state pill says, its colour key)."""
    if status.warming_up:
        return Text("DeviceStatus", "Warming up"), "warming"
    return STATE_TEXT.get(status.state, (status.state.value.capitalize(), "idle"))


def tray_colour(tray: Tray) -> str:
    if tray.level <= 0:
        return LEVEL_OUT
    return LEVEL_LOW if tray.level * 100 < tray.capacity * LOW_PCT else LEVEL_OK


class LevelBar(QWidget):
    """A level drawn as a filled bar: horizontal for a tray, upright for a toner cartridge."""

    def __init__(self, upright: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.upright = upright
        self.fraction = 0.0
        self.colour = QColor(LEVEL_OK)
        if upright:
            self.setFixedWidth(34)
            self.setMinimumHeight(70)
            self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        else:
            self.setFixedHeight(14)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_level(self, fraction: float, colour: str) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if fraction != self.fraction or QColor(colour) != self.colour:
            self.fraction, self.colour = fraction, QColor(colour)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        whole = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = 6.0 if self.upright else whole.height() / 2
        painter.setBrush(QColor(TRACK))
        painter.drawRoundedRect(whole, radius, radius)
        if self.fraction > 0:
            if self.upright:
                height = max(whole.height() * self.fraction, 2 * radius)
                filled = QRectF(whole.left(), whole.bottom() - height, whole.width(), height)
            else:
                width = max(whole.width() * self.fraction, 2 * radius)
                filled = QRectF(whole.left(), whole.top(), width, whole.height())
            painter.setBrush(self.colour)
            painter.drawRoundedRect(filled, radius, radius)
        painter.end()


def _card(title_text: Text, parent: QWidget) -> tuple[QFrame, QVBoxLayout, QHBoxLayout]:
    """A white card: its heading (in a row, room on the right) over its column."""
    card = QFrame(parent)
    card.setObjectName("statusCard")
    column = QVBoxLayout(card)
    column.setContentsMargins(16, 10, 16, 12)
    column.setSpacing(6)
    heading = Label(parent=card)
    bind(heading, upper(title_text))
    heading.setObjectName("cardTitle")
    top = QHBoxLayout()
    top.addWidget(heading)
    top.addStretch(1)
    column.addLayout(top)
    return card, column, top


class TrayRow(QWidget):
    """A tray: its name and media, the level bar, "sheets left / capacity"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = Label(parent=self)
        self.name.setObjectName("trayName")
        self.media = Label(parent=self)
        self.media.setObjectName("trayMedia")
        self.level = ElidedLabel(parent=self)  # a long wording ends in "…" (tooltip: whole)
        self.level.setObjectName("trayLevel")
        self.level.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.bar = LevelBar(upright=False, parent=self)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.name)
        top.addWidget(self.media)
        top.addStretch(1)
        top.addWidget(self.level)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(top)
        column.addWidget(self.bar)

    def show_tray(self, tray: Tray) -> None:
        self.name.setText(tray_label(tray.name))
        self.media.setText(tray.media_label)
        level = str(
            Text("DeviceStatus", "Empty")
            if tray.level <= 0
            else Text("DeviceStatus", "{level} of {capacity} sheets").format(
                level=f"{tray.level:,}", capacity=f"{tray.capacity:,}"
            )
        )
        self.level.set_full_text(level)
        self.setToolTip(f"{self.name.text()} {tray.media_label}: {level}")
        self.bar.set_level(tray.level / tray.capacity if tray.capacity else 0.0, tray_colour(tray))


class TonerGauge(QWidget):
    """One cartridge: an upright bar in its colour, the percentage, the colour's name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = LevelBar(upright=True, parent=self)
        self.pct = Label(parent=self)
        self.pct.setObjectName("tonerPct")
        self.name = ElidedLabel(parent=self)  # four fit side by side; the tooltip names it
        self.name.setObjectName("tonerName")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.bar, 1, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.pct, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.name, 0, Qt.AlignmentFlag.AlignHCenter)

    def show_toner(self, toner: Toner) -> None:
        pct = toner.level_pct
        self.pct.setText(f"{pct}%")
        self.name.set_full_text(colour_label(toner.colour))
        colour = TONER_COLOURS.get(toner.colour, theme.INK) if toner.pages_left > 0 else LEVEL_OUT
        self.bar.set_level(pct / 100, colour)
        self.setToolTip(
            str(
                Text("DeviceStatus", "{colour}: about {pages} pages left").format(
                    colour=colour_label(toner.colour), pages=f"{toner.pages_left:,}"
                )
            )
        )


class ReasonRow(QWidget):
    """A current error or warning: a coloured dot, its heading and message, its steps, its code."""

    def __init__(self, reason: Reason, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        colour = LEVEL_OUT if reason.severity is Severity.ERROR else LEVEL_LOW
        dot = Label("\N{BLACK CIRCLE}", self)
        dot.setToolTip(title(reason))
        dot.setStyleSheet(f"color: {colour}; font-size: 16px;")
        self.text = Label(reason_message(reason), self)
        self.text.setObjectName("reasonText")
        self.text.setWordWrap(True)
        self.text.setMinimumWidth(1)  # a long word must not push the code out of the card
        self.steps = Label(
            "  ".join(f"{n}. {step}" for n, step in enumerate(reason_steps(reason), start=1)),
            self,
        )
        self.steps.setObjectName("reasonSteps")
        self.steps.setWordWrap(True)
        self.steps.setMinimumWidth(1)
        self.code = Label(reason.code, self)
        self.code.setObjectName("reasonCode")
        self.code.setToolTip(reason.ipp)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.text)
        words.addWidget(self.steps)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        row.addWidget(dot, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        row.addWidget(self.code, 0, Qt.AlignmentFlag.AlignTop)


COUNTERS = (
    ("total", Text("DeviceStatus", "Pages")),
    ("colour", Text("DeviceStatus", "Colour")),
    ("mono", Text("DeviceStatus", "Black & white")),
    ("duplex", Text("DeviceStatus", "Two-sided sheets")),
    ("sheets", Text("DeviceStatus", "Sheets")),
)


class DeviceStatusScreen(QWidget):
    """State, errors and warnings, trays, toner and counters of the engine."""

    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceStatusScreen")
        self.setStyleSheet(engine_stylesheet())
        self.status: EngineStatus | None = None

        self.back_button = QPushButton(self)
        bind(self.back_button, Text("DeviceStatus", "Home"))
        self.back_button.setObjectName("backButton")
        self.back_button.setIcon(theme.icon("back", theme.ACCENT, 24))
        self.back_button.setIconSize(QSize(24, 24))
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.back)
        heading = Label(parent=self)
        bind(heading, Text("DeviceStatus", "Device status"))
        heading.setObjectName("screenTitle")
        self.state_pill = Label(parent=self)
        self.state_pill.setObjectName("statePill")
        header = QHBoxLayout()
        header.setSpacing(18)
        header.addWidget(self.back_button)
        header.addWidget(heading)
        header.addStretch(1)
        header.addWidget(self.state_pill, 0, Qt.AlignmentFlag.AlignVCenter)

        body = QWidget()
        body.setObjectName("statusBody")
        self.reasons_card, reasons_column, _ = _card(
            Text("DeviceStatus", "Errors and warnings"), body
        )
        self.reasons_list = QVBoxLayout()
        self.reasons_list.setSpacing(8)
        reasons_column.addLayout(self.reasons_list)
        self.reason_rows: list[ReasonRow] = []

        self.trays_card, trays_column, _ = _card(Text("DeviceStatus", "Paper"), body)
        self.trays_list = QVBoxLayout()
        self.trays_list.setSpacing(10)
        trays_column.addLayout(self.trays_list)
        trays_column.addStretch(1)
        self.tray_rows: dict[str, TrayRow] = {}

        self.toner_card, toner_column, _ = _card(Text("DeviceStatus", "Toner"), body)
        self.toner_row = QHBoxLayout()
        self.toner_row.setSpacing(14)
        toner_column.addLayout(self.toner_row, 1)
        self.gauges: dict[str, TonerGauge] = {}

        counters_card, counters_column, counters_top = _card(Text("DeviceStatus", "Counters"), body)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(0)
        self.counter_values: dict[str, Label] = {}
        for index, (key, name) in enumerate(COUNTERS):
            value = Label("0", counters_card)
            value.setObjectName("counterValue")
            label = Label(parent=counters_card)
            bind(label, name)
            label.setObjectName("counterName")
            label.setWordWrap(True)
            grid.addWidget(value, 0, index)
            grid.addWidget(label, 1, index)
            self.counter_values[key] = value
        # The logged-in user's own pages (the engine counts per user).
        self.user_id: str | None = None
        self.yours_value = Label("0", counters_card)
        self.yours_value.setObjectName("counterValue")
        self.yours_name = Label(parent=counters_card)
        bind(self.yours_name, Text("DeviceStatus", "Yours"))
        self.yours_name.setObjectName("counterName")
        grid.addWidget(self.yours_value, 0, len(COUNTERS))
        grid.addWidget(self.yours_name, 1, len(COUNTERS))
        counters_column.addLayout(grid)
        self.set_user(None)
        self.speed_label = Label(parent=counters_card)
        self.speed_label.setObjectName("speedText")
        counters_top.addWidget(self.speed_label)

        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(self.trays_card, 3)
        middle.addWidget(self.toner_card, 2)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 6, 0)
        column.setSpacing(12)
        column.addWidget(self.reasons_card)
        column.addLayout(middle)
        column.addWidget(counters_card)
        column.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("statusScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setWidget(body)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 18, 12)
        outer.setSpacing(12)
        outer.addLayout(header)
        outer.addWidget(self.scroll_area, 1)
        i18n.notifier().changed.connect(self._retranslate)

    def _retranslate(self) -> None:
        """The state, the reasons, trays and toner are worded from the status: again."""
        if self.status is not None:
            self._show_reasons(self.status.reasons)
            self.show_status(self.status)

    def show_status(self, status: EngineStatus) -> None:
        """Show `status` (every change the engine reports)."""
        previous, self.status = self.status, status
        text, key = state_text(status)
        bind(self.state_pill, text)
        self.state_pill.setProperty("state", key)
        repolish(self.state_pill)
        if previous is None or previous.reasons != status.reasons:
            self._show_reasons(status.reasons)
        self._show_trays(status.trays)
        self._show_toner(status.toner)
        counters = status.counters
        for key, label in self.counter_values.items():
            label.setText(f"{getattr(counters, key):,}")
        self._show_yours()
        bind(
            self.speed_label,
            Text("DeviceStatus", "{simplex} pages a minute one-sided, {duplex} two-sided").format(
                simplex=f"{status.ppm_simplex:g}", duplex=f"{status.ppm_duplex:g}"
            ),
        )

    def set_user(self, user: User | None) -> None:
        """Whose pages the Yours counter shows (hidden while nobody is logged in)."""
        self.user_id = user.user_id if user is not None else None
        self.yours_value.setVisible(user is not None)
        self.yours_name.setVisible(user is not None)
        self._show_yours()

    def _show_yours(self) -> None:
        if self.status is not None and self.user_id is not None:
            pages = dict(self.status.counters.per_user).get(self.user_id, 0)
            self.yours_value.setText(f"{pages:,}")

    def _show_reasons(self, reasons: tuple[Reason, ...]) -> None:
        clear_layout(self.reasons_list)
        self.reason_rows = [ReasonRow(reason, self.reasons_card) for reason in reasons]
        for row in self.reason_rows:
            self.reasons_list.addWidget(row)
        if not reasons:
            ok = Label(parent=self.reasons_card)
            bind(ok, Text("DeviceStatus", "No errors or warnings: the device is ready."))
            ok.setObjectName("allClear")
            self.reasons_list.addWidget(ok)

    def _show_trays(self, trays: tuple[Tray, ...]) -> None:
        if set(self.tray_rows) != {t.tray_id for t in trays}:
            clear_layout(self.trays_list)
            self.tray_rows = {t.tray_id: TrayRow(self.trays_card) for t in trays}
            for row in self.tray_rows.values():
                self.trays_list.addWidget(row)
        for tray in trays:
            self.tray_rows[tray.tray_id].show_tray(tray)

    def _show_toner(self, toner: tuple[Toner, ...]) -> None:
        if list(self.gauges) != [t.colour for t in toner]:
            clear_layout(self.toner_row)
            self.gauges = {t.colour: TonerGauge(self.toner_card) for t in toner}
            self.toner_row.addStretch(1)
            for gauge in self.gauges.values():
                self.toner_row.addWidget(gauge)
            self.toner_row.addStretch(1)
        for cartridge in toner:
            self.gauges[cartridge.colour].show_toner(cartridge)

    # -- reading it (tests, QA) --------------------------------------------------------------------
    def reason_texts(self) -> list[str]:
        return [f"{row.text.text()} [{row.code.text()}]" for row in self.reason_rows]


class EnginePill(QPushButton):
    """In the status bar: the worst current reason ("Paper jam"), red or amber; hidden when
    there is none. A tap opens the fault screen (an error) or the device status."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enginePill")
        self.setStyleSheet(engine_stylesheet())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.severity: Severity | None = None
        self.status: EngineStatus | None = None
        self.hide()
        i18n.notifier().changed.connect(self._retranslate)

    def _retranslate(self) -> None:
        if self.status is not None:
            self.show_status(self.status)

    def show_status(self, status: EngineStatus) -> None:
        self.status = status
        worst = status.reasons[0] if status.reasons else None
        if worst is None or worst.severity is Severity.REPORT:
            self.severity = None
            self.hide()
            return
        self.severity = worst.severity
        more = len([r for r in status.reasons if r.severity is not Severity.REPORT]) - 1
        self.setText(title(worst) + (f" +{more}" if more > 0 else ""))
        self.setToolTip(" ".join(f"{reason_message(r)} ({r.code})" for r in status.reasons))
        self.setProperty("severity", worst.severity.value)
        repolish(self)
        self.show()
