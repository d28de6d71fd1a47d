"""The Shared files screen on its own (S6): what it says for each holder state, a failed
transfer, an empty search; the first page drawn from a PDF or an image, a placeholder naming
the type otherwise; and the tile on a device still starting."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support.fake_device import FakeDevice
from support.i18n import in_language

from panel.device.files import TransferProgress
from panel.device.scanner import ScanSpec
from panel.paths import resources_dir
from panel.protocol.files import FileMeta
from panel.ui.file_preview import file_type, preview_image, read_first_page
from panel.ui.scan_render import render_scan
from panel.ui.screens.shared_files import FileRow, Group, SharedFilesScreen, error_text
from panel.ui.window import PanelWindow

SHA = "0" * 64
CHECKSUM = "The file that came does not match its checksum; nothing was stored."


def row(device: str, state: str, name: str, n: int, owner: str = "1001") -> FileRow:
    meta = FileMeta(f"{n:032x}", name, owner, 2, 2048, time.time(), SHA)
    return FileRow(device, device.title(), state, "shared:Team", "Team", False, meta)


def groups() -> list[Group]:
    return [
        Group(d, d.title(), state, (row(d, state, f"{d} plan.pdf", n),))
        for n, (d, state) in enumerate(
            (("here", "here"), ("lobby", "online"), ("annex", "asleep"), ("cellar", "offline"))
        )
    ]


def test_each_holder_state_is_said_in_words_beside_its_device(qtbot: QtBot) -> None:
    screen = SharedFilesScreen()
    qtbot.addWidget(screen)
    screen.set_groups(groups(), "1001")
    assert screen.headings() == [
        ("Here", "This device"),
        ("Lobby", "Online"),
        ("Annex", "Asleep — woken to send"),
        ("Cellar", "Offline — files come when it is back"),
    ]
    screen.set_query("ANNEX")  # by name, any case
    assert screen.file_names() == ["annex plan.pdf"]
    screen.set_query("nothing like it")
    assert screen.file_names() == []
    assert screen.empty_label.text() == "No file's name has “nothing like it”."


def test_a_failed_transfer_says_why_and_a_done_one_where_it_went(qtbot: QtBot) -> None:
    screen = SharedFilesScreen()
    qtbot.addWidget(screen)
    screen.show()
    progress = TransferProgress("d", "f" * 32, "Plan.pdf", 3_000_000, 1_500_000, "receiving")
    progress.rate_bps = 2_000_000
    screen.show_transfer(progress)
    assert screen.transfer.isVisible()
    assert screen.via_server.text() == "via server"
    assert screen.transfer_text.text() == "1.5 MB of 3.0 MB  ·  2.0 MB/s"
    assert screen.transfer_bar.value() == 500
    progress.state, progress.message = "failed", CHECKSUM
    screen.show_transfer(progress)
    assert screen.transfer_text.text() == CHECKSUM
    assert screen.transfer.property("state") == "failed"
    screen.show_message(CHECKSUM, "error")
    assert screen.message.isVisible()
    assert screen.message.property("level") == "error"


def test_only_the_owner_may_delete_and_only_a_file_held_here(qtbot: QtBot) -> None:
    screen = SharedFilesScreen()
    qtbot.addWidget(screen)
    screen.set_groups(groups(), "1001")
    screen.select(f"{0:032x}")  # here, Alice's
    assert screen.delete_button.isEnabled()
    screen.select(f"{1:032x}")  # Alice's, but on another device
    assert not screen.delete_button.isEnabled()
    bob = [Group("here", "Here", "here", (row("here", "here", "Bob.pdf", 9, owner="1002"),))]
    screen.set_groups(bob, "1001")
    screen.select(f"{9:032x}")
    assert not screen.delete_button.isEnabled()


def test_the_first_page_of_a_pdf_or_an_image_is_drawn_else_its_type(
    qtbot: QtBot, tmp_path: Path
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(render_scan(ScanSpec("Site plan", "1001", "Alice", 2, time.time())))
    first = read_first_page(scan, "Site plan.pdf")
    assert first.kind == "PDF"
    assert first.plan is not None
    assert any("Site plan" in text for text, *_ in first.plan.texts)
    assert len(first.plan.paths) > 20  # the scanned page's lines, table and figure
    page = preview_image(first, QSize(132, 187))
    assert (page.width(), page.height()) == (132, 187)
    assert len({page.pixel(x, y) for x in range(0, 132, 6) for y in range(0, 187, 6)}) > 5  # drawn

    photo = read_first_page(resources_dir() / "originals" / "photo.png", "photo.png")
    assert (photo.kind, photo.image is not None) == ("PNG", True)

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really")
    assert (read_first_page(broken, "broken.pdf").kind, file_type("x.docx")) == ("PDF", "DOCX")
    assert read_first_page(broken, "broken.pdf").plan is None


def test_the_tile_on_a_device_without_boxes_yet_says_so(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow
) -> None:
    QTest.mouseClick(home.home_screen.tiles["files"], Qt.MouseButton.LeftButton)
    assert home.toast.isVisible()
    assert home.toast.text() == "Shared files are not available yet: the device is still starting."
    assert home.current_screen() is home.home_screen


def test_the_screen_switches_language_while_it_is_showing(qtbot: QtBot) -> None:
    """Titles, buttons, holder states, the chosen file's details and a refusal follow a switch
    to Japanese and back; nothing is built again."""
    screen = SharedFilesScreen()
    qtbot.addWidget(screen)
    screen.show()
    screen.set_groups(groups(), "1001")
    assert screen.select(groups()[0].rows[0].meta.file_id)
    title = screen.titles[screen.list_page]
    screen.show_message(error_text(CHECKSUM, "checksum_mismatch"), "error")
    with in_language("ja"):
        assert title.full_text() == "共有ファイル"
        # Buttons fit their words to the width the layout gives them, in its next pass.
        qtbot.waitUntil(lambda: screen.back_button.text() == "ホーム")
        assert screen.print_button.text() == "この機器で印刷"
        assert screen.search_button.text() == "名前で検索"
        assert screen.headings()[0] == ("Here", "この機器")
        assert "この機器のボックス「Team」内" in screen.meta_label.text()
        assert (
            screen.message.text()
            == "受信したファイルのチェックサムが一致しません。保存されませんでした。"
        )
    assert title.full_text() == "Shared files"
    qtbot.waitUntil(lambda: screen.back_button.text() == "Home")
    assert screen.headings()[0] == ("Here", "This device")
    assert "In box “Team” on this device" in screen.meta_label.text()
    assert screen.message.text() == CHECKSUM
