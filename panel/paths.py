"""Where the resources folder is (icons, style sheets, the operator console), the one place that
knows: inside the package when installed or frozen (PyInstaller puts it at panel/resources), at
the repository root in a checkout, and extracted to a cache folder when the package is imported
from a zip (a zipapp). No Qt here: the server serves from it."""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import os
import shutil
import sys
import tempfile
from importlib.resources.abc import Traversable
from pathlib import Path

from panel import __version__


@functools.cache
def resources_dir() -> Path:
    """A real directory: every reader opens files by path (Qt style sheets, the console)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and frozen:
        return Path(frozen) / "panel" / "resources"
    package = importlib.resources.files("panel")
    if isinstance(package, Path):
        bundled = package / "resources"
        return bundled if bundled.is_dir() else package.parent / "resources"
    return _extracted(package / "resources")


def _extracted(tree: Traversable) -> Path:
    """The resources inside a zip, copied once to a folder named after their content."""
    files = dict(_walk(tree, ""))
    digest = hashlib.sha256(__version__.encode())
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name])
    target = _cache_root() / f"resources-{digest.hexdigest()[:16]}"
    if not target.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="resources-", dir=target.parent))
        for name, body in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(body)
        try:
            staging.rename(target)  # atomic: a second process finds it whole or not at all
        except OSError:  # another process got there first
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _walk(tree: Traversable, prefix: str) -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    for entry in tree.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            found += _walk(entry, f"{name}/")
        else:
            found.append((name, entry.read_bytes()))
    return found


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mfp-panel"
