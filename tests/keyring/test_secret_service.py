"""The device secret lives in the OS keyring (a real Secret Service here), never in a file."""

from __future__ import annotations

import pytest

from panel import config
from panel.modes.identity import device_identity
from panel.secrets import delete_device_secret, load_device_secret, save_device_secret
from panel.server.app import start_server

pytestmark = pytest.mark.secret_service


def test_secret_round_trip(secret_service):
    url = "http://127.0.0.1:1"
    save_device_secret(url, "dev-test", "s3cret-value")
    assert load_device_secret(url, "dev-test") == "s3cret-value"
    assert (
        secret_service.get_password("mfp-panel", "device:dev-test@http://127.0.0.1:1")
        == "s3cret-value"
    )
    delete_device_secret(url, "dev-test")
    assert load_device_secret(url, "dev-test") is None


async def test_registration_keeps_the_secret_in_the_keyring_only(
    secret_service, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    (tmp_path / "run").mkdir(mode=0o700)
    # registration goes over the admin socket in the runtime dir, as `mfp-panel run` does it
    server = await start_server(tmp_path / "server", admin_socket_dir=config.runtime_dir())
    try:
        settings = config.DeviceSettings.load("Keyring MFP")
        device_id, secret = await device_identity(settings, server.url, None, ephemeral=False)
        assert server.store.check_device(device_id, secret)
        assert load_device_secret(server.url, device_id) == secret
        files = [p for p in tmp_path.rglob("*") if p.is_file()]
        assert files, "settings were written"
        assert all(secret.encode() not in p.read_bytes() for p in files)
        # the next start finds the same identity without registering again
        again = config.DeviceSettings.load("Keyring MFP")
        assert (await device_identity(again, server.url, None, ephemeral=False)) == (
            device_id,
            secret,
        )
    finally:
        await server.stop()
        delete_device_secret(server.url, device_id)
