"""Fixtures for the view tests: synchronous pytest-qt tests against `FakeDevice`.

The panel runs the device's coroutines (login) as tasks on the running asyncio loop, which in
the product is qasync's. Here one session-wide qasync loop is made the running loop for each
test without being run: Qt's event processing inside qtbot's waits drives its timers, so a
test clicks OK and then `qtbot.waitUntil(...)`. Never write an `async def` test in this folder.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import asyncio
from collections.abc import Callable, Iterator

import pytest
import qasync
from fake_device import ALICE, FakeDevice
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from panel.ui.window import PanelWindow


@pytest.fixture(scope="session")
def qt_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp)
    yield loop
    loop.close()  # also stops its Qt timers (PITFALLS.md)


@pytest.fixture(autouse=True)
def running_loop(qt_loop: qasync.QEventLoop) -> Iterator[asyncio.AbstractEventLoop]:
    """Make the qasync loop the running loop, as it is while the real panel runs."""
    asyncio._set_running_loop(qt_loop)
    try:
        yield qt_loop
    finally:
        asyncio._set_running_loop(None)


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
    qtbot.wait(20)  # let the loop finish them here, not in the next test


@pytest.fixture
def window(make_window: WindowFactory) -> PanelWindow:
    """A panel with nobody logged in: it shows the login screen."""
    return make_window()


@pytest.fixture
def home(device: FakeDevice, make_window: WindowFactory) -> PanelWindow:
    """A panel with Alice logged in: it shows the home screen."""
    device.sign_in(ALICE)
    return make_window()
