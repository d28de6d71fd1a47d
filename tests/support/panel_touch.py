"""Using the panel as a person does: taps through the scaled touchscreen and the keypad login.

Shared by the GUI tests that drive the real device core (tests/gui/test_*_panel*.py)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from panel.ui.window import PanelWindow
from support import ALICE, ALICE_PIN


def finger(window: PanelWindow, target: QWidget, point: QPoint | None = None) -> None:
    """Tap `target` (at `point` in it, else its centre) through the scaled touchscreen."""
    at = window.view.map_from_content(target, point)
    QTest.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at
    )


def log_in_with_keypad(window: PanelWindow, user_id: str, pin: str) -> None:
    """Type the user ID and the PIN on the login screen's keypad, then tap OK."""
    screen = window.login_screen
    keypad = screen.keypad.buttons
    finger(window, screen.user_field)
    for digit in user_id:
        finger(window, keypad[digit])
    finger(window, screen.pin_field)
    for digit in pin:
        finger(window, keypad[digit])
    finger(window, keypad["ok"])


def logged_in(qtbot: QtBot, window: PanelWindow) -> None:
    """Alice logs in with the keypad; returns when the panel shows the home screen."""
    log_in_with_keypad(window, ALICE, ALICE_PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
