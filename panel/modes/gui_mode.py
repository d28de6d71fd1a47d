"""`mfp-panel demo` and `mfp-panel run`: a panel window over a device core, on one qasync loop.

Qt is imported only inside these functions (through panel.ui), so this module, like the core,
stays headless. The window is shown before anything slow (keyring, registration, the network
stack): the panel paints first and connects right after, as a real device boots.

The demo puts two simulated networks ("Wired LAN", preferred, and "LTE") between its devices
and the server, with their control API on a free loopback port; each panel has the QA dock
beside it. Devices find each other by DNS-SD on loopback (a sleeping one's session is kept by
a peer).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from panel import config
from panel.cli_text import translate
from panel.device.booting import BootingDevice

if TYPE_CHECKING:
    from panel.device import Device
    from panel.device.networks import NetworkSettings
    from panel.device.scanner import ScanSpec
    from panel.sim import NetworkSet
    from panel.sim.control import RunningControl
    from panel.ui.bridge import PanelDevice
    from panel.ui.dock import QaDock
    from panel.ui.window import PanelWindow

# The QApplication, typed loosely so that this module never imports Qt itself.
QtApp = Any
Main = Callable[[QtApp], Coroutine[Any, Any, int]]
FIRST_PAINT_WAIT_S = 0.5  # a hidden or minimised window never paints; do not wait for it
MAX_DEMO_DEVICES = 4
UNREGISTERED_CARD = "04000000000000"  # the dock's card that no server knows


@dataclass
class GuiOptions:
    screen: tuple[int, int] = (1024, 600)
    clock_scale: float = 1.0
    ppm: float = 30.0
    exit_after_paint: bool = False  # for `bench startup`: print when the login screen is painted
    devices: int = 1  # demo: panels (devices) on the loopback LAN
    dock: bool = True  # the QA simulator dock shown beside the panel (F12 toggles it)

    def __post_init__(self) -> None:
        if not 1 <= self.devices <= MAX_DEMO_DEVICES:
            raise ValueError(f"the demo runs 1 to {MAX_DEMO_DEVICES} devices, not {self.devices}")


def _render_scan(spec: ScanSpec) -> bytes:
    """The panel's scans are drawn by Qt; imported at the first scan, not before the panel
    has painted (start-up time)."""
    from panel.ui.scan_render import render_scan

    return render_scan(spec)


def _open_panel(
    app: QtApp,
    device: Device | PanelDevice,
    opts: GuiOptions,
    language: str | None = None,
    settings: config.DeviceSettings | None = None,
) -> tuple[PanelWindow, asyncio.Future[None]]:
    """Build and show the panel window on `device`; the future resolves when it is closed.

    `language` is the device's saved one; $MFP_LANGUAGE overrides it (panel.ui.i18n)."""
    from panel.ui import i18n
    from panel.ui.qt_loop import last_window_closed
    from panel.ui.window import PanelWindow

    i18n.start_language(language)
    closed = last_window_closed(app)
    window = PanelWindow(device, screen=opts.screen)
    from panel.ui.settings import install

    # The administrator's Settings (kept in the device's settings file), applied now.
    install(window, settings or config.DeviceSettings.load(device.name))
    if opts.exit_after_paint:

        def painted() -> None:
            print(f"PAINTED {time.time():.6f}", flush=True)
            asyncio.get_running_loop().call_soon(window.close)  # not from inside the paint

        window.login_painted.connect(painted)
    window.show()
    return window, closed


