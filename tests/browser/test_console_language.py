"""The operator console in English and Japanese (issue 19), in headless Chromium against a real
server: the browser's language is the default, the picker switches everything on the page at
once (what the scripts wrote too), and the choice is remembered by the browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytestqt.qtbot import QtBot
from support import running_server
from support.console_support import Browser
from support.qt_loop import run

from panel.server.app import RunningServer
from panel.server.demo_data import DEMO_OPERATORS

pytestmark = pytest.mark.browser

OPERATOR, OPERATOR_NAME, PASSWORD = DEMO_OPERATORS[0]
HEADING = "[data-testid=login-view] h1"


@pytest.fixture
def server(qtbot: QtBot, tmp_path: Path) -> Iterator[RunningServer]:
    server = run(qtbot, running_server(tmp_path))
    server.store.add_operator(OPERATOR, OPERATOR_NAME, PASSWORD)
    try:
        yield server
    finally:
        run(qtbot, server.stop())


def test_the_picker_switches_the_console_to_japanese_and_the_browser_remembers(
    browser: Browser, server: RunningServer
) -> None:
    url = f"{server.url}/operator"

    def in_english_then_japanese(page: Page) -> None:
        page.goto(url)
        expect(page.locator(HEADING)).to_have_text("Sign in")  # an en-US browser
        page.select_option("[data-testid=language]", "ja")
        expect(page.locator(HEADING)).to_have_text("サインイン")
        expect(page.locator("[data-testid=login-submit]")).to_have_text("ログイン")
        expect(page.locator("html")).to_have_attribute("lang", "ja")
        assert page.title().startswith("オペレーターコンソール")
        page.reload()
        expect(page.locator(HEADING)).to_have_text("サインイン")  # remembered

    browser.do(in_english_then_japanese)

    def logged_in_in_japanese(page: Page) -> None:
        page.fill("[data-testid=login-operator]", OPERATOR)
        page.fill("[data-testid=login-password]", PASSWORD)
        page.click("[data-testid=login-submit]")
        expect(page.locator("[data-testid=queue-empty]")).to_have_text(
            "待機中の呼び出しはありません。"
        )
        # Written by the script from the server's state, in the language picked.
        expect(page.locator("[data-testid=operators-available]")).to_have_text(
            "対応可能なオペレーター 1 人（あなた）"  # noqa: RUF001  (Japanese parentheses)
        )
        expect(page.locator("[data-testid=presence-state]")).to_have_text("対応可能")
        page.select_option("[data-testid=language]", "en")
        expect(page.locator("[data-testid=queue-empty]")).to_have_text("No calls waiting.")
        expect(page.locator("[data-testid=operators-available]")).to_have_text(
            "1 operator available: you"
        )
        expect(page.locator("[data-testid=logout]")).to_have_text("Log out")
        page.select_option("[data-testid=language]", "ja")
        page.click("[data-testid=logout]")
        expect(page.locator(HEADING)).to_have_text("サインイン")

    browser.do(logged_in_in_japanese)


def test_a_japanese_browser_opens_the_console_in_japanese(
    browser: Browser, server: RunningServer
) -> None:
    url = f"{server.url}/operator"

    def by_accept_language(page: Page) -> None:
        assert page.context.browser is not None
        for locale, heading in (("ja-JP", "サインイン"), ("en-GB", "Sign in")):
            fresh = page.context.browser.new_page(locale=locale)  # its own storage
            try:
                fresh.goto(url)
                expect(fresh.locator(HEADING)).to_have_text(heading)
                picked = fresh.locator("[data-testid=language]").input_value()
                assert picked == locale[:2]
            finally:
                fresh.close()

    browser.do(by_accept_language)
