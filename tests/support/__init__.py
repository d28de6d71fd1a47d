"""Shared test helpers: a real server, real devices, and waiting on events instead of sleeping."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Callable
from pathlib import Path

from panel.device import Device, DeviceConfig, Event, EventKind
from panel.protocol.messages import JobCreate, JobInfo
from panel.server.app import RunningServer, start_server
from panel.server.demo_data import DEMO_USERS, sample_pdf

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


async def wait_event(
    device: Device,
    kind: EventKind,
    predicate: Callable[[Event], bool] = lambda _: True,
    timeout: float = 10.0,
) -> Event:
    """The next event of `kind` that satisfies `predicate` (subscribe first, then trigger)."""
    loop = asyncio.get_running_loop()
    fut: asyncio.Future[Event] = loop.create_future()

    def handler(event: Event) -> None:
        if not fut.done() and predicate(event):
            fut.set_result(event)

    unsubscribe = device.events.subscribe(handler, kind)
    try:
        return await asyncio.wait_for(fut, timeout)
    finally:
        unsubscribe()


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


async def assert_no_leftover_tasks() -> None:
    """STYLE: a test that leaves tasks behind fails (they would leak into the next test)."""
    for _ in range(3):  # let closing connections finish their last callbacks
        await asyncio.sleep(0)
    current = asyncio.current_task()
    left = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    assert not left, f"tasks left behind: {left}"
