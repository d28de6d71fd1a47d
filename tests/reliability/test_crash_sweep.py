"""The crash-point sweep (issue 12): the workload once per declared crash point, the process
killed there and started again, and every invariant checked after each (support.crash_sweep).

Parametrized over `panel.crashpoints.all_points()`, so a point declared anywhere in the device
core or the server is swept without a change here. The table of every point, whether it was
reached and what was checked is printed at the end of the session (conftest.py).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from support.crash_sweep import INVARIANTS, Run, SweepResult, check, sweep

from panel import crashpoints

pytestmark = pytest.mark.realtime  # real processes killed and restarted: real time


def _report(verdict: str, point: str | None) -> str:
    return f"after a crash at {point or '(none)'}:\n  " + verdict.replace("; ", "\n  ")


@pytest.mark.parametrize("point", sorted(crashpoints.all_points()))
async def test_a_crash_at_the_point_loses_duplicates_and_strands_nothing(
    point: str, tmp_path: Path
) -> None:
    result = await sweep(point, tmp_path)
    assert result.reached, result.error
    assert result.ok, _report(result.verdict(), point)
    assert result.checked == list(INVARIANTS)


def _damage(run: Run) -> None:
    """One loss of each kind, as a crash could leave it."""
    with closing(sqlite3.connect(run.server_dir / "server.sqlite3")) as db, db:
        first, second, *_ = sorted(r[0] for r in db.execute("SELECT job_id FROM jobs"))
        db.execute("UPDATE jobs SET state='failed' WHERE job_id=?", (first,))  # differs
        db.execute("UPDATE jobs SET state='printing' WHERE job_id=?", (second,))  # stuck
        db.execute("UPDATE outbox_ledger SET executions=2 WHERE rowid=1")  # executed twice
    tray = run.tray.read_text().splitlines()
    run.tray.write_text("\n".join([*tray, tray[0]]) + "\n")  # a page printed again
    with closing(sqlite3.connect(run.device_dir / "device.sqlite3")) as db, db:
        db.execute(  # a page counted twice
            "UPDATE engine SET value=CAST(value AS INTEGER) + 1 WHERE key='counter:total'"
        )
    (run.server_dir / "documents" / "job-nobody").write_bytes(b"%PDF-1.4\n")  # an orphan
    with closing(sqlite3.connect(run.server_dir / "server.sqlite3")) as db, db:
        db.execute("DELETE FROM device_usage WHERE job_id=?", (run.copied,))  # a usage lost


async def test_the_workload_alone_keeps_every_invariant_and_each_check_sees_its_loss(
    tmp_path: Path,
) -> None:
    """The baseline: without a crash, the same workload and checks pass (so a failure of a
    point's run is the crash's doing, not the harness's); then, with one loss of each kind
    made by hand in what it left, every invariant fails (none is vacuous)."""
    result = await sweep(None, tmp_path)
    assert result.ok, _report(result.verdict(), None)
    # 3 jobs of 2 pages; the copy's 8 engine pages (4 sheets, 2 of them with a blank back)
    assert result.pages == 3 * 2 + 8
    assert (result.print_jobs, result.scans, result.copies) == (3, 3, 1)
    assert result.run is not None
    _damage(result.run)
    damaged = SweepResult(None)
    check(result.run, damaged)
    seen = {
        name: [v for v in damaged.violations if v.startswith(f"{name}:")] for name in INVARIANTS
    }
    assert all(seen.values()), seen
    assert any("printed 2 times" in v for v in seen["printed-once"])
    assert any(
        "server failed (2 pages), device completed (2)" in v for v in seen["same-final-state"]
    )
    assert any("executed 2 times" in v for v in seen["outbox-once-in-order"])
    assert any("is printing on the server" in v for v in seen["nothing-stuck"])
    assert any(
        "the engine counted 13 impressions, the jobs 12 pages" in v for v in seen["counted-once"]
    )
    assert seen["usage-once"] == [
        f"usage-once: copy {result.run.copied}: usage records [] on the server, expected [(6, 4)]"
    ]
    assert seen["no-orphan-file"] == [
        "no-orphan-file: server/documents/job-nobody belongs to no row"
    ]


@pytest.mark.parametrize("side", ["device", "server"])
async def test_a_point_the_workload_never_reaches_fails_the_sweep(
    side: str, tmp_path: Path
) -> None:
    result = await sweep(f"{side}.sweep.nowhere", tmp_path)
    assert not result.reached
    assert not result.ok
    assert result.error.startswith(f"unreached: the workload never reached {side}.sweep.nowhere")
    assert "proves nothing" in result.error
