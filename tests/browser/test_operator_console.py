"""The operator console at /operator in headless Chromium, at 1280x800.

Issue 6, acceptance 2: a panel calls for maintenance; the operator logs in, accepts, sees the
live panel, cannot send input until the panel's user allows operation, taps a tile and the
panel's screen changes; the operator ends the session and the banner goes.
Issue 11, finding 7: a login makes the operator available, so a waiting call is offered at
once; the count of available operators includes them; the keys are off, with a hint, until the
user allows operation; every time is 24-hour; the chat fits beside the live panel.

Real parts throughout: the server and its relay on a loopback port, the device core, the
PanelWindow (offscreen Qt) and the console in headless Chromium. With MFP_CONSOLE_SCREENSHOTS
set to a folder (docs/screenshots), the key-consent test keeps its screenshots there.
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
from support.console_support import AFTERNOON_HOUR, STEP_TIMEOUT_MS, VIEWPORT, Browser, screenshot
from support.qt_loop import run

from panel.device import ConnectionState, Device, EventKind
from panel.device.maintenance import Consent, MaintenancePhase
from panel.server.app import RunningServer
from panel.server.demo_data import DEMO_OPERATORS
from panel.ui.screens.maintenance import MaintenanceScreen
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.browser

OPERATOR, OPERATOR_NAME, PASSWORD = DEMO_OPERATORS[0]
CANVAS = "[data-testid=panel-canvas]"
DRAWN = re.compile(r"^[1-9][0-9]*$")  # data-frames: at least one frame drawn
KEYS = ("key-home", "key-stop", "key-reset")
WAITING = "Waiting for the user to allow operation"
# Now, on the page's clock (see support.console_support): an hour the 12-hour way would show as 3.
AFTERNOON = re.compile(rf"\b({AFTERNOON_HOUR}|{AFTERNOON_HOUR + 1}):[0-5][0-9]\b")

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
    """Log in and nothing more: the console starts the operator as available."""
    page.goto(f"{url}/operator")
    page.get_by_test_id("login-operator").fill(OPERATOR)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("operator-name").filter(has_text=OPERATOR_NAME).wait_for()
    expect(page.get_by_test_id("presence-available")).to_have_attribute("aria-pressed", "true")


def accept_the_offer(page: Page) -> None:
    page.get_by_test_id("offer-card").wait_for()
    page.get_by_test_id("offer-accept").click()
    page.wait_for_selector("[data-testid=session-card][data-state=active]")


def call_for_maintenance(qtbot: QtBot, panel: Panel) -> None:
    """Alice, logged in on the panel, presses Maintenance call: Paper jam, Call."""
    window, device = panel.window, panel.device
    assert run(qtbot, device.login(ALICE, ALICE_PIN)).ok
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    QTest.mouseClick(window.keys["maintenance"], Qt.MouseButton.LeftButton)
    request = window.current_screen()
    assert isinstance(request, MaintenanceScreen)
    finger(window, request.reason_buttons["Paper jam"])
    finger(window, request.call_button)


def allow(qtbot: QtBot, panel: Panel, consent: Consent) -> None:
    """The panel's user answers the consent prompt (opening it again from the banner)."""
    window = panel.window
    if not window.consent_dialog.isVisible():
        finger(window, window.maintenance_banner.change_button)
    qtbot.waitUntil(window.consent_dialog.isVisible)
    finger(window, window.consent_dialog.buttons[consent])
    qtbot.waitUntil(lambda: panel.device.maintenance.status.consent is consent)


def in_session(qtbot: QtBot, panel: Panel, browser: Browser) -> None:
    """A call made, the console logged in, the call accepted; consent not yet given."""
    call_for_maintenance(qtbot, panel)
    browser.do(lambda page: log_in_at_the_console(page, panel.server.url))
    qtbot.waitUntil(lambda: panel.device.maintenance.status.phase is MaintenancePhase.ASSIGNED)
    browser.do(accept_the_offer)
    qtbot.waitUntil(panel.window.consent_dialog.isVisible)


def keys_enabled(page: Page) -> list[bool]:
    return [page.get_by_test_id(key).is_enabled() for key in KEYS]


