"""Fleet pieces that decide what a fleet costs: one cached directory per process, and the
members written into a server's store in one go."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from panel.fleet.seed import seed_members
from panel.fleet.worker import SharedSnapshots, _place
from panel.protocol.messages import CacheSnapshot, DirectoryUser
from panel.server.store import ServerStore


def snapshot(version: int, users: int) -> CacheSnapshot:
    directory = [DirectoryUser(f"u{n}", f"User {n}", "user") for n in range(users)]
    return CacheSnapshot(version, False, directory, [], [], [])


def device(snap: CacheSnapshot) -> Any:
    return SimpleNamespace(cache=SimpleNamespace(snapshot=snap))


def test_devices_of_a_process_keep_one_copy_of_each_snapshot_version():
    shared = SharedSnapshots()
    first, second = device(snapshot(3, 50)), device(snapshot(3, 50))
    shared.share(first)
    shared.share(second)
    assert second.cache.snapshot is first.cache.snapshot

    newer = device(snapshot(4, 51))
    shared.share(newer)
    late = device(snapshot(4, 51))
    shared.share(late)
    assert late.cache.snapshot is newer.cache.snapshot
    stale = device(snapshot(3, 50))
    shared.share(stale)  # an older version is kept as it is, not replaced by a newer one
    assert stale.cache.snapshot.version == 3


def test_a_device_started_after_the_first_fetch_starts_with_the_process_copy():
    """As a panel that ran before starts with the cache it kept: the welcome's version then
    says there is nothing to fetch, and the worker decodes no directory of its own."""
    shared = SharedSnapshots()
    early = device(snapshot(0, 0))
    shared.preload(early)  # nothing fetched yet: it fetches as it would alone
    assert early.cache.snapshot.version == 0
    fetched = device(snapshot(7, 500))
    shared.share(fetched)
    late = device(snapshot(0, 0))
    shared.preload(late)
    assert late.cache.snapshot is fetched.cache.snapshot


def test_members_get_a_user_a_card_and_a_registered_device(tmp_path: Path):
    store = ServerStore(tmp_path / "server.sqlite3")
    try:
        members = seed_members(store, 30)
        again = seed_members(store, 30)  # a second fleet: the same users, new devices
        assert [m.user_id for m in members] == [m.user_id for m in again]
        assert len({m.device_id for m in members + again}) == 60
        for m in members[:3]:
            assert store.check_device(m.device_id, m.secret)
            user = store.user_of_card(m.card_id)
            assert user is not None
            assert user.user_id == m.user_id
    finally:
        store.close()


async def test_a_worker_starts_no_more_devices_at_once_than_its_window_and_stops_waiting():
    """A device takes a place until its user is logged in; a stop ends the wait for one."""
    starting, stop = asyncio.Semaphore(2), asyncio.Event()
    assert await _place(starting, stop)
    assert await _place(starting, stop)
    third = asyncio.ensure_future(_place(starting, stop))
    await asyncio.sleep(0)
    assert not third.done()  # the window is full
    starting.release()  # one got in
    assert await third
    fourth = asyncio.ensure_future(_place(starting, stop))
    await asyncio.sleep(0)
    stop.set()
    assert await fourth is False
    assert starting.locked()  # the stop took no place
