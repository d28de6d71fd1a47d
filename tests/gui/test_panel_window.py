"""The panel shell: status bar, hardware keys, LEDs, toasts, scaling, first paint."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import pytest
from PySide6.QtCore import QPoint, QRectF, QSize, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice
from support.qt_loop import run

from panel.device.clock import run_until_idle
from panel.device.model import ConnectionState, JobState, LoginResult, OutboxStats, PrinterState
from panel.ui.window import SCREEN_SIZES, PanelWindow

WindowFactory = Callable[..., PanelWindow]

pytestmark = pytest.mark.gui


def has_size(window: PanelWindow, size: QSize) -> bool:
    return window.size() == size


# -- status bar ----------------------------------------------------------------------------------
def test_status_bar_shows_device_user_connection_and_clock(
    device: FakeDevice, window: PanelWindow
) -> None:
    status = window.status_bar
    assert status.device_label.text() == "MFP-3F-East"
    assert status.user_label.text() == "Not logged in"
    assert status.connection_label.text() == "Online"
    assert status.clock_label.text() == time.strftime("%H:%M:%S", time.localtime(device.now))

    device.sign_in(ALICE)
    assert status.user_label.text() == "Alice Martin"
    device.set_connection(ConnectionState.OFFLINE)
    assert status.connection_label.text() == "Offline"
    assert status.connection_label.property("state") == "offline"

    # The device clock (a demo clock may run fast) drives the display, read once a second.
    assert window.clock.isActive()
    assert window.clock.interval() == 1000
    device.now += 3600 + 61
    window.clock.timeout.emit()  # one tick, without waiting a real second
    assert status.clock_label.text() == time.strftime("%H:%M:%S", time.localtime(device.now))


def test_status_bar_counts_the_outbox_held_jobs(device: FakeDevice, window: PanelWindow) -> None:
    held = window.status_bar.held_label
    assert not held.isVisible()
    device.set_outbox(OutboxStats(held=3, bytes_held=3000))
    assert not held.isVisible()  # the status bar shows the outbox at the end of the frame
    window.flush()
    assert held.isVisible()
    assert held.text() == "3 held"
    device.set_outbox(OutboxStats(held=1, sending=2, drain_done=0, drain_total=3))
    window.flush()
    assert held.text() == "1 held"
    device.set_outbox(OutboxStats())
    window.flush()
    assert not held.isVisible()


# -- hardware keys -------------------------------------------------------------------------------
def test_stop_cancels_the_printing_job(qtbot: QtBot, device: FakeDevice, home: PanelWindow) -> None:
    device.add_job("Queued one", JobState.QUEUED)
    printing = device.add_job("Quarterly report", JobState.PRINTING, pages=10)
    QTest.mouseClick(home.keys["stop"], Qt.MouseButton.LeftButton)
    assert device.called("cancel_current_job") == [()]
    assert printing.state is JobState.CANCELLED
    assert home.toast.isVisible()
    assert "Quarterly report" in home.toast.text()
    assert "cancelled" in home.toast.text()


def test_stop_with_nothing_printing_says_so(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    QTest.mouseClick(window.keys["stop"], Qt.MouseButton.LeftButton)
    assert device.called("cancel_current_job") == [()]
    assert window.toast.text() == "Nothing is printing."


def test_logout_key_logs_out_and_shows_login(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow
) -> None:
    key = home.keys["login"]
    assert key.text() == "Logout"
    home.show_jobs()
    QTest.mouseClick(key, Qt.MouseButton.LeftButton)
    assert device.called("logout") == [()]
    assert home.current_screen() is home.login_screen
    assert key.text() == "Login"
    assert home.status_bar.user_label.text() == "Not logged in"


def test_login_key_when_logged_out_shows_login(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    QTest.mouseClick(window.keys["home"], Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.login_screen  # Home needs a user
    QTest.mouseClick(window.keys["login"], Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.login_screen
    assert device.calls == []


def test_home_key_returns_home(qtbot: QtBot, home: PanelWindow) -> None:
    home.show_jobs()
    QTest.mouseClick(home.keys["home"], Qt.MouseButton.LeftButton)
    assert home.current_screen() is home.home_screen


def test_session_ended_elsewhere_returns_to_login(device: FakeDevice, home: PanelWindow) -> None:
    device.sign_in(None)  # e.g. an auto-logout in the core
    assert home.current_screen() is home.login_screen


def test_reset_clears_input(qtbot: QtBot, window: PanelWindow) -> None:
    screen = window.login_screen
    screen.user_field.setText("1001")
    screen.select_field(screen.pin_field)
    screen.pin_field.setText("12")
    screen.show_refusal("Wrong user ID or PIN.")
    QTest.mouseClick(window.keys["reset"], Qt.MouseButton.LeftButton)
    assert (screen.user_field.text(), screen.pin_field.text(), screen.error_label.text()) == (
        "",
        "",
        "",
    )
    assert screen.active_field is screen.user_field
    assert window.current_screen() is screen


def test_reset_when_logged_in_goes_home(qtbot: QtBot, home: PanelWindow) -> None:
    home.show_jobs()
    QTest.mouseClick(home.keys["reset"], Qt.MouseButton.LeftButton)
    assert home.current_screen() is home.home_screen


def test_hardware_keys_do_not_steal_keyboard_focus(window: PanelWindow) -> None:
    assert all(key.focusPolicy() is Qt.FocusPolicy.NoFocus for key in window.keys.values())


# -- notices -----------------------------------------------------------------------------------
def test_notice_events_show_as_toasts(device: FakeDevice, window: PanelWindow) -> None:
    device.notice("Tray 2 is low on paper.", "warning")
    assert window.toast.isVisible()
    assert window.toast.text() == "Tray 2 is low on paper."
    assert window.toast.level == "warning"
    device.notice("Toner is empty.", "error")
    assert window.toast.text() == "Toner is empty."
    assert window.toast.level == "error"
    toast = window.toast.geometry()
    assert window.touchscreen.rect().contains(toast)


# -- LEDs --------------------------------------------------------------------------------------
def test_power_led_is_on(window: PanelWindow) -> None:
    assert window.leds["power"].is_on()


def test_data_led_follows_unfinished_jobs(device: FakeDevice, window: PanelWindow) -> None:
    data = window.leds["data"]
    assert not data.is_on()
    held = device.add_job("Pass", JobState.HELD)
    window.flush()  # the LEDs follow the job events once per frame
    assert data.is_on()
    printing = device.add_job("Report", JobState.PRINTING)
    device.set_state(held.job_id, JobState.CANCELLED)
    window.flush()
    assert data.is_on()
    device.set_state(printing.job_id, JobState.COMPLETED)
    window.flush()
    assert not data.is_on()
    device.add_job("Queued", JobState.QUEUED)
    window.flush()
    assert data.is_on()
    device.remove_job(next(iter(device.jobs.by_id)))  # removing a finished job changes nothing
    window.flush()
    assert data.is_on()


def test_attention_led_follows_connection_printer_and_failures(
    device: FakeDevice, window: PanelWindow
) -> None:
    attention = window.leds["attention"]
    assert not attention.is_on()
    device.set_connection(ConnectionState.OFFLINE)
    assert attention.is_on()
    device.set_connection(ConnectionState.CONNECTING)
    assert not attention.is_on()
    device.set_connection(ConnectionState.ONLINE)
    device.set_printer(PrinterState.STOPPED)
    assert attention.is_on()
    device.set_printer(PrinterState.IDLE)
    assert not attention.is_on()
    job = device.add_job("Invoice", JobState.PRINTING)
    device.set_state(job.job_id, JobState.FAILED, "Paper jam")
    window.flush()  # failures light it at the end of the frame
    assert attention.is_on()
    device.remove_job(job.job_id)
    window.flush()
    assert not attention.is_on()


def test_leds_start_from_the_device_state(make_window: WindowFactory) -> None:
    device = FakeDevice(connection_state=ConnectionState.OFFLINE)
    device.add_job("Pass", JobState.HELD)
    window = make_window(dev=device)
    assert window.leds["attention"].is_on()
    assert window.leds["data"].is_on()
    assert window.status_bar.connection_label.text() == "Offline"


# -- the touchscreen scales into the window ------------------------------------------------------
@pytest.mark.parametrize("screen", SCREEN_SIZES)
def test_screen_keeps_its_resolution_and_scales_to_the_window(
    qtbot: QtBot, make_window: WindowFactory, screen: tuple[int, int]
) -> None:
    window = make_window(screen)
    view = window.view
    assert window.touchscreen.size() == QSize(*screen)
    for size in (QSize(900, 600), QSize(1400, 800), QSize(1000, 900)):
        window.resize(size)
        qtbot.waitUntil(partial(has_size, window, size))
        viewport = view.viewport().size()
        factor = min(viewport.width() / screen[0], viewport.height() / screen[1])
        assert view.scale_factor() == pytest.approx(factor)
        shown = view.mapFromScene(QRectF(0, 0, *screen)).boundingRect()
        assert view.viewport().rect().adjusted(-1, -1, 1, 1).contains(shown)
        # One side fills the view; the screen is centred along the other.
        assert max(shown.width() / viewport.width(), shown.height() / viewport.height()) > 0.99
        assert window.touchscreen.size() == QSize(*screen)


@pytest.mark.parametrize("screen", SCREEN_SIZES)
def test_taps_on_the_scaled_screen_reach_the_right_key(
    qtbot: QtBot, make_window: WindowFactory, screen: tuple[int, int]
) -> None:
    window = make_window(screen)
    window.resize(QSize(1180, 620))
    qtbot.waitUntil(lambda: window.size() == QSize(1180, 620))
    assert window.view.scale_factor() != pytest.approx(1.0)
    keypad = window.login_screen.keypad
    for digit in "2580":
        at: QPoint = window.view.map_from_content(keypad.buttons[digit])
        QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert window.login_screen.user_field.text() == "2580"


def test_screen_size_must_be_positive(device: FakeDevice) -> None:
    with pytest.raises(ValueError, match="positive"):
        PanelWindow(device, screen=(0, 600))


# -- first paint, closing -----------------------------------------------------------------------
def test_login_painted_fires_once_from_a_real_paint(qtbot: QtBot, device: FakeDevice) -> None:
    window = PanelWindow(device)
    qtbot.addWidget(window)
    seen: list[None] = []
    window.login_painted.connect(lambda: seen.append(None))
    assert seen == []  # building is not painting
    with qtbot.waitSignal(window.login_painted, timeout=5000):
        window.show()
    device.sign_in(ALICE)
    device.sign_in(None)
    window.login_screen.repaint()
    run(qtbot, run_until_idle())
    assert seen == [None]


def test_closing_stops_observing_the_device(device: FakeDevice, window: PanelWindow) -> None:
    jobs = window.jobs_screen  # the list the panel was showing
    window.close()
    device.add_job("after close", JobState.QUEUED)
    assert "after close" not in jobs.titles()
    assert not window.clock.isActive()


def _submit_login(window: PanelWindow) -> None:
    screen = window.login_screen
    screen.user_field.setText("1001")
    screen.pin_field.setText("1234")
    QTest.mouseClick(screen.ok_button, Qt.MouseButton.LeftButton)


def test_closing_ends_the_work_the_window_started(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    device.hold_logins = True
    _submit_login(window)
    (login,) = window.tasks.tasks  # the PIN is being checked
    assert window.login_screen.checking
    window.close()
    closing = window.tasks_closed
    assert closing is not None
    qtbot.waitUntil(closing.done)
    assert login.cancelled()
    assert len(window.tasks) == 0
    with pytest.raises(RuntimeError, match="closed"):
        _ = window.tasks.spawn(device.login("1001", "1234"), "login after close")


@pytest.mark.expect_errors(logger="panel.tasks", match="core broke")
def test_a_failing_login_is_shown_and_reported(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(user_id: str, pin: str) -> LoginResult:
        raise RuntimeError("core broke")

    monkeypatch.setattr(device, "login", broken)
    _submit_login(window)
    screen = window.login_screen
    qtbot.waitUntil(lambda: not screen.checking)
    assert screen.error_label.text() == "Login is not possible right now. Try again."
    assert window.current_screen() is screen
    qtbot.waitUntil(lambda: len(window.tasks) == 0)  # the owner has reported it
