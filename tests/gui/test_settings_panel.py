"""Settings on the panel over the real core (issue 19, acceptance 1): a real server on a real
socket, a device whose timers run on a ManualClock the test steps, its window, and the device's
settings file in a config dir of the test's own. The administrator (demo user 9000) opens
Settings from home; a refused value gets a message on its field and nothing is saved; a taken
one applies to the running device at once and is still there after a restart; a non-admin
never sees Settings."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QPoint, QSize
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from support import ALICE, ALICE_PIN, device_config, running_server
from support.networks import POLICY, is_online_over, run_until
from support.panel_touch import finger, log_in_with_keypad
from support.qt_loop import run

from panel import config
from panel.device import ConnectionState, Device
from panel.device.clock import ManualClock, run_until_idle
from panel.device.networks import NetworkSettings
from panel.device.settings import PanelSettings, SettingsStore, device_language, show_as
from panel.server.app import RunningServer, start_server
from panel.server.demo_data import DEMO_USERS
from panel.ui import i18n
from panel.ui.dock import QaDock
from panel.ui.settings import SettingsController
from panel.ui.settings.info import InfoPage
from panel.ui.settings.pages import GeneralPage, NetworksPage, ServerPage, TimersPage
from panel.ui.settings.screen import SettingsScreen
from panel.ui.widgets import ElidedLabel, Label
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

P = TypeVar("P", bound=QWidget)
ADMIN, ADMIN_PIN = next((u, pin) for u, _, pin, role in DEMO_USERS if role == "admin")
NAME = "Settings MFP"


@dataclass
class Panel:
    server: RunningServer
    clock: ManualClock
    device: Device
    window: PanelWindow
    controller: SettingsController

    @property
    def screen(self) -> SettingsScreen:
        return self.controller.screen


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The platform's config dir of this test (the settings file is written there)."""
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


@pytest.fixture
def networks() -> tuple[str, ...]:
    """The device's networks to the server (none: its server URL, as one network)."""
    return ()


@pytest.fixture
def panel(
    qtbot: QtBot, tmp_path: Path, config_home: Path, networks: tuple[str, ...]
) -> Iterator[Panel]:
    server = run(qtbot, running_server(tmp_path))
    clock = ManualClock()
    device_settings = device_config(server, tmp_path / "device", NAME)
    if networks:
        routes = tuple(NetworkSettings(name, server.url) for name in networks)
        device_settings = replace(device_settings, networks=routes, failover=POLICY)
    device = Device(device_settings, clock=clock)
    run(qtbot, device.start())
    window = PanelWindow(device)
    qtbot.addWidget(window)
    store = SettingsStore(config.DeviceSettings.load(NAME))
    controller = SettingsController.install(window, store)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE)
    made = Panel(server, clock, device, window, controller)
    try:
        yield made
    finally:
        window.close()
        run(qtbot, device.stop())
        run(qtbot, made.server.stop())  # the one running now (a test may restart it)
        i18n.set_language(i18n.ENGLISH)
        show_as(PanelSettings())


def open_settings(qtbot: QtBot, panel: Panel) -> SettingsScreen:
    window = panel.window
    log_in_with_keypad(window, ADMIN, ADMIN_PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=5000)
    button = window.home_screen.settings_button
    assert button.isVisible()
    finger(window, button)
    assert window.current_screen() is panel.screen
    return panel.screen


def open_page(qtbot: QtBot, panel: Panel, key: str, kind: type[P]) -> P:
    """Settings opened from home by the administrator, then one category's page by a tap."""
    screen = open_settings(qtbot, panel)
    finger(panel.window, screen.categories[key])
    return shown_page(screen, key, kind)


def open_general(qtbot: QtBot, panel: Panel) -> GeneralPage:
    """Settings opened from home by the administrator: on General, the page it opens on."""
    return shown_page(open_settings(qtbot, panel), "general", GeneralPage)


def shown_page(screen: SettingsScreen, key: str, kind: type[P]) -> P:
    page = screen.pages[key]
    assert isinstance(page, kind)
    assert page.isVisible()
    return page


