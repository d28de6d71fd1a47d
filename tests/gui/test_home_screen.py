"""The home screen's tiles, and finger-sized targets everywhere on the touchscreen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice

from panel.device.model import JobState
from panel.ui.screens.compose import ComposeScreen
from panel.ui.screens.jobs import JobListScreen
from panel.ui.widgets import MIN_TOUCH
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui


def test_home_greets_the_user(home: PanelWindow) -> None:
    assert home.current_screen() is home.home_screen
    assert home.home_screen.greeting.text() == "Hello, Alice Martin"


@pytest.mark.parametrize("tile", ["jobs", "scan", "fax"])
def test_tiles_open_their_screens_and_back_returns_home(
    qtbot: QtBot, home: PanelWindow, tile: str
) -> None:
    screens: dict[str, JobListScreen | ComposeScreen] = {
        "jobs": home.jobs_screen,
        "scan": home.scan_screen,
        "fax": home.fax_screen,
    }
    QTest.mouseClick(home.home_screen.tiles[tile], Qt.MouseButton.LeftButton)
    screen = screens[tile]
    assert home.current_screen() is screen
    QTest.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    assert home.current_screen() is home.home_screen


def test_every_tile_is_built_and_apps_waits_for_a_core_that_has_them(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow
) -> None:
    """Apps (S8) was the last "Coming soon"; a core without server apps (this fake) is said
    to be starting, and nothing is called on it."""
    assert all(
        not tile._corner or tile._corner.objectName() != "tileNote"
        for tile in home.home_screen.tiles.values()
    )
    QTest.mouseClick(home.home_screen.tiles["apps"], Qt.MouseButton.LeftButton)
    assert home.toast.isVisible()
    assert home.toast.text() == "Apps are not available yet: the device is still starting."
    assert home.current_screen() is home.home_screen
    assert device.calls == []


def test_jobs_tile_counts_work_in_progress(device: FakeDevice, home: PanelWindow) -> None:
    badge = home.home_screen.jobs_badge
    assert not badge.isVisible()
    job = device.add_job("Report", JobState.QUEUED)
    device.add_job("Pass", JobState.HELD)
    home.flush()  # the badge follows the job events once per frame
    assert badge.isVisible()
    assert badge.text() == "2"
    device.set_state(job.job_id, JobState.COMPLETED)
    assert badge.text() == "2"
    home.flush()
    assert badge.text() == "1"


@pytest.mark.parametrize("screen", [(800, 480), (1024, 600), (1280, 800)])
def test_every_touch_target_is_finger_sized(
    device: FakeDevice, make_window: Callable[..., PanelWindow], screen: tuple[int, int]
) -> None:
    device.add_job("Report", JobState.PRINTING, pages=3)
    window = make_window(screen)
    pages = [window.current_screen()]
    device.sign_in(ALICE)
    pages.append(window.current_screen())
    window.show_jobs()
    pages.append(window.current_screen())
    window.show_scan()
    pages.append(window.current_screen())
    window.show_fax()
    pages.append(window.current_screen())
    assert pages == [
        window.login_screen,
        window.home_screen,
        window.jobs_screen,
        window.scan_screen,
        window.fax_screen,
    ]
    for page in pages:
        window.stack.setCurrentWidget(page)
        buttons = [b for b in page.findChildren(QAbstractButton) if b.isVisible()]
        assert buttons, page
        for button in buttons:
            size = button.size()
            assert min(size.width(), size.height()) >= MIN_TOUCH, (page.objectName(), button)
    for key in window.keys.values():
        assert min(key.width(), key.height()) >= MIN_TOUCH
