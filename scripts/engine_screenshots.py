"""Take the README's screenshots of the print engine on the panel (issue 14): the real server, the
real device core, the real window, under Xvfb.

    xvfb-run -a -s "-screen 0 1680x900x24" .venv/bin/python scripts/engine_screenshots.py \
        [--out docs/screenshots] [--screen 1024x600]

Like scripts/screenshots.py (whose helpers it uses): a server with the demo data, a device (30
pages a minute) and its PanelWindow with the QA dock. Alice logs in on the keypad and a 12-page
job prints; the QA dock's engine card does what QA does. It writes:

  engine-jam.png        a sheet jammed at the tray 1 feed mid-job: the fault screen over the
                        job list (tray 1 pictured, the steps, J-0101), Attention lit steadily
  engine-status.png     the device status screen while the job goes on after Done: cyan toner
                        low and the bypass tray empty (warnings, Attention blinking, caught lit),
                        tray levels, toner gauges, counters
  engine-attention.png  the whole window with the QA dock: the front cover opened from the
                        dock's engine card, the panel saying so, Attention lit
"""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtWidgets import QApplication
from screenshots import ALICE, click, demo_panel, save, shot_args, tap, type_login, until

from panel.device import ConnectionState, Device, JobState
from panel.modes.gui_mode import demo_cards
from panel.protocol.messages import JobCreate
from panel.server.demo_data import sample_pdf
from panel.ui.dock import QaDock
from panel.ui.qt_loop import run_qt, signal_future
from panel.ui.scan_render import render_scan
from panel.ui.window import PanelWindow

ROOT = Path(__file__).resolve().parent.parent


async def jam(device: Device, window: PanelWindow, dock: QaDock, out: Path) -> None:
    """engine-jam.png: the job list behind, the fault screen over it, Attention lit."""
    tap(window, window.home_screen.tiles["jobs"])
    await until("the job list", lambda: window.current_screen() is window.jobs_screen)

    def printing() -> bool:
        return any(j.state is JobState.PRINTING and j.pages_done >= 2 for j in device.jobs.all())

    await until("two pages printed", printing)
    card = dock.engine
    card.jam_box.setCurrentIndex(card.jam_box.findData("tray-1"))
    click(card.jam_button)
    fault = window.fault_screen
    await until("the fault screen", fault.isVisible)
    window.toast.hide()
    await save(window, out / "engine-jam.png", lambda: window.leds["attention"].is_lit())
    tap(window, fault.done_button)
    await until("the fault screen gone", lambda: not fault.isVisible())


async def status(device: Device, window: PanelWindow, dock: QaDock, out: Path) -> None:
    """engine-status.png: two warnings, the levels and the counters, the job still printing."""
    card = dock.engine
    card.toner_box.setCurrentIndex(card.toner_box.findData("cyan"))
    card.toner_spin.setValue(6)
    click(card.toner_button)
    card.tray_box.setCurrentIndex(card.tray_box.findData("bypass"))
    click(card.empty_button)
    device.engine.set_tray("tray-2", 180)
    tap(window, window.jobs_screen.back_button)
    tap(window, window.home_screen.status_button)
    screen = window.device_status_screen
    await until("the device status", lambda: window.current_screen() is screen)
    await until("a few more pages", lambda: device.engine.status().counters.total >= 5)
    window.toast.hide()
    led = window.leds["attention"]
    await save(window, out / "engine-status.png", lambda: led.is_blinking() and led.is_lit())


async def cover(device: Device, window: PanelWindow, dock: QaDock, out: Path) -> None:
    """engine-attention.png: the whole window, the dock's engine card opened the front cover."""
    dock.set_shown(True)
    card = dock.engine
    card.cover_box.setCurrentIndex(card.cover_box.findData("front-cover"))
    click(card.cover_button)
    await until("the cover screen", lambda: window.fault_screen.isVisible())
    window.toast.hide()
    await save(window, out / "engine-attention.png", lambda: window.leds["attention"].is_lit())
    click(card.cover_button)  # closed again
    await until("printing again", lambda: not window.fault_screen.isVisible())


def main(argv: list[str] | None = None) -> int:
    out, width, height = shot_args(argv, __doc__, "1024x600")

    async def run(_app: QApplication) -> int:
        stage = demo_panel(
            "mfp-panel-engine-shots-", (width, height), renderer=render_scan, ppm=30.0
        )
        async with stage as demo:
            server, device, window = demo.server, demo.device, demo.window
            dock = QaDock(window, device, None, demo_cards(), shown=False)
            painted = signal_future(window.login_painted)
            window.show()
            await painted
            online = ConnectionState.ONLINE
            await until("online", lambda: device.connection_state is online)
            type_login(window)
            tap(window, window.login_screen.keypad.buttons["ok"])
            await until("home", lambda: window.current_screen() is window.home_screen)
            title = "Quarterly figures"
            doc = base64.b64encode(sample_pdf(12, title)).decode()
            await server.dispatcher.submit(JobCreate(ALICE, title, doc, f"{title}.pdf"))
            await jam(device, window, dock, out)
            await status(device, window, dock, out)
            await cover(device, window, dock, out)
        return 0

    return run_qt(run)


if __name__ == "__main__":
    raise SystemExit(main())
