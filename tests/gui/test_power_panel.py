"""Sleep dimming on the panel over the real core (S4; issue 5, acceptance 4): a real server, a
real device whose timers run on a ManualClock the test advances, its panel and the QA dock.
Idle -> dimmed -> asleep as the core's timers fire; the dock's presence control wakes it
with the login screen lit and taking input. Taps on the panel are use the core counts: a user
who keeps tapping is not logged out, one who stops is, and the panel follows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support import ALICE, ALICE_PIN, device_config, running_server
from support.panel_touch import finger, log_in_with_keypad
from support.qt_loop import run

from panel.device import ConnectionState, Device
from panel.device.clock import ManualClock, run_until_idle
from panel.device.power import PowerState
from panel.server.app import RunningServer
from panel.ui import i18n
from panel.ui.dock import QaDock
from panel.ui.power_view import DIM_LEVEL
from panel.ui.widgets import Led
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

# The product's timers (PowerSettings' defaults): dim after 1 min, sleep after 15 min, log out
# after 1 min without use.
DIM_S, SLEEP_S, LOGOUT_S = 60.0, 900.0, 60.0


@dataclass
class Panel:
    server: RunningServer
    clock: ManualClock
    device: Device
    window: PanelWindow
    dock: QaDock

    def power(self) -> PowerState:
        return self.device.power.state

    def logged_in(self) -> bool:
        return self.device.user is not None


@pytest.fixture
def panel(qtbot: QtBot, tmp_path: Path) -> Iterator[Panel]:
    server = run(qtbot, running_server(tmp_path))
    clock = ManualClock()
    device = Device(device_config(server, tmp_path / "device", "Glue MFP"), clock=clock)
    run(qtbot, device.start())
    window = PanelWindow(device)
    qtbot.addWidget(window)
    dock = QaDock(window, device)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE)
    yield Panel(server, clock, device, window, dock)
    window.close()
    run(qtbot, device.stop())
    run(qtbot, server.stop())


def test_idle_dims_then_sleeps_and_the_presence_control_wakes_it(
    qtbot: QtBot, panel: Panel
) -> None:
    window, view, led = panel.window, panel.window.power_view, panel.window.leds["power"]
    assert panel.power() is PowerState.ACTIVE
    assert view.level == 0.0

    panel.clock.advance(DIM_S)  # a minute nobody touches the panel
    qtbot.waitUntil(lambda: view.state is PowerState.DIMMED)
    assert view.level < DIM_LEVEL  # the fade has only begun
    qtbot.waitUntil(lambda: view.level == pytest.approx(DIM_LEVEL))
    assert led.is_on()
    assert not led.is_blinking()
    assert panel.dock.power_label.text().startswith("Dimmed")

    panel.clock.advance(SLEEP_S - DIM_S)
    qtbot.waitUntil(lambda: view.state is PowerState.SLEEP)
    qtbot.waitUntil(lambda: view.level == 1.0)
    assert panel.power() is PowerState.SLEEP
    assert led.is_blinking()
    assert led.blink_timer.interval() == Led.SLOW_BLINK_MS
    assert panel.dock.power_label.text().startswith("Asleep")

    with qtbot.waitSignal(view.lit, timeout=2000):
        QTest.mouseClick(panel.dock.approach_button, Qt.MouseButton.LeftButton)
    assert panel.power() is PowerState.ACTIVE
    assert panel.device.presence.present
    assert view.level == 0.0
    assert not led.is_blinking()
    assert window.current_screen() is window.login_screen
    finger(window, window.login_screen.keypad.buttons["1"])  # it takes input at once
    assert window.login_screen.user_field.text() == "1"
    assert "Power: active (presence)" in panel.dock.log_lines()


def test_taps_keep_the_user_logged_in_and_the_core_logs_out_a_forgotten_session(
    qtbot: QtBot, panel: Panel
) -> None:
    window = panel.window
    log_in_with_keypad(window, ALICE, ALICE_PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=5000)

    panel.clock.advance(LOGOUT_S - 5)
    finger(window, window.home_screen, QPoint(40, 40))  # a tap on the screen, on nothing
    panel.clock.advance(LOGOUT_S - 5)  # 110 s logged in, but used 55 s ago
    run(qtbot, run_until_idle())  # what the core's timers started, if any were due
    assert panel.logged_in()
    assert window.current_screen() is window.home_screen

    panel.clock.advance(10)  # a minute since the last tap
    qtbot.waitUntil(lambda: window.current_screen() is window.login_screen)
    assert not panel.logged_in()
    assert window.status_bar.user_label.text() == "Not logged in"
    assert window.toast.text() == "You were logged out after a time without use."
    qtbot.waitUntil(lambda: panel.server.store.device_of_user(ALICE) is None)


def test_the_auto_logout_brings_back_the_device_language(qtbot: QtBot, panel: Panel) -> None:
    """Japanese picked with the login screen's language key lasts the session only: the core's
    auto-logout (on its clock) puts the panel back in the device's language (English)."""
    window = panel.window
    try:
        finger(window, window.login_screen.language_key)
        assert i18n.current_language() == i18n.JAPANESE
        log_in_with_keypad(window, ALICE, ALICE_PIN)
        qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=5000)
        assert window.home_screen.tiles["copy"].label.text() == "コピー"

        panel.clock.advance(LOGOUT_S)
        qtbot.waitUntil(lambda: window.current_screen() is window.login_screen)
        assert i18n.current_language() == i18n.ENGLISH
        assert window.status_bar.user_label.text() == "Not logged in"
        assert window.login_screen.language_key.text() == "日本語"
    finally:
        i18n.set_language(i18n.ENGLISH)


def test_energy_saver_key_sleeps_and_a_touch_only_wakes(qtbot: QtBot, panel: Panel) -> None:
    window = panel.window
    QTest.mouseClick(window.keys["energy_saver"], Qt.MouseButton.LeftButton)
    assert panel.power() is PowerState.SLEEP
    qtbot.waitUntil(lambda: window.power_view.level == 1.0)
    assert window.keys["energy_saver"].property("asleep") is True

    finger(window, window.login_screen.keypad.buttons["5"])
    assert panel.power() is PowerState.ACTIVE
    assert window.login_screen.user_field.text() == ""  # the dark "5" was not pressed
    assert "Power: active (touch)" in panel.dock.log_lines()
