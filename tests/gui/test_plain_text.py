"""Text from outside (job titles, user and destination names, the device's notices) is shown
as the characters it is: never interpreted as HTML, whatever it contains.

Any user can title their own job; QLabel's default (Qt.AutoText) would render `<h1>` big and
load `<img src="file:///...">`. Every label of the panel is plain text, the toast too, and the
job list paints its rows with QStaticText set to plain text (its default, too, is AutoText).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice

from panel.device.model import ConnectionState, JobKind, JobState, User
from panel.protocol.messages import Destination
from panel.ui.screens.jobs import HELD_NOTE
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

HTML = '<h1>Pay now</h1><img src="file:///etc/passwd"><a href="http://x">here</a>'
PLAIN = Qt.TextFormat.PlainText


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def labels(window: PanelWindow) -> list[QLabel]:
    """Every label of the window: the bezel's and the touchscreen's (a scene of its own)."""
    return window.findChildren(QLabel) + window.touchscreen.findChildren(QLabel)


def test_every_label_of_the_panel_is_plain_text(home: PanelWindow) -> None:
    found = labels(home)
    assert len(found) > 30  # status bar, screens, toast, bezel: all of them were looked at
    assert home.toast in found
    rich = [f"{label.objectName() or type(label).__name__}: {label.text()!r}" for label in found]
    assert [r for r, label in zip(rich, found, strict=True) if label.textFormat() != PLAIN] == []


def test_a_job_titled_with_html_shows_the_literal_text(
    device: FakeDevice, home: PanelWindow
) -> None:
    job = device.add_job(HTML, JobState.PRINTING, pages=3)
    home.show_jobs()
    row = home.jobs_screen.row_of(job.job_id)
    assert row is not None
    assert row.title == HTML
    home.flush()
    home.jobs_screen.list_view.viewport().grab()  # paint the rows
    drawn = home.jobs_screen.delegate._texts.values()  # what the delegate laid out to draw
    assert any(static.text().startswith("<h1>Pay now") for static, _width in drawn)
    assert {static.textFormat() for static, _width in drawn} == {PLAIN}

    click(home.keys["stop"])  # the toast quotes the title
    toast = home.toast
    assert toast.isVisible()
    assert toast.text() == f"Stopped: “{HTML}” was cancelled."
    assert toast.textFormat() == PLAIN


def test_a_user_named_with_html_is_greeted_literally(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    device.users["3003"] = ("1111", User("3003", HTML))
    window.login_screen.user_field.setText("3003")
    window.login_screen.pin_field.setText("1111")
    click(window.login_screen.ok_button)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    for label, text in (
        (window.status_bar.user_label, HTML),
        (window.home_screen.greeting, f"Hello, {HTML}"),
    ):
        assert label.text() == text
        assert label.textFormat() == PLAIN


def test_a_destination_named_with_html_stays_text_in_the_hint_and_the_toast(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow
) -> None:
    device.set_destinations([Destination("d-html", HTML, "email", "x@example.com")])
    device.set_connection(ConnectionState.OFFLINE)
    home.show_scan()
    scan = home.scan_screen
    assert scan.select_destination("d-html")
    assert scan.hint_label.text().startswith(f"Sends to {HTML}.")
    assert scan.hint_label.textFormat() == PLAIN
    click(scan.action_button)
    qtbot.waitUntil(lambda: home.toast.isVisible())  # the job is kept: the panel says so
    assert home.toast.text() == HELD_NOTE
    (job,) = device.jobs.all()
    assert job.kind is JobKind.SCAN
    home.show_jobs()
    row = home.jobs_screen.row_of(job.job_id)
    assert row is not None
    assert row.meta.endswith(f"to {HTML}")


def test_a_notice_and_a_refusal_are_shown_as_text(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow
) -> None:
    device.notice(HTML, "warning")
    assert home.toast.text() == HTML
    assert home.toast.textFormat() == PLAIN
    device.refuse_compose = HTML
    home.show_fax()
    fax = home.fax_screen
    fax.number_field.setText("0123456")
    click(fax.action_button)
    qtbot.waitUntil(lambda: fax.error_label.text() != "")
    assert fax.error_label.text() == HTML
    assert fax.error_label.textFormat() == PLAIN
    assert ALICE.name in home.status_bar.user_label.text()
