"""Helpers of the browser tests: a headless Chromium page that lives on a worker thread of its
own (coroutines on the qasync loop: `support.qt_loop.run`)."""

from __future__ import annotations

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
            self._page = self._browser.new_page(viewport={"width": 1400, "height": 1000})
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
