"""Every screen of the panel, reached as a person reaches it, for the language guards.

`PanelWalk` is a real server (demo users, jobs waiting for Alice), a real device core and its
window at 800x480 (the smallest panel), with the QA dock beside it. `open(name)` brings screen
`name` (one of SCREENS) forward the way a person does: keypad login, a tap on a home tile or a
button, a bezel key, a jam from the dock. Then `texts(root)` lists the visible text of every
widget under it and `clipped(root)` the widgets whose text is wider than the room it has.

Used by tests/gui/test_i18n_pseudo.py (clipped text in the 40%-longer pseudo language) and
tests/gui/test_i18n_japanese.py (English left in Japanese). A new screen gets a step here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from panel.device import ConnectionState, Device
from panel.server.demo_data import DEMO_USERS
from panel.ui.dock import QaDock
from panel.ui.scan_render import render_scan
from panel.ui.screens.home import HomeScreen
from panel.ui.window import PanelWindow
from support import ALICE, ALICE_PIN, device_config, running_server, submit
from support.panel_touch import finger, log_in_with_keypad
from support.qt_loop import run
from support.real_panel import RealPanel

SIZE = (800, 480)
DEVICE_NAME = "Walk MFP"
# Jobs waiting for Alice when she logs in: the job list and the home badge have something to say.
JOB_TITLES = ("Quarterly figures", "Minutes 2026-11-30")

# The screens of the touchscreen, in walking order.
SCREENS: tuple[str, ...] = (
    "login",
    "home",
    "jobs",
    "copy",
    "scan",
    "fax",
    "files",
    "phone",
    "apps",
    "device_status",
    "maintenance",
    "fault",
)
# The administrator's Settings, one case a category (panel.ui.settings.screen.CATEGORIES).
SETTINGS = ("general", "server", "networks", "timers", "display", "info")
SCREENS += tuple(f"settings_{key}" for key in SETTINGS)
ADMIN, ADMIN_PIN = next((u, pin) for u, _, pin, role in DEMO_USERS if role == "admin")


@dataclass(frozen=True)
class Clipped:
    """A widget whose text does not fit: what a person sees cut off."""

    screen: str
    widget: str  # class and object name
    text: str
    needed: int  # px the text needs
    room: int  # px it has

    def __str__(self) -> str:
        return f"{self.screen}: {self.widget} {self.text!r} needs {self.needed} px, has {self.room}"


def describe(widget: QWidget) -> str:
    name = widget.objectName()
    return f"{type(widget).__name__}#{name}" if name else type(widget).__name__


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisible() and widget.isVisibleTo(root) and widget.width() > 0


def _widgets(root: QWidget) -> Iterator[QWidget]:
    yield root
    yield from root.findChildren(QWidget)


def texts(root: QWidget) -> Iterator[tuple[QWidget, str]]:
    """(widget, text) of everything under `root` a person can read now (labels, buttons,
    placeholders, combo boxes, rows of item views)."""
    for widget in _widgets(root):
        if not _shown(widget, root):
            continue
        if isinstance(widget, QLabel):
            if widget.pixmap() is None or widget.pixmap().isNull():
                yield widget, widget.text()
        elif isinstance(widget, QAbstractButton):
            yield widget, widget.text()
        elif isinstance(widget, QLineEdit):
            yield widget, widget.text() or widget.placeholderText()
        elif isinstance(widget, QComboBox):
            yield from ((widget, widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount()):
                value = model.data(model.index(row, 0), Qt.ItemDataRole.DisplayRole)
                if isinstance(value, str):
                    yield widget, value


def _room(widget: QLabel | QAbstractButton) -> int:
    """The width the text is drawn in: the button's contents (style sheet padding and its icon
    taken off), or the label's contents rectangle."""
    if isinstance(widget, QPushButton):
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        room = (
            widget.style()
            .subElementRect(QStyle.SubElement.SE_PushButtonContents, option, widget)
            .width()
        )
        if not widget.icon().isNull():
            room -= widget.iconSize().width() + 4
        return room
    room = widget.contentsRect().width()
    if isinstance(widget, QLabel):
        room -= 2 * max(0, widget.margin()) + max(0, widget.indent())
    elif (
        isinstance(widget, QToolButton)
        and not widget.icon().isNull()
        and widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    ):
        room -= widget.iconSize().width() + 4
    return room


def clipped(screen: str, root: QWidget) -> list[Clipped]:
    """Labels and buttons under `root` whose text is wider than their room (no word wrap; an
    elided text is short enough by construction, so it never counts; a tool button's text,
    which Qt elides itself, counts only when no tooltip gives it whole).

    Layouts waiting for their pass are run first: a label whose text the device just changed
    (the status pill turning to "Printing" while the walk looked) is measured as the next
    paint shows it, not in the geometry of its previous text."""
    for _ in range(3):  # a layout's pass can ask its parent's for one
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    found: list[Clipped] = []
    for widget in _widgets(root):
        if not isinstance(widget, QLabel | QPushButton | QToolButton) or not _shown(widget, root):
            continue
        text = widget.text()
        if not text.strip():
            continue
        if isinstance(widget, QLabel):
            if widget.wordWrap() or widget.textFormat() == Qt.TextFormat.RichText:
                continue
            rich = "<" in text and ">" in text  # drawn as rich text: no plain width to compare
            if widget.textFormat() == Qt.TextFormat.AutoText and rich:
                continue
        if (
            isinstance(widget, QToolButton)
            and widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
            and not widget.icon().isNull()
        ):
            continue  # shows its icon, not its text
        metrics = QFontMetrics(widget.font())
        needed = max(
            metrics.horizontalAdvance(line) for line in text.replace("&&", "&").split("\n")
        )
        room = _room(widget)
        if needed > room and isinstance(widget, QToolButton) and widget.toolTip():
            continue  # Qt elides a tool button's text (in the middle); the tooltip has it whole
        if needed > room:
            found.append(Clipped(screen, describe(widget), text, needed, room))
    return found


