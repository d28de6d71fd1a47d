"""The Copy screen as a view (fake device, statuses set by hand): it fits the 7" panel with
finger-sized targets and unclipped text on every page (settings, each setting's choices, the
keypad), its settings follow the taps, and it shows the copier's state as it comes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice
from support.i18n import in_language
from support.panel_touch import finger

from panel.device.copying import (
    ColourMode,
    CopyPhase,
    CopySettings,
    CopyStatus,
    Original,
    Placement,
    Sides,
)
from panel.ui.screens.copy import CopyScreen
from panel.ui.widgets import MIN_TOUCH
from panel.ui.window import SCREEN_SIZES, PanelWindow

pytestmark = pytest.mark.gui

LETTER = Original("Letter, 3 pages", 3, Placement.FEEDER, False, "sample:letter")


@pytest.fixture
def small(device: FakeDevice, make_window: Callable[..., PanelWindow]) -> PanelWindow:
    """The 7" panel (800x480) with Alice logged in, on the Copy screen."""
    device.sign_in(ALICE)
    window = make_window((800, 480))
    window.stack.setCurrentWidget(window.copy_screen)
    return window


def problems_on(screen: CopyScreen) -> list[str]:
    """Visible buttons smaller than a finger, and one-line texts wider than their widget."""
    for _ in range(3):  # a new text's layout request travels up one parent per round
        QApplication.processEvents()
    found = []
    for button in screen.findChildren(QAbstractButton):
        if button.isVisibleTo(screen):
            size = button.size()
            if min(size.width(), size.height()) < MIN_TOUCH:
                found.append(f"{button.text() or button.objectName()}: {size.toTuple()}")
    for label in screen.findChildren(QLabel):
        if label.isVisibleTo(screen) and label.text() and not label.wordWrap():
            room = label.contentsRect().width()
            if label.fontMetrics().horizontalAdvance(label.text()) > room:
                found.append(f"{label.text()!r} clipped to {room} px")
    return found


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_page_of_the_copy_screen_fits_the_panel(
    device: FakeDevice, make_window: Callable[..., PanelWindow], size: tuple[int, int]
) -> None:
    device.sign_in(ALICE)
    small = make_window(size)
    screen = small.copy_screen
    small.stack.setCurrentWidget(screen)
    screen.set_status(CopyStatus(LETTER))
    assert problems_on(screen) == []
    for key in CopyScreen.SETTINGS:
        screen.open_option(key)
        assert problems_on(screen) == [], key
        screen.close_option()
    finger(small, screen.copies_value)
    assert screen.pages.currentIndex() == 2
    assert problems_on(screen) == []
    screen.set_status(CopyStatus(LETTER, CopyPhase.COPYING, "copy-1", 3, 4, 9, 3, 6, False, True))
    assert problems_on(screen) == []
    assert screen.progress_text.text() == "Copying page 5 of 9"
    assert screen.progress_detail.text() == "3 of 6 sheets out \N{MIDDLE DOT} 2-sided"


def test_the_quick_settings_follow_the_taps(small: PanelWindow) -> None:
    screen = small.copy_screen
    taps = [
        ("colour", "mono", "Black & white"),
        ("sides", "2-2", "2 \N{RIGHTWARDS ARROW} 2"),
        ("zoom", "71", "A3 \N{RIGHTWARDS ARROW} A4 (71%)"),
        ("n_up", "4", "4 on 1"),
        ("sort", "group", "Grouped"),
        ("paper", "tray-2|iso_a4_210x297mm", "Tray 2 \N{MIDDLE DOT} A4"),
    ]
    for key, choice, shown in taps:
        finger(small, screen.tiles[key])
        finger(small, screen.choices[choice])
        assert screen.choices[choice].isChecked()
        finger(small, screen.done_button)
        assert screen.tiles[key].value_label.text() == shown, key
        assert screen.tiles[key].property("changed") is True
    assert screen.settings == CopySettings(
        copies=1,
        sides=Sides.TWO_TWO,
        colour=ColourMode.MONO,
        zoom_pct=71,
        n_up=4,
        collate=False,
        tray="tray-2",
        media="iso_a4_210x297mm",
    )
    small.reset()  # the Reset key: a copier's defaults again
    assert screen.settings == CopySettings()
    assert screen.tiles["zoom"].value_label.text() == "100%"


