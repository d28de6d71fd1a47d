"""Shared files (S6) end to end: two real device cores and a real server over real sockets.
A file stored in one device's box reaches the fleet index through the report queue; the other
device lists it with its holder's state, fetches it through the server's streamed relay
(checksum verified) and prints it; private boxes, box PINs, an offline holder and hostile
holders get clear refusals and leave nothing corrupt behind."""

from __future__ import annotations

import asyncio
import hashlib
import os

import pytest
from support import ALICE, ALICE_PIN, BOB, BOB_PIN, until, wait_event

from panel.device import Device, EventKind, JobState
from panel.device.engine import PrintOptions
from panel.device.files import FileError, personal_box
from panel.device.model import LoginOutcome
from panel.server.api import hub_key, trace_key
from panel.server.app import RunningServer


async def logged_in(device: Device, user_id: str, pin: str) -> None:
    result = await device.login(user_id, pin)
    assert result.outcome is LoginOutcome.ACCEPTED, result


def indexed(server: RunningServer, device: Device) -> int:
    return server.store.file_index.count(device.device_id)


@pytest.fixture
def connected(server):
    return lambda device: server.app[hub_key].connected(device.device_id)


async def test_a_file_in_one_box_is_listed_fetched_and_printed_at_another_device(
    server, make_device, connected
):
    holder = await make_device("Second floor MFP")
    requester = await make_device("Reception MFP")
    await until(lambda: connected(holder) and connected(requester), what="both online")
    data = os.urandom(3 * 1024 * 1024 + 17)
    shared = holder.files.create_shared_box("Team")
    stored = await holder.files.store(ALICE, shared.box_id, "Quarterly report.pdf", data, 4)
    await until(lambda: indexed(server, holder) == 1, what="indexed")

    await logged_in(requester, ALICE, ALICE_PIN)
    listing = await requester.files.list_fleet(ALICE)
    (entry,) = [e for e in listing.files if e.device_id == holder.device_id]
    assert (entry.holder_state, entry.device_name, entry.shared) == (
        "online",
        "Second floor MFP",
        True,
    )
    assert entry.file.sha256 == hashlib.sha256(data).hexdigest()

    progress = wait_event(requester, EventKind.FILE_TRANSFER, lambda e: e.subject.state == "done")
    fetched = await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE)
    assert (await progress).subject.done == len(data)
    assert fetched.box_id == personal_box(ALICE)
    assert requester.files.content_path(fetched.meta.file_id).read_bytes() == data
    await until(lambda: indexed(server, requester) == 1, what="the copy indexed")

    done = wait_event(
        requester, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.COMPLETED
    )
    job = requester.files.print_file(fetched.meta.file_id, ALICE, PrintOptions(duplex=True))
    assert (await done).subject.job_id == job.job_id
    assert job.pages == 4

    # Traced: who, what, from where to where.
    trace = server.app[trace_key]
    trace.flush()
    assert trace.path is not None
    lines = [line for line in trace.path.read_text().splitlines() if '"relayed"' in line]
    assert len(lines) == 1
    for part in (ALICE, stored.meta.file_id, holder.device_id, requester.device_id):
        assert part in lines[0]


async def test_another_users_private_box_is_refused_and_never_listed(
    server, make_device, connected
):
    holder = await make_device("Second floor MFP")
    requester = await make_device("Reception MFP")
    await until(lambda: connected(holder) and connected(requester), what="both online")
    private = await holder.files.store(BOB, personal_box(BOB), "Payslip.pdf", b"%PDF-1.4 x", 1)
    await until(lambda: indexed(server, holder) == 1, what="indexed")
    await logged_in(requester, ALICE, ALICE_PIN)

    assert (await requester.files.list_fleet(ALICE)).files == []
    with pytest.raises(FileError) as refused:
        await requester.files.fetch(holder.device_id, private.meta.file_id, ALICE)
    assert refused.value.code == "unknown_file"
    # Nor may a device act for a user not logged in at it.
    with pytest.raises(FileError) as elsewhere:
        await requester.files.list_fleet(BOB)
    assert elsewhere.value.code == "not_logged_in_here"
    await logged_in(requester, BOB, BOB_PIN)
    assert [e.file.name for e in (await requester.files.list_fleet(BOB)).files] == ["Payslip.pdf"]


