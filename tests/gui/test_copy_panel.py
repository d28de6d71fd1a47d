"""Copy from the panel over the real device core and a real server (issue 14, acceptance 3):
originals placed from the QA dock, 3 copies 2-sided set with taps, Start, the live count, the
result; Stop mid-copy; the copies' usage reaches the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support.panel_touch import finger, logged_in
from support.real_panel import RealPanel, open_real_panel

from panel.device.copying import CopyStatus, Placement
from panel.pdf import text_pdf
from panel.ui.dock.qa_dock import QaDock
from panel.ui.screens.copy import CopyScreen
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def stack(qtbot: QtBot, tmp_path: Path) -> Iterator[RealPanel]:
    # 600 pages a minute: a tenth of a second a page, so the live count can be seen.
    stack = open_real_panel(qtbot, tmp_path, "Copy MFP", ppm=600.0)
    yield stack
    stack.close()


def click(widget: QWidget) -> None:
    """A hardware key on the bezel (not on the touchscreen)."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_copy(qtbot: QtBot, window: PanelWindow) -> CopyScreen:
    logged_in(qtbot, window)
    finger(window, window.home_screen.tiles["copy"])
    screen = window.copy_screen
    qtbot.waitUntil(lambda: window.current_screen() is screen)
    return screen


def place_letter(qtbot: QtBot, dock: QaDock, screen: CopyScreen) -> None:
    """QA puts the 3-page sample letter in the feeder, with the dock."""
    card = dock.originals
    card.sample_box.setCurrentIndex(card.sample_box.findData("letter"))
    card.placement_box.setCurrentIndex(card.placement_box.findData(Placement.FEEDER.value))
    card.place_button.click()
    qtbot.waitUntil(lambda: screen.original_pill.text() == "3 pages in the feeder")
    assert card.placed_label.full_text() == "Letter, 3 pages: 3 pages in the feeder"


