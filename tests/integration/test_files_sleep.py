"""A file held by a device asleep behind a sleep proxy (S5 + S6): the fleet list shows its holder
"asleep"; a request wakes it through its proxy (real DNS-SD on loopback, real server), and the
file arrives with its checksum."""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import pytest
from support import ALICE, ALICE_PIN, StartedDevices, until, wait_event

from panel.device import ConnectionState, Device, EventKind
from panel.device.keepalive import SessionMode
from panel.device.model import LoginOutcome
from panel.device.peers import LanSettings
from panel.device.power import PowerSettings, PowerState
from panel.server.api import hub_key
from panel.server.app import RunningServer

DISCOVERY_S = 15.0

LanDevice = Callable[[str], Awaitable[Device]]


@pytest.fixture
async def lan_device(server: RunningServer, tmp_path: Path) -> AsyncIterator[LanDevice]:
    started = StartedDevices(server, tmp_path)

    async def factory(name: str) -> Device:
        config = replace(started.config(name), lan=LanSettings(), power=PowerSettings())
        return await started.start(config)

    yield factory
    await started.stop_all()


async def test_a_sleeping_holder_is_woken_through_its_proxy_and_the_file_arrives(
    server, lan_device
):
    holder = await lan_device("Second floor MFP")
    requester = await lan_device("Reception MFP")
    assert holder.lan is not None
    assert requester.lan is not None
    await until(
        lambda: (
            holder.lan.directory.peer(requester.device_id) is not None
            and requester.lan.directory.peer(holder.device_id) is not None
        ),
        DISCOVERY_S,
        "peers",
    )
    await until(lambda: holder.connection_state is ConnectionState.ONLINE, what="online")
    data = os.urandom(2 * 1024 * 1024)
    box = holder.files.create_shared_box("Team")
    stored = await holder.files.store(ALICE, box.box_id, "Minutes.pdf", data, 3)
    await until(lambda: holder.reports.stats.queued == 0, what="reported")

    handed = asyncio.ensure_future(
        wait_event(
            holder,
            EventKind.SESSION_KEEPER_CHANGED,
            lambda e: e.subject is SessionMode.PROXIED,
            timeout=15.0,
        )
    )
    holder.power.energy_saver_key()
    assert holder.power.state is PowerState.SLEEP
    await handed
    await until(lambda: not server.app[hub_key].connected(holder.device_id), what="off the net")

    assert (await requester.login(ALICE, ALICE_PIN)).outcome is LoginOutcome.ACCEPTED
    (entry,) = (await requester.files.list_fleet(ALICE)).files
    assert entry.holder_state == "asleep"

    woke = wait_event(
        holder, EventKind.POWER_CHANGED, lambda e: e.subject is PowerState.ACTIVE, timeout=20.0
    )
    fetched = await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE)
    assert (await woke).fields["cause"] == "lan"
    content = requester.files.content_path(fetched.meta.file_id).read_bytes()
    assert hashlib.sha256(content).hexdigest() == stored.meta.sha256
