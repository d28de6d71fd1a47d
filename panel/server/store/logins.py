"""Who is logged in at which panel now: a user is at one panel at a time.

A panel login belongs to the device, not to its push socket: while the device is away (its
connection dropped, it is switching networks) the login is kept for `LOGIN_GRACE_S` of server
time, and the device's next hello takes it back. It ends on logout, when the user logs in at
another device, or when the grace period runs out with the device still away; how it ended is
kept per device so the device can be told when it comes back.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from panel.server.store.db import Database

LOGIN_MAX_AGE_S = 12 * 3600.0  # a panel login older than this is taken to be forgotten
LOGIN_GRACE_S = 120.0  # a login outlives its device's absence by this long (server time)

# Why a login ended, as stored and as the device is told (panel.protocol.messages.LoginEnded).
ENDED_LOGOUT = "logout"
ENDED_OFFLINE = "offline"
ENDED_ELSEWHERE = "elsewhere"
ENDED_UNKNOWN = "unknown"  # the server has no record of how (or never had that login)


@dataclass(frozen=True, slots=True)
class EndedLogin:
    device_id: str
    user_id: str
    reason: str
    just_now: bool = field(default=False, compare=False)  # ended by this call, not before


class PanelLogins:
    """The panel logins the server was told about (job routing, card login and held-job
    release use them)."""

    def __init__(self, db: Database, grace_s: float = LOGIN_GRACE_S) -> None:
        self._db = db
        self.grace_s = grace_s
        self._listeners: list[Callable[[EndedLogin], None]] = []

    def add_login_listener(self, listener: Callable[[EndedLogin], None]) -> None:
        """Call `listener(ended)` once committed, for a login ended by something other than its
        device (the user logged in at another device): the push hub tells that device."""
        self._listeners.append(listener)

    def set_login(self, device_id: str, user_id: str | None) -> None:
        """`user_id` is logged in at the device's panel now (None: nobody, a logout). A user
        is at one panel at a time, so their login at any other device ends."""
        if user_id is None:
            self.end_login(device_id)
            return
        now = self._db.clock()
        with self._db.transaction() as db:
            others = db.execute(
                "SELECT device_id FROM logins WHERE user_id=? AND device_id<>?",
                (user_id, device_id),
            ).fetchall()
            ended = [EndedLogin(str(other), user_id, ENDED_ELSEWHERE) for (other,) in others]
            for login in ended:
                self._end(db, login.device_id, user_id, login.reason, now)
            # Logged in over HTTP while its push connection is away: the device is reachable
            # now, and the grace period counts from here until its hello takes the login back.
            db.execute("UPDATE login_away SET since=? WHERE device_id=?", (now, device_id))
            db.execute("DELETE FROM login_endings WHERE device_id=?", (device_id,))
            db.execute(
                "INSERT OR REPLACE INTO logins(device_id, user_id, at) VALUES (?,?,?)",
                (device_id, user_id, now),
            )
        for login in ended:
            for listener in self._listeners:
                listener(login)

    def end_login(
        self, device_id: str, before: float | None = None, reason: str = ENDED_LOGOUT
    ) -> str | None:
        """Forget who is logged in at the device (if `before` is given, only a login recorded
        before that time); returns the ID of the user whose login ended, if any."""
        cutoff = math.inf if before is None else before
        with self._db.transaction() as db:
            row = db.execute(
                "SELECT user_id FROM logins WHERE device_id=? AND at<?", (device_id, cutoff)
            ).fetchone()
            if row is None:
                return None
            self._end(db, device_id, str(row[0]), reason, self._db.clock())
        return str(row[0])

    def mark_login_away(self, device_id: str) -> str | None:
        """The device went away (its push connection ended): its login, if any, is kept for the
        grace period from now. Returns the user logged in there."""
        with self._db.transaction() as db:
            row = db.execute("SELECT user_id FROM logins WHERE device_id=?", (device_id,))
            found = row.fetchone()
            if found is None:
                return None
            db.execute(
                "INSERT OR REPLACE INTO login_away(device_id, since) VALUES (?,?)",
                (device_id, self._db.clock()),
            )
        return str(found[0])

    def mark_all_logins_away(self) -> None:
        """The server (re)started: no device is connected yet, so every login's grace period
        starts now (a device that never comes back does not keep its user's jobs)."""
        with self._db.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO login_away(device_id, since) "
                "SELECT device_id, ? FROM logins",
                (self._db.clock(),),
            )

    def resume_login(self, device_id: str, user_id: str) -> EndedLogin | None:
        """The device is back (authenticated) and says `user_id` is logged in at its panel: keep
        that login (None) if it is still there, else say how it ended. A login whose grace
        period ran out meanwhile ends now, as "offline"."""
        now = self._db.clock()
        with self._db.transaction() as db:
            row = db.execute(
                "SELECT l.user_id, a.since FROM logins l LEFT JOIN login_away a "
                "USING (device_id) WHERE l.device_id=?",
                (device_id,),
            ).fetchone()
            if row is not None and str(row[0]) == user_id:
                if row[1] is not None and row[1] <= now - self.grace_s:
                    self._end(db, device_id, user_id, ENDED_OFFLINE, now)
                    return EndedLogin(device_id, user_id, ENDED_OFFLINE, just_now=True)
                db.execute("DELETE FROM login_away WHERE device_id=?", (device_id,))
                return None
            if row is not None:  # someone else, as far as the server knows: the panel says not
                self._end(db, device_id, str(row[0]), ENDED_UNKNOWN, now)
            ending = db.execute(
                "SELECT reason FROM login_endings WHERE device_id=? AND user_id=?",
                (device_id, user_id),
            ).fetchone()
        return EndedLogin(device_id, user_id, str(ending[0]) if ending else ENDED_UNKNOWN)

    def expire_logins(self) -> list[EndedLogin]:
        """End every login whose device has been away longer than the grace period."""
        now = self._db.clock()
        with self._db.transaction() as db:
            rows = db.execute(
                "SELECT l.device_id, l.user_id FROM logins l JOIN login_away a "
                "USING (device_id) WHERE a.since<=?",
                (now - self.grace_s,),
            ).fetchall()
            for device_id, user_id in rows:
                self._end(db, str(device_id), str(user_id), ENDED_OFFLINE, now)
        return [EndedLogin(str(d), str(u), ENDED_OFFLINE, just_now=True) for d, u in rows]

    def device_of_user(self, user_id: str, max_age_s: float = LOGIN_MAX_AGE_S) -> str | None:
        """The device the user is logged in at, unless they logged in there `max_age_s` ago
        or longer (a login the panel never ended: its user is long gone), or the device has
        been away longer than the grace period (its login is over, even if not yet ended)."""
        now = self._db.clock()
        row = self._db.execute(
            "SELECT l.device_id FROM logins l LEFT JOIN login_away a USING (device_id) "
            "WHERE l.user_id=? AND l.at>? AND (a.since IS NULL OR a.since>?) "
            "ORDER BY l.at DESC LIMIT 1",
            (user_id, now - max_age_s, now - self.grace_s),
        ).fetchone()
        return str(row[0]) if row else None

    @staticmethod
    def _end(
        conn: sqlite3.Connection, device_id: str, user_id: str, reason: str, now: float
    ) -> None:
        """Within a transaction: the login at `device_id` ends, and how is remembered."""
        conn.execute("DELETE FROM logins WHERE device_id=?", (device_id,))
        conn.execute("DELETE FROM login_away WHERE device_id=?", (device_id,))
        conn.execute(
            "INSERT OR REPLACE INTO login_endings(device_id, user_id, reason, at) VALUES (?,?,?,?)",
            (device_id, user_id, reason, now),
        )
