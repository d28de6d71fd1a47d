"""Scan and Fax (S1): compose a job at the panel, online or offline, and see what the device
said: kept (a toast; held when offline) or refused (the reason, in red, on the screen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support.fake_device import DESTINATIONS, FakeDevice
from support.qt_loop import run

from panel.device.clock import run_until_idle
from panel.device.model import ConnectionState, JobKind, JobState
from panel.ui.screens.scan import EMPTY_TEXT, ScanScreen, default_title
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

OUTBOX_FULL = "The outbox is full: 10,000 jobs are waiting. Send them before adding more."


def click(qtbot: QtBot, widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def tap_destination(qtbot: QtBot, screen: ScanScreen, dest_id: str) -> None:
    at = screen.destination_rect(dest_id).center()
    QTest.mouseClick(screen.destination_list.viewport(), Qt.MouseButton.LeftButton, pos=at)


@pytest.fixture
def scan(qtbot: QtBot, home: PanelWindow) -> PanelWindow:
    click(qtbot, home.home_screen.tiles["scan"])
    assert home.current_screen() is home.scan_screen
    return home


@pytest.fixture
def fax(qtbot: QtBot, home: PanelWindow) -> PanelWindow:
    click(qtbot, home.home_screen.tiles["fax"])
    assert home.current_screen() is home.fax_screen
    return home


# -- scan ---------------------------------------------------------------------------------------
def test_scan_lists_the_cached_destinations(scan: PanelWindow) -> None:
    screen = scan.scan_screen
    model = screen.destination_model
    assert [model.at(row).name for row in range(model.rowCount())] == [  # type: ignore[union-attr]
        d.name for d in DESTINATIONS
    ]
    assert screen.destination_list.isVisible()
    assert not screen.empty_state.isVisible()
    assert screen.selected_destination() is None
    assert not screen.action_button.isEnabled()
    assert screen.hint_label.text() == "Choose where to send the scan."
    assert screen.pages.value() == 1


def test_scan_flow_calls_the_device_with_the_chosen_settings(
    qtbot: QtBot, device: FakeDevice, scan: PanelWindow
) -> None:
    screen = scan.scan_screen
    tap_destination(qtbot, screen, "d-finance")
    assert screen.selected_destination() == DESTINATIONS[0]
    assert screen.action_button.isEnabled()
    assert screen.hint_label.text() == "Sends to Finance share."
    for _ in range(3):
        click(qtbot, screen.pages.plus_button)
    click(qtbot, screen.pages.minus_button)
    assert screen.pages.value_label.text() == "3"
    title = screen.title_label.text()
    assert title == default_title(device.now)

    click(qtbot, screen.action_button)
    qtbot.waitUntil(lambda: scan.toast.isVisible())
    assert device.called("scan_to") == [("d-finance", 3, title)]
    assert scan.toast.text() == "Sending to Finance share…"  # online: it goes at once
    job = device.jobs.all()[0]
    assert (job.kind, job.state, job.destination, job.pages) == (
        JobKind.SCAN,
        JobState.SENDING,
        "Finance share",
        3,
    )
    # Ready for the next sheet: same destination, one page.
    assert screen.selected_destination() == DESTINATIONS[0]
    assert screen.pages.value() == 1
    assert screen.action_button.isEnabled()
    assert scan.current_screen() is screen


def test_scan_offline_is_held_and_says_so(
    qtbot: QtBot, device: FakeDevice, scan: PanelWindow
) -> None:
    device.set_connection(ConnectionState.OFFLINE)
    screen = scan.scan_screen
    assert screen.offline_pill.isVisible()
    tap_destination(qtbot, screen, "d-archive")
    assert "Offline" in screen.hint_label.text()
    click(qtbot, screen.action_button)
    qtbot.waitUntil(lambda: scan.toast.isVisible())
    assert scan.toast.text() == "Held — sends when online"
    assert device.jobs.all()[0].state is JobState.HELD
    scan.flush()  # the status bar and the LEDs follow the outbox once per frame
    assert scan.status_bar.held_label.text() == "1 held"
    assert scan.leds["data"].is_blinking()


def test_the_scan_button_is_disabled_while_the_job_is_being_kept(
    qtbot: QtBot, device: FakeDevice, scan: PanelWindow
) -> None:
    device.hold_composes = True
    screen = scan.scan_screen
    tap_destination(qtbot, screen, "d-alice")
    click(qtbot, screen.action_button)
    assert screen.busy
    assert not screen.action_button.isEnabled()
    assert screen.action_button.text() == "Scanning…"
    assert not screen.pages.isEnabled()
    qtbot.waitUntil(lambda: len(device.called("scan_to")) == 1)  # the device is writing it
    click(qtbot, screen.action_button)  # a second tap does nothing
    run(qtbot, run_until_idle())
    assert len(scan.tasks) == 1
    assert len(device.called("scan_to")) == 1
    device.release_composes()
    qtbot.waitUntil(lambda: not screen.busy)
    assert screen.action_button.isEnabled()
    assert screen.action_button.text() == "Scan"


def test_a_refused_scan_shows_why_in_red(
    qtbot: QtBot, device: FakeDevice, scan: PanelWindow
) -> None:
    device.refuse_compose = OUTBOX_FULL
    screen = scan.scan_screen
    tap_destination(qtbot, screen, "d-finance")
    click(qtbot, screen.pages.plus_button)
    click(qtbot, screen.action_button)
    qtbot.waitUntil(lambda: screen.error_label.isVisible())
    assert screen.error_label.text() == OUTBOX_FULL
    assert screen.error_label.objectName() == "composeError"  # red in the style sheet
    assert screen.error_label.palette().windowText().color().name() == "#c62828"
    assert not screen.hint_label.isVisible()
    assert not scan.toast.isVisible()
    assert device.jobs.all() == []
    # Nothing chosen is lost: the user can try again once the cause is gone.
    assert screen.pages.value() == 2
    assert screen.action_button.isEnabled()
    tap_destination(qtbot, screen, "d-alice")
    assert not screen.error_label.isVisible()


def test_empty_address_book_says_when_it_comes(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow
) -> None:
    device.set_destinations([])
    click(qtbot, home.home_screen.tiles["scan"])
    screen = home.scan_screen
    assert screen.empty_state.isVisible()
    assert screen.empty_label.text() == str(EMPTY_TEXT)
    assert not screen.destination_list.isVisible()
    assert not screen.action_button.isEnabled()
    device.set_destinations(DESTINATIONS[:2])  # CACHE_CHANGED: the address book arrived
    assert screen.destination_list.isVisible()
    assert screen.destination_model.rowCount() == 2


def test_a_changed_address_book_keeps_the_choice(
    qtbot: QtBot, device: FakeDevice, scan: PanelWindow
) -> None:
    screen = scan.scan_screen
    tap_destination(qtbot, screen, "d-archive")
    device.set_destinations(list(reversed(DESTINATIONS)))
    assert screen.selected_destination() == DESTINATIONS[2]
    device.set_destinations(DESTINATIONS[:1])
    assert screen.selected_destination() is None


def test_the_document_name_follows_the_device_clock(device: FakeDevice, scan: PanelWindow) -> None:
    device.now += 3 * 60
    scan.clock.timeout.emit()
    assert scan.scan_screen.title_label.text() == default_title(device.now)


# -- fax ----------------------------------------------------------------------------------------
def dial(qtbot: QtBot, window: PanelWindow, *keys: str) -> None:
    for key in keys:
        click(qtbot, window.fax_screen.dialpad.buttons[key])


def test_dial_keypad_types_the_number(qtbot: QtBot, fax: PanelWindow) -> None:
    screen = fax.fax_screen
    assert not screen.action_button.isEnabled()  # nothing to send to yet
    dial(qtbot, fax, "+", "3", "3", "1", "2", "*", "#")
    assert screen.number() == "+3312*#"
    dial(qtbot, fax, "backspace", "backspace")
    assert screen.number() == "+3312"
    assert screen.action_button.isEnabled()
    dial(qtbot, fax, "clear")
    assert screen.number() == ""
    dial(qtbot, fax, *"0123456789")
    assert screen.number() == "0123456789"


def test_fax_number_from_a_physical_keyboard(
    qtbot: QtBot, device: FakeDevice, fax: PanelWindow
) -> None:
    fax.activateWindow()
    qtbot.waitActive(fax)
    QTest.keyClicks(fax.view, "+33 1x2")  # only dial characters are taken
    assert fax.fax_screen.number() == "+3312"
    QTest.keyClick(fax.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: fax.toast.isVisible())
    assert device.called("send_fax") == [("+3312", 1)]


def test_fax_flow_sends_number_and_pages(
    qtbot: QtBot, device: FakeDevice, fax: PanelWindow
) -> None:
    screen = fax.fax_screen
    dial(qtbot, fax, *"0155501234")
    click(qtbot, screen.pages.plus_button)
    click(qtbot, screen.action_button)
    qtbot.waitUntil(lambda: fax.toast.isVisible())
    assert device.called("send_fax") == [("0155501234", 2)]
    assert fax.toast.text() == "Sending fax to 0155501234…"
    job = device.jobs.all()[0]
    assert (job.kind, job.destination, job.pages) == (JobKind.FAX, "0155501234", 2)
    assert screen.number() == ""  # the next fax starts from a clear number
    assert screen.pages.value() == 1


def test_fax_offline_is_held(qtbot: QtBot, device: FakeDevice, fax: PanelWindow) -> None:
    device.set_connection(ConnectionState.OFFLINE)
    dial(qtbot, fax, *"0155501234")
    click(qtbot, fax.fax_screen.action_button)
    qtbot.waitUntil(lambda: fax.toast.isVisible())
    assert fax.toast.text() == "Held — sends when online"


def test_a_refused_fax_keeps_the_number_and_shows_why(
    qtbot: QtBot, device: FakeDevice, fax: PanelWindow
) -> None:
    device.refuse_compose = "Enter a fax number: digits, and + * # - or spaces."
    screen = fax.fax_screen
    dial(qtbot, fax, "1", "2")
    click(qtbot, screen.action_button)
    qtbot.waitUntil(lambda: screen.error_label.isVisible())
    assert screen.error_label.text() == device.refuse_compose
    assert screen.number() == "12"
    dial(qtbot, fax, "3")  # editing the number clears the refusal
    assert not screen.error_label.isVisible()


def test_send_with_no_number_asks_for_one(
    qtbot: QtBot, device: FakeDevice, fax: PanelWindow
) -> None:
    fax.fax_screen.submit()  # Enter on an empty number
    assert fax.fax_screen.error_label.text() == "Enter the fax number on the keypad."
    assert device.called("send_fax") == []


def test_stepper_stays_between_1_and_50(qtbot: QtBot, fax: PanelWindow) -> None:
    pages = fax.fax_screen.pages
    assert not pages.minus_button.isEnabled()
    pages.set_value(49)
    click(qtbot, pages.plus_button)
    assert pages.value() == 50
    assert not pages.plus_button.isEnabled()
    click(qtbot, pages.plus_button)
    assert pages.value() == 50
    pages.set_value(0)
    assert pages.value() == 1


# -- what is chosen does not outlive the user -----------------------------------------------------
def test_reset_and_logout_forget_the_number_and_the_destination(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow
) -> None:
    home.show_fax()
    dial(qtbot, home, "5", "5")
    home.show_scan()
    tap_destination(qtbot, home.scan_screen, "d-finance")
    click(qtbot, home.keys["reset"])
    assert home.current_screen() is home.home_screen
    assert home.fax_screen.number() == ""
    assert home.scan_screen.selected_destination() is None

    home.show_fax()
    dial(qtbot, home, "7")
    device.sign_in(None)
    assert home.current_screen() is home.login_screen
    assert home.fax_screen.number() == ""


def test_compose_screens_need_a_user(qtbot: QtBot, window: PanelWindow) -> None:
    window.show_scan()
    assert window.current_screen() is window.login_screen
    window.show_fax()
    assert window.current_screen() is window.login_screen


# -- the toast says what became of the job -------------------------------------------------------
def scan_once(qtbot: QtBot, device: FakeDevice, window: PanelWindow) -> str:
    """Scan one page to the Finance share; the new job's id (the toast says "Sending…")."""
    tap_destination(qtbot, window.scan_screen, "d-finance")
    click(qtbot, window.scan_screen.action_button)
    qtbot.waitUntil(lambda: window.toast.isVisible())
    return device.jobs.all()[0].job_id


