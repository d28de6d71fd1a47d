"""`mfp-panel bench engine --json` runs (small figures) and prints its three keys.

Speed itself is not asserted here (shared, noisy machines): the bench reports it."""

from __future__ import annotations

import json
import subprocess

import pytest

from panel.relaunch import program_argv


@pytest.mark.timeout(120)
def test_bench_engine_reports_the_rates_and_the_jam_clear_latency() -> None:
    args = ["bench", "engine", "--pages", "4", "--ppm", "1200", "--ppm-duplex", "600"]
    result = subprocess.run(
        program_argv(*args, "--jams", "2", "--json"),
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    figures = json.loads(line)
    assert (figures["pages"], figures["jams"]) == (4, 2)
    assert figures["ppm_ratio_simplex"] > 0
    assert figures["ppm_ratio_duplex"] > 0
    assert 0 <= figures["jam_clear_to_next_page_ms"] <= figures["jam_clear_to_next_page_max_ms"]


def test_bench_engine_refuses_figures_it_cannot_measure() -> None:
    result = subprocess.run(
        program_argv("bench", "engine", "--pages", "1"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "--pages >= 2" in result.stderr
