"""`mfp-panel bench qr --json` runs and prints the issue's four keys (S7).

Speed is reported, not asserted (shared, noisy machines), except loosely: the goals are 50 ms
a decode and 3 s QR -> projected; ten times those would be a broken path, not a slow machine."""

from __future__ import annotations

import json
import subprocess

import pytest

from panel.relaunch import program_argv


@pytest.mark.timeout(180)
def test_bench_qr_reports_decode_time_success_rate_and_qr_to_projected() -> None:
    result = subprocess.run(
        program_argv("bench", "qr", "--runs", "3", "--json"),
        capture_output=True,
        text=True,
        timeout=170,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    figures = json.loads(line)
    for key in (
        "decode_median_ms",
        "decode_success_pct",
        "qr_to_projected_median_ms",
        "qr_to_projected_max_ms",
    ):
        assert key in figures
    assert 0 < figures["decode_median_ms"] < 500
    assert 50 <= figures["decode_success_pct"] < 100  # the set holds frames too bad to read
    assert figures["jpeg_bytes"] >= 5 * 1024 * 1024
    assert 0 < figures["qr_to_projected_median_ms"] <= figures["qr_to_projected_max_ms"] < 30_000