class PanelWalk:
    """A real panel at 800x480 with the QA dock, and a way to each of SCREENS."""

    def __init__(self, qtbot: QtBot, root: Path) -> None:
        self.qtbot = qtbot
        server = run(qtbot, running_server(root))
        for title in JOB_TITLES:
            run(qtbot, submit(server, ALICE, title, pages=3))
        # One page a minute: the jobs stay in the list (printing, waiting) while it is walked.
        device = Device(
            device_config(server, root / "device", DEVICE_NAME, ppm=1.0), renderer=render_scan
        )
        run(qtbot, device.start())
        window = PanelWindow(device, screen=SIZE)
        qtbot.addWidget(window)
        self.dock = QaDock(window, device)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE)
        self.panel = RealPanel(qtbot, root, server, device, window)
        self.window = window
        self.steps: dict[str, Callable[[], QWidget]] = {
            "login": self._login,
            "home": self._home,
            "jobs": lambda: self._tile("jobs"),
            "copy": lambda: self._tile("copy"),
            "scan": lambda: self._tile("scan"),
            "fax": lambda: self._tile("fax"),
            "files": lambda: self._tile("files"),
            "phone": lambda: self._tile("phone"),
            "apps": lambda: self._tile("apps"),
            "device_status": self._device_status,
            "maintenance": self._maintenance,
            "fault": self._fault,
        }
        for key in SETTINGS:
            self.steps[f"settings_{key}"] = functools.partial(self._settings, key)
        assert tuple(self.steps) == SCREENS

    def close(self) -> None:
        fault = self.window._fault_screen  # cleared: the engine stops cleanly
        if fault is not None and fault.isVisible():
            finger(self.window, fault.done_button)
        self.dock.close()
        self.panel.close()

    def open(self, name: str) -> QWidget:
        """Bring screen `name` forward as a person would; returns what to look at: the whole
        touchscreen (title bar, banners and toasts included)."""
        self.steps[name]()
        QApplication.processEvents()  # lays the screen out before it is measured
        return self.window.touchscreen

    def walk(self) -> Iterator[tuple[str, QWidget]]:
        for name in SCREENS:
            yield name, self.open(name)

    # -- the ways there ---------------------------------------------------------------------------
    def _press(self, key: str) -> None:
        QTest.mouseClick(self.window.keys[key], Qt.MouseButton.LeftButton)

    def _login(self) -> QWidget:
        if self.window.device.user is not None:
            self._press("login")  # the key reads Logout
        self.qtbot.waitUntil(lambda: self.window.current_screen() is self.window.login_screen)
        return self.window.login_screen

    def _home(self, user_id: str = ALICE, pin: str = ALICE_PIN) -> HomeScreen:
        """Home, with `user_id` logged in (whoever was is logged out first)."""
        user = self.window.device.user
        if user is not None and user.user_id != user_id:
            self._login()
            user = None
        if user is None:
            self._login()
            log_in_with_keypad(self.window, user_id, pin)
            self.qtbot.waitUntil(lambda: self.window.current_screen() is self.window.home_screen)
            if user_id == ALICE:
                jobs = self.window.device.jobs
                self.qtbot.waitUntil(lambda: len(jobs.all()) >= len(JOB_TITLES), timeout=5000)
        else:
            self._press("home")
        home = self.window.home_screen
        self.qtbot.waitUntil(lambda: self.window.current_screen() is home)
        return home

    def _tile(self, key: str) -> QWidget:
        home = self._home()
        finger(self.window, home.tiles[key])
        self.qtbot.waitUntil(lambda: self.window.current_screen() is not home, timeout=5000)
        return self.window.current_screen()

    def _device_status(self) -> QWidget:
        home = self._home()
        finger(self.window, home.status_button)
        self.qtbot.waitUntil(lambda: self.window.current_screen() is not home)
        return self.window.current_screen()

    def _maintenance(self) -> QWidget:
        self._home()
        self._press("maintenance")
        screen = self.window.maintenance_screen
        self.qtbot.waitUntil(screen.isVisible)
        return screen

    def _settings(self, key: str) -> QWidget:
        home = self._home(ADMIN, ADMIN_PIN)
        finger(self.window, home.settings_button)
        self.qtbot.waitUntil(lambda: self.window.current_screen() is not home, timeout=5000)
        screen = self.window.current_screen()
        categories = getattr(screen, "categories", {})
        finger(self.window, categories[key])
        return screen

    def _fault(self) -> QWidget:
        self._home()
        card = self.dock.engine
        card.jam_box.setCurrentIndex(card.jam_box.findData("tray-2"))
        QTest.mouseClick(card.jam_button, Qt.MouseButton.LeftButton)
        fault = self.window.fault_screen
        self.qtbot.waitUntil(fault.isVisible, timeout=5000)
        return fault
