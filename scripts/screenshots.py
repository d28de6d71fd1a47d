"""Take the README's screenshots of the real product: real server, real device core, real window.

    xvfb-run -a -s "-screen 0 1680x900x24" .venv/bin/python scripts/screenshots.py \
        [--out docs/screenshots] [--screen 1024x600]

As `mfp-panel demo` does, on one qasync loop: a server on a free loopback port seeded with the
demo data, the simulated networks "Wired LAN" and "LTE" in front of it, a device registered
in-process (12 pages a minute, so a job is seen printing; scans drawn by the panel's Qt
renderer) with both networks, its PanelWindow and the QA dock (hidden for the panel's own
screens). Every input on the panel is a tap through the scaled view; the dock's controls are
clicked. It writes:

  login.png   Alice's ID typed on the keypad, the PIN masked
  home.png    the home screen, her jobs counted on the jobs tile
  jobs.png    the job list, a job at "Page x of y"
  scan.png    the Scan screen: the demo address book (cached from the server), one chosen, 3 pages
  fax.png     the Fax screen: a number typed on the dial pad
  jobs-private.png  Chen Wei logged in: his job in full with its Cancel, Alice's jobs as
              anonymous "Other user" rows (kind and state only, no action)
  lockout.png the login screen after five wrong PINs for Bob: the lock counted down
  dock.png    the QA dock beside the panel: "Wired LAN" cut in the dock, the panel on "LTE",
              the failover in the dock's log
  dimmed.png  the panel dimmed after its idle time, the dock saying so
  sleep.png   the panel asleep at the Energy Saver key: a dark screen, the Power LED lit in its
              slow blink, the Energy Saver key's lamp
  held.png    the server stopped: two scans held in the job list, "2 held", Offline

With MFP_LANGUAGE=ja the panel is in Japanese: the README's home-ja.png and jobs-ja.png come from
such a run with --out to a scratch folder. It stops at dock.png (the waits from there on read the
status bar's English words).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from panel.device import ConnectionState, Device, DeviceConfig, JobState
from panel.device.networks import FailoverPolicy, NetworkSettings
from panel.device.power import PowerSettings, PowerState
from panel.device.scanner import Renderer, render_text
from panel.modes.gui_mode import demo_cards
from panel.protocol.messages import JobCreate
from panel.server.app import RunningServer, start_server
from panel.server.demo_data import DEMO_DESTINATIONS, DEMO_USERS, sample_pdf, seed
from panel.sim import DEMO_NETWORKS, NetworkSet
from panel.ui import i18n
from panel.ui.capture import capture
from panel.ui.dock import QaDock
from panel.ui.qt_loop import run_qt, signal_future
from panel.ui.scan_render import render_scan
from panel.ui.window import SCREEN_SIZES, PanelWindow

ROOT = Path(__file__).resolve().parent.parent
ALICE, _, ALICE_PIN, _ = DEMO_USERS[0]
BOB = DEMO_USERS[1][0]
CHEN, _, CHEN_PIN, _ = DEMO_USERS[2]
DESTINATION = DEMO_DESTINATIONS[0]  # Accounts Payable
FAX_NUMBER = "+442079460000"
WAIT_S = 30.0  # bound on every wait; a page takes 5 s at 12 pages a minute
WIRED, LTE = DEMO_NETWORKS
# Back to the preferred network after 2 s of good probes (the product waits 10 s).
POLICY = FailoverPolicy(probe_interval_s=0.3, recover_probes=3, recover_hold_s=2.0)


async def until(what: str, predicate: Callable[[], bool], wait_s: float = WAIT_S) -> None:
    """Poll `predicate` with short sleeps (the loop keeps running Qt and the network)."""
    deadline = time.monotonic() + wait_s
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {wait_s:.0f} s waiting for {what}")
        await asyncio.sleep(0.05)


def tap(window: PanelWindow, target: QWidget, point: QPoint | None = None) -> None:
    """Tap `target` (at `point` in it, else its centre) through the scaled touchscreen."""
    at = window.view.map_from_content(target, point)
    QTest.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at
    )


async def save(window: PanelWindow, path: Path, ready: Callable[[], bool] = lambda: True) -> None:
    """Capture the window once it has settled and `ready()` holds (e.g. a blinking LED lit)."""
    await asyncio.sleep(0.4)  # let Qt lay out, repaint and hand the frame to the X server
    await until(f"the moment for {path.name}", ready)
    shot = capture(window, path)
    print(f"wrote {path} ({shot.width()}x{shot.height()})")


def type_login(window: PanelWindow, user_id: str = ALICE, pin: str = ALICE_PIN) -> None:
    """A user's ID and PIN (Alice's unless told) typed on the login screen's keypad."""
    login, keys = window.login_screen, window.login_screen.keypad.buttons
    for field, text in ((login.user_field, user_id), (login.pin_field, pin)):
        tap(window, field)
        for digit in text:
            tap(window, keys[digit])


