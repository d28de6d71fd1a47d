"""Signed delegations (S5): the server's word that a sleeping device's session may be kept by a
named peer until a time. HMAC-SHA256 with a key only the server holds, so a proxy can carry a
delegation but never make or alter one.

A token is `v1.<payload>.<signature>`, both base64url: the payload is the JSON of
`DelegationClaims`. Verifying a token checks only the signature and the shape; expiry and
revocation are the session store's business (`sessions.py`), since they change after signing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass

from panel.server.http import ApiError

_VERSION = "v1"
MAX_TOKEN = 2048


@dataclass(frozen=True, slots=True)
class DelegationClaims:
    delegation_id: str
    device_id: str
    proxy_id: str
    issued_at: float
    expires_at: float


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class DelegationSigner:
    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("a delegation key has at least 256 bits")
        self._key = key

    def _mac(self, signed: str) -> bytes:
        return hmac.new(self._key, signed.encode(), hashlib.sha256).digest()

    def sign(self, claims: DelegationClaims) -> str:
        payload = _b64(json.dumps(asdict(claims), separators=(",", ":")).encode())
        signed = f"{_VERSION}.{payload}"
        return f"{signed}.{_b64(self._mac(signed))}"

    def verify(self, token: str) -> DelegationClaims:
        """The claims of a token this server signed; 400 for what is no token at all, 403
        `delegation_forged` for one whose signature does not verify."""
        parts = token.split(".")
        if len(token) > MAX_TOKEN or len(parts) != 3 or parts[0] != _VERSION:
            raise ApiError(400, "bad_delegation", "That is not a delegation token.")
        try:
            signature = _unb64(parts[2])
        except (binascii.Error, ValueError):
            raise ApiError(400, "bad_delegation", "That is not a delegation token.") from None
        if not hmac.compare_digest(signature, self._mac(f"{parts[0]}.{parts[1]}")):
            raise ApiError(
                403,
                "delegation_forged",
                "The delegation's signature does not verify: this server did not issue it.",
            )
        try:
            data = json.loads(_unb64(parts[1]))
            return DelegationClaims(
                str(data["delegation_id"]),
                str(data["device_id"]),
                str(data["proxy_id"]),
                float(data["issued_at"]),
                float(data["expires_at"]),
            )
        except (ValueError, KeyError, TypeError, binascii.Error):
            # Signed by us yet unreadable: only a bug makes that; refuse it all the same.
            raise ApiError(
                400, "bad_delegation", "The delegation's content is unreadable."
            ) from None
