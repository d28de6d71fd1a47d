"""S1 over real sockets: compose with no connection, held durably, delivered exactly once and
in order when the link comes back; offline login only where policy and history allow it."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support import ALICE, ALICE_PIN, BOB, BOB_PIN, device_config, running_server, until, wait_event

from panel.device import ConnectionState, Device, EventKind, JobState
from panel.device.model import ComposeError
from panel.device.outbox import OutboxLimits
from panel.protocol.messages import Destination
from panel.server.app import RunningServer, start_server

AP = Destination("d-ap", "Accounts Payable", "email", "ap@example.com")


class Link:
    """The server as the device sees it: it can be taken down and brought back on its port."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.server: RunningServer | None = None
        self.port = 0

    async def up(self) -> RunningServer:
        if self.server is None and self.port == 0:
            self.server = await running_server(self.root)
            self.server.store.add_destination(AP)
            self.port = self.server.port
        elif self.server is None:
            self.server = await start_server(
                self.root / "server", port=self.port, admin_socket_dir=self.root / "run"
            )
        return self.server

    async def down(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server = None


@pytest.fixture
async def link(tmp_path: Path) -> AsyncIterator[Link]:
    ctl = Link(tmp_path)
    await ctl.up()
    yield ctl
    await ctl.down()
    gc.collect()  # a socket the shutdown left open would be reported here, in this test


async def online(device: Device) -> None:
    if device.connection_state is not ConnectionState.ONLINE:
        await wait_event(
            device, EventKind.CONNECTION_CHANGED, lambda e: e.subject is ConnectionState.ONLINE
        )


async def offline(device: Device) -> None:
    if device.connection_state is ConnectionState.ONLINE:
        await wait_event(
            device, EventKind.CONNECTION_CHANGED, lambda e: e.subject is not ConnectionState.ONLINE
        )


@pytest.fixture
async def device(link: Link, tmp_path: Path) -> AsyncIterator[Device]:
    assert link.server is not None
    dev = Device(device_config(link.server, tmp_path / "device", "Offline MFP"))
    await dev.start()
    await online(dev)
    await until(lambda: dev.cache.destination("d-ap") is not None, what="the address book")
    yield dev
    await dev.stop()


async def test_compose_offline_is_held_then_delivered_once_in_order(link, device):
    assert (await device.login(ALICE, ALICE_PIN)).ok
    await link.down()
    await offline(device)
    jobs = [await device.scan_to("d-ap", 2, title=f"receipt {n}") for n in range(12)]
    assert all(j.state is JobState.HELD for j in jobs)
    assert device.outbox_stats.held == 12
    assert len(list((device.config.data_dir / "outbox").glob("*.pdf"))) == 12

    server = await link.up()
    await until(lambda: all(j.state is JobState.ACCEPTED for j in jobs), what="all accepted")
    ledger = server.store.ledger(device.device_id)
    assert [e.key for e in ledger] == [j.job_id for j in jobs]  # order kept
    assert all(e.executions == 1 for e in ledger)  # each key executed exactly once
    outgoing = server.store.outgoing_jobs(device.device_id)
    assert [o.title for o in outgoing] == [f"receipt {n}" for n in range(12)]
    assert device.outbox_stats.held == 0
    outbox_dir = device.config.data_dir / "outbox"
    await until(lambda: not list(outbox_dir.iterdir()), what="sent documents removed")
    states = [e.state for e in jobs[0].timeline]
    assert states[0] is JobState.HELD
    assert states[-2:] == [JobState.SENDING, JobState.ACCEPTED]


async def test_held_jobs_survive_a_device_restart(link, device):
    assert (await device.login(ALICE, ALICE_PIN)).ok
    await link.down()
    await offline(device)
    held = [await device.scan_to("d-ap", 1, title=f"kept {n}") for n in range(3)]
    config = device.config
    await device.stop()

    again = Device(config)
    await again.start()
    try:
        assert [again.jobs.get(j.job_id).state for j in held] == [JobState.HELD] * 3
        assert again.outbox_stats.held == 3
        assert again.cache.destination("d-ap") is not None  # the address book, offline
        server = await link.up()
        await until(
            lambda: all(again.jobs.get(j.job_id).state is JobState.ACCEPTED for j in held),
            what="the outbox drained",
        )
        # nothing held, nothing sending, the drain over
        await until(lambda: again.outbox_stats == type(again.outbox_stats)(), what="drain over")
        assert [e.key for e in server.store.ledger(config.device_id)] == [j.job_id for j in held]
    finally:
        await again.stop()


async def test_offline_login_needs_an_earlier_online_login_and_the_policy(link, device):
    assert (await device.login(ALICE, ALICE_PIN)).ok
    device.logout()
    await until(lambda: device.store.credential(ALICE) is not None, what="credential cached")
    await link.down()
    await offline(device)

    never = await device.login(BOB, BOB_PIN)
    assert not never.ok
    assert "have not logged in on this device while it was online" in never.message
    wrong = await device.login(ALICE, "0000")
    assert not wrong.ok
    assert wrong.message == "Wrong user ID or PIN."
    ok = await device.login(ALICE, ALICE_PIN)
    assert ok.ok
    assert ok.offline
    device.logout()

    server = await link.up()
    await online(device)
    server.store.set_offline_login_allowed(False)
    await wait_event(device, EventKind.CACHE_CHANGED)
    assert not device.cache.offline_login_allowed
    await link.down()
    await offline(device)
    refused = await device.login(ALICE, ALICE_PIN)
    assert not refused.ok
    assert "does not allow logging in offline" in refused.message


async def test_the_cached_pin_is_a_salted_slow_hash(link, device):
    assert (await device.login(ALICE, ALICE_PIN)).ok
    await until(lambda: device.store.credential(ALICE) is not None)
    stored = device.store.credential(ALICE).pin_hash
    assert stored.startswith("scrypt$")
    assert ALICE_PIN not in stored


async def test_outbox_quota_refuses_clearly_and_keeps_the_outbox_consistent(link, tmp_path):
    server = link.server
    config = device_config(server, tmp_path / "quota", "Quota MFP")
    small = Device(type(config)(**{**config.__dict__, "outbox": OutboxLimits(max_jobs=3)}))
    await small.start()
    try:
        await online(small)
        await until(lambda: small.cache.destination("d-ap") is not None)
        assert (await small.login(ALICE, ALICE_PIN)).ok
        await link.down()
        await offline(small)
        kept = [await small.scan_to("d-ap", 1) for _ in range(3)]
        with pytest.raises(ComposeError, match="The outbox is full"):
            await small.scan_to("d-ap", 1)
        await until(lambda: small.outbox_stats.held == 3, what="attempts to send settled")
        assert sorted(p.stem for p in (small.config.data_dir / "outbox").iterdir()) == sorted(
            j.job_id for j in kept
        )
        assert len(small.jobs.all()) == 3
    finally:
        await small.stop()


async def test_a_full_disk_refuses_the_job_and_leaves_nothing_behind(link, device, monkeypatch):
    assert (await device.login(ALICE, ALICE_PIN)).ok
    first = await device.scan_to("d-ap", 1)
    # The next document's temporary file is /dev/full: the kernel answers ENOSPC for real.
    key = "f" * 32
    monkeypatch.setattr("panel.device.outbox.uuid.uuid4", lambda: type("U", (), {"hex": key})())
    outbox_dir = device.config.data_dir / "outbox"
    os.symlink("/dev/full", outbox_dir / f"{key}.pdf.tmp")
    with pytest.raises(ComposeError, match="storage is full"):
        await device.scan_to("d-ap", 3)
    assert not (outbox_dir / f"{key}.pdf.tmp").exists()
    assert not (outbox_dir / f"{key}.pdf").exists()
    assert device.jobs.get(key) is None
    assert [j.job_id for j in device.jobs.all()] == [first.job_id]


async def test_composing_needs_a_user_and_a_known_destination(device):
    with pytest.raises(ComposeError, match="Log in first"):
        await device.scan_to("d-ap", 1)
    assert (await device.login(ALICE, ALICE_PIN)).ok
    with pytest.raises(ComposeError, match="not in the address book"):
        await device.scan_to("d-nowhere", 1)
    with pytest.raises(ComposeError, match="fax number"):
        await device.send_fax("call me", 1)
    fax = await device.send_fax("+44 20 7946 0000", 2)
    await until(lambda: fax.state is JobState.ACCEPTED, what="fax accepted")