def click(widget: QWidget) -> None:
    """A click on the dock or a hardware key (not on the touchscreen)."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


async def tour(server: RunningServer, device: Device, window: PanelWindow, out: Path) -> None:
    """login.png (ID typed, PIN masked), home.png, jobs.png (a job printing, page x of y)."""
    painted = signal_future(window.login_painted)
    window.show()
    await asyncio.wait_for(painted, 10)
    await until("the device online", lambda: device.connection_state is ConnectionState.ONLINE)

    type_login(window)
    await save(window, out / "login.png")

    tap(window, window.login_screen.keypad.buttons["ok"])  # her held demo jobs print
    await until("the home screen", lambda: window.current_screen() is window.home_screen)
    title = "Meeting notes"
    doc = base64.b64encode(sample_pdf(3, title)).decode()
    await server.dispatcher.submit(JobCreate(ALICE, title, doc, f"{title}.pdf"))
    await until("three jobs on the device", lambda: len(device.jobs.all()) >= 3)
    window.toast.hide()  # "Printing your 2 held jobs." would cover a tile
    await save(window, out / "home.png")

    tap(window, window.home_screen.tiles["jobs"])
    await until("the job list", lambda: window.current_screen() is window.jobs_screen)

    def page_shown() -> bool:
        return any(
            job.state is JobState.PRINTING
            and job.pages_done >= 1
            and (row := window.jobs_screen.row_of(job.job_id)) is not None
            and bool(row.progress_text)  # "Page x of y" in the panel's language
            for job in device.jobs.all()
        )

    await until("a job printing its second page", page_shown)
    await save(window, out / "jobs.png")


async def compose(window: PanelWindow, out: Path) -> None:
    """scan.png (the cached address book, one destination chosen) and fax.png (a number dialled)."""
    tap(window, window.jobs_screen.back_button)
    tap(window, window.home_screen.tiles["scan"])
    scan = window.scan_screen
    await until("the Scan screen", lambda: window.current_screen() is scan)
    await until("the address book", lambda: scan.destination_model.row_of(DESTINATION.dest_id) >= 0)
    rows = scan.destination_list.viewport()
    tap(window, rows, scan.destination_rect(DESTINATION.dest_id).center())
    for _ in range(2):
        tap(window, scan.pages.plus_button)
    await until("the destination chosen", lambda: scan.selected_destination() == DESTINATION)
    await save(window, out / "scan.png")

    tap(window, scan.back_button)
    tap(window, window.home_screen.tiles["fax"])
    fax = window.fax_screen
    await until("the Fax screen", lambda: window.current_screen() is fax)
    for key in FAX_NUMBER:
        tap(window, fax.dialpad.buttons[key])
    await until("the number dialled", lambda: fax.number() == FAX_NUMBER)
    await save(window, out / "fax.png")
    tap(window, fax.back_button)


async def private_jobs(
    server: RunningServer, device: Device, window: PanelWindow, out: Path
) -> None:
    """jobs-private.png: Chen logged in sees his job; Alice's are anonymous "Other user" rows."""
    window.toast.hide()
    click(window.keys["login"])  # Alice logs out
    await until("the login screen", lambda: window.current_screen() is window.login_screen)
    type_login(window, CHEN, CHEN_PIN)
    tap(window, window.login_screen.keypad.buttons["ok"])
    await until("Chen at home", lambda: window.current_screen() is window.home_screen)
    title = "Thesis draft"
    doc = base64.b64encode(sample_pdf(1, title)).decode()
    await server.dispatcher.submit(JobCreate(CHEN, title, doc, f"{title}.pdf"))
    await until(
        "Chen's job on the device", lambda: any(j.title == title for j in device.jobs.all())
    )
    tap(window, window.home_screen.tiles["jobs"])
    await until("the job list", lambda: window.current_screen() is window.jobs_screen)
    window.toast.hide()

    def moment() -> bool:
        rows = [window.jobs_screen.model.row_text(row) for row in range(4)]
        return any(r is not None and r.title == title for r in rows) and any(
            r is not None and r.private for r in rows
        )

    await save(window, out / "jobs-private.png", moment)
    tap(window, window.jobs_screen.back_button)
    click(window.keys["login"])  # Chen logs out, Alice comes back for what follows
    await until("the login screen", lambda: window.current_screen() is window.login_screen)
    type_login(window)
    tap(window, window.login_screen.keypad.buttons["ok"])
    await until("Alice at home", lambda: window.current_screen() is window.home_screen)


