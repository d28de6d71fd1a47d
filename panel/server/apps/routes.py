"""HTTP side of server apps (S8): the routes of the launch handshake, the app list and the
registration of external apps (`APP_ROUTES`, in the OpenAPI document like `api.ROUTES`), and
`setup_apps`, which mounts the built-in apps as sub-applications of the server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from panel.protocol.apps import (
    DEFAULT_LANGUAGE,
    MAX_ACTION_BYTES,
    AppAction,
    AppDeviceInfo,
    AppEnd,
    AppLaunchReply,
    AppLaunchRequest,
    AppList,
    AppManifest,
    AppRegistration,
    AppRequestInfo,
    AppScreenReply,
    AppStart,
    Language,
)
from panel.server.api import API, Query, Route
from panel.server.apps.builtin import builtin_apps, sub_app
from panel.server.apps.host import APP_DEADLINE_S, AppHost
from panel.server.auth import Principal, authenticated
from panel.server.http import read_body, reply
from panel.server.store import ServerStore
from panel.trace import Trace

host_key = web.AppKey("apps", AppHost)


def _host(request: web.Request) -> AppHost:
    host = request.app[host_key]
    if not host.self_url:
        # The built-in apps are reached on the socket this request came in on (never through
        # the network a device took, which may be a fault proxy).
        sock = request.transport.get_extra_info("sockname") if request.transport else None
        if isinstance(sock, tuple) and len(sock) >= 2:
            shown = f"[{sock[0]}]" if ":" in str(sock[0]) else sock[0]
            host.self_url = f"http://{shown}:{sock[1]}"
    return host


async def list_apps(request: web.Request, who: Principal | None) -> web.Response:
    authenticated(who)
    language = request.query.get("language", DEFAULT_LANGUAGE)
    return reply(AppList(request.app[host_key].manifests(language)))


async def register_app(request: web.Request, who: Principal | None) -> web.Response:
    authenticated(who)
    req: AppRegistration = await read_body(request, AppRegistration)
    return reply(await request.app[host_key].register(req.url, req.roles), status=201)


async def launch_app(request: web.Request, who: Principal | None) -> web.Response:
    req: AppLaunchRequest = await read_body(request, AppLaunchRequest)
    host = _host(request)
    device = authenticated(who).ident
    launched = host.launch(request.match_info["app_id"], device, req.user_id, req.language)
    return reply(launched, status=201)


async def describe_device(request: web.Request, who: Principal | None) -> web.Response:
    req: AppDeviceInfo = await read_body(request, AppDeviceInfo)
    host = request.app[host_key]
    return reply(host.device_info(request.match_info["launch_id"], authenticated(who).ident, req))


async def start_app(request: web.Request, who: Principal | None) -> web.Response:
    req: AppStart = await read_body(request, AppStart)
    host = _host(request)
    device = authenticated(who).ident
    return reply(
        await host.start(
            request.match_info["launch_id"], device, req.request_token, req.resume, req.language
        )
    )


async def act(request: web.Request, who: Principal | None) -> web.Response:
    req: AppAction = await read_body(request, AppAction, MAX_ACTION_BYTES)
    host = _host(request)
    launch_id, device = request.match_info["launch_id"], authenticated(who).ident
    answer = await host.act(
        launch_id, device, req.request_token, req.action, req.values, req.language
    )
    return reply(answer)


async def end_app(request: web.Request, who: Principal | None) -> web.Response:
    req: AppEnd = await read_body(request, AppEnd)
    host = _host(request)
    await host.end(request.match_info["launch_id"], authenticated(who).ident, req.request_token)
    return reply(req)


_LAUNCH = f"{API}/apps/launches/{{launch_id}}"
_UNKNOWN_LAUNCH = (404, "No such launch: ended, or the server restarted (unknown_launch)")
_TOKEN = (403, "The request information is not this launch's (wrong_request_token)")
_APP_FAILED = (
    (502, "The app cannot be reached or failed (app_unreachable, app_failed)"),
    (504, f"The app did not answer within {APP_DEADLINE_S:g} s (app_timeout)"),
)

APP_ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/apps",
        list_apps,
        "The apps this server offers (S8): built in, or external services registered here",
        ("device", "admin", "user"),
        reply=AppList,
        query=(
            Query(
                "language",
                "The panel's language: a built-in app's name and description in it (en, ja)",
                Language,
            ),
        ),
    ),
    Route(
        "POST",
        f"{API}/apps",
        register_app,
        "Register an external app by its URL; its manifest is read from URL/manifest.json",
        ("admin",),
        AppRegistration,
        AppManifest,
        201,
        refusals=(
            (400, "The URL is not http(s) (bad_url)"),
            (422, "The manifest is not an app's (bad_manifest)"),
            (502, "No manifest at the URL (app_unreachable)"),
        ),
    ),
    Route(
        "POST",
        f"{API}/apps/{{app_id}}/launch",
        launch_app,
        "Handshake step 1: launch an app for the user logged in at this device; the answer is"
        " its identifying information and the server's request for the device information",
        ("device",),
        AppLaunchRequest,
        AppLaunchReply,
        201,
        refusals=(
            (403, "That user is not logged in at this device (not_logged_in_here)"),
            (403, "The app is not for that user's role (role_not_allowed)"),
            (404, "No such app (unknown_app)"),
        ),
    ),
    Route(
        "POST",
        f"{_LAUNCH}/device",
        describe_device,
        "Handshake step 3: the device information; the answer is the request information the"
        " device keeps with the launch and sends to start it",
        ("device",),
        AppDeviceInfo,
        AppRequestInfo,
        refusals=(
            _UNKNOWN_LAUNCH,
            (403, "Another device's information (forbidden)"),
            (409, "The launch has its device information already (already_described)"),
        ),
    ),
    Route(
        "POST",
        f"{_LAUNCH}/start",
        start_app,
        "Handshake step 5: the request information; the app runs and its first screen is the"
        " answer (resume: a panel restarted with this launch kept)",
        ("device",),
        AppStart,
        AppScreenReply,
        refusals=(_UNKNOWN_LAUNCH, _TOKEN, *_APP_FAILED),
    ),
    Route(
        "POST",
        f"{_LAUNCH}/actions",
        act,
        "An action on the app's screen with its inputs' values; the next screen is the answer",
        ("device",),
        AppAction,
        AppScreenReply,
        refusals=(
            _UNKNOWN_LAUNCH,
            _TOKEN,
            (409, "The app was not started (not_started)"),
            *_APP_FAILED,
        ),
    ),
    Route(
        "POST",
        f"{_LAUNCH}/end",
        end_app,
        "The device ends the launch (Home, Close, or a kept launch it does not resume)",
        ("device",),
        AppEnd,
        AppEnd,
        refusals=(_UNKNOWN_LAUNCH, _TOKEN),
    ),
]


def setup_apps(app: web.Application, store: ServerStore, trace: Trace, data_dir: Path) -> AppHost:
    """The app host of the server `app`, with its built-in apps mounted under /apps/{id}."""
    host = app[host_key] = AppHost(store, trace, data_dir)
    for manifest, handler in builtin_apps(data_dir / "apps"):
        app.add_subapp(f"/apps/{manifest.app_id}", sub_app(handler, lambda: host.internal_key))
        host.add_builtin(manifest)

    async def client(_: web.Application) -> AsyncIterator[None]:
        yield
        await host.close()

    app.cleanup_ctx.append(client)
    return host
