"""How to start this program again, from a venv or from a frozen (PyInstaller) bundle.

`sys.executable -m panel` fails in a bundle (the executable is the program itself), and so does
running a .py file by path, so every child process (the server for benchmarks, benchmark
workers and their bare-window baseline, fleet workers) is started through here.
"""

from __future__ import annotations

import sys

# The hidden subcommand that runs `bench startup`'s baseline: a bare Qt window.
STARTUP_BASELINE = "_startup-baseline"


def program_argv(*args: str) -> list[str]:
    """The command line that runs `mfp-panel ARGS...` in a new process."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "panel", *args]


def main() -> int:
    """`python -m panel` and the frozen program start here. The baseline runs before the CLI is
    imported: argparse, asyncio and the config cost ~80 ms that a bare window does not pay."""
    if sys.argv[1:2] == [STARTUP_BASELINE]:
        from panel.bench.startup_baseline import main as baseline

        return baseline()
    from panel.cli import main as cli

    return cli()