async def lockout(window: PanelWindow, out: Path) -> None:
    """lockout.png: five wrong PINs for Bob; the server locks him out at this device for
    5 minutes and the login screen counts it down (then Alice logs back in)."""
    window.toast.hide()
    click(window.keys["login"])  # Alice logs out
    login = window.login_screen
    await until("the login screen", lambda: window.current_screen() is login)
    for attempt in range(5):
        tap(window, login.user_field)
        tap(window, login.keypad.buttons["clear"])
        type_login(window, BOB, "0000")
        tap(window, login.keypad.buttons["ok"])
        await until(f"wrong PIN {attempt + 1} refused", lambda: not login.checking)
    await until("the lock shown", lambda: login.locked_until is not None)
    await asyncio.sleep(2.5)  # the countdown has ticked
    await save(window, out / "lockout.png")
    login.clear()
    type_login(window)
    tap(window, login.keypad.buttons["ok"])
    await until("Alice at home", lambda: window.current_screen() is window.home_screen)


async def networks(device: Device, window: PanelWindow, dock: QaDock, out: Path) -> None:
    """dock.png: the dock beside the panel, "Wired LAN" cut there, the panel on "LTE"."""
    dock.set_shown(True)
    label = window.status_bar.network_label
    await until("the panel on Wired LAN", lambda: label.text() == WIRED)
    click(dock.cards[WIRED].down_button)
    await until("the panel on LTE", lambda: label.text() == LTE)
    await until("online over LTE", lambda: device.connection_state is ConnectionState.ONLINE)
    await save(window, out / "dock.png")
    click(dock.cards[WIRED].down_button)  # the cable back in
    await until("the panel back on Wired LAN", lambda: label.text() == WIRED)
    await until("online", lambda: device.connection_state is ConnectionState.ONLINE)


async def power(device: Device, window: PanelWindow, out: Path) -> None:
    """dimmed.png after the (shortened) idle time; sleep.png at the Energy Saver key."""
    view = window.power_view
    # Printing holds sleep off: the tour's jobs finish first (8 pages at 12 a minute).
    await until("the jobs printed", lambda: not device.power.holds, wait_s=90)
    window.toast.hide()
    device.power.configure(PowerSettings(dim_after_s=1.0, sleep_after_s=3600.0, auto_logout_s=0))
    await until("the panel dimmed", lambda: view.state is PowerState.DIMMED)
    await until("the dimming done", lambda: view.animation.state().name == "Stopped")
    await save(window, out / "dimmed.png")

    click(window.keys["energy_saver"])
    await until("the screen dark", lambda: view.level == 1.0)
    await save(window, out / "sleep.png", lambda: window.leds["power"].is_lit())

    device.presence.person_approached()  # lit again, at the login screen: sleep logged out
    device.power.configure(PowerSettings())
    await until("the login screen", lambda: window.current_screen() is window.login_screen)
    type_login(window)
    tap(window, window.login_screen.keypad.buttons["ok"])
    await until("the home screen", lambda: window.current_screen() is window.home_screen)


async def held(device: Device, window: PanelWindow, out: Path) -> None:
    """held.png, the server stopped: two scans composed and held in the job list, "2 held"."""
    status = window.status_bar
    await until("the panel offline", lambda: status.connection_label.text() == "Offline")
    tap(window, window.home_screen.tiles["scan"])
    scan = window.scan_screen
    await until("the Scan screen", lambda: window.current_screen() is scan)
    if scan.selected_destination() != DESTINATION:  # compose() left it chosen; the cache has it
        tap(
            window,
            scan.destination_list.viewport(),
            scan.destination_rect(DESTINATION.dest_id).center(),
        )
    for count, pages in enumerate((3, 1), start=1):
        while scan.pages.value() < pages:
            tap(window, scan.pages.plus_button)
        tap(window, scan.action_button)

        def kept(n: int = count) -> bool:
            return device.outbox_stats.held == n

        await until(f"{count} held", kept)
        await until("the Scan screen ready again", lambda: not scan.busy)
    tap(window, scan.back_button)
    tap(window, window.home_screen.tiles["jobs"])
    await until("the job list", lambda: window.current_screen() is window.jobs_screen)
    window.toast.hide()  # the "held" toast would cover the rows this picture is about

    def moment() -> bool:
        """Held as the panel says it: two held rows on top, "2 held", Offline, Data LED lit."""
        top = [window.jobs_screen.model.job_at(row) for row in (0, 1)]
        return (
            all(job is not None and job.state is JobState.HELD for job in top)
            and status.held_label.text() == "2 held"
            and status.connection_label.text() == "Offline"
            and window.leds["data"].is_lit()
        )

    await save(window, out / "held.png", moment)


