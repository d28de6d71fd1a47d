"""How to start this program again, from a venv or from a frozen (PyInstaller) bundle.

`sys.executable -m panel` fails in a bundle (the executable is the program itself), so every
child process (the server for `demo`, benchmark workers, fleet workers) is started through here.
"""

from __future__ import annotations

import sys


def program_argv(*args: str) -> list[str]:
    """The command line that runs `mfp-panel ARGS...` in a new process."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "panel", *args]
