"""The engine on the panel (issue 14): the fault screen, a question's choices, the device status
screen, the Attention LED and the QA dock's engine card, over a real `PrintEngine` on a
`ManualClock` inside the view tests' fake device. Taps go through the scaled touchscreen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice
from support.i18n import in_language
from support.panel_touch import finger
from support.qt_loop import run

from panel.device.clock import ManualClock
from panel.device.engine import PrintEngine, PrintOptions
from panel.device.engine.faults import reason
from panel.device.model import Job, JobState
from panel.trace import Trace
from panel.ui.dock import QaDock
from panel.ui.screens.device_status import DeviceStatusScreen
from panel.ui.window import SCREEN_SIZES, PanelWindow

pytestmark = pytest.mark.gui

PAGE_S = 2.0  # 30 pages a minute


@dataclass
class EngineFake(FakeDevice):
    """The view tests' fake with the real print engine, on a clock the test moves."""

    engine_clock: ManualClock = field(default_factory=ManualClock)
    engine: PrintEngine = field(init=False)
    printing: list[asyncio.Task[None]] = field(default_factory=list)
    printed: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.engine = PrintEngine(self.events, Trace(None), self.engine_clock, None, ppm=30.0)

    def start_printing(self, job: Job, options: PrintOptions | None = None) -> None:
        """The engine prints `job` as a task on the loop; pages land in `printed`."""
        printing = self.engine.print_job(job, self.page, options or PrintOptions())
        self.printing.append(asyncio.ensure_future(printing))

    def page(self, done: int) -> None:
        self.printed.append(done)


@pytest.fixture
def device(qtbot: QtBot) -> Iterator[EngineFake]:
    fake = EngineFake()
    fake.sign_in(ALICE)
    yield fake
    for task in fake.printing:
        task.cancel()
    qtbot.waitUntil(lambda: all(task.done() for task in fake.printing))


@pytest.fixture
def panel(make_window: Callable[..., PanelWindow]) -> PanelWindow:
    """800x480, the smallest panel: everything must fit there."""
    return make_window((800, 480))


def print_pages(qtbot: QtBot, device: EngineFake, pages: int) -> None:
    """Move the engine's clock by `pages` pages' time, the loop running after each step."""
    run(qtbot, device.engine_clock.run_for(PAGE_S * pages))


def inside(widget: QWidget, area: QWidget) -> bool:
    """`widget` is shown whole within `area` (nothing cut off at the panel's edge)."""
    top_left = widget.mapTo(area, QPoint(0, 0))
    return widget.isVisible() and area.rect().contains(
        widget.rect().translated(top_left), proper=False
    )


# -- the fault screen -----------------------------------------------------------------------------
def test_a_jam_shows_where_and_how_over_the_screen_in_use_and_done_clears_it(
    qtbot: QtBot, device: EngineFake, panel: PanelWindow
) -> None:
    panel.show_jobs()
    device.engine.jam("fuser")
    fault = panel.fault_screen
    assert fault.isVisible()
    assert panel.current_screen() is panel.jobs_screen  # over it, not instead of it
    jam = reason("media-jam", "fuser")
    assert fault.title_label.text() == "Paper jam"
    assert fault.message_label.text() == jam.message
    assert [label.text() for label in fault.step_labels] == list(jam.steps)
    assert fault.code_label.text() == "J-0501 · media-jam-error"
    assert fault.picture_name == "jam-fuser"
    assert fault.done_button.isVisible()
    assert panel.engine_pill.isVisible()
    assert panel.engine_pill.text() == "Paper jam"

    finger(panel, fault.done_button)
    assert device.engine.status().reasons == ()
    assert not fault.isVisible()
    assert not panel.engine_pill.isVisible()
    assert panel.current_screen() is panel.jobs_screen


def test_anyone_clears_a_jam_from_the_login_screen_and_the_keys_do_not_hide_it(
    qtbot: QtBot, device: EngineFake, panel: PanelWindow
) -> None:
    device.sign_in(None)
    assert panel.current_screen() is panel.login_screen
    device.engine.jam("tray-1")
    fault = panel.fault_screen
    assert fault.isVisible()
    for key in ("home", "reset"):
        QTest.mouseClick(panel.keys[key], Qt.MouseButton.LeftButton)
        assert fault.isVisible(), key  # the jam is still there: so is its screen
    finger(panel, fault.done_button)
    assert not fault.isVisible()
    assert panel.current_screen() is panel.login_screen


