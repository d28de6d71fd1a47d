"""The simulated networks' HTTP control API, shaped like Toxiproxy's so its clients and habits work.

    GET    /proxies                          every network: {name: proxy}
    POST   /proxies                          create {"name", "upstream", "listen"?, "enabled"?}
    GET    /proxies/{name}                   one network
    POST   /proxies/{name}                   {"enabled": false} takes it down (PATCH too)
    DELETE /proxies/{name}
    GET    /proxies/{name}/toxics            its toxics
    POST   /proxies/{name}/toxics            add {"type", "name"?, "stream"?, "toxicity"?,
                                             "attributes"?}
    GET    /proxies/{name}/toxics/{toxic}
    POST   /proxies/{name}/toxics/{toxic}    change {"attributes"?, "toxicity"?} (PATCH too)
    DELETE /proxies/{name}/toxics/{toxic}
    POST   /reset                            every network enabled, no toxics
    GET    /version

A proxy is `{"name", "listen", "upstream", "enabled", "toxics": [...], "stats": {...}}`; names
with spaces are URL-quoted ("/proxies/Wired%20LAN"). Errors are Toxiproxy's
`{"error": message, "status": code}`: 400 bad input, 404 unknown network or toxic, 409 a name
taken or a port in use. It listens on loopback only and refuses requests that carry an Origin
header or a non-loopback Host, so a web page cannot drive it.
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from panel import __version__
from panel.listener import OwnedSite, stop_serving
from panel.sim.network import NameTaken, NetworkSet, UnknownName, is_loopback, parse_address
from panel.sim.toxics import Toxic

networks_key = web.AppKey("networks", NetworkSet)

_PROXY_FIELDS = frozenset({"name", "listen", "upstream", "enabled", "toxics", "stats"})
_CREATE_FIELDS = frozenset({"name", "listen", "upstream", "enabled"})
_TOXIC_UPDATE_FIELDS = frozenset({"name", "type", "stream", "toxicity", "attributes"})


def error_reply(status: int, message: str) -> web.Response:
    return web.json_response({"error": message, "status": status}, status=status)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every refusal as Toxiproxy's JSON error, with a message that says what to change."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return error_reply(exc.status, exc.reason)
    except UnknownName as exc:
        return error_reply(404, str(exc))
    except NameTaken as exc:
        return error_reply(409, str(exc))
    except ValueError as exc:  # ToxicError, bad JSON, bad field values
        return error_reply(400, str(exc))
    except OSError as exc:  # a listening port in use
        return error_reply(409, str(exc.strerror or exc))


@web.middleware
async def local_only_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Browsers send Origin on cross-site writes; a DNS-rebinding page has a foreign Host."""
    if "Origin" in request.headers:
        return error_reply(403, "requests from web pages (with an Origin header) are refused")
    if not is_loopback(request.url.host or ""):
        return error_reply(403, f"Host {request.host!r} is not a loopback address")
    return await handler(request)


def make_control_app(networks: NetworkSet) -> web.Application:
    app = web.Application(middlewares=[error_middleware, local_only_middleware])
    app[networks_key] = networks
    app.router.add_get("/proxies", list_proxies)
    app.router.add_post("/proxies", create_proxy)
    app.router.add_get("/proxies/{proxy}", show_proxy)
    app.router.add_post("/proxies/{proxy}", update_proxy)
    app.router.add_patch("/proxies/{proxy}", update_proxy)
    app.router.add_delete("/proxies/{proxy}", delete_proxy)
    app.router.add_get("/proxies/{proxy}/toxics", list_toxics)
    app.router.add_post("/proxies/{proxy}/toxics", create_toxic)
    app.router.add_get("/proxies/{proxy}/toxics/{toxic}", show_toxic)
    app.router.add_post("/proxies/{proxy}/toxics/{toxic}", update_toxic)
    app.router.add_patch("/proxies/{proxy}/toxics/{toxic}", update_toxic)
    app.router.add_delete("/proxies/{proxy}/toxics/{toxic}", delete_toxic)
    app.router.add_post("/reset", reset)
    app.router.add_get("/version", version)
    return app


@dataclass
class RunningControl:
    """The control API listening in this loop at `url`."""

    runner: web.AppRunner
    url: str
    port: int
    site: OwnedSite

    async def stop(self) -> None:
        await stop_serving(self.runner, [self.site])


async def start_control(networks: NetworkSet, host: str, port: int) -> RunningControl:
    """Serve the control API of `networks` on host:port (loopback only; 0: a free port)."""
    return await serve_loopback(make_control_app(networks), host, port)


