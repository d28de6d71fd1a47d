"""Remote maintenance (S3): operator accounts and the log of maintenance calls."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from panel.protocol.maintenance import SessionLogEntry
from panel.server.security import hash_pin
from panel.server.store.db import Database


@dataclass(frozen=True, slots=True)
class OperatorAccount:
    """A remote-maintenance operator (S3); their presence lives in the relay, not here."""

    operator_id: str
    name: str


class Maintenance:
    """Operators and the maintenance log, completed as each call goes on."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_operator(self, operator_id: str, name: str, password: str) -> None:
        """Create or replace an operator; only the password's scrypt hash is kept."""
        password_hash = hash_pin(password)  # slow on purpose: outside any transaction
        self._db.execute(
            "INSERT OR REPLACE INTO operators(operator_id, name, password_hash, created_at)"
            " VALUES (?,?,?,?)",
            (operator_id, name, password_hash, time.time()),
        )

    def operator(self, operator_id: str) -> OperatorAccount | None:
        row = self._db.execute(
            "SELECT operator_id, name FROM operators WHERE operator_id=?", (operator_id,)
        ).fetchone()
        return OperatorAccount(*row) if row else None

    def operator_and_password_hash(self, operator_id: str) -> tuple[OperatorAccount, str] | None:
        """An operator and their password's hash, to check a password against off the loop."""
        row = self._db.execute(
            "SELECT operator_id, name, password_hash FROM operators WHERE operator_id=?",
            (operator_id,),
        ).fetchone()
        return (OperatorAccount(row[0], row[1]), row[2]) if row else None

    def log_call(
        self,
        call_id: str,
        device_id: str,
        device_name: str,
        reason: str,
        note: str,
        error_codes: list[str],
        requested_at: float,
    ) -> None:
        """A device made a maintenance call (the log's row for it, completed as it goes on)."""
        self._db.execute(
            "INSERT INTO maintenance_log(call_id, device_id, device_name, reason, note,"
            " error_codes, requested_at) VALUES (?,?,?,?,?,?,?)",
            (call_id, device_id, device_name, reason, note, json.dumps(error_codes), requested_at),
        )

    def log_call_started(
        self, call_id: str, operator_id: str, operator_name: str, started_at: float
    ) -> None:
        self._db.execute(
            "UPDATE maintenance_log SET operator_id=?, operator_name=?, started_at=?"
            " WHERE call_id=?",
            (operator_id, operator_name, started_at, call_id),
        )

    def log_call_consent(self, call_id: str, trail: list[str]) -> None:
        self._db.execute(
            "UPDATE maintenance_log SET consent_trail=? WHERE call_id=?",
            (json.dumps(trail), call_id),
        )

    def log_call_ended(self, call_id: str, ended_at: float, end_reason: str) -> None:
        self._db.execute(
            "UPDATE maintenance_log SET ended_at=?, end_reason=? WHERE call_id=?",
            (ended_at, end_reason, call_id),
        )

    def maintenance_log(
        self, operator_id: str | None = None, limit: int = 500
    ) -> list[SessionLogEntry]:
        """The latest maintenance calls first (only `operator_id`'s sessions if given)."""
        sql = f"SELECT {', '.join(_LOG_FIELDS)}, consent_trail FROM maintenance_log"
        args: tuple[str | int, ...] = ()
        if operator_id is not None:
            sql, args = sql + " WHERE operator_id=?", (operator_id,)
        rows = self._db.execute(sql + " ORDER BY requested_at DESC LIMIT ?", (*args, limit))
        entries = []
        for row in rows:
            *fields, trail_json = row
            trail = json.loads(trail_json)
            call = dict(zip(_LOG_FIELDS, fields, strict=True))
            consent = trail[-1] if trail else ""
            entries.append(SessionLogEntry(**call, consent=consent, consent_trail=trail))
        return entries


_LOG_FIELDS = (
    "call_id",
    "device_id",
    "device_name",
    "reason",
    "requested_at",
    "operator_id",
    "operator_name",
    "started_at",
    "ended_at",
    "end_reason",
)
