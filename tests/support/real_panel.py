"""A panel window over the real device core and a real server on a real socket, for GUI tests
of the glue layer (synchronous pytest-qt tests on the session's qasync loop)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pytestqt.qtbot import QtBot

from panel.device import ConnectionState, Device
from panel.protocol.messages import Destination
from panel.server.app import RunningServer
from panel.ui.scan_render import render_scan
from panel.ui.window import PanelWindow
from support import device_config, running_server
from support.qt_loop import run


@dataclass
class RealPanel:
    qtbot: QtBot
    server: RunningServer
    device: Device
    window: PanelWindow

    server_up: bool = True

    def server_down(self) -> None:
        """Pull the network: stop the server, then wait until the status bar says Offline."""
        run(self.qtbot, self.server.stop())
        self.server_up = False
        label = self.window.status_bar.connection_label
        self.qtbot.waitUntil(lambda: label.text() == "Offline", timeout=5000)

    def close(self) -> None:
        self.window.close()
        run(self.qtbot, self.device.stop())
        if self.server_up:
            run(self.qtbot, self.server.stop())


def open_real_panel(
    qtbot: QtBot, root: Path, name: str, destinations: tuple[Destination, ...] = ()
) -> RealPanel:
    """Server (with `destinations` in its address book), device and window, shown and online."""
    server = run(qtbot, running_server(root))
    for dest in destinations:
        server.store.add_destination(dest)
    device = Device(device_config(server, root / "device", name), renderer=render_scan)
    run(qtbot, device.start())
    window = PanelWindow(device)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE)
    return RealPanel(qtbot, server, device, window)
