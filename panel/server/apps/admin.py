"""`mfp-panel server add-app URL`: register an external app with a server (S8)."""

from __future__ import annotations

import sys

from panel.modes.admin_client import AdminClient
from panel.modes.server_url import AdminError
from panel.protocol.apps import AppManifest, AppRegistration


async def add_app(
    server_url: str | None, admin: str | None, url: str, roles: list[str] | None = None
) -> int:
    """Ask the server (the local one by its admin socket, else as `admin`) to register the
    app at `url`; the server reads its manifest from URL/manifest.json. `roles` (given)
    replace the manifest's roles allowed to use the app."""
    try:
        client = AdminClient.locate(server_url, admin)
        app = await client._call("POST", "/apps", AppManifest, AppRegistration(url, roles))
    except AdminError as exc:
        print(f"mfp-panel: {exc}", file=sys.stderr)
        return 1
    allowed = ", ".join(app.permissions) or "no device actions"
    who = ", ".join(app.roles) or "every role"
    print(f"app {app.app_id} ({app.name}) registered from {app.url}: {allowed}; for {who}")
    return 0
