"""`mfp-panel bench remote`: the remote-maintenance live view (S3), end to end.

A real panel (PanelWindow over a real device core, offscreen Qt, 1024x600) calls for
maintenance; the server runs in its own process with its relay; an operator without a browser
(panel.server.relay.client.OperatorClient) accepts, is allowed to operate, and acknowledges
every screen update as the console does once it has drawn it. Measured:

- frames per second the operator receives while the job list scrolls continuously (the panel
  is driven at 60 steps a second: the pipeline, not the content, sets the rate), on loopback;
- input -> frame: an operator's tap (the Jobs tile, then Back) to the first screen update
  showing the new screen, on loopback, with the panel otherwise still;
- the same frames per second with the panel behind a simulated 256 kbit/s link (a panel.sim
  Network with Toxiproxy's `bandwidth` toxic, 32 KB/s each way) between panel and server.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from panel.bench import percentile, report
from panel.bench.push import ServerProcess, measure_on_panel, server_process
from panel.device import ConnectionState, Device, DeviceConfig
from panel.device.maintenance import Consent, MaintenancePhase
from panel.protocol.maintenance import ScreenUpdate
from panel.server.demo_data import DEMO_OPERATORS, DEMO_USERS, sample_pdf
from panel.server.relay.client import LiveView, OperatorClient
from panel.sim import Network, Toxic
from panel.tasks import TaskOwner

if TYPE_CHECKING:
    from panel.ui.window import PanelWindow

SCREEN = (1024, 600)
JOBS = 40  # rows in the job list: enough to scroll for as long as the bench runs
SCROLL_MS = 16  # the job list moves 60 times a second
SCROLL_PX = 7
WARMUP_S = 2.0  # before counting frames on loopback
SLOW_WARMUP_S = 6.0  # at 256 kbit/s: the first whole screens take seconds, quality steps down
TAPS = 12  # input -> frame samples: Jobs tile and Back, alternately
QUIET_S = 0.6  # the screen settles (JPEG regions refined to PNG) between taps
LINK_KBPS = 256
STEP_TIMEOUT_S = 30.0


async def _poll(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"bench remote: no {what} within {STEP_TIMEOUT_S:g} s")
        await asyncio.sleep(0.01)


@dataclass
class Received:
    """Screen updates as the operator received them: (perf_counter, update)."""

    updates: list[tuple[float, ScreenUpdate]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def read(self, view: LiveView) -> None:
        """Receive (and acknowledge) everything until the socket closes."""
        while (item := await view.receive(3600)) is not None:
            if isinstance(item, ScreenUpdate):
                self.updates.append((time.perf_counter(), item))
                self.arrived.set()

    def since(self, t0: float) -> list[tuple[float, ScreenUpdate]]:
        return [(t, u) for t, u in self.updates if t >= t0]


class Panel:
    """One device core and its window, logged in, the job list full, in a session with an
    operator who may operate it."""

    def __init__(self, device: Device, window: PanelWindow, operator: OperatorClient) -> None:
        self.device, self.window, self.operator = device, window, operator
        self.received = Received()
        self.view: LiveView | None = None
        self._tasks = TaskOwner("bench remote panel")  # the operator's reader

    @classmethod
    async def open(cls, server: ServerProcess, server_url: str, tmp: Path, name: str) -> Panel:
        """Register a device reaching the server at `server_url`, hold jobs for the demo user,
        and show the device's panel."""
        from panel.ui.window import PanelWindow

        admin = server.admin
        reg = await admin.register_device(name)
        doc = tmp / "bench.pdf"
        doc.write_bytes(sample_pdf(1, "bench"))
        for n in range(JOBS):
            await admin.submit(DEMO_USERS[0][0], doc, f"Bench job {n + 1}", 1, None)
        config = DeviceConfig(
            name,
            server_url,
            tmp / name,
            reg.device_id,
            reg.secret,
            ppm=1.0,
            warmup_s=86_400.0,  # nothing prints for a day: the rows stay as they are
        )
        device = Device(config)
        window = PanelWindow(device, screen=SCREEN)
        window.show()
        return cls(device, window, OperatorClient(server.url))

    async def start(self) -> None:
        """The device online, the demo user logged in, their jobs listed."""
        user, _, pin, _ = DEMO_USERS[0]
        await self.device.start()
        await _poll(lambda: self.device.connection_state is ConnectionState.ONLINE, "link")
        if not (await self.device.login(user, pin)).ok:
            raise RuntimeError("bench remote: the demo user could not log in")
        self.window.show_jobs()
        model = self.window.jobs_screen.model
        await _poll(lambda: model.rowCount() >= JOBS, "job list")

    async def session(self) -> None:
        """Maintenance call key -> a reason -> Call; accepted; the user allows operation."""
        operator_id, _, password = DEMO_OPERATORS[0]
        await self.operator.login(operator_id, password)
        await self.operator.set_presence("available")
        window, maintenance = self.window, self.device.maintenance
        window.show_maintenance()
        screen = window.maintenance_screen
        screen.choose("Something else")
        screen.submit()
        await _poll(lambda: maintenance.status.phase is MaintenancePhase.ASSIGNED, "offer")
        start = await self.operator.accept(maintenance.status.call_id)
        self.view = await self.operator.view(start.call_id)
        await self.view.details()
        _ = self._tasks.spawn(self.received.read(self.view), "operator reads updates")
        await _poll(window.consent_dialog.isVisible, "consent prompt")
        window.consent_dialog.buttons[Consent.OPERATE].click()
        await _poll(lambda: bool(self.received.updates), "first screen update")
        window.show_jobs()

    async def scrolling_fps(self, seconds: float, warmup_s: float) -> dict[str, float]:
        """Frames the operator got per second while the job list scrolls without pause."""
        bar = self.window.jobs_screen.list_view.verticalScrollBar()

        async def scroll() -> None:
            step = SCROLL_PX
            while True:
                value = bar.value() + step
                if not 0 < value < bar.maximum():
                    step = -step
                bar.setValue(max(0, min(bar.maximum(), value)))
                await asyncio.sleep(SCROLL_MS / 1000)

        scroller = self._tasks.spawn(scroll(), "job list scrolls")
        try:
            await asyncio.sleep(warmup_s)
            t0 = time.perf_counter()
            await asyncio.sleep(seconds)
            t1 = time.perf_counter()
        finally:
            scroller.cancel()
            await asyncio.wait([scroller])
        frames = [u for t, u in self.received.since(t0) if t <= t1]
        size = sum(len(r.data) for u in frames for r in u.rects)
        remote = self.window.remote
        assert remote is not None
        return {
            "fps": len(frames) / (t1 - t0),
            "kb_per_frame": size / 1000 / max(1, len(frames)),
            "quality_step": float(remote.control.level),
        }

    async def tap_latencies(self) -> list[float]:
        """Operator tap -> the first update showing the screen it opened (seconds)."""
        window, view = self.window, self.view
        assert view is not None
        window.show_home()
        latencies = []
        for n in range(TAPS):
            await asyncio.sleep(QUIET_S)
            going_to_jobs = n % 2 == 0
            target = window.home_screen.tiles["jobs"] if going_to_jobs else None
            button = target or window.jobs_screen.back_button
            at = button.mapTo(window.touchscreen, button.rect().center())
            top = window.stack.geometry().top()  # the screens' area, under the bars
            self.received.arrived.clear()
            t0 = time.perf_counter()
            await view.tap(at.x(), at.y())
            while True:
                shown = [
                    t
                    for t, u in self.received.since(t0)
                    if any(r.y + r.h > top and r.w * r.h > 100_000 for r in u.rects)
                ]
                if shown:
                    latencies.append(shown[0] - t0)
                    break
                await asyncio.wait_for(self.received.arrived.wait(), STEP_TIMEOUT_S)
                self.received.arrived.clear()
            expected = window.jobs_screen if going_to_jobs else window.home_screen
            if window.current_screen() is not expected:
                raise RuntimeError("bench remote: the operator's tap did not change the screen")
        return latencies

    async def stop(self) -> None:
        if self.view is not None and not self.view.closed:
            await self.view.end("bench")
        self.window.close()
        await self.device.stop()
        await self._tasks.close()
        if self.view is not None:
            await self.view.close()
        await self.operator.close()


