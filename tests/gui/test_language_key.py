"""The login screen's language key (issue 19, acceptance 1): a walk-up user picks a language
for their session, the whole panel switches at once, and logging out (or walking away until the
panel sleeps) brings back the device's language. A switch while a screen shows retranslates it
in place: nothing is built again."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, DESTINATIONS, FakeDevice
from support.i18n import in_language
from support.panel_touch import log_in_with_keypad

from panel.device import settings
from panel.device.events import Event, EventKind
from panel.device.model import ComposeError, Job, LoginOutcome, LoginResult
from panel.device.qr import QrState, QrStatus, Refusal
from panel.device.settings import PanelSettings
from panel.ui import i18n
from panel.ui.screens.phone import PhoneScreen
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

PIN = "1234"  # ALICE's PIN on the fake device


@pytest.fixture
def english_after() -> Iterator[None]:
    """The key switches the process-wide language: English again after the test."""
    try:
        yield
    finally:
        i18n.set_language(i18n.ENGLISH)


@pytest.fixture
def language(english_after: None) -> Callable[[str], None]:
    return i18n.set_language


def tap(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def log_in(qtbot: QtBot, window: PanelWindow) -> None:
    log_in_with_keypad(window, ALICE.user_id, PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)


@pytest.mark.usefixtures("english_after")
def test_japanese_picked_at_login_lasts_the_session_and_logout_brings_english_back(
    qtbot: QtBot, window: PanelWindow
) -> None:
    screen = window.login_screen
    assert screen.language_key.text() == "日本語"  # the next language, in its own words
    tap(screen.language_key)
    assert i18n.current_language() == i18n.JAPANESE
    # The login screen itself, the bezel and the status bar switch at once.
    assert screen.user_field.placeholderText() == "ユーザーID"
    assert screen.language_key.text() == "English"
    assert window.keys["home"].text() == "ホーム"
    assert window.status_bar.user_label.text() == "未ログイン"

    log_in(qtbot, window)
    home = window.home_screen
    assert home.greeting.text() == "Alice Martin さん、こんにちは"
    assert home.tiles["copy"].label.text() == "コピー"
    assert home.tiles["scan"].label.text() == "スキャン"
    assert home.status_button.text() == "機器の状態"
    assert window.keys["login"].text() == "ログアウト"

    tap(window.keys["login"])  # Logout
    qtbot.waitUntil(lambda: window.current_screen() is window.login_screen)
    assert i18n.current_language() == i18n.ENGLISH  # the device's language
    assert screen.user_field.placeholderText() == "User ID"
    assert window.keys["login"].text() == "Login"
    assert home.tiles["copy"].label.text() == "Copy"


@pytest.mark.usefixtures("english_after")
def test_the_device_language_comes_back_whatever_the_user_picked(
    qtbot: QtBot,
    device: FakeDevice,
    window: PanelWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MFP_LANGUAGE", "ja")  # the device is set to Japanese
    i18n.set_language(i18n.JAPANESE)
    screen = window.login_screen
    assert screen.language_key.text() == "English"
    tap(screen.language_key)
    assert i18n.current_language() == i18n.ENGLISH
    log_in(qtbot, window)
    assert window.home_screen.tiles["fax"].label.text() == "Fax"

    device.sign_in(None)  # the core ended the session (an auto-logout)
    qtbot.waitUntil(lambda: window.current_screen() is window.login_screen)
    assert i18n.current_language() == i18n.JAPANESE
    assert window.home_screen.tiles["fax"].label.text() == "ファクス"
    assert screen.language_key.text() == "English"


@pytest.mark.usefixtures("english_after")
def test_the_language_set_in_settings_is_the_one_a_logout_returns_to(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MFP_LANGUAGE", raising=False)
    settings.show_as(PanelSettings(language="ja"))  # an administrator chose Japanese
    try:
        i18n.set_language(i18n.JAPANESE)
        tap(window.login_screen.language_key)  # a visitor reads English for their session
        log_in(qtbot, window)
        assert window.home_screen.tiles["copy"].label.text() == "Copy"
        tap(window.keys["login"])
        qtbot.waitUntil(lambda: window.current_screen() is window.login_screen)
        assert i18n.current_language() == i18n.JAPANESE
        assert window.keys["login"].text() == "ログイン"
    finally:
        settings.show_as(PanelSettings())


def test_a_switch_retranslates_the_home_screen_in_place(
    qtbot: QtBot, home: PanelWindow, language: Callable[[str], None]
) -> None:
    screen = home.home_screen
    tiles = dict(screen.tiles)
    language(i18n.JAPANESE)
    assert home.home_screen is screen  # not built again
    assert screen.tiles == tiles
    assert screen.greeting.text() == "Alice Martin さん、こんにちは"
    assert [screen.tiles[k].label.text() for k in ("jobs", "copy", "files", "apps")] == [
        "プリント / ジョブ",
        "コピー",
        "共有ファイル",
        "アプリ",
    ]
    assert home.status_bar.connection_label.text() in ("オンライン", "接続中…", "オフライン")
    assert home.keys["energy_saver"].text() == "節電"
    language(i18n.ENGLISH)
    assert screen.greeting.text() == "Hello, Alice Martin"
    assert screen.tiles["copy"].label.text() == "Copy"
    assert home.keys["energy_saver"].text() == "Energy\nSaver"


def test_a_refusal_and_a_lock_are_said_in_the_panel_language(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow, language: Callable[[str], None]
) -> None:
    """The core's refusal is worded by the view from its numbers, and follows a switch."""
    screen = window.login_screen
    screen.now = lambda: 1000.0
    device.refuse_login = LoginResult(
        LoginOutcome.REFUSED,
        message="Wrong user ID or PIN. 1 attempt left before a 5-minute lock.",
        attempts_left=1,
        lock_s=300.0,
    )
    log_in_with_keypad(window, ALICE.user_id, "0000")
    warning = "Wrong user ID or PIN. 1 attempt left before a 5-minute lock."
    qtbot.waitUntil(lambda: screen.error_label.text() == warning)
    language(i18n.JAPANESE)
    assert screen.error_label.text() == (
        "ユーザーIDまたは暗証番号が違います。あと1回誤ると5分間のロックがかかります。"
    )
    screen.show_refusal("", retry_after_s=270.0)
    assert screen.error_label.text() == (
        "暗証番号の誤りが多すぎます。4分30秒後にもう一度お試しください。"
    )
    language(i18n.ENGLISH)
    assert screen.error_label.text() == "Too many wrong PINs. Try again in 4 min 30 s."


