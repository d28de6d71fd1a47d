"""Opening the SQLite files device and server keep: WAL, autocommit, the schema applied."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Literal


def open_wal(path: Path, schema: str, synchronous: Literal["FULL", "NORMAL"]) -> sqlite3.Connection:
    """FULL makes each commit survive a power cut (the device's receptions); NORMAL survives a
    crash of the process, which is what the server needs for its rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("PRAGMA foreign_keys=ON")
    db.executescript(schema)
    return db
