"""The panel of a scenario run: a PanelWindow over each device as it starts (closed when it is
killed or stopped), offscreen for headless runs and with the QA dock beside it when it is to be
seen. The runner's tap, key and screen steps go through here, as a person's finger would.

The one module of panel/scenario that imports Qt (ruff's per-file exception says so); the
runner imports it only when a step needs the panel, inside a qasync loop.
"""

from __future__ import annotations

import asyncio
import re

from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from panel.device.device import Device
from panel.scenario.actions import ActionError
from panel.scenario.world import World
from panel.ui.scan_render import render_scan
from panel.ui.window import PanelWindow

# Hard keys by the names scenario files use (the bezel's own names, and their spoken forms).
KEY_ALIASES = {"energy-saver": "energy_saver", "energy": "energy_saver", "power": "energy_saver"}
SETTLE_ROUNDS = 3
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def screen_name(page: QWidget) -> str:
    """A panel page's scenario name from its object name: `deviceStatusScreen` ->
    `device_status`; the job list (`jobListScreen`) is `jobs`, as the panel calls it."""
    name = page.objectName().removesuffix("Screen")
    if name == "jobList":
        return "jobs"
    return _CAMEL.sub("_", name).lower()


def control_text(widget: QWidget) -> str:
    """How a scenario names a control: its visible text (no mnemonic, one line), else its
    accessible name, else its object name."""
    text = widget.text().replace("&", "") if isinstance(widget, QAbstractButton) else ""
    return " ".join(text.split()) or widget.accessibleName() or widget.objectName()


class QtPanels:
    """A window per running device of `world`."""

    def __init__(self, world: World, visible: bool = False) -> None:
        self.world = world
        self.visible = visible
        self.windows: dict[str, PanelWindow] = {}
        self._closing: list[asyncio.Task[None]] = []
        world.renderer = render_scan  # the panel's scans are drawn by Qt, as on the demo
        world.on_device_started.append(self._open)
        world.on_device_stopping.append(self._close)

    def _open(self, name: str, device: Device) -> None:
        window = PanelWindow(device)
        if self.visible:
            from panel.ui.dock import QaDock

            cards = [(u.card, f"{u.name}'s card") for u in self.world.scenario.users if u.card]
            # The Trace tab merges the device's trace with the server's, as in the demo.
            server = self.world.root / "server" / "trace.jsonl"
            traces = [device.trace.path, server] if device.trace.path is not None else None
            nets = self.world.slots[name].nets
            QaDock(window, device, nets, cards, shown=True, traces=traces)
        window.show()
        self.windows[name] = window

    def _close(self, name: str, _device: Device) -> None:
        window = self.windows.pop(name, None)
        if window is not None:
            window.close()
            if window.tasks_closed is not None:
                self._closing.append(window.tasks_closed)

    async def close(self) -> None:
        for name in list(self.windows):
            self._close(name, self.world.slots[name].alive)
        for task in self._closing:
            await task
        self._closing.clear()

    def window(self, device: str) -> PanelWindow:
        window = self.windows.get(device)
        if window is None:
            raise ActionError(f"device {device!r} has no panel (it is not running)")
        return window

    async def settle(self) -> None:
        """Let Qt handle what the last step queued (a screen switch, a list rebuilt): three
        rounds of zero-timers, each after the events posted before it."""
        loop = asyncio.get_running_loop()
        for _ in range(SETTLE_ROUNDS):
            turned: asyncio.Future[None] = loop.create_future()
            QTimer.singleShot(0, lambda f=turned: f.done() or f.set_result(None))
            await turned

    # -- what the runner asks ----------------------------------------------------------------------
    def screen(self, device: str) -> str:
        window = self.window(device)
        from panel.ui.screens.engine_fault import EngineFaultScreen

        for fault in window.touchscreen.findChildren(EngineFaultScreen):
            if fault.isVisible():
                return "engine_fault"
        return screen_name(window.current_screen())

    def tap(self, device: str, target: str) -> None:
        window = self.window(device)
        wanted = " ".join(target.split())
        found = [
            w
            for w in window.touchscreen.findChildren(QWidget)
            if w.isVisible() and control_text(w) == wanted and w.isEnabled()
        ]
        buttons = [w for w in found if isinstance(w, QAbstractButton)]
        if not (buttons or found):
            shown = sorted(
                {
                    control_text(w)
                    for w in window.touchscreen.findChildren(QAbstractButton)
                    if w.isVisible() and control_text(w)
                }
            )
            raise ActionError(
                f"no control {target!r} on the {self.screen(device)} screen "
                f"(there: {', '.join(shown) or 'none'})"
            )
        _finger(window, (buttons or found)[0])

    def key(self, device: str, key: str) -> None:
        window = self.window(device)
        name = KEY_ALIASES.get(key, key)
        hard = window.keys.get(name)
        if hard is None:
            raise ActionError(f"no hard key {key!r} (keys: {', '.join(sorted(window.keys))})")
        hard.click()


def _finger(window: PanelWindow, widget: QWidget) -> None:
    """A press and release at the widget's centre through the scaled touchscreen."""
    viewport = window.view.viewport()
    at = QPointF(window.view.map_from_content(widget))
    screen = QPointF(viewport.mapToGlobal(at))
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    no_keys = Qt.KeyboardModifier.NoModifier
    press = QMouseEvent(QEvent.Type.MouseButtonPress, at, screen, left, left, no_keys)
    QApplication.sendEvent(viewport, press)
    release = QMouseEvent(QEvent.Type.MouseButtonRelease, at, screen, left, none, no_keys)
    QApplication.sendEvent(viewport, release)