def test_zoom_steps_to_any_percentage_within_its_bounds(small: PanelWindow) -> None:
    screen = small.copy_screen
    finger(small, screen.tiles["zoom"])
    assert screen.zoom_stepper.isVisible()
    finger(small, screen.zoom_stepper.plus_button)
    assert screen.settings.zoom_pct == 101
    assert screen.choice_group.checkedButton() is None  # no preset is 101%
    screen.zoom_stepper.set_value(1000)
    assert screen.settings.zoom_pct == 400
    screen.zoom_stepper.set_value(1)
    assert screen.settings.zoom_pct == 25
    finger(small, screen.choices["141"])
    assert screen.zoom_stepper.value() == 141


def test_the_screen_shows_the_copier_state(qtbot: QtBot, small: PanelWindow) -> None:
    screen = small.copy_screen
    assert screen.original_pill.text() == "Place originals"
    assert screen.hint_label.text() == "Place the originals in the feeder or on the glass."
    screen.set_status(CopyStatus(LETTER))
    assert screen.original_pill.text() == "3 pages in the feeder"
    running = CopyStatus(LETTER, CopyPhase.COPYING, "copy-1", 2, 0, 6, 0, 6)
    screen.set_status(running)
    assert screen.stop_button.isVisible()
    assert not screen.start_button.isVisible()
    assert not screen.left.isEnabled()  # no setting changes under a running copy
    assert screen.progress_text.text() == "Copying page 1 of 6"
    screen.set_status(CopyStatus(LETTER, CopyPhase.STOPPED, "copy-1", 2, 1, 6, 1, 6))
    assert screen.result_label.text() == "Stopped after 1 page on 1 sheet"
    assert screen.start_button.isVisible()
    assert screen.left.isEnabled()


def test_without_a_copier_the_tile_says_copy_is_not_ready(
    device: FakeDevice, home: PanelWindow
) -> None:
    finger(home, home.home_screen.tiles["copy"])
    assert home.toast.text() == "Copy is not available yet: the device is still starting."
    assert home.current_screen() is home.home_screen


def test_the_copy_screen_switches_language_while_it_shows(small: PanelWindow) -> None:
    screen = small.copy_screen
    screen.set_status(CopyStatus(LETTER))
    screen.open_option("colour")
    with in_language("ja"):
        assert small.copy_screen is screen
        assert screen.title_label.text() == "コピー"
        assert screen.back_button.text() == "ホーム"
        assert screen.start_button.text() == "スタート"
        assert screen.option_title.text() == "カラー"
        assert screen.choices["mono"].text() == "白黒"  # the open choices too
        screen.close_option()
        assert screen.tiles["colour"].name_label.text() == "カラー"
        assert screen.tiles["colour"].value_label.text() == "オートカラー"
        assert screen.original_pill.text() == "原稿送り装置に 3 ページ"
        assert screen.hint_label.text() == "Letter, 3 pages を 1 部、片面でコピーします。"
    assert screen.title_label.text() == "Copy"
    assert screen.start_button.text() == "Start"
    assert screen.tiles["colour"].value_label.text() == "Auto colour"
    assert screen.original_pill.text() == "3 pages in the feeder"


@pytest.mark.parametrize("language", ["ja", "pseudo"])
def test_every_page_fits_the_7_inch_panel_in_another_language(
    small: PanelWindow, language: str
) -> None:
    """Japanese, and every string 40% longer (the pseudo-locale): nothing is clipped."""
    screen = small.copy_screen
    with in_language(language):
        screen.set_status(CopyStatus(LETTER))
        assert problems_on(screen) == []
        for key in CopyScreen.SETTINGS:
            screen.open_option(key)
            assert problems_on(screen) == [], key
            screen.close_option()
        finger(small, screen.copies_value)
        assert problems_on(screen) == []
        running = CopyStatus(LETTER, CopyPhase.COPYING, "copy-1", 3, 4, 9, 3, 6, False, True)
        screen.set_status(running)
        assert problems_on(screen) == []
        screen.set_status(CopyStatus(LETTER, CopyPhase.COMPLETED, "copy-1", 3, 9, 9, 6, 6))
        assert problems_on(screen) == []