def shot_args(argv: list[str] | None, doc: str | None, screen: str = "1024x600") -> ShotArgs:
    """Every screenshot script's command line (--out, --screen), and a real window: xvfb-run
    gives the display."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--screen",
        default=screen,
        choices=[f"{w}x{h}" for w, h in SCREEN_SIZES],
        help="the touchscreen's logical resolution",
    )
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.screen.split("x"))
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    return ShotArgs(args.out, width, height)


class ShotArgs(NamedTuple):
    out: Path
    width: int
    height: int


@dataclass
class DemoPanel:
    """What demo_panel set up, for the script to drive."""

    root: Path
    server: RunningServer
    sims: NetworkSet | None
    device: Device
    window: PanelWindow
    server_up: bool = True

    async def stop_server(self) -> None:
        """Pull the network from under the panel; the teardown then leaves the server be."""
        self.server_up = False
        await self.server.stop()


@asynccontextmanager
async def demo_panel(
    prefix: str,
    screen: tuple[int, int],
    *,
    jobs: bool = True,
    links: Literal["none", "direct", "sims"] = "none",
    renderer: Renderer = render_text,
    **config: Any,
) -> AsyncIterator[DemoPanel]:
    """Every screenshot script's stage, torn down in order: a server in a temporary folder
    (seeded with the demo jobs, or the demo users only when `jobs` is false), the demo's wired +
    LTE networks (`links`: "direct" to the server, or through the simulated networks "sims",
    failing over by POLICY), a started "Demo MFP" device (`config`: further DeviceConfig fields)
    and its window of `screen` size."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        root = Path(tmp)
        server = await start_server(root / "server", port=0)
        networks = NetworkSet() if links == "sims" else None
        stage: DemoPanel | None = None
        try:
            if jobs:
                await seed(server.dispatcher)
            else:
                for user_id, user_name, pin, role in DEMO_USERS:
                    server.store.add_user(user_id, user_name, pin, role)
            if networks is not None:
                for name in DEMO_NETWORKS:
                    await networks.create(name, ("127.0.0.1", server.port))
                config.setdefault(
                    "networks",
                    (
                        NetworkSettings.wired(WIRED, networks.get(WIRED).url),
                        NetworkSettings.cellular(LTE, networks.get(LTE).url),
                    ),
                )
                config.setdefault("failover", POLICY)
            elif links == "direct":
                wired, lte = (NetworkSettings.wired, NetworkSettings.cellular)
                config.setdefault("networks", (wired(WIRED, server.url), lte(LTE, server.url)))
            device_id, secret = server.store.register_device("Demo MFP", "MFP-Emu 1")
            device_config = DeviceConfig(
                "Demo MFP", server.url, root / "device", device_id, secret, **config
            )
            device = Device(device_config, renderer=renderer)
            await device.start()
            window = PanelWindow(device, screen=screen)
            stage = DemoPanel(root, server, networks, device, window)
            try:
                yield stage
            finally:
                window.close()
                await device.stop()
        finally:
            if networks is not None:
                await networks.stop()
            if stage is None or stage.server_up:
                await server.stop()


def main(argv: list[str] | None = None) -> int:
    out, width, height = shot_args(argv, __doc__)

    async def run(_app: QApplication) -> int:
        i18n.start_language()  # MFP_LANGUAGE=ja: the same shots in Japanese (home-ja.png ...)
        stage = demo_panel(
            "mfp-panel-shots-", (width, height), links="sims", renderer=render_scan, ppm=12.0
        )
        async with stage as demo:
            server, device, window = demo.server, demo.device, demo.window
            dock = QaDock(window, device, demo.sims, demo_cards(), shown=False)
            await tour(server, device, window, out)
            await compose(window, out)
            await private_jobs(server, device, window, out)
            await lockout(window, out)
            await networks(device, window, dock, out)
            await power(device, window, out)
            dock.set_shown(False)
            await demo.stop_server()  # pull the network: what is composed now is held
            await held(device, window, out)
        return 0

    return run_qt(run)


if __name__ == "__main__":
    raise SystemExit(main())
