"""The fleet's members in a server's store: one user, login card and registered device each.

Users are written in one transaction with one PIN hash for all of them: hashing thousands of
PINs with scrypt (~50 ms each) would take minutes, and fleet members log in by card anyway.
The store may belong to a server that is running (WAL), as `server add-user` does.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from panel.server.security import hash_pin
from panel.server.store import ServerStore

FLEET_PIN = "2468"  # every fleet user's PIN (they log in by card; a person may use the PIN)
USER_PREFIX = "fleet-"


@dataclass(frozen=True, slots=True)
class Member:
    """One device of the fleet and the user logged in at it."""

    device_id: str
    secret: str
    user_id: str
    card_id: str


def user_id(n: int) -> str:
    return f"{USER_PREFIX}{n:05d}"


def seed_members(store: ServerStore, count: int, start: int = 0) -> list[Member]:
    """Add `count` users with a card each (idempotent), register a device for each."""
    pin_hash = hash_pin(FLEET_PIN)
    users = [user_id(n) for n in range(start, start + count)]
    with store.batch() as db:
        db.executemany(
            "INSERT OR IGNORE INTO users(user_id, name, role, pin_hash) VALUES (?,?,'user',?)",
            [(u, f"Fleet user {u.removeprefix(USER_PREFIX)}", pin_hash) for u in users],
        )
        db.executemany(
            "INSERT OR REPLACE INTO user_cards(card_id, user_id) VALUES (?,?)",
            [(f"card-{u}", u) for u in users],
        )
    members = []
    with store.batch():
        for u in users:
            device_id, secret = store.register_device(f"Fleet MFP {u}", "MFP-Emu fleet")
            members.append(Member(device_id, secret, u, f"card-{u}"))
    return members


def seed_data_dir(data: Path, count: int) -> list[Member]:
    """`seed_members` into the store of the server data directory `data`."""
    store = ServerStore(data / "server.sqlite3")
    try:
        return seed_members(store, count)
    finally:
        store.close()


def dump(members: list[Member]) -> list[dict[str, str]]:
    return [asdict(m) for m in members]


def load(rows: list[dict[str, str]]) -> list[Member]:
    return [Member(**row) for row in rows]


def write_spec(path: Path, spec: dict[str, object]) -> None:
    """A worker's instructions, in a file only this user can read (device secrets)."""
    path.touch(mode=0o600)
    path.write_text(json.dumps(spec))
