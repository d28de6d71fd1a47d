"""`mfp-panel run` paints the login screen over a device that is still starting, then
attaches the real core: the person at the panel sees a working login screen at once, a
clear "still starting" if they are faster than the core, and a normal login after."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice

from panel.device.booting import STARTING, BootingDevice
from panel.device.model import ConnectionState, JobState
from panel.ui.window import PanelWindow


def _booting_window(qtbot: QtBot) -> PanelWindow:
    window = PanelWindow(BootingDevice("MFP-3F-East"))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.login_painted, timeout=5000):
        window.show()
    return window


def _log_in(window: PanelWindow, user_id: str, pin: str) -> None:
    screen = window.login_screen
    screen.user_field.setText(user_id)
    screen.pin_field.setText(pin)
    QTest.mouseClick(screen.ok_button, Qt.MouseButton.LeftButton)


def test_a_booting_panel_shows_login_and_says_it_is_starting(qtbot: QtBot) -> None:
    window = _booting_window(qtbot)
    assert window.current_screen() is window.login_screen
    assert window.status_bar.device_label.text() == "MFP-3F-East"
    assert window.status_bar.connection_label.text() == "Connecting…"
    _log_in(window, "1001", "1234")
    qtbot.waitUntil(window.login_screen.error_label.isVisible)
    assert window.login_screen.error_label.text() == STARTING
    assert window.current_screen() is window.login_screen
    window.close()


def test_attaching_the_core_makes_login_work_and_shows_its_state(qtbot: QtBot) -> None:
    window = _booting_window(qtbot)
    window.login_screen.user_field.setText("10")  # typing while the core loads is kept
    core = FakeDevice()
    core.add_job("waiting in the core", JobState.QUEUED)
    core.set_connection(ConnectionState.ONLINE)
    window.attach(core)
    assert window.login_screen.user_field.text() == "10"
    assert window.status_bar.connection_label.text() == "Online"
    assert window.leds["data"].is_on()  # the core's queued job lights Data
    _log_in(window, "1001", "1234")
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    assert core.user == ALICE
    assert "waiting in the core" in window.jobs_screen.titles()
    window.close()
    core.release_logins()
