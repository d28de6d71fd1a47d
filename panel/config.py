"""Where things live (platformdirs) and the few settings a user keeps between runs.

Settings are plain JSON in the config dir; secrets never are (see panel/secrets.py).
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

APP = "mfp-panel"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP))


def runtime_dir() -> Path:
    """A private (0700) directory for this user's sockets; a temp fallback when XDG has none.

    The admin socket lives here, so a directory someone else made (or a symlink planted in
    /tmp) is refused rather than trusted.
    """
    base = os.environ.get("XDG_RUNTIME_DIR")
    path = (
        Path(base) / APP
        if base and Path(base).is_dir()
        else Path(tempfile.gettempdir()) / f"{APP}-{os.getuid()}"
    )
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise SystemExit(
            f"mfp-panel: refusing to use {path}: it must be a directory owned by you with "
            "mode 0700 (remove it, or set XDG_RUNTIME_DIR)"
        )
    return path


def server_socket(port: int) -> Path:
    """The local administrator's socket of the server listening on `port` (see start_server)."""
    return runtime_dir() / f"server-{port}.sock"


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "device"


@dataclass
class DeviceSettings:
    """What `mfp-panel run` remembers about one device (its secret lives in the keyring)."""

    name: str
    server_url: str = ""
    device_id: str = ""
    # The panel's Settings (panel.device.settings.PanelSettings.to_json): never a secret.
    panel: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def path(name: str) -> Path:
        return config_dir() / "devices" / f"{slug(name)}.json"

    @classmethod
    def load(cls, name: str) -> DeviceSettings:
        path = cls.path(name)
        if not path.exists():
            return cls(name=name)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SystemExit(f"mfp-panel: cannot read settings {path}: {exc}") from None
        if not isinstance(data, dict):
            raise SystemExit(f"mfp-panel: settings {path} must hold a JSON object")
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def save(self) -> None:
        path = self.path(self.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        tmp.replace(path)

    def device_data_dir(self) -> Path:
        return data_dir() / "devices" / slug(self.name)


def parse_screen(text: str) -> tuple[int, int]:
    """'1024x600' -> (1024, 600); only the panel resolutions real devices use."""
    allowed = {"1024x600": (1024, 600), "800x480": (800, 480), "1280x800": (1280, 800)}
    if text not in allowed:
        raise ValueError(f"screen must be one of {', '.join(allowed)}")
    return allowed[text]
