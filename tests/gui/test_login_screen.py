"""The login screen: on-screen keypad, physical keyboard, submitting, refusals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice

from panel.device.model import LoginOutcome, LoginResult
from panel.device.power import PowerState
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


# -- nothing outlives its moment: logout, dim, sleep, wake, shown anew ---------------------------
def leave_traces(qtbot: QtBot, window: PanelWindow) -> None:
    """What a person walking away leaves: their ID, a PIN half typed, a refusal in red."""
    screen = window.login_screen
    tap_digits(qtbot, window, "1001")
    screen.select_field(screen.pin_field)
    tap_digits(qtbot, window, "0000")
    tap(qtbot, window, "ok")
    qtbot.waitUntil(lambda: screen.error_label.text() == "Wrong user ID or PIN.")
    tap_digits(qtbot, window, "12")
    assert (screen.user_field.text(), screen.pin_field.text()) == ("1001", "12")


def assert_clean(window: PanelWindow) -> None:
    screen = window.login_screen
    assert (screen.user_field.text(), screen.pin_field.text()) == ("", "")
    assert screen.error_label.text() == ""
    assert not screen.error_label.isVisibleTo(screen)
    assert screen.hint_label.isVisibleTo(screen)
    assert screen.active_field is screen.user_field
    assert screen.locked_until is None


@pytest.mark.parametrize("state", [PowerState.DIMMED, PowerState.SLEEP])
def test_dimming_or_sleep_clears_the_login_screen(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow, state: PowerState
) -> None:
    leave_traces(qtbot, window)
    device.set_power(state)
    assert_clean(window)
    assert window.current_screen() is window.login_screen


def test_waking_clears_what_was_typed_while_dark(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    device.set_power(PowerState.SLEEP)
    leave_traces(qtbot, window)  # a keyboard reaches the fields of a dark screen
    device.set_power(PowerState.ACTIVE, "presence")
    assert_clean(window)


def test_logout_leaves_a_clean_login_screen(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    leave_traces(qtbot, window)
    device.sign_in(ALICE)  # e.g. a card tap
    assert window.current_screen() is window.home_screen
    tap_login_key = window.keys["login"]
    QTest.mouseClick(tap_login_key, Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.login_screen
    assert_clean(window)


def test_the_login_screen_shown_anew_is_clean(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    leave_traces(qtbot, window)
    window.stack.setCurrentWidget(window.maintenance_screen)  # away, nobody logged in
    window.show_home()  # the Home key: nobody is logged in, so the login screen
    assert window.current_screen() is window.login_screen
    assert_clean(window)


def test_the_home_key_on_the_login_screen_keeps_what_is_being_typed(
    qtbot: QtBot, window: PanelWindow
) -> None:
    tap_digits(qtbot, window, "1001")
    QTest.mouseClick(window.keys["home"], Qt.MouseButton.LeftButton)
    assert window.login_screen.user_field.text() == "1001"


# -- wrong PINs: a warning before the lock, and the lock's time left ------------------------------
def type_and_submit(qtbot: QtBot, window: PanelWindow, pin: str = "0000") -> None:
    screen = window.login_screen
    screen.select_field(screen.user_field)
    tap_digits(qtbot, window, "1001")
    screen.select_field(screen.pin_field)
    tap_digits(qtbot, window, pin)
    tap(qtbot, window, "ok")


def test_the_try_before_a_lock_warns(qtbot: QtBot, device: FakeDevice, window: PanelWindow) -> None:
    warning = "Wrong user ID or PIN. 1 attempt left before a 5-minute lock."
    device.refuse_login = LoginResult(LoginOutcome.REFUSED, message=warning, attempts_left=1)
    type_and_submit(qtbot, window)
    screen = window.login_screen
    qtbot.waitUntil(lambda: screen.error_label.text() == warning)
    assert screen.locked_until is None


def test_a_lock_counts_down_to_the_next_try(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    screen = window.login_screen
    now = [1000.0]
    screen.now = lambda: now[0]
    device.refuse_login = LoginResult(
        LoginOutcome.REFUSED,
        message="Too many wrong PINs. Try again in 5 min.",
        attempts_left=0,
        retry_after_s=300.0,
    )
    type_and_submit(qtbot, window)
    qtbot.waitUntil(lambda: screen.error_label.text() == "Too many wrong PINs. Try again in 5 min.")
    assert screen.pin_field.text() == ""
    now[0] += 29.5
    screen.show_lock()  # what the countdown's timer does every second
    assert screen.error_label.text() == "Too many wrong PINs. Try again in 4 min 31 s."
    now[0] += 240
    screen.show_lock()
    assert screen.error_label.text() == "Too many wrong PINs. Try again in 31 s."
    now[0] += 31
    screen.show_lock()
    assert screen.error_label.text() == ""  # over: the hint again
    assert screen.hint_label.isVisibleTo(screen)
    assert screen.locked_until is None


def test_a_lock_is_forgotten_when_the_panel_dims(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    device.refuse_login = LoginResult(LoginOutcome.REFUSED, attempts_left=0, retry_after_s=300.0)
    type_and_submit(qtbot, window)
    screen = window.login_screen
    qtbot.waitUntil(lambda: screen.locked_until is not None)
    device.set_power(PowerState.DIMMED)
    assert_clean(window)
