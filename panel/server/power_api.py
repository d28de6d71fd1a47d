"""HTTP handlers of the power features, in the shape `panel.server.api.Route` takes:
device sessions and delegations (S5), card login, the user's data and held-job release (S4).

`api.ROUTES` lists them with their paths, credentials and messages (so the OpenAPI document
has them); this module only turns requests into calls on `DeviceSessions` and `PanelLogins`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from panel.protocol import decode_body, encode_body
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
from panel.server.auth import Principal
from panel.server.errors import ApiError
from panel.server.sessions import DeviceSessions
from panel.server.user_data import PanelLogins

sessions_key = web.AppKey("sessions", DeviceSessions)
logins_key = web.AppKey("logins", PanelLogins)


def _reply(message: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, body=encode_body(message), content_type="application/json")


async def _body(request: web.Request, cls: type[Any]) -> Any:
    return decode_body(cls, await request.read())


def _who(who: Principal | None) -> Principal:
    if who is None:  # a route table error: these routes all authenticate
        raise ApiError(401, "unauthorized", "Authentication required.")
    return who


# ---- device sessions (S5) ---------------------------------------------------------------------


async def heartbeat(request: web.Request, who: Principal | None) -> web.Response:
    req: HeartbeatRequest = await _body(request, HeartbeatRequest)
    return _reply(request.app[sessions_key].heartbeat(_who(who).ident, req))


async def delegate(request: web.Request, who: Principal | None) -> web.Response:
    req: DelegationRequest = await _body(request, DelegationRequest)
    return _reply(request.app[sessions_key].delegate(_who(who).ident, req), status=201)


async def revoke_delegation(request: web.Request, who: Principal | None) -> web.Response:
    sessions = request.app[sessions_key]
    device_id = _who(who).ident
    sessions.revoke(device_id, request.match_info["delegation_id"])
    return _reply(sessions.info(device_id))


async def proxy_heartbeat(request: web.Request, who: Principal | None) -> web.Response:
    req: ProxyHeartbeat = await _body(request, ProxyHeartbeat)
    return _reply(request.app[sessions_key].proxy_heartbeat(_who(who).ident, req))


async def proxy_channel(request: web.Request, who: Principal | None) -> web.StreamResponse:
    return await request.app[sessions_key].serve_channel(request, _who(who).ident)


async def session_info(request: web.Request, who: Principal | None) -> web.Response:
    device_id = request.match_info["device_id"]
    principal = _who(who)
    if principal.kind == "device" and principal.ident != device_id:
        raise ApiError(403, "forbidden", "A device may read only its own session.")
    if not request.app[sessions_key].store.device_exists(device_id):
        raise ApiError(404, "unknown_device", f"There is no device {device_id!r}.")
    return _reply(request.app[sessions_key].info(device_id))


# ---- card login, the user's data (S4) ---------------------------------------------------------


async def card_login(request: web.Request, who: Principal | None) -> web.Response:
    req: CardLoginRequest = await _body(request, CardLoginRequest)
    return _reply(LoginReply(request.app[logins_key].card_login(req.card_id, _who(who).ident)))


async def assign_card(request: web.Request, who: Principal | None) -> web.Response:
    req: CardAssignment = await _body(request, CardAssignment)
    request.app[logins_key].assign_card(request.match_info["user_id"], req.card_id)
    return _reply(req, status=201)


async def user_data(request: web.Request, who: Principal | None) -> web.Response:
    logins = request.app[logins_key]
    return _reply(logins.user_data(request.match_info["user_id"], _who(who)))


async def set_preferences(request: web.Request, who: Principal | None) -> web.Response:
    req: Preferences = await _body(request, Preferences)
    logins = request.app[logins_key]
    return _reply(logins.set_preferences(request.match_info["user_id"], req, _who(who)))


async def release_jobs(request: web.Request, who: Principal | None) -> web.Response:
    req: ReleaseRequest = await _body(request, ReleaseRequest)
    return _reply(await request.app[logins_key].release(req, _who(who).ident))
