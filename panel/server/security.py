"""Secrets at rest: PINs as salted scrypt hashes, device secrets as SHA-256 of 256 random bits.

A PIN is short and guessable, so it gets a slow hash (`panel.pinhash`, shared with the device's
offline-login cache); a device secret is long and random, so a fast hash is enough and keeps
every authenticated request cheap.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

from panel.pinhash import check_pin, hash_pin

__all__ = ["check_pin", "check_secret", "hash_pin", "hash_secret", "new_secret", "pin_matches"]


@functools.cache
def _no_user_hash() -> str:
    """What a PIN typed for an unknown user ID is checked against: one hash, made once."""
    return hash_pin(secrets.token_urlsafe(16))


def pin_matches(pin: str, stored: str | None) -> bool:
    """Check `pin` against a user's stored hash; with no user (None) it is checked against a
    dummy hash and refused, so an unknown ID costs what a known one does. Slow on purpose
    (scrypt, ~50 ms of CPU): the server runs it in a worker thread."""
    if stored is None:
        check_pin(pin, _no_user_hash())
        return False
    return check_pin(pin, stored)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_secret(secret: str, stored: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored)
