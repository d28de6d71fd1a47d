"""`mfp-panel bench files --json` runs (a small file) and prints its three keys.

Speed itself is not asserted here (shared, noisy machines): the bench reports it; the
server's memory growth is, loosely: a relay that held the file would grow by its size."""

from __future__ import annotations

import json
import subprocess

import pytest

from panel.relaunch import program_argv


@pytest.mark.timeout(180)
def test_bench_files_reports_throughput_first_byte_and_server_memory() -> None:
    result = subprocess.run(
        program_argv("bench", "files", "--size-mb", "40", "--json"),
        capture_output=True,
        text=True,
        timeout=170,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    figures = json.loads(line)
    assert figures["file_mb"] == 40
    assert figures["relay_mb_per_s"] > 0
    assert figures["first_byte_ms"] > 0
    assert figures["server_rss_growth_mb"] < 32  # 40 MB went through it


def test_bench_files_refuses_a_size_it_cannot_measure() -> None:
    result = subprocess.run(
        program_argv("bench", "files", "--size-mb", "0"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "--size-mb" in result.stderr
