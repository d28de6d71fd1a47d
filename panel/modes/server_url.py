"""A server URL checked before anything connects, and the error a terminal user reads.

Apart from the admin client so that `mfp-panel run` can check its URL before the panel paints
without importing aiohttp (a quarter of a second of start-up).
"""

from __future__ import annotations

from urllib.parse import urlsplit

_URL_EXAMPLE = "http://HOST:PORT, e.g. http://127.0.0.1:8631"


class AdminError(RuntimeError):
    """A refusal or failure worth showing to the person at the terminal as it is."""


def check_url(server_url: str) -> str:
    """`server_url` if it names an HTTP server, else an AdminError saying what is wrong."""
    parts = urlsplit(server_url)
    try:
        port_ok = parts.port is not None or parts.scheme in ("http", "https")
    except ValueError:
        port_ok = False
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise AdminError(f"{server_url!r} is not a server URL (invalid URL); give {_URL_EXAMPLE}")
    return server_url
