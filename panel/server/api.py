"""The REST API and the push endpoint. `ROUTES` is both the router's table and the source of
the OpenAPI document, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

import panel
from panel.protocol import PROTOCOL_VERSION, decode_body, encode_body
from panel.protocol.messages import (
    CacheSnapshot,
    Health,
    JobCreate,
    JobInfo,
    JobList,
    JobStatusReport,
    LoginReply,
    LoginRequest,
    LogoutRequest,
    OutboxBatch,
    OutboxReply,
    RegisterReply,
    RegisterRequest,
)
from panel.server.auth import Authenticator, Principal, require
from panel.server.dispatch import Dispatcher
from panel.server.errors import ApiError
from panel.server.outbox import Outbox
from panel.server.push import PushHub
from panel.server.store import JOB_STATES
from panel.trace import Trace

API = f"/api/v{PROTOCOL_VERSION}"
MAX_BODY_BYTES = 48 * 1024 * 1024  # a 32 MiB document in base64, with room for the JSON around it

dispatcher_key = web.AppKey("dispatcher", Dispatcher)
hub_key = web.AppKey("hub", PushHub)
trace_key = web.AppKey("trace", Trace)
outbox_key = web.AppKey("outbox", Outbox)
auth_key = web.AppKey("auth", Authenticator)

Handler = Callable[[web.Request, Principal | None], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Query:
    """A query parameter an operation reads (optional, a string)."""

    name: str
    description: str
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler
    summary: str
    auth: tuple[str, ...]  # principal kinds allowed; () = no authentication
    body: type | None = None
    reply: type | None = None
    status: int = 200
    query: tuple[Query, ...] = ()


def _json(message: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, body=encode_body(message), content_type="application/json")


async def _body(request: web.Request, cls: type[Any]) -> Any:
    return decode_body(cls, await request.read(), limit=MAX_BODY_BYTES)


# ---- handlers ---------------------------------------------------------------------------------


async def health(request: web.Request, _: Principal | None) -> web.Response:
    return _json(Health("ok", PROTOCOL_VERSION, panel.__version__))


async def register_device(request: web.Request, _: Principal | None) -> web.Response:
    req: RegisterRequest = await _body(request, RegisterRequest)
    name = req.name.strip()
    if not name or len(name) > 64:
        raise ApiError(400, "bad_name", "A device name is 1 to 64 characters.")
    device_id, secret = request.app[dispatcher_key].store.register_device(name, req.model[:64])
    request.app[trace_key].emit("devices", "registered", device=device_id, name=name)
    return _json(RegisterReply(device_id, secret), status=201)


async def login(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    req: LoginRequest = await _body(request, LoginRequest)
    dispatcher = request.app[dispatcher_key]
    user = await request.app[auth_key].check_user(req.user_id, req.pin, f"device:{who.ident}")
    trace = request.app[trace_key]
    if user is None:
        # Only a known ID goes into the trace: people type their PIN into the ID field.
        known = dispatcher.store.user(req.user_id) is not None
        trace.emit(
            "auth", "refused", device=who.ident, user_id=req.user_id if known else "<unknown id>"
        )
        raise ApiError(401, "invalid_credentials", "Wrong user ID or PIN.")
    dispatcher.store.set_login(who.ident, user.user_id)
    trace.emit("auth", "login", device=who.ident, user_id=user.user_id)
    await dispatcher.release_held(user.user_id, who.ident)
    return _json(LoginReply(user))


async def logout(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    req: LogoutRequest = await _body(request, LogoutRequest)
    store = request.app[dispatcher_key].store
    store.set_login(who.ident, None)
    request.app[trace_key].emit("auth", "logout", device=who.ident, user_id=req.user_id)
    user = store.user(req.user_id)
    if user is None:
        raise ApiError(404, "unknown_user", f"There is no user {req.user_id!r}.")
    return _json(LoginReply(user))


async def create_job(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    req: JobCreate = await _body(request, JobCreate)
    if not who.is_admin and who.ident != req.user_id:
        raise ApiError(403, "forbidden", "Users may submit jobs only for themselves.")
    job = await request.app[dispatcher_key].submit(req)
    return _json(job, status=201)


async def list_jobs(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    user_id = request.query.get("user_id")
    if not who.is_admin:
        user_id = who.ident
    state = request.query.get("state")
    return _json(JobList(request.app[dispatcher_key].store.jobs(user_id=user_id, state=state)))


async def get_job(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    job_id = request.match_info["job_id"]
    dispatcher = request.app[dispatcher_key]
    if who.kind == "device":
        return _json(dispatcher.job_for_device(job_id, who.ident))
    job = dispatcher.store.job(job_id)
    if job is None or not (who.is_admin or job.user_id == who.ident):
        raise ApiError(404, "unknown_job", f"No job {job_id!r}.")
    return _json(job)


async def report_job(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    report: JobStatusReport = await _body(request, JobStatusReport)
    job = request.app[dispatcher_key].report(request.match_info["job_id"], who.ident, report)
    return _json(job)


async def cache_snapshot(request: web.Request, _: Principal | None) -> web.Response:
    return _json(request.app[dispatcher_key].store.cache_snapshot())


async def send_outbox(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    batch: OutboxBatch = await _body(request, OutboxBatch)
    return _json(await request.app[outbox_key].run(who.ident, batch))


async def push(request: web.Request, who: Principal | None) -> web.StreamResponse:
    assert who is not None
    return await request.app[hub_key].serve(request, who.ident)


ROUTES: list[Route] = [
    Route("GET", f"{API}/health", health, "Liveness and protocol version", (), reply=Health),
    Route(
        "POST",
        f"{API}/devices",
        register_device,
        "Register a device; returns its id and secret (shown once)",
        ("admin",),
        RegisterRequest,
        RegisterReply,
        201,
    ),
    Route(
        "POST",
        f"{API}/sessions",
        login,
        "Check a user's ID and PIN at a device; releases the user's held jobs to it",
        ("device",),
        LoginRequest,
        LoginReply,
    ),
    Route(
        "POST",
        f"{API}/sessions/logout",
        logout,
        "The user logged out at the device",
        ("device",),
        LogoutRequest,
        LoginReply,
    ),
    Route(
        "POST",
        f"{API}/jobs",
        create_job,
        "Create a print job for a user (admins for anyone, users for themselves)",
        ("admin", "user"),
        JobCreate,
        JobInfo,
        201,
    ),
    Route(
        "GET",
        f"{API}/jobs",
        list_jobs,
        "List jobs (users: their own)",
        ("admin", "user"),
        reply=JobList,
        query=(
            Query("user_id", "Only this user's jobs (admins; a user always gets their own)"),
            Query("state", "Only jobs in this state", tuple(sorted(JOB_STATES))),
        ),
    ),
    Route(
        "GET",
        f"{API}/jobs/{{job_id}}",
        get_job,
        "A job's information (devices: only jobs given to them)",
        ("device", "admin", "user"),
        reply=JobInfo,
    ),
    Route(
        "POST",
        f"{API}/jobs/{{job_id}}/status",
        report_job,
        "The device reports printing, completed, failed or cancelled",
        ("device",),
        JobStatusReport,
        JobInfo,
    ),
    Route(
        "GET",
        f"{API}/cache",
        cache_snapshot,
        "What a device caches for offline work (S1): user directory subset (no PINs),"
        " destinations, job templates, apps, the offline-login policy, and their version",
        ("device", "admin"),
        reply=CacheSnapshot,
    ),
    Route(
        "POST",
        f"{API}/outbox",
        send_outbox,
        "Send held job requests (scan, fax) in order; each item's idempotency key makes it"
        " execute once. Per item: 201 executed, 200 replayed, 400 refused (replayed too),"
        " 409 in progress elsewhere or not attempted, 422 key reused with another body,"
        " 507 disk full (not recorded: send again). At most 500 items.",
        ("device",),
        OutboxBatch,
        OutboxReply,
    ),
    Route(
        "GET",
        f"{API}/push",
        push,
        "WebSocket: hello/welcome, job.notify, ack and cache.changed frames (see x-push-frames)",
        ("device",),
    ),
]


def bind(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The aiohttp handler for `route`: authenticate, authorise, then call it."""

    async def handler(request: web.Request) -> web.StreamResponse:
        who = None
        if route.auth:
            who = await request.app[auth_key].authenticate(request)
            require(who, *route.auth)
        return await route.handler(request, who)

    return handler
