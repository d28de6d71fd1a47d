"""The crash-point sweep (issue 12): the workload once per declared crash point, the process
killed there and started again, and every invariant checked after each (support.crash_sweep).

Parametrized over `panel.crashpoints.all_points()`, so a point declared anywhere in the device
core or the server is swept without a change here. The table of every point, whether it was
reached and what was checked is printed at the end of the session (conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.crash_sweep import INVARIANTS, sweep

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


async def test_the_workload_alone_keeps_every_invariant(tmp_path: Path) -> None:
    """The baseline: without a crash, the same workload and checks pass (so a failure of a
    point's run is the crash's doing, not the harness's)."""
    result = await sweep(None, tmp_path)
    assert result.ok, _report(result.verdict(), None)
    assert result.pages == 3 * 2
    assert (result.print_jobs, result.scans) == (3, 3)


@pytest.mark.parametrize("side", ["device", "server"])
async def test_a_point_the_workload_never_reaches_fails_the_sweep(
    side: str, tmp_path: Path
) -> None:
    result = await sweep(f"{side}.sweep.nowhere", tmp_path)
    assert not result.reached
    assert not result.ok
    assert result.error.startswith(f"unreached: the workload never reached {side}.sweep.nowhere")
    assert "proves nothing" in result.error