def test_online_the_toast_says_sent_once_the_server_has_the_scan(
    qtbot: QtBot, device: FakeDevice, scan: PanelWindow
) -> None:
    job_id = scan_once(qtbot, device, scan)
    assert scan.toast.text() == "Sending to Finance share…"
    device.set_state(job_id, JobState.ACCEPTED, "accepted as s-1")
    assert scan.toast.isVisible()
    assert scan.toast.text() == "Sent to Finance share"
    device.set_state(job_id, JobState.COMPLETED)  # said once: later changes say nothing more
    assert scan.toast.text() == "Sent to Finance share"


def test_online_a_scan_that_could_not_go_says_held(
    qtbot: QtBot, device: FakeDevice, scan: PanelWindow
) -> None:
    job_id = scan_once(qtbot, device, scan)
    device.set_state(job_id, JobState.HELD, "not sent: the network went down")
    assert scan.toast.text() == "Held — sends when online"
    device.set_state(job_id, JobState.SENDING)  # the later drain is the job list's business
    device.set_state(job_id, JobState.ACCEPTED)
    assert scan.toast.text() == "Held — sends when online"


def test_a_scan_the_server_refuses_says_why(
    qtbot: QtBot, device: FakeDevice, scan: PanelWindow
) -> None:
    job_id = scan_once(qtbot, device, scan)
    device.set_state(job_id, JobState.FAILED, "the destination no longer exists")
    assert scan.toast.text() == "Not sent: the destination no longer exists"
    assert scan.toast.level == "warning"


