"""`mfp-panel report`: a bug-report zip from what a demo or a device left in its data directory
(headless: no panel is showing, so no screenshot)."""

from __future__ import annotations

import sys
from pathlib import Path

from panel.report.bundle import (
    default_report_path,
    find_traces,
    report_from_data_dir,
    saved_settings,
)


def report_command(out: Path | None, data_dir: Path | None) -> int:
    from panel import config

    folder = data_dir or config.data_dir()
    if not folder.is_dir():
        print(f"mfp-panel: no data directory {folder} (pass --data-dir DIR)", file=sys.stderr)
        return 2
    if not find_traces(folder):
        print(f"mfp-panel: note: no trace.jsonl under {folder}", file=sys.stderr)
    target = out or default_report_path(Path.cwd())
    try:
        written = report_from_data_dir(folder, target, {"saved": saved_settings()})
    except OSError as exc:
        print(f"mfp-panel: cannot write the report {target}: {exc}", file=sys.stderr)
        return 1
    print(f"bug report written: {written}")
    return 0
