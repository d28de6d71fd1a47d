"""The QR payload a phone shows and the device's camera reads (S7): a compact versioned URI.

    mfpqr:1/<host>:<port>/<image id>/<token>/<expiry>

`host` is an IP literal (IPv6 in brackets): the seed's QR holds the phone's address, and a name
would need a resolver the device cannot trust. `image id` names one image or a multi-image
share; `token` is one-time (the phone serves each page of the share once per token); `expiry`
is Unix seconds. The longest valid payload (a full IPv6 address, longest id and token) is 109
bytes; a typical one (IPv4, a 22-character token) about 60, a version 4 QR at level M. The
device only connects to addresses of the local network (`is_local_address`): loopback,
link-local and the private ranges.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

SCHEME = "mfpqr"
VERSION = 1
MAX_PAYLOAD = 120  # bytes: the longest valid payload is 109 (a full IPv6 address)
MAX_IMAGE_ID = 16
MIN_TOKEN = 16
MAX_TOKEN = 24
_ID = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_IMAGE_ID}}}")
_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{{MIN_TOKEN},{MAX_TOKEN}}}")
_EXPIRY = re.compile(r"[0-9]{1,11}")
_PORT = re.compile(r"[0-9]{1,5}")

# Only these: the device fetches from a phone beside it, never from the internet.
LOCAL_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "127.0.0.0/8",  # loopback
        "10.0.0.0/8",  # private
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",  # link-local
        "::1/128",
        "fe80::/10",
        "fc00::/7",  # unique local
    )
)


class QrPayloadError(ValueError):
    """A QR text that is not our payload, or is ours but malformed; `code` for traces."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class QrPayload:
    host: str  # an IP literal, no brackets
    port: int
    image_id: str
    token: str
    expires: int  # Unix seconds

    def encode(self) -> str:
        """The URI the phone puts in its QR; raises QrPayloadError if a field is out of bounds."""
        _check_fields(self)
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{SCHEME}:{VERSION}/{host}:{self.port}/{self.image_id}/{self.token}/{self.expires}"

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def is_local(self) -> bool:
        return is_local_address(self.host)


def is_local_address(host: str) -> bool:
    """Loopback, link-local or private: the only addresses a device fetches a phone's image from."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address.version == n.version and address in n for n in LOCAL_NETWORKS)


def decode(text: str) -> QrPayload:
    """Parse a QR's text; QrPayloadError("not_ours") for anything else, ("malformed") for ours
    with a bad field, ("version") for a newer phone app's payload."""
    if len(text.encode("utf-8", "replace")) > MAX_PAYLOAD * 4:
        raise QrPayloadError("not_ours", "This QR code is not from the phone app.")
    prefix = f"{SCHEME}:"
    if not text[: len(prefix)].lower() == prefix:
        raise QrPayloadError("not_ours", "This QR code is not from the phone app.")
    if len(text.encode("utf-8", "replace")) > MAX_PAYLOAD:
        raise QrPayloadError("malformed", "This phone QR code is damaged (too long).")
    parts = text[len(prefix) :].split("/")
    if not parts[0].isdigit() or len(parts[0]) > 3:
        raise QrPayloadError("malformed", "This phone QR code is damaged (no version).")
    if int(parts[0]) != VERSION:
        raise QrPayloadError(
            "version",
            f"This QR code is from a newer phone app (version {int(parts[0])}); "
            f"this device reads version {VERSION}.",
        )
    if len(parts) != 5:
        raise QrPayloadError("malformed", "This phone QR code is damaged (wrong parts).")
    _, address, image_id, token, expiry = parts
    host, port = _split_address(address)
    if not _EXPIRY.fullmatch(expiry):
        raise QrPayloadError("malformed", "This phone QR code is damaged (expiry).")
    payload = QrPayload(host, port, image_id, token, int(expiry))
    _check_fields(payload)
    return payload


def _split_address(address: str) -> tuple[str, int]:
    if address.startswith("["):
        host, sep, port = address[1:].partition("]:")
        if not sep or ":" not in host:
            raise QrPayloadError("malformed", "This phone QR code is damaged (address).")
    else:
        host, sep, port = address.rpartition(":")
        if not sep or ":" in host:
            raise QrPayloadError("malformed", "This phone QR code is damaged (address).")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        raise QrPayloadError(
            "malformed", "This phone QR code is damaged (the address is not an IP address)."
        ) from None
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id is not None:
        # A zone names the phone's own interface (meaningless here) and may hold URL characters.
        raise QrPayloadError("malformed", "This phone QR code is damaged (address zone).")
    if not _PORT.fullmatch(port) or not 1 <= int(port) <= 65535:
        raise QrPayloadError("malformed", "This phone QR code is damaged (port).")
    return str(ip), int(port)


def _check_fields(p: QrPayload) -> None:
    try:
        ip = ipaddress.ip_address(p.host)
    except ValueError:
        raise QrPayloadError("malformed", "The phone's address is not an IP address.") from None
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id is not None:
        raise QrPayloadError("malformed", "The phone's address has a zone (%...).")
    if not 1 <= p.port <= 65535:
        raise QrPayloadError("malformed", "This phone QR code is damaged (port).")
    if not _ID.fullmatch(p.image_id):
        raise QrPayloadError("malformed", "This phone QR code is damaged (image id).")
    if not _TOKEN.fullmatch(p.token):
        raise QrPayloadError("malformed", "This phone QR code is damaged (token).")
    if not 0 <= p.expires < 10**11:
        raise QrPayloadError("malformed", "This phone QR code is damaged (expiry).")
