"""Registered devices and their secrets."""

from __future__ import annotations

import time
import uuid

from panel.server.security import check_secret, hash_secret, new_secret
from panel.server.store.db import Database


class Devices:
    """Devices the server knows; only the hash of each one's secret is kept."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def register_device(self, name: str, model: str) -> tuple[str, str]:
        """A new device id and its secret; only the secret's hash is kept."""
        device_id = f"dev-{uuid.uuid4().hex[:12]}"
        secret = new_secret()
        self._db.execute(
            "INSERT INTO devices(device_id, name, model, secret_hash, created_at)"
            " VALUES (?,?,?,?,?)",
            (device_id, name, model, hash_secret(secret), time.time()),
        )
        return device_id, secret

    def check_device(self, device_id: str, secret: str) -> bool:
        row = self._db.execute(
            "SELECT secret_hash FROM devices WHERE device_id=?", (device_id,)
        ).fetchone()
        return bool(row) and check_secret(secret, row[0])

    def device_exists(self, device_id: str) -> bool:
        return bool(
            self._db.execute("SELECT 1 FROM devices WHERE device_id=?", (device_id,)).fetchone()
        )

    def device_name(self, device_id: str) -> str | None:
        row = self._db.execute(
            "SELECT name FROM devices WHERE device_id=?", (device_id,)
        ).fetchone()
        return str(row[0]) if row else None
