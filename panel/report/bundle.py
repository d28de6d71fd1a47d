"""The bug-report zip: what a developer needs to see a field issue and replay it.

Members (README.txt inside says the same to whoever opens it):
- `README.txt`: what each file is and how to replay the scenario;
- `versions.json`: mfp-panel, Python, Qt / PySide6, aiohttp, the OS;
- `settings.json`: the device's and the program's settings without a secret (no keyring is
  read: secrets live there and stay there);
- `traces/<where>/trace.jsonl`: the device and server traces, secret fields withheld;
- `screenshot.png`: the panel as it was (from the dock; none from the command line);
- `scenario.toml`: what was recorded in the dock, PINs swapped for stand-ins that replay.
"""

from __future__ import annotations

import importlib.metadata
import json
import platform
import sys
import time
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from panel import __version__
from panel.report.redact import (
    redact_settings,
    redact_trace_line,
    scrub_text,
    stand_in_pins,
)

TRACE_NAME: Final = "trace.jsonl"
SCENARIO_MEMBER: Final = "scenario.toml"
SCREENSHOT_MEMBER: Final = "screenshot.png"
MAX_TRACE_DEPTH: Final = 4  # data dir / devices / <name> / trace.jsonl


@dataclass
class ReportParts:
    """What goes into a report. `secrets`: values known to be secret (the device's secret, the
    PINs of the users of a recorded scenario): removed wherever they would appear."""

    traces: Sequence[tuple[str, Path]] = ()  # (where: "device", "server", ...; the file)
    settings: Mapping[str, Any] = field(default_factory=dict)
    screenshot: bytes | None = None  # PNG
    scenario: str | None = None  # TOML, as the recorder wrote it
    secrets: Sequence[str] = ()
    notes: str = ""  # a line or two for the README (where the report was made)


def find_traces(data_dir: Path) -> list[tuple[str, Path]]:
    """Every trace under `data_dir` (a demo's directory, the program's data directory), named
    by the folder it is in: "server", "device", "devices/MFP"."""
    found: list[tuple[str, Path]] = []
    for path in sorted(data_dir.rglob(TRACE_NAME)):
        relative = path.relative_to(data_dir)
        if len(relative.parts) > MAX_TRACE_DEPTH or not path.is_file():
            continue
        where = relative.parent.as_posix()
        found.append((where if where != "." else "data", path))
    return found


def newest_scenario(data_dir: Path) -> Path | None:
    """The newest scenario the dock recorded under `data_dir` (`*/scenarios/recorded-*.toml`)."""
    recorded = [p for p in data_dir.rglob("recorded-*.toml") if p.parent.name == "scenarios"]
    return max(recorded, key=lambda p: p.stat().st_mtime, default=None)


def versions() -> dict[str, str]:
    """The versions a developer asks for first. Qt's own version only when Qt is loaded (the
    command line never loads it)."""
    found = {
        "mfp-panel": __version__,
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "os": platform.platform(),
        "machine": platform.machine(),
    }
    for package in ("PySide6-Essentials", "PySide6", "aiohttp", "qasync"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            continue
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is not None:
        found["qt"] = str(qtcore.qVersion())
    found["frozen"] = "yes" if getattr(sys, "frozen", False) else "no"
    return found


def default_report_path(folder: Path, when: float | None = None) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if when is None else when))
    return folder / f"mfp-panel-report-{stamp}.zip"


def build_report(out: Path, parts: ReportParts) -> Path:
    """Write the zip to `out` (its folder made if needed; written aside, then moved in place).
    The scenario's PINs are read first: a caller who knows none (`mfp-panel report`) still has
    them removed from the traces and the settings."""
    secrets = tuple(s for s in parts.secrets if s)
    scenario: str | None = None
    if parts.scenario is not None:
        scenario, swapped = stand_in_pins(parts.scenario, secrets)
        secrets += tuple(pin for pin in swapped if pin and pin not in secrets)
    members: list[str] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        info = json.dumps(versions(), indent=2, ensure_ascii=False) + "\n"
        bundle.writestr("versions.json", info)
        members.append("versions.json")
        settings = redact_settings(dict(parts.settings), secrets)
        text = json.dumps(settings, indent=2, ensure_ascii=False, default=str)
        bundle.writestr("settings.json", text + "\n")
        members.append("settings.json")
        for where, path in parts.traces:
            name = f"traces/{where}/{TRACE_NAME}"
            bundle.writestr(name, _trace_text(path, secrets))
            members.append(name)
        if parts.screenshot is not None:
            bundle.writestr(SCREENSHOT_MEMBER, parts.screenshot)
            members.append(SCREENSHOT_MEMBER)
        if scenario is not None:
            bundle.writestr(SCENARIO_MEMBER, scrub_text(scenario, secrets))
            members.append(SCENARIO_MEMBER)
        bundle.writestr("README.txt", readme(members, parts.notes))
    partial.replace(out)
    return out


