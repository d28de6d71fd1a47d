"""The shared-file relay under faults (S6): a transfer cut by the requester's network resumes
from the bytes it has (HTTP Range), not from zero, and the checksum matches; box changes made
while the holder is offline reach the server's index once, in order; holders that send other
bytes than their file's (corrupt, short, long) get the requester a clear error and nothing is
stored; names that try to be paths are refused."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import os
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from support import ALICE, ALICE_PIN, device_config, until

from panel.device import Device, EventKind
from panel.device import files as files_module
from panel.device.connection import device_token
from panel.device.files import FileError, personal_box
from panel.device.model import LoginOutcome
from panel.device.networks import NetworkSettings
from panel.protocol.codec import ProtocolError
from panel.protocol.files import BoxChange, BoxInfo, FileMeta
from panel.server.api import hub_key, trace_key
from panel.server.app import RunningServer
from panel.server.files.api import files_key
from panel.sim import Network
from panel.sim.toxics import Toxic


def server_trace(server: RunningServer, event: str) -> list[dict[str, Any]]:
    trace = server.app[trace_key]
    trace.flush()
    assert trace.path is not None
    lines = [json.loads(line) for line in trace.path.read_text().splitlines()]
    return [line for line in lines if line["concern"] == "files" and line["event"] == event]


@pytest.fixture
async def network(server: RunningServer):
    net = Network("Wired LAN", ("127.0.0.1", server.port))
    await net.start()
    yield net
    await net.stop()


async def device_behind(server: RunningServer, path: Path, name: str, net: Network) -> Device:
    config = device_config(server, path, name)
    config = replace(config, networks=(NetworkSettings("Wired LAN", net.url, 1.0, 1.0),))
    device = Device(config)
    await device.start()
    return device


async def online(server: RunningServer, *devices: Device) -> None:
    hub = server.app[hub_key]
    await until(lambda: all(hub.connected(d.device_id) for d in devices), what="online")


async def test_a_transfer_cut_by_the_network_resumes_where_it_stopped(
    server, make_device, network, tmp_path
):
    holder = await make_device("Second floor MFP")
    requester = await device_behind(server, tmp_path / "requester", "Reception MFP", network)
    try:
        await online(server, holder, requester)
        data = os.urandom(12 * 1024 * 1024)
        box = holder.files.create_shared_box("Team")
        stored = await holder.files.store(ALICE, box.box_id, "Big scan.pdf", data, 30)
        await until(lambda: server.store.file_index.count(holder.device_id) == 1, what="indexed")
        assert (await requester.login(ALICE, ALICE_PIN)).outcome is LoginOutcome.ACCEPTED
        # Every connection of the requester's network is cut after 5 MB towards it.
        network.add_toxic(Toxic("limit_data", {"bytes": 5_000_000}))
        states: list[str] = []
        requester.events.subscribe(
            lambda e: states.append(e.subject.state), EventKind.FILE_TRANSFER
        )

        fetched = await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE)

        content = requester.files.content_path(fetched.meta.file_id).read_bytes()
        assert hashlib.sha256(content).hexdigest() == stored.meta.sha256
        attempts = server_trace(server, "relay-failed") + server_trace(server, "relayed")
        offsets = sorted(a["offset"] for a in attempts)
        assert len(offsets) >= 3  # 12 MB through a network that cuts at 5 MB
        assert offsets[0] == 0
        assert all(b > a for a, b in itertools.pairwise(offsets))  # never from zero
        (done,) = server_trace(server, "relayed")
        assert done["offset"] > 0
        assert done["offset"] + done["bytes"] == len(data)
        assert "waiting" in states
        assert not list(requester.files.incoming.iterdir())  # the part became the file
    finally:
        network.remove_toxic("limit_data_downstream")
        await requester.stop()


async def test_box_changes_made_offline_reach_the_index_once_in_order(server, network, tmp_path):
    holder = await device_behind(server, tmp_path / "holder", "Second floor MFP", network)
    try:
        await online(server, holder)
        await network.set_enabled(False)
        box = holder.files.create_shared_box("Team")
        kept = await holder.files.store(ALICE, box.box_id, "Kept.pdf", b"%PDF-1.4 k", 1)
        gone = await holder.files.store(ALICE, box.box_id, "Gone.pdf", b"%PDF-1.4 g", 1)
        await holder.files.remove(gone.meta.file_id, ALICE)
        assert server.store.file_index.count(holder.device_id) == 0
        before = server.store.device_reports_count(holder.device_id)

        await network.set_enabled(True)
        await until(lambda: holder.reports.stats.queued == 0, timeout=20, what="delivered")
        indexed = server.store.file_index.visible(None)
        assert [f.meta.file_id for f in indexed] == [kept.meta.file_id]
        # box defined, two added, one removed: four box reports, each stored once
        assert server.store.device_reports_count(holder.device_id) - before >= 4
    finally:
        await holder.stop()


@pytest.mark.parametrize(
    ("spoil", "code"),
    [
        ("flip", "checksum_mismatch"),
        ("short", "holder_wrong_size"),
        ("long", "holder_wrong_size"),
    ],
)
async def test_a_holder_sending_other_bytes_gets_a_clear_error_and_nothing_is_stored(
    server, make_device, spoil, code
):
    holder = await make_device("Second floor MFP")
    requester = await make_device("Reception MFP")
    await online(server, holder, requester)
    data = os.urandom(700_000)
    box = holder.files.create_shared_box("Team")
    stored = await holder.files.store(ALICE, box.box_id, "Doc.pdf", data, 2)
    await until(lambda: server.store.file_index.count(holder.device_id) == 1, what="indexed")
    path = holder.files.content_path(stored.meta.file_id)
    spoilt = {
        "flip": data[:1000] + bytes([data[1000] ^ 1]) + data[1001:],
        "short": data[:500_000],
        "long": data + b"more",
    }[spoil]
    path.write_bytes(spoilt)
    assert (await requester.login(ALICE, ALICE_PIN)).outcome is LoginOutcome.ACCEPTED

    with pytest.raises(FileError) as refused:
        await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE)

    assert refused.value.code == code
    assert "nothing was stored" in refused.value.message
    assert requester.files.files() == []
    assert not list(requester.files.folder.iterdir())
    if spoil == "flip":
        assert not list(requester.files.incoming.iterdir())  # a wrong file is not kept


async def test_names_that_try_to_be_paths_or_are_too_long_are_refused(server, make_device):
    device = await make_device("Second floor MFP")
    for name in ("../../etc/passwd", "a/b.pdf", "..\\x", "..", "", "x" * 121, "a\x00b", "a\nb"):
        with pytest.raises(FileError) as refused:
            await device.files.store(ALICE, personal_box(ALICE), name, b"x", 1)
        assert refused.value.code == "bad_name", name
    assert device.files.files() == []
    assert list(device.files.folder.iterdir()) == []
    # Nor does a report naming one pass the protocol (the server decodes the same way).
    with pytest.raises(ProtocolError):
        BoxInfo("user:../..", "x", "../..")
    with pytest.raises(ProtocolError):
        BoxChange("box", BoxInfo("shared:../x", "x"))
    with pytest.raises(ProtocolError):
        FileMeta("0" * 32, "../../x", ALICE, 1, 1, 0.0, "0" * 64)
    with pytest.raises(ValueError, match="box_id"):
        device.reports.add("box", {"op": "box", "box": {"box_id": "../x", "name": "x"}})


async def test_a_file_gone_from_its_holder_is_a_clear_error_not_a_wait(server, make_device):
    holder = await make_device("Second floor MFP")
    requester = await make_device("Reception MFP")
    await online(server, holder, requester)
    box = holder.files.create_shared_box("Team")
    stored = await holder.files.store(ALICE, box.box_id, "Doc.pdf", b"%PDF-1.4 d", 1)
    await until(lambda: server.store.file_index.count(holder.device_id) == 1, what="indexed")
    # Gone at the holder in a way its index entry does not know yet (its report still queued).
    holder.files._files.pop(stored.meta.file_id)
    assert (await requester.login(ALICE, ALICE_PIN)).outcome is LoginOutcome.ACCEPTED

    with pytest.raises(FileError) as gone:
        await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE)

    assert gone.value.code == "holder_missing"
    assert gone.value.message == "Second floor MFP no longer has that file; nothing was stored."
    assert requester.files.files() == []


async def test_a_transfer_is_read_only_by_its_requester_and_sent_only_by_its_holder(
    server, make_device
):
    holder = await make_device("Second floor MFP")
    requester = await make_device("Reception MFP")
    other = await make_device("Basement MFP")
    await online(server, holder, requester, other)
    box = holder.files.create_shared_box("Team")
    stored = await holder.files.store(ALICE, box.box_id, "Doc.pdf", b"%PDF-1.4 d", 1)
    await until(lambda: server.store.file_index.count(holder.device_id) == 1, what="indexed")
    info = await requester.files._request(holder.device_id, stored.meta.file_id, "", "")
    url = f"{server.url}/api/v1/files/transfers/{info.transfer_id}"

    def auth(device: Device) -> dict[str, str]:
        return {"Authorization": f"Bearer {device_token(device.device_id, device.config.secret)}"}

    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers=auth(other)) as resp:
            assert resp.status == 403
            assert (await resp.json())["error"] == "not_your_transfer"
        async with http.put(url + "?offset=0", data=b"x" * 10, headers=auth(other)) as resp:
            assert resp.status == 403
            assert (await resp.json())["error"] == "not_the_holder"
        async with http.put(url + "?offset=0", data=b"%PDF-1.4 d", headers=auth(holder)) as resp:
            assert resp.status == 409  # nobody waits for it: it is not pushed into a requester
        async with http.put(url + "?offset=x", data=b"", headers=auth(holder)) as resp:
            assert resp.status == 400
        async with http.get(url, headers={**auth(requester), "Range": "bytes=0-3"}) as resp:
            assert resp.status == 416
        async with http.get(url + "0", headers=auth(requester)) as resp:
            assert resp.status == 404
    assert requester.files.files() == []


async def test_what_came_before_a_restart_is_kept_and_the_fetch_goes_on_from_there(
    server, make_device
):
    holder = await make_device("Second floor MFP")
    requester = await make_device("Reception MFP")
    await online(server, holder, requester)
    data = os.urandom(3_000_000)
    box = holder.files.create_shared_box("Team")
    stored = await holder.files.store(ALICE, box.box_id, "Doc.pdf", data, 2)
    await until(lambda: server.store.file_index.count(holder.device_id) == 1, what="indexed")
    # What an earlier fetch wrote before the device went down.
    (requester.files.incoming / f"{stored.meta.sha256}.part").write_bytes(data[:1_234_567])
    assert (await requester.login(ALICE, ALICE_PIN)).outcome is LoginOutcome.ACCEPTED

    fetched = await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE)

    assert requester.files.content_path(fetched.meta.file_id).read_bytes() == data
    (relayed,) = server_trace(server, "relayed")
    assert (relayed["offset"], relayed["bytes"]) == (1_234_567, len(data) - 1_234_567)


async def test_a_holder_that_stalls_mid_file_does_not_hold_the_requester_for_ever(
    server, make_device, monkeypatch
):
    holder = await make_device("Second floor MFP")
    requester = await make_device("Reception MFP")
    await online(server, holder, requester)
    server.app[files_key].stall_s = 0.3
    server.app[files_key].upload_wait_s = 0.3
    data = os.urandom(1_000_000)
    box = holder.files.create_shared_box("Team")
    stored = await holder.files.store(ALICE, box.box_id, "Doc.pdf", data, 2)
    await until(lambda: server.store.file_index.count(holder.device_id) == 1, what="indexed")
    release = asyncio.Event()

    async def stalling(path: Path, offset: int) -> AsyncIterator[bytes]:
        if offset == 0:
            yield data[:100_000]
        await release.wait()  # then nothing more until the test ends

    monkeypatch.setattr(files_module, "_chunks", stalling)
    monkeypatch.setattr(files_module, "RETRY_S", 0.05)
    assert (await requester.login(ALICE, ALICE_PIN)).outcome is LoginOutcome.ACCEPTED
    try:
        with pytest.raises(FileError) as broken:
            await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE)
    finally:
        release.set()
    assert broken.value.code == "transfer_broken"
    assert "kept to resume later" in broken.value.message
    failed = server_trace(server, "relay-failed")
    assert failed
    assert {f["outcome"] for f in failed} == {"broken"}
    assert requester.files.files() == []
