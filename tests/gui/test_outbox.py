"""Offline hold (S1) on the panel: the held count, the blinking Data LED, the drain banner,
the offline login, and held jobs going held -> sending -> accepted in the job list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice

from panel.device.events import Event, EventKind
from panel.device.model import ConnectionState, JobKind, JobState, OutboxStats
from panel.ui.widgets import Led
from panel.ui.window import OFFLINE_LOGIN_TOAST, PanelWindow

pytestmark = pytest.mark.gui


def blink_once(led: Led) -> None:
    """One half-period of the blink, without waiting for it."""
    led.blink_timer.timeout.emit()


# -- Data LED ------------------------------------------------------------------------------------
def test_data_led_blinks_while_jobs_are_held(device: FakeDevice, window: PanelWindow) -> None:
    data = window.leds["data"]
    assert not data.is_on()
    device.set_outbox(OutboxStats(held=3))
    window.flush()  # the LEDs follow the outbox once per frame
    assert data.is_on()
    assert data.is_blinking()
    assert data.blink_timer.interval() == 500  # lit half a second, dark half a second: 1 Hz
    assert data.is_lit()
    blink_once(data)
    assert not data.is_lit()
    blink_once(data)
    assert data.is_lit()
    # More events while held: the rhythm goes on, it does not restart.
    phase = data.is_lit()
    device.set_outbox(OutboxStats(held=2))
    window.flush()
    assert data.is_blinking()
    assert data.is_lit() == phase

    device.set_outbox(OutboxStats())
    window.flush()
    assert not data.is_on()
    assert not data.is_blinking()
    assert not data.is_lit()


def test_data_led_is_steady_for_other_work_and_blinks_over_it(
    device: FakeDevice, window: PanelWindow
) -> None:
    data = window.leds["data"]
    printing = device.add_job("Report", JobState.PRINTING)
    window.flush()
    assert data.is_on()
    assert not data.is_blinking()
    device.set_outbox(OutboxStats(held=1))
    window.flush()
    assert data.is_blinking()
    device.set_outbox(OutboxStats())
    window.flush()
    assert data.is_on()
    assert not data.is_blinking()
    assert data.is_lit()
    device.set_state(printing.job_id, JobState.COMPLETED)
    window.flush()
    assert not data.is_on()


def test_leds_and_held_count_start_from_the_outbox(make_window: object) -> None:
    device = FakeDevice(outbox_stats=OutboxStats(held=4))
    window = make_window(dev=device)  # type: ignore[operator]
    assert window.leds["data"].is_blinking()
    assert window.status_bar.held_label.text() == "4 held"


# -- drain banner --------------------------------------------------------------------------------
def test_drain_banner_shows_progress_and_hides_when_done(
    device: FakeDevice, window: PanelWindow
) -> None:
    banner = window.drain_banner
    assert not banner.isVisible()
    device.set_outbox(OutboxStats(held=28, sending=12, drain_done=12, drain_total=40))
    window.flush()  # the banner follows the outbox once per frame
    assert banner.isVisible()
    assert banner.label.text() == "Sending held jobs — 12 of 40"
    assert (banner.bar.value(), banner.bar.maximum()) == (12, 40)
    # It sits between the status bar and the screen, over nothing.
    assert banner.geometry().top() == window.status_bar.geometry().bottom() + 1
    device.set_outbox(OutboxStats(held=0, drain_done=40, drain_total=40))
    window.flush()
    assert banner.label.text() == "Sending held jobs — 40 of 40"
    device.set_outbox(OutboxStats())
    window.flush()
    assert not banner.isVisible()


# -- offline login -------------------------------------------------------------------------------
def test_offline_login_says_the_pin_was_checked_here(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    device.set_connection(ConnectionState.OFFLINE)
    screen = window.login_screen
    screen.user_field.setText("1001")
    screen.pin_field.setText("1234")
    QTest.mouseClick(screen.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    qtbot.waitUntil(window.toast.isVisible)  # shown when the login call returns
    assert window.toast.text() == str(OFFLINE_LOGIN_TOAST)
    assert str(OFFLINE_LOGIN_TOAST) == "Logged in offline — your PIN was checked on this device"


def test_online_login_shows_no_toast(qtbot: QtBot, device: FakeDevice, window: PanelWindow) -> None:
    screen = window.login_screen
    screen.user_field.setText("1001")
    screen.pin_field.setText("1234")
    QTest.mouseClick(screen.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    assert not window.toast.isVisible()


# -- the whole story -----------------------------------------------------------------------------
def test_jobs_composed_offline_drain_in_order_when_the_link_returns(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow
) -> None:
    device.set_connection(ConnectionState.OFFLINE)
    home.show_scan()
    scan = home.scan_screen
    scan.select_destination("d-finance")
    for pages in (1, 2, 3):
        scan.pages.set_value(pages)
        QTest.mouseClick(scan.action_button, Qt.MouseButton.LeftButton)

        def made(n: int = pages) -> bool:
            return len(device.jobs.all()) == n

        qtbot.waitUntil(made)
        qtbot.waitUntil(lambda: not scan.busy)
    home.flush()
    assert home.status_bar.held_label.text() == "3 held"
    assert home.leds["data"].is_blinking()
    home.show_jobs()
    rows = [home.jobs_screen.row_of(job.job_id) for job in device.jobs.all()]
    assert all(row is not None and row.badge == "Held" for row in rows)
    assert rows[0] is not None
    assert rows[0].note == "Held — sends when online"

    badges: list[str] = []
    banner: list[str] = []

    def watch(event: Event) -> None:
        """What the panel shows once it has caught up with each event (the window has taken it
        already; it would show it at the end of the frame)."""
        home.flush()
        if event.kind is EventKind.OUTBOX_CHANGED:
            if home.drain_banner.isVisible():
                banner.append(home.drain_banner.label.text())
        else:
            row = home.jobs_screen.row_of(event.subject.job_id)
            assert row is not None
            badges.append(f"{event.subject.pages}p {row.badge}")

    device.events.subscribe(watch, EventKind.OUTBOX_CHANGED, EventKind.JOB_STATE_CHANGED)
    device.set_connection(ConnectionState.ONLINE)
    device.drain(batch=2)
    assert badges == [  # oldest first, in batches of two
        "1p Sending",
        "2p Sending",
        "1p Accepted",
        "2p Accepted",
        "3p Sending",
        "3p Accepted",
    ]
    assert banner == [
        "Sending held jobs — 0 of 3",
        "Sending held jobs — 2 of 3",
        "Sending held jobs — 2 of 3",
        "Sending held jobs — 3 of 3",
    ]
    home.flush()
    assert not home.drain_banner.isVisible()
    assert not home.status_bar.held_label.isVisible()
    assert not home.leds["data"].is_on()
    assert [job.state for job in device.jobs.all()] == [JobState.ACCEPTED] * 3
    assert [job.kind for job in device.jobs.all()] == [JobKind.SCAN] * 3
    assert ALICE.user_id in rows[0].meta


def test_cancelling_a_held_job_takes_it_out_of_the_outbox(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow
) -> None:
    (job,) = device.hold_outgoing(1, kind=JobKind.FAX)
    home.show_jobs()
    screen = home.jobs_screen
    at = screen.cancel_rect(job.job_id).center()
    QTest.mouseClick(screen.list_view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert device.called("cancel_job") == [(job.job_id,)]
    row = screen.row_of(job.job_id)
    assert row is not None
    assert row.badge == "Cancelled"
    home.flush()
    assert not home.status_bar.held_label.isVisible()
    assert not home.leds["data"].is_on()