def type_and_save(qtbot: QtBot, panel: Panel, text: str) -> None:
    entry = panel.screen.entry
    assert entry.isVisible()
    entry.field.clear()
    for char in text:  # on the on-screen keypad, as a person types a number
        finger(panel.window, entry.keypad.buttons[char])
    finger(panel.window, entry.save_button)


def stored(config_home: Path) -> dict[str, object]:
    path = config_home / "mfp-panel" / "devices" / f"{config.slug(NAME)}.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_timer_is_refused_on_its_field_then_a_valid_one_applies_without_restart(
    qtbot: QtBot, panel: Panel, config_home: Path
) -> None:
    timers = open_page(qtbot, panel, "timers", TimersPage)
    screen, window = panel.screen, panel.window
    finger(window, timers.rows["auto_logout_s"])

    type_and_save(qtbot, panel, "5")  # under the 10 s bound
    entry = screen.entry
    assert entry.isVisible()  # still typing: nothing was taken
    assert entry.error.isVisible()
    assert entry.error.text() == "Enter 0 (never) or 10 to 3600 seconds."
    assert entry.field.property("invalid") is True
    assert entry.field.text() == "5"
    assert stored(config_home).get("panel", {}) == {}
    assert panel.device.power.settings.auto_logout_s == 60

    type_and_save(qtbot, panel, "20")
    assert not entry.isVisible()
    assert timers.rows["auto_logout_s"].value.full_text() == "20 s"
    assert panel.device.power.settings.auto_logout_s == 20  # the running power manager's
    panel_json = stored(config_home)["panel"]
    assert isinstance(panel_json, dict)
    assert panel_json["auto_logout_s"] == 20

    # The new time on the running device: still logged in at 19 s, logged out at 20 s.
    panel.clock.advance(19)
    run(qtbot, run_until_idle())
    assert panel.device.user is not None
    panel.clock.advance(1)
    qtbot.waitUntil(lambda: panel.device.user is None, timeout=5000)
    assert window.current_screen() is window.login_screen


def test_sleep_before_dimming_is_refused_and_nothing_is_saved(
    qtbot: QtBot, panel: Panel, config_home: Path
) -> None:
    timers = open_page(qtbot, panel, "timers", TimersPage)
    screen = panel.screen
    finger(panel.window, timers.rows["dim_after_s"])
    type_and_save(qtbot, panel, "1000")  # after the 900 s sleep
    assert "cannot come before dimming after 1000 s" in screen.entry.error.text()
    finger(panel.window, screen.entry.cancel_button)
    assert timers.isVisible()
    assert timers.rows["dim_after_s"].value.full_text() == "60 s (1 min)"
    assert panel.device.power.settings.dim_after_s == 60
    assert "panel" not in stored(config_home) or stored(config_home)["panel"] == {}


def test_language_and_screen_size_apply_at_once_and_survive_a_restart(
    qtbot: QtBot, panel: Panel, config_home: Path
) -> None:
    general = open_general(qtbot, panel)
    screen, window = panel.screen, panel.window
    finger(window, general.language.buttons["ja"])
    assert i18n.current_language() == "ja"
    assert device_language() == "ja"  # where the login screen's language key returns to
    assert screen.title.text() == "設定"
    assert general.title.text() == "一般"

    finger(window, screen.categories["display"])
    display = screen.pages["display"]
    finger(window, display.screen_size.buttons["800x480"])  # type: ignore[attr-defined]
    assert window.screen_size == QSize(800, 480)
    assert window.touchscreen.size() == QSize(800, 480)
    assert window.view.logical_size == QSize(800, 480)
    finger(window, display.date_style.buttons["ja"])  # type: ignore[attr-defined]
    finger(window, display.clock.buttons["12"])  # type: ignore[attr-defined]
    clock_text = window.status_bar.clock_label.text()
    assert clock_text.endswith(("AM", "PM"))

    # A restart: the settings file read anew by a new store over a new window.
    window2 = PanelWindow(panel.device)
    qtbot.addWidget(window2)
    i18n.set_language(i18n.ENGLISH)
    show_as(PanelSettings())
    SettingsController.install(window2, SettingsStore(config.DeviceSettings.load(NAME)))
    assert i18n.current_language() == "ja"
    assert window2.screen_size == QSize(800, 480)
    assert window2.status_bar.clock_label.text().endswith(("AM", "PM"))
    window2.close()
    text = (config_home / "mfp-panel" / "devices" / f"{config.slug(NAME)}.json").read_text(
        encoding="utf-8"
    )
    assert panel.device.config.secret not in text  # the keyring's, never the file's
    assert "secret" not in text.lower()
    assert "pin" not in json.loads(text)["panel"]


