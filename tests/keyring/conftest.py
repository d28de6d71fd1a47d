"""Keyring tests talk to a real Secret Service; `scripts/with-secret-service` provides one.

Outside it they are skipped, unless MFP_REQUIRE_SECRET_SERVICE=1 (CI) turns the skip into a failure.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def secret_service():
    import keyring
    from keyring.backends import SecretService

    backend = keyring.get_keyring()
    if not isinstance(backend, SecretService.Keyring):
        message = (
            f"no Secret Service here (keyring backend: {backend!r}); "
            "run under scripts/with-secret-service"
        )
        if os.environ.get("MFP_REQUIRE_SECRET_SERVICE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return backend
