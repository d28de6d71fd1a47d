"""The panel over the real device core and a real server on a real socket (the glue layer).

Synchronous pytest-qt tests, like the rest of this folder: the server and the device run as
tasks on the session's qasync loop, and qtbot's waits (which process Qt events) drive them.
Taps go through the scaled touchscreen view, as a finger's would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support import ALICE, ALICE_PIN, device_config, running_server, submit

from panel.device import ConnectionState, Device, JobState
from panel.server.app import RunningServer
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

T = TypeVar("T")


def run(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout_ms: int = 10_000) -> T:
    """Run a coroutine on the qasync loop while Qt processes events, and return its result."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout_ms)
    return task.result()


class Stack:
    def __init__(self, server: RunningServer, device: Device, window: PanelWindow) -> None:
        self.server, self.device, self.window = server, device, window


@pytest.fixture
def stack(qtbot: QtBot, tmp_path: Path) -> Iterator[Stack]:
    server = run(qtbot, running_server(tmp_path))
    # 120 pages a minute: a job of a few pages takes a couple of seconds, time to watch and Stop.
    device = Device(device_config(server, tmp_path / "device", "Glue MFP", ppm=120.0))
    run(qtbot, device.start())
    window = PanelWindow(device)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE)
    yield Stack(server, device, window)
    window.close()
    run(qtbot, device.stop())
    run(qtbot, server.stop())


def finger(qtbot: QtBot, window: PanelWindow, target: QWidget) -> None:
    """Tap `target` through the scaled touchscreen, where a finger would."""
    at = window.view.map_from_content(target)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def log_in_with_keypad(qtbot: QtBot, window: PanelWindow, user_id: str, pin: str) -> None:
    screen = window.login_screen
    keypad = screen.keypad.buttons
    finger(qtbot, window, screen.user_field)
    for digit in user_id:
        finger(qtbot, window, keypad[digit])
    finger(qtbot, window, screen.pin_field)
    for digit in pin:
        finger(qtbot, window, keypad[digit])
    finger(qtbot, window, keypad["ok"])


def test_keypad_login_then_a_pushed_job_prints_to_completion(qtbot: QtBot, stack: Stack) -> None:
    window = stack.window
    assert window.status_bar.connection_label.text().lower().startswith("online")
    log_in_with_keypad(qtbot, window, ALICE, ALICE_PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    assert "Alice Martin" in window.status_bar.user_label.text()

    finger(qtbot, window, window.home_screen.tiles["jobs"])
    assert window.current_screen() is window.jobs_screen
    job = run(qtbot, submit(stack.server, ALICE, "Glue report", pages=3))
    qtbot.waitUntil(lambda: window.jobs_screen.row_of(job.job_id) is not None)
    row = window.jobs_screen.row_of(job.job_id)
    qtbot.waitUntil(lambda: "of 3" in row.progress_text, timeout=5000)
    assert window.leds["data"].is_on()
    qtbot.waitUntil(lambda: row.badge.lower() == "completed", timeout=10_000)
    assert stack.device.jobs.get(job.job_id).state is JobState.COMPLETED
    qtbot.waitUntil(lambda: stack.server.store.job(job.job_id).state == "completed")
    qtbot.waitUntil(lambda: not window.leds["data"].is_on())


def test_wrong_pin_is_refused_on_the_panel(qtbot: QtBot, stack: Stack) -> None:
    window = stack.window
    log_in_with_keypad(qtbot, window, ALICE, "0000")
    qtbot.waitUntil(lambda: window.login_screen.error_label.text() != "")
    assert window.login_screen.error_label.text() == "Wrong user ID or PIN."
    assert window.current_screen() is window.login_screen
    assert window.login_screen.pin_field.text() == ""


def test_stop_cancels_the_printing_job_and_the_server_hears(qtbot: QtBot, stack: Stack) -> None:
    window = stack.window
    log_in_with_keypad(qtbot, window, ALICE, ALICE_PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    job = run(qtbot, submit(stack.server, ALICE, "Long run", pages=40))
    qtbot.waitUntil(lambda: stack.device.jobs.get(job.job_id) is not None)
    qtbot.waitUntil(lambda: stack.device.jobs.get(job.job_id).state is JobState.PRINTING)
    qtbot.mouseClick(window.keys["stop"], Qt.MouseButton.LeftButton)
    assert stack.device.jobs.get(job.job_id).state is JobState.CANCELLED
    assert "cancelled" in window.toast.text()
    qtbot.waitUntil(lambda: stack.server.store.job(job.job_id).state == "cancelled")


def test_logout_key_returns_to_login_and_the_server_forgets_the_session(
    qtbot: QtBot, stack: Stack
) -> None:
    window = stack.window
    log_in_with_keypad(qtbot, window, ALICE, ALICE_PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    assert stack.server.store.device_of_user(ALICE) == stack.device.device_id
    qtbot.mouseClick(window.keys["login"], Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.login_screen
    assert stack.device.user is None
    qtbot.waitUntil(lambda: stack.server.store.device_of_user(ALICE) is None)