def test_a_core_refusal_is_translated_when_marked(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    from panel.device.booting import STARTING

    device.refuse_login = LoginResult(LoginOutcome.UNREACHABLE, message=STARTING)
    log_in_with_keypad(window, ALICE.user_id, PIN)
    screen = window.login_screen
    qtbot.waitUntil(lambda: screen.error_label.text() == STARTING)
    with in_language(i18n.JAPANESE):
        assert (
            screen.error_label.text()
            == "機器を起動中です。しばらくしてからもう一度お試しください。"
        )
    assert screen.error_label.text() == STARTING


def test_scan_and_fax_follow_a_switch_while_they_show(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow, language: Callable[[str], None]
) -> None:
    home.show_scan()
    scan = home.scan_screen
    assert scan.select_destination(DESTINATIONS[0].dest_id)
    language(i18n.JAPANESE)
    assert scan.action_button.text() == "スキャン"
    assert scan.back_button.text() == "ホーム"
    assert scan.hint_label.text() == f"{DESTINATIONS[0].name}へ送信します。"
    assert scan.title_label.text().startswith("スキャン ")
    home.show_fax()
    fax = home.fax_screen
    assert fax.action_button.text() == "送信"
    assert fax.number_field.placeholderText() == "番号を入力"
    assert fax.hint_label.text() == "番号を入力して[送信]を押してください。"
    fax.submit()
    assert fax.error_label.text() == "テンキーでファクス番号を入力してください。"
    language(i18n.ENGLISH)
    assert fax.error_label.text() == "Enter the fax number on the keypad."
    assert scan.hint_label.text() == f"Sends to {DESTINATIONS[0].name}."
    assert scan.title_label.text().startswith("Scan ")


def test_the_phone_screen_follows_a_switch(qtbot: QtBot, language: Callable[[str], None]) -> None:
    screen = PhoneScreen()
    qtbot.addWidget(screen)
    screen.set_status(
        QrStatus(QrState.REFUSED, "This QR code has expired. Show a new one on the phone.")
    )
    language(i18n.JAPANESE)
    assert screen.heading.text() == "スマートフォン"
    assert screen.state_label.text() == "表示できません"
    assert screen.message.text() == (
        "このQRコードは有効期限が切れています。スマートフォンに新しいQRコードを表示してください。"
    )
    # A refusal worded with values (an address) is said by its code.
    screen.set_status(
        QrStatus(
            QrState.REFUSED,
            "The phone at 10.0.0.9 cannot be reached. Is it on the same network?",
            refusal=Refusal.UNREACHABLE,
        )
    )
    assert (
        screen.message.text()
        == "スマートフォンに接続できません。同じネットワークにつながっていますか?"
    )
    language(i18n.ENGLISH)
    assert screen.message.text() == (
        "The phone at 10.0.0.9 cannot be reached. Is it on the same network?"
    )
    assert screen.heading.text() == "Phone"


def test_a_core_notice_is_shown_in_the_panel_language(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow, language: Callable[[str], None]
) -> None:
    """A notice the core words with values (its marked template) is said in Japanese."""
    language(i18n.JAPANESE)
    device.events.publish(
        Event(
            EventKind.NOTICE,
            None,
            {
                "text": "Printing your 3 held jobs.",
                "template": "Printing your {count} held jobs.",
                "values": {"count": 3},
            },
        )
    )
    qtbot.waitUntil(home.toast.isVisible)
    assert home.toast.text() == "保留中のジョブ3件を印刷します。"


def test_a_refusal_with_values_is_worded_in_the_panel_language(
    qtbot: QtBot,
    device: FakeDevice,
    home: PanelWindow,
    language: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The outbox's refusal carries its marked sentence and the number that fills it."""

    async def full(number: str, pages: int) -> Job:
        raise ComposeError(
            "The outbox is full ({count} jobs waiting to be sent). Wait until the device is "
            "online, or cancel held jobs.",
            {"count": 500},
        )

    monkeypatch.setattr(device, "send_fax", full)
    home.show_fax()
    fax = home.fax_screen
    fax.number_field.setText("0123456")
    fax.submit()
    qtbot.waitUntil(lambda: fax.error_label.text() != "")
    assert fax.error_label.text().startswith("The outbox is full (500 jobs waiting to be sent).")
    language(i18n.JAPANESE)
    assert fax.error_label.text().startswith(
        "送信待ちのジョブ (500件) で送信ボックスがいっぱいです。"
    )