def inside_the_viewport(page: Page, test_id: str) -> bool:
    """Wholly visible without scrolling at the page's size."""
    box = page.get_by_test_id(test_id).bounding_box()
    assert box is not None, f"{test_id} is not displayed"
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= VIEWPORT["width"]
        and box["y"] + box["height"] <= VIEWPORT["height"]
    )


def chat_heard(device: Device) -> list[str]:
    """What the panel's user is shown of the chat, as it comes."""
    heard: list[str] = []
    device.events.subscribe(lambda e: heard.append(e.subject.text), EventKind.MAINTENANCE_CHAT)
    return heard


def test_a_login_makes_the_operator_available_and_takes_the_waiting_call(
    qtbot: QtBot, panel: Panel, browser: Browser, tmp_path: Path
) -> None:
    window, device = panel.window, panel.device
    call_for_maintenance(qtbot, panel)
    qtbot.waitUntil(lambda: device.maintenance.status.phase is MaintenancePhase.QUEUED)
    assert device.maintenance.status.position == 1  # nobody at the console yet

    # Logging in is all it takes: available, the waiting call offered at once.
    browser.do(lambda page: log_in_at_the_console(page, panel.server.url))
    qtbot.waitUntil(lambda: device.maintenance.status.phase is MaintenancePhase.ASSIGNED)
    assert (
        window.maintenance_banner.title_label.full_text() == f"{OPERATOR_NAME} is taking your call"
    )

    def offered(page: Page) -> None:
        expect(page.get_by_test_id("offer-device")).to_have_text("Lobby MFP")
        expect(page.get_by_test_id("presence-state")).to_have_text("available")
        expect(page.get_by_test_id("queue-item")).to_contain_text("Offered to you")
        # The count includes the operator reading it, offered a call or not.
        expect(page.get_by_test_id("operators-available")).to_have_text("1 operator available: you")
        expect(page.get_by_test_id("presence-prompt")).to_be_hidden()

    browser.do(offered)
    browser.do(lambda page: screenshot(page, tmp_path, "console-offer.png"))

    # Stepping away passes the call back to the queue, and the console says so, with a way back.
    def away(page: Page) -> None:
        page.get_by_test_id("presence-away").click()
        expect(page.get_by_test_id("offer-card")).to_be_hidden()
        expect(page.get_by_test_id("presence-prompt-text")).to_have_text(
            "You are away: the waiting call is not offered to you."
        )
        expect(page.get_by_test_id("operators-available")).to_have_text(
            "0 operators available; you are away"
        )

    browser.do(away)
    qtbot.waitUntil(lambda: device.maintenance.status.phase is MaintenancePhase.QUEUED)

    browser.do(lambda page: screenshot(page, tmp_path, "console-away.png"))

    def back(page: Page) -> None:
        page.get_by_test_id("presence-prompt-available").click()
        expect(page.get_by_test_id("presence-prompt")).to_be_hidden()
        expect(page.get_by_test_id("offer-device")).to_have_text("Lobby MFP")

    browser.do(back)
    qtbot.waitUntil(lambda: device.maintenance.status.phase is MaintenancePhase.ASSIGNED)


