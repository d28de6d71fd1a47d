"""Issue 6, acceptance 2: a panel calls for maintenance; the operator logs in at /operator,
accepts, sees the live panel, is refused input until the panel's user allows operation, taps a
tile and the panel's screen changes; the operator ends the session and the banner goes.

Real parts throughout: the server and its relay on a loopback port, the device core, the
PanelWindow (offscreen Qt) and the console in headless Chromium.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support import ALICE, ALICE_PIN, device_config, running_server
from support.console_support import STEP_TIMEOUT_MS, Browser
from support.qt_loop import run

from panel.device import ConnectionState, Device
from panel.device.maintenance import Consent, MaintenancePhase
from panel.server.app import RunningServer
from panel.server.demo_data import DEMO_OPERATORS
from panel.ui.screens.maintenance import MaintenanceScreen
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.browser

OPERATOR, OPERATOR_NAME, PASSWORD = DEMO_OPERATORS[0]
CANVAS = "[data-testid=panel-canvas]"
DRAWN = re.compile(r"^[1-9][0-9]*$")  # data-frames: at least one frame drawn

# Distinct colours among a sample of the canvas's pixels, and a fingerprint of its picture.
COLOURS_JS = """() => {
  const c = document.querySelector('[data-testid=panel-canvas]');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  return seen.size;
}"""
PRINT_JS = """() => {
  const c = document.querySelector('[data-testid=panel-canvas]');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i += 29) h = (Math.imul(h, 31) + d[i]) >>> 0;
  return h;
}"""


class Panel:
    """A real server with the demo operator, a real device and its window."""

    def __init__(self, server: RunningServer, device: Device, window: PanelWindow) -> None:
        self.server, self.device, self.window = server, device, window


@pytest.fixture
def panel(qtbot: QtBot, tmp_path: Path) -> Iterator[Panel]:
    server = run(qtbot, running_server(tmp_path))
    server.store.add_operator(OPERATOR, OPERATOR_NAME, PASSWORD)
    device = Device(device_config(server, tmp_path / "device", "Lobby MFP"))
    run(qtbot, device.start())
    window = PanelWindow(device)  # closed below, before the device stops (not by qtbot)
    window.show()
    qtbot.waitExposed(window)
    try:
        qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE)
        yield Panel(server, device, window)
    finally:
        window.close()
        window.deleteLater()
        run(qtbot, device.stop())
        run(qtbot, server.stop())


def finger(window: PanelWindow, target: QWidget) -> None:
    """Tap the middle of `target` through the scaled touchscreen, as the panel's user."""
    at = window.view.map_from_content(target)
    QTest.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at
    )


def panel_point(window: PanelWindow, target: QWidget) -> tuple[float, float]:
    """Where the middle of `target` is on the panel, as a fraction of the screen (read on the
    test's thread: Qt objects stay there)."""
    centre = target.mapTo(window.touchscreen, target.rect().center())
    size = window.screen_size
    return (centre.x() + 0.5) / size.width(), (centre.y() + 0.5) / size.height()


def click_panel_at(page: Page, point: tuple[float, float]) -> None:
    """The operator clicks the live view at that point of the panel."""
    canvas = page.locator(CANVAS)
    box = canvas.bounding_box()
    assert box is not None
    canvas.click(position={"x": point[0] * box["width"], "y": point[1] * box["height"]})


def until_in_page(page: Page, js: str, test: Callable[[Any], bool]) -> None:
    """Evaluate `js` in the page until `test` holds for its value. (The console's CSP forbids
    eval, so Playwright's wait_for_function cannot run there; evaluate can.)"""
    deadline = time.monotonic() + STEP_TIMEOUT_MS / 1000
    while not test(page.evaluate(js)):
        if time.monotonic() > deadline:
            raise AssertionError(f"the page never satisfied the test on {js[:60]!r}")
        page.wait_for_timeout(50)


