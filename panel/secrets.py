"""The device secret in the OS keyring, and an honest error when there is no usable keyring.

A headless machine often has only keyring's `fail.Keyring`: we say so and offer the ways on,
and never fall back to writing the secret into a plain file.
"""

from __future__ import annotations

from types import ModuleType

SERVICE = "mfp-panel"

WAYS_ON = """\
mfp-panel keeps device secrets only in the OS keyring and found none it can use ({detail}).
Ways on:
  1. On a desktop, install and unlock a Secret Service, e.g. `sudo apt install gnome-keyring`
     (KWallet and the macOS/Windows keychains work as they are).
  2. Choose another keyring backend with PYTHON_KEYRING_BACKEND, for example
     `pip install keyrings.alt` then PYTHON_KEYRING_BACKEND=keyrings.alt.file.EncryptedKeyring
     (an encrypted file that asks for a password).
  3. Run with --ephemeral: the device identity is kept in memory only and registered anew
     at each start (what `mfp-panel demo` does)."""


class SecretStoreUnavailable(RuntimeError):
    """No usable keyring; the message says what to do about it."""


def _keyring() -> ModuleType:
    """Import keyring lazily: its backend discovery costs start-up time on every run otherwise."""
    import keyring
    import keyring.errors

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if "fail" in name.split(".") or getattr(backend, "priority", 1) <= 0:
        raise SecretStoreUnavailable(WAYS_ON.format(detail=f"the backend is {name}"))
    return keyring


def _key(server_url: str, device_id: str) -> str:
    return f"device:{device_id}@{server_url}"


def save_device_secret(server_url: str, device_id: str, secret: str) -> None:
    keyring = _keyring()
    try:
        keyring.set_password(SERVICE, _key(server_url, device_id), secret)
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(WAYS_ON.format(detail=f"{type(exc).__name__}: {exc}")) from exc


def load_device_secret(server_url: str, device_id: str) -> str | None:
    keyring = _keyring()
    try:
        value = keyring.get_password(SERVICE, _key(server_url, device_id))
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(WAYS_ON.format(detail=f"{type(exc).__name__}: {exc}")) from exc
    return str(value) if value is not None else None


def delete_device_secret(server_url: str, device_id: str) -> None:
    keyring = _keyring()
    try:
        keyring.delete_password(SERVICE, _key(server_url, device_id))
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(WAYS_ON.format(detail=f"{type(exc).__name__}: {exc}")) from exc
