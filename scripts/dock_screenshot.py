"""Take the README's picture of every card of the QA dock: the real server, the real device
core, the real window with its dock, under Xvfb.

    xvfb-run -a -s "-screen 0 1680x900x24" .venv/bin/python scripts/dock_screenshot.py \
        [--out docs/screenshots] [--screen 1024x600]

Like scripts/screenshots.py (whose helpers it uses): a server with the demo data, the simulated
networks "Wired LAN" and "LTE" in front of it, a device on both (its clock 10x, so the dock's
stamps are device time) and its PanelWindow with the QA dock. Alice logs in; both networks are
cut from the dock and restored (the log folds the retries); someone steps in front; the sample
letter is placed on the feeder from the originals card; cyan toner is set low from the engine
card. It writes:

  dock-cards.png  the dock's whole column, every card at once (networks, engine, presence and
                  card reader, power, originals, camera, the connection log), grabbed from the
                  dock's scrolled body so none is cut off
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QApplication, QScrollArea
from screenshots import LTE, WIRED, click, demo_panel, shot_args, tap, type_login, until

from panel.device import ConnectionState, Device
from panel.device.copying import Placement
from panel.modes.gui_mode import demo_cards
from panel.ui.dock import QaDock
from panel.ui.qt_loop import run_qt, signal_future
from panel.ui.scan_render import render_scan
from panel.ui.window import PanelWindow

ROOT = Path(__file__).resolve().parent.parent
LOG_PX = 300  # the log card takes the rest of the column: room for its last lines here


async def cards(device: Device, window: PanelWindow, dock: QaDock, out: Path) -> None:
    """dock-cards.png: the dock's body, every card, after QA has used a few of them."""
    online = ConnectionState.ONLINE
    label = window.status_bar.network_label
    await until("the panel on Wired LAN", lambda: label.text() == WIRED)
    for name in (WIRED, LTE):
        click(dock.cards[name].down_button)
    await until("offline", lambda: device.connection_state is not online)
    assert dock.restore_button is not None  # the dock has simulated networks here
    click(dock.restore_button)
    await until("online again", lambda: device.connection_state is online)
    click(dock.approach_button)
    await until("someone in front", lambda: device.presence.present)
    originals = dock.originals
    originals.sample_box.setCurrentIndex(originals.sample_box.findData("letter"))
    originals.placement_box.setCurrentIndex(
        originals.placement_box.findData(Placement.FEEDER.value)
    )
    click(originals.place_button)
    await until("the originals placed", lambda: device.copier.original is not None)
    engine = dock.engine
    engine.toner_box.setCurrentIndex(engine.toner_box.findData("cyan"))
    engine.toner_spin.setValue(8)
    click(engine.toner_button)
    await until("cyan toner low", lambda: device.engine.status().has_warning)
    await until("the panel back on Wired LAN", lambda: label.text() == WIRED)
    await asyncio.sleep(4)  # LTE's next probes answer: both networks green again
    scroll = dock.cards_scroll  # the simulator tab (the dock also has the trace viewer)
    assert isinstance(scroll, QScrollArea)
    body = scroll.widget()  # the column of cards
    assert body is not None
    dock.log_card.setMinimumHeight(LOG_PX)
    body.resize(body.width(), body.sizeHint().height())
    await asyncio.sleep(0.4)  # laid out and painted at that height
    path = out / "dock-cards.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    shot = body.grab()
    if not shot.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    print(f"wrote {path} ({shot.width()}x{shot.height()})")


def main(argv: list[str] | None = None) -> int:
    out, width, height = shot_args(argv, __doc__, "1024x600")

    async def run(_app: QApplication) -> int:
        stage = demo_panel(
            "mfp-panel-dock-shot-",
            (width, height),
            links="sims",
            renderer=render_scan,
            clock_scale=10.0,
        )
        async with stage as demo:
            device, window = demo.device, demo.window
            dock = QaDock(window, device, demo.sims, demo_cards(), shown=True)
            painted = signal_future(window.login_painted)
            window.show()
            await asyncio.wait_for(painted, 10)
            online = ConnectionState.ONLINE
            await until("online", lambda: device.connection_state is online)
            type_login(window)
            tap(window, window.login_screen.keypad.buttons["ok"])
            await until("home", lambda: window.current_screen() is window.home_screen)
            await cards(device, window, dock, out)
        return 0

    return run_qt(run)


if __name__ == "__main__":
    raise SystemExit(main())
