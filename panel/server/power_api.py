"""HTTP handlers of the power features, in the shape `panel.server.api.Route` takes:
device sessions and delegations (S5), card login, the user's data and held-job release (S4).

`api.ROUTES` lists them with their paths, credentials and messages (so the OpenAPI document
has them); this module only turns requests into calls on `DeviceSessions` and `PanelLogins`.
"""

from __future__ import annotations

from aiohttp import web

from panel.protocol.messages import LoginReply
from panel.protocol.power import (
    CardAssignment,
    CardLoginRequest,
    DelegationRequest,
    HeartbeatRequest,
    Preferences,
    ProxyHeartbeat,
    ReleaseRequest,
)
from panel.server.auth import Principal, authenticated
from panel.server.http import ApiError, read_body, reply
from panel.server.sessions import DeviceSessions
from panel.server.user_data import PanelLogins

sessions_key = web.AppKey("sessions", DeviceSessions)
logins_key = web.AppKey("logins", PanelLogins)


# ---- device sessions (S5) ---------------------------------------------------------------------


async def heartbeat(request: web.Request, who: Principal | None) -> web.Response:
    req: HeartbeatRequest = await read_body(request, HeartbeatRequest)
    return reply(request.app[sessions_key].heartbeat(authenticated(who).ident, req))


async def delegate(request: web.Request, who: Principal | None) -> web.Response:
    req: DelegationRequest = await read_body(request, DelegationRequest)
    return reply(request.app[sessions_key].delegate(authenticated(who).ident, req), status=201)


async def revoke_delegation(request: web.Request, who: Principal | None) -> web.Response:
    sessions = request.app[sessions_key]
    device_id = authenticated(who).ident
    sessions.revoke(device_id, request.match_info["delegation_id"])
    return reply(sessions.info(device_id))


async def proxy_heartbeat(request: web.Request, who: Principal | None) -> web.Response:
    req: ProxyHeartbeat = await read_body(request, ProxyHeartbeat)
    return reply(request.app[sessions_key].proxy_heartbeat(authenticated(who).ident, req))


async def proxy_channel(request: web.Request, who: Principal | None) -> web.StreamResponse:
    return await request.app[sessions_key].serve_channel(request, authenticated(who).ident)


async def session_info(request: web.Request, who: Principal | None) -> web.Response:
    device_id = request.match_info["device_id"]
    principal = authenticated(who)
    if principal.kind == "device" and principal.ident != device_id:
        raise ApiError(403, "forbidden", "A device may read only its own session.")
    if not request.app[sessions_key].store.device_exists(device_id):
        raise ApiError(404, "unknown_device", f"There is no device {device_id!r}.")
    return reply(request.app[sessions_key].info(device_id))


# ---- card login, the user's data (S4) ---------------------------------------------------------


async def card_login(request: web.Request, who: Principal | None) -> web.Response:
    req: CardLoginRequest = await read_body(request, CardLoginRequest)
    return reply(
        LoginReply(request.app[logins_key].card_login(req.card_id, authenticated(who).ident))
    )


async def assign_card(request: web.Request, who: Principal | None) -> web.Response:
    req: CardAssignment = await read_body(request, CardAssignment)
    request.app[logins_key].assign_card(request.match_info["user_id"], req.card_id)
    return reply(req, status=201)


async def user_data(request: web.Request, who: Principal | None) -> web.Response:
    logins = request.app[logins_key]
    return reply(logins.user_data(request.match_info["user_id"], authenticated(who)))


async def set_preferences(request: web.Request, who: Principal | None) -> web.Response:
    req: Preferences = await read_body(request, Preferences)
    logins = request.app[logins_key]
    return reply(logins.set_preferences(request.match_info["user_id"], req, authenticated(who)))


async def release_jobs(request: web.Request, who: Principal | None) -> web.Response:
    req: ReleaseRequest = await read_body(request, ReleaseRequest)
    return reply(await request.app[logins_key].release(req, authenticated(who).ident))
