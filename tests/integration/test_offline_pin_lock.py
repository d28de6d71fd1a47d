"""Wrong PINs checked offline against the device's cached hashes are counted as the server
counts them: the 4th warns, the 5th locks that user out at this device for 5 minutes, and the
lock holds even for the right PIN; other users are not locked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support import ALICE, ALICE_PIN, BOB, BOB_PIN, device_config, running_server, until

from panel.device import ConnectionState, Device
from panel.device.auth import OFFLINE_LOCK_S


@pytest.fixture
async def offline_device(tmp_path: Path) -> AsyncIterator[Device]:
    """A device that cached Alice's and Bob's PINs online, then lost its server."""
    server = await running_server(tmp_path)
    device = Device(device_config(server, tmp_path / "device", "Offline MFP"))
    await device.start()
    try:
        for user_id, pin in ((ALICE, ALICE_PIN), (BOB, BOB_PIN)):
            assert (await device.login(user_id, pin)).ok
            device.logout()
            await until(lambda u=user_id: device.store.credential(u) is not None, what="cached")
        await server.stop()
        await until(lambda: device.connection_state is not ConnectionState.ONLINE, what="offline")
        yield device
    finally:
        await device.stop()


async def test_offline_wrong_pins_warn_then_lock_with_the_time_left(offline_device):
    device = offline_device
    said = [await device.login(ALICE, "0000") for _ in range(4)]
    assert [r.attempts_left for r in said] == [4, 3, 2, 1]
    assert said[-1].message == "Wrong user ID or PIN. 1 attempt left before a 5-minute lock."
    assert all(not r.ok and r.retry_after_s is None for r in said)

    locked = await device.login(ALICE, "0000")
    assert (locked.ok, locked.attempts_left) == (False, 0)
    assert locked.retry_after_s is not None
    assert OFFLINE_LOCK_S - 5 < locked.retry_after_s <= OFFLINE_LOCK_S
    assert locked.message == "Too many wrong PINs. Try again in 5 min."

    still = await device.login(ALICE, ALICE_PIN)  # the right PIN: locked all the same
    assert not still.ok
    assert still.retry_after_s is not None
    assert still.retry_after_s <= locked.retry_after_s
    assert device.user is None

    bob = await device.login(BOB, BOB_PIN)
    assert bob.ok
    assert bob.offline
