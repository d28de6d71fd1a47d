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
from panel.ui.dock.parts import Card, FitLabel, button, combo

if TYPE_CHECKING:
    from panel.device.engine.status import EngineStatus, Tray
    from panel.ui.dock.parts import DockedDevice

PLACES = {
    "tray-1": "Tray 1 feed",
    "tray-2": "Tray 2 feed",
    "bypass": "Bypass tray",
    "fuser": "Fuser",
    "duplex-unit": "Duplex unit",
    "output": "Output",
    "front-cover": "Front cover",
    "side-door": "Side door",
    "top-cover": "Top cover",
}
SPIN_STYLE = (
    "QAbstractSpinBox { background: #2f373f; color: #e6ebf1; border: 1px solid #4a545f;"
    " border-radius: 5px; padding: 3px 4px; font-size: 12px; }"
)


def place(location: str) -> str:
    return PLACES.get(location, location)


def _spin(widget: QSpinBox | QDoubleSpinBox, tip: str) -> None:
    widget.setObjectName("qaSpin")
    widget.setStyleSheet(SPIN_STYLE)
    widget.setToolTip(tip)
    widget.setMinimumWidth(56)


class EngineCard(Card):
    """Jam, cover, toner, trays and speed of the device's print engine."""

    def __init__(
        self, device: DockedDevice, log: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__("Print engine", parent)
        self.device = device
        self._log = log
        self.state_label = FitLabel(parent=self)
        self.state_label.setObjectName("qaEngineState")
        self.column.addWidget(self.state_label)

        self.jam_box = combo([], "Where the sheet jams", self)
        for location in JAM_LOCATIONS:
            self.jam_box.addItem(place(location), location)
        self.jam_button = button("Jam", "Jam a sheet there (at the next page while printing)", self)
        self.jam_button.clicked.connect(self.jam)
        self.clear_button = button("Clear", "Clear the jam, as Done on the panel does", self)
        self.clear_button.clicked.connect(self.clear)
        self._row(self.jam_box, self.jam_button, self.clear_button)

        self.cover_box = combo([], "Which cover or door", self)
        for cover in COVERS:
            self.cover_box.addItem(place(cover), cover)
        self.cover_button = button("Open", "Open or close it", self, checkable=True)
        self.cover_button.clicked.connect(self.toggle_cover)
        self.cover_box.currentIndexChanged.connect(lambda _index: self._show_cover())
        self._row(self.cover_box, self.cover_button)

        self.toner_box = combo([], "Which toner cartridge", self)
        self.toner_spin = QSpinBox(self)
        self.toner_spin.setRange(0, 100)
        self.toner_spin.setSuffix(" %")
        _spin(self.toner_spin, "The cartridge's level: 0 empties it, 100 is a new one")
        self.toner_button = button("Set", "Set this cartridge's level", self)
        self.toner_button.clicked.connect(self.set_toner)
        self.toner_box.currentIndexChanged.connect(lambda _index: self._show_toner_level())
        self._row(self.toner_box, self.toner_spin, self.toner_button)
        self.toner_label = FitLabel(parent=self)
        self.column.addWidget(self.toner_label)

        self.tray_box = combo([], "Which paper tray (its media and sheets left)", self)
        self.empty_button = button("Empty", "Take every sheet out of this tray", self)
        self.empty_button.clicked.connect(lambda: self._load_tray(full=False))
        self.fill_button = button("Fill", "Fill this tray to its capacity", self)
        self.fill_button.clicked.connect(lambda: self._load_tray(full=True))
        self._row(self.tray_box, self.empty_button, self.fill_button)

        self.simplex_spin = QDoubleSpinBox(self)
        self.duplex_spin = QDoubleSpinBox(self)
        for spin, side in ((self.simplex_spin, "one-sided"), (self.duplex_spin, "two-sided")):
            spin.setRange(1, 300)
            spin.setDecimals(0)
            _spin(spin, f"Pages a minute, {side}")
        speed = FitLabel(parent=self)
        speed.set_full_text("ppm", "Pages a minute: one-sided, two-sided")
        self.ppm_button = button("Set", "Set the pages per minute (one-, two-sided)", self)
        self.ppm_button.clicked.connect(self.set_ppm)
        self._row(speed, self.simplex_spin, self.duplex_spin, self.ppm_button)
        self.status: EngineStatus | None = None
        self._start()

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
            self._log(f"Engine: no print engine to {what}")
            return
        try:
            action(engine)
        except (KeyError, ValueError) as refused:
            self._log(f"Engine: could not {what}: {refused}")

    def jam(self) -> None:
        location = str(self.jam_box.currentData())
        self._act("jam", lambda engine: engine.jam(location))

    def clear(self) -> None:
        def clear(engine: EngineControl) -> None:
            if not engine.clear():
                self._log("Engine: nothing to clear")

        self._act("clear", clear)

    def toggle_cover(self) -> None:
        cover = str(self.cover_box.currentData())
        if self.cover_button.isChecked():
            self._act("open the cover", lambda engine: engine.open_cover(cover))
        else:
            self._act("close the cover", lambda engine: engine.close_cover(cover))
        self._show_cover()

    def set_toner(self) -> None:
        colour, pct = str(self.toner_box.currentData()), self.toner_spin.value()
        self._act("set the toner", lambda engine: engine.set_toner(colour, pct))

    def set_tray(self, tray_id: str, level: int) -> None:
        self._act("set the tray", lambda engine: engine.set_tray(tray_id, level))

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
        self._act("set the speed", lambda engine: engine.set_ppm(simplex, duplex))

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
        for toner in status.toner:
            self.toner_box.addItem(toner.colour.capitalize(), toner.colour)
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
                self._log(f"Engine: {reason.ipp} {reason.code} ({place(reason.location)})")
        for code in sorted(old - new):
            self._log(f"Engine: {code} cleared")
        if change == "prompt" and status.prompt is not None:
            self._log(f"Engine asks: {status.prompt.message}")

    def show_status(self, status: EngineStatus) -> None:
        self.status = status
        state = "warming up" if status.warming_up else status.state.value
        codes = ", ".join(status.error_codes) or "no faults"
        self.state_label.set_full_text(
            f"{state.capitalize()} · {codes}", " ".join(status.state_reasons)
        )
        for index, tray in enumerate(status.trays):
            if index < self.tray_box.count():
                text = f"{tray.name} · {tray.media_label} · {tray.level}/{tray.capacity}"
                self.tray_box.setItemText(index, text)
        self.toner_label.set_full_text(
            "Toner " + " · ".join(f"{t.colour[0].upper()} {t.level_pct}%" for t in status.toner)
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
        self.cover_button.setText("Close" if is_open else "Open")
