"""Opening the SQLite files device and server keep: WAL, autocommit, the schema applied, in
directories and files only their user can read."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from panel.crashpoints import CrashPoint


def private_dir(path: Path) -> Path:
    """A directory only this user can enter (data dirs hold hashes, documents, traces)."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def open_wal(path: Path, schema: str, synchronous: Literal["FULL", "NORMAL"]) -> sqlite3.Connection:
    """FULL makes each commit survive a power cut (the device's receptions); NORMAL survives a
    crash of the process, which is what the server needs for its rows."""
    private_dir(path.parent)
    db = sqlite3.connect(path, isolation_level=None)
    path.chmod(0o600)  # PIN hashes and job data: this user's only (SQLite's -wal/-shm follow)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("PRAGMA foreign_keys=ON")
    db.executescript(schema)
    return db


@contextmanager
def crash_safe_only(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Commits in this block survive a crash of the process but may be lost in a power cut
    (synchronous=NORMAL: no fsync on the event loop). For records that are cheap to redo,
    such as the server's answers to outbox requests (re-sent, the server replays them). In
    WAL mode the next FULL commit makes them durable too: the log is synced in order.
    """
    if db.in_transaction:  # the enclosing transaction decides
        yield db
        return
    (level,) = db.execute("PRAGMA synchronous").fetchone()
    db.execute("PRAGMA synchronous=NORMAL")
    try:
        yield db
    finally:
        db.execute(f"PRAGMA synchronous={int(level)}")


@contextmanager
def transaction(
    db: sqlite3.Connection, committed: CrashPoint | None = None
) -> Iterator[sqlite3.Connection]:
    """One write transaction: all of it is committed, or none of it.

    The connections run in autocommit mode (isolation_level=None), where `with db:` groups
    nothing: each statement would commit on its own, and a kill between two of them would
    leave half a change. BEGIN IMMEDIATE takes the write lock up front. Inside another
    transaction it joins that one (a batch of changes, one commit).

    `committed` is reached right after the commit: only when this block made it, since a
    joined block is durable only when the enclosing transaction commits (its own point).
    """
    if db.in_transaction:  # nested: part of the enclosing transaction, committed with it
        yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    db.commit()
    if committed is not None:
        committed.reach()