def demo(opts: GuiOptions, port: int, keep: bool) -> int:
    """Server + demo data + one panel, in a fresh temporary directory; no set-up needed."""
    if not _display_available():
        return 2
    from panel.device import Device, DeviceConfig
    from panel.device.peers import LanSettings
    from panel.modes.server_mode import cannot_listen
    from panel.server.app import start_server
    from panel.server.demo_data import seed
    from panel.sim import DEMO_NETWORKS, NetworkSet
    from panel.sim.control import start_control
    from panel.sim.phone import PhoneSim, sample_images
    from panel.threads import in_thread

    root = Path(tempfile.mkdtemp(prefix="mfp-panel-demo-"))
    written: list[Path] = []  # scenarios and bug reports the docks wrote (under `root`)

    async def main(app: QtApp) -> int:
        try:
            server = await start_server(
                root / "server", port=port, admin_socket_dir=config.runtime_dir()
            )
        except OSError as exc:
            print(f"mfp-panel: {cannot_listen('127.0.0.1', port, exc)}", file=sys.stderr)
            return 2
        # The networks' toxics run at real speed, as the devices' network side does
        # (Clock.unscaled): a 500 ms latency stays 500 ms whatever the demo's clock scale.
        sims = NetworkSet()
        control: RunningControl | None = None
        devices: list[Device] = []
        engine_controls: list[RunningControl] = []
        phone: PhoneSim | None = None
        try:
            await seed(server.dispatcher)
            for network in DEMO_NETWORKS:  # between the devices and the server
                await sims.create(network, ("127.0.0.1", server.port))
            control = await start_control(sims, "127.0.0.1", 0)
            # QR connection (S7): the phone's page in any browser, its QR to the camera; its
            # sample photos are drawn off the loop.
            phone = PhoneSim(await in_thread(sample_images))
            phone_url = await phone.start("127.0.0.1", 0)
            for number in range(1, opts.devices + 1):
                name = "Demo MFP" if opts.devices == 1 else f"Demo MFP {number}"
                # Registered in-process, the secret only in memory: the demo needs no keyring
                # and leaves no credential behind.
                device_id, secret = server.store.register_device(name, "MFP-Emu 1")
                device = Device(
                    DeviceConfig(
                        name,
                        server.url,
                        root / ("device" if number == 1 else f"device-{number}"),
                        device_id,
                        secret,
                        ppm=opts.ppm,
                        clock_scale=opts.clock_scale,
                        lan=LanSettings(),  # DNS-SD and the LAN endpoint on loopback
                        networks=_demo_networks(sims),
                    ),
                    renderer=_render_scan,
                )
                devices.append(device)
                await device.start()
                await device.files.seed_demo(number)  # S6: files in its boxes to share
            _banner(server.url, root)
            _networks_banner(sims, control, [d.name for d in devices])
            phone_line = translate(
                "Cli", "phone simulator (QR connection): {url}/  (open it in a browser)"
            )
            print("  " + phone_line.format(url=phone_url))
            for device in devices:
                engine_controls.append(await _engine_control(device))
            closed = None
            windows: list[PanelWindow] = []
            for device in devices:
                window, closed_here = _open_panel(app, device, opts)
                closed = closed or closed_here
                dock = _add_dock(
                    window, device, opts, sims, phone_url, root / "server" / "trace.jsonl"
                )
                dock.recorder_card.written.connect(written.append)  # a report: keep the data
                windows.append(window)
            from panel.ui.tiling import tile_windows

            tile_windows(windows)  # every panel seen at once, none on top of another
            assert closed is not None
            await closed
        finally:
            for engine_control in engine_controls:
                await engine_control.stop()
            for device in devices:
                await device.stop()
            if control is not None:
                await control.stop()
            if phone is not None:
                await phone.stop()
            await sims.stop()
            await server.stop()
        return 0

    try:
        return _run(main)
    finally:
        leave_demo_data(root, keep, written)


def leave_demo_data(root: Path, keep: bool, written: list[Path]) -> None:
    """The demo's data goes with it, unless --keep, or its docks wrote a recording or a bug
    report there (the trace a report was asked for stays beside it)."""
    if keep or written:
        print(translate("Cli", "demo data kept in {root}").format(root=root))
        for path in written:
            print("  " + translate("Cli", "written in the QA dock: {path}").format(path=path))
    else:
        shutil.rmtree(root, ignore_errors=True)


def _banner(url: str, root: Path) -> None:
    from panel.cli import program
    from panel.server.demo_data import describe

    lines = (
        translate("Cli", "server:   {url}   (API: {url}/api/openapi.json)"),
        translate(
            "Cli", "data:     {root}  (deleted on exit unless --keep, or the dock wrote a report)"
        ),
        translate("Cli", "trace:    {trace}"),
    )
    trace = root / "device" / "trace.jsonl"
    head = "".join(f"  {line.format(url=url, root=root, trace=trace)}\n" for line in lines)
    log_in = translate("Cli", "Log in on the panel; held jobs for that user print at once.")
    send = translate("Cli", "Send a print job from another terminal:")
    print(
        f"mfp-panel demo\n{head}{describe(url)}  {log_in}\n  {send}\n"
        f"    {program()} server submit --server {url} --user 1001 FILE.pdf\n",
        flush=True,
    )


