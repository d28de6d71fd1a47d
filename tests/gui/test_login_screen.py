"""The login screen: on-screen keypad, physical keyboard, submitting, refusals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice

from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui


def tap(qtbot: QtBot, window: PanelWindow, *keys: str) -> None:
    for key in keys:
        QTest.mouseClick(window.login_screen.keypad.buttons[key], Qt.MouseButton.LeftButton)


def tap_digits(qtbot: QtBot, window: PanelWindow, digits: str) -> None:
    tap(qtbot, window, *digits)


def test_starts_on_login_with_user_id_selected(window: PanelWindow) -> None:
    screen = window.login_screen
    assert window.current_screen() is screen
    assert screen.active_field is screen.user_field
    assert screen.user_field.property("active") is True
    assert screen.pin_field.echoMode() is QLineEdit.EchoMode.Password


def test_keypad_types_into_the_tapped_field(qtbot: QtBot, window: PanelWindow) -> None:
    screen = window.login_screen
    tap_digits(qtbot, window, "1001")
    QTest.mouseClick(screen.pin_field, Qt.MouseButton.LeftButton)
    assert screen.active_field is screen.pin_field
    assert screen.pin_field.property("active") is True
    assert screen.user_field.property("active") is False
    tap_digits(qtbot, window, "1234")
    assert screen.user_field.text() == "1001"
    assert screen.pin_field.text() == "1234"
    assert "1234" not in screen.pin_field.displayText()  # masked

    QTest.mouseClick(screen.user_field, Qt.MouseButton.LeftButton)
    screen.user_field.end(False)
    tap_digits(qtbot, window, "7")
    assert screen.user_field.text() == "10017"
    assert screen.pin_field.text() == "1234"


def test_backspace_and_clear_edit_only_the_selected_field(
    qtbot: QtBot, window: PanelWindow
) -> None:
    screen = window.login_screen
    tap_digits(qtbot, window, "1001")
    screen.select_field(screen.pin_field)
    tap_digits(qtbot, window, "987")
    tap(qtbot, window, "backspace")
    assert screen.pin_field.text() == "98"
    tap(qtbot, window, "clear")
    assert screen.pin_field.text() == ""
    assert screen.user_field.text() == "1001"
    screen.select_field(screen.user_field)
    tap(qtbot, window, "backspace", "backspace")
    assert screen.user_field.text() == "10"


def test_physical_keyboard_types_into_focused_field_and_enter_submits(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    screen = window.login_screen
    # Keys arrive at the scaled view, as they do from a real keyboard, and reach the field.
    QTest.keyClicks(window.view, "1001")
    assert screen.user_field.text() == "1001"
    QTest.keyClick(window.view, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: screen.active_field is screen.pin_field)
    QTest.keyClicks(window.view, "1234")
    assert screen.pin_field.text() == "1234"
    QTest.keyClick(window.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    assert device.called("login") == [("1001", "1234")]


def test_ok_logs_in_with_the_typed_values_and_shows_home(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    screen = window.login_screen
    tap_digits(qtbot, window, "1001")
    screen.select_field(screen.pin_field)
    tap_digits(qtbot, window, "1234")
    tap(qtbot, window, "ok")
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    assert device.called("login") == [("1001", "1234")]
    assert device.user == ALICE
    assert screen.pin_field.text() == ""  # nothing typed lingers after a login


def test_ok_is_disabled_while_the_pin_is_checked(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    device.hold_logins = True
    screen = window.login_screen
    tap_digits(qtbot, window, "1001")
    screen.select_field(screen.pin_field)
    tap_digits(qtbot, window, "1234")
    tap(qtbot, window, "ok")
    qtbot.waitUntil(lambda: len(device.called("login")) == 1)
    assert not screen.ok_button.isEnabled()
    assert screen.ok_button.text() == "Checking…"
    tap(qtbot, window, "5")  # typing is ignored while checking
    assert screen.pin_field.text() == "1234"
    screen.submit()  # and so is a second submit (Enter)
    device.release_logins()
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    assert screen.ok_button.isEnabled()
    assert len(device.called("login")) == 1


def test_refused_login_shows_the_message_in_red_and_clears_the_pin(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    screen = window.login_screen
    tap_digits(qtbot, window, "1001")
    screen.select_field(screen.pin_field)
    tap_digits(qtbot, window, "0000")
    tap(qtbot, window, "ok")
    qtbot.waitUntil(lambda: screen.error_label.text() == "Wrong user ID or PIN.")
    assert window.current_screen() is screen
    assert screen.pin_field.text() == ""
    assert screen.user_field.text() == "1001"
    assert screen.active_field is screen.pin_field
    assert screen.ok_button.isEnabled()
    assert screen.error_label.isVisible()
    assert not screen.hint_label.isVisible()
    red = screen.error_label.palette().color(QPalette.ColorRole.WindowText)
    assert red.red() > 150
    assert max(red.green(), red.blue()) < 80
    assert device.user is None


def test_empty_fields_are_asked_for_not_sent(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    screen = window.login_screen
    tap(qtbot, window, "ok")
    assert screen.error_label.text() == "Enter your User ID."
    tap_digits(qtbot, window, "1001")
    tap(qtbot, window, "ok")
    assert screen.error_label.text() == "Enter your PIN."
    assert screen.active_field is screen.pin_field
    assert device.called("login") == []
