"""Users, their login cards and their preferences (S4)."""

from __future__ import annotations

from panel.protocol.messages import UserInfo
from panel.protocol.power import Preferences
from panel.server.security import hash_pin, pin_matches
from panel.server.store.cache import CachedInfo
from panel.server.store.db import Database


class Users:
    """The people who log in at panels; a change to one changes the cached directory too."""

    def __init__(self, db: Database, cache: CachedInfo) -> None:
        self._db = db
        self._cache = cache

    def add_user(self, user_id: str, name: str, pin: str, role: str = "user") -> None:
        pin_hash = hash_pin(pin)  # slow on purpose: outside the transaction
        with self._cache.change() as db:
            db.execute(
                "INSERT OR REPLACE INTO users(user_id, name, role, pin_hash) VALUES (?,?,?,?)",
                (user_id, name, role, pin_hash),
            )

    def user(self, user_id: str) -> UserInfo | None:
        row = self._db.execute(
            "SELECT user_id, name, role FROM users WHERE user_id=?", (user_id,)
        ).fetchone()
        return UserInfo(*row) if row else None

    def user_and_pin_hash(self, user_id: str) -> tuple[UserInfo, str] | None:
        """A user and the hash of their PIN, to check a PIN against off the event loop."""
        row = self._db.execute(
            "SELECT user_id, name, role, pin_hash FROM users WHERE user_id=?", (user_id,)
        ).fetchone()
        return (UserInfo(row[0], row[1], row[2]), row[3]) if row else None

    def check_user(self, user_id: str, pin: str) -> UserInfo | None:
        """The user when the PIN is right; None otherwise (same cost either way). Slow: the
        server checks PINs through `auth.Authenticator`, in a worker thread."""
        found = self.user_and_pin_hash(user_id)
        ok = pin_matches(pin, found[1] if found else None)
        return found[0] if found and ok else None

    def add_card(self, card_id: str, user_id: str) -> None:
        """`card_id` logs `user_id` in from now on (a card has one owner)."""
        self._db.execute(
            "INSERT OR REPLACE INTO user_cards(card_id, user_id) VALUES (?,?)", (card_id, user_id)
        )

    def user_of_card(self, card_id: str) -> UserInfo | None:
        row = self._db.execute(
            "SELECT u.user_id, u.name, u.role FROM user_cards c JOIN users u USING (user_id)"
            " WHERE c.card_id=?",
            (card_id,),
        ).fetchone()
        return UserInfo(*row) if row else None

    def preferences(self, user_id: str) -> Preferences:
        row = self._db.execute(
            "SELECT print_all_on_login FROM user_preferences WHERE user_id=?", (user_id,)
        ).fetchone()
        return Preferences(bool(row[0])) if row else Preferences()

    def set_preferences(self, user_id: str, preferences: Preferences) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO user_preferences(user_id, print_all_on_login) VALUES (?,?)",
            (user_id, int(preferences.print_all_on_login)),
        )
