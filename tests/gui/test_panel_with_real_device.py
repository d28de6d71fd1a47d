"""The panel over the real device core and a real server on a real socket (the glue layer).

Synchronous pytest-qt tests, like the rest of this folder: the server and the device run as
tasks on the session's qasync loop, and qtbot's waits (which process Qt events) drive them.
Taps go through the scaled touchscreen view, as a finger's would. The network is pulled by
stopping the server, and restored by starting it again on the same port and data dir (as
tests/integration/test_offline_hold.py's `Link` does).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support import ALICE, submit
from support.panel_touch import finger, log_in_with_keypad, logged_in
from support.qt_loop import run
from support.real_panel import RealPanel, open_real_panel

from panel.device import Event, EventKind, Job, JobKind, JobState
from panel.protocol.messages import Destination
from panel.ui.screens.jobs import HELD_NOTE, JobRowHandle
from panel.ui.window import OFFLINE_LOGIN_TOAST, PanelWindow

pytestmark = pytest.mark.gui

AP = Destination("d-ap", "Accounts Payable", "email", "ap@example.com")


@pytest.fixture
def stack(qtbot: QtBot, tmp_path: Path) -> Iterator[RealPanel]:
    # 120 pages a minute: a job of a few pages takes a couple of seconds, time to watch and Stop.
    stack = open_real_panel(qtbot, tmp_path, "Glue MFP", (AP,), ppm=120.0)
    yield stack
    stack.close()


def row(window: PanelWindow, job_id: str) -> JobRowHandle:
    found = window.jobs_screen.row_of(job_id)
    assert found is not None, f"job {job_id} is not in the job list"
    return found


def test_keypad_login_then_a_pushed_job_prints_to_completion(
    qtbot: QtBot, stack: RealPanel
) -> None:
    window = stack.window
    assert window.status_bar.connection_label.text().lower().startswith("online")
    logged_in(qtbot, window)
    assert "Alice Martin" in window.status_bar.user_label.text()

    finger(window, window.home_screen.tiles["jobs"])
    assert window.current_screen() is window.jobs_screen
    job = run(qtbot, submit(stack.server, ALICE, "Glue report", pages=3))
    qtbot.waitUntil(lambda: window.jobs_screen.row_of(job.job_id) is not None)
    shown = row(window, job.job_id)
    qtbot.waitUntil(lambda: "of 3" in shown.progress_text, timeout=5000)
    assert window.leds["data"].is_on()
    qtbot.waitUntil(lambda: shown.badge.lower() == "completed", timeout=10_000)
    assert stack.state(job.job_id) is JobState.COMPLETED
    qtbot.waitUntil(lambda: stack.server_state(job.job_id) == "completed")
    qtbot.waitUntil(lambda: not window.leds["data"].is_on())


def test_wrong_pin_is_refused_on_the_panel(qtbot: QtBot, stack: RealPanel) -> None:
    window = stack.window
    log_in_with_keypad(window, ALICE, "0000")
    qtbot.waitUntil(lambda: window.login_screen.error_label.text() != "")
    assert window.login_screen.error_label.text() == "Wrong user ID or PIN."
    assert window.current_screen() is window.login_screen
    assert window.login_screen.pin_field.text() == ""


def test_stop_cancels_the_printing_job_and_the_server_hears(qtbot: QtBot, stack: RealPanel) -> None:
    window = stack.window
    logged_in(qtbot, window)
    job = run(qtbot, submit(stack.server, ALICE, "Long run", pages=40))
    qtbot.waitUntil(lambda: stack.state(job.job_id) is JobState.PRINTING)
    QTest.mouseClick(window.keys["stop"], Qt.MouseButton.LeftButton)
    assert stack.state(job.job_id) is JobState.CANCELLED
    assert "cancelled" in window.toast.text()
    qtbot.waitUntil(lambda: stack.server_state(job.job_id) == "cancelled")


def test_logout_key_returns_to_login_and_the_server_forgets_the_session(
    qtbot: QtBot, stack: RealPanel
) -> None:
    window = stack.window
    logged_in(qtbot, window)
    assert stack.server.store.device_of_user(ALICE) == stack.device.device_id
    QTest.mouseClick(window.keys["login"], Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.login_screen
    assert stack.device.user is None
    qtbot.waitUntil(lambda: stack.server.store.device_of_user(ALICE) is None)


# -- offline hold (S1), issue 3's acceptance on the panel ----------------------------------------
def scan_on_the_panel(qtbot: QtBot, window: PanelWindow) -> Job:
    """Tap Scan on the Scan screen; return the job the panel's list gained (the newest)."""
    model = window.jobs_screen.model
    before = model.rowCount()
    finger(window, window.scan_screen.action_button)
    qtbot.waitUntil(lambda: model.rowCount() == before + 1 and not window.scan_screen.busy)
    job = model.job_at(0)
    assert job is not None
    return job


