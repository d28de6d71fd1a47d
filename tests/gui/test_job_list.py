"""The job list follows the device's job events live: rows appear, change and go.

Rows are painted by a delegate (no widget per job); tests reach one by job id with
`jobs_screen.row_of(job_id)`, a live handle on what the row shows, and tap its Cancel area
through the list's viewport.
"""

from __future__ import annotations

import pytest
from fake_device import ALICE, FakeDevice
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from panel.device.model import JobKind, JobState
from panel.ui.screens.jobs import HELD_NOTE, JobRowHandle
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def jobs(home: PanelWindow) -> PanelWindow:
    home.show_jobs()
    assert home.current_screen() is home.jobs_screen
    return home


def row(window: PanelWindow, job_id: str) -> JobRowHandle:
    found = window.jobs_screen.row_of(job_id)
    assert found is not None, job_id
    return found


def tap_cancel(qtbot: QtBot, window: PanelWindow, job_id: str) -> None:
    screen = window.jobs_screen
    at: QPoint = screen.cancel_rect(job_id).center()
    QTest.mouseClick(screen.list_view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_empty_list_says_so(jobs: PanelWindow) -> None:
    screen = jobs.jobs_screen
    assert screen.empty_label.isVisible()
    assert "No jobs yet" in screen.empty_label.text()
    assert not screen.list_view.isVisible()


def test_rows_appear_change_and_disappear_with_events(
    device: FakeDevice, jobs: PanelWindow
) -> None:
    screen = jobs.jobs_screen
    job = device.add_job("Quarterly report.pdf", JobState.QUEUED, pages=5, copies=2)
    shown = row(jobs, job.job_id)
    assert not screen.empty_label.isVisible()
    assert screen.list_view.isVisible()
    assert screen.count_label.text() == "1 job"
    assert shown.title == "Quarterly report.pdf"
    assert "1001" in shown.meta
    assert shown.badge == "Queued"
    assert shown.state == "queued"
    # `.text.progress` reads the row anew: mypy would keep `shown.progress` narrowed.
    assert shown.text.progress is None

    device.set_state(job.job_id, JobState.PRINTING)
    assert shown.badge == "Printing"
    assert shown.progress_text == "Page 1 of 10"  # the sheet in the engine
    assert shown.progress == (0, 10)
    device.progress(job.job_id, 3)  # three sheets out: the fourth is printing
    assert shown.progress_text == "Page 4 of 10"
    assert shown.progress == (3, 10)
    device.progress(job.job_id, 10)
    assert shown.progress_text == "Page 10 of 10"
    assert shown.progress == (10, 10)

    device.set_state(job.job_id, JobState.COMPLETED)
    assert shown.badge == "Completed"
    assert shown.text.progress is None
    assert not shown.can_cancel

    device.remove_job(job.job_id)
    assert screen.row_of(job.job_id) is None
    assert screen.empty_label.isVisible()


def test_newest_job_is_on_top(device: FakeDevice, jobs: PanelWindow) -> None:
    device.add_job("first")
    device.add_job("second")
    assert jobs.jobs_screen.titles() == ["second", "first"]
    # Opening the list again shows the device's own order.
    jobs.show_home()
    device.add_job("third")
    jobs.show_jobs()
    assert jobs.jobs_screen.titles() == ["third", "second", "first"]


def test_rows_between_others_follow_removals(device: FakeDevice, jobs: PanelWindow) -> None:
    made = [device.add_job(f"job {n}") for n in range(5)]
    device.remove_job(made[2].job_id)
    device.set_state(made[1].job_id, JobState.PRINTING)
    device.add_job("job 5")
    screen = jobs.jobs_screen
    assert screen.titles() == ["job 5", "job 4", "job 3", "job 1", "job 0"]
    assert row(jobs, made[1].job_id).badge == "Printing"
    assert row(jobs, made[1].job_id).row == 3


def test_badges_are_painted_in_distinct_colours(device: FakeDevice, jobs: PanelWindow) -> None:
    states = (
        JobState.HELD,
        JobState.SENDING,
        JobState.ACCEPTED,
        JobState.PRINTING,
        JobState.COMPLETED,
        JobState.FAILED,
    )
    made = [device.add_job(state.value, state) for state in states]
    screen = jobs.jobs_screen
    colours = set()
    for job in made:
        badge = screen.badge_rect(job.job_id)
        image = screen.list_view.viewport().grab().toImage()
        colours.add(image.pixelColor(badge.center().x(), badge.top() + 3).name())
    assert len(colours) == len(states)


def test_held_outgoing_job_says_it_sends_when_online(device: FakeDevice, jobs: PanelWindow) -> None:
    job = device.add_job(
        "Scan 10:00", JobState.HELD, kind=JobKind.SCAN, pages=3, destination="Finance share"
    )
    shown = row(jobs, job.job_id)
    assert shown.badge == "Held"
    assert shown.note == HELD_NOTE == "Held — sends when online"
    assert shown.meta == "1001  ·  Scan  ·  3 pages  ·  to Finance share"
    assert shown.can_cancel
    device.set_state(job.job_id, JobState.SENDING)
    assert (shown.badge, shown.note) == ("Sending", "")
    device.set_state(job.job_id, JobState.ACCEPTED)
    assert shown.badge == "Accepted"
    assert not shown.can_cancel  # the server has it: nothing left to cancel here


def test_failed_job_shows_its_reason(device: FakeDevice, jobs: PanelWindow) -> None:
    job = device.add_job("Invoice.pdf", JobState.PRINTING, pages=2)
    device.set_state(job.job_id, JobState.FAILED, "Paper jam in tray 2")
    shown = row(jobs, job.job_id)
    assert shown.badge == "Failed"
    assert shown.note == "Paper jam in tray 2"


def test_tapping_cancel_cancels_that_job(
    qtbot: QtBot, device: FakeDevice, jobs: PanelWindow
) -> None:
    held = device.add_job("Boarding pass", JobState.HELD, kind=JobKind.CLOUD_PRINT)
    other = device.add_job("Scan", JobState.SENDING, kind=JobKind.SCAN)
    assert row(jobs, held.job_id).can_cancel
    tap_cancel(qtbot, jobs, held.job_id)
    assert device.called("cancel_job") == [(held.job_id,)]
    assert row(jobs, held.job_id).badge == "Cancelled"
    assert not row(jobs, held.job_id).can_cancel
    assert row(jobs, other.job_id).can_cancel


def test_a_tap_beside_cancel_does_nothing(
    qtbot: QtBot, device: FakeDevice, jobs: PanelWindow
) -> None:
    job = device.add_job("Report", JobState.QUEUED)
    screen = jobs.jobs_screen
    card = screen.row_rect(job.job_id)
    QTest.mouseClick(screen.list_view.viewport(), Qt.MouseButton.LeftButton, pos=card.center())
    # Pressed on Cancel, released elsewhere: not a tap on Cancel either.
    cancel = screen.cancel_rect(job.job_id).center()
    viewport = screen.list_view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=cancel)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=card.center())
    assert device.called("cancel_job") == []


