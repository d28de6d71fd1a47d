"""The one SQLite connection (WAL, autocommit) every repository of the server's store shares,
and the store's clock."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from panel.crashpoints import CrashPoint
from panel.server.store.schema import SCHEMA
from panel.sqlite import open_wal, transaction


def disk_full(exc: sqlite3.Error) -> bool:
    """SQLite could not write: its database file's disk (or quota) is full."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "database or disk is full" in str(exc)


class Database:
    """The connection, opened with the schema. Each statement commits on its own; a change
    that spans statements runs inside `transaction()`, which joins an enclosing one."""

    def __init__(self, path: Path, clock: Callable[[], float]) -> None:
        self.path = path
        self.clock = clock  # the time of ledger entries, logins, leases; tests move it
        self.conn = open_wal(path, SCHEMA, synchronous="NORMAL")

    def execute(self, sql: str, args: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, args)

    def transaction(
        self, committed: CrashPoint | None = None
    ) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """See `panel.sqlite.transaction`: `committed` is reached after this block's commit."""
        return transaction(self.conn, committed)

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the enclosing transaction that may fail alone (one job of a group
        commit): on an exception it is undone and the rest of the transaction kept."""
        assert self.conn.in_transaction, "a savepoint is a part of a transaction"
        self.conn.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:  # SQLite may have rolled back all of it (disk full)
                self.conn.execute("ROLLBACK TO part")
                self.conn.execute("RELEASE part")
            raise
        self.conn.execute("RELEASE part")

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that see one state of the database (a read transaction)."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.commit()

    def close(self) -> None:
        self.conn.close()