async def serve_loopback(app: web.Application, host: str, port: int) -> RunningControl:
    """Serve a control `app` on host:port, loopback only (0: a free port)."""
    if not is_loopback(host):
        raise ValueError(f"the control API listens on loopback only, not {host!r}")
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site: OwnedSite | None = None
    try:
        sock = socket.create_server((host, port))
        site = OwnedSite(runner, sock)
        await site.start()
    except BaseException:
        await stop_serving(runner, [site] if site else [])
        raise
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return RunningControl(runner, f"http://{shown}:{bound}", bound, site)


# -- handlers -------------------------------------------------------------------------------


async def _body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"bad request body: not JSON ({exc})") from None
    if not isinstance(body, dict):
        raise ValueError("bad request body: a JSON object is expected")
    return body


def _unknown_fields(body: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = ", ".join(sorted(set(body) - allowed))
    if unknown:
        raise ValueError(f"unknown field(s): {unknown} (allowed: {', '.join(sorted(allowed))})")


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"missing required field: {key} (text)")
    return value


def _networks(request: web.Request) -> NetworkSet:
    return request.app[networks_key]


async def list_proxies(request: web.Request) -> web.Response:
    return web.json_response(_networks(request).to_json())


async def create_proxy(request: web.Request) -> web.Response:
    body = await _body(request)
    _unknown_fields(body, _CREATE_FIELDS)
    name = _text(body, "name")
    upstream = parse_address(_text(body, "upstream"))
    listen = parse_address(_text(body, "listen") if "listen" in body else "127.0.0.1:0")
    enabled = body.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ValueError("enabled must be true or false")
    network = await _networks(request).create(name, upstream, listen, enabled)
    return web.json_response(network.to_json(), status=201)


async def show_proxy(request: web.Request) -> web.Response:
    return web.json_response(_networks(request).get(request.match_info["proxy"]).to_json())


async def update_proxy(request: web.Request) -> web.Response:
    network = _networks(request).get(request.match_info["proxy"])
    body = await _body(request)
    _unknown_fields(body, _PROXY_FIELDS)
    current = network.to_json()
    for key in ("name", "listen", "upstream"):  # clients send the whole proxy back
        if key in body and body[key] != current[key]:
            raise ValueError(f"{key} cannot be changed: delete the proxy and create it again")
    enabled = body.get("enabled", network.enabled)
    if not isinstance(enabled, bool):
        raise ValueError("enabled must be true or false")
    await network.set_enabled(enabled)
    return web.json_response(network.to_json())


async def delete_proxy(request: web.Request) -> web.Response:
    await _networks(request).delete(request.match_info["proxy"])
    return web.Response(status=204)


async def list_toxics(request: web.Request) -> web.Response:
    network = _networks(request).get(request.match_info["proxy"])
    return web.json_response([toxic.to_json() for toxic in network.toxics])


async def create_toxic(request: web.Request) -> web.Response:
    network = _networks(request).get(request.match_info["proxy"])
    toxic = network.add_toxic(Toxic.from_json(await _body(request)))
    return web.json_response(toxic.to_json())


async def show_toxic(request: web.Request) -> web.Response:
    network = _networks(request).get(request.match_info["proxy"])
    return web.json_response(network.toxic(request.match_info["toxic"]).to_json())


async def update_toxic(request: web.Request) -> web.Response:
    network = _networks(request).get(request.match_info["proxy"])
    current = network.toxic(request.match_info["toxic"])
    body = await _body(request)
    _unknown_fields(body, _TOXIC_UPDATE_FIELDS)
    for key in ("name", "type", "stream"):  # clients send the whole toxic back
        if key in body and body[key] != getattr(current, key):
            raise ValueError(f"{key} cannot be changed: delete the toxic and add it again")
    attributes = body.get("attributes")
    if attributes is not None and not isinstance(attributes, dict):
        raise ValueError("attributes must be a JSON object")
    toxic = network.update_toxic(current.name, attributes, body.get("toxicity"))
    return web.json_response(toxic.to_json())


async def delete_toxic(request: web.Request) -> web.Response:
    network = _networks(request).get(request.match_info["proxy"])
    network.remove_toxic(request.match_info["toxic"])
    return web.Response(status=204)


async def reset(request: web.Request) -> web.Response:
    await _networks(request).reset()
    return web.Response(status=204)


async def version(_: web.Request) -> web.Response:
    return web.json_response({"version": f"mfp-panel {__version__}"})
