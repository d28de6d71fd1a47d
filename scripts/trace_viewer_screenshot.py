"""Take the README's picture of the dock's trace viewer during a demo-like session with a fault:
the real server, the real device core, the real window with its dock, under Xvfb.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/trace_viewer_screenshot.py \
        [--out docs/screenshots] [--screen 800x480] [--language ja]

As scripts/dock_screenshot.py does (whose helpers it shares): a server with the demo data, the
simulated networks "Wired LAN" and "LTE" in front of it, a device on both and its PanelWindow
with the QA dock, whose Trace tab reads the device's and the server's trace.jsonl. Alice logs
in; a print job is sent to her from the server; "Wired LAN" is cut in the dock (the device fails
over to LTE) and restored; tray 1 jams while the job prints and is cleared. Then the Trace tab
is opened and the jam is clicked on the engine lane. It writes:

  trace-viewer.png   the dock's Trace tab: the lanes with the jam and the network's warnings
                     marked, the merged list, the jam's fields (trace-viewer-ja.png with
                     --language ja)
"""

from __future__ import annotations

import argparse
import asyncio
import base64
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from screenshots import ALICE, LTE, WIRED, click, demo_panel, shot_args, tap, type_login, until

from panel.device import ConnectionState, Device, JobState
from panel.modes.gui_mode import demo_cards
from panel.protocol.messages import JobCreate
from panel.server.demo_data import sample_pdf
from panel.ui import i18n
from panel.ui.dock import QaDock
from panel.ui.dock.trace_view_data import FAULT
from panel.ui.qt_loop import run_qt, signal_future
from panel.ui.scan_render import render_scan
from panel.ui.window import PanelWindow

SHOT_HEIGHT = 700


def on(device: Device, network: str) -> bool:
    return any(status.active and status.name == network for status in device.networks)


async def session(server_submit: object, device: Device, window: PanelWindow, dock: QaDock) -> None:
    """What QA does before looking at the trace: a job, a network cut, a jam."""
    online = ConnectionState.ONLINE
    await until("online", lambda: device.connection_state is online)
    type_login(window)
    tap(window, window.login_screen.keypad.buttons["ok"])
    await until("home", lambda: window.current_screen() is window.home_screen)
    assert callable(server_submit)
    await server_submit()
    await until(
        "a job printing",
        lambda: any(job.state is JobState.PRINTING for job in device.jobs.all()),
    )
    click(dock.cards[WIRED].down_button)
    await until("the device on LTE", lambda: on(device, LTE))
    dock.engine.jam_box.setCurrentIndex(max(0, dock.engine.jam_box.findData("tray-1")))
    click(dock.engine.jam_button)
    await until("the jam", lambda: device.engine.status().has_error)
    await asyncio.sleep(2)
    click(dock.engine.clear_button)
    assert dock.restore_button is not None
    click(dock.restore_button)
    await until("the device back on Wired LAN", lambda: on(device, WIRED), 40)
    await until(
        "the job done",
        lambda: all(job.state is not JobState.PRINTING for job in device.jobs.all()),
        60,
    )


async def look(dock: QaDock) -> None:
    """The Trace tab, the jam clicked on its lane."""
    dock.show_trace()
    view = dock.trace_view
    await until("the trace read", lambda: any(e.level == FAULT for e in view.model.rows))
    await asyncio.sleep(0.6)  # the last lines read, the window widened and laid out
    view.lanes.zoom(90.0)
    jam = next(e for e in view.model.rows if e.level == FAULT and e.concern == "engine")
    lanes = view.lanes
    QTest.mouseClick(
        lanes,
        Qt.MouseButton.LeftButton,
        pos=QPoint(lanes.tick_x(jam), round(lanes.lane_y("engine"))),
    )
    await until("the jam's fields", lambda: view.fields.entry is not None)


async def shoot(window: PanelWindow, dock: QaDock, path: Path) -> None:
    """The dock alone, as tall as the desktop allows (the panel beside it is scaled down)."""
    window.resize(window.width(), SHOT_HEIGHT)
    await asyncio.sleep(0.6)  # laid out and painted at that height
    path.parent.mkdir(parents=True, exist_ok=True)
    shot = dock.grab()
    if not shot.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    print(f"wrote {path} ({shot.width()}x{shot.height()})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--language", default="en", choices=sorted(i18n.LANGUAGES))
    known, rest = parser.parse_known_args(argv)
    out, width, height = shot_args(rest, __doc__, "800x480")
    name = "trace-viewer.png" if known.language == "en" else f"trace-viewer-{known.language}.png"

    async def run(_app: QApplication) -> int:
        i18n.set_language(known.language)
        stage = demo_panel(
            "mfp-panel-trace-shot-", (width, height), links="sims", renderer=render_scan
        )
        async with stage as demo:
            server, device, window = demo.server, demo.device, demo.window
            traces = [demo.root / "device" / "trace.jsonl", demo.root / "server" / "trace.jsonl"]
            dock = QaDock(window, device, demo.sims, demo_cards(), shown=True, traces=traces)

            async def submit() -> None:
                title = "Quarterly report"
                doc = base64.b64encode(sample_pdf(6, title)).decode()
                await server.dispatcher.submit(JobCreate(ALICE, title, doc, f"{title}.pdf"))

            painted = signal_future(window.login_painted)
            window.show()
            await asyncio.wait_for(painted, 10)
            await session(submit, device, window, dock)
            await look(dock)
            await shoot(window, dock, out / name)
        return 0

    return run_qt(run)


if __name__ == "__main__":
    raise SystemExit(main())
