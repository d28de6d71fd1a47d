"""The dock's print engine card (issue 14): what QA does to the engine to reproduce a field issue.

A jam at a chosen place (and its clear), a cover opened and closed, a toner cartridge set to any
level, a tray emptied or filled, the pages per minute. It calls the engine directly (the same
calls as the device control HTTP API) and follows its status live: the state line, the levels
on each row, and a log line for every fault, clear and question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QSpinBox, QWidget

from panel.device.engine.faults import COVERS, JAM_LOCATIONS
from panel.ui.bridge import DeviceBridge, EngineControl, engine_of
from panel.ui.dock.parts import Card, FitLabel, add_items, button, combo, follow_language
from panel.ui.i18n import Text, bind, translate

if TYPE_CHECKING:
    from panel.device.engine.status import EngineStatus, Tray
    from panel.ui.dock.parts import DockedDevice

PLACES = {
    "tray-1": Text("DockEngine", "Tray 1 feed"),
    "tray-2": Text("DockEngine", "Tray 2 feed"),
    "bypass": Text("DockEngine", "Bypass tray"),
    "fuser": Text("DockEngine", "Fuser"),
    "duplex-unit": Text("DockEngine", "Duplex unit"),
    "output": Text("DockEngine", "Output"),
    "front-cover": Text("DockEngine", "Front cover"),
    "side-door": Text("DockEngine", "Side door"),
    "top-cover": Text("DockEngine", "Top cover"),
}
TRAYS = {  # the engine's tray names (the core's English), by tray id
    "tray-1": Text("DockEngine", "Tray 1"),
    "tray-2": Text("DockEngine", "Tray 2"),
    "bypass": Text("DockEngine", "Bypass"),
}
STATES = {
    "idle": Text("DockEngine", "Idle"),
    "processing": Text("DockEngine", "Processing"),
    "stopped": Text("DockEngine", "Stopped"),
    "warming up": Text("DockEngine", "Warming up"),
}
COLOURS = {
    "black": Text("DockEngine", "Black"),
    "cyan": Text("DockEngine", "Cyan"),
    "magenta": Text("DockEngine", "Magenta"),
    "yellow": Text("DockEngine", "Yellow"),
}
SPIN_STYLE = (
    "QAbstractSpinBox { background: #2f373f; color: #e6ebf1; border: 1px solid #4a545f;"
    " border-radius: 5px; padding: 3px 4px; font-size: 12px; }"
)


def place(location: str) -> Text | str:
    return PLACES.get(location, location)


def _spin(widget: QSpinBox | QDoubleSpinBox, tip: Text) -> None:
    widget.setObjectName("qaSpin")
    widget.setStyleSheet(SPIN_STYLE)
    bind(widget, tip, "setToolTip")
    widget.setMinimumWidth(56)


class EngineCard(Card):
    """Jam, cover, toner, trays and speed of the device's print engine."""

    def __init__(
        self, device: DockedDevice, log: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(Text("DockEngine", "Print engine"), parent)
        self.device = device
        self._log = log
        self.state_label = FitLabel(parent=self)
        self.state_label.setObjectName("qaEngineState")
        self.column.addWidget(self.state_label)

        self.jam_box = combo(
            [(place(location), location) for location in JAM_LOCATIONS],
            Text("DockEngine", "Where the sheet jams"),
            self,
        )
        self.jam_button = button(
            Text("DockEngine", "Jam"),
            Text("DockEngine", "Jam a sheet there (at the next page while printing)"),
            self,
        )
        self.jam_button.clicked.connect(self.jam)
        self.clear_button = button(
            Text("DockEngine", "Clear"),
            Text("DockEngine", "Clear the jam, as Done on the panel does"),
            self,
        )
        self.clear_button.clicked.connect(self.clear)
        self._row(self.jam_box, self.jam_button, self.clear_button)

        self.cover_box = combo(
            [(place(cover), cover) for cover in COVERS],
            Text("DockEngine", "Which cover or door"),
            self,
        )
        self.cover_button = button(
            Text("DockEngine", "Open"), Text("DockEngine", "Open or close it"), self, True
        )
        self.cover_button.clicked.connect(self.toggle_cover)
        self.cover_box.currentIndexChanged.connect(lambda _index: self._show_cover())
        self._row(self.cover_box, self.cover_button)

        self.toner_box = combo([], Text("DockEngine", "Which toner cartridge"), self)
        self.toner_spin = QSpinBox(self)
        self.toner_spin.setRange(0, 100)
        self.toner_spin.setSuffix(" %")
        _spin(
            self.toner_spin,
            Text("DockEngine", "The cartridge's level: 0 empties it, 100 is a new one"),
        )
        self.toner_button = button(
            Text("DockEngine", "Set"), Text("DockEngine", "Set this cartridge's level"), self
        )
        self.toner_button.clicked.connect(self.set_toner)
        self.toner_box.currentIndexChanged.connect(lambda _index: self._show_toner_level())
        self._row(self.toner_box, self.toner_spin, self.toner_button)
        self.toner_label = FitLabel(parent=self)
        self.column.addWidget(self.toner_label)

        self.tray_box = combo(
            [], Text("DockEngine", "Which paper tray (its media and sheets left)"), self
        )
        self.empty_button = button(
            Text("DockEngine", "Empty"),
            Text("DockEngine", "Take every sheet out of this tray"),
            self,
        )
        self.empty_button.clicked.connect(lambda: self._load_tray(full=False))
        self.fill_button = button(
            Text("DockEngine", "Fill"), Text("DockEngine", "Fill this tray to its capacity"), self
        )
        self.fill_button.clicked.connect(lambda: self._load_tray(full=True))
        self._row(self.tray_box, self.empty_button, self.fill_button)

        self.simplex_spin = QDoubleSpinBox(self)
        self.duplex_spin = QDoubleSpinBox(self)
        for spin, tip in (
            (self.simplex_spin, Text("DockEngine", "Pages a minute, one-sided")),
            (self.duplex_spin, Text("DockEngine", "Pages a minute, two-sided")),
        ):
            spin.setRange(1, 300)
            spin.setDecimals(0)
            _spin(spin, tip)
        self.speed_label = speed = FitLabel(parent=self)
        self.ppm_button = button(
            Text("DockEngine", "Set"),
            Text("DockEngine", "Set the pages per minute (one-, two-sided)"),
            self,
        )
        self.ppm_button.clicked.connect(self.set_ppm)
        self._row(speed, self.simplex_spin, self.duplex_spin, self.ppm_button)
        self.status: EngineStatus | None = None
        self._start()
        follow_language(self, self._retranslate)
        self._retranslate()

    def _retranslate(self) -> None:
        self.speed_label.set_full_text(
            translate("DockEngine", "ppm"),
            translate("DockEngine", "Pages a minute: one-sided, two-sided"),
        )
        if self.status is not None:
            self.show_status(self.status)

    def _row(self, *widgets: QWidget) -> None:
        """A row of controls; the first takes the width the others leave."""
        row = QHBoxLayout()
        row.setSpacing(6)
        for index, widget in enumerate(widgets):
            row.addWidget(widget, 1 if index == 0 else 0)
        self.column.addLayout(row)

    @property
    def engine(self) -> EngineControl | None:
        return engine_of(self.device)

    def connect_bridge(self, bridge: DeviceBridge) -> None:
        bridge.engine_changed.connect(self._on_engine_changed)

    # -- what QA does ---------------------------------------------------------------------------
    def _act(self, what: str, action: Callable[[EngineControl], object]) -> None:
        """Do `action` on the engine; a refusal (ValueError) goes to the log, not a crash."""
        engine = self.engine
        if engine is None:
            self._log(
                translate("DockEngine", "Engine: no print engine to {what}").format(what=what)
            )
            return
        try:
            action(engine)
        except (KeyError, ValueError) as refused:
            line = translate("DockEngine", "Engine: could not {what}: {error}")
            self._log(line.format(what=what, error=refused))

    def jam(self) -> None:
        location = str(self.jam_box.currentData())
        self._act(translate("DockEngine", "jam"), lambda engine: engine.jam(location))

    def clear(self) -> None:
        def clear(engine: EngineControl) -> None:
            if not engine.clear():
                self._log(translate("DockEngine", "Engine: nothing to clear"))

        self._act(translate("DockEngine", "clear"), clear)

    def toggle_cover(self) -> None:
        cover = str(self.cover_box.currentData())
        if self.cover_button.isChecked():
            what = translate("DockEngine", "open the cover")
            self._act(what, lambda engine: engine.open_cover(cover))
        else:
            what = translate("DockEngine", "close the cover")
            self._act(what, lambda engine: engine.close_cover(cover))
        self._show_cover()

    def set_toner(self) -> None:
        colour, pct = str(self.toner_box.currentData()), self.toner_spin.value()
        what = translate("DockEngine", "set the toner")
        self._act(what, lambda engine: engine.set_toner(colour, pct))

    def set_tray(self, tray_id: str, level: int) -> None:
        what = translate("DockEngine", "set the tray")
        self._act(what, lambda engine: engine.set_tray(tray_id, level))

    def _load_tray(self, full: bool) -> None:
        """Empty the chosen tray, or fill it to its capacity."""
        tray_id = str(self.tray_box.currentData())
        tray = self._tray(tray_id)
        if tray is not None:
            self.set_tray(tray_id, tray.capacity if full else 0)

    def _tray(self, tray_id: str) -> Tray | None:
        trays = self.status.trays if self.status is not None else ()
        return next((t for t in trays if t.tray_id == tray_id), None)

    def set_ppm(self) -> None:
        simplex, duplex = self.simplex_spin.value(), self.duplex_spin.value()
        what = translate("DockEngine", "set the speed")
        self._act(what, lambda engine: engine.set_ppm(simplex, duplex))

    # -- what it shows --------------------------------------------------------------------------
    def _start(self) -> None:
        """Fill the combos from the engine's trays and cartridges; no engine (a device still
        booting, a test's fake): the card is not shown."""
        engine = self.engine
        if engine is None:
            self.hide()
            return
        status = engine.status()
        for tray in status.trays:
            self.tray_box.addItem(tray.name, tray.tray_id)
        add_items(
            self.toner_box,
            [(COLOURS.get(t.colour, t.colour.capitalize()), t.colour) for t in status.toner],
        )
        self.simplex_spin.setValue(status.ppm_simplex)
        self.duplex_spin.setValue(status.ppm_duplex)
        self.show_status(status)
        self._show_toner_level()

    def _on_engine_changed(self, status: EngineStatus, change: str) -> None:
        before = self.status
        self.show_status(status)
        old = {r.code for r in before.reasons} if before is not None else set()
        new = {r.code for r in status.reasons}
        for reason in status.reasons:
            if reason.code not in old:
                line = translate("DockEngine", "Engine: {reason} {code} ({place})")
                self._log(
                    line.format(reason=reason.ipp, code=reason.code, place=place(reason.location))
                )
        for code in sorted(old - new):
            self._log(translate("DockEngine", "Engine: {code} cleared").format(code=code))
        if change == "prompt" and status.prompt is not None:
            line = translate("DockEngine", "Engine asks: {question}")
            self._log(line.format(question=status.prompt.message))

    def show_status(self, status: EngineStatus) -> None:
        self.status = status
        state = "warming up" if status.warming_up else status.state.value
        shown = STATES.get(state, state.capitalize())
        codes = ", ".join(status.error_codes) or translate("DockEngine", "no faults")
        self.state_label.set_full_text(f"{shown} · {codes}", " ".join(status.state_reasons))
        for index, tray in enumerate(status.trays):
            if index < self.tray_box.count():
                name = TRAYS.get(tray.tray_id, tray.name)
                text = f"{name} · {tray.media_label} · {tray.level}/{tray.capacity}"
                self.tray_box.setItemText(index, text)
        levels = " · ".join(f"{t.colour[0].upper()} {t.level_pct}%" for t in status.toner)
        self.toner_label.set_full_text(
            translate("DockEngine", "Toner {levels}").format(levels=levels)
        )
        self._show_cover()

    def _show_toner_level(self) -> None:
        """The chosen cartridge's level in the box (not on every page: QA may be typing)."""
        if self.status is None:
            return
        colour = self.toner_box.currentData()
        for toner in self.status.toner:
            if toner.colour == colour:
                self.toner_spin.setValue(toner.level_pct)

    def _show_cover(self) -> None:
        """The button says what it will do to the chosen cover."""
        status = self.status
        cover = self.cover_box.currentData()
        is_open = status is not None and any(r.location == cover for r in status.reasons)
        self.cover_button.setChecked(is_open)
        bind(
            self.cover_button,
            Text("DockEngine", "Close") if is_open else Text("DockEngine", "Open"),
        )
