"""Device sessions and the delegations of sleeping devices to their proxies (S5)."""

from __future__ import annotations

from dataclasses import dataclass

from panel.server.store.db import Database


@dataclass(frozen=True, slots=True)
class DeviceSession:
    """A device's server session (S5): alive while `lease_until` is ahead of the server's clock.
    `proxy_id`/`delegation_id` are set while a peer keeps it for the sleeping device."""

    device_id: str
    mode: str  # "active" | "low-power" | "proxied"
    interval_s: float
    lease_until: float
    last_heartbeat: float
    proxy_id: str | None
    delegation_id: str | None
    lapses: int


@dataclass(frozen=True, slots=True)
class DelegationRecord:
    """A delegation the server issued; the signed token repeats these fields."""

    delegation_id: str
    device_id: str
    proxy_id: str
    issued_at: float
    expires_at: float
    revoked_at: float | None
    revoked_reason: str


class SessionRecords:
    """Session leases and delegations, judged on the store's clock."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def delegation_key(self) -> bytes:
        """The key delegations are signed with: made once per database, never sent anywhere."""
        (value,) = self._db.execute(
            "SELECT value FROM settings WHERE name='delegation_key'"
        ).fetchone()
        return bytes.fromhex(value)

    def device_session(self, device_id: str) -> DeviceSession | None:
        row = self._db.execute(_SESSION_SELECT + " WHERE device_id=?", (device_id,)).fetchone()
        return DeviceSession(*row) if row else None

    def record_heartbeat(
        self,
        device_id: str,
        mode: str,
        interval_s: float,
        lease_until: float,
        delegation: DelegationRecord | None = None,
    ) -> DeviceSession:
        """Renew a device's session lease (kept by `delegation`'s proxy, if given). A lease
        that had already run out counts as a lapse."""
        now = self._db.clock()
        proxy_id = delegation.proxy_id if delegation else None
        delegation_id = delegation.delegation_id if delegation else None
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO device_sessions(device_id, mode, interval_s, lease_until,"
                " last_heartbeat, proxy_id, delegation_id) VALUES (?,?,?,?,?,?,?)"
                " ON CONFLICT(device_id) DO UPDATE SET mode=excluded.mode,"
                " interval_s=excluded.interval_s, lease_until=excluded.lease_until,"
                " last_heartbeat=excluded.last_heartbeat, proxy_id=excluded.proxy_id,"
                " delegation_id=excluded.delegation_id,"
                " lapses=lapses + (device_sessions.lease_until < excluded.last_heartbeat)",
                (device_id, mode, interval_s, lease_until, now, proxy_id, delegation_id),
            )
        session = self.device_session(device_id)
        assert session is not None
        return session

    def add_delegation(self, record: DelegationRecord) -> list[str]:
        """Record a new delegation; the device's earlier ones still in force are revoked
        ("superseded"), and their ids returned."""
        with self._db.transaction() as db:
            older = [
                r[0]
                for r in db.execute(
                    "SELECT delegation_id FROM delegations"
                    " WHERE device_id=? AND revoked_at IS NULL",
                    (record.device_id,),
                )
            ]
            db.execute(
                "UPDATE delegations SET revoked_at=?, revoked_reason='superseded'"
                " WHERE device_id=? AND revoked_at IS NULL",
                (record.issued_at, record.device_id),
            )
            db.execute(
                "INSERT INTO delegations(delegation_id, device_id, proxy_id, issued_at, expires_at)"
                " VALUES (?,?,?,?,?)",
                (
                    record.delegation_id,
                    record.device_id,
                    record.proxy_id,
                    record.issued_at,
                    record.expires_at,
                ),
            )
        return older

    def delegation(self, delegation_id: str) -> DelegationRecord | None:
        row = self._db.execute(
            _DELEGATION_SELECT + " WHERE delegation_id=?", (delegation_id,)
        ).fetchone()
        return DelegationRecord(*row) if row else None

    def extend_delegation(self, delegation_id: str, expires_at: float) -> None:
        self._db.execute(
            "UPDATE delegations SET expires_at=? WHERE delegation_id=? AND revoked_at IS NULL",
            (expires_at, delegation_id),
        )

    def revoke_delegation(self, delegation_id: str, reason: str) -> bool:
        """End a delegation now; False if it had already ended."""
        cur = self._db.execute(
            "UPDATE delegations SET revoked_at=?, revoked_reason=?"
            " WHERE delegation_id=? AND revoked_at IS NULL",
            (self._db.clock(), reason, delegation_id),
        )
        return cur.rowcount > 0

    def delegation_in_force(self, device_id: str) -> DelegationRecord | None:
        """The device's delegation neither revoked nor expired, if any."""
        row = self._db.execute(
            _DELEGATION_SELECT + " WHERE device_id=? AND revoked_at IS NULL AND expires_at>?"
            " ORDER BY issued_at DESC LIMIT 1",
            (device_id, self._db.clock()),
        ).fetchone()
        return DelegationRecord(*row) if row else None

    def delegations_kept_by(self, proxy_id: str) -> list[DelegationRecord]:
        """Delegations in force that name `proxy_id` as the keeper."""
        rows = self._db.execute(
            _DELEGATION_SELECT + " WHERE proxy_id=? AND revoked_at IS NULL AND expires_at>?",
            (proxy_id, self._db.clock()),
        )
        return [DelegationRecord(*r) for r in rows]


_SESSION_SELECT = (
    "SELECT device_id, mode, interval_s, lease_until, last_heartbeat, proxy_id, delegation_id,"
    " lapses FROM device_sessions"
)


_DELEGATION_SELECT = (
    "SELECT delegation_id, device_id, proxy_id, issued_at, expires_at, revoked_at,"
    " revoked_reason FROM delegations"
)
