"""Who this device is: its id from its settings and its secret from the keyring, or a fresh
registration with the server the first time (every time, when ephemeral).

Keyring calls block (D-Bus round trips, a possible unlock prompt), so they run in a thread.
"""

from __future__ import annotations

from panel import config
from panel.modes.admin_client import register
from panel.secrets import load_device_secret, save_device_secret
from panel.threads import in_thread


async def device_identity(
    settings: config.DeviceSettings, url: str, admin: str | None, ephemeral: bool
) -> tuple[str, str]:
    """The device's id and secret. Raises AdminError or SecretStoreUnavailable."""
    if ephemeral:
        return await register(url, settings.name, admin)
    if settings.device_id and settings.server_url == url:
        stored = await in_thread(load_device_secret, url, settings.device_id)
        if stored is not None:
            return settings.device_id, stored
    else:
        # No keyring -> say so before registering a device whose secret could not be kept.
        await in_thread(load_device_secret, url, "probe")
    device_id, secret = await register(url, settings.name, admin)
    await in_thread(save_device_secret, url, device_id, secret)
    settings.device_id, settings.server_url = device_id, url
    settings.save()
    return device_id, secret
