"""The Device information page: who the device is (id, name, registration), what it runs
(mfp-panel, Qt, Python), where it reaches the server (each network's address and state), and
its page counters. Read-only, filled when the page is shown and drawn again on a language switch
(a network's state and the counters' names are texts of the current language)."""

from __future__ import annotations

import platform
from dataclasses import dataclass

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QGridLayout, QWidget

from panel import __version__
from panel.ui import i18n
from panel.ui.i18n import Text, bind
from panel.ui.settings.pages import Page, Settings
from panel.ui.widgets import ElidedLabel, Label


@dataclass(frozen=True)
class DeviceFacts:
    """What the page shows; the controller reads it from the device (a booting device has
    only its name)."""

    device_id: str
    name: str
    server_url: str
    networks: tuple[tuple[str, str, Text | str], ...]  # (name, address, state)
    counters: tuple[tuple[Text, int], ...]
    registered: bool


class InfoPage(Page):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(Text("Settings", "Device information"), settings, parent)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self.column.addLayout(self.grid)
        self.values: dict[str, ElidedLabel] = {}
        self._rows = 0
        self.facts: DeviceFacts | None = None  # the last shown, drawn again on a switch
        self.finish()
        i18n.notifier().changed.connect(self._redraw)

    def _redraw(self) -> None:
        if self.facts is not None:
            self.show_facts(self.facts)

    def show_facts(self, facts: DeviceFacts) -> None:
        self.facts = facts
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.values = {}
        self._rows = 0
        self._heading(Text("Settings", "Device"))
        self._row("id", Text("Settings", "Device ID"), facts.device_id or "\N{EM DASH}")
        self._row("name", Text("Settings", "Name"), facts.name)
        self._row(
            "registration",
            Text("Settings", "Registration"),
            Text("Settings", "Registered with the server")
            if facts.registered
            else Text("Settings", "Not registered yet"),
        )
        self._heading(Text("Settings", "Versions"))
        self._row("version", Text("Settings", "mfp-panel"), __version__)
        self._row("qt", Text("Settings", "Qt"), f"{qVersion()} (PySide6 {PySide6.__version__})")
        self._row("python", Text("Settings", "Python"), platform.python_version())
        self._heading(Text("Settings", "Server and networks"))
        self._row("server", Text("Settings", "Server URL"), facts.server_url)
        for index, (name, address, state) in enumerate(facts.networks):
            self._row(f"network-{index}", name, f"{address}  ({state})")
        self._heading(Text("Settings", "Counters"))
        for index, (counter, count) in enumerate(facts.counters):
            self._row(f"counter-{index}", counter, f"{count:,}")

    def _heading(self, text: Text) -> None:
        label = Label(parent=self.body)
        label.setObjectName("infoHeading")
        bind(label, text)
        self.grid.addWidget(label, self._rows, 0, 1, 2)
        self._rows += 1

    def _row(self, key: str, name: Text | str, value: Text | str) -> None:
        name_label = Label(parent=self.body)
        name_label.setObjectName("infoName")
        bind(name_label, name)
        value_label = ElidedLabel(parent=self.body)  # one line each; the whole in its tooltip
        value_label.setObjectName("infoValue")
        bind(value_label, value, "set_full_text")
        bind(value_label, value, "setToolTip")
        self.grid.addWidget(name_label, self._rows, 0)
        self.grid.addWidget(value_label, self._rows, 1)
        self.values[key] = value_label
        self._rows += 1
