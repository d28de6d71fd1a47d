"""`mfp-panel demo` and `mfp-panel run`: a panel window over a device core, on one qasync loop.

Qt is imported only inside these functions (through panel.ui), so this module, like the core,
stays headless. The window is shown before anything slow (keyring, registration, the network
stack): the panel paints first and connects right after, as a real device boots.
"""

from __future__ import annotations

import asyncio
import contextlib
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
from panel.device.booting import BootingDevice

if TYPE_CHECKING:
    from panel.device import Device
    from panel.device.scanner import ScanSpec
    from panel.ui.bridge import PanelDevice

# The QApplication, typed loosely so that this module never imports Qt itself.
QtApp = Any
Main = Callable[[QtApp], Coroutine[Any, Any, int]]
FIRST_PAINT_WAIT_S = 0.5  # a hidden or minimised window never paints; do not wait for it


@dataclass
class GuiOptions:
    screen: tuple[int, int] = (1024, 600)
    clock_scale: float = 1.0
    ppm: float = 30.0
    exit_after_paint: bool = False  # for `bench startup`: print when the login screen is painted


def _render_scan(spec: ScanSpec) -> bytes:
    """The panel's scans are drawn by Qt; imported at the first scan, not before the panel
    has painted (start-up time)."""
    from panel.ui.scan_render import render_scan

    return render_scan(spec)


def _open_panel(
    app: QtApp, device: Device | PanelDevice, opts: GuiOptions
) -> tuple[Any, asyncio.Future[None]]:
    """Build and show the panel window on `device`; the future resolves when it is closed."""
    from panel.ui.qt_loop import last_window_closed
    from panel.ui.window import PanelWindow

    closed = last_window_closed(app)
    window = PanelWindow(device, screen=opts.screen)
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
    from panel.server.app import start_server
    from panel.server.demo_data import seed

    root = Path(tempfile.mkdtemp(prefix="mfp-panel-demo-"))

    async def main(app: QtApp) -> int:
        server = await start_server(
            root / "server", port=port, admin_socket_dir=config.runtime_dir()
        )
        await seed(server.dispatcher)
        # The demo's device is registered in-process and its secret lives only in memory,
        # so the demo needs no keyring and leaves no credential behind.
        device_id, secret = server.store.register_device("Demo MFP", "MFP-Emu 1")
        device = Device(
            DeviceConfig(
                "Demo MFP",
                server.url,
                root / "device",
                device_id,
                secret,
                ppm=opts.ppm,
                clock_scale=opts.clock_scale,
            ),
            renderer=_render_scan,
        )
        await device.start()
        _banner(server.url, root)
        try:
            _, closed = _open_panel(app, device, opts)
            await closed
        finally:
            await device.stop()
            await server.stop()
        return 0

    try:
        return _run(main)
    finally:
        if keep:
            print(f"demo data kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def _banner(url: str, root: Path) -> None:
    from panel.server.demo_data import describe

    print(
        f"mfp-panel demo\n"
        f"  server:   {url}   (API: {url}/api/openapi.json)\n"
        f"  data:     {root}  (deleted on exit; --keep keeps it)\n"
        f"  trace:    {root / 'device' / 'trace.jsonl'}\n"
        f"{describe(url)}"
        f"  Log in on the panel; held jobs for that user print at once.\n"
        f"  Send a print job from another terminal:\n"
        f"    mfp-panel server submit --server {url} --user 1001 FILE.pdf\n",
        flush=True,
    )


def run(
    name: str, server_url: str | None, admin: str | None, ephemeral: bool, opts: GuiOptions
) -> int:
    """A panel for a device of a running server; registers the device the first time."""
    if not _display_available():
        return 2
    settings = config.DeviceSettings.load(name)
    url = server_url or settings.server_url
    if not url:
        print("mfp-panel: no server known for this device; pass --server URL", file=sys.stderr)
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
        window, closed = _open_panel(app, BootingDevice(name), opts)
        from panel.ui.qt_loop import signal_future

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(signal_future(window.login_painted), FIRST_PAINT_WAIT_S)
        from panel.device import Device, DeviceConfig

        device = Device(
            DeviceConfig(name, url, data_dir, ppm=opts.ppm, clock_scale=opts.clock_scale),
            renderer=_render_scan,
        )
        window.attach(device)
        from panel.modes.admin_client import AdminError
        from panel.modes.identity import device_identity
        from panel.secrets import SecretStoreUnavailable

        try:
            try:
                device.identify(*await device_identity(settings, url, admin, ephemeral))
            except (AdminError, SecretStoreUnavailable) as exc:
                print(f"mfp-panel: {exc}", file=sys.stderr)
                window.close()
                return 2
            await device.start()
            await closed
        finally:
            await device.stop()
        return 0

    try:
        return _run(main)
    finally:
        if ephemeral:
            shutil.rmtree(data_dir, ignore_errors=True)


def _display_available() -> bool:
    """Qt aborts the process without a display; say what to do instead."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform != "linux":
        return True
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return True
    print(
        "mfp-panel: no display (DISPLAY and WAYLAND_DISPLAY are unset). Run the panel under "
        "Xvfb (scripts/demo does: xvfb-run -a mfp-panel ...), or set QT_QPA_PLATFORM=offscreen "
        "for a panel nobody sees.",
        file=sys.stderr,
    )
    return False


def _run(main: Main) -> int:
    from panel.ui.qt_loop import run_qt

    with contextlib.suppress(KeyboardInterrupt):
        return run_qt(main)
    return 130
