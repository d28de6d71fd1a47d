"""Take the README's screenshots of Shared files (S6, issue 15): a real server, two real device
cores and the panel's real window, under Xvfb.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/shared_files_screenshot.py \
        [--out docs/screenshots] [--screen 800x480]

The server has the demo users; "Reception MFP" (the panel's device) and "Second floor MFP" (a
headless device) each get files in their boxes: scans drawn by the panel's renderer, a photo,
Alice's own files, a shared box with a PIN, and Bob's private payslip (never shown to Alice).
Alice logs in on the keypad and taps the Shared files tile. It writes:

  shared-files-transfer.png  "Site survey scans.pdf" (120 MB) coming in from the other device:
                             the bar with bytes and rate, labelled "via server"
  shared-files.png           the list grouped by device with the holders' states, the other
                             device's "Site survey scans.pdf" chosen, its first page drawn
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication
from screenshots import save, shot_args, tap, type_login, until

from panel.device import ConnectionState, Device, DeviceConfig
from panel.device.files import personal_box
from panel.device.scanner import ScanSpec
from panel.paths import resources_dir
from panel.server.app import RunningServer, start_server
from panel.server.demo_data import DEMO_USERS
from panel.ui.qt_loop import run_qt, signal_future
from panel.ui.scan_render import render_scan
from panel.ui.window import PanelWindow

ROOT = Path(__file__).resolve().parent.parent
ALICE, BOB = DEMO_USERS[0][0], DEMO_USERS[1][0]
BIG = 120 * 1024 * 1024  # long enough on loopback to be seen coming in


def scan(title: str, pages: int, hours_ago: float) -> bytes:
    return render_scan(
        ScanSpec(title, ALICE, "Alice Martin", pages, time.time() - hours_ago * 3600)
    )


def padded(pdf: bytes, size: int) -> bytes:
    """`pdf` grown to `size` bytes by a comment after its end, still readable (its
    cross-reference table pointed at again after the padding)."""
    xref = pdf[pdf.rindex(b"startxref") :].split()[1]
    tail = b"startxref\n" + xref + b"\n%%EOF\n"
    filler = size - len(pdf) - len(tail) - 3
    return pdf + b"\n%" + b"0" * filler + b"\n" + tail


async def seed(reception: Device, holder: Device) -> str:
    """Files on both devices; the file id of the big one on the holder."""
    team = holder.files.create_shared_box("Team")
    legal = holder.files.create_shared_box("Legal", pin="4711")
    big = await holder.files.store(
        ALICE, team.box_id, "Site survey scans.pdf", padded(scan("Site survey", 6, 30), BIG), 6
    )
    for box, name, pages, hours in (
        (team.box_id, "Quarterly report.pdf", 4, 5),
        (legal.box_id, "Lease contract 2027.pdf", 12, 50),
        (personal_box(ALICE), "Expenses March.pdf", 2, 2),
    ):
        await holder.files.store(ALICE, box, name, scan(name[:-4], pages, hours), pages)
    await holder.files.store(BOB, personal_box(BOB), "Payslip.pdf", scan("Payslip", 1, 1), 1)
    lobby = reception.files.create_shared_box("Reception")
    photo = (resources_dir() / "originals" / "photo.png").read_bytes()
    await reception.files.store(ALICE, lobby.box_id, "Visitor badge photo.png", photo, 1)
    await reception.files.store(
        ALICE, personal_box(ALICE), "Minutes 4 Dec.pdf", scan("Minutes 4 Dec", 2, 20), 2
    )
    return big.meta.file_id


def grab_now(window: PanelWindow, path: Path) -> None:
    """The window as the X server shows it now, without processing Qt's events first (that
    would run the relay's tasks inside this one: capture() is for a settled screen)."""
    shot = window.screen().grabWindow(window.winId())
    path.parent.mkdir(parents=True, exist_ok=True)
    if shot.isNull() or not shot.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    print(f"wrote {path} ({shot.width()}x{shot.height()})")


async def tour(
    server: RunningServer, reception: Device, holder: Device, window: PanelWindow, out: Path
) -> None:
    painted = signal_future(window.login_painted)
    window.show()
    await until("the login screen painted", lambda: painted.done())
    for device in (reception, holder):
        await until("online", lambda d=device: d.connection_state is ConnectionState.ONLINE)
    big = await seed(reception, holder)
    index = server.store.file_index
    await until("the holder's files indexed", lambda: index.count(holder.device_id) == 5)
    type_login(window)
    tap(window, window.login_screen.keypad.buttons["ok"])
    await until("the home screen", lambda: window.current_screen() is window.home_screen)
    tap(window, window.home_screen.tiles["files"])
    screen = window.shared_files_screen
    await until("both devices listed", lambda: len(screen.headings()) == 2)

    tap(window, screen.list.viewport(), screen.row_rect(big).center())
    await until("the big file chosen", lambda: screen.current is not None)
    tap(window, screen.copy_button)
    bar = screen.transfer_bar
    await until("the transfer under way", lambda: bar.value() >= 0.3 * bar.maximum(), 60)
    grab_now(window, out / "shared-files-transfer.png")
    await until("the copy stored", lambda: "Stored" in screen.transfer_text.text(), 120)
    await until("the copy listed here", lambda: len(screen.file_names()) == 7)
    window.toast.hide()
    screen.transfer.hide()  # the list itself, as Alice finds it next time
    tap(window, screen.list.viewport(), screen.row_rect(big).center())
    # The other device's heading at the top, its state beside its name.
    items = [screen.list.item(n) for n in range(screen.list.count())]
    headings = [i for i in items if i.flags() == Qt.ItemFlag.ItemIsEnabled]  # not selectable
    screen.list.scrollToItem(headings[-1], QAbstractItemView.ScrollHint.PositionAtTop)
    await save(window, out / "shared-files.png", lambda: screen.preview_kind == "page")


def main(argv: list[str] | None = None) -> int:
    out, width, height = shot_args(argv, __doc__, "800x480")

    async def run(_app: QApplication) -> int:
        with tempfile.TemporaryDirectory(prefix="mfp-panel-files-shot-") as tmp:
            root = Path(tmp)
            server = await start_server(root / "server", port=0)
            devices: list[Device] = []
            try:
                for user_id, name, pin, role in DEMO_USERS:
                    server.store.add_user(user_id, name, pin, role)
                for name in ("Reception MFP", "Second floor MFP"):
                    device_id, secret = server.store.register_device(name, "MFP-Emu 1")
                    config = DeviceConfig(
                        name, server.url, root / name.replace(" ", "-"), device_id, secret
                    )
                    devices.append(Device(config, renderer=render_scan))
                    await devices[-1].start()
                reception, holder = devices
                window = PanelWindow(reception, screen=(width, height))
                try:
                    await tour(server, reception, holder, window, out)
                finally:
                    window.close()
            finally:
                for device in devices:
                    await device.stop()
                await server.stop()
        return 0

    return run_qt(run)


if __name__ == "__main__":
    raise SystemExit(main())
