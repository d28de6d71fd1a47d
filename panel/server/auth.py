"""Who is calling: a device (bearer token), a user or admin (HTTP Basic with ID and PIN), or the
local administrator on the server's Unix socket (file permissions are the credential, as with
Docker's socket).
"""

from __future__ import annotations

import base64
import binascii
import socket
from dataclasses import dataclass

from aiohttp import web

from panel.server.errors import ApiError
from panel.server.store import ServerStore


@dataclass(frozen=True, slots=True)
class Principal:
    kind: str  # "device" | "user" | "admin"
    ident: str

    @property
    def is_admin(self) -> bool:
        return self.kind == "admin"


def _is_unix(request: web.Request) -> bool:
    sock = request.transport.get_extra_info("socket") if request.transport else None
    return sock is not None and sock.family == socket.AF_UNIX


def authenticate(request: web.Request, store: ServerStore) -> Principal:
    if _is_unix(request):
        return Principal("admin", "local")
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme == "Bearer":
        device_id, _, secret = value.partition(".")
        if device_id and secret and store.check_device(device_id, secret):
            return Principal("device", device_id)
        raise ApiError(401, "unauthorized", "Unknown device or wrong device secret.")
    if scheme == "Basic":
        try:
            user_id, _, pin = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise ApiError(401, "unauthorized", "Malformed Basic credentials.") from None
        user = store.check_user(user_id, pin)
        if user is None:
            raise ApiError(401, "unauthorized", "Wrong user ID or PIN.")
        return Principal("admin" if user.role == "admin" else "user", user.user_id)
    raise ApiError(401, "unauthorized", "Authentication required (device token or user ID/PIN).")


def require(principal: Principal, *kinds: str) -> None:
    if principal.kind not in kinds:
        raise ApiError(403, "forbidden", f"This needs a {' or '.join(kinds)} credential.")
