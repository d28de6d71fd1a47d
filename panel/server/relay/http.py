"""The relay's HTTP handlers, in the shape `panel.server.api.Route` takes: (request, who).

`api.RELAY_ROUTES` lists them with their paths, credentials and messages; this module only
turns requests into calls on the `Relay`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from panel.protocol import decode_body, encode_body
from panel.protocol.maintenance import OperatorLoginReply, OperatorLoginRequest, PresenceChange
from panel.server.auth import Principal
from panel.server.errors import ApiError
from panel.server.relay.accounts import COOKIE, LOGIN_TTL_S, OperatorAccounts
from panel.server.relay.relay import relay_key


def _reply(message: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, body=encode_body(message), content_type="application/json")


async def _body(request: web.Request, cls: type[Any]) -> Any:
    return decode_body(cls, await request.read())


def _who(who: Principal | None) -> Principal:
    if who is None:  # a route table error: these routes all authenticate
        raise ApiError(401, "unauthorized", "Authentication required.")
    return who


async def operator_login(request: web.Request, _: Principal | None) -> web.Response:
    req: OperatorLoginRequest = await _body(request, OperatorLoginRequest)
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
    response = _reply(
        OperatorLoginReply(relay.operator_info(relay.operator(account.operator_id)), token)
    )
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
    operator_id = _who(who).ident
    relay = request.app[relay_key]
    found = OperatorAccounts.token_of(request)
    if found is not None:
        relay.accounts.logout(found[0])
    await relay.logged_out(operator_id)
    relay.trace.emit("relay", "logout", operator=operator_id)
    response = _reply(relay.operator_info(relay.operator(operator_id)))
    response.del_cookie(COOKIE, path="/")
    return response


async def operator_me(request: web.Request, who: Principal | None) -> web.Response:
    relay = request.app[relay_key]
    return _reply(relay.operator_info(relay.operator(_who(who).ident)))


async def set_presence(request: web.Request, who: Principal | None) -> web.Response:
    req: PresenceChange = await _body(request, PresenceChange)
    return _reply(await request.app[relay_key].set_presence(_who(who).ident, req.presence))


async def operator_events(request: web.Request, who: Principal | None) -> web.StreamResponse:
    return await request.app[relay_key].serve_console(request, _who(who).ident)


async def list_calls(request: web.Request, _: Principal | None) -> web.Response:
    return _reply(request.app[relay_key].calls())


async def accept_call(request: web.Request, who: Principal | None) -> web.Response:
    relay = request.app[relay_key]
    return _reply(await relay.accept(_who(who).ident, request.match_info["call_id"]))


async def view_call(request: web.Request, who: Principal | None) -> web.StreamResponse:
    relay = request.app[relay_key]
    return await relay.serve_view(request, _who(who).ident, request.match_info["call_id"])


async def device_call(request: web.Request, who: Principal | None) -> web.StreamResponse:
    return await request.app[relay_key].serve_device(request, _who(who).ident)


async def session_log(request: web.Request, who: Principal | None) -> web.Response:
    """Admins see every call (or one operator's); an operator sees their own sessions."""
    principal = _who(who)
    operator_id = request.query.get("operator_id") if principal.is_admin else principal.ident
    return _reply(request.app[relay_key].log(operator_id))
