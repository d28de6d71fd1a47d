"""The operator console's device status card (issue 14, acceptance 2) in headless Chromium: a
device jams, runs low on cyan toner and empties a tray, then calls for maintenance; the operator
sees, beside the call's request details, the device's state, its error and warning codes with
their messages, tray and toner levels and counters, as the device reported them to the server;
the jam cleared at the device leaves the card within its refresh.

Real parts: the server and its relay on a loopback port, a device core (no panel window: the
call is made through its maintenance client with the codes the panel would send), the console
in Chromium. With MFP_CONSOLE_SCREENSHOTS set to a folder (docs/screenshots), the card's
screenshot is kept there as console-device-status.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytestqt.qtbot import QtBot
from support import ALICE, device_config, running_server, submit
from support.console_support import Browser, screenshot
from support.qt_loop import run

from panel.device import ConnectionState, Device, JobState
from panel.device.attention import error_codes
from panel.device.maintenance import MaintenancePhase, PanelState
from panel.server.app import RunningServer
from panel.server.demo_data import DEMO_OPERATORS

pytestmark = pytest.mark.browser

OPERATOR, OPERATOR_NAME, PASSWORD = DEMO_OPERATORS[0]
HEIGHT = "() => document.documentElement.scrollHeight"


@pytest.fixture
def stack(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[RunningServer, Device]]:
    server = run(qtbot, running_server(tmp_path))
    server.store.add_operator(OPERATOR, OPERATOR_NAME, PASSWORD)
    device = Device(device_config(server, tmp_path / "device", "Lobby MFP"))
    run(qtbot, device.start())
    try:
        qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE)
        yield server, device
    finally:
        run(qtbot, device.stop())
        run(qtbot, server.stop())


def server_codes(server: RunningServer, device: Device) -> list[str]:
    status = server.store.device_status(device.device_id, "").status
    return [] if status is None else [r.code for r in status.reasons]


def log_in(page: Page, url: str) -> None:
    page.goto(f"{url}/operator")
    page.get_by_test_id("login-operator").fill(OPERATOR)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("offer-card").wait_for()


def test_the_request_details_show_the_calling_devices_status(
    qtbot: QtBot, stack: tuple[RunningServer, Device], browser: Browser, tmp_path: Path
) -> None:
    server, device = stack
    engine = device.engine
    job = run(qtbot, submit(server, ALICE, "Quarterly report", 7, device.device_id))
    qtbot.waitUntil(
        lambda: (
            (done := device.jobs.get(job.job_id)) is not None and done.state is JobState.COMPLETED
        )
    )
    assert engine.status().counters.total == 7
    jam = engine.jam("tray-1")
    engine.set_toner("cyan", 8)
    engine.set_tray("tray-2", 0)
    qtbot.waitUntil(lambda: "J-0101" in server_codes(server, device), timeout=10_000)
    codes = error_codes(engine.status(), device.connection_state, False)
    assert codes[0] == "J-0101"
    panel = PanelState(screen="home", width=1024, height=600, printer_state="stopped")
    run(qtbot, device.maintenance.request("Paper jam", "Jammed twice today", codes, panel))
    qtbot.waitUntil(lambda: device.maintenance.status.phase is not MaintenancePhase.CALLING)
    shown = engine.status()
    cyan = next(t for t in shown.toner if t.colour == "cyan")
    tray1 = next(t for t in shown.trays if t.tray_id == "tray-1")

    def the_card(page: Page) -> None:
        log_in(page, server.url)
        expect(page.get_by_test_id("offer-details")).to_contain_text("J-0101")
        card = page.get_by_test_id("device-status")
        expect(card).to_be_visible()
        expect(page.get_by_test_id("device-status-title")).to_have_text("Device status — Lobby MFP")
        expect(page.get_by_test_id("device-status-state")).to_have_text("Stopped")
        reason = card.locator("[data-code='J-0101']")
        expect(reason).to_contain_text(jam.message)
        expect(reason).to_contain_text("media-jam-error · tray-1")
        for code in codes:
            if code.startswith(("J-", "T-", "M-", "C-")):
                expect(card.locator(f"[data-code='{code}']")).to_be_visible()
        expect(card.locator("[data-toner=cyan]")).to_contain_text(f"{cyan.level_pct}%")
        expect(card.locator("[data-tray=tray-1]")).to_contain_text(
            f"{tray1.level} / {tray1.capacity}"
        )
        expect(card.locator("[data-tray=tray-2]")).to_contain_text("empty")
        expect(card.locator("[data-counter=total]")).to_have_text(str(shown.counters.total))
        expect(page.get_by_test_id("ds-faults")).to_contain_text("J-0101")
        # the card stands in for the live panel, a click from each other, and takes no more
        # room: the console is as tall as without it
        with_card = page.evaluate(HEIGHT)
        screenshot(page, tmp_path, "console-device-status.png")
        page.get_by_test_id("show-live-panel").click()
        expect(card).to_be_hidden()
        expect(page.get_by_test_id("session-card")).to_be_visible()
        assert with_card <= page.evaluate(HEIGHT)
        page.get_by_test_id("show-device-status").click()
        expect(card).to_be_visible()
        expect(page.get_by_test_id("session-card")).to_be_hidden()

    browser.do(the_card)
    assert (tmp_path / "console-device-status.png").stat().st_size > 10_000

    assert engine.clear("J-0101")
    qtbot.waitUntil(lambda: "J-0101" not in server_codes(server, device), timeout=10_000)

    def jam_gone(page: Page) -> None:
        card = page.get_by_test_id("device-status")
        expect(card.locator("[data-code='J-0101']")).to_have_count(0, timeout=10_000)
        expect(page.get_by_test_id("device-status-state")).not_to_have_text("Stopped")
        expect(page.get_by_test_id("ds-faults")).to_contain_text("J-0101")  # history keeps it

    browser.do(jam_gone)
