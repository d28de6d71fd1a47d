"""A jam during a real job, on the panel over the real device core and a real server (issue 14):
the QA dock jams a sheet, the fault screen comes up by itself with where and how, Done on the
touchscreen clears it, and the job goes on from the jammed page: every page comes out once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support import ALICE, submit
from support.panel_touch import finger, logged_in
from support.qt_loop import run
from support.real_panel import RealPanel, open_real_panel

from panel.device import Event, EventKind, JobState, PrinterState
from panel.ui.dock import QaDock

pytestmark = pytest.mark.gui

PAGES = 6


@pytest.fixture
def stack(qtbot: QtBot, tmp_path: Path) -> Iterator[RealPanel]:
    # 120 pages a minute: half a second a page, time to jam one in the middle.
    stack = open_real_panel(qtbot, tmp_path, "Engine MFP", ppm=120.0)
    yield stack
    stack.close()


def test_a_jam_mid_job_is_shown_cleared_with_done_and_the_job_resumes_printing_each_page_once(
    qtbot: QtBot, stack: RealPanel
) -> None:
    window, device = stack.window, stack.device
    dock = QaDock(window, device)
    sheets: list[tuple[str, int]] = []

    def sheet_out(event: Event) -> None:
        sheets.append((event.subject.job_id, int(event.fields["page"])))

    unsubscribe = device.events.subscribe(sheet_out, EventKind.SHEET_OUT)
    try:
        logged_in(qtbot, window)
        job = run(qtbot, submit(stack.server, ALICE, "Quarterly figures", pages=PAGES))
        qtbot.waitUntil(lambda: stack.state(job.job_id) is JobState.PRINTING, timeout=5000)

        def pages_done() -> int:
            found = device.jobs.get(job.job_id)
            assert found is not None
            return found.pages_done

        qtbot.waitUntil(lambda: pages_done() >= 1, timeout=5000)

        card = dock.engine
        card.jam_box.setCurrentIndex(card.jam_box.findData("tray-2"))
        QTest.mouseClick(card.jam_button, Qt.MouseButton.LeftButton)
        fault = window.fault_screen
        qtbot.waitUntil(fault.isVisible, timeout=5000)
        jammed_at = pages_done() + 1  # the jammed page is not counted
        assert jammed_at <= PAGES
        out = [page for job_id, page in sheets if job_id == job.job_id]
        assert out == list(range(1, jammed_at))  # the jammed sheet did not come out
        assert stack.state(job.job_id) is JobState.PRINTING  # stopped, not failed
        assert device.engine.state is PrinterState.STOPPED
        assert fault.title_label.text() == "Paper jam"
        assert fault.code_label.text().startswith("J-0201")
        assert fault.picture_name == "jam-tray.tray-2"
        assert window.leds["attention"].is_lit()
        assert not window.leds["attention"].is_blinking()
        assert window.engine_pill.text() == "Paper jam"

        finger(window, fault.done_button)
        assert not fault.isVisible()
        qtbot.waitUntil(lambda: stack.state(job.job_id) is JobState.COMPLETED, timeout=10_000)
        pages = [page for job_id, page in sheets if job_id == job.job_id]
        assert pages == list(range(1, PAGES + 1))  # each page once, the jammed one after Done
        assert not window.leds["attention"].is_on()

        window.show_device_status()
        screen = window.device_status_screen
        assert screen.counter_values["total"].text() == str(PAGES)
        assert screen.reason_texts() == []
        assert screen.state_pill.text() == "Ready"
        assert "Engine: J-0201 cleared" in dock.log_lines()
    finally:
        unsubscribe()
