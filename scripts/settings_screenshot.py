"""Take the README's screenshots of Settings (issue 19): the real server, the real device core,
the real window, under Xvfb.

    xvfb-run -a -s "-screen 0 1680x900x24" .venv/bin/python scripts/settings_screenshot.py \
        [--out docs/screenshots] [--screen 800x480]

Like scripts/screenshots.py (whose helpers it uses): a server with the demo users and a device
with two networks to it ("Wired LAN", preferred, and "LTE"); its settings file in a throwaway
config dir. The administrator (9000) logs in on the keypad and taps Settings on the home
screen; every input is a tap through the scaled view. It writes:

  settings.png           Energy saver: the three timers with their bounds
  settings-refused.png   the auto-logout typed as 5 s on the keypad: refused on the field
  settings-networks.png  Networks: LTE moved first, Wired LAN still on
  settings-server.png    the server URL on the keyboard, refused: nothing answers there
  settings-info.png      Device information: id, versions, networks' addresses, counters
  settings-ja.png        日本語 chosen on the General page: the panel in Japanese at once,
                         the Energy saver page
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication
from screenshots import demo_panel, save, shot_args, tap, type_login, until

from panel import config
from panel.device import ConnectionState, Device
from panel.server.demo_data import DEMO_USERS
from panel.ui import i18n
from panel.ui.qt_loop import run_qt, signal_future
from panel.ui.settings import SettingsController, install
from panel.ui.settings.pages import GeneralPage, NetworksPage, TimersPage
from panel.ui.window import PanelWindow

ADMIN, _, ADMIN_PIN, _ = next(user for user in DEMO_USERS if user[3] == "admin")


async def settings(device: Device, window: PanelWindow, out: Path) -> None:
    painted = signal_future(window.login_painted)
    window.show()
    await until("the login screen painted", lambda: painted.done())
    await until("the device online", lambda: device.connection_state is ConnectionState.ONLINE)
    type_login(window, ADMIN, ADMIN_PIN)
    tap(window, window.login_screen.keypad.buttons["ok"])
    await until("the home screen", lambda: window.current_screen() is window.home_screen)
    tap(window, window.home_screen.settings_button)
    screen = SettingsController.of(window).screen
    await until("the Settings screen", lambda: window.current_screen() is screen)

    tap(window, screen.categories["timers"])
    timers = screen.pages["timers"]
    assert isinstance(timers, TimersPage)
    await save(window, out / "settings.png")

    tap(window, timers.rows["auto_logout_s"])
    entry = screen.entry
    entry.field.clear()
    tap(window, entry.keypad.buttons["5"])
    tap(window, entry.save_button)
    await save(window, out / "settings-refused.png", lambda: entry.error.isVisible())
    tap(window, entry.cancel_button)

    tap(window, screen.categories["networks"])
    networks = screen.pages["networks"]
    assert isinstance(networks, NetworksPage)
    tap(window, networks.rows[1].up)
    await save(window, out / "settings-networks.png")

    tap(window, screen.categories["server"])
    tap(window, screen.pages["server"].url_row)  # type: ignore[attr-defined]
    entry.field.setText("http://127.0.0.1:9")  # nothing listens there
    tap(window, entry.save_button)
    await save(window, out / "settings-server.png", lambda: entry.error.isVisible())
    tap(window, entry.cancel_button)

    tap(window, screen.categories["info"])
    await save(window, out / "settings-info.png")

    tap(window, screen.categories["general"])
    general = screen.pages["general"]
    assert isinstance(general, GeneralPage)
    tap(window, general.language.buttons["ja"])
    tap(window, screen.categories["timers"])
    await save(window, out / "settings-ja.png", lambda: i18n.current_language() == "ja")


def main(argv: list[str] | None = None) -> int:
    out, width, height = shot_args(argv, __doc__, "800x480")

    async def run(_app: QApplication) -> int:
        with tempfile.TemporaryDirectory(prefix="mfp-panel-settings-config-") as home:
            os.environ["XDG_CONFIG_HOME"] = home  # not the user's settings
            stage = demo_panel(
                "mfp-panel-settings-shot-", (width, height), jobs=False, links="direct"
            )
            async with stage as demo:
                file = config.DeviceSettings.load("Demo MFP")
                file.panel = {"screen": f"{width}x{height}"}
                install(demo.window, file)
                await settings(demo.device, demo.window, out)
        return 0

    return run_qt(run)


if __name__ == "__main__":
    raise SystemExit(main())
