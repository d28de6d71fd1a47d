"""HTTP handlers of shared files (S6), in the shape `panel.server.api.Route` takes; the routes
(`FILE_ROUTES` in panel/server/api.py) carry their paths, credentials and messages for the
OpenAPI document. Handlers turn requests into calls on the `Relay` (panel/server/files/relay.py).
"""

from __future__ import annotations

from aiohttp import web

from panel.protocol.files import FileDeletion, FileList, TransferRequest
from panel.server.auth import Principal, authenticated
from panel.server.files.relay import Relay
from panel.server.http import read_body, reply

files_key = web.AppKey("files", Relay)


async def list_files(request: web.Request, who: Principal | None) -> web.Response:
    relay = request.app[files_key]
    user_id = relay.acting_user(authenticated(who), request.query.get("user_id", ""))
    return reply(FileList(relay.listing(user_id)))


async def request_transfer(request: web.Request, who: Principal | None) -> web.Response:
    req: TransferRequest = await read_body(request, TransferRequest)
    return reply(await request.app[files_key].request(authenticated(who), req), status=201)


async def read_transfer(request: web.Request, who: Principal | None) -> web.StreamResponse:
    return await request.app[files_key].download(request, authenticated(who))


async def send_transfer(request: web.Request, who: Principal | None) -> web.Response:
    return reply(await request.app[files_key].upload(request, authenticated(who)))


async def delete_file(request: web.Request, who: Principal | None) -> web.Response:
    req: FileDeletion = await read_body(request, FileDeletion)
    return reply(await request.app[files_key].delete(authenticated(who), req), status=202)