def test_refused_cancel_is_explained(qtbot: QtBot, device: FakeDevice, jobs: PanelWindow) -> None:
    job = device.add_job("Report", JobState.QUEUED)
    device.cancel_job = lambda job_id: False  # type: ignore[method-assign]
    tap_cancel(qtbot, jobs, job.job_id)
    assert jobs.toast.isVisible()
    assert "can no longer be cancelled" in jobs.toast.text()


def test_progress_without_a_known_page_count(device: FakeDevice, jobs: PanelWindow) -> None:
    job = device.add_job("Fax from +33 1 23 45", JobState.PRINTING, pages=0, kind=JobKind.FAX)
    device.progress(job.job_id, 2)
    assert row(jobs, job.job_id).progress_text == "Page 3"


def test_ten_thousand_held_jobs_drain_through_the_list(
    device: FakeDevice, jobs: PanelWindow
) -> None:
    """10,000 jobs created one event each, then 20,000 state changes in bursts of 200: the
    list keeps up (the model takes each event in O(log n), with no widget per job)."""
    made = device.hold_outgoing(10_000)
    screen, model = jobs.jobs_screen, jobs.jobs_screen.model
    assert model.rowCount() == 10_000
    assert screen.count_label.text() == "10,000 jobs"
    assert jobs.status_bar.held_label.text() == "10,000 held"
    assert row(jobs, made[0].job_id).row == 9_999  # the oldest is at the bottom
    assert row(jobs, made[-1].job_id).row == 0
    assert row(jobs, made[4_321].job_id).badge == "Held"
    assert model.count(JobState.HELD) == 10_000

    device.drain(batch=200)
    assert model.rowCount() == 10_000
    assert model.count(JobState.ACCEPTED) == 10_000
    assert model.active_count() == 0
    sample = row(jobs, made[4_321].job_id)
    assert (sample.badge, sample.title, sample.row) == ("Accepted", "Held 4322", 10_000 - 4_322)
    assert not jobs.status_bar.held_label.isVisible()
    assert not jobs.drain_banner.isVisible()
    assert not jobs.leds["data"].is_on()
    assert jobs.home_screen.jobs_badge.isHidden()
    assert ALICE.user_id in sample.meta
