"""QR connection (S7) on the panel over the real stack: a server, the panel's device, the phone
simulator on a real socket and the QA dock's camera card.

Alice opens the Phone tile: the camera view asks for a phone. The phone shows a QR for two
photos; the dock holds it to the camera, tilted and blurred; the camera view shows the frame it
read, the document stand projects the first photo; full screen pages, zooms and rotates; Print
queues a local job of two pages, Store in box puts both photos in her box. The same QR again is
refused in words on the panel."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot
from support import ALICE
from support.panel_touch import finger, logged_in
from support.qt_loop import run
from support.real_panel import RealPanel, open_real_panel

from panel.device.files import personal_box
from panel.device.qr import QrState
from panel.sim.phone import PhoneImage, PhoneSim
from panel.ui.dock import QaDock
from panel.ui.screens.phone import PhoneController, PhoneScreen

Stack = tuple[RealPanel, PhoneSim, QaDock]

pytestmark = pytest.mark.gui


def _photo(colour: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def stack(qtbot: QtBot, tmp_path: Path) -> Iterator[Stack]:
    panel = open_real_panel(qtbot, tmp_path, "Camera MFP")
    phone = PhoneSim(
        [
            PhoneImage("p1", "Harbour.jpg", "image/jpeg", _photo((20, 60, 110), (900, 600))),
            PhoneImage("p2", "Receipt.jpg", "image/jpeg", _photo((230, 230, 220), (500, 800))),
        ]
    )
    url = run(qtbot, phone.start("127.0.0.1", 0))
    dock = QaDock(panel.window, panel.device, phone_url=url)
    try:
        yield panel, phone, dock
    finally:
        panel.close()
        run(qtbot, phone.stop())


def _screen(panel: RealPanel) -> PhoneScreen:
    return PhoneController.of(panel.window).screen


def test_the_phone_tile_opens_the_camera_view(qtbot: QtBot, stack: Stack) -> None:
    panel, _, _ = stack
    logged_in(qtbot, panel.window)
    finger(panel.window, panel.window.home_screen.tiles["phone"])
    screen = _screen(panel)
    assert panel.window.current_screen() is screen
    assert screen.state_label.text() == "Waiting for a phone"
    assert "Place your phone" in screen.message.text()
    assert not screen.camera_view.has_image()
    assert not screen.print_button.isEnabled()


def test_a_phone_held_to_the_camera_is_projected_printed_and_stored(
    qtbot: QtBot, stack: Stack
) -> None:
    panel, phone, dock = stack
    window = panel.window
    logged_in(qtbot, window)
    phone.share(["p1", "p2"])
    camera = dock.camera
    camera.kind_buttons["perspective"].setChecked(True)
    camera.kind_buttons["blur"].setChecked(True)
    camera.strength.setValue(25)
    camera.hold_button.click()  # the dock's "Hold phone to camera" opens the Phone screen

    screen = _screen(panel)
    qtbot.waitUntil(lambda: screen.status.state is QrState.PROJECTED, timeout=10_000)
    assert window.current_screen() is screen
    assert screen.state_label.text() == "Projected"
    assert screen.camera_view.has_image()  # what the camera saw
    assert screen.projection.has_image()
    assert screen.stand_page.text() == "Harbour.jpg — page 1 of 2"
    assert "Projected: Harbour.jpg, Receipt.jpg" in camera.result_label.full_text()

    finger(window, screen.full_button)
    assert screen.pages.currentIndex() == 1
    assert screen.page_label.text() == "1 / 2"
    finger(window, screen.next_button)
    assert screen.page_label.text() == "2 / 2"
    assert not screen.next_button.isEnabled()
    finger(window, screen.zoom_in_button)
    assert screen.full_view.zoom == 1.5
    finger(window, screen.rotate_button)
    assert screen.full_view.quarter_turns == 1

    finger(window, screen.full_print_button)
    jobs = [j for j in panel.device.jobs.all() if j.title.startswith("Phone:")]
    assert [(j.title, j.pages) for j in jobs] == [("Phone: Harbour.jpg", 2)]
    assert "Printing 2 pages" in window.toast.text()

    finger(window, screen.full_store_button)
    box = personal_box(ALICE)
    qtbot.waitUntil(lambda: len(panel.device.files.files(box)) >= 2)
    names = sorted(f.meta.name for f in panel.device.files.files(box))
    assert {"Harbour.jpg", "Receipt.jpg"} <= set(names)
    qtbot.waitUntil(lambda: "Stored 2 files" in window.toast.text())

    # The same QR again: refused, in words on the panel; the stand shows why.
    camera.hold_button.click()
    qtbot.waitUntil(lambda: screen.status.state is QrState.REFUSED, timeout=10_000)
    assert screen.pages.currentIndex() == 0
    assert screen.state_label.text() == "Not projected"
    assert "used already" in screen.message.text()
    assert not screen.print_button.isEnabled()


def test_no_phone_running_is_said_on_the_panel(qtbot: QtBot, stack: Stack) -> None:
    panel, phone, dock = stack
    logged_in(qtbot, panel.window)
    run(qtbot, phone.stop())
    dock.camera.hold_button.click()
    screen = _screen(panel)
    qtbot.waitUntil(lambda: screen.status.state is QrState.REFUSED, timeout=10_000)
    assert "No phone simulator" in screen.message.text()
