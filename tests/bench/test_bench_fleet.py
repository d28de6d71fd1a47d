"""`mfp-panel bench fleet` runs end to end at a small N and prints the figures issue 12 asks
for. Speed is not asserted here (shared, noisy machines): the bench reports it."""

from __future__ import annotations

import json
import subprocess

import pytest

from panel.relaunch import program_argv

KEYS = (
    "fleet_devices",
    "fleet_push_p99_ms",
    "fleet_delivered_pct",
    "burst_jobs_per_s",
    "stall_recovery_s",
    "stall_lost",
    "conn_mem_ratio_vs_bare",
    "device_mem_mb",
)


@pytest.mark.timeout(300)
def test_bench_fleet_reports_every_figure_of_a_small_fleet():
    result = subprocess.run(
        program_argv("bench", "fleet", "--devices", "20", "--json"),
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    figures = json.loads(line)
    assert set(KEYS) <= set(figures)
    assert figures["fleet_devices"] == 20
    assert figures["fleet_connected_pct"] == 100
    assert figures["fleet_delivered_pct"] == 100
    assert figures["stall_lost"] == 0
    assert figures["fleet_duplicated"] == 0
    assert 0 < figures["fleet_push_p50_ms"] <= figures["fleet_push_p99_ms"]
    assert figures["burst_jobs_per_s"] > 0
    assert figures["conn_mem_ratio_vs_bare"] > 0
    assert figures["device_mem_mb"] > 0
    assert figures["fleet_gc_full_max_ms"] > 0  # the workers' collector policy ran
    # A long run says where it is: one line on stderr as each phase starts.
    lines = result.stderr.splitlines()
    phases = [line.split(" ", 3)[3] for line in lines if line.startswith("bench fleet: ")]
    assert phases[:2] == [
        "the baseline: 20 sockets to a bare aiohttp server",
        "the fleet: 20 devices connecting",
    ], result.stderr
    assert "the server stopped for 5 s (SIGSTOP, SIGCONT)" in phases
