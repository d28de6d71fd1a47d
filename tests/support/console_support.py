"""Helpers of the browser tests: a headless Chromium page that lives on a worker thread of its
own (coroutines on the qasync loop: `support.qt_loop.run`).

The page is 1280x800 (the smallest desktop the console is built for), in the en-US locale
(whose default clock is 12-hour) and in a time zone where it is now mid-afternoon, so a time
shown the 12-hour way ("3:05 PM") cannot pass for a 24-hour one ("15:05").
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pytestqt.qtbot import QtBot

if TYPE_CHECKING:
    from playwright.sync_api import Browser as PlaywrightBrowser
    from playwright.sync_api import Page, Playwright

T = TypeVar("T")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STEP_TIMEOUT_MS = 20_000
VIEWPORT = {"width": 1280, "height": 800}
LOCALE = "en-US"
AFTERNOON_HOUR = 15
# Set to a folder (e.g. docs/screenshots) to keep the tests' screenshots there as well.
SCREENSHOTS_ENV = "MFP_CONSOLE_SCREENSHOTS"


def afternoon_timezone(now: float | None = None) -> str:
    """A fixed-offset zone where the hour is now AFTERNOON_HOUR (Etc/GMT-N is N hours east)."""
    east = (AFTERNOON_HOUR - time.gmtime(now).tm_hour + 12) % 24 - 12  # -12..11
    return "Etc/UTC" if east == 0 else f"Etc/GMT{-east:+d}"


def screenshot(page: Page, folder: Path, name: str) -> Path:
    """Save the page as `folder/name`, and under $MFP_CONSOLE_SCREENSHOTS too when it is set."""
    path = folder / name
    page.screenshot(path=str(path))
    if keep := os.environ.get(SCREENSHOTS_ENV):
        (Path(keep) / name).write_bytes(path.read_bytes())
    return path


class Browser:
    """A headless Chromium page owned by one worker thread (Playwright's sync objects must
    stay on the thread that made them)."""

    def __init__(self, qtbot: QtBot) -> None:
        self._qtbot = qtbot
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="chromium")
        self._playwright: Playwright | None = None
        self._browser: PlaywrightBrowser | None = None
        self._page: Page | None = None

    def start(self) -> None:
        self.do(lambda _: None, start=True)

    def do(self, step: Callable[[Page], T], timeout_ms: int = 30_000, start: bool = False) -> T:
        """Run `step(page)` on the browser's thread; the test's thread keeps the panel going."""
        future: Future[T] = self._worker.submit(self._call, step, start)
        self._qtbot.waitUntil(future.done, timeout=timeout_ms)
        return future.result()

    def _call(self, step: Callable[[Page], T], start: bool) -> T:
        if start:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            self._page = self._browser.new_page(
                viewport={"width": VIEWPORT["width"], "height": VIEWPORT["height"]},
                locale=LOCALE,
                timezone_id=afternoon_timezone(),
            )
            self._page.set_default_timeout(STEP_TIMEOUT_MS)
        assert self._page is not None, "the browser is not started"
        return step(self._page)

    def close(self) -> None:
        def stop() -> None:
            if self._browser is not None:
                self._browser.close()
            if self._playwright is not None:
                self._playwright.stop()

        try:
            self._qtbot.waitUntil(self._worker.submit(stop).done, timeout=20_000)
        finally:
            self._worker.shutdown(wait=True)
