"""Shared files (S6) on the panel over the real stack: a server, the panel's device ("Reception
MFP") and a second device holding files ("Second floor MFP"), over real sockets.

Alice opens the Shared files tile and finds one list grouped by device with each holder's state;
Bob's private box on the other device is not in it. She searches with the on-screen keyboard,
sees a file's first page, copies a file from the other device (the bar shows it coming in via
the server, then stored), prints a file here, deletes her own file after a confirmation, and
reads clear words for a holder gone offline and a wrong box PIN."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support import ALICE, BOB, device_config
from support.panel_touch import finger, logged_in
from support.qt_loop import run
from support.real_panel import RealPanel, open_real_panel

from panel.device import ConnectionState, Device, JobState
from panel.device.files import BoxFile, TransferProgress, personal_box
from panel.device.scanner import ScanSpec
from panel.server.api import hub_key
from panel.ui.scan_render import render_scan
from panel.ui.screens.scan import BOX_DESTINATION
from panel.ui.screens.shared_files import SharedFilesScreen
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

REPORT_BYTES = 2 * 1024 * 1024 + 333  # several chunks of the relay: the bar moves


@dataclass
class Fleet:
    stack: RealPanel
    holder: Device
    report: BoxFile  # on the holder, in the shared box "Team"
    payslip: BoxFile  # on the holder, in Bob's own box
    legal: BoxFile  # on the holder, in the shared box "Legal" (PIN 4711)
    minutes: BoxFile  # on the panel's device, in Alice's own box

    @property
    def window(self) -> PanelWindow:
        return self.stack.window


def _pdf(title: str, pages: int) -> bytes:
    return render_scan(ScanSpec(title, ALICE, "Alice Martin", pages, time.time()))


def _padded(pdf: bytes, size: int) -> bytes:
    """`pdf` grown to `size` bytes by a comment after its end, still a readable PDF (its
    cross-reference table pointed at again after the padding)."""
    xref = pdf[pdf.rindex(b"startxref") :].split()[1]
    tail = b"\nstartxref\n" + xref + b"\n%%EOF\n"
    padding = size - len(pdf) - len(tail) - 2
    return pdf + b"\n%" + os.urandom(padding).hex().encode()[:padding] + b"\n" + tail[1:]


@pytest.fixture
def fleet(qtbot: QtBot, tmp_path: Path) -> Iterator[Fleet]:
    stack = open_real_panel(qtbot, tmp_path, "Reception MFP")
    holder = Device(
        device_config(stack.server, tmp_path / "holder", "Second floor MFP"), renderer=render_scan
    )
    run(qtbot, holder.start())
    try:
        qtbot.waitUntil(lambda: holder.connection_state is ConnectionState.ONLINE)
        team = holder.files.create_shared_box("Team")
        legal = holder.files.create_shared_box("Legal", pin="4711")
        report_data = _padded(_pdf("Quarterly report", 3), REPORT_BYTES)
        files = holder.files
        report = run(qtbot, files.store(ALICE, team.box_id, "Quarterly report.pdf", report_data, 3))
        payslip = run(qtbot, files.store(BOB, personal_box(BOB), "Payslip.pdf", _pdf("P", 1), 1))
        contract = run(qtbot, files.store(ALICE, legal.box_id, "Contract.pdf", _pdf("C", 2), 2))
        mine = stack.device.files
        minutes = run(
            qtbot, mine.store(ALICE, personal_box(ALICE), "Minutes.pdf", _pdf("Minutes", 2), 2)
        )
        index = stack.server.store.file_index
        qtbot.waitUntil(lambda: index.count(holder.device_id) == 3, timeout=10_000)
        yield Fleet(stack, holder, report, payslip, contract, minutes)
    finally:
        # The window first: a Qt wait lets pytest-qt's deferred delete of the window happen.
        stack.close()
        run(qtbot, holder.stop())  # safe when the test stopped it already


def open_shared_files(qtbot: QtBot, window: PanelWindow) -> SharedFilesScreen:
    logged_in(qtbot, window)
    finger(window, window.home_screen.tiles["files"])
    screen = window.shared_files_screen
    qtbot.waitUntil(lambda: window.current_screen() is screen)
    qtbot.waitUntil(lambda: len(screen.headings()) == 2, timeout=10_000)
    return screen


def tap_row(window: PanelWindow, screen: SharedFilesScreen, file_id: str) -> None:
    finger(window, screen.list.viewport(), screen.row_rect(file_id).center())
    assert screen.current is not None
    assert screen.current.meta.file_id == file_id


def tap(window: PanelWindow, widget: QWidget) -> None:
    assert widget.isVisible(), widget.objectName()
    assert widget.isEnabled(), widget.objectName()
    finger(window, widget)


def test_the_list_groups_by_device_with_holder_states_and_hides_another_users_private_box(
    qtbot: QtBot, fleet: Fleet
) -> None:
    window = fleet.window
    assert not window.home_screen.tiles["files"].corner_label("tileNote").text()
    screen = open_shared_files(qtbot, window)
    assert screen.headings() == [
        ("Reception MFP", "This device"),
        ("Second floor MFP", "Online"),
    ]
    names = screen.file_names()
    assert sorted(names) == ["Contract.pdf", "Minutes.pdf", "Quarterly report.pdf"]
    assert "Payslip.pdf" not in names  # Bob's own box: never listed to Alice

    # The holder goes away: the list says so before anyone asks, and asking gets words.
    run(qtbot, fleet.holder.stop())
    hub = fleet.stack.server.app[hub_key]
    qtbot.waitUntil(lambda: not hub.connected(fleet.holder.device_id), timeout=10_000)
    window.shared_files.refresh()
    qtbot.waitUntil(
        lambda: ("Second floor MFP", "Offline — files come when it is back") in screen.headings(),
        timeout=10_000,
    )
    tap_row(window, screen, fleet.report.meta.file_id)
    tap(window, screen.copy_button)
    qtbot.waitUntil(screen.message.isVisible, timeout=10_000)
    assert "Second floor MFP" in screen.message.text()
    assert "offline" in screen.message.text()
    assert screen.message.property("level") == "error"


def test_search_filters_the_list_by_name_with_the_on_screen_keyboard(
    qtbot: QtBot, fleet: Fleet
) -> None:
    window = fleet.window
    screen = open_shared_files(qtbot, window)
    tap(window, screen.search_button)
    assert screen.pages.currentWidget() is screen.search_page
    for key in "quar":
        finger(window, screen.keyboard.buttons[key])
    assert screen.file_names() == ["Quarterly report.pdf"]  # filters as it is typed
    finger(window, screen.keyboard.buttons["done"])
    assert screen.pages.currentWidget() is screen.list_page
    assert screen.headings() == [("Second floor MFP", "Online")]
    assert screen.search_button.text() == "“quar”"
    tap(window, screen.clear_button)
    assert len(screen.file_names()) == 3


def test_a_file_is_previewed_fetched_via_the_server_with_progress_and_stored(
    qtbot: QtBot, fleet: Fleet
) -> None:
    window, device = fleet.window, fleet.stack.device
    screen = open_shared_files(qtbot, window)
    # A file held here: its first page is drawn.
    tap_row(window, screen, fleet.minutes.meta.file_id)
    qtbot.waitUntil(lambda: screen.preview_kind == "page", timeout=10_000)
    # A file on the other device: its type until it is here.
    tap_row(window, screen, fleet.report.meta.file_id)
    assert screen.preview_kind == "placeholder"

    shown: list[tuple[str, str]] = []

    def seen(progress: TransferProgress) -> None:
        shown.append((progress.state, screen.transfer_text.text()))

    window.bridge.file_transfer.connect(seen)  # after the window's own: what is on screen
    tap(window, screen.copy_button)
    qtbot.waitUntil(lambda: bool(shown) and shown[-1][0] == "done", timeout=20_000)
    assert screen.transfer.isVisible()
    assert screen.via_server.text() == "via server"
    assert screen.transfer_title.full_text() == "Quarterly report.pdf"
    receiving = [text for state, text in shown if state == "receiving"]
    assert len(receiving) >= 2, shown
    assert " of 2.1 MB" in receiving[0]
    assert receiving[0].endswith("/s")
    assert screen.transfer_text.text() == "Stored in your box — 2.1 MB"
    assert screen.transfer_bar.value() == screen.transfer_bar.maximum()

    def copies() -> list[BoxFile]:
        mine = [f for f in device.files.visible_to(ALICE) if f.box_id == personal_box(ALICE)]
        return [f for f in mine if f.meta.sha256 == fleet.report.meta.sha256]

    qtbot.waitUntil(lambda: len(copies()) == 1, timeout=10_000)  # verified, then committed
    # Now it is here too: the other device's row shows its first page.
    qtbot.waitUntil(lambda: "Quarterly report.pdf" in _here(screen), timeout=10_000)
    tap_row(window, screen, fleet.report.meta.file_id)
    qtbot.waitUntil(lambda: screen.preview_kind == "page", timeout=10_000)


def _here(screen: SharedFilesScreen) -> list[str]:
    return [r.meta.name for g in screen.groups if g.state == "here" for r in g.rows]


def test_print_here_queues_a_job_and_delete_asks_then_removes(qtbot: QtBot, fleet: Fleet) -> None:
    window, device = fleet.window, fleet.stack.device
    screen = open_shared_files(qtbot, window)
    tap_row(window, screen, fleet.minutes.meta.file_id)
    tap(window, screen.print_button)
    qtbot.waitUntil(
        lambda: any(j.title == "Box: Minutes.pdf" for j in device.jobs.all()), timeout=10_000
    )
    job = next(j for j in device.jobs.all() if j.title == "Box: Minutes.pdf")
    assert (job.user_id, job.pages) == (ALICE, 2)
    qtbot.waitUntil(lambda: fleet.stack.state(job.job_id) is JobState.COMPLETED)

    # Not hers: no Delete. Hers: Delete asks first; Cancel keeps it.
    tap_row(window, screen, fleet.report.meta.file_id)
    assert not screen.delete_button.isEnabled()
    tap_row(window, screen, fleet.minutes.meta.file_id)
    tap(window, screen.delete_button)
    assert screen.pages.currentWidget() is screen.confirm_page
    assert screen.confirm_title.text() == "Delete “Minutes.pdf”?"
    tap(window, screen.cancel_delete)
    assert device.files.get(fleet.minutes.meta.file_id) is not None
    tap(window, screen.delete_button)
    tap(window, screen.confirm_delete)
    qtbot.waitUntil(lambda: "Minutes.pdf" not in screen.file_names(), timeout=10_000)
    assert device.files.get(fleet.minutes.meta.file_id) is None


def test_a_box_pin_is_asked_on_the_keypad_and_a_wrong_one_is_refused_in_words(
    qtbot: QtBot, fleet: Fleet
) -> None:
    window, device = fleet.window, fleet.stack.device
    screen = open_shared_files(qtbot, window)
    tap_row(window, screen, fleet.legal.meta.file_id)
    tap(window, screen.print_button)
    assert screen.pages.currentWidget() is screen.pin_page
    assert "Legal" in screen.pin_prompt.text()
    for digit in "0000":
        finger(window, screen.pin_keypad.buttons[digit])
    finger(window, screen.pin_keypad.buttons["ok"])
    qtbot.waitUntil(screen.message.isVisible, timeout=10_000)
    assert screen.message.property("level") == "error"
    assert "PIN" in screen.message.text()
    assert not any(j.title == "Box: Contract.pdf" for j in device.jobs.all())

    tap(window, screen.print_button)
    for digit in "4711":
        finger(window, screen.pin_keypad.buttons[digit])
    finger(window, screen.pin_keypad.buttons["ok"])
    qtbot.waitUntil(
        lambda: any(j.title == "Box: Contract.pdf" for j in device.jobs.all()), timeout=10_000
    )


def test_scan_store_in_my_box_keeps_the_scan_in_alices_box_and_lists_it(
    qtbot: QtBot, fleet: Fleet
) -> None:
    window, device = fleet.window, fleet.stack.device
    logged_in(qtbot, window)
    finger(window, window.home_screen.tiles["scan"])
    scan = window.scan_screen
    qtbot.waitUntil(lambda: window.current_screen() is scan)
    rect = scan.destination_rect(BOX_DESTINATION.dest_id)
    finger(window, scan.destination_list.viewport(), rect.center())
    assert scan.selected_destination() == BOX_DESTINATION
    assert "your box" in scan.hint_label.text()
    finger(window, scan.pages.plus_button)
    finger(window, scan.action_button)

    def scans() -> list[BoxFile]:
        return [f for f in device.files.visible_to(ALICE) if f.meta.name.startswith("Scan ")]

    qtbot.waitUntil(lambda: len(scans()) == 1, timeout=10_000)
    (stored,) = scans()
    assert (stored.box_id, stored.meta.owner, stored.meta.pages) == (personal_box(ALICE), ALICE, 2)
    qtbot.waitUntil(lambda: not scan.busy)
    assert window.toast.text() == f"Stored “{stored.meta.name}” in your box."

    finger(window, scan.back_button)
    finger(window, window.home_screen.tiles["files"])
    screen = window.shared_files_screen
    qtbot.waitUntil(lambda: stored.meta.name in screen.file_names(), timeout=10_000)
    tap_row(window, screen, stored.meta.file_id)
    qtbot.waitUntil(lambda: screen.preview_kind == "page", timeout=10_000)


def test_copy_to_my_box_twice_keeps_one_copy(qtbot: QtBot, fleet: Fleet) -> None:
    window, device = fleet.window, fleet.stack.device
    screen = open_shared_files(qtbot, window)
    tap_row(window, screen, fleet.report.meta.file_id)
    tap(window, screen.copy_button)
    qtbot.waitUntil(lambda: "Quarterly report.pdf" in _here(screen), timeout=20_000)
    tap_row(window, screen, fleet.report.meta.file_id)
    tap(window, screen.copy_button)
    qtbot.waitUntil(lambda: window.toast.text() == "“Quarterly report.pdf” is in your box already.")
    assert _here(screen).count("Quarterly report.pdf") == 1
    assert len([f for f in device.files.files() if f.meta.name == "Quarterly report.pdf"]) == 1