def test_the_fault_screen_fits_the_smallest_panel(
    qtbot: QtBot, device: EngineFake, panel: PanelWindow
) -> None:
    """The longest jam (four steps) with another error under it, at 800x480."""
    device.engine.open_cover("side-door")
    device.engine.jam("fuser")
    fault = panel.fault_screen
    assert fault.title_label.text() == "Door open"  # the first error first
    device.engine.close_cover("side-door")
    device.engine.open_cover("top-cover")
    assert fault.title_label.text() == "Paper jam"
    assert fault.more_label.text() == "Also: The top cover is open. (C-0103)"
    parts = (*fault.step_labels, fault.more_label, fault.done_button, fault.later_button)
    labels = (*fault.step_labels, fault.more_label, fault.hint_label)

    def fits() -> bool:
        return all(inside(w, panel.touchscreen) for w in parts) and all(
            label.height() >= label.heightForWidth(label.width()) for label in labels
        )

    qtbot.waitUntil(fits)  # once laid out: every step, the other error and both buttons whole


def test_each_tray_has_its_own_picture(device: EngineFake, panel: PanelWindow) -> None:
    pictures = {}
    for location in ("tray-1", "tray-2", "bypass"):
        device.engine.jam(location)
        pictures[location] = panel.fault_screen.picture_name
        device.engine.clear()
    assert pictures == {
        "tray-1": "jam-tray",
        "tray-2": "jam-tray.tray-2",
        "bypass": "jam-tray.bypass",
    }


def test_later_hides_it_the_pill_brings_it_back_and_a_new_fault_too(
    device: EngineFake, panel: PanelWindow
) -> None:
    device.engine.jam("output")
    fault = panel.fault_screen
    finger(panel, fault.later_button)
    assert not fault.isVisible()
    assert panel.engine_pill.isVisible()  # the jam still stands
    QTest.mouseClick(panel.engine_pill, Qt.MouseButton.LeftButton)
    assert fault.isVisible()
    finger(panel, fault.later_button)
    device.engine.set_toner("black", 5)  # a warning is not a reason to come back
    assert not fault.isVisible()
    device.engine.open_cover("front-cover")  # a new error: up by itself
    assert fault.isVisible()
    assert fault.title_label.text() == "Paper jam"  # errors in the engine's order
    assert fault.more_label.text() == "Also: The front cover is open. (C-0101)"


def test_an_open_cover_has_no_done_and_goes_when_it_is_closed(
    device: EngineFake, panel: PanelWindow
) -> None:
    device.engine.open_cover("front-cover")
    fault = panel.fault_screen
    assert fault.isVisible()
    assert not fault.done_button.isVisible()
    assert fault.hint_label.text() == "This message goes once the cover is closed."
    assert fault.picture_name == "cover-open"
    device.engine.close_cover("front-cover")
    assert not fault.isVisible()


# -- questions the engine waits on ----------------------------------------------------------------
def test_paper_out_asks_and_the_chosen_tray_reaches_the_engine(
    qtbot: QtBot, device: EngineFake, panel: PanelWindow
) -> None:
    device.engine.set_tray("tray-1", 0)
    job = device.add_job("Report", JobState.PRINTING, pages=3)
    device.start_printing(job, PrintOptions(tray="tray-1"))
    fault = panel.fault_screen
    qtbot.waitUntil(fault.isVisible)
    assert fault.title_label.text() == "Out of paper"
    assert fault.message_label.text() == (
        "Tray 1 is out of A4 paper. Load A4 paper or choose another tray."
    )
    assert fault.picture_name == "paper"
    assert set(fault.choice_buttons) == {"tray:tray-2", "tray:bypass", "cancel"}
    assert fault.choice_buttons["tray:tray-2"].text() == "Use Tray 2 (A4)"
    assert not fault.done_button.isVisible()

    finger(panel, fault.choice_buttons["tray:tray-2"])
    qtbot.waitUntil(lambda: device.engine.status().prompt is None)
    assert not fault.isVisible()
    print_pages(qtbot, device, 3)
    assert device.printed == [1, 2, 3]
    levels = {t.tray_id: t.level for t in device.engine.status().trays}
    assert levels["tray-2"] == 497  # the pages came from the tray chosen on the panel


def test_colour_toner_empty_asks_and_black_only_reaches_the_engine(
    qtbot: QtBot, device: EngineFake, panel: PanelWindow
) -> None:
    device.engine.set_toner("magenta", 0)
    job = device.add_job("Poster", JobState.PRINTING, pages=2)
    device.start_printing(job, PrintOptions(colour=True))
    fault = panel.fault_screen
    qtbot.waitUntil(fault.isVisible)
    assert fault.title_label.text() == "Toner empty"
    assert [b.text() for b in fault.choice_buttons.values()] == [
        "Print in black only",
        "Cancel the job",
    ]
    finger(panel, fault.choice_buttons["mono"])
    qtbot.waitUntil(lambda: not fault.isVisible())
    print_pages(qtbot, device, 2)
    counters = device.engine.status().counters
    assert (counters.mono, counters.colour) == (2, 0)