def test_a_kept_job_waiting_to_go_is_held_when_the_connection_drops(
    qtbot: QtBot, device: FakeDevice, scan: PanelWindow
) -> None:
    """As the real outbox: kept while online (held, about to be sent), then the link drops."""
    device.held_when_kept = True
    job_id = scan_once(qtbot, device, scan)
    assert device.jobs.by_id[job_id].state is JobState.HELD
    assert scan.toast.text() == "Sending to Finance share…"  # not tried yet: still on its way
    device.set_connection(ConnectionState.OFFLINE)
    assert scan.toast.text() == "Held — sends when online"


def test_a_job_kept_held_while_online_says_sent_once_the_outbox_sent_it(
    qtbot: QtBot, device: FakeDevice, scan: PanelWindow
) -> None:
    """Issue 11: every scan said "Held" although the panel was online and the server took it."""
    device.held_when_kept = True
    job_id = scan_once(qtbot, device, scan)
    assert scan.toast.text() == "Sending to Finance share…"
    device.set_state(job_id, JobState.SENDING)
    assert scan.toast.text() == "Sending to Finance share…"
    device.set_state(job_id, JobState.ACCEPTED)
    assert scan.toast.text() == "Sent to Finance share"


def test_a_fax_sent_online_says_sent(qtbot: QtBot, device: FakeDevice, fax: PanelWindow) -> None:
    dial(qtbot, fax, *"0155501234")
    click(qtbot, fax.fax_screen.action_button)
    qtbot.waitUntil(lambda: fax.toast.isVisible())
    assert fax.toast.text() == "Sending fax to 0155501234…"
    device.set_state(device.jobs.all()[0].job_id, JobState.ACCEPTED)
    assert fax.toast.text() == "Fax sent to 0155501234"


def test_the_outcome_is_not_told_to_the_next_user(
    qtbot: QtBot, device: FakeDevice, scan: PanelWindow
) -> None:
    job_id = scan_once(qtbot, device, scan)
    scan.toast.hide()
    device.sign_in(None)
    device.set_state(job_id, JobState.ACCEPTED)
    assert not scan.toast.isVisible()