def test_the_server_url_is_saved_only_when_a_real_server_answers(
    qtbot: QtBot, panel: Panel, config_home: Path, tmp_path: Path
) -> None:
    server_page = open_page(qtbot, panel, "server", ServerPage)
    screen, window = panel.screen, panel.window
    assert server_page.url_row.value.full_text() == panel.server.url
    finger(window, server_page.url_row)
    entry = screen.entry
    assert entry.keyboard.isVisible()

    entry.field.setText("not a url")
    finger(window, entry.save_button)
    assert entry.error.text() == "Enter a URL such as http://server:8080"

    other = run(qtbot, running_server(tmp_path / "other"))
    url = other.url
    run(qtbot, other.stop())  # nobody listens there now
    entry.field.setText(url)
    finger(window, entry.save_button)
    qtbot.waitUntil(lambda: entry.error.isVisible(), timeout=5000)
    assert entry.error.text().startswith("No server answered at this URL")
    assert entry.isVisible()
    assert stored(config_home).get("server_url", "") == ""

    other = run(qtbot, running_server(tmp_path / "other"))
    try:
        entry.field.setText(other.url + "/")
        finger(window, entry.save_button)
        qtbot.waitUntil(lambda: not entry.isVisible(), timeout=5000)
        assert stored(config_home)["server_url"] == other.url
        assert server_page.url_row.value.full_text() == other.url
    finally:
        run(qtbot, other.stop())


def test_device_information_names_the_device_its_versions_networks_and_counters(
    qtbot: QtBot, panel: Panel
) -> None:
    info = open_page(qtbot, panel, "info", InfoPage)
    values = {key: label.full_text() for key, label in info.values.items()}
    assert values["id"] == panel.device.device_id
    assert values["name"] == NAME
    assert values["registration"] == "Registered with the server"
    assert values["version"] == "0.1.0"
    assert values["server"] == panel.server.url
    assert values["network-0"].startswith(panel.server.url)
    assert values["counter-0"] == "0"


def test_a_user_who_is_not_an_administrator_never_sees_settings(qtbot: QtBot, panel: Panel) -> None:
    window = panel.window
    log_in_with_keypad(window, ALICE, ALICE_PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=5000)
    assert not window.home_screen.settings_button.isVisible()
    window.show_settings()  # even asked directly (a shortcut, a stale signal)
    assert window.current_screen() is window.home_screen
    assert window.toast.text() == "Settings are for administrators."


def test_the_admin_s_settings_button_goes_when_a_user_logs_in_after(
    qtbot: QtBot, panel: Panel
) -> None:
    window = panel.window
    open_settings(qtbot, panel)
    window.device.logout()
    qtbot.waitUntil(lambda: window.current_screen() is window.login_screen, timeout=5000)
    log_in_with_keypad(window, ALICE, ALICE_PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=5000)
    assert not window.home_screen.settings_button.isVisible()