# -- the device status screen ---------------------------------------------------------------------
def test_device_status_shows_trays_toner_counters_and_follows_changes(
    qtbot: QtBot, device: EngineFake, panel: PanelWindow
) -> None:
    finger(panel, panel.home_screen.status_button)
    screen = panel.current_screen()
    assert isinstance(screen, DeviceStatusScreen)
    rows = screen.tray_rows
    assert [rows[t].name.text() for t in rows] == ["Tray 1", "Tray 2", "Bypass"]
    assert rows["tray-1"].level.text() == "500 of 500 sheets"
    assert rows["tray-1"].media.text() == "A4"
    assert [g.pct.text() for g in screen.gauges.values()] == ["100%"] * 4
    assert list(screen.gauges) == ["black", "cyan", "magenta", "yellow"]
    assert screen.state_pill.text() == "Ready"
    assert screen.reason_texts() == []

    device.engine.set_tray("tray-1", 120)
    device.engine.set_toner("cyan", 5)
    assert rows["tray-1"].level.text() == "120 of 500 sheets"
    assert screen.gauges["cyan"].pct.text() == "5%"
    assert screen.reason_texts() == ["Cyan toner is low. [T-0102]"]
    assert "Have a new cyan cartridge ready." in screen.reason_rows[0].steps.text()

    job = device.add_job("Minutes", JobState.PRINTING, pages=2)
    device.start_printing(job)
    print_pages(qtbot, device, 2)
    qtbot.waitUntil(lambda: screen.counter_values["total"].text() == "2")
    assert screen.counter_values["mono"].text() == "2"
    assert screen.yours_value.text() == "2"  # Alice's job, Alice logged in
    assert rows["tray-1"].level.text() == "118 of 500 sheets"

    device.engine.set_tray("tray-2", 0)
    assert rows["tray-2"].level.text() == "Empty"
    assert "Tray 2 is empty. [P-0102]" in screen.reason_texts()
    finger(panel, screen.back_button)
    assert panel.current_screen() is panel.home_screen


def test_the_status_bar_pill_opens_the_device_status_for_a_warning(
    device: EngineFake, panel: PanelWindow
) -> None:
    device.engine.set_toner("black", 5)
    pill = panel.engine_pill
    assert pill.text() == "Toner low"
    assert pill.property("severity") == "warning"
    assert not panel.fault_screen.isVisible()  # a warning stops nothing
    QTest.mouseClick(pill, Qt.MouseButton.LeftButton)
    assert panel.current_screen() is panel.device_status_screen


# -- the Attention LED ----------------------------------------------------------------------------
def test_attention_is_lit_for_an_error_and_blinks_for_a_warning(
    qtbot: QtBot, device: EngineFake, panel: PanelWindow
) -> None:
    led = panel.leds["attention"]
    assert not led.is_on()
    device.engine.set_toner("black", 5)  # toner low: a warning
    assert led.is_on()
    assert led.is_blinking()
    qtbot.waitUntil(lambda: not led.is_lit(), timeout=2000)  # it goes dark...
    qtbot.waitUntil(led.is_lit, timeout=2000)  # ...and lights again: ~1 Hz
    device.engine.jam("tray-1")  # an error wins: steadily lit
    assert led.is_on()
    assert not led.is_blinking()
    assert led.is_lit()
    device.engine.clear()
    assert led.is_blinking()
    device.engine.set_toner("black", 100)
    assert not led.is_on()
    assert not led.is_lit()