def test_the_keys_wait_for_the_user_to_allow_operation(
    qtbot: QtBot, panel: Panel, browser: Browser, tmp_path: Path
) -> None:
    window, device = panel.window, panel.device
    heard = chat_heard(device)
    in_session(qtbot, panel, browser)

    # Before any answer: keys off, the hint says why; chat and End session work already.
    def waiting(page: Page) -> None:
        expect(page.get_by_test_id("operate-hint")).to_have_text(
            f"{WAITING}: they have not answered yet."
        )
        assert keys_enabled(page) == [False, False, False]
        assert page.get_by_test_id("chat-input").is_enabled()
        assert page.get_by_test_id("end-session").is_enabled()

    browser.do(waiting)

    # Viewing allowed: a live, non-blank picture of the panel, and still no input.
    allow(qtbot, panel, Consent.VIEW)
    browser.do(lambda page: expect(page.locator(CANVAS)).to_have_attribute("data-frames", DRAWN))
    assert browser.do(lambda page: page.evaluate(COLOURS_JS)) > 8

    def view_only(page: Page) -> None:
        expect(page.get_by_test_id("consent-state")).to_have_attribute("data-consent", "view")
        expect(page.get_by_test_id("operate-hint")).to_have_text(
            f"{WAITING}: they allow viewing only."
        )
        assert keys_enabled(page) == [False, False, False]
        assert page.get_by_test_id("key-home").get_attribute("title") == f"{WAITING}."

    browser.do(view_only)
    browser.do(lambda page: page.get_by_test_id("chat-input").fill("Hello, I can see your panel."))
    browser.do(lambda page: page.get_by_test_id("chat-send").click())
    qtbot.waitUntil(lambda: "Hello, I can see your panel." in heard)
    browser.do(lambda page: screenshot(page, tmp_path, "console-waiting.png"))
    jobs_tile = panel_point(window, window.home_screen.tiles["jobs"])
    browser.do(lambda page: click_panel_at(page, jobs_tile))  # a tap goes nowhere
    assert window.current_screen() is window.home_screen
    call = panel.server.relay.call(device.maintenance.status.call_id)
    assert call is not None
    assert (call.inputs, call.refused_inputs) == (0, 0)  # the console sent none

    # Operation allowed: the keys come on, the hint goes; a tap and a key reach the panel.
    allow(qtbot, panel, Consent.OPERATE)

    def operating(page: Page) -> None:
        expect(page.get_by_test_id("consent-state")).to_have_attribute("data-consent", "operate")
        expect(page.get_by_test_id("operate-hint")).to_be_hidden()
        assert keys_enabled(page) == [True, True, True]

    browser.do(operating)
    before = browser.do(lambda page: page.evaluate(PRINT_JS))
    jobs_tile = panel_point(window, window.home_screen.tiles["jobs"])
    browser.do(lambda page: click_panel_at(page, jobs_tile))
    qtbot.waitUntil(lambda: window.current_screen() is window.jobs_screen)
    browser.do(lambda page: until_in_page(page, PRINT_JS, lambda now: now != before))
    browser.do(lambda page: screenshot(page, tmp_path, "console-operating.png"))
    browser.do(lambda page: page.get_by_test_id("key-home").click())
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)

    # The user takes operation back: the keys go off again.
    allow(qtbot, panel, Consent.VIEW)
    browser.do(view_only)

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
    browser.do(lambda page: expect(page.get_by_test_id("operate-hint")).to_be_hidden())
    assert browser.do(keys_enabled) == [False, False, False]
    (entry,) = panel.server.store.maintenance_log()
    assert (entry.operator_id, entry.consent_trail, entry.end_reason) == (
        OPERATOR,
        ["view", "operate", "view"],
        "ended_by_operator",
    )
    assert call.inputs == 2


def test_the_chat_fits_beside_the_panel_and_every_time_is_24_hour(
    qtbot: QtBot, panel: Panel, browser: Browser
) -> None:
    device = panel.device
    in_session(qtbot, panel, browser)
    allow(qtbot, panel, Consent.OPERATE)
    device.maintenance.send_chat("The tray 2 light is blinking.")

    # At 1280x800 the whole live session fits without scrolling: panel, keys and chat.
    def fits(page: Page) -> None:
        expect(page.get_by_test_id("chat-message").filter(has_text="blinking")).to_be_visible()
        for part in ("chat-card", "chat-input", "session-card", "key-home", "end-session"):
            assert inside_the_viewport(page, part), f"{part} is outside the 1280x800 window"
        assert page.evaluate("() => document.documentElement.scrollHeight") <= VIEWPORT["height"]

    browser.do(fits)

    # The page's clock says mid-afternoon in en-US, whose default is "3:05 PM".
    def afternoon(page: Page) -> list[str]:
        shown = [page.get_by_test_id("session-meta").inner_text()]
        shown += page.get_by_test_id("chat-time").all_inner_texts()
        page.get_by_test_id("end-session").click()
        page.get_by_test_id("log-item").wait_for()
        shown.append(page.get_by_test_id("log-item").inner_text())
        return shown

    shown = browser.do(afternoon)
    assert len(shown) >= 4  # the meta, the consent news, the user's line, the log
    for text in shown:
        assert AFTERNOON.search(text), f"no 24-hour afternoon time in {text!r}"
        assert not re.search(r"\b[AP]M\b", text), f"a 12-hour time in {text!r}"