def _demo_networks(sims: NetworkSet) -> tuple[NetworkSettings, ...]:
    """The demo device's networks: the simulated "Wired LAN" (preferred), then "LTE"."""
    from panel.device.networks import NetworkSettings
    from panel.sim import DEMO_NETWORKS

    wired, cellular = (sims.get(name) for name in DEMO_NETWORKS)
    return (
        NetworkSettings.wired(wired.name, wired.url),
        NetworkSettings.cellular(cellular.name, cellular.url),
    )


def _networks_banner(sims: NetworkSet, control: RunningControl, devices: list[str]) -> None:
    from urllib.parse import quote

    from panel.sim import Fault, fault_toxics, format_address

    width = max(len(network.name) for network in sims)
    preferred = translate("Cli", "(preferred)")
    rows = "\n".join(
        f"    {network.name:<{width}}  {format_address(network.listen)}"
        f"{'  ' + preferred if index == 0 else ''}"
        for index, network in enumerate(sims)
    )
    first = quote(next(iter(sims)).name)
    blackhole = fault_toxics(Fault.BLACKHOLE)  # the dock's blackhole: one toxic per stream
    streams = " ".join(toxic.stream for toxic in blackhole)
    heading = translate("Cli", "networks (simulated, between the devices and the server):")
    api = translate("Cli", "network control API: {url}   (Toxiproxy's: /proxies, /reset)")
    down, hole, restore = labels(
        translate("Cli", "take Wired LAN down:"),
        translate("Cli", "blackhole it:"),
        translate("Cli", "restore everything:"),
    )
    found = translate("Cli", "devices: {devices}  (they find each other by DNS-SD on loopback)")
    dock = translate(
        "Cli", "QA dock: F12 shows or hides it; F8 / Shift+F8: a person approaches / leaves"
    )
    print(
        f"  {heading}\n{rows}\n"
        f"  {api.format(url=control.url)}\n"
        f"    {down}  curl -X POST -d '{{\"enabled\": false}}' "
        f"{control.url}/proxies/{first}\n"
        f"    {hole}  for s in {streams}; do curl -X POST -d "
        f'"{{\\"type\\": \\"{blackhole[0].type}\\", \\"stream\\": \\"$s\\"}}" '
        f"{control.url}/proxies/{first}/toxics; done\n"
        f"    {restore}  curl -X POST {control.url}/reset\n"
        f"  {found.format(devices=', '.join(devices))}\n"
        f"  {dock}\n",
        flush=True,
    )


def labels(*texts: str) -> list[str]:
    """`texts` padded to one width, so that what follows them lines up in any language."""
    width = max(len(text) for text in texts)
    return [text.ljust(width) for text in texts]


async def _engine_control(device: Device) -> RunningControl:
    """The device's engine control API (faults, toner, trays) on a free loopback port."""
    from panel.sim.device_control import start_device_control

    running = await start_device_control(device.engine, device.trace)
    api = translate("Cli", "engine control API ({device}): {url}/engine")
    jam, clear = labels(translate("Cli", "jam at tray 1:"), translate("Cli", "clear it:"))
    print(
        f"  {api.format(device=device.name, url=running.url)}\n"
        f'    {jam}  curl -X POST -d \'{{"location": "tray-1"}}\' '
        f"{running.url}/engine/jam\n"
        f"    {clear}  curl -X POST {running.url}/engine/clear",
        flush=True,
    )
    return running


def demo_cards() -> list[tuple[str, str]]:
    """The card reader's cards: the demo users' (seeded by `demo` and `--seed-demo`)."""
    from panel.server.demo_data import DEMO_USERS
    from panel.server.user_data import DEMO_CARDS

    names = {user_id: name for user_id, name, _, _ in DEMO_USERS}
    cards = [(card, f"{names.get(user_id, user_id)}'s card") for user_id, card in DEMO_CARDS]
    return [*cards, (UNREGISTERED_CARD, "Unregistered card")]


