"""The dock's Report… button (issue 18): a bug-report zip of the panel in front of the QA engineer
(`panel.report`): the traces of the device and, in the demo, of the server and the other
devices; a screenshot of the panel; the device's settings without its secret; the scenario
recorded last, if any.

The screenshot is taken at once, on the GUI thread; the zip is written in a worker thread (a
long trace takes a moment), as a task of the panel window.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtWidgets import QWidget

from panel.report import ReportParts, build_report, default_report_path
from panel.report.bundle import find_traces
from panel.threads import in_thread

if TYPE_CHECKING:
    from panel.ui.dock.recorder import Recording

DEMO_SERVER = "server"  # the demo's server data, beside its devices' (panel.modes.gui_mode)


def screenshot(widget: QWidget) -> bytes:
    """`widget` as it is on the screen now, as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def data_dir_of(device: Any) -> Path | None:
    found = getattr(getattr(device, "config", None), "data_dir", None)
    return Path(found) if found is not None else None


def traces_of(device: Any, shown: Sequence[Path] = ()) -> list[tuple[str, Path]]:
    """The device's trace; in the demo (its server's data beside the device's), every trace
    of the demo's directory: the server's and the other devices' too. `shown`: the traces the
    dock's Trace tab shows (a `scenario run --panel` dock: the server's, in the runner's own
    folder), each named by its folder ("server", the device's name) and added once."""
    trace = getattr(device, "trace", None)
    if trace is not None:
        trace.flush()  # written by a worker thread: what was emitted so far, on disk now
    found: list[tuple[str, Path]] = []
    data_dir = data_dir_of(device)
    path = getattr(trace, "path", None)
    if data_dir is not None and (data_dir.parent / DEMO_SERVER).is_dir():
        found = find_traces(data_dir.parent)
    elif isinstance(path, Path) and path.is_file():
        found = [("device", path)]
    held = {p.resolve() for _, p in found}
    names = {where for where, _ in found}
    for extra in shown:
        if extra.resolve() in held or not extra.is_file():
            continue
        where = extra.parent.name or "trace"
        if where in names:
            where = next(f"{where}-{n}" for n in itertools.count(2) if f"{where}-{n}" not in names)
        found.append((where, extra))
        held.add(extra.resolve())
        names.add(where)
    return found


def settings_of(device: Any) -> dict[str, Any]:
    """The device's configuration as it runs (its secret withheld by the bundle's redaction,
    and named as a known secret as well)."""
    config = getattr(device, "config", None)
    if config is None or not dataclasses.is_dataclass(config) or isinstance(config, type):
        return {"name": getattr(device, "name", "")}
    shown = dataclasses.asdict(config)
    shown.pop("secret", None)
    return {"device": shown}


def secrets_of(device: Any, recording: Recording | None) -> tuple[str, ...]:
    """What the report must not hold: the device's secret and the recorded users' PINs."""
    found: list[str] = []
    secret = getattr(getattr(device, "config", None), "secret", "")
    if isinstance(secret, str) and secret:
        found.append(secret)
    if recording is not None:
        found += [user.pin for user in recording.scenario.users if user.pin]
    return tuple(found)


def report_path(device: Any) -> Path:
    """Where the dock writes reports: the device's data directory, `reports/`."""
    base = data_dir_of(device)
    if base is None:
        from panel import config

        base = config.data_dir()
    return default_report_path(base / "reports")


async def write_dock_report(
    device: Any,
    panel: QWidget | None,
    recording: Recording | None,
    out: Path | None = None,
    shown: Sequence[Path] = (),
) -> Path:
    """Write the report; returns its path. The screenshot is grabbed before the first await.
    `shown`: the traces the dock shows (they go in beside the device's)."""
    picture = screenshot(panel) if panel is not None and panel.isVisible() else None
    parts = ReportParts(
        traces=traces_of(device, shown),
        settings=settings_of(device),
        screenshot=picture,
        scenario=recording.text() if recording is not None else None,
        secrets=secrets_of(device, recording),
        notes=f"Made in the QA dock of {getattr(device, 'name', 'the panel')} "
        f"at {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}.",
    )
    return await in_thread(build_report, out or report_path(device), parts)
