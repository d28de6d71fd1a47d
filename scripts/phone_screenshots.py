"""Take the README's screenshots of the QR connection (issue 16): the phone simulator's page in
headless Chromium, and the real panel projecting what the camera read, under Xvfb.

    xvfb-run -a -s "-screen 0 1680x900x24" .venv/bin/python scripts/phone_screenshots.py \
        [--out docs/screenshots] [--screen 1024x600]

Real stack: a server with the demo users, a device, its window with the QA dock, the phone
simulator (its sample photos) on a loopback socket. It writes:

  phone-page.png        the phone's page in Chromium after two photos were picked: its QR
                        code, the photos' names, the countdown
  phone-projection.png  Alice on the Phone screen after the dock held the phone to the camera
                        tilted and rotated: the camera's frame, the document stand projecting
                        the first photo (page 1 of 2), Print and Store in box; the dock's camera
                        card beside it
  phone-fullscreen.png  the projected photo full screen, zoomed in
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QScrollArea
from screenshots import click, save, shot_args, tap, type_login, until

from panel.device import ConnectionState, Device, DeviceConfig
from panel.device.qr import QrState
from panel.modes.gui_mode import demo_cards
from panel.server.app import start_server
from panel.server.demo_data import DEMO_USERS
from panel.sim.phone import PhoneSim
from panel.ui.dock import QaDock
from panel.ui.qt_loop import run_qt, signal_future
from panel.ui.screens.phone import PhoneController
from panel.ui.window import PanelWindow

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


async def phone_page(phone: PhoneSim, out: Path) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = await browser.new_page(viewport={"width": 520, "height": 860})
        await page.goto(phone.url + "/")
        await page.wait_for_function(
            "[...document.querySelectorAll('#gallery img')]"
            ".every(i => i.complete && i.naturalWidth)"
        )
        await page.locator("#gallery li").nth(0).click()
        await page.locator("#gallery li").nth(2).click()
        await page.locator("#share").click()
        await page.wait_for_selector("#qr svg")
        await page.screenshot(path=str(out / "phone-page.png"))
        print(f"wrote {out / 'phone-page.png'}")
        await browser.close()


async def projecting(device: Device, window: PanelWindow, dock: QaDock, out: Path) -> None:
    painted = signal_future(window.login_painted)
    window.show()
    await until("the login screen painted", lambda: painted.done())
    await until("the device online", lambda: device.connection_state is ConnectionState.ONLINE)
    type_login(window)
    tap(window, window.login_screen.keypad.buttons["ok"])
    await until("the home screen", lambda: window.current_screen() is window.home_screen)
    tap(window, window.home_screen.tiles["phone"])
    screen = PhoneController.of(window).screen
    await until("the Phone screen", lambda: window.current_screen() is screen)
    camera = dock.camera
    scroll = dock.cards_scroll  # the simulator tab (the dock also has the trace viewer)
    assert isinstance(scroll, QScrollArea)
    scroll.ensureWidgetVisible(camera)
    camera.kind_buttons["rotation"].setChecked(True)
    camera.kind_buttons["perspective"].setChecked(True)
    camera.strength.setValue(30)
    click(camera.hold_button)
    await until("projected", lambda: screen.status.state is QrState.PROJECTED)
    window.toast.hide()
    await save(window, out / "phone-projection.png")
    tap(window, screen.full_button)
    tap(window, screen.zoom_in_button)
    await save(window, out / "phone-fullscreen.png")


def main(argv: list[str] | None = None) -> int:
    out, width, height = shot_args(argv, __doc__, "1024x600")

    async def run(_app: QApplication) -> int:
        with tempfile.TemporaryDirectory(prefix="mfp-panel-phone-shot-") as tmp:
            root = Path(tmp)
            server = await start_server(root / "server", port=0)
            phone = PhoneSim()
            try:
                url = await phone.start("127.0.0.1", 0)
                await phone_page(phone, out)
                for user_id, name, pin, role in DEMO_USERS:
                    server.store.add_user(user_id, name, pin, role)
                device_id, secret = server.store.register_device("Demo MFP", "MFP-Emu 1")
                config = DeviceConfig("Demo MFP", server.url, root / "device", device_id, secret)
                device = Device(config)
                await device.start()
                window = PanelWindow(device, screen=(width, height))
                dock = QaDock(window, device, None, demo_cards(), shown=True, phone_url=url)
                try:
                    await projecting(device, window, dock, out)
                finally:
                    window.close()
                    await device.stop()
            finally:
                await phone.stop()
                await server.stop()
        return 0

    return run_qt(run)


if __name__ == "__main__":
    raise SystemExit(main())
