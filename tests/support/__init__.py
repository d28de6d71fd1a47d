"""Shared test helpers: a real server, real devices, and waiting on events instead of sleeping."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import weakref
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, Protocol

from panel.device import Device, DeviceConfig, Event, EventBus, EventKind
from panel.device.clock import Clock
from panel.protocol.messages import JobCreate, JobInfo
from panel.server.app import RunningServer, start_server
from panel.server.demo_data import DEMO_USERS, sample_pdf
from panel.trace import Trace

ALICE, ALICE_PIN = DEMO_USERS[0][0], DEMO_USERS[0][2]
BOB, BOB_PIN = DEMO_USERS[1][0], DEMO_USERS[1][2]


async def running_server(root: Path) -> RunningServer:
    """A real server on a free loopback port and its admin Unix socket, with the demo users."""
    server = await start_server(root / "server", admin_socket_dir=root / "run")
    for user_id, name, pin, role in DEMO_USERS:
        server.store.add_user(user_id, name, pin, role)
    return server


def device_config(
    server: RunningServer,
    data_dir: Path,
    name: str = "Test MFP",
    ppm: float = 6000.0,
    warmup_s: float = 0.0,
) -> DeviceConfig:
    """A freshly registered device that prints fast (tests slow it down where they watch)."""
    device_id, secret = server.store.register_device(name, "MFP-Emu 1")
    return DeviceConfig(name, server.url, data_dir, device_id, secret, ppm=ppm, warmup_s=warmup_s)


def trace_matching(trace: Trace, concern: str, event: str, **match: object) -> list[dict[str, Any]]:
    """The lines of `trace` (written out first) of `concern`/`event` whose fields match."""
    trace.flush()
    assert trace.path is not None
    lines = [json.loads(line) for line in trace.path.read_text().splitlines()]
    return [
        line
        for line in lines
        if line["concern"] == concern
        and line["event"] == event
        and all(line.get(k) == v for k, v in match.items())
    ]


class StartedDevices:
    """Real devices a fixture starts for its test against `server`, each in its own folder
    under `root`; the fixture stops them all after the test (`stop_all`)."""

    def __init__(self, server: RunningServer, root: Path) -> None:
        self.server = server
        self.root = root
        self.devices: list[Device] = []

    def config(self, name: str = "Test MFP", **settings: float) -> DeviceConfig:
        """A freshly registered device's configuration, in the next device's folder."""
        return device_config(
            self.server, self.root / f"device-{len(self.devices)}", name, **settings
        )

    async def start(self, config: DeviceConfig, clock: Clock | None = None) -> Device:
        device = Device(config, clock=clock)
        await device.start()
        self.devices.append(device)
        return device

    async def stop_all(self) -> None:
        for device in self.devices:
            await device.stop()


class Publisher(Protocol):
    """Anything with an event bus: the real device core, the GUI tests' fake."""

    @property
    def events(self) -> EventBus: ...


class _Catch:
    """The bus's handler for one waiter: keeps the first matching event, wakes the awaiter."""

    def __init__(self, predicate: Callable[[Event], bool]) -> None:
        self.predicate = predicate
        self.event: Event | None = None
        self.future: asyncio.Future[Event] | None = None

    def __call__(self, event: Event) -> None:
        if self.event is None and self.predicate(event):
            self.event = event
            if self.future is not None and not self.future.done():
                self.future.set_result(event)


class EventWaiter:
    """The next event of one kind that satisfies a predicate; `await` it for the event.

    Subscribed from the moment it is made, so `waiter = wait_event(...)`, then trigger, then
    `await waiter` sees an event published in between. It starts no task; the bus holds only its
    `_Catch`, and a waiter dropped without being awaited unsubscribes as it is collected (where
    mypy checks tests, `unused-awaitable` flags a forgotten `await`)."""

    def __init__(
        self,
        device: Publisher,
        kind: EventKind,
        predicate: Callable[[Event], bool],
        timeout: float,
    ) -> None:
        self.kind, self.timeout = kind, timeout
        self._catch = _Catch(predicate)
        self._unsubscribe = device.events.subscribe(self._catch, kind)
        weakref.finalize(self, self._unsubscribe)

    def __await__(self) -> Generator[Any, None, Event]:
        return self._wait().__await__()

    async def _wait(self) -> Event:
        catch = self._catch
        try:
            if catch.event is None:
                catch.future = asyncio.get_running_loop().create_future()
                return await asyncio.wait_for(catch.future, self.timeout)
            return catch.event
        finally:
            self._unsubscribe()


def wait_event(
    device: Publisher,
    kind: EventKind,
    predicate: Callable[[Event], bool] = lambda _: True,
    timeout: float = 10.0,
) -> EventWaiter:
    """The next event of `kind` that satisfies `predicate`, from now on: subscribes at once.

    `await wait_event(...)` waits as before; `waiter = wait_event(...)`, trigger, `await waiter`
    does not miss an event the trigger publishes before the await. TimeoutError after
    `timeout` seconds (a deadline for a failing test, not a wait)."""
    return EventWaiter(device, kind, predicate, timeout)


async def until(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    """Poll a condition that has no event (e.g. a row in the server's store)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(0.005)


async def submit(
    server: RunningServer,
    user_id: str,
    title: str = "Test job",
    pages: int = 2,
    device_id: str | None = None,
) -> JobInfo:
    doc = base64.b64encode(sample_pdf(pages, title)).decode()
    return await server.dispatcher.submit(
        JobCreate(user_id, title, doc, f"{title}.pdf", 1, device_id)
    )
