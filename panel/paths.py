"""Where the resources folder is (icons, style sheets, the operator console): inside the
package when installed, else at the repository root. No Qt here: the server serves from it."""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    package = Path(__file__).resolve().parent
    bundled = package / "resources"
    return bundled if bundled.is_dir() else package.parent / "resources"
