"""The benchmarks run and print their figures as JSON with units in the keys.

Speed itself is not asserted here (shared, noisy machines): `mfp-panel bench` reports it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def bench(*args: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "panel", "bench", *args, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    return json.loads(line)


def test_bench_push_reports_latency_percentiles():
    figures = bench("push", "--jobs", "30")
    assert figures["jobs"] == 30
    assert 0 < figures["push_p50_ms"] <= figures["push_p99_ms"] <= figures["push_max_ms"]


@pytest.mark.timeout(120)
def test_bench_startup_reports_a_ratio_against_a_bare_window():
    figures = bench("startup", "--runs", "1")
    assert figures["startup_median_ms"] > 0
    assert figures["startup_baseline_median_ms"] > 0
    expected = figures["startup_median_ms"] / figures["startup_baseline_median_ms"]
    assert figures["startup_ratio"] == pytest.approx(expected, abs=0.01)


def test_bench_wake_reports_the_proxy_wake_latency():
    figures = bench("wake", "--runs", "3")
    assert figures["runs"] == 3
    assert 0 < figures["wake_proxy_median_ms"] <= figures["wake_proxy_max_ms"]
    assert 0 < figures["wake_panel_median_ms"] <= figures["wake_panel_max_ms"]


@pytest.mark.timeout(120)
def test_bench_failover_reports_each_failure_and_the_dead_link():
    figures = bench("failover", "--runs", "1")
    for kind in ("refused", "reset", "blackhole"):
        assert 0 < figures[f"failover_{kind}_median_ms"] <= figures[f"failover_{kind}_max_ms"]
    assert figures["dead_link_detect_median_ms"] > 0


@pytest.mark.timeout(120)
def test_bench_remote_reports_frame_rates_and_tap_latency():
    figures = bench("remote", "--seconds", "2")
    assert figures["loopback_fps"] > 0
    assert figures["link_256kbit_fps"] > 0
    assert 0 < figures["tap_to_frame_median_ms"] <= figures["tap_to_frame_max_ms"]
