"""Who this device is: its id and data dir from its settings, its secret from the keyring, or a
fresh registration with the server the first time (or every time, when ephemeral).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from panel import config
from panel.modes.server_mode import register
from panel.secrets import load_device_secret, save_device_secret


async def device_identity(
    settings: config.DeviceSettings, url: str, admin: str | None, ephemeral: bool
) -> tuple[str, str, Path]:
    """The device's id, secret and data dir: from settings + keyring, or a fresh registration."""
    if ephemeral:
        device_id, secret = await register(url, settings.name, admin)
        return device_id, secret, Path(tempfile.mkdtemp(prefix="mfp-panel-device-"))
    stored = None
    if settings.device_id and settings.server_url == url:
        stored = load_device_secret(url, settings.device_id)
    else:
        load_device_secret(url, "probe")  # no keyring -> say so before registering anything
    if stored is not None:
        return settings.device_id, stored, settings.device_data_dir()
    device_id, secret = await register(url, settings.name, admin)
    save_device_secret(url, device_id, secret)
    settings.device_id, settings.server_url = device_id, url
    settings.save()
    return device_id, secret, settings.device_data_dir()