# -- the QA dock's engine card --------------------------------------------------------------------
def test_the_dock_card_reaches_the_engine_and_follows_it(
    device: EngineFake, panel: PanelWindow
) -> None:
    dock = QaDock(panel, device)
    card = dock.engine
    assert card.isVisible()
    engine = device.engine
    click = QTest.mouseClick
    left = Qt.MouseButton.LeftButton

    card.jam_box.setCurrentIndex(card.jam_box.findData("duplex-unit"))
    click(card.jam_button, left)
    assert [r.code for r in engine.status().reasons] == ["J-0601"]
    assert panel.fault_screen.picture_name == "jam-duplex"
    assert "J-0601" in card.state_label.full_text()
    assert "Engine: media-jam-error J-0601 (Duplex unit)" in dock.log_lines()
    click(card.clear_button, left)
    assert engine.status().reasons == ()
    assert "Engine: J-0601 cleared" in dock.log_lines()

    card.cover_box.setCurrentIndex(card.cover_box.findData("side-door"))
    click(card.cover_button, left)
    assert [r.ipp for r in engine.status().reasons] == ["door-open-error"]
    assert card.cover_button.text() == "Close"
    click(card.cover_button, left)
    assert engine.status().reasons == ()
    assert card.cover_button.text() == "Open"

    card.toner_box.setCurrentIndex(card.toner_box.findData("yellow"))
    card.toner_spin.setValue(7)
    click(card.toner_button, left)
    toner = {t.colour: t.level_pct for t in engine.status().toner}
    assert toner["yellow"] == 7
    assert "Y 7%" in card.toner_label.full_text()

    card.tray_box.setCurrentIndex(card.tray_box.findData("bypass"))
    click(card.empty_button, left)
    trays = {t.tray_id: t.level for t in engine.status().trays}
    assert trays["bypass"] == 0
    assert card.tray_box.currentText() == "Bypass · A4 · 0/100"
    click(card.fill_button, left)
    assert {t.tray_id: t.level for t in engine.status().trays}["bypass"] == 100

    card.simplex_spin.setValue(45)
    card.duplex_spin.setValue(40)
    click(card.ppm_button, left)
    assert (engine.status().ppm_simplex, engine.status().ppm_duplex) == (45, 40)


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_control_of_the_dock_card_is_cut_short(
    qtbot: QtBot,
    size: tuple[int, int],
    device: EngineFake,
    make_window: Callable[..., PanelWindow],
) -> None:
    """Every button and number box shows its whole text, every combo item fits its box, at
    each panel size (the state and toner lines are elided with a tooltip, as the dock's are)."""
    window = make_window(screen=size)
    dock = QaDock(window, device)
    card = dock.engine
    device.engine.open_cover("side-door")  # the cover button at its widest ("Close", bold)
    card.cover_box.setCurrentIndex(card.cover_box.findData("side-door"))

    def cut() -> list[str]:
        found = [
            f"{w.objectName()} {w.text()!r}"
            for w in card.findChildren(QPushButton)
            if w.width() < w.minimumSizeHint().width()
        ]
        found += [
            f"spin {w.text()!r}"
            for w in card.findChildren(QAbstractSpinBox)
            if w.width() < w.minimumSizeHint().width()
        ]
        for box in card.findChildren(QComboBox):
            room = box.width() - 28  # the frame, padding and arrow (dock.qss)
            found += [
                f"combo item {box.itemText(i)!r} in {room} px"
                for i in range(box.count())
                if box.fontMetrics().horizontalAdvance(box.itemText(i)) > room
            ]
        return found

    for _ in range(5):  # a new text's layout request travels up one parent per round
        QApplication.processEvents()
    problems = cut()
    assert not problems, "\n".join(problems)


# -- languages (issue 19) -------------------------------------------------------------------------
def test_the_fault_screen_and_device_status_follow_a_switch_to_japanese(
    qtbot: QtBot, device: EngineFake, panel: PanelWindow
) -> None:
    """Titles, the catalogue's sentence and steps (marked in the core), a question's wording
    and choices, trays, toner and counters: in Japanese while they show, English again after."""
    device.engine.set_tray("tray-1", 0)
    job = device.add_job("Report", JobState.PRINTING, pages=3)
    device.start_printing(job, PrintOptions(tray="tray-1"))
    fault = panel.fault_screen
    qtbot.waitUntil(fault.isVisible)
    with in_language("ja"):
        assert fault.title_label.text() == "用紙切れ"
        assert fault.message_label.text() == (
            "トレイ1のA4用紙がありません。A4用紙をセットするか、別のトレイを選んでください。"
        )
        assert [label.text() for label in fault.step_labels] == [
            "トレイ1を引き出してください。",
            "A4用紙をセットしてください。",
            "トレイ1を元に戻してください。",
        ]
        assert fault.choice_buttons["tray:tray-2"].text() == "トレイ2 (A4) を使う"
        assert fault.choice_buttons["cancel"].text() == "ジョブを中止"
        assert fault.later_button.text() == "あとで"
    assert fault.message_label.text() == (
        "Tray 1 is out of A4 paper. Load A4 paper or choose another tray."
    )
    assert fault.choice_buttons["tray:tray-2"].text() == "Use Tray 2 (A4)"

    finger(panel, fault.later_button)
    assert not fault.isVisible()
    device.engine.set_toner("cyan", 5)
    panel.show_device_status()
    status = panel.device_status_screen
    with in_language("ja"):
        assert status.state_pill.text() in ("印刷できます", "印刷中", "停止中")
        assert status.tray_rows["tray-1"].name.text() == "トレイ1"
        assert status.tray_rows["tray-1"].level.full_text() == "用紙なし"
        assert status.gauges["cyan"].name.full_text() == "シアン"
        assert "シアントナーの残量が少なくなっています。" in status.reason_texts()[-1]
    assert status.tray_rows["tray-1"].level.full_text() == "Empty"
    assert status.gauges["cyan"].name.full_text() == "Cyan"
    assert "Cyan toner is low." in status.reason_texts()[-1]
