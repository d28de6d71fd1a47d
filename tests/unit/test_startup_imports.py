"""`mfp-panel run` paints its login screen before it imports what the login screen does not
need (README, Benchmarks: start-up ratio <= 2.5). aiohttp alone costs about a quarter of a
second of start-up; the wire protocol's message classes, the print engine and the Settings
pages cost about a fifth of the instructions to the first paint together (they came back
through panel.device.attention and panel.ui.settings once, unnoticed: ratio 2.94 in CI)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

# Loaded after the first paint: the core loads them (`mfp-panel run` paints over a
# BootingDevice) or the screen that needs them does, when it is first opened. A package is
# named as well as its heavy modules: any first import of one of its modules imports it.
DEFERRED = (
    # The wire protocol: a dataclass per message, built at import (the Attention LED's rule
    # needs only the maintenance call's code limit, read when a call is made).
    "panel.protocol",
    "panel.protocol.codec",
    "panel.protocol.messages",
    "panel.protocol.apps",
    "panel.protocol.maintenance",
    # The print engine: a booting device has none; the Attention LED reads its printer state.
    "panel.device.engine",
    "panel.device.engine.status",
    "panel.device.engine.printer",
    "panel.device.engine.faults",
    # The Settings screens: only their controller applies the saved settings at start.
    "panel.ui.settings.entry",
    "panel.ui.settings.info",
    "panel.ui.settings.pages",
    "panel.ui.settings.parts",
    "panel.ui.settings.screen",
    # The device core itself.
    "panel.device.device",
)

SCRIPT = textwrap.dedent(
    """
    import sys

    WATCHED = {watched!r}

    def seen(event, args):
        if event == "import" and args[0] in WATCHED:
            print("IMPORTED", args[0], flush=True)

    sys.addaudithook(seen)
    from panel.relaunch import main
    sys.argv = ["mfp-panel", "run", "--server", "http://127.0.0.1:9", "--ephemeral",
                "--exit-after-paint"]
    main()
    """
)


def imported_before_paint(tmp_path: Path, watched: set[str]) -> list[str]:
    """The modules of `watched` that `mfp-panel run` imports before it prints PAINTED."""
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
        [sys.executable, "-c", SCRIPT.format(watched=sorted(watched))],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    lines = [line.split() for line in result.stdout.splitlines() if line.strip()]
    words = [line[0] for line in lines]
    assert "PAINTED" in words, result.stderr[-2000:]
    before_paint = lines[: words.index("PAINTED")]
    return [line[1] for line in before_paint if line[0] == "IMPORTED"]


def test_the_panel_paints_before_aiohttp_is_imported(tmp_path: Path) -> None:
    assert imported_before_paint(tmp_path, {"aiohttp"}) == [], (
        "aiohttp was imported before the panel painted"
    )


def test_the_panel_paints_before_the_protocol_the_engine_and_settings_pages(
    tmp_path: Path,
) -> None:
    early = imported_before_paint(tmp_path, set(DEFERRED))
    assert early == [], f"imported before the panel painted: {', '.join(early)}"
