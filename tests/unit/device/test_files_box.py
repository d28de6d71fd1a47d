"""The document box on the device (S6): files stored durably with their metadata and the report
that tells the server in one commit, across a restart; content whose metadata never committed
is removed; owners only delete; a box PIN is kept only as a salted hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from panel.device.device import Device, DeviceConfig
from panel.device.files import FileError, personal_box
from panel.device.model import JobKind, JobState

Make = Callable[[], Device]


@pytest.fixture
async def make(tmp_path: Path) -> AsyncIterator[Make]:
    """Devices over one data directory (a restart is a second one); nothing is started but the
    box: no server is needed to store, list, remove or queue a print."""
    made: list[Device] = []

    def factory() -> Device:
        config = DeviceConfig("Box MFP", "http://127.0.0.1:9", tmp_path / "dev", "dev1", "s")
        device = Device(config)
        device.files.start()
        made.append(device)
        return device

    yield factory
    for device in made:
        await device.stop()


def box_reports(device: Device) -> list[dict[str, object]]:
    return [json.loads(body) for _, kind, _, body in device.store.queued_reports() if kind == "box"]


async def test_a_stored_file_survives_a_restart_with_its_metadata(make: Make) -> None:
    device = make()
    data = b"%PDF-1.4 quarterly" * 1000
    stored = await device.files.store("1001", personal_box("1001"), " Report.pdf ", data, 3)
    meta = stored.meta
    assert (meta.name, meta.owner, meta.pages, meta.size) == ("Report.pdf", "1001", 3, len(data))
    assert meta.sha256 == hashlib.sha256(data).hexdigest()
    await device.stop()

    again = make()
    (kept,) = again.files.files()
    assert kept == stored
    assert again.files.content_path(meta.file_id).read_bytes() == data
    assert [b.box_id for b in again.files.boxes()] == ["user:1001"]


async def test_each_change_queues_its_report_in_the_same_commit(make: Make) -> None:
    device = make()
    box = device.files.create_shared_box("Team")
    stored = await device.files.store("1001", box.box_id, "a.pdf", b"a", 1)
    await device.files.remove(stored.meta.file_id, "1001")
    ops = [(r["op"], r["box"]["box_id"]) for r in box_reports(device)]  # type: ignore[index]
    assert ops == [("box", "shared:Team"), ("added", "shared:Team"), ("removed", "shared:Team")]
    assert not device.files.content_path(stored.meta.file_id).exists()


async def test_content_whose_metadata_never_committed_is_removed(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    device = make()
    device.files.create_shared_box("Team")

    def refuse(kind: str, body: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(device.reports, "add", refuse)
    with pytest.raises(OSError, match="disk full"):
        await device.files.store("1001", "shared:Team", "a.pdf", b"a", 1)
    assert device.files.files() == []
    assert list(device.files.folder.iterdir()) == []
    # A kill between the bytes and the commit leaves a file nobody knows: gone at start.
    (device.files.folder / ("f" * 32)).write_bytes(b"orphan")
    await device.stop()
    again = make()
    assert list(again.files.folder.iterdir()) == []


async def test_only_the_owner_deletes_and_users_store_only_in_their_own_or_shared_boxes(
    make: Make,
) -> None:
    device = make()
    stored = await device.files.store("1001", personal_box("1001"), "mine.pdf", b"m", 1)
    with pytest.raises(FileError) as not_owner:
        await device.files.remove(stored.meta.file_id, "1002")
    assert not_owner.value.code == "not_owner"
    with pytest.raises(FileError):
        await device.files.store("1002", personal_box("1001"), "x.pdf", b"x", 1)
    assert [f.meta.name for f in device.files.visible_to("1002")] == []
    await device.files.remove(stored.meta.file_id, "9000", admin=True)
    assert device.files.files() == []


async def test_a_box_pin_is_kept_as_a_salted_hash_and_must_be_digits(make: Make) -> None:
    device = make()
    box = device.files.create_shared_box("Legal", pin="4711")
    assert box.pin_hash.startswith("scrypt$")
    assert "4711" not in box.pin_hash
    assert "4711" not in json.dumps(box_reports(device))
    for pin in ("12ab", "1" * 17):
        with pytest.raises(FileError):
            device.files.create_shared_box("Legal", pin=pin)
    for name in ("", "a/b", "x" * 65):
        with pytest.raises(FileError):
            device.files.create_shared_box(name)


async def test_print_from_the_box_queues_a_local_job_and_print_and_store_keeps_the_file(
    make: Make,
) -> None:
    device = make()
    job, stored = await device.files.print_and_store(
        "1001", personal_box("1001"), "Handout.pdf", b"%PDF-1.4 h", 5
    )
    assert (job.kind, job.state, job.pages, job.user_id) == (
        JobKind.LOCAL_PRINT,  # not a copy: the job list says Print
        JobState.QUEUED,
        5,
        "1001",
    )
    assert job.job_id in device.store.job_options()
    assert device.files.get(stored.meta.file_id) == stored
    with pytest.raises(FileError):
        device.files.print_file(stored.meta.file_id, "1002")


async def test_the_demo_seeds_a_few_files_once(make: Make) -> None:
    device = make()
    assert await device.files.seed_demo(2) == 3
    assert sorted(f.box_id for f in device.files.files()) == [
        "shared:Team",
        "user:1001",
        "user:1002",
    ]
    assert all(f.meta.size > 0 and f.meta.pages > 0 for f in device.files.files())
    assert await device.files.seed_demo(2) == 0
