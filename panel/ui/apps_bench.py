"""The Qt half of `mfp-panel bench apps` (panel/bench/apps.py): the real stack, the panel
window, taps, and when each app screen was first painted."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from panel.device import ConnectionState, Device, DeviceConfig
from panel.server.app import start_server
from panel.server.demo_data import DEMO_USERS
from panel.ui.screens.apps import AppsController, AppsScreen, ScreenView
from panel.ui.window import PanelWindow

APP = "visitor-badge"
WAIT_S = 20.0


class Painted(QObject):
    """When each app screen view was first painted (perf_counter)."""

    def __init__(self) -> None:
        super().__init__()
        self.at: dict[int, float] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, ScreenView):
            self.at.setdefault(id(watched), time.perf_counter())
        return False

    def shown(self, screen: AppsScreen, not_this: ScreenView | None = None) -> bool:
        view = screen.view
        return view is not None and view is not not_this and id(view) in self.at


def _tap(widget: QWidget) -> None:
    """A finger's press and release at the widget's centre (not QtTest: the bundle leaves Qt's
    test library out)."""
    local = QPointF(widget.rect().center())
    screen = QPointF(widget.mapToGlobal(local))
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    no_keys = Qt.KeyboardModifier.NoModifier
    press = QMouseEvent(QEvent.Type.MouseButtonPress, local, screen, left, left, no_keys)
    QApplication.sendEvent(widget, press)
    release = QMouseEvent(QEvent.Type.MouseButtonRelease, local, screen, left, none, no_keys)
    QApplication.sendEvent(widget, release)


async def _until(what: str, predicate: Any) -> None:
    deadline = time.monotonic() + WAIT_S
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"bench apps: timed out waiting for {what}")
        await asyncio.sleep(0.0005)


async def measure(runs: int) -> dict[str, list[float]]:
    """Launch -> first screen painted and action -> next screen painted, in ms, `runs` times."""
    launch: list[float] = []
    action: list[float] = []
    with tempfile.TemporaryDirectory(prefix="mfp-panel-bench-apps-") as tmp:
        root = Path(tmp)
        server = await start_server(root / "server", port=0)
        try:
            for user_id, name, pin, role in DEMO_USERS:
                server.store.add_user(user_id, name, pin, role)
            device_id, secret = server.store.register_device("Bench MFP", "MFP-Emu 1")
            core = Device(DeviceConfig("Bench MFP", server.url, root / "device", device_id, secret))
            await core.start()
            window = PanelWindow(core, screen=(800, 480))
            painted = Painted()
            app = QApplication.instance()
            assert app is not None
            app.installEventFilter(painted)
            try:
                window.show()
                await _until("online", lambda: core.connection_state is ConnectionState.ONLINE)
                user_id, _, pin, _ = DEMO_USERS[0]
                assert (await core.login(user_id, pin)).ok
                await _until(
                    "the apps cached", lambda: any(a.app_id == APP for a in core.apps.apps())
                )
                controller = AppsController.of(window)
                screen = controller.screen
                for _ in range(runs):
                    window.show_apps()
                    await _until("the Apps list", lambda: APP in screen.tiles)
                    painted.at.clear()  # ids of deleted views may come back
                    started = time.perf_counter()
                    _tap(screen.tiles[APP])
                    await _until("the first screen", lambda: painted.shown(screen))
                    first = screen.view
                    assert first is not None
                    launch.append((painted.at[id(first)] - started) * 1000)
                    first.fields["name"].setText("Ada Lovelace")
                    painted.at.clear()
                    started = time.perf_counter()
                    _tap(first.buttons["preview"])
                    await _until("the next screen", lambda f=first: painted.shown(screen, f))
                    action.append((painted.at[id(screen.view)] - started) * 1000)
                    _tap(window.keys["home"])
            finally:
                app.removeEventFilter(painted)
                window.close()
                await core.stop()
        finally:
            await server.stop()
    return {"launch": launch, "action": action}
