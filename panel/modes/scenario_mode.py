"""`mfp-panel scenario run FILE...`: scenario files replayed (issue 18), headless on the virtual
clock unless `--panel` (the panel and the QA dock, in real time) or `--speed N` (a real clock N
times faster, with the panel). Exit code 0: all passed; 1: a scenario failed; 2: a file could
not be read (its error as path:line:column: message) or a bad option.

Qt is imported only when a scenario needs the panel (a tap, a key, a screen) or it is shown."""

from __future__ import annotations

import sys
from pathlib import Path

from panel.cli_text import translate
from panel.scenario.runner import EXIT_BAD_FILE, RunOptions, run_files


def run_command(
    files: list[Path], panel: bool, speed: float | None, junit: Path | None, keep: Path | None
) -> int:
    if (panel or speed is not None) and not _display_ok():
        return EXIT_BAD_FILE
    options = RunOptions(panel=panel, speed=speed, junit=junit, keep=keep)
    return run_files(files, options)


def _display_ok() -> bool:
    """A panel to be seen needs a display (the demo's check, its message)."""
    from panel.modes.gui_mode import _display_available

    ok = _display_available()
    if not ok:
        message = translate("Cli", "scenario run --panel/--speed shows the panel")
        print(f"mfp-panel: {message}", file=sys.stderr)
    return ok
