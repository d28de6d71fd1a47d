"""Push notices: each device's numbered notifications and what it acknowledged."""

from __future__ import annotations

from dataclasses import dataclass

from panel import crashpoints
from panel.server.store.db import Database

ACKED = crashpoints.point(
    "server.notices.acked", "a device's acknowledgement of its push notices up to a seq committed"
)


@dataclass(frozen=True, slots=True)
class Notification:
    device_id: str
    seq: int
    job_id: str
    created_at: float


class Notices:
    """The notices recorded for each device, replayed after the last one it acknowledged."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def notifications_after(self, device_id: str, seq: int) -> list[Notification]:
        rows = self._db.execute(
            "SELECT device_id, seq, job_id, created_at FROM notifications"
            " WHERE device_id=? AND seq>? ORDER BY seq",
            (device_id, seq),
        ).fetchall()
        return [Notification(*r) for r in rows]

    def last_seq(self, device_id: str) -> int:
        (seq,) = self._db.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM notifications WHERE device_id=?", (device_id,)
        ).fetchone()
        return int(seq)

    def ack(self, device_id: str, seq: int) -> None:
        with self._db.transaction() as db:
            acked = db.execute(
                "UPDATE notifications SET acked=1 WHERE device_id=? AND seq<=? AND acked=0",
                (device_id, seq),
            ).rowcount
        if acked and not db.in_transaction:  # a hello that acks nothing new writes nothing
            ACKED.reach()

    def ack_many(self, acks: list[tuple[str, int]]) -> None:
        """Acknowledgements of many devices (device, seq) in one commit: a group commit of the
        acks that arrived meanwhile, as `ack` does for one."""
        acked = 0
        with self._db.transaction() as db:
            for device_id, seq in acks:
                acked += db.execute(
                    "UPDATE notifications SET acked=1 WHERE device_id=? AND seq<=? AND acked=0",
                    (device_id, seq),
                ).rowcount
        if acked and not db.in_transaction:
            ACKED.reach()

    def first_unacked(self, device_id: str) -> Notification | None:
        """The oldest notification the device has not acknowledged: work waiting for it."""
        row = self._db.execute(
            "SELECT device_id, seq, job_id, created_at FROM notifications"
            " WHERE device_id=? AND acked=0 ORDER BY seq LIMIT 1",
            (device_id,),
        ).fetchone()
        return Notification(*row) if row else None
