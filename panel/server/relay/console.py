"""The operator console's page and assets (resources/operator), served at `/operator`.

Plain HTML, CSS and JavaScript read once when the app is built: no build step, nothing fetched
from elsewhere at run time. The page is locked down with a Content-Security-Policy that lets
it load only its own files and talk only to this server.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from panel.paths import resources_dir

ASSETS = {
    "index.html": "text/html",
    "operator.js": "text/javascript",
    "operator.css": "text/css",
    "device-status.js": "text/javascript",  # the calling device's status card (issue 14)
    "device-status.css": "text/css",
    "favicon.svg": "image/svg+xml",
    "i18n.js": "text/javascript",  # languages (issue 19): the picker and ConsoleI18n.t
    "i18n/en.json": "application/json",  # one catalogue a language, the same keys in each
    "i18n/ja.json": "application/json",
}


def console_dir() -> Path:
    return resources_dir() / "operator"


def _headers(request: web.Request, content_type: str) -> dict[str, str]:
    host = request.host
    return {
        "Content-Type": f"{content_type}; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:;"
            f" connect-src 'self' ws://{host} wss://{host}; base-uri 'none'; form-action 'self';"
            " frame-ancestors 'none'"
        ),
    }


def add_console(app: web.Application, folder: Path | None = None) -> None:
    """GET /operator (the page), /operator/{name} (its scripts and style sheets) and
    /operator/i18n/{name} (its catalogues, one a language)."""
    folder = folder or console_dir()
    files = {name: (folder / name).read_bytes() for name in ASSETS if (folder / name).is_file()}

    def respond(request: web.Request, name: str) -> web.Response:
        body = files.get(name)
        if body is None:
            raise web.HTTPNotFound()
        return web.Response(body=body, headers=_headers(request, ASSETS[name]))

    async def page(request: web.Request) -> web.Response:
        return respond(request, "index.html")

    async def asset(request: web.Request) -> web.Response:
        return respond(request, request.match_info["name"])

    app.router.add_get("/operator", page)

    async def catalogue(request: web.Request) -> web.Response:
        return respond(request, f"i18n/{request.match_info['name']}")

    app.router.add_get("/operator/{name}", asset)
    app.router.add_get("/operator/i18n/{name}", catalogue)
