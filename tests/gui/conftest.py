"""Fixtures for the view tests: synchronous pytest-qt tests against `FakeDevice`.

The panel runs the device's coroutines (login) as tasks on the running asyncio loop, which in
the product is qasync's. Here one session-wide qasync loop is made the running loop for each
test without being run: Qt's event processing inside qtbot's waits drives its timers, so a
test clicks OK and then `qtbot.waitUntil(...)`. Never write an `async def` test in this folder.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice
from support.qt_loop import qt_loop, run, running_loop  # noqa: F401  (fixtures)

from panel.sim import NetworkSet
from panel.ui.window import PanelWindow


@pytest.fixture
def device() -> FakeDevice:
    return FakeDevice()


WindowFactory = Callable[..., PanelWindow]


@pytest.fixture
def make_window(qtbot: QtBot, device: FakeDevice) -> Iterator[WindowFactory]:
    """Build and show panel windows on the fake device; closed (and their tasks settled) after."""
    windows: list[PanelWindow] = []

    def make(screen: tuple[int, int] = (1024, 600), dev: FakeDevice | None = None) -> PanelWindow:
        window = PanelWindow(dev or device, screen=screen)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for window in windows:
        window.close()  # cancels the login tasks it started
    device.release_logins()
    device.release_composes()
    # support.cleanup runs the loop until those tasks have ended, then checks nothing is left.


@pytest.fixture
def window(make_window: WindowFactory) -> PanelWindow:
    """A panel with nobody logged in: it shows the login screen."""
    return make_window()


@pytest.fixture
def home(device: FakeDevice, make_window: WindowFactory) -> PanelWindow:
    """A panel with Alice logged in: it shows the home screen."""
    device.sign_in(ALICE)
    return make_window()


@pytest.fixture
def sims(qtbot: QtBot) -> Iterator[NetworkSet]:
    """The demo's two simulated networks, for the dock's controls; nothing connects through
    them (their upstream is never reached)."""
    networks = NetworkSet()
    for name in ("Wired LAN", "LTE"):
        run(qtbot, networks.create(name, ("127.0.0.1", 9)))
    yield networks
    run(qtbot, networks.stop())
