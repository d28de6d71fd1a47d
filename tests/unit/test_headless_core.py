"""The device core, protocol and server run without Qt: proven in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys, tempfile
    from pathlib import Path
    from support import ALICE, device_config, running_server, submit, wait_event
    from panel.device import Device, EventKind, JobState
    import panel.cli, panel.modes.server_mode, panel.bench

    async def main():
        root = Path(tempfile.mkdtemp())
        server = await running_server(root)
        device = Device(device_config(server, root / "device"))
        done = wait_event(device, EventKind.JOB_STATE_CHANGED,
                          lambda e: e.subject.state is JobState.COMPLETED)
        await device.start()
        await submit(server, ALICE, device_id=device.device_id)
        await done
        await device.stop()
        await server.stop()

    asyncio.run(main())
    qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "qasync"))
    print("QT-MODULES:", qt)
    """
)


def test_core_and_server_never_import_qt(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={
            "PYTHONPATH": str(__import__("pathlib").Path(__file__).parents[1]),
            "PATH": "/usr/bin:/bin",
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "QT-MODULES: []" in result.stdout
