"""Take the panel's documentation screenshots from a real window.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py [--out DIR]

The panel runs on a qasync loop exactly as in the product; a scripted fake device (the GUI
tests' `FakeDevice`) plays the device core. `capture()` and `tour()` take any PanelWindow, so
the same tour can later drive a real device core against a real server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from panel.device.model import JobKind, JobState, PrinterState  # noqa: E402
from panel.ui.capture import capture  # noqa: E402
from panel.ui.qt_loop import run_qt  # noqa: E402
from panel.ui.window import SCREEN_SIZES, PanelWindow  # noqa: E402
from tests.gui.fake_device import FakeDevice  # noqa: E402


def save(window: PanelWindow, path: Path) -> None:
    shot = capture(window, path)
    print(f"wrote {path} ({shot.width()}x{shot.height()})")


async def shown(window: PanelWindow, page: object, seconds: float = 10.0) -> None:
    """Wait until the touchscreen shows `page`."""
    arrived = asyncio.Event()

    def check(_index: int = 0) -> None:
        if window.current_screen() is page:
            arrived.set()

    window.stack.currentChanged.connect(check)
    try:
        check()
        await asyncio.wait_for(arrived.wait(), seconds)
    finally:
        window.stack.currentChanged.disconnect(check)


async def tap_keys(window: PanelWindow, user_id: str, pin: str) -> None:
    """Type on the on-screen keypad the way a user does: tap a field, tap digits."""
    login = window.login_screen
    for field, text in ((login.user_field, user_id), (login.pin_field, pin)):
        login.select_field(field)
        for digit in text:
            login.keypad.buttons[digit].click()
            await asyncio.sleep(0.02)


async def settle() -> None:
    """Give Qt time to lay out, repaint and hand the frame to the X server."""
    await asyncio.sleep(0.3)


async def tour(window: PanelWindow, device: FakeDevice, out: Path) -> None:
    """login.png (ID typed, PIN masked), home.png, jobs.png (a job printing, page x of y)."""
    painted = asyncio.Event()
    window.login_painted.connect(painted.set)
    window.show()
    window.raise_()
    window.activateWindow()
    await asyncio.wait_for(painted.wait(), 10)

    await tap_keys(window, "1001", "1234")
    await settle()
    save(window, out / "login.png")

    window.login_screen.keypad.buttons["ok"].click()
    await shown(window, window.home_screen)
    copied = device.add_job("Copy: contract", JobState.PRINTING, pages=3, kind=JobKind.COPY)
    device.progress(copied.job_id, 3)
    device.set_state(copied.job_id, JobState.COMPLETED)
    jammed = device.add_job("Invoice 2291.pdf", JobState.PRINTING, pages=2)
    device.set_state(jammed.job_id, JobState.FAILED, "Paper jam in tray 2")
    device.add_job("Boarding pass.pdf", JobState.HELD, pages=1, user_id="2002")
    device.add_job("Scan to cloud: receipts", JobState.SENDING, pages=5, kind=JobKind.SCAN)
    report = device.add_job("Quarterly report.pdf", JobState.QUEUED, pages=6, copies=2)
    await settle()
    save(window, out / "home.png")

    window.home_screen.tiles["jobs"].click()
    await shown(window, window.jobs_screen)
    device.set_printer(PrinterState.PROCESSING)
    device.set_state(report.job_id, JobState.PRINTING)
    for page in range(1, 6):
        device.progress(report.job_id, page)
        await asyncio.sleep(0.1)
    device.notice("Tray 2 is low on paper.", "warning")
    await settle()
    save(window, out / "jobs.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--screen",
        default="1024x600",
        choices=[f"{w}x{h}" for w, h in SCREEN_SIZES],
        help="the touchscreen's logical resolution",
    )
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.screen.split("x"))

    async def run(_app: object) -> int:
        device = FakeDevice(now=time.time())
        window = PanelWindow(device, screen=(width, height))
        try:
            await tour(window, device, args.out)
        finally:
            window.close()
        return 0

    return run_qt(run)


if __name__ == "__main__":
    raise SystemExit(main())
