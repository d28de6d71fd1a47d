"""`demo` keeps its data directory on exit when its dock wrote a recording or a bug report (else
only with --keep), so that `mfp-panel report --data-dir` finds its traces afterwards."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from panel.modes.gui_mode import leave_demo_data
from panel.report.bundle import report_from_data_dir


def demo_dir(tmp_path: Path) -> Path:
    root = tmp_path / "mfp-panel-demo-x"
    for where in ("server", "device"):
        (root / where).mkdir(parents=True)
        (root / where / "trace.jsonl").write_text('{"ts": 1, "concern": "c", "event": "e"}\n')
    return root


def test_the_demo_data_goes_with_the_demo_when_nothing_was_asked(tmp_path: Path) -> None:
    root = demo_dir(tmp_path)
    leave_demo_data(root, keep=False, written=[])
    assert not root.exists()


def test_a_report_asked_for_in_the_dock_keeps_the_traces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = demo_dir(tmp_path)
    report = root / "device" / "reports" / "mfp-panel-report-1.zip"
    leave_demo_data(root, keep=False, written=[report])
    assert (root / "device" / "trace.jsonl").is_file()
    said = capsys.readouterr().out
    assert str(root) in said
    assert str(report) in said
    # ... and a report of them can be written afterwards from the command line.
    with zipfile.ZipFile(report_from_data_dir(root, tmp_path / "later.zip")) as bundle:
        names = set(bundle.namelist())
    assert {"traces/server/trace.jsonl", "traces/device/trace.jsonl"} <= names


def test_keep_keeps_it(tmp_path: Path) -> None:
    root = demo_dir(tmp_path)
    leave_demo_data(root, keep=True, written=[])
    assert root.is_dir()