@pytest.mark.parametrize("networks", [("Wired LAN", "LTE")])
def test_the_networks_order_applies_to_the_running_failover_policy(
    qtbot: QtBot, panel: Panel, config_home: Path
) -> None:
    page = open_page(qtbot, panel, "networks", NetworksPage)
    window = panel.window
    assert [row.name.text() for row in page.rows] == ["1. Wired LAN", "2. LTE"]
    assert not page.rows[0].up.isEnabled()

    finger(window, page.rows[1].up)  # LTE first
    manager = panel.device.link.networks
    assert [(r.name, r.rank) for r in manager.routes] == [("LTE", 0), ("Wired LAN", 1)]
    assert [row.name.text() for row in page.rows] == ["1. LTE", "2. Wired LAN"]

    finger(window, page.rows[1].enabled)  # Wired LAN off
    assert [r.name for r in manager.routes] == ["LTE"]
    assert page.rows[1].state.text() == "Off: not used"
    run(  # the push socket left Wired LAN at once: back online over LTE (device time stepped)
        qtbot,
        run_until(panel.clock, lambda: is_online_over(panel.device, "LTE"), panel.device),
    )

    finger(window, page.rows[0].enabled)  # and LTE off too: refused, the page says why
    assert page.message.text() == "At least one network must stay enabled."
    assert [r.name for r in manager.routes] == ["LTE"]
    assert page.rows[0].enabled.isChecked()
    saved = stored(config_home)["panel"]
    assert isinstance(saved, dict)
    assert saved["networks"] == [
        {"name": "LTE", "enabled": True},
        {"name": "Wired LAN", "enabled": False},
    ]


def test_key_click_gives_feedback_on_buttons_only_while_it_is_on(
    qtbot: QtBot, panel: Panel
) -> None:
    general = open_general(qtbot, panel)
    screen, window, controller = panel.screen, panel.window, panel.controller
    before = controller.clicks
    finger(window, screen.categories["display"])
    assert controller.clicks == before + 1
    finger(window, screen.categories["general"])
    finger(window, general.key_click.buttons["off"])  # this tap still clicks: it was on
    clicks = controller.clicks
    finger(window, screen.categories["display"])
    assert controller.clicks == clicks
    finger(window, screen, screen.rect().bottomLeft() - QPoint(-5, 5))  # not a button


def test_an_administrator_logged_in_offline_still_has_settings(
    qtbot: QtBot, panel: Panel, tmp_path: Path
) -> None:
    """The role comes from the server at login, or from the device's cache offline."""
    window = panel.window
    open_settings(qtbot, panel)
    qtbot.waitUntil(lambda: panel.device.store.credential(ADMIN) is not None, timeout=5000)
    panel.device.logout()
    qtbot.waitUntil(lambda: window.current_screen() is window.login_screen)
    run(qtbot, panel.server.stop())
    log_in_with_keypad(window, ADMIN, ADMIN_PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=10000)
    assert panel.device.user is not None
    assert panel.device.user.is_admin
    assert window.home_screen.settings_button.isVisible()
    panel.server = run(
        qtbot,
        start_server(
            tmp_path / "server", port=panel.server.port, admin_socket_dir=tmp_path / "run"
        ),
    )


def test_the_started_screen_size_stays_until_one_is_saved(qtbot: QtBot, panel: Panel) -> None:
    window = PanelWindow(panel.device, screen=(800, 480))  # `--screen 800x480`
    qtbot.addWidget(window)
    controller = SettingsController.install(window, SettingsStore(config.DeviceSettings.load(NAME)))
    assert window.screen_size == QSize(800, 480)
    assert controller.current.screen == "800x480"  # what the Display page shows chosen
    window.close()


def test_the_device_name_typed_on_the_keyboard_shows_in_the_status_bar(
    qtbot: QtBot, panel: Panel, config_home: Path
) -> None:
    general = open_general(qtbot, panel)
    screen, window = panel.screen, panel.window
    finger(window, general.name_row)
    entry = screen.entry
    assert entry.keyboard.isVisible()
    entry.field.clear()
    finger(window, entry.save_button)
    assert entry.error.text() == "Enter a name."
    for char in "floor 3":
        key = "space" if char == " " else char
        finger(window, entry.keyboard.buttons[key])
    finger(window, entry.keyboard.buttons["done"])
    assert not entry.isVisible()
    assert general.name_row.value.full_text() == "floor 3"
    assert window.status_bar.device_label.text() == "floor 3"
    assert panel.device.name == "floor 3"