async def _run(seconds: float, tmp: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    async with server_process(tmp) as server:
        panel = await Panel.open(server, server.url, tmp, "Remote bench")
        try:
            await panel.start()
            await panel.session()
            loop = await panel.scrolling_fps(seconds, WARMUP_S)
            latencies = [x * 1000 for x in await panel.tap_latencies()]
        finally:
            await panel.stop()
        figures |= {
            "loopback_fps": round(loop["fps"], 1),
            "loopback_kb_per_frame": round(loop["kb_per_frame"], 1),
            "tap_to_frame_median_ms": round(statistics.median(latencies), 1),
            "tap_to_frame_p90_ms": round(percentile(latencies, 90), 1),
            "tap_to_frame_max_ms": round(max(latencies), 1),
        }

        network = Network("256 kbit per s", ("127.0.0.1", server.port))
        await network.start()
        rate = LINK_KBPS // 8  # Toxiproxy's rate is in KB/s
        for stream in ("upstream", "downstream"):
            network.add_toxic(Toxic("bandwidth", {"rate": rate}, stream))
        slow = await Panel.open(server, network.url, tmp, "Remote bench slow")
        try:
            await slow.start()
            await slow.session()
            limited = await slow.scrolling_fps(seconds, SLOW_WARMUP_S)
        finally:
            await slow.stop()
            await network.stop()
        figures |= {
            "link_256kbit_fps": round(limited["fps"], 2),
            "link_256kbit_kb_per_frame": round(limited["kb_per_frame"], 1),
            "link_256kbit_quality_step": limited["quality_step"],
        }
    return figures


def bench_remote(seconds: float, as_json: bool) -> int:
    """Print the live view's frame rates and input latency; 2 for a bad argument."""
    if not 1 <= seconds <= 600:
        print("bench remote: --seconds is 1 to 600")
        return 2
    figures = measure_on_panel(lambda tmp: _run(seconds, tmp))
    if not figures:
        return 1
    f = figures
    report(
        figures,
        as_json,
        [
            f"remote maintenance live view, {SCREEN[0]}x{SCREEN[1]} panel "
            f"({os.environ['QT_QPA_PLATFORM']} platform), job list scrolling, {seconds:g} s each",
            f"  loopback      {f['loopback_fps']:7.1f} frames/s  (goal >= 30)"
            f"   {f['loopback_kb_per_frame']:.1f} kB/frame",
            f"  tap -> frame  {f['tap_to_frame_median_ms']:7.1f} ms median, "
            f"{f['tap_to_frame_p90_ms']:.1f} p90, {f['tap_to_frame_max_ms']:.1f} max"
            f" of {TAPS}  (goal <= 100)",
            f"  {LINK_KBPS} kbit/s   {f['link_256kbit_fps']:7.2f} frames/s  (goal >= 2)"
            f"   {f['link_256kbit_kb_per_frame']:.1f} kB/frame,"
            f" quality step {f['link_256kbit_quality_step']:.0f} of 3",
        ],
    )
    return 0