def counted(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def test_three_copies_two_sided_from_the_copy_screen(qtbot: QtBot, stack: RealPanel) -> None:
    window, device = stack.window, stack.device
    dock = QaDock(window, device)
    screen = open_copy(qtbot, window)
    assert screen.original_pill.text() == "Place originals"
    place_letter(qtbot, dock, screen)

    for _ in range(2):
        finger(window, screen.copies.plus_button)
    assert screen.copies_value.text() == "3"
    finger(window, screen.tiles["sides"])
    finger(window, screen.choices["1-2"])
    finger(window, screen.done_button)
    assert screen.tiles["sides"].value_label.text() == "1 \N{RIGHTWARDS ARROW} 2"
    assert (
        screen.hint_label.text() == "3 copies of Letter, 3 pages, 1 \N{RIGHTWARDS ARROW} 2-sided."
    )

    seen: list[str] = []

    def follow(_status: CopyStatus, _change: str) -> None:  # after the window's own slot
        if screen.progress_text.isVisible():
            seen.append(screen.progress_text.text())

    window.bridge.copy_changed.connect(follow)
    finger(window, screen.start_button)
    qtbot.waitUntil(lambda: screen.result_label.isVisible(), timeout=10_000)
    assert screen.result_label.text() == "Done: 3 copies, 9 pages on 6 sheets"
    assert seen[0] == "Copying page 1 of 9"
    assert seen[-1] == "Copying page 9 of 9"
    assert screen.start_button.isVisible()
    assert not screen.stop_button.isVisible()
    counters = device.engine.status().counters
    assert (counters.total, counters.sheets, counters.duplex) == (9, 6, 3)

    def usage_on_server() -> None:
        usage = stack.server.store.device_status(device.device_id, device.name).usage
        assert (usage.jobs, usage.impressions, usage.sheets, usage.duplex_jobs) == (1, 9, 6, 1)

    qtbot.waitUntil(usage_on_server, timeout=10_000)


@pytest.mark.parametrize("stop", ["screen", "key"])
def test_stop_interrupts_the_copy_and_says_what_was_printed(
    qtbot: QtBot, stack: RealPanel, stop: str
) -> None:
    """The screen's Stop, or the panel's hardware Stop key: the same."""
    window, device = stack.window, stack.device
    device.engine.set_ppm(60.0)  # a page a second: Stop lands mid-copy
    dock = QaDock(window, device)
    screen = open_copy(qtbot, window)
    place_letter(qtbot, dock, screen)
    screen.set_copies(10)
    finger(window, screen.start_button)
    qtbot.waitUntil(lambda: screen.stop_button.isVisible())
    qtbot.waitUntil(lambda: screen.progress_text.text() == "Copying page 2 of 30", timeout=5000)
    if stop == "screen":
        finger(window, screen.stop_button)
    else:
        click(window.keys["stop"])
        quoted = (
            "\N{LEFT DOUBLE QUOTATION MARK}Copy of Letter, 3 pages\N{RIGHT DOUBLE QUOTATION MARK}"
        )
        assert window.toast.text() == f"Stopped: {quoted} was cancelled."
    qtbot.waitUntil(lambda: screen.result_label.isVisible())
    printed = device.engine.status().counters.total
    assert 1 <= printed < 30  # what was out when Stop was tapped on page 2, not the rest
    said = f"Stopped after {counted(printed, 'page')} on {counted(printed, 'sheet')}"
    assert screen.result_label.text() == said
    assert screen.result_label.property("phase") == "stopped"

    def usage_on_server() -> None:
        usage = stack.server.store.device_status(device.device_id, device.name).usage
        assert (usage.jobs, usage.impressions) == (1, printed)

    qtbot.waitUntil(usage_on_server, timeout=10_000)


def test_start_without_originals_says_to_place_them(qtbot: QtBot, stack: RealPanel) -> None:
    screen = open_copy(qtbot, stack.window)
    finger(stack.window, screen.start_button)
    assert screen.error_label.text() == "Place the originals in the feeder or on the glass."
    assert stack.device.jobs.all() == []


def test_the_keypad_sets_the_number_of_copies(qtbot: QtBot, stack: RealPanel) -> None:
    window = stack.window
    screen = open_copy(qtbot, window)
    finger(window, screen.copies_value)
    assert screen.pages.currentIndex() == 2
    for key in "125":
        finger(window, screen.keypad.buttons[key])
    finger(window, screen.keypad.buttons["ok"])
    assert screen.copies.value() == 125
    assert screen.copies_value.text() == "125"
    assert screen.pages.currentIndex() == 0


def test_the_dock_places_a_file_or_says_why_it_cannot(
    qtbot: QtBot, stack: RealPanel, tmp_path: Path
) -> None:
    window, device = stack.window, stack.device
    dock = QaDock(window, device)
    screen = open_copy(qtbot, window)
    card = dock.originals
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(text_pdf([["one"], ["two"], ["three"], ["four"]]))
    card.place_file(minutes)
    qtbot.waitUntil(lambda: screen.original_pill.text() == "4 pages in the feeder")
    assert dock.log_lines()[-1] == "Originals: minutes.pdf, 4 pages in the feeder"

    card.placement_box.setCurrentIndex(card.placement_box.findData(Placement.GLASS.value))
    card.place_file(minutes)
    qtbot.waitUntil(lambda: screen.original_pill.text() == "1 page on the glass")

    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    card.place_file(notes)
    said = (
        "notes.txt cannot be copied: it is neither a PDF nor an image. "
        "Use a PDF or an image (PNG, JPEG, GIF, BMP, TIFF)."
    )
    qtbot.waitUntil(lambda: window.toast.isVisible() and window.toast.text() == said)
    assert dock.log_lines()[-1] == f"Originals: {said}"
    assert screen.original_pill.text() == "1 page on the glass"  # what lay there stays

    card.remove_button.click()
    assert screen.original_pill.text() == "Place originals"
    assert card.placed_label.full_text() == "No originals placed"
    assert not card.remove_button.isEnabled()


@pytest.mark.expect_errors(logger="panel.tasks", match="starting a copy failed")
def test_a_copy_that_fails_to_start_says_so_and_is_reported(
    qtbot: QtBot, stack: RealPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, device = stack.window, stack.device
    dock = QaDock(window, device)
    screen = open_copy(qtbot, window)
    place_letter(qtbot, dock, screen)

    def disk_full(_settings: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(device.copier, "start", disk_full)
    finger(window, screen.start_button)
    assert screen.error_label.text() == "The copy could not start. Try again."
    assert screen.start_button.isEnabled()
