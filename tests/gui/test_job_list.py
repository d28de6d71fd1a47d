"""The job list follows the device's job events live: rows appear, change and go."""

from __future__ import annotations

import pytest
from fake_device import FakeDevice
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from panel.device.model import JobKind, JobState
from panel.ui.screens.jobs import JobRow
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def jobs(home: PanelWindow) -> PanelWindow:
    home.show_jobs()
    assert home.current_screen() is home.jobs_screen
    return home


def rows_in_order(window: PanelWindow) -> list[str]:
    layout = window.jobs_screen.list_layout
    items = [layout.itemAt(i) for i in range(layout.count())]
    rows = [item.widget() for item in items if item is not None]
    return [row.title_label.text() for row in rows if isinstance(row, JobRow)]


def test_empty_list_says_so(jobs: PanelWindow) -> None:
    screen = jobs.jobs_screen
    assert screen.empty_label.isVisible()
    assert "No jobs yet" in screen.empty_label.text()
    assert not screen.job_scroll.isVisible()


def test_rows_appear_change_and_disappear_with_events(
    device: FakeDevice, jobs: PanelWindow
) -> None:
    screen = jobs.jobs_screen
    job = device.add_job("Quarterly report.pdf", JobState.QUEUED, pages=5, copies=2)
    row = screen.rows[job.job_id]
    assert not screen.empty_label.isVisible()
    assert row.isVisible()
    assert row.title_label.text() == "Quarterly report.pdf"
    assert "1001" in row.meta_label.text()
    assert row.badge.text() == "Queued"
    assert row.badge.property("state") == "queued"
    assert not row.progress_bar.isVisible()

    device.set_state(job.job_id, JobState.PRINTING)
    assert row.badge.text() == "Printing"
    assert row.progress_bar.isVisible()
    assert row.progress_label.text() == "Page 1 of 10"  # the sheet in the engine
    assert (row.progress_bar.value(), row.progress_bar.maximum()) == (0, 10)
    device.progress(job.job_id, 3)  # three sheets out: the fourth is printing
    assert row.progress_label.text() == "Page 4 of 10"
    assert (row.progress_bar.value(), row.progress_bar.maximum()) == (3, 10)
    device.progress(job.job_id, 10)
    assert row.progress_label.text() == "Page 10 of 10"
    assert row.progress_bar.value() == 10

    device.set_state(job.job_id, JobState.COMPLETED)
    assert row.badge.text() == "Completed"
    assert not row.progress_bar.isVisible()
    assert not row.cancel_button.isVisible()

    device.remove_job(job.job_id)
    assert job.job_id not in screen.rows
    assert screen.empty_label.isVisible()


def test_newest_job_is_on_top(device: FakeDevice, jobs: PanelWindow) -> None:
    device.add_job("first")
    device.add_job("second")
    assert rows_in_order(jobs) == ["second", "first"]
    # Opening the list again shows the device's own order.
    jobs.show_home()
    device.add_job("third")
    jobs.show_jobs()
    assert rows_in_order(jobs) == ["third", "second", "first"]


def test_badges_have_distinct_colours(device: FakeDevice, jobs: PanelWindow) -> None:
    colours = set()
    for state in (JobState.HELD, JobState.PRINTING, JobState.COMPLETED, JobState.FAILED):
        job = device.add_job(state.value, state)
        badge = jobs.jobs_screen.rows[job.job_id].badge
        colours.add(badge.grab().toImage().pixelColor(badge.width() // 2, 3).name())
    assert len(colours) == 4


def test_failed_job_shows_its_reason(device: FakeDevice, jobs: PanelWindow) -> None:
    job = device.add_job("Invoice.pdf", JobState.PRINTING, pages=2)
    device.set_state(job.job_id, JobState.FAILED, "Paper jam in tray 2")
    row = jobs.jobs_screen.rows[job.job_id]
    assert row.badge.text() == "Failed"
    assert row.reason_label.isVisible()
    assert row.reason_label.text() == "Paper jam in tray 2"


def test_cancel_button_cancels_that_job(
    qtbot: QtBot, device: FakeDevice, jobs: PanelWindow
) -> None:
    held = device.add_job("Boarding pass", JobState.HELD, kind=JobKind.CLOUD_PRINT)
    other = device.add_job("Scan", JobState.SENDING, kind=JobKind.SCAN)
    row = jobs.jobs_screen.rows[held.job_id]
    assert row.cancel_button.isVisible()
    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert device.called("cancel_job") == [(held.job_id,)]
    assert row.badge.text() == "Cancelled"
    assert not row.cancel_button.isVisible()
    assert jobs.jobs_screen.rows[other.job_id].cancel_button.isVisible()


def test_refused_cancel_is_explained(device: FakeDevice, jobs: PanelWindow) -> None:
    job = device.add_job("Report", JobState.QUEUED)
    row = jobs.jobs_screen.rows[job.job_id]
    device.cancel_job = lambda job_id: False  # type: ignore[method-assign]
    row.cancel_button.click()
    assert jobs.toast.isVisible()
    assert "can no longer be cancelled" in jobs.toast.text()


def test_progress_without_a_known_page_count(device: FakeDevice, jobs: PanelWindow) -> None:
    job = device.add_job("Fax from +33 1 23 45", JobState.PRINTING, pages=0, kind=JobKind.FAX)
    device.progress(job.job_id, 2)
    assert jobs.jobs_screen.rows[job.job_id].progress_label.text() == "Page 3"
