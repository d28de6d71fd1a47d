"""The remote-maintenance views on their own (S3): the request screen, the consent prompt and
its countdown on an injected clock, the banner, the chat strip, how screen tiles merge into
rectangles, and a panel whose device cannot call (the view tests' FakeDevice has no
maintenance client)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support.i18n import in_language

from panel.device.attention import error_codes
from panel.device.engine import faults
from panel.device.engine.status import Counters, EngineStatus, Reason
from panel.device.maintenance import ChatLine, Consent, MaintenancePhase, MaintenanceStatus
from panel.device.model import ConnectionState, PrinterState
from panel.protocol.maintenance import MAX_NOTE
from panel.ui.remote_screen import merge_tiles
from panel.ui.screens.maintenance import (
    REASONS,
    ConsentDialog,
    MaintenanceBanner,
    MaintenanceChat,
    MaintenanceScreen,
)
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def screen(qtbot: QtBot) -> MaintenanceScreen:
    view = MaintenanceScreen()
    qtbot.addWidget(view)
    view.resize(1024, 554)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_reason_is_needed_and_the_call_carries_it_with_the_note(
    qtbot: QtBot, screen: MaintenanceScreen
) -> None:
    assert [b.text() for b in screen.reason_buttons.values()] == [r for r, _ in REASONS]
    assert not screen.call_button.isEnabled()
    screen.submit()  # Enter with nothing chosen
    assert screen.error_label.text() == "Choose what the problem is."

    QTest.mouseClick(screen.reason_buttons["Paper jam"], Qt.MouseButton.LeftButton)
    QTest.mouseClick(screen.reason_buttons["Network or login"], Qt.MouseButton.LeftButton)
    assert screen.reason() == "Network or login"  # one reason at a time
    assert screen.note_button.text() == "Tap to add a note"
    QTest.mouseClick(screen.note_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.typing
    QTest.keyClicks(screen.note_field, "  Wi-Fi drops at noon  ")
    QTest.keyClick(screen.note_field, Qt.Key.Key_Return)  # Enter is Done
    assert screen.pages.currentWidget() is screen.form
    assert screen.note_button.text() == "Wi-Fi drops at noon"

    with qtbot.waitSignal(screen.call_requested) as called:
        QTest.mouseClick(screen.call_button, Qt.MouseButton.LeftButton)
    assert called.args == ["Network or login", "Wi-Fi drops at noon"]
    assert screen.error_label.text() == ""


def test_the_on_screen_keyboard_types_capitals_once_and_deletes(
    screen: MaintenanceScreen,
) -> None:
    screen.edit_note()
    keys = screen.keyboard.buttons
    for name in ["shift", "t", "r", "a", "y", "space", "3", "backspace", "2"]:
        QTest.mouseClick(keys[name], Qt.MouseButton.LeftButton)
    assert screen.note_field.text() == "Tray 2"
    assert not screen.keyboard.shifted
    assert keys["q"].text() == "q"


def test_a_note_is_at_most_as_long_as_the_protocol_allows(screen: MaintenanceScreen) -> None:
    screen.note_field.setText("x" * (MAX_NOTE + 50))
    assert len(screen.note()) == MAX_NOTE


def test_while_calling_the_button_says_so_and_cannot_be_pressed_twice(
    qtbot: QtBot, screen: MaintenanceScreen
) -> None:
    screen.choose("Paper jam")
    screen.set_busy(True)
    assert screen.call_button.text() == "Calling…"
    assert not screen.call_button.isEnabled()
    with qtbot.assertNotEmitted(screen.call_requested):
        screen.submit()


def test_the_progress_page_follows_the_call(screen: MaintenanceScreen) -> None:
    screen.set_status(MaintenanceStatus(MaintenancePhase.CALLING))
    assert screen.pages.currentWidget() is screen.progress
    assert screen.progress_title.text() == "Calling the service desk…"
    screen.set_status(MaintenanceStatus(MaintenancePhase.QUEUED, "mc-1", 3))
    assert screen.progress_title.text() == "You are number 3 in the queue"
    assert screen.progress_detail.text() == "2 calls ahead of yours."
    screen.set_status(MaintenanceStatus(MaintenancePhase.ASSIGNED, "mc-1", 0, "Ravi Shah"))
    assert screen.progress_title.text() == "Ravi Shah is taking your call"
    assert screen.cancel_button.text() == "Cancel call"
    screen.set_status(MaintenanceStatus(MaintenancePhase.ENDED, "mc-1", end_reason="replaced"))
    assert screen.pages.currentWidget() is screen.form


def _status(printer: PrinterState, *reasons: Reason) -> EngineStatus:
    return EngineStatus(printer, reasons, (), (), Counters(), 0.0, 0.0, False, None)


def test_the_error_codes_are_what_lights_attention() -> None:
    """The call carries the core's codes (panel.device.attention): the engine's first."""
    assert error_codes(_status(PrinterState.IDLE), ConnectionState.ONLINE, False) == []
    assert error_codes(_status(PrinterState.STOPPED), ConnectionState.CONNECTING, True) == [
        "PRN-STOPPED",
        "JOB-FAILED",
        "NET-CONNECTING",
    ]
    jam = faults.reason("media-jam", "tray-1")
    assert error_codes(_status(PrinterState.STOPPED, jam), ConnectionState.ONLINE, False) == [
        "J-0101"
    ]


# -- the consent prompt ---------------------------------------------------------------------------


class InjectedClock:
    """Device time for the prompt, moved by the test (the real device's is a ManualClock)."""

    def __init__(self) -> None:
        self.now = 1_767_261_600.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def touchscreen(qtbot: QtBot) -> QWidget:
    area = QWidget()
    qtbot.addWidget(area)
    area.resize(1024, 600)
    area.show()
    qtbot.waitExposed(area)
    return area


def test_the_prompt_counts_down_on_the_clock_it_is_given(
    qtbot: QtBot, touchscreen: QWidget
) -> None:
    clock = InjectedClock()
    dialog = ConsentDialog(clock, touchscreen)
    dialog.ask("Olivia Park", clock.now + 30, 30)
    assert dialog.isVisible()
    assert dialog.geometry() == touchscreen.rect()  # over the whole touchscreen
    assert dialog.countdown_label.text() == "No answer in 30 s means Deny."
    assert dialog.countdown_bar.value() == dialog.countdown_bar.maximum() == 300
    clock.now += 7.5
    qtbot.waitUntil(lambda: dialog.countdown_label.text() == "No answer in 23 s means Deny.")
    assert dialog.countdown_bar.value() == 225
    clock.now += 30
    qtbot.waitUntil(lambda: dialog.countdown_label.text() == "No answer: denied.")
    assert dialog.remaining_s() == 0
    assert dialog.isVisible()  # the core answers "deny"; the window closes the prompt then


def test_each_choice_is_reported_and_closes_the_prompt(qtbot: QtBot, touchscreen: QWidget) -> None:
    clock = InjectedClock()
    dialog = ConsentDialog(clock, touchscreen)
    for choice in Consent:
        dialog.ask("Olivia Park", clock.now + 30, 30)
        with qtbot.waitSignal(dialog.chosen) as chosen:
            QTest.mouseClick(dialog.buttons[choice], Qt.MouseButton.LeftButton)
        assert chosen.args == [choice]
        assert not dialog.isVisible()


def test_changing_the_answer_marks_the_current_one_and_has_no_countdown(
    qtbot: QtBot, touchscreen: QWidget
) -> None:
    dialog = ConsentDialog(InjectedClock(), touchscreen)
    dialog.change("Olivia Park", Consent.VIEW)
    assert dialog.title.text() == "What may Olivia Park do on this panel?"
    assert not dialog.buttons[Consent.VIEW].isEnabled()
    assert dialog.buttons[Consent.OPERATE].isEnabled()
    assert not dialog.countdown_label.isVisible()
    with qtbot.assertNotEmitted(dialog.chosen):
        QTest.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


# -- the banner and the chat strip ----------------------------------------------------------------


def test_the_banner_shows_the_call_and_goes_when_it_ends(qtbot: QtBot) -> None:
    banner = MaintenanceBanner()
    qtbot.addWidget(banner)
    banner.resize(1024, 48)
    banner.set_status(MaintenanceStatus())
    assert banner.isHidden()
    banner.set_status(MaintenanceStatus(MaintenancePhase.QUEUED, "mc-1", 1))
    assert not banner.isHidden()
    assert banner.title_label.full_text() == "You are number 1 in the queue"
    assert banner.end_button.text() == "Cancel call"
    assert banner.consent_pill.isHidden()

    active = MaintenanceStatus(MaintenancePhase.ACTIVE, "mc-1", 0, "Olivia Park")
    banner.set_status(active)
    assert banner.title_label.full_text() == "Remote maintenance · Olivia Park"
    assert banner.consent_pill.text() == "Answer needed"
    assert banner.change_button.isHidden()  # the prompt is the place to answer
    assert banner.end_button.text() == "End"
    for consent, text in [
        (Consent.DENY, "Viewing not allowed"),
        (Consent.VIEW, "Viewing your screen"),
        (Consent.OPERATE, "Operating this panel"),
    ]:
        banner.set_status(
            MaintenanceStatus(MaintenancePhase.ACTIVE, "mc-1", 0, "Olivia Park", consent)
        )
        assert banner.consent_pill.text() == text
        assert banner.consent_pill.property("consent") == consent.value
        assert not banner.change_button.isHidden()

    with qtbot.waitSignal(banner.end_requested):
        QTest.mouseClick(banner.end_button, Qt.MouseButton.LeftButton)
    banner.set_status(MaintenanceStatus(MaintenancePhase.ENDED, end_reason="ended_by_panel"))
    assert banner.isHidden()


def test_the_chat_strip_shows_the_operators_latest_line_on_one_line(qtbot: QtBot) -> None:
    chat = MaintenanceChat()
    qtbot.addWidget(chat)
    chat.resize(600, 36)
    chat.add_line(ChatLine("panel", "hello", 1.0, True))
    assert chat.isHidden()  # the panel's own lines are not news to its user
    chat.add_line(ChatLine("Olivia Park", "Open\ntray 2,   please", 2.0, False))
    assert not chat.isHidden()
    assert chat.text() == "Olivia Park: Open tray 2, please"
    chat.add_line(ChatLine("Olivia Park", "Thanks! " * 40, 3.0, False))
    assert chat.label.text().endswith("…")  # elided to the strip's width
    chat.clear()
    assert chat.isHidden()
    assert chat.lines == []


# -- without a maintenance client -----------------------------------------------------------------


def test_a_device_that_cannot_call_says_so(make_window: Callable[..., PanelWindow]) -> None:
    window = make_window()
    assert window.maintenance is None
    QTest.mouseClick(window.keys["maintenance"], Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.login_screen
    assert window.toast.text() == "Remote maintenance is not available right now."
    assert not window.maintenance_banner.isVisible()


# -- tiles into rectangles ------------------------------------------------------------------------


def test_changed_tiles_merge_into_few_rectangles_clipped_to_the_screen() -> None:
    assert merge_tiles([], 1024, 600) == []
    assert merge_tiles([(0, 0)], 1024, 600) == [(0, 0, 64, 64)]
    # a row of three, and the same span on the next row: one rectangle
    assert merge_tiles([(1, 0), (2, 0), (3, 0), (1, 1), (2, 1), (3, 1)], 1024, 600) == [
        (64, 0, 192, 128)
    ]
    # the bottom row is cut to the screen (600 = 9 * 64 + 24) and so is the right edge
    assert merge_tiles([(15, 9)], 1000, 600) == [(960, 576, 40, 24)]
    # an L shape: two rectangles; a gap splits a row
    assert merge_tiles([(0, 0), (1, 0), (0, 1)], 1024, 600) == [(0, 0, 128, 64), (0, 64, 64, 64)]
    assert merge_tiles([(0, 2), (2, 2)], 1024, 600) == [(0, 128, 64, 64), (128, 128, 64, 64)]
    every = [(c, r) for r in range(10) for c in range(16)]
    assert merge_tiles(every, 1024, 600) == [(0, 0, 1024, 600)]


# -- another language ------------------------------------------------------------------------------


def test_the_request_screen_switches_language_while_it_shows(
    screen: MaintenanceScreen,
) -> None:
    """Title, buttons, reasons, the attachments and an error follow a switch to Japanese and
    back; the reason the operator reads stays English."""
    screen.set_attachments(["J-0101"], ["Printer idle"])
    screen.submit()  # no reason: an error shows
    with in_language("ja"):
        assert screen.titles[screen.form].full_text() == "保守呼び出し"
        assert screen.back_button.text() == "戻る"
        assert screen.call_button.text() == "サービスを呼び出す"
        assert screen.reason_buttons["Paper jam"].text() == "紙詰まり"
        assert screen.error_label.text() == "問題の種類を選択してください。"
        assert screen.attached_label.text().startswith("エラーコード: J-0101")
        assert screen.note_button.text() == "タップしてメモを追加"
        screen.choose("Paper jam")
        assert screen.reason() == "Paper jam"
        screen.set_status(MaintenanceStatus(MaintenancePhase.QUEUED, "mc-1", 3))
        assert screen.progress_title.text() == "待ち順: 3 番目"
        assert screen.cancel_button.text() == "呼び出しを取消"
    assert screen.titles[screen.form].full_text() == "Call for maintenance"
    assert screen.call_button.text() == "Call service"
    assert screen.progress_title.text() == "You are number 3 in the queue"
    assert screen.progress_detail.text() == "2 calls ahead of yours."


def test_the_prompt_and_the_banner_switch_language_while_they_show(
    qtbot: QtBot, touchscreen: QWidget
) -> None:
    clock = InjectedClock()
    dialog = ConsentDialog(clock, touchscreen)
    dialog.ask("Olivia Park", clock.now + 30, 30)
    banner = MaintenanceBanner(touchscreen)
    banner.set_status(MaintenanceStatus(MaintenancePhase.ACTIVE, "mc-1", 0, "Olivia Park"))
    with in_language("ja"):
        assert dialog.title.text() == "サービス窓口の Olivia Park が接続を求めています"
        assert dialog.countdown_label.text() == "30 秒以内に応答がない場合は拒否されます。"
        assert dialog.buttons[Consent.VIEW].text() == "表示を許可"
        assert banner.consent_pill.text() == "応答してください"
        assert banner.end_button.text() == "終了"
    assert dialog.countdown_label.text() == "No answer in 30 s means Deny."
    assert dialog.buttons[Consent.VIEW].text() == "Allow viewing"
    assert banner.consent_pill.text() == "Answer needed"
    assert banner.title_label.full_text() == "Remote maintenance · Olivia Park"
