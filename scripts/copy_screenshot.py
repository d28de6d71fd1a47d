"""Take the README's screenshot of Copy (issue 14): the real server, the real device core, the real
window with its QA dock, under Xvfb.

    xvfb-run -a -s "-screen 0 1680x900x24" .venv/bin/python scripts/copy_screenshot.py \
        [--out docs/screenshots] [--screen 800x480]

Like scripts/screenshots.py (whose helpers it uses): a server with the demo users and a device
(12 pages a minute, so the count is seen going). Alice logs in on the keypad and opens Copy; QA
places the 3-page sample letter in the feeder with the dock's originals card; 3 copies 2-sided
are set with taps and started. It writes:

  copy.png  the whole window at the 7" panel's size, the dock beside it: the Copy screen
            mid-copy ("Copying page 4 of 9", "2 of 6 sheets out", Stop), 3 copies 1 -> 2 on
            the tiles, "3 pages in the feeder"; the dock scrolled to its originals card
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QScrollArea
from screenshots import click, demo_panel, save, shot_args, tap, type_login, until

from panel.device import ConnectionState, Device
from panel.device.copying import Placement
from panel.modes.gui_mode import demo_cards
from panel.ui.dock import QaDock
from panel.ui.qt_loop import run_qt, signal_future
from panel.ui.window import PanelWindow

ROOT = Path(__file__).resolve().parent.parent


async def copying(device: Device, window: PanelWindow, dock: QaDock, out: Path) -> None:
    painted = signal_future(window.login_painted)
    window.show()
    await until("the login screen painted", lambda: painted.done())
    await until("the device online", lambda: device.connection_state is ConnectionState.ONLINE)
    type_login(window)
    tap(window, window.login_screen.keypad.buttons["ok"])
    await until("the home screen", lambda: window.current_screen() is window.home_screen)
    tap(window, window.home_screen.tiles["copy"])
    screen = window.copy_screen
    await until("the Copy screen", lambda: window.current_screen() is screen)

    card = dock.originals
    scroll = dock.cards_scroll  # the simulator tab (the dock also has the trace viewer)
    assert isinstance(scroll, QScrollArea)
    scroll.ensureWidgetVisible(card)  # below the engine card: scrolled into view
    card.sample_box.setCurrentIndex(card.sample_box.findData("letter"))
    card.placement_box.setCurrentIndex(card.placement_box.findData(Placement.FEEDER.value))
    click(card.place_button)
    await until("the letter in the feeder", lambda: screen.status.original is not None)
    for _ in range(2):
        tap(window, screen.copies.plus_button)
    tap(window, screen.tiles["sides"])
    tap(window, screen.choices["1-2"])
    tap(window, screen.done_button)
    tap(window, screen.start_button)
    window.toast.hide()
    await save(
        window,
        out / "copy.png",
        lambda: screen.progress_text.text() == "Copying page 4 of 9",
    )
    tap(window, screen.stop_button)
    await until("the copy stopped", lambda: screen.result_label.isVisible())


def main(argv: list[str] | None = None) -> int:
    out, width, height = shot_args(argv, __doc__, "800x480")

    async def run(_app: QApplication) -> int:
        # users only: no job before the copy
        async with demo_panel(
            "mfp-panel-copy-shot-", (width, height), jobs=False, ppm=12.0
        ) as demo:
            device, window = demo.device, demo.window
            dock = QaDock(window, device, None, demo_cards(), shown=True)
            await copying(device, window, dock, out)
        return 0

    return run_qt(run)


if __name__ == "__main__":
    raise SystemExit(main())