def log_in_at_the_console(page: Page, url: str) -> None:
    page.goto(f"{url}/operator")
    page.get_by_test_id("login-operator").fill(OPERATOR)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("operator-name").filter(has_text=OPERATOR_NAME).wait_for()
    page.get_by_test_id("presence-available").click()
    page.wait_for_selector("[data-testid=presence-available][aria-pressed=true]")


def accept_the_offer(page: Page) -> None:
    page.get_by_test_id("offer-card").wait_for()
    page.get_by_test_id("offer-accept").click()
    page.wait_for_selector("[data-testid=session-card][data-state=active]")


def test_operator_sees_the_panel_operates_it_with_consent_and_ends_the_session(
    qtbot: QtBot, panel: Panel, browser: Browser, tmp_path: Path
) -> None:
    window, device = panel.window, panel.device
    assert run(qtbot, device.login(ALICE, ALICE_PIN)).ok
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    browser.do(lambda page: log_in_at_the_console(page, panel.server.url))

    # The panel's user presses Maintenance call and asks for help.
    QTest.mouseClick(window.keys["maintenance"], Qt.MouseButton.LeftButton)
    request = window.current_screen()
    assert isinstance(request, MaintenanceScreen)
    finger(window, request.reason_buttons["Paper jam"])
    finger(window, request.call_button)
    qtbot.waitUntil(lambda: device.maintenance.status.phase is MaintenancePhase.ASSIGNED)
    assert (
        window.maintenance_banner.title_label.full_text() == f"{OPERATOR_NAME} is taking your call"
    )

    browser.do(accept_the_offer)
    qtbot.waitUntil(window.consent_dialog.isVisible)
    finger(window, window.consent_dialog.buttons[Consent.VIEW])

    # A live, non-blank picture of the panel.
    browser.do(lambda page: expect(page.locator(CANVAS)).to_have_attribute("data-frames", DRAWN))
    assert browser.do(lambda page: page.evaluate(COLOURS_JS)) > 8
    assert (
        browser.do(lambda page: page.get_by_test_id("consent-state").get_attribute("data-consent"))
        == "view"
    )

    # Input is refused while the user only allows viewing.
    jobs_tile = panel_point(window, window.home_screen.tiles["jobs"])
    browser.do(lambda page: click_panel_at(page, jobs_tile))
    browser.do(lambda page: page.get_by_test_id("input-refused").wait_for())
    assert window.current_screen() is window.home_screen

    # The user allows operation; the operator's tap opens the job list.
    finger(window, window.maintenance_banner.change_button)
    finger(window, window.consent_dialog.buttons[Consent.OPERATE])
    browser.do(
        lambda page: page.wait_for_selector("[data-testid=consent-state][data-consent=operate]")
    )
    browser.do(lambda page: page.get_by_test_id("input-refused").wait_for(state="hidden"))
    before = browser.do(lambda page: page.evaluate(PRINT_JS))
    jobs_tile = panel_point(window, window.home_screen.tiles["jobs"])
    browser.do(lambda page: click_panel_at(page, jobs_tile))
    qtbot.waitUntil(lambda: window.current_screen() is window.jobs_screen)
    browser.do(lambda page: until_in_page(page, PRINT_JS, lambda now: now != before))
    browser.do(lambda page: page.screenshot(path=str(tmp_path / "console-live.png")))

    # The operator ends the session; the panel's banner goes.
    browser.do(lambda page: page.get_by_test_id("end-session").click())
    browser.do(
        lambda page: page.wait_for_selector(
            "[data-testid=session-ended][data-reason=ended_by_operator]"
        )
    )
    qtbot.waitUntil(lambda: not window.maintenance_banner.isVisible())
    assert device.maintenance.status.end_reason == "ended_by_operator"
    assert window.toast.text() == "The service operator ended the session."
    (entry,) = panel.server.store.maintenance_log()
    assert (entry.operator_id, entry.consent_trail, entry.end_reason) == (
        OPERATOR,
        ["view", "operate"],
        "ended_by_operator",
    )
