"""The server's fleet file index (S6): box reports applied once (a resent batch changes
nothing), removals of what it never had are harmless, access by box, bounded per device; and
the relay's Range rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from panel.protocol.device_reports import DeviceReport
from panel.protocol.files import BoxChange, BoxInfo, FileMeta
from panel.server.files import index as index_module
from panel.server.files.relay import _range_start
from panel.server.http import ApiError
from panel.server.store import ServerStore


def meta(n: int, name: str = "a.pdf") -> FileMeta:
    return FileMeta(f"{n:032x}", name, "1001", 1, 10 + n, 1.0 + n, f"{n:064x}")


TEAM = BoxInfo("shared:Team", "Team", "")
ALICE = BoxInfo("user:1001", "1001", "1001")
BOB = BoxInfo("user:1002", "1002", "1002")


@pytest.fixture
def store(tmp_path: Path):
    store = ServerStore(tmp_path / "server.sqlite3")
    yield store
    store.close()


def record(store: ServerStore, device_id: str, changes: list[BoxChange], first: int = 1) -> None:
    reports = [DeviceReport(first + i, "box", 1.0, c) for i, c in enumerate(changes)]
    store.record_device_reports(device_id, "stream", reports)


def test_reports_build_the_index_once_and_a_resend_changes_nothing(store: ServerStore) -> None:
    device_id, _ = store.register_device("Holder", "MFP-Emu 1")
    changes = [
        BoxChange("box", TEAM),
        BoxChange("added", TEAM, meta(1)),
        BoxChange("added", ALICE, meta(2)),
        BoxChange("added", BOB, meta(3)),
        BoxChange("removed", TEAM, meta(1)),
        BoxChange("removed", TEAM, meta(9)),  # never indexed: harmless
    ]
    record(store, device_id, changes)
    record(store, device_id, changes)  # the same batch again (a lost reply)
    index = store.file_index
    assert index.count(device_id) == 2
    assert [f.meta.file_id for f in index.visible("1001")] == [meta(2).file_id]
    assert [f.meta.file_id for f in index.visible("1002")] == [meta(3).file_id]
    assert len(index.visible(None)) == 2
    (bob,) = index.visible("1002")
    assert (bob.device_name, bob.box_id, bob.shared) == ("Holder", "user:1002", False)
    assert not bob.visible_to("1001")
    assert index.get(device_id, meta(1).file_id) is None


def test_a_device_is_bounded_in_the_files_it_may_index(
    store: ServerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "MAX_FILES_PER_DEVICE", 3)
    device_id, _ = store.register_device("Holder", "MFP-Emu 1")
    record(store, device_id, [BoxChange("added", TEAM, meta(n)) for n in range(1, 6)])
    assert store.file_index.count(device_id) == 3


def test_only_an_open_range_within_the_file_is_served() -> None:
    assert _range_start(None, 10) == 0
    assert _range_start("bytes=4-", 10) == 4
    assert _range_start("bytes=10-", 10) == 10
    for bad in (
        "bytes=11-",
        "bytes=0-5",
        "bytes=-5",
        "items=1-",
        "bytes=1-,3-",
        "bytes=" + "9" * 30 + "-",
    ):
        with pytest.raises(ApiError) as refused:
            _range_start(bad, 10)
        assert refused.value.status == 416


async def test_one_requester_cannot_take_every_transfer_slot(
    store: ServerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from panel.protocol.files import TransferRequest
    from panel.server.auth import Principal
    from panel.server.files import relay as relay_module
    from panel.trace import Trace

    holder, _ = store.register_device("Holder", "MFP-Emu 1")
    record(store, holder, [BoxChange("added", TEAM, meta(1))])

    class Hub:
        def connected(self, device_id: str) -> bool:
            return True

    relay = relay_module.Relay(store, store.file_index, Hub(), None, Trace(None))  # type: ignore[arg-type]
    first, second = Principal("device", "r1"), Principal("device", "r2")
    for _ in range(relay_module.MAX_TRANSFERS_EACH):
        await relay.request(first, TransferRequest(holder, meta(1).file_id))
    with pytest.raises(ApiError) as busy:
        await relay.request(first, TransferRequest(holder, meta(1).file_id))
    assert (busy.value.status, busy.value.code) == (503, "busy")
    await relay.request(second, TransferRequest(holder, meta(1).file_id))  # others still may
    await relay.close()
