"""Server apps (S8) on the panel: each screen element drawn natively, a placeholder for an
unknown one, an error page naming the app for a malformed screen, text typed with the on-screen
keyboard, actions carrying the inputs' values; then the real stack: the Apps tile, an app run
with taps, Home ending it, a hung app sending the panel home with a message."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QListWidget, QProgressBar
from pytestqt.qtbot import QtBot
from support.i18n import in_language
from support.panel_touch import finger, logged_in
from support.qt_loop import run
from support.real_panel import RealPanel, open_real_panel

from panel.device.apps import AppEntry, AppView
from panel.listener import OwnedSite
from panel.protocol.apps import ELEMENT_TYPES, ScreenError, decode_screen
from panel.protocol.messages import AppInfo
from panel.server.apps.routes import host_key
from panel.ui import i18n
from panel.ui.screens.apps import AppsController, AppsScreen, ScreenView

pytestmark = pytest.mark.gui

PNG_1PX = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
ALL = {
    "format": 1,
    "title": "Everything",
    "elements": [
        {"type": "text", "text": "Hello", "style": "heading"},
        {"type": "image", "src": PNG_1PX, "alt": "dot"},
        {
            "type": "list",
            "id": "doc",
            "items": [{"value": "a", "label": "Alpha"}, {"value": "b", "label": "Beta"}],
            "selected": "b",
        },
        {"type": "input", "id": "name", "label": "Name", "value": "Ada"},
        {"type": "input", "id": "n", "label": "Copies", "kind": "number", "value": "2"},
        {
            "type": "select",
            "id": "host",
            "label": "Host",
            "options": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}],
            "value": "y",
        },
        {"type": "toggle", "id": "escort", "label": "Escort", "value": True},
        {"type": "progress", "label": "Half", "value": 50},
        {"type": "hologram", "depth": 3},
        {"type": "button", "action": "go", "label": "Go", "style": "primary"},
    ],
}


@pytest.fixture
def screen(qtbot: QtBot) -> AppsScreen:
    widget = AppsScreen()
    qtbot.addWidget(widget)
    widget.resize(760, 400)
    widget.show()
    return widget


def _view(screen: AppsScreen, data: dict[str, Any], notice: str = "") -> ScreenView:
    screen.show_view(AppView("L1", "Test app", decode_screen(data), notice=notice))
    assert screen.view is not None
    return screen.view


def test_every_element_is_drawn_natively(screen: AppsScreen) -> None:
    view = _view(screen, ALL)
    assert screen.heading.text() == "Test app · Everything"
    labels = [label.text() for label in view.findChildren(QLabel)]
    assert "Hello" in labels
    assert any(
        label.pixmap() is not None and not label.pixmap().isNull()
        for label in view.findChildren(QLabel)
    )
    (items,) = view.findChildren(QListWidget)
    assert [items.item(i).text() for i in range(items.count())] == ["Alpha", "Beta"]
    assert items.currentRow() == 1
    fields = view.findChildren(QLineEdit)
    assert [f.text() for f in fields] == ["Ada", "2"]
    assert fields[1].validator() is not None  # a number input takes numbers only
    (select,) = view.findChildren(QComboBox)
    assert select.currentText() == "Y"
    (toggle,) = view.findChildren(QCheckBox)
    assert toggle.isChecked()
    (bar,) = view.findChildren(QProgressBar)
    assert bar.value() == 50
    assert view.buttons["go"].text() == "Go"
    assert view.buttons["go"].isVisible()


def test_an_unknown_element_is_a_visible_placeholder_naming_it(screen: AppsScreen) -> None:
    view = _view(screen, ALL)
    (placeholder,) = view.placeholders
    assert placeholder.isVisible()
    (text,) = placeholder.findChildren(QLabel)
    assert "hologram" in text.text()


def test_a_malformed_screen_shows_an_error_page_naming_the_app(screen: AppsScreen) -> None:
    screen.show_view(AppView("L1", "Expense app", None, error="screen.title must be a string"))
    assert screen.pages.currentWidget() is screen.error_page
    assert screen.error_title.text() == "Expense app sent a screen this panel cannot show."
    assert "screen.title must be a string" in screen.error_detail.text()
    assert screen.heading.text() == "Expense app"


def test_a_button_sends_its_action_with_every_value(qtbot: QtBot, screen: AppsScreen) -> None:
    view = _view(screen, ALL)
    view.fields["name"].setText("Grace")
    view.toggles["escort"].setChecked(False)
    view.lists["doc"].setCurrentRow(0)
    with qtbot.waitSignal(screen.action) as sent:
        QTest.mouseClick(view.buttons["go"], Qt.MouseButton.LeftButton)
    assert sent.args == [
        "go",
        {"name": "Grace", "n": "2", "host": "y", "escort": False, "doc": "a"},
    ]


def test_a_confirmation_sends_yes_or_no(qtbot: QtBot, screen: AppsScreen) -> None:
    view = _view(
        screen,
        {
            "format": 1,
            "title": "Sure?",
            "elements": [{"type": "confirm", "text": "Print it?", "yes": "print", "no": "edit"}],
        },
    )
    with qtbot.waitSignal(screen.action) as sent:
        QTest.mouseClick(view.buttons["edit"], Qt.MouseButton.LeftButton)
    assert sent.args[0] == "edit"
    with qtbot.waitSignal(screen.action) as sent:
        QTest.mouseClick(view.buttons["print"], Qt.MouseButton.LeftButton)
    assert sent.args[0] == "print"


def test_text_is_typed_with_the_on_screen_keyboard(qtbot: QtBot, screen: AppsScreen) -> None:
    view = _view(screen, ALL)
    field = view.fields["name"]
    field.clear()
    QTest.mouseClick(field, Qt.MouseButton.LeftButton)
    assert screen.keyboard.isVisible()
    assert not view.footer.isVisible()  # room for the keys; Done brings the buttons back
    keys = screen.keyboard.buttons
    QTest.mouseClick(keys["shift"], Qt.MouseButton.LeftButton)
    for name in ("a", "d", "a", "space", "l"):
        QTest.mouseClick(keys[name], Qt.MouseButton.LeftButton)
    QTest.mouseClick(keys["backspace"], Qt.MouseButton.LeftButton)
    assert field.text() == "Ada "
    QTest.mouseClick(keys["done"], Qt.MouseButton.LeftButton)
    assert not screen.keyboard.isVisible()
    assert view.footer.isVisible()
    assert view.values()["name"] == "Ada "


def test_a_refused_device_action_is_said_above_the_screen(screen: AppsScreen) -> None:
    _view(screen, ALL, notice="Visitor badge may not scan: refused.")
    assert screen.notice.isVisible()
    assert screen.notice.text() == "Visitor badge may not scan: refused."


# ---- the real stack ------------------------------------------------------------------------


@pytest.fixture
def panel(qtbot: QtBot, tmp_path: Path) -> Iterator[RealPanel]:
    real = open_real_panel(qtbot, tmp_path, "Apps MFP")
    try:
        yield real
    finally:
        real.close()


def _apps(panel: RealPanel) -> AppsScreen:
    return AppsController.of(panel.window).screen


def _open_apps(qtbot: QtBot, panel: RealPanel) -> AppsScreen:
    logged_in(qtbot, panel.window)
    qtbot.waitUntil(lambda: len(panel.device.apps.apps()) >= 3)
    finger(panel.window, panel.window.home_screen.tiles["apps"])
    screen = _apps(panel)
    assert panel.window.current_screen() is screen
    return screen


def test_the_apps_tile_lists_the_servers_apps(qtbot: QtBot, panel: RealPanel) -> None:
    screen = _open_apps(qtbot, panel)
    assert set(screen.tiles) >= {"cloud-folder", "print-cloud", "visitor-badge"}
    assert screen.tiles["visitor-badge"].text() == "Visitor badge"


def test_the_apps_tile_hides_an_app_the_users_role_may_not_use(
    qtbot: QtBot, panel: RealPanel
) -> None:
    panel.server.store.add_app(AppInfo("staff-only", "Staff only", "For admins", ["admin"]))
    logged_in(qtbot, panel.window)  # Alice, a user
    qtbot.waitUntil(lambda: any(a.app_id == "staff-only" for a in panel.device.cache.apps()))
    finger(panel.window, panel.window.home_screen.tiles["apps"])
    screen = _apps(panel)
    assert panel.window.current_screen() is screen
    assert "visitor-badge" in screen.tiles
    assert "staff-only" not in screen.tiles
    assert "Staff only" not in " ".join(label.text() for label in screen.findChildren(QLabel))


def test_an_app_runs_with_taps_and_home_ends_it(qtbot: QtBot, panel: RealPanel) -> None:
    screen = _open_apps(qtbot, panel)
    finger(panel.window, screen.tiles["visitor-badge"])
    qtbot.waitUntil(lambda: screen.view is not None and "preview" in screen.view.buttons)
    assert screen.heading.text() == "Visitor badge"
    view = screen.view
    assert view is not None
    finger(panel.window, view.fields["name"])
    for key in ("b", "o", "b"):
        finger(panel.window, screen.keyboard.buttons[key])
    finger(panel.window, screen.keyboard.buttons["done"])
    finger(panel.window, view.buttons["preview"])
    qtbot.waitUntil(lambda: screen.view is not view and screen.view is not None)
    assert screen.view is not None
    assert "Print a badge for bob" in " ".join(
        label.text() for label in screen.view.findChildren(QLabel)
    )
    launch = panel.device.apps.running
    assert launch is not None
    assert panel.window.status_bar.device_label.text() == "Apps MFP · Visitor badge"
    QTest.mouseClick(panel.window.keys["home"], Qt.MouseButton.LeftButton)
    assert panel.window.status_bar.device_label.text() == "Apps MFP"
    assert panel.window.current_screen() is panel.window.home_screen
    assert panel.device.apps.running is None
    assert panel.device.store.app_sessions() == []
    host = panel.server.app[host_key]
    qtbot.waitUntil(lambda: launch.launch_id not in host._launches)  # ended on the server too


def test_a_japanese_panel_opens_a_built_in_app_in_japanese(qtbot: QtBot, panel: RealPanel) -> None:
    """The panel's language goes with the list request, the launch and each action: the
    built-in app's names, heading and buttons come in Japanese; after a switch to English while
    the app shows, its screen is asked again and comes in English."""
    with in_language("ja"):
        screen = _open_apps(qtbot, panel)
        # The list is drawn again with the Japanese names: tap the new tile once it is on the
        # glass (shown and laid out), as a person would; before that its place is (0, 0).
        qtbot.waitUntil(
            lambda: (
                screen.tiles["visitor-badge"].text() == "来客用バッジ"
                and screen.tiles["visitor-badge"].isVisible()
                and screen.tiles["visitor-badge"].pos() != QPoint(0, 0)
            )
        )
        finger(panel.window, screen.tiles["visitor-badge"])
        qtbot.waitUntil(lambda: screen.view is not None and "preview" in screen.view.buttons)
        view = screen.view
        assert view is not None
        assert screen.heading.text() == "来客用バッジ"
        assert view.buttons["preview"].text() == "次へ"
        assert view.buttons["close"].text() == "閉じる"
        labels = " ".join(label.text() for label in view.findChildren(QLabel))
        assert "本日のご来客はどなたですか?" in labels
        assert "Name" not in labels
        assert panel.window.status_bar.device_label.text() == "Apps MFP · 来客用バッジ"
        i18n.set_language("en")
        qtbot.waitUntil(lambda: screen.view is not view and screen.view is not None)
        assert screen.view is not None
        assert screen.view.buttons["preview"].text() == "Continue"
        assert screen.heading.text() == "Visitor badge"
        QTest.mouseClick(panel.window.keys["home"], Qt.MouseButton.LeftButton)
    assert panel.device.apps.running is None


def test_the_list_follows_a_switch_with_the_apps_names_in_each_language(
    qtbot: QtBot, panel: RealPanel
) -> None:
    screen = _open_apps(qtbot, panel)
    assert screen.tiles["print-cloud"].text() == "Print from cloud"
    with in_language("ja"):
        qtbot.waitUntil(lambda: screen.tiles["print-cloud"].text() == "クラウドから印刷")
        assert screen.tiles["print-cloud"].toolTip() == "クラウドフォルダーの文書を選んで印刷します"
    assert screen.tiles["print-cloud"].text() == "Print from cloud"


def test_offline_the_list_says_which_apps_need_the_network(qtbot: QtBot, panel: RealPanel) -> None:
    logged_in(qtbot, panel.window)
    qtbot.waitUntil(lambda: len(panel.device.apps.apps()) >= 3)
    panel.server_down()
    finger(panel.window, panel.window.home_screen.tiles["apps"])
    screen = _apps(panel)
    assert screen.tiles["visitor-badge"].text() == "Visitor badge\nneeds the network"
    assert screen.empty.text() == "Offline: apps run on the server and need the network."
    finger(panel.window, screen.tiles["visitor-badge"])
    assert panel.window.toast.text() == "Visitor badge needs the network: the server is offline."
    assert panel.device.apps.running is None


def test_the_server_stopped_mid_app_sends_the_panel_home_within_2_s(
    qtbot: QtBot, panel: RealPanel
) -> None:
    screen = _open_apps(qtbot, panel)
    finger(panel.window, screen.tiles["visitor-badge"])
    qtbot.waitUntil(lambda: screen.view is not None and "preview" in screen.view.buttons)
    view = screen.view
    assert view is not None
    run(qtbot, panel.server.stop())  # the server gone mid-app
    panel._server = None
    finger(panel.window, view.buttons["preview"])
    qtbot.waitUntil(lambda: panel.window.current_screen() is panel.window.home_screen, timeout=2500)
    assert panel.window.toast.text() == "The server cannot be reached: apps need the network."
    # Nothing hangs: the panel answers at once.
    finger(panel.window, panel.window.home_screen.tiles["jobs"])
    assert panel.window.current_screen() is panel.window.jobs_screen


def test_a_hung_app_sends_the_panel_home_with_a_message(qtbot: QtBot, panel: RealPanel) -> None:
    release = asyncio.Event()

    async def manifest(_: web.Request) -> web.Response:
        return web.json_response(
            {
                "app_id": "stuck",
                "name": "Stuck app",
                "description": "never answers",
                "permissions": [],
            }
        )

    async def session(_: web.Request) -> web.Response:
        await release.wait()
        return web.json_response({})

    async def unblock(_: web.Application) -> None:
        release.set()

    app = web.Application()
    app.router.add_get("/manifest.json", manifest)
    app.router.add_post("/session", session)
    app.on_shutdown.append(unblock)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    run(qtbot, runner.setup())
    sock = socket.create_server(("127.0.0.1", 0))
    run(qtbot, OwnedSite(runner, sock).start())
    try:
        host = panel.server.app[host_key]
        run(qtbot, host.register(f"http://127.0.0.1:{sock.getsockname()[1]}"))
        qtbot.waitUntil(lambda: any(a.app_id == "stuck" for a in panel.device.apps.apps()))
        screen = _open_apps(qtbot, panel)
        finger(panel.window, screen.tiles["stuck"])
        qtbot.waitUntil(
            lambda: panel.window.current_screen() is panel.window.home_screen, timeout=2500
        )
        assert panel.window.toast.isVisible()
        assert panel.window.toast.text() == "The app did not answer in time. Try again later."
        # The panel is usable at once: another app opens.
        finger(panel.window, panel.window.home_screen.tiles["apps"])
        finger(panel.window, screen.tiles["visitor-badge"])
        qtbot.waitUntil(lambda: screen.view is not None and "preview" in screen.view.buttons)
    finally:
        run(qtbot, runner.cleanup())


_value = st.one_of(st.none(), st.booleans(), st.integers(-5, 200), st.text(max_size=6))
_choices = st.lists(
    st.fixed_dictionaries({"value": st.text(max_size=4)}, optional={"label": _value}), max_size=3
)
_element = st.fixed_dictionaries(
    {"type": st.sampled_from([*ELEMENT_TYPES, "sparkle"])},
    optional={
        "text": _value,
        "id": st.text(max_size=3),
        "label": _value,
        "value": _value,
        "items": _choices,
        "options": _choices,
        "selected": _value,
        "action": st.text(max_size=3),
        "yes": st.text(max_size=3),
        "no": st.text(max_size=3),
        "kind": st.sampled_from(["text", "number", "date"]),
        "src": st.sampled_from([PNG_1PX, "data:image/png;base64,!!", "data:image/svg+xml,<"]),
        "style": st.sampled_from(["body", "heading", "primary", "odd"]),
    },
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_element, max_size=8))
def test_a_fuzzed_screen_stream_never_crashes_the_renderer(
    screen: AppsScreen, elements: list[dict[str, Any]]
) -> None:
    """Whatever the app sends, the panel draws it or shows the error page naming the app."""
    data = {"format": 1, "title": "Fuzz", "elements": elements}
    try:
        view = AppView("L1", "Fuzz app", decode_screen(data))
    except ScreenError as exc:
        view = AppView("L1", "Fuzz app", None, error=str(exc))
    screen.show_view(view)
    expected = screen.error_page if view.screen is None else screen.app_page
    assert screen.pages.currentWidget() is expected


def test_the_list_and_an_app_switch_language_while_they_show(screen: AppsScreen) -> None:
    """The panel's own words follow a switch to Japanese and back; an app's are its own."""
    screen.show_list([AppEntry("badge", "Visitor badge", "Badges", False)])
    with in_language("ja"):
        assert screen.heading.text() == "アプリ"
        assert screen.back_button.text() == "ホーム"
        assert screen.tiles["badge"].text() == "Visitor badge\nネットワークが必要"
        assert screen.empty.text().startswith("オフライン")
        view = _view(screen, ALL, notice="Test app may not scan: refused.")
        assert screen.notice.text() == "Test app にはスキャンの権限がありません。拒否しました。"
        assert view.buttons["go"].text() == "Go"  # the app's own label
        assert screen.heading.text() == "Test app · Everything"
    assert screen.notice.text() == "Test app may not scan: refused."
    screen.show_list([AppEntry("badge", "Visitor badge", "Badges", False)])
    with in_language("ja"):
        assert screen.heading.text() == "アプリ"
    assert screen.heading.text() == "Apps"
    assert screen.back_button.text() == "Home"
    assert screen.tiles["badge"].text() == "Visitor badge\nneeds the network"
