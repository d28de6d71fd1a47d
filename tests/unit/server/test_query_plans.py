"""What the server asks its store for every job reads through an index, not a scan of a table
that grows with the fleet (issue 12: the logins table had no index by user, and finding where a
job's user is logged in was a quarter of the server's time in a burst at 5,000 devices)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from panel.server.store import ServerStore


@contextmanager
def full_scans(store: ServerStore) -> Iterator[list[str]]:
    """The statements run inside the block whose query plan scans a whole table."""
    conn = store._db.conn  # the plan of what the store really runs
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    scans: list[str] = []
    try:
        yield scans
    finally:
        conn.set_trace_callback(None)
        for sql in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "INSERT")):
                continue
            for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"):
                detail = str(row[-1])
                if detail.startswith("SCAN") and "USING" not in detail:
                    scans.append(f"{detail}: {sql}")


def _fleet(store: ServerStore, n: int) -> list[tuple[str, str]]:
    """`n` users, each logged in at a device of their own."""
    pairs = []
    for i in range(n):
        user = f"u{i:04d}"
        store.add_user(user, f"User {i}", "1234")
        device_id, _ = store.register_device(f"MFP {i}", "model")
        store.set_login(device_id, user)
        pairs.append((user, device_id))
    return pairs


def test_finding_where_a_user_is_logged_in_reads_an_index(tmp_path: Path) -> None:
    store = ServerStore(tmp_path / "server.sqlite3")
    try:
        pairs = _fleet(store, 30)
        user, device_id = pairs[17]
        lookup: Callable[[str], str | None] = store.device_of_user
        with full_scans(store) as scans:
            assert lookup(user) == device_id
        assert scans == []
    finally:
        store.close()


def test_a_jobs_life_in_the_store_reads_through_indexes(tmp_path: Path) -> None:
    """Created, given to the user's device, fetched, printed, acknowledged, listed: what each
    job costs the store, whatever the number of devices and jobs."""
    store = ServerStore(tmp_path / "server.sqlite3")
    try:
        pairs = _fleet(store, 30)
        for n, (user, device_id) in enumerate(pairs):  # other jobs in the tables
            with store.recording_job():
                store.create_job(f"old-{n}", user, "Old", 1, 1, "old.pdf", 10)
                store.assign_and_notify(f"old-{n}", device_id)
        user, device_id = pairs[11]
        with full_scans(store) as scans:
            with store.recording_job():
                store.create_job("job-1", user, "Report", 2, 1, "report.pdf", 100)
                note = store.assign_and_notify("job-1", device_id)
            assert store.job("job-1") is not None
            store.set_job_state("job-1", "fetched")
            store.set_job_state("job-1", "completed", pages_done=2)
            assert [n.job_id for n in store.notifications_after(device_id, 0)][-1] == "job-1"
            assert store.last_seq(device_id) == note.seq
            store.ack_many([(device_id, note.seq)])
            assert "job-1" in [j.job_id for j in store.jobs(user_id=user)]
        assert scans == []
    finally:
        store.close()