def test_scans_composed_offline_are_held_then_accepted_once_in_order(
    qtbot: QtBot, stack: RealPanel
) -> None:
    window, device = stack.window, stack.device
    status, data, scan = window.status_bar, window.leds["data"], window.scan_screen
    logged_in(qtbot, window)
    # The address book has arrived: it is in the device's cache, which works offline.
    qtbot.waitUntil(lambda: scan.destination_model.row_of(AP.dest_id) >= 0)

    stack.server_down()
    assert window.leds["attention"].is_on()

    finger(window, window.home_screen.tiles["scan"])
    assert window.current_screen() is scan
    assert scan.offline_pill.isVisible()
    finger(window, scan.destination_list.viewport(), scan.destination_rect(AP.dest_id).center())
    assert scan.selected_destination() == AP
    assert scan.hint_label.text().startswith("Sends to Accounts Payable. Offline:")
    finger(window, scan.pages.plus_button)
    finger(window, scan.pages.plus_button)
    assert scan.pages.value() == 3
    first = scan_on_the_panel(qtbot, window)
    assert window.toast.isVisible()
    assert window.toast.text() == HELD_NOTE == "Held — sends when online"
    assert (first.kind, first.pages, first.destination) == (JobKind.SCAN, 3, AP.name)
    window.flush()  # the panel draws bursts of changes together (at most every 50 ms)
    assert status.held_label.isVisible()
    assert status.held_label.text() == "1 held"
    assert data.is_blinking()

    finger(window, scan.back_button)
    finger(window, window.home_screen.tiles["jobs"])
    assert window.current_screen() is window.jobs_screen
    held = row(window, first.job_id)
    assert (held.badge, held.note) == ("Held", HELD_NOTE)
    assert held.meta == f"{ALICE}  ·  Scan  ·  3 pages  ·  to Accounts Payable"

    # A second one: the Scan screen kept the destination; one page this time.
    finger(window, window.jobs_screen.back_button)
    finger(window, window.home_screen.tiles["scan"])
    assert scan.selected_destination() == AP
    assert scan.pages.value() == 1
    second = scan_on_the_panel(qtbot, window)
    window.flush()
    assert status.held_label.text() == "2 held"
    assert data.is_blinking()
    finger(window, scan.back_button)
    finger(window, window.home_screen.tiles["jobs"])
    assert window.jobs_screen.titles() == [second.title, first.title]
    assert [row(window, j.job_id).badge for j in (first, second)] == ["Held", "Held"]

    # What the panel shows as each job is accepted (the window has handled the event first).
    accepted: list[str] = []

    def watch(event: Event) -> None:
        job = event.subject
        assert isinstance(job, Job)
        if job.state is JobState.ACCEPTED:
            assert row(window, job.job_id).badge == "Accepted"
            accepted.append(job.job_id)

    unsubscribe = device.events.subscribe(watch, EventKind.JOB_STATE_CHANGED)
    try:
        server = stack.server_up()
        qtbot.waitUntil(lambda: len(accepted) == 2, timeout=10_000)
    finally:
        unsubscribe()
    assert accepted == [first.job_id, second.job_id]  # in the order they were composed
    for job in (first, second):
        shown = row(window, job.job_id)
        assert (shown.badge, shown.note, shown.can_cancel) == ("Accepted", "", False)
    # The drain's last outbox event ends it; the panel shows that at the end of the frame.
    qtbot.waitUntil(lambda: not window.drain_banner.isVisible())
    qtbot.waitUntil(lambda: not status.held_label.isVisible())
    assert not data.is_blinking()
    assert not data.is_on()  # accepted is final: no work left for the device
    qtbot.waitUntil(lambda: status.connection_label.text() == "Online", timeout=5000)
    assert not window.leds["attention"].is_on()

    ledger = server.store.ledger(device.device_id)
    assert [entry.key for entry in ledger] == [first.job_id, second.job_id]
    assert [entry.executions for entry in ledger] == [1, 1]  # each key executed exactly once
    outgoing = server.store.outgoing_jobs(device.device_id)
    assert [(o.key, o.pages, o.destination) for o in outgoing] == [
        (first.job_id, 3, AP.dest_id),
        (second.job_id, 1, AP.dest_id),
    ]


def test_offline_login_on_the_panel_says_so(qtbot: QtBot, stack: RealPanel) -> None:
    window = stack.window
    logged_in(qtbot, window)  # online: the device keeps a slow hash of the PIN that worked
    assert not window.toast.isVisible()
    qtbot.waitUntil(lambda: stack.device.store.credential(ALICE) is not None)
    QTest.mouseClick(window.keys["login"], Qt.MouseButton.LeftButton)  # log out
    assert window.current_screen() is window.login_screen

    stack.server_down()
    logged_in(qtbot, window)
    assert window.toast.isVisible()
    assert window.toast.text() == str(OFFLINE_LOGIN_TOAST)
    assert window.status_bar.user_label.text() == "Alice Martin"
    assert window.status_bar.connection_label.text() != "Online"
