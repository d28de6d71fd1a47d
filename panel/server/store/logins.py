"""Who is logged in at which panel now: a user is at one panel at a time."""

from __future__ import annotations

import math

from panel.server.store.db import Database

LOGIN_MAX_AGE_S = 12 * 3600.0  # a panel login older than this is taken to be forgotten


class PanelLogins:
    """The panel logins the server was told about (card login and held-job release use
    them)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def set_login(self, device_id: str, user_id: str | None) -> None:
        """`user_id` is logged in at the device's panel now (None: nobody). A user is at one
        panel at a time, so their login at any other device ends."""
        if user_id is None:
            self.end_login(device_id)
            return
        with self._db.transaction() as db:
            db.execute("DELETE FROM logins WHERE user_id=? AND device_id<>?", (user_id, device_id))
            db.execute(
                "INSERT OR REPLACE INTO logins(device_id, user_id, at) VALUES (?,?,?)",
                (device_id, user_id, self._db.clock()),
            )

    def end_login(self, device_id: str, before: float | None = None) -> str | None:
        """Forget who is logged in at the device (if `before` is given, only a login recorded
        before that time); returns the ID of the user whose login ended, if any."""
        cutoff = math.inf if before is None else before
        with self._db.transaction() as db:
            row = db.execute(
                "SELECT user_id FROM logins WHERE device_id=? AND at<?", (device_id, cutoff)
            ).fetchone()
            if row is None:
                return None
            db.execute("DELETE FROM logins WHERE device_id=?", (device_id,))
        return str(row[0])

    def device_of_user(self, user_id: str, max_age_s: float = LOGIN_MAX_AGE_S) -> str | None:
        """The device the user is logged in at, unless they logged in there `max_age_s` ago
        or longer (a login the panel never ended: its user is long gone)."""
        row = self._db.execute(
            "SELECT device_id FROM logins WHERE user_id=? AND at>? ORDER BY at DESC LIMIT 1",
            (user_id, self._db.clock() - max_age_s),
        ).fetchone()
        return str(row[0]) if row else None
