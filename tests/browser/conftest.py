"""The operator console in headless Chromium against a real server and a real panel.

Debian's `chromium` driven by Playwright (executable_path; never `playwright install`, see
PITFALLS.md). Playwright's sync API runs in one worker thread of its own (`Browser.do`), while
the test thread runs the Qt panel, the device core and the server on the session's qasync loop
as tests/gui does: a browser step is submitted to the worker and the test waits for it with
qtbot, which keeps Qt and the loop turning, so the panel streams while the browser waits.

Without chromium the tests are skipped, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from support.console_support import CHROMIUM, Browser
from support.qt_loop import qt_loop, running_loop  # noqa: F401  (fixtures)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the operator console in Chromium")


@pytest.fixture
def browser(qtbot: QtBot) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"headless Chromium is needed at {CHROMIUM} (Debian package chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: CI runs the browser tests")
        pytest.skip(message)
    browser = Browser(qtbot)
    try:
        browser.start()
        yield browser
    finally:
        browser.close()
