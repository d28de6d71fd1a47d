"""A panel window over the real device core and a real server on a real socket, for GUI tests
of the glue layer (synchronous pytest-qt tests on the session's qasync loop).

The network is pulled by stopping the server, and restored by starting it again on the same
port and data dir (as tests/integration/test_offline_hold.py's `Link` does)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from panel.device import ConnectionState, Device, JobState
from panel.protocol.messages import Destination
from panel.server.app import RunningServer, start_server
from panel.ui.scan_render import render_scan
from panel.ui.window import PanelWindow
from support import device_config, running_server
from support.qt_loop import run


class RealPanel:
    """A real server, a real device core (with the panel's scan renderer) and its window."""

    def __init__(
        self, qtbot: QtBot, root: Path, server: RunningServer, device: Device, window: PanelWindow
    ) -> None:
        self.qtbot, self.root, self.device, self.window = qtbot, root, device, window
        self._server: RunningServer | None = server
        self.port = server.port

    @property
    def server(self) -> RunningServer:
        assert self._server is not None, "the server is down"
        return self._server

    def server_down(self) -> None:
        """Pull the network: stop the server, then wait until the status bar says Offline."""
        run(self.qtbot, self.server.stop())
        self._server = None
        label = self.window.status_bar.connection_label
        self.qtbot.waitUntil(lambda: label.text() == "Offline", timeout=5000)

    def server_up(self) -> RunningServer:
        """Restore the network: the server again, on its old port, over its old data."""
        assert self._server is None, "the server is already up"
        self._server = run(
            self.qtbot,
            start_server(self.root / "server", port=self.port, admin_socket_dir=self.root / "run"),
        )
        return self._server

    def close(self) -> None:
        self.window.close()
        run(self.qtbot, self.device.stop())
        if self._server is not None:
            run(self.qtbot, self._server.stop())

    # -- reading the core and the server (for asserts only; the panel is what is tested) --------
    def state(self, job_id: str) -> JobState | None:
        job = self.device.jobs.get(job_id)
        return None if job is None else job.state

    def server_state(self, job_id: str) -> str | None:
        info = self.server.store.job(job_id)
        return None if info is None else info.state


def open_real_panel(
    qtbot: QtBot,
    root: Path,
    name: str,
    destinations: tuple[Destination, ...] = (),
    ppm: float = 6000.0,
) -> RealPanel:
    """Server (with `destinations` in its address book before the device first connects),
    device and window, shown and online."""
    server = run(qtbot, running_server(root))
    for dest in destinations:
        server.store.add_destination(dest)
    device = Device(device_config(server, root / "device", name, ppm=ppm), renderer=render_scan)
    run(qtbot, device.start())
    window = PanelWindow(device)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE)
    return RealPanel(qtbot, root, server, device, window)
