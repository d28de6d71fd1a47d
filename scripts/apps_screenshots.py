"""Take the README's screenshots of server apps (issue 17, S8) on the real stack under Xvfb.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/apps_screenshots.py \
        [--out docs/screenshots] [--screen 800x480]

A server with the demo users and its three built-in apps, a device, its panel window; Alice
logs in on the keypad and taps through the apps as a user would. It writes:

  apps-list.png          the Apps tile's list: the three built-in apps
  apps-cloud-folder.png  Scan to cloud folder after a scan: the stored document listed
  apps-print-cloud.png   Print from cloud: the cloud folder's documents, copies, Print
  apps-badge-form.png    Visitor badge: the form typed on the on-screen keyboard
  apps-badge-confirm.png Visitor badge: the confirmation before the badge prints
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QApplication
from screenshots import click, demo_panel, save, shot_args, tap, type_login, until

from panel.device import ConnectionState, Device
from panel.ui.qt_loop import run_qt, signal_future
from panel.ui.screens.apps import AppsController, ScreenView
from panel.ui.window import PanelWindow

ROOT = Path(__file__).resolve().parent.parent


def view_of(controller: AppsController) -> ScreenView:
    view = controller.screen.view
    assert view is not None
    return view


async def tour(device: Device, window: PanelWindow, out: Path) -> None:
    painted = signal_future(window.login_painted)
    window.show()
    await until("the login screen painted", lambda: painted.done())
    await until("the device online", lambda: device.connection_state is ConnectionState.ONLINE)
    type_login(window)
    tap(window, window.login_screen.keypad.buttons["ok"])
    await until("the home screen", lambda: window.current_screen() is window.home_screen)
    await until("apps cached", lambda: len(device.apps.apps()) >= 3)
    tap(window, window.home_screen.tiles["apps"])
    apps = AppsController.of(window)
    await until("the Apps list", lambda: window.current_screen() is apps.screen)
    await save(window, out / "apps-list.png")

    def titled(text: str) -> bool:
        view = apps.screen.view
        return view is not None and text in apps.screen.heading.text()

    tap(window, apps.screen.tiles["cloud-folder"])
    await until("Scan to cloud folder", lambda: titled("Scan to cloud folder"))
    tap(window, view_of(apps).buttons["scan"])
    await until("the scan stored", lambda: "Stored" in _texts(apps))
    bar = apps.screen.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())  # scrolled down as a finger would: the folder's list
    await save(window, out / "apps-cloud-folder.png")
    tap(window, view_of(apps).buttons["close"])
    await until(
        "the list again", lambda: apps.screen.view is None and "cloud-folder" in apps.screen.tiles
    )

    tap(window, apps.screen.tiles["print-cloud"])
    await until(
        "Print from cloud", lambda: titled("Print from cloud") and "print" in view_of(apps).buttons
    )
    await save(window, out / "apps-print-cloud.png")
    click(window.keys["home"])  # the bezel's Home key: the app ends, home at once
    await until("home", lambda: window.current_screen() is window.home_screen)

    tap(window, window.home_screen.tiles["apps"])
    await until("the Apps list", lambda: "visitor-badge" in apps.screen.tiles)
    tap(window, apps.screen.tiles["visitor-badge"])
    await until(
        "Visitor badge", lambda: titled("Visitor badge") and "preview" in view_of(apps).buttons
    )
    keys = apps.screen.keyboard.buttons
    name = view_of(apps).fields["name"]
    tap(window, name)
    await until("the keyboard", lambda: apps.screen.keyboard.isVisible())
    await asyncio.sleep(0.3)  # laid out: the keys are where a finger finds them
    tap(window, keys["shift"])
    for char in "ada":
        tap(window, keys[char])
    tap(window, keys["space"])
    tap(window, keys["shift"])
    for char in "lovelace":
        tap(window, keys[char])
    await save(window, out / "apps-badge-form.png")
    tap(window, keys["done"])
    view_of(apps).fields["company"].setText("Analytical Engines Ltd")
    view_of(apps).selects["host"].setCurrentIndex(2)
    view_of(apps).toggles["escort"].setChecked(True)
    tap(window, view_of(apps).buttons["preview"])
    await until("the confirmation", lambda: "print" in view_of(apps).buttons)
    await save(window, out / "apps-badge-confirm.png")


def _texts(apps: AppsController) -> str:
    from panel.ui.widgets import Label

    view = apps.screen.view
    if view is None:
        return ""
    return " ".join(label.text() for label in view.findChildren(Label))


def main(argv: list[str] | None = None) -> int:
    out, width, height = shot_args(argv, __doc__, "800x480")

    async def run(_app: QApplication) -> int:
        async with demo_panel("mfp-panel-apps-shot-", (width, height), jobs=False) as demo:
            await tour(demo.device, demo.window, out)
        return 0

    return run_qt(run)


if __name__ == "__main__":
    raise SystemExit(main())
