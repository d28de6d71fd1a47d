"""Languages (issue 19, review): what is on the glass when the language changes follows it — a
toast that is showing, the Device information page — and the Server page's offline-login row
says what the device's cache knows."""

from __future__ import annotations

import time
from collections.abc import Awaitable

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support.i18n import language  # noqa: F401  (fixture)

from panel.device.settings import NetworkChoice, PanelSettings, show_as
from panel.protocol.files import FileMeta
from panel.ui import i18n
from panel.ui.i18n import Text, bind
from panel.ui.screens.scan import default_title
from panel.ui.screens.shared_files import file_line
from panel.ui.settings.entry import Entry
from panel.ui.settings.info import DeviceFacts, InfoPage
from panel.ui.settings.pages import ServerPage
from panel.ui.widgets import Label, Toast

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
    toast.show_message(Text("Settings", "Registered with the server"))  # shorter in Japanese
    i18n.set_language(i18n.ENGLISH)
    assert toast.text() == "Registered with the server"
    assert toast.width() >= toast.fontMetrics().horizontalAdvance(toast.text())  # not clipped


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


@pytest.mark.parametrize(
    ("display", "written"),
    [
        (("iso", True), "2026-12-06 14:05"),
        (("dmy", False), "06/12/2026 2:05 PM"),
        (("ja", True), "2026年12月6日 14:05"),
    ],
)
def test_a_shared_file_s_date_and_a_scan_s_name_follow_the_date_format_setting(
    display: tuple[str, bool], written: str
) -> None:
    made = time.mktime((2026, 12, 6, 14, 5, 0, 0, 0, -1))  # local time, as shown
    meta = FileMeta("a" * 32, "report.pdf", "1001", 2, 2048, made, "0" * 64)
    try:
        show_as(PanelSettings(date_style=display[0], clock_24h=display[1]))
        assert file_line(meta, "1001").endswith(f"·  {written}")
        assert default_title(made) == f"Scan {written}"
    finally:
        show_as(PanelSettings())


@pytest.mark.usefixtures("language")
def test_stale_bindings_names_a_bound_text_that_is_not_the_current_language(qtbot: QtBot) -> None:
    label = Label()
    qtbot.addWidget(label)
    bind(label, Text("Settings", "Allowed"))
    bind(label, Text("Settings", "Allowed"), "setToolTip")
    assert [s for s in i18n.stale_bindings() if s.widget is label] == []
    i18n.set_language(i18n.JAPANESE)
    label.setText("Allowed")  # behind the binding's back, as a missed switch leaves it
    stale = [(s.setter, s.shown, s.wanted) for s in i18n.stale_bindings() if s.widget is label]
    assert stale == [("setText", "Allowed", i18n.translate("Settings", "Allowed"))]
