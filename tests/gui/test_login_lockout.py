"""Wrong PINs at the panel over the real device core and a real server (the glue layer): the
4th warns before the lock, the 5th starts it and the panel says for how long, counting down;
the device's ID goes on working for other users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from support import ALICE, ALICE_PIN, BOB, BOB_PIN
from support.panel_touch import finger, log_in_with_keypad
from support.real_panel import open_real_panel

from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

WARNING = "Wrong user ID or PIN. 1 attempt left before a 5-minute lock."


@pytest.fixture
def panel(qtbot: QtBot, tmp_path: Path) -> Iterator[PanelWindow]:
    stack = open_real_panel(qtbot, tmp_path, "Lockout MFP")
    yield stack.window
    stack.close()


def refused(qtbot: QtBot, window: PanelWindow, user_id: str, pin: str) -> str:
    """Log in with the keypad (the ID typed anew); the refusal the login screen shows."""
    screen = window.login_screen
    finger(window, screen.user_field)
    finger(window, screen.keypad.buttons["clear"])
    screen.show_error("")
    log_in_with_keypad(window, user_id, pin)
    qtbot.waitUntil(lambda: not screen.checking and screen.error_label.text() != "")
    assert window.current_screen() is screen
    return screen.error_label.text()


def locked_until(window: PanelWindow) -> float | None:
    """When the lock the login screen counts down ends (by the screen's clock)."""
    return window.login_screen.locked_until


def test_the_fourth_wrong_pin_warns_and_the_fifth_locks_for_five_minutes(
    qtbot: QtBot, panel: PanelWindow
) -> None:
    screen = panel.login_screen
    said = [refused(qtbot, panel, ALICE, "0000") for _ in range(4)]
    assert said == ["Wrong user ID or PIN."] * 3 + [WARNING]
    assert screen.locked_until is None

    assert refused(qtbot, panel, ALICE, "0000") == "Too many wrong PINs. Try again in 5 min."
    started = locked_until(panel)
    assert started is not None
    assert screen.pin_field.text() == ""
    # Counting down (the timer's tick, 10 s later by the screen's clock).
    screen.now = lambda: started - 290
    screen.show_lock()
    assert screen.error_label.text() == "Too many wrong PINs. Try again in 4 min 50 s."

    # Locked out even with the right PIN, and told how long is left, from the server.
    said_now = refused(qtbot, panel, ALICE, ALICE_PIN)
    assert said_now.startswith("Too many wrong PINs. Try again in ")
    assert "min" in said_now
    assert panel.device.user is None

    # The lock is Alice's at this device: Bob logs in.
    finger(panel, screen.user_field)
    finger(panel, screen.keypad.buttons["clear"])
    log_in_with_keypad(panel, BOB, BOB_PIN)
    qtbot.waitUntil(lambda: panel.current_screen() is panel.home_screen)
    assert screen.error_label.text() == ""
    assert screen.locked_until is None  # a login clears the screen, countdown included
