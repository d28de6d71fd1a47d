"""`mfp-panel run` paints its login screen before it imports the network stack: aiohttp alone
costs about a quarter of a second of start-up (README, Benchmarks: start-up ratio <= 2.5)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import sys

    def seen(event, args):
        if event == "import" and args[0] == "aiohttp":
            print("IMPORTED aiohttp", flush=True)

    sys.addaudithook(seen)
    from panel.relaunch import main
    sys.argv = ["mfp-panel", "run", "--server", "http://127.0.0.1:9", "--ephemeral",
                "--exit-after-paint"]
    main()
    """
)


def test_the_panel_paints_before_aiohttp_is_imported(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(run),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    lines = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert "PAINTED" in lines, result.stderr[-2000:]
    before_paint = lines[: lines.index("PAINTED")]
    assert "IMPORTED" not in before_paint, "aiohttp was imported before the panel painted"
