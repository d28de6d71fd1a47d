"""`mfp-panel bench scenario --json` runs scenarios headless and prints the speed-up keys.

Speed itself is not asserted here (shared, noisy machines): the bench reports it."""

from __future__ import annotations

import json
import subprocess

import pytest

from panel.relaunch import program_argv

SCENARIO = """
[scenario]
name = "A login, then two minutes"

[[device]]
name = "mfp-1"

[[user]]
id = "1001"
name = "Alice"
pin = "1234"

[[step]]
at = 1
action = "login"
user = "1001"

[[step]]
at = 1
expect = "trace"
concern = "auth"
event = "session"
fields = { user_id = "1001" }

[[step]]
at = 120
action = "wait"
"""


@pytest.mark.timeout(120)
def test_bench_scenario_reports_the_virtual_speedup_and_scenarios_per_minute(tmp_path) -> None:
    files = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.toml"
        path.write_text(SCENARIO)
        files.append(str(path))
    result = subprocess.run(
        program_argv("bench", "scenario", *files, "--json"),
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    figures = json.loads(line)
    assert figures["scenario_count"] == 2
    assert figures["all_passed"] is True
    assert [s["file"] for s in figures["scenarios"]] == files
    for row in figures["scenarios"]:
        assert row["timeline_s"] == pytest.approx(120, abs=0.5)
        assert row["speedup"] == pytest.approx(row["timeline_s"] / row["wall_s"], rel=0.05)
    speedups = [s["speedup"] for s in figures["scenarios"]]
    assert figures["virtual_speedup_min"] == min(speedups)
    assert figures["virtual_speedup"] == pytest.approx(
        figures["timeline_s"] / figures["wall_s"], rel=0.01
    )
    assert figures["scenarios_per_min"] == pytest.approx(2 * 60 / figures["wall_s"], rel=0.01)
