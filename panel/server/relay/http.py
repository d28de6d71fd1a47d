"""The relay's HTTP handlers, in the shape `panel.server.api.Route` takes: (request, who).

`api.RELAY_ROUTES` lists them with their paths, credentials and messages; this module only
turns requests into calls on the `Relay`.
"""

from __future__ import annotations

from aiohttp import web

from panel.protocol.maintenance import OperatorLoginReply, OperatorLoginRequest, PresenceChange
from panel.server.auth import Principal, authenticated
from panel.server.http import ApiError, read_body, reply
from panel.server.relay.accounts import COOKIE, LOGIN_TTL_S, OperatorAccounts
from panel.server.relay.relay import relay_key


async def operator_login(request: web.Request, _: Principal | None) -> web.Response:
    req: OperatorLoginRequest = await read_body(request, OperatorLoginRequest)
    relay = request.app[relay_key]
    try:
        account, token = await relay.accounts.login(
            req.operator_id, req.password, f"address:{request.remote}"
        )
    except ApiError as exc:
        # Only a known ID goes into the trace: people type their password into the ID field.
        known = relay.store.operator(req.operator_id) is not None
        shown = req.operator_id if known else "<unknown id>"
        relay.trace.emit("relay", "login-refused", operator=shown, code=exc.code)
        raise
    relay.trace.emit("relay", "login", operator=account.operator_id)
    response = reply(OperatorLoginReply(await relay.logged_in(account.operator_id), token))
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(LOGIN_TTL_S),
        path="/",
        httponly=True,
        samesite="Strict",
        secure=request.secure,
    )
    return response


async def operator_logout(request: web.Request, who: Principal | None) -> web.Response:
    operator_id = authenticated(who).ident
    relay = request.app[relay_key]
    found = OperatorAccounts.token_of(request)
    if found is not None:
        relay.accounts.logout(found[0])
    await relay.logged_out(operator_id)
    relay.trace.emit("relay", "logout", operator=operator_id)
    response = reply(relay.operator_info(relay.operator(operator_id)))
    response.del_cookie(COOKIE, path="/")
    return response


async def operator_me(request: web.Request, who: Principal | None) -> web.Response:
    relay = request.app[relay_key]
    return reply(relay.operator_info(relay.operator(authenticated(who).ident)))


async def set_presence(request: web.Request, who: Principal | None) -> web.Response:
    req: PresenceChange = await read_body(request, PresenceChange)
    return reply(await request.app[relay_key].set_presence(authenticated(who).ident, req.presence))


async def operator_events(request: web.Request, who: Principal | None) -> web.StreamResponse:
    return await request.app[relay_key].serve_console(request, authenticated(who).ident)


async def list_calls(request: web.Request, _: Principal | None) -> web.Response:
    return reply(request.app[relay_key].calls())


async def accept_call(request: web.Request, who: Principal | None) -> web.Response:
    relay = request.app[relay_key]
    return reply(await relay.accept(authenticated(who).ident, request.match_info["call_id"]))


async def view_call(request: web.Request, who: Principal | None) -> web.StreamResponse:
    relay = request.app[relay_key]
    return await relay.serve_view(request, authenticated(who).ident, request.match_info["call_id"])


async def device_call(request: web.Request, who: Principal | None) -> web.StreamResponse:
    return await request.app[relay_key].serve_device(request, authenticated(who).ident)


async def session_log(request: web.Request, who: Principal | None) -> web.Response:
    """Admins see every call (or one operator's); an operator sees their own sessions."""
    principal = authenticated(who)
    operator_id = request.query.get("operator_id") if principal.is_admin else principal.ident
    return reply(request.app[relay_key].log(operator_id))
