"""Languages (issue 19, review): what is on the glass when the language changes follows it — a
toast that is showing, the Device information page — and the Server page's offline-login row
says what the device's cache knows."""

from __future__ import annotations

from collections.abc import Awaitable

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support.i18n import language  # noqa: F401  (fixture)

from panel.device.settings import NetworkChoice, PanelSettings
from panel.ui import i18n
from panel.ui.i18n import Text
from panel.ui.settings.entry import Entry
from panel.ui.settings.info import DeviceFacts, InfoPage
from panel.ui.settings.pages import ServerPage
from panel.ui.widgets import Toast

pytestmark = pytest.mark.gui


class FakeSettings:
    """The controller as a page sees it (panel.ui.settings.pages.Settings)."""

    def __init__(self, offline: bool | None = None) -> None:
        self.offline = offline

    @property
    def current(self) -> PanelSettings:
        return PanelSettings()

    def change(self, **changes: object) -> None:
        raise AssertionError("read-only in these tests")

    def edit(self, entry: Entry) -> None:
        raise AssertionError("read-only in these tests")

    def server_url(self) -> str:
        return "http://127.0.0.1:8631"

    def save_url(self, text: str) -> Awaitable[None]:
        raise AssertionError("read-only in these tests")

    def offline_login_allowed(self) -> bool | None:
        return self.offline

    def networks(self) -> list[tuple[NetworkChoice, str]]:
        return []


@pytest.mark.usefixtures("language")
def test_a_toast_showing_in_english_turns_japanese_on_a_switch(qtbot: QtBot) -> None:
    area = QWidget()
    qtbot.addWidget(area)
    area.resize(800, 480)
    toast = Toast(area)
    area.show()
    toast.show_message(Text("Settings", "Not allowed"), "warning")
    assert toast.text() == "Not allowed"
    i18n.set_language(i18n.JAPANESE)
    assert toast.isVisible()
    assert toast.text() == i18n.translate("Settings", "Not allowed") != "Not allowed"


@pytest.mark.usefixtures("language")
def test_device_information_is_drawn_again_in_the_new_language(qtbot: QtBot) -> None:
    page = InfoPage(FakeSettings())
    qtbot.addWidget(page)
    page.show_facts(
        DeviceFacts(
            "dev-1",
            "Info MFP",
            "http://127.0.0.1:8631",
            (("wired", "http://127.0.0.1:8631", Text("Settings", "In use")),),
            ((Text("Settings", "Pages printed"), 1234),),
            registered=True,
        )
    )
    assert page.values["network-0"].full_text().endswith("(In use)")
    i18n.set_language(i18n.JAPANESE)
    in_use = i18n.translate("Settings", "In use")
    assert in_use != "In use"
    assert page.values["network-0"].full_text().endswith(f"({in_use})")
    assert page.values["registration"].full_text() == i18n.translate(
        "Settings", "Registered with the server"
    )
    assert page.values["counter-0"].full_text() == "1,234"
    assert page.values["name"].full_text() == "Info MFP"  # data: as it is


@pytest.mark.parametrize(
    ("allowed", "shown"),
    [(True, "Allowed"), (False, "Not allowed"), (None, "Not known yet")],
)
def test_the_offline_login_row_says_what_the_cache_knows(
    qtbot: QtBot, allowed: bool | None, shown: str
) -> None:
    page = ServerPage(FakeSettings(allowed))
    qtbot.addWidget(page)
    page.show_settings()
    assert page.offline_row.value.full_text() == shown
    assert not page.offline_row.isEnabled()  # the server's policy: shown, never changed here
