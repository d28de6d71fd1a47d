"""The fleet's file index: which device holds which box and file, from the devices' "box"
reports (applied inside the report batch's transaction: a report is applied once), and the
access rule: a user sees their own boxes and the shared boxes, never another user's box.
"""

from __future__ import annotations

from dataclasses import dataclass

from panel.protocol.files import MAX_FILES_LISTED, BoxChange, FileMeta
from panel.server.store.db import Database

MAX_FILES_PER_DEVICE = 10_000  # a device reporting more is refused further additions


def apply_box_change(db: Database, device_id: str, change: BoxChange) -> None:
    """One box report, in the caller's transaction. A removal of a file not indexed (or
    already removed) changes nothing; an addition beyond MAX_FILES_PER_DEVICE is dropped."""
    box = change.box
    db.execute(
        "INSERT OR REPLACE INTO box_index(device_id, box_id, name, owner, pin_hash)"
        " VALUES (?,?,?,?,?)",
        (device_id, box.box_id, box.name, box.owner, box.pin_hash),
    )
    f = change.file
    if f is None:
        return
    if change.op == "removed":
        db.execute("DELETE FROM file_index WHERE device_id=? AND file_id=?", (device_id, f.file_id))
        return
    (count,) = db.execute(
        "SELECT COUNT(*) FROM file_index WHERE device_id=?", (device_id,)
    ).fetchone()
    if count >= MAX_FILES_PER_DEVICE:
        return
    db.execute(
        "INSERT OR REPLACE INTO file_index(device_id, file_id, box_id, name, owner, pages, size,"
        " created_at, sha256) VALUES (?,?,?,?,?,?,?,?,?)",
        (
            device_id,
            f.file_id,
            box.box_id,
            f.name,
            f.owner,
            f.pages,
            f.size,
            f.created_at,
            f.sha256,
        ),
    )


@dataclass(frozen=True, slots=True)
class IndexedFile:
    """A file as the index holds it, with its box and the holder's name."""

    device_id: str
    device_name: str
    box_id: str
    box_name: str
    pin_hash: str
    meta: FileMeta

    @property
    def shared(self) -> bool:
        return self.box_id.startswith("shared:")

    def visible_to(self, user_id: str | None) -> bool:
        """None: an administrator (sees every box)."""
        return user_id is None or self.shared or self.box_id == f"user:{user_id}"


_SELECT = (
    "SELECT f.device_id, d.name, f.box_id, b.name, b.pin_hash, f.file_id, f.name, f.owner,"
    " f.pages, f.size, f.created_at, f.sha256 FROM file_index f"
    " JOIN box_index b ON b.device_id=f.device_id AND b.box_id=f.box_id"
    " JOIN devices d ON d.device_id=f.device_id"
)


def _indexed(r: tuple[object, ...]) -> IndexedFile:
    meta = FileMeta(
        str(r[5]), str(r[6]), str(r[7]), int(str(r[8])), int(str(r[9])), float(str(r[10])),
        str(r[11]),
    )  # fmt: skip
    return IndexedFile(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), meta)


class FileIndex:
    """Reads of the index (its writes come with the device reports)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def visible(self, user_id: str | None) -> list[IndexedFile]:
        """The files `user_id` may see (None: all), by device then newest first, bounded."""
        if user_id is None:
            rows = self._db.execute(
                f"{_SELECT} ORDER BY d.name, f.created_at DESC LIMIT ?", (MAX_FILES_LISTED,)
            )
        else:
            rows = self._db.execute(
                f"{_SELECT} WHERE f.box_id LIKE 'shared:%' OR f.box_id=?"
                " ORDER BY d.name, f.created_at DESC LIMIT ?",
                (f"user:{user_id}", MAX_FILES_LISTED),
            )
        return [_indexed(tuple(r)) for r in rows]

    def get(self, device_id: str, file_id: str) -> IndexedFile | None:
        row = self._db.execute(
            f"{_SELECT} WHERE f.device_id=? AND f.file_id=?", (device_id, file_id)
        ).fetchone()
        return _indexed(tuple(row)) if row is not None else None

    def count(self, device_id: str) -> int:
        (n,) = self._db.execute(
            "SELECT COUNT(*) FROM file_index WHERE device_id=?", (device_id,)
        ).fetchone()
        return int(n)
