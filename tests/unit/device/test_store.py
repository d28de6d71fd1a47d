from __future__ import annotations

from panel.device.model import Job, JobKind, JobState, TimelineEntry
from panel.device.store import DeviceStore


def test_reception_is_recorded_once_and_survives_reopening(tmp_path):
    store = DeviceStore(tmp_path / "d.sqlite3")
    assert store.store_reception(1, "job-a", 10.0)
    assert not store.store_reception(1, "job-a", 11.0)  # replayed notice
    assert store.store_reception(2, "job-b", 12.0)
    store.mark_fetched("job-a")
    store.close()
    again = DeviceStore(tmp_path / "d.sqlite3")
    assert again.last_seq() == 2
    assert [r.job_id for r in again.unfetched_receptions()] == ["job-b"]


def test_last_seq_never_goes_backwards(tmp_path):
    store = DeviceStore(tmp_path / "d.sqlite3")
    store.store_reception(5, "job-5", 1.0)
    store.store_reception(3, "job-3", 1.0)
    assert store.last_seq() == 5


def test_jobs_and_timelines_round_trip(tmp_path):
    store = DeviceStore(tmp_path / "d.sqlite3")
    job = Job("j", JobKind.CLOUD_PRINT, "Report", "1001", JobState.NOTIFIED, pages=3)
    store.save_job(job, 1.0)
    job.state = JobState.PRINTING
    job.pages_done = 2
    store.update_job(job, TimelineEntry(2.0, JobState.PRINTING, "go"))
    (loaded,) = store.load_jobs()
    assert loaded.state is JobState.PRINTING
    assert loaded.pages_done == 2
    assert loaded.timeline == [TimelineEntry(2.0, JobState.PRINTING, "go")]


def test_contiguous_seq_stops_at_the_first_gap(tmp_path):
    store = DeviceStore(tmp_path / "d.sqlite3")
    for seq in (1, 2, 4, 5):
        store.store_reception(seq, f"job-{seq}", 1.0)
    assert store.contiguous_seq() == 2  # 3 overtaken by 4: ask for a replay after 2
    store.store_reception(3, "job-3", 1.0)
    assert store.contiguous_seq() == 5


def test_a_new_identity_drops_the_old_push_state_but_keeps_jobs(tmp_path):
    store = DeviceStore(tmp_path / "d.sqlite3")
    assert not store.bind_identity("dev-a")
    store.store_reception(7, "job-7", 1.0)
    store.save_job(Job("job-7", JobKind.CLOUD_PRINT, "t", "u", JobState.COMPLETED), 1.0)
    assert not store.bind_identity("dev-a")
    assert store.last_seq() == 7
    assert store.bind_identity("dev-b")
    assert store.last_seq() == 0
    assert store.contiguous_seq() == 0
    assert [j.job_id for j in store.load_jobs()] == ["job-7"]


def test_a_settled_answer_is_kept_without_an_fsync_and_full_sync_comes_back(tmp_path):
    """The server's answers are committed crash-safe only (no fsync on the event loop);
    everything else the device writes stays synchronous=FULL (power-cut safe)."""
    from panel.device.store import OutboxRow

    store = DeviceStore(tmp_path / "d.sqlite3")
    job = Job("k1", JobKind.SCAN, "Scan", "1001", JobState.HELD, pages=1)
    entry = TimelineEntry(1.0, JobState.HELD, "held")
    store.outbox_add(OutboxRow(0, "k1", "scan", "1001", "Scan", 1, "d", 10, 1.0), job, entry)
    job.state = JobState.ACCEPTED
    levels: list[int] = []
    store._db.set_trace_callback(
        lambda sql: (
            levels.append(2 if "synchronous=2" in sql else 1)
            if sql.startswith("PRAGMA synchronous=")
            else None
        )
    )
    store.outbox_settle([(job, TimelineEntry(2.0, JobState.ACCEPTED, "ok"))], ["k1"], False)
    store._db.set_trace_callback(None)
    assert levels == [1, 2]  # NORMAL for the commit, then FULL again
    assert store._db.execute("PRAGMA synchronous").fetchone() == (2,)
    store.close()
    again = DeviceStore(tmp_path / "d.sqlite3")
    assert again.outbox_rows() == []
    assert again.load_jobs()[0].state is JobState.ACCEPTED