def _add_dock(
    window: PanelWindow,
    device: Device,
    opts: GuiOptions,
    sims: NetworkSet | None,
    phone_url: str | None = None,
    server_trace: Path | None = None,
) -> QaDock:
    """The QA simulator dock beside `window`; with `sims`, the networks' fault controls;
    `phone_url`: the phone simulator its camera card holds up (default: `mfp-panel phone`'s);
    `server_trace`: the server's trace, merged with the device's in the dock's Trace tab."""
    from panel.ui.dock import QaDock
    from panel.ui.dock.camera import DEFAULT_PHONE_URL

    url = phone_url or DEFAULT_PHONE_URL
    traces = [device.trace.path, server_trace] if device.trace.path and server_trace else None
    return QaDock(window, device, sims, demo_cards(), shown=opts.dock, phone_url=url, traces=traces)


def run(
    name: str, server_url: str | None, admin: str | None, ephemeral: bool, opts: GuiOptions
) -> int:
    """A panel for a device of a running server; registers the device the first time."""
    if not _display_available():
        return 2
    settings = config.DeviceSettings.load(name)
    url = server_url or settings.server_url
    if not url:
        unknown = translate("Cli", "no server known for this device; pass --server URL")
        print(f"mfp-panel: {unknown}", file=sys.stderr)
        return 2
    from panel.modes.server_url import AdminError, check_url

    try:
        check_url(url)
    except AdminError as exc:
        print(f"mfp-panel: {exc}", file=sys.stderr)
        return 2
    # An ephemeral device starts with an empty data dir and leaves nothing behind.
    data_dir = (
        Path(tempfile.mkdtemp(prefix="mfp-panel-device-"))
        if ephemeral
        else settings.device_data_dir()
    )

    async def main(app: QtApp) -> int:
        # The login screen paints first, over a device that is still starting; the core
        # (SQLite, protocol, auth), the keyring and the network stack load after it, as a
        # real panel lights its screen while its firmware boots.
        window, closed = _open_panel(
            app, BootingDevice(name), opts, settings.panel.get("language"), settings
        )
        from panel.ui.qt_loop import signal_future

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(signal_future(window.login_painted), FIRST_PAINT_WAIT_S)
        gc.enable()
        from panel.device import Device, DeviceConfig
        from panel.device.peers import LanSettings

        device = Device(
            DeviceConfig(
                name,
                url,
                data_dir,
                ppm=opts.ppm,
                clock_scale=opts.clock_scale,
                lan=LanSettings(),  # DNS-SD and the LAN endpoint on loopback
            ),
            renderer=_render_scan,
        )
        window.attach(device)
        from panel.ui.settings import SettingsController

        SettingsController.of(window).apply_device()  # its timers, networks and name
        _add_dock(window, device, opts, None)
        from panel.modes.identity import device_identity
        from panel.modes.server_url import AdminError
        from panel.secrets import SecretStoreUnavailable

        try:
            try:
                device.identify(*await device_identity(settings, url, admin, ephemeral))
            except (AdminError, SecretStoreUnavailable) as exc:
                print(f"mfp-panel: {exc}", file=sys.stderr)
                window.close()
                return 2
            await device.start()
            engine_control = await _engine_control(device)
            try:
                await closed
            finally:
                await engine_control.stop()
        finally:
            await device.stop()
        return 0

    # No garbage collection until the login screen is painted: start-up creates objects it
    # keeps (Qt's modules, the window's classes and widgets), and the ~45 young collections
    # they triggered freed ~25 objects for ~10 ms of the time to the first paint. The
    # collector is on again once the login screen is painted (or FIRST_PAINT_WAIT_S has
    # passed), and whatever happens when this returns.
    gc.disable()
    try:
        return _run(main)
    finally:
        gc.enable()
        if ephemeral:
            shutil.rmtree(data_dir, ignore_errors=True)


def _display_available() -> bool:
    """Qt aborts the process without a display; say what to do instead."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform != "linux":
        return True
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return True
    no_display = translate(
        "Cli",
        "no display (DISPLAY and WAYLAND_DISPLAY are unset). Run the panel under Xvfb "
        "(scripts/demo does: xvfb-run -a mfp-panel ...), or set QT_QPA_PLATFORM=offscreen "
        "for a panel nobody sees.",
    )
    print(f"mfp-panel: {no_display}", file=sys.stderr)
    return False


def _run(main: Main) -> int:
    from panel.ui.qt_loop import run_qt

    with contextlib.suppress(KeyboardInterrupt):
        return run_qt(main)
    return 130