@pytest.mark.parametrize("category", ["general", "server", "networks", "timers", "display", "info"])
def test_no_text_is_clipped_at_800x480_in_a_language_40_percent_longer(
    qtbot: QtBot, panel: Panel, category: str
) -> None:
    window = panel.window
    controller = panel.controller
    controller.change(screen="800x480")
    screen = open_settings(qtbot, panel)
    i18n.set_language(i18n.PSEUDO)
    finger(window, screen.categories[category])
    QApplication.processEvents()  # the layouts follow the new texts
    clipped = [
        (label.text(), label.width(), label.sizeHint().width())
        for label in screen.findChildren(Label)
        if label.isVisible()
        and not label.wordWrap()
        and not isinstance(label, ElidedLabel)
        and label.width() < label.sizeHint().width()
    ]
    cut = [  # wrapped, but not given the lines it needs
        (label.text(), label.height(), label.heightForWidth(label.width()))
        for label in screen.findChildren(Label)
        if label.isVisible()
        and label.wordWrap()
        and label.height() < label.heightForWidth(label.width())
    ]
    assert clipped == []
    assert cut == []


@pytest.mark.parametrize("category", ["general", "server", "networks", "timers", "display", "info"])
def test_every_word_of_settings_is_japanese_in_japanese(
    qtbot: QtBot, panel: Panel, category: str
) -> None:
    """In Japanese no English word is left, apart from the data: names, URLs, ids, versions."""
    general = open_general(qtbot, panel)
    screen, window = panel.screen, panel.window
    finger(window, general.language.buttons["ja"])
    finger(window, screen.categories[category])
    data = (
        NAME,
        panel.server.url,
        panel.device.device_id,
        *(status.name for status in panel.device.networks),  # a network's name is data
        "English",  # each language's name in its own language
        "mfp-panel",
        "PySide6",
        "Python",
        "URL",  # written so in Japanese too
    )
    english = []
    for widget in screen.findChildren(QWidget):
        if not widget.isVisible():
            continue
        text = widget.full_text() if isinstance(widget, ElidedLabel) else widget.property("text")
        if not isinstance(text, str):
            continue
        for value in data:
            text = text.replace(value, "")
        english += re.findall(r"[A-Za-z]{3,}", text)
    assert english == []


def test_a_new_screen_size_refits_the_window_beside_the_qa_dock(
    qtbot: QtBot, panel: Panel, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = panel.window
    dock = QaDock(window, panel.device)
    fitted: list[int] = []
    monkeypatch.setattr(window, "fit_to_screen", fitted.append)  # the desktop decides the rest
    for size in (QSize(800, 480), QSize(1280, 800)):
        panel.controller.change(screen=f"{size.width()}x{size.height()}")
        assert window.view.logical_size == size
        assert window.touchscreen.size() == size
    assert dock.isVisible()
    assert fitted == [dock.beside(), dock.beside()]  # fitted around the panel and the dock


def test_settings_opened_for_the_first_time_keeps_the_language_a_walk_up_user_picked(
    qtbot: QtBot, tmp_path: Path, config_home: Path
) -> None:
    """The panel's controller is made when Settings first opens (no install at start): it
    must not put back the saved (English) language over the one the login key picked."""
    server = run(qtbot, running_server(tmp_path))
    device = Device(device_config(server, tmp_path / "device", NAME), clock=ManualClock())
    run(qtbot, device.start())
    window = PanelWindow(device)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE)
        finger(window, window.login_screen.language_key)  # the walk-up user's Japanese
        assert i18n.current_language() == "ja"
        log_in_with_keypad(window, ADMIN, ADMIN_PIN)
        qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=5000)
        finger(window, window.home_screen.settings_button)
        assert window.current_screen() is SettingsController.of(window).screen
        assert i18n.current_language() == "ja"
        assert SettingsController.of(window).screen.title.text() == "設定"
    finally:
        window.close()
        run(qtbot, device.stop())
        run(qtbot, server.stop())
        i18n.set_language(i18n.ENGLISH)
        show_as(PanelSettings())
