"""A panel with the QA dock over two simulated networks, as a person sees the demo: a real server
behind "Wired LAN" (preferred) and "LTE", a real device core with both, its shown window and the
dock that owns the networks, all on the session's qasync loop (synchronous pytest-qt tests).

Shared by the GUI tests of the dock's network cards and of its recorder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from panel.device import ConnectionState, Device
from panel.device.networks import NetworkSettings
from panel.server.app import RunningServer
from panel.sim import NetworkSet
from panel.ui.dock import QaDock
from panel.ui.window import PanelWindow
from support import device_config, running_server
from support.qt_loop import run

WIRED, LTE = "Wired LAN", "LTE"


@dataclass
class DockRig:
    server: RunningServer
    sims: NetworkSet
    device: Device
    window: PanelWindow
    dock: QaDock

    def network_shown(self) -> str:
        return self.window.status_bar.network_label.text()


def dock_rig(qtbot: QtBot, tmp_path: Path, name: str, **config: Any) -> Iterator[DockRig]:
    """Yield the rig once the status bar shows "Wired LAN" and the device is online; then take it
    down in order. `config`: further DeviceConfig fields (failover=...) for the device `name`."""
    server = run(qtbot, running_server(tmp_path))
    sims = NetworkSet()
    for network in (WIRED, LTE):
        run(qtbot, sims.create(network, ("127.0.0.1", server.port)))
    device_settings = replace(
        device_config(server, tmp_path / "device", name),
        networks=(
            NetworkSettings.wired(WIRED, sims.get(WIRED).url),
            NetworkSettings.cellular(LTE, sims.get(LTE).url),
        ),
        **config,
    )
    device = Device(device_settings)
    run(qtbot, device.start())
    window = PanelWindow(device)
    qtbot.addWidget(window)
    dock = QaDock(window, device, sims)
    window.show()
    qtbot.waitExposed(window)
    rig = DockRig(server, sims, device, window, dock)
    qtbot.waitUntil(lambda: rig.network_shown() == WIRED, timeout=10_000)
    qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE)
    yield rig
    window.close()
    run(qtbot, device.stop())
    run(qtbot, sims.stop())
    run(qtbot, server.stop())
