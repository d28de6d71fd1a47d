"""Two panels on the loopback LAN (S5), as `mfp-panel demo --devices 2` opens them: real devices
that find each other by DNS-SD (real zeroconf, bound to 127.0.0.1), a real server. The panel
put to sleep at its Energy Saver key hands its session to the other, and each dock says so:
the keeper whose session it keeps, the sleeper who keeps its own. Its Attention LED stays
dark: off the network on purpose is no fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support import device_config, running_server
from support.qt_loop import run

from panel.device import ConnectionState, Device
from panel.device.peers import LanSettings
from panel.device.power import PowerState
from panel.server.app import RunningServer
from panel.ui.dock import QaDock
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

DISCOVERY_MS = 15_000  # zeroconf announces after about a second of probing; slack for a busy box
A, B = "Demo MFP 1", "Demo MFP 2"


@dataclass
class Panel:
    device: Device
    window: PanelWindow
    dock: QaDock

    def power(self) -> PowerState:
        return self.device.power.state


@pytest.fixture
def lan(qtbot: QtBot, tmp_path: Path) -> Iterator[dict[str, Panel]]:
    server: RunningServer = run(qtbot, running_server(tmp_path))
    panels: dict[str, Panel] = {}
    for name in (A, B):
        config = replace(
            device_config(server, tmp_path / name.replace(" ", "-"), name), lan=LanSettings()
        )
        device = Device(config)
        run(qtbot, device.start())
        window = PanelWindow(device)
        qtbot.addWidget(window)
        panels[name] = Panel(device, window, QaDock(window, device))
        window.show()
        qtbot.waitExposed(window)
    yield panels
    for panel in panels.values():
        panel.window.close()
    for panel in panels.values():
        run(qtbot, panel.device.stop())
    run(qtbot, server.stop())


def test_each_dock_says_who_keeps_whose_session(qtbot: QtBot, lan: dict[str, Panel]) -> None:
    sleeper, keeper = lan[A], lan[B]

    def ready(panel: Panel, other: str) -> bool:
        found = panel.dock.peers_label.text() == f"Peers found: {other}"
        return found and panel.device.connection_state is ConnectionState.ONLINE

    qtbot.waitUntil(lambda: ready(sleeper, B) and ready(keeper, A), timeout=DISCOVERY_MS)
    assert keeper.dock.keeps_label.text() == "Keeps the session of: nobody"

    QTest.mouseClick(sleeper.window.keys["energy_saver"], Qt.MouseButton.LeftButton)
    assert sleeper.power() is PowerState.SLEEP
    qtbot.waitUntil(
        lambda: keeper.dock.keeps_label.text() == f"Keeps the session of: {A} (keeping)",
        timeout=10_000,
    )
    qtbot.waitUntil(
        lambda: (
            sleeper.dock.keeper_label.text() == f"Own session: kept by {B} while this device sleeps"
        ),
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: sleeper.window.status_bar.connection_label.text() == "Offline")
    assert not sleeper.window.leds["attention"].is_on()  # asleep off the network on purpose
    assert sleeper.window.leds["power"].is_blinking()

    QTest.mouseClick(sleeper.dock.approach_button, Qt.MouseButton.LeftButton)
    assert sleeper.power() is PowerState.ACTIVE
    qtbot.waitUntil(
        lambda: keeper.dock.keeps_label.text() == "Keeps the session of: nobody", timeout=10_000
    )
    qtbot.waitUntil(
        lambda: sleeper.dock.keeper_label.text() == "Own session: kept by this device",
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: sleeper.window.status_bar.connection_label.text() == "Online")