async def test_a_box_pin_is_checked_by_the_server(server, make_device, connected):
    holder = await make_device("Second floor MFP")
    requester = await make_device("Reception MFP")
    await until(lambda: connected(holder) and connected(requester), what="both online")
    box = holder.files.create_shared_box("Legal", pin="4711")
    stored = await holder.files.store(ALICE, box.box_id, "Contract.pdf", b"%PDF-1.4 c", 1)
    await until(lambda: indexed(server, holder) == 1, what="indexed")
    await logged_in(requester, ALICE, ALICE_PIN)
    (entry,) = (await requester.files.list_fleet(ALICE)).files
    assert entry.locked
    with pytest.raises(FileError) as wrong:
        await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE, pin="0000")
    assert wrong.value.code == "wrong_box_pin"
    fetched = await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE, pin="4711")
    assert requester.files.content_path(fetched.meta.file_id).read_bytes() == b"%PDF-1.4 c"
    # Guessing is locked out: after 5 wrong PINs even the right one waits.
    for _ in range(5):
        with pytest.raises(FileError):
            await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE, pin="1")
    with pytest.raises(FileError) as locked:
        await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE, pin="4711")
    assert locked.value.code == "too_many_attempts"
    assert "Try again in" in locked.value.message


async def test_an_offline_holder_is_shown_offline_and_a_request_says_so(
    server, make_device, connected
):
    holder = await make_device("Second floor MFP")
    requester = await make_device("Reception MFP")
    await until(lambda: connected(holder) and connected(requester), what="both online")
    box = holder.files.create_shared_box("Team")
    stored = await holder.files.store(ALICE, box.box_id, "Plan.pdf", b"%PDF-1.4 p", 1)
    await until(lambda: indexed(server, holder) == 1, what="indexed")
    await holder.stop()
    await until(lambda: not connected(holder), what="holder gone")

    await logged_in(requester, ALICE, ALICE_PIN)
    (entry,) = (await requester.files.list_fleet(ALICE)).files
    assert entry.holder_state == "offline"
    with pytest.raises(FileError) as offline:
        await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE)
    assert offline.value.code == "holder_offline"
    assert "Second floor MFP" in offline.value.message
    assert "offline" in offline.value.message
    assert requester.files.files() == []


async def test_a_file_already_coming_in_is_not_fetched_twice_at_once(
    server, make_device, connected
):
    holder = await make_device("Second floor MFP")
    requester = await make_device("Reception MFP")
    await until(lambda: connected(holder) and connected(requester), what="both online")
    data = os.urandom(16 * 1024 * 1024)
    box = holder.files.create_shared_box("Team")
    stored = await holder.files.store(ALICE, box.box_id, "Big.pdf", data, 9)
    await until(lambda: indexed(server, holder) == 1, what="indexed")
    await logged_in(requester, ALICE, ALICE_PIN)

    receiving = wait_event(
        requester, EventKind.FILE_TRANSFER, lambda e: e.subject.state == "receiving"
    )
    first = asyncio.ensure_future(
        requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE)
    )
    await receiving
    with pytest.raises(FileError) as twice:
        await requester.files.fetch(holder.device_id, stored.meta.file_id, ALICE)
    assert twice.value.code == "already_coming"
    fetched = await first
    assert requester.files.content_path(fetched.meta.file_id).read_bytes() == data


async def test_the_owner_deletes_a_file_kept_on_another_device_and_no_one_else_may(
    server, make_device, connected
):
    holder = await make_device("Second floor MFP")
    requester = await make_device("Reception MFP")
    await until(lambda: connected(holder) and connected(requester), what="both online")
    box = holder.files.create_shared_box("Team")
    alices = await holder.files.store(ALICE, box.box_id, "Alice's.pdf", b"%PDF-1.4 a", 1)
    bobs = await holder.files.store(BOB, box.box_id, "Bob's.pdf", b"%PDF-1.4 b", 1)
    await until(lambda: indexed(server, holder) == 2, what="indexed")
    await logged_in(requester, ALICE, ALICE_PIN)

    with pytest.raises(FileError) as not_owner:
        await requester.files.delete_remote(holder.device_id, bobs.meta.file_id, ALICE)
    assert not_owner.value.code == "not_owner"
    removed = wait_event(holder, EventKind.BOX_CHANGED, lambda e: e.fields["change"] == "removed")
    await requester.files.delete_remote(holder.device_id, alices.meta.file_id, ALICE)
    assert (await removed).subject.meta.file_id == alices.meta.file_id
    await until(lambda: indexed(server, holder) == 1, what="out of the index")
    assert [f.meta.name for f in holder.files.files()] == ["Bob's.pdf"]
    assert [e.file.name for e in (await requester.files.list_fleet(ALICE)).files] == ["Bob's.pdf"]

    later = await holder.files.store(ALICE, box.box_id, "Later.pdf", b"%PDF-1.4 l", 1)
    await until(lambda: indexed(server, holder) == 2, what="indexed")
    await holder.stop()
    await until(lambda: not connected(holder), what="holder gone")
    with pytest.raises(FileError) as offline:
        await requester.files.delete_remote(holder.device_id, later.meta.file_id, ALICE)
    assert offline.value.code == "holder_offline"
    assert "Second floor MFP" in offline.value.message