def _trace_text(path: Path, secrets: Iterable[str]) -> str:
    """A trace file's lines, each scrubbed (read whole: a trace is what a session wrote)."""
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return json.dumps({"concern": "report", "event": "unreadable", "error": str(exc)}) + "\n"
    known = tuple(secrets)
    return "".join(redact_trace_line(line, known) + "\n" for line in raw.splitlines() if line)


_DESCRIPTIONS: Final = {
    "README.txt": "this file",
    "versions.json": "mfp-panel, Python, Qt / PySide6, aiohttp and the operating system",
    "settings.json": "the device's settings and the program's saved settings; every secret, "
    "PIN, token and password withheld ('<redacted>')",
    SCREENSHOT_MEMBER: "the panel as it was when the report was made",
    SCENARIO_MEMBER: "what was recorded in the QA dock, as a scenario file (the users' PINs "
    "are stand-ins: the replay creates the users with them)",
}


def readme(members: Sequence[str], notes: str = "") -> str:
    made = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    lines = [f"mfp-panel bug report, made {made} by mfp-panel {__version__}.", ""]
    if notes:
        lines += [notes, ""]
    lines.append("Files:")
    for member in ["README.txt", *members]:
        if member.startswith("traces/"):
            where = member.removeprefix("traces/").removesuffix(f"/{TRACE_NAME}")
            what = (
                f"the trace of '{where}': one JSON object a line (ts, concern, event, fields) "
                "for every state change and exchange"
            )
        else:
            what = _DESCRIPTIONS.get(member, "")
        lines.append(f"  {member}: {what}")
    lines.append("")
    if SCENARIO_MEMBER in members:
        lines += [
            "Replay the recorded scenario (headless, on a virtual clock; add --panel to watch):",
            f"  mfp-panel scenario run {SCENARIO_MEMBER}",
            "Its steps marked 'draft' are what the panel showed while recording: check them.",
        ]
    else:
        lines += [
            "No scenario was recorded. To make one: Record in the QA dock (mfp-panel demo),",
            "reproduce the issue, Stop; then `mfp-panel scenario run FILE.toml` replays it.",
        ]
    lines += [
        "",
        "Read the traces side by side: sort the lines of both files by their 'ts' field",
        "(or open them in the QA dock's trace viewer).",
        "",
    ]
    return "\n".join(lines)


def saved_settings() -> dict[str, Any]:
    """The settings `mfp-panel run` saved (plain JSON in the config dir; the keyring is not
    read)."""
    from panel import config

    folder = config.config_dir() / "devices"
    devices: dict[str, Any] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            devices[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            devices[path.stem] = f"unreadable: {exc}"
    return {"config_dir": str(config.config_dir()), "devices": devices}


def device_settings(data_dir: Path) -> dict[str, Any]:
    """The settings of each device that left a trace under `data_dir` (a demo's devices too,
    whose configuration is in no file): its name, server and id as its trace's last start
    line says, and the panel's Settings saved for that name in the config dir, if any."""
    from panel import config

    found: dict[str, Any] = {}
    for where, path in find_traces(data_dir):
        start = _last_start(path)
        if start is None:  # the server's trace, or a device that never started
            continue
        name = str(start.get("name", ""))
        shown: dict[str, Any] = {
            "name": name,
            "server_url": str(start.get("server", "")),
            "device_id": str(start.get("device", "")),
            "data_dir": str(path.parent),
        }
        saved = config.DeviceSettings.path(name) if name else None
        if saved is not None and saved.is_file():
            try:
                shown["panel"] = json.loads(saved.read_text(encoding="utf-8")).get("panel", {})
            except (OSError, ValueError, AttributeError) as exc:
                shown["panel"] = f"unreadable: {exc}"
        found[where] = shown
    return found


def _last_start(trace: Path) -> dict[str, Any] | None:
    """The last `device start` line of a trace (the device as it ran last), if any."""
    try:
        lines = trace.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        if '"start"' not in line:
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and (entry.get("concern"), entry.get("event")) == (
            "device",
            "start",
        ):
            return entry
    return None


def report_from_data_dir(
    data_dir: Path, out: Path, settings: Mapping[str, Any] | None = None
) -> Path:
    """`mfp-panel report`: a report of what a demo or a device left in `data_dir` (no
    screenshot: no panel is showing)."""
    scenario_path = newest_scenario(data_dir)
    scenario = scenario_path.read_text(encoding="utf-8") if scenario_path else None
    parts = ReportParts(
        traces=find_traces(data_dir),
        settings={"devices": device_settings(data_dir), **(settings or {})},
        scenario=scenario,
        notes=f"Made by `mfp-panel report` from {data_dir}.",
    )
    return build_report(out, parts)
