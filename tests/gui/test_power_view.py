"""Sleep dimming on the panel (S4) over the view tests' fake core: the touchscreen dims slowly,
goes dark in sleep with a slow-blinking Power LED, and lights at once when woken; every tap
and key press is reported to the core as use, and the first touch on a dark panel only
wakes it. The real core's timers drive the same views in test_power_panel.py."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QAbstractAnimation, QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice

from panel.device.booting import BootingDevice
from panel.device.power import PowerState
from panel.ui.power_view import DIM_LEVEL
from panel.ui.widgets import Led
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui


def finger(window: PanelWindow, target: QWidget) -> None:
    """Tap `target` through the scaled touchscreen, as a finger does."""
    at: QPoint = window.view.map_from_content(target)
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def screen_colour(window: PanelWindow) -> QColor:
    """The colour the touchscreen shows in the middle of its empty top-left corner area."""
    viewport = window.view.viewport()
    image = viewport.grab().toImage()
    at = window.view.map_from_content(window.login_screen, QPoint(8, 8))
    return image.pixelColor(at)


def state(device: FakeDevice) -> PowerState:
    return device.power.state


def asleep(qtbot: QtBot, device: FakeDevice, window: PanelWindow) -> None:
    device.set_power(PowerState.SLEEP)
    qtbot.waitUntil(lambda: window.power_view.level == 1.0)


def test_dimming_fades_slowly_and_sleep_is_dark_with_a_slow_power_led(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    view, led = window.power_view, window.leds["power"]
    lit = screen_colour(window)
    assert view.level == 0.0
    assert not view.shade.isVisible()
    assert led.is_on()
    assert not led.is_blinking()

    device.set_power(PowerState.DIMMED)
    assert view.animation.state() is QAbstractAnimation.State.Running
    qtbot.waitUntil(lambda: 0.0 < view.level < DIM_LEVEL)  # on its way: a fade, not a jump
    qtbot.waitUntil(lambda: view.level == pytest.approx(DIM_LEVEL))
    dimmed = screen_colour(window)
    assert 0 < dimmed.lightness() < lit.lightness() * 0.5  # darker, still readable
    assert led.is_on()
    assert not led.is_blinking()  # dimmed is still awake

    device.set_power(PowerState.SLEEP)
    qtbot.waitUntil(lambda: view.level == 1.0)
    assert screen_colour(window).lightness() == 0  # a dark screen
    assert view.shade.geometry() == window.view.viewport().rect()  # all of it
    assert led.is_blinking()
    assert led.blink_timer.interval() == Led.SLOW_BLINK_MS > Led.BLINK_MS
    assert window.keys["energy_saver"].property("asleep") is True


def test_waking_lights_the_screen_at_once(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    lit = screen_colour(window)
    asleep(qtbot, device, window)
    with qtbot.waitSignal(window.power_view.lit, timeout=2000):
        device.presence.person_approached()
        assert window.power_view.level == 0.0  # no fade in: the backlight comes on
    assert screen_colour(window) == lit
    assert window.leds["power"].is_on()
    assert not window.leds["power"].is_blinking()
    assert window.keys["energy_saver"].property("asleep") is False


def test_a_touch_on_a_sleeping_panel_wakes_it_without_pressing_what_is_under_it(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    field, keypad = window.login_screen.user_field, window.login_screen.keypad.buttons
    asleep(qtbot, device, window)
    finger(window, keypad["5"])
    assert state(device) is PowerState.ACTIVE
    assert device.power.calls == ["touch"]
    assert field.text() == ""  # the dark screen's "5" was not pressed
    assert window.power_view.level == 0.0

    finger(window, keypad["5"])  # now the panel is lit: the tap is a tap
    assert field.text() == "5"
    assert device.power.calls == ["touch", "touch"]


def test_every_tap_and_key_press_on_the_panel_is_use(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    screen = window.login_screen
    finger(window, screen.keypad.buttons["1"])
    QTest.keyClicks(window.view, "23")  # a physical keyboard
    assert screen.user_field.text() == "123"
    assert device.power.calls == ["touch"] * 3
    QTest.mouseClick(window.keys["home"], Qt.MouseButton.LeftButton)
    QTest.mouseClick(window.keys["reset"], Qt.MouseButton.LeftButton)
    assert device.power.calls[3:] == ["hardware_key", "hardware_key"]
    assert screen.user_field.text() == ""  # the keys did what they do


def test_a_key_on_a_sleeping_panel_only_wakes_it(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    # The fax number: the login screen forgets what was typed when the panel sleeps (issue 11).
    device.sign_in(ALICE)
    window.show_fax()
    fax = window.fax_screen
    QTest.keyClicks(window.view, "42")
    assert fax.number() == "42"
    asleep(qtbot, device, window)
    QTest.mouseClick(window.keys["reset"], Qt.MouseButton.LeftButton)
    assert state(device) is PowerState.ACTIVE
    assert fax.number() == "42"  # Reset was not pressed on a dark panel
    asleep(qtbot, device, window)
    QTest.keyClick(window.view, Qt.Key.Key_7)
    assert state(device) is PowerState.ACTIVE
    assert fax.number() == "42"
    assert device.power.calls[-2:] == ["hardware_key", "touch"]


def test_energy_saver_key_sleeps_the_panel_and_wakes_it(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    key = window.keys["energy_saver"]
    QTest.mouseClick(key, Qt.MouseButton.LeftButton)
    assert device.power.calls == ["energy_saver_key"]  # not also "use" of the panel
    assert state(device) is PowerState.SLEEP
    assert not window.toast.isVisible()  # no "not available yet" any more
    qtbot.waitUntil(lambda: window.power_view.level == 1.0)
    QTest.mouseClick(key, Qt.MouseButton.LeftButton)
    assert state(device) is PowerState.ACTIVE
    assert window.power_view.level == 0.0


def test_sleep_hides_a_toast_on_the_dark_screen(device: FakeDevice, window: PanelWindow) -> None:
    device.notice("Tray 2 is low on paper.")
    assert window.toast.isVisible()
    device.set_power(PowerState.SLEEP)
    assert not window.toast.isVisible()


def test_a_booting_device_has_no_power_yet_then_the_real_one_takes_over(
    qtbot: QtBot, device: FakeDevice
) -> None:
    window = PanelWindow(BootingDevice("MFP-3F-East"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    QTest.mouseClick(window.keys["energy_saver"], Qt.MouseButton.LeftButton)
    assert window.toast.text() == "The device is still starting. Try again in a moment."
    finger(window, window.login_screen.keypad.buttons["1"])  # no core to tell: just a tap
    assert window.login_screen.user_field.text() == "1"

    device.set_power(PowerState.DIMMED)  # the core has loaded with its panel dimmed
    window.attach(device)
    assert window.power_view.level == pytest.approx(DIM_LEVEL)
    QTest.mouseClick(window.keys["energy_saver"], Qt.MouseButton.LeftButton)
    assert state(device) is PowerState.SLEEP
    window.close()
