"""The REST API and the push endpoint. `ROUTES` is both the router's table and the source of
the OpenAPI document, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from aiohttp import web

import panel
from panel.protocol import PROTOCOL_VERSION, idempotency
from panel.protocol.codec import check_value
from panel.protocol.constraints import Limit
from panel.protocol.device_reports import DeviceReportBatch, DeviceReportReply, DeviceStatusInfo
from panel.protocol.files import (
    FileDeletion,
    FileEntry,
    FileList,
    TransferInfo,
    TransferRequest,
    UploadReply,
)
from panel.protocol.maintenance import (
    CallList,
    OperatorInfo,
    OperatorLoginReply,
    OperatorLoginRequest,
    PresenceChange,
    SessionLog,
    SessionStart,
)
from panel.protocol.messages import (
    JOB_STATES,
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
from panel.protocol.power import (
    CardAssignment,
    CardLoginRequest,
    Delegation,
    DelegationRequest,
    HeartbeatRequest,
    LeaseReply,
    Preferences,
    ProxyHeartbeat,
    ProxyLease,
    ReleaseReply,
    ReleaseRequest,
    SessionInfo,
    UserData,
)
from panel.protocol.reach import (
    ReachCheck,
    ReachConfirm,
    ReachRecordList,
    ReachRequest,
    ReachToken,
)
from panel.server import device_reports, power_api, reachability
from panel.server.auth import Authenticator, Principal, require
from panel.server.dispatch import Dispatcher
from panel.server.documents import ACCEPTED_TYPES, MAX_DOCUMENT_BYTES
from panel.server.files import api as files_api
from panel.server.http import MAX_BODY_BYTES, ApiError, read_body, reply
from panel.server.outbox import Outbox
from panel.server.push import PushHub
from panel.server.relay import http as relay_http
from panel.server.relay import relay_key
from panel.trace import Trace

API = f"/api/v{PROTOCOL_VERSION}"

dispatcher_key = web.AppKey("dispatcher", Dispatcher)
hub_key = web.AppKey("hub", PushHub)
trace_key = web.AppKey("trace", Trace)
outbox_key = web.AppKey("outbox", Outbox)
auth_key = web.AppKey("auth", Authenticator)
idempotency_key = web.RequestKey("idempotency_key", str)  # the request's key, checked

Handler = Callable[[web.Request, Principal | None], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Query:
    """A query parameter an operation reads (optional). `hint` is its type as a message field's
    would be (`Annotated[str, Limit(...)]`): `bind` checks it and the document declares it."""

    name: str
    description: str
    hint: Any = str


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
    refusals: tuple[tuple[int, str], ...] = ()  # statuses worth their own line in the document
    idempotent: bool = False  # takes an Idempotency-Key header (panel/protocol/idempotency.py)


# ---- handlers ---------------------------------------------------------------------------------

_ROOT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mfp-panel cloud service</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">
<h1>mfp-panel cloud service</h1>
<p>Version {version}, wire protocol {protocol}. This is the server panels and the
command line talk to; there is nothing to do here in a browser but these:</p>
<ul>
<li><a href="/operator">Operator console</a> (remote maintenance)</li>
<li><a href="/api/openapi.json">API document</a> (OpenAPI 3, JSON)</li>
<li><a href="{api}/health">Health</a></li>
</ul>
</body></html>
"""


async def root_page(_: web.Request) -> web.Response:
    """A person who opens the server's address in a browser finds where to go."""
    page = _ROOT_PAGE.format(version=panel.__version__, protocol=PROTOCOL_VERSION, api=API)
    return web.Response(text=page, content_type="text/html")


def add_root_page(app: web.Application) -> None:
    app.router.add_get("/", root_page)


async def health(request: web.Request, _: Principal | None) -> web.Response:
    return reply(Health("ok", PROTOCOL_VERSION, panel.__version__, MAX_DOCUMENT_BYTES))


async def register_device(request: web.Request, _: Principal | None) -> web.Response:
    req: RegisterRequest = await read_body(request, RegisterRequest, MAX_BODY_BYTES)
    name = req.name.strip()
    if not name or len(name) > 64:
        raise ApiError(400, "bad_name", "A device name is 1 to 64 characters.")
    device_id, secret = request.app[dispatcher_key].store.register_device(name, req.model[:64])
    request.app[trace_key].emit("devices", "registered", device=device_id, name=name)
    return reply(RegisterReply(device_id, secret), status=201)


async def login(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    req: LoginRequest = await read_body(request, LoginRequest, MAX_BODY_BYTES)
    dispatcher = request.app[dispatcher_key]
    auth, source = request.app[auth_key], f"device:{who.ident}"
    user = await auth.check_user(req.user_id, req.pin, source)
    trace = request.app[trace_key]
    if user is None:
        # Only a known ID goes into the trace: people type their PIN into the ID field.
        known = dispatcher.store.user(req.user_id) is not None
        trace.emit(
            "auth", "refused", device=who.ident, user_id=req.user_id if known else "<unknown id>"
        )
        raise auth.throttle.refusal(req.user_id, source, "invalid_credentials")
    dispatcher.store.set_login(who.ident, user.user_id)
    trace.emit("auth", "login", device=who.ident, user_id=user.user_id)
    # The device fetches the user's data next and releases held jobs as the user set (S4).
    return reply(LoginReply(user))


async def logout(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    req: LogoutRequest = await read_body(request, LogoutRequest, MAX_BODY_BYTES)
    store = request.app[dispatcher_key].store
    store.set_login(who.ident, None)
    request.app[trace_key].emit("auth", "logout", device=who.ident, user_id=req.user_id)
    user = store.user(req.user_id)
    if user is None:
        raise ApiError(404, "unknown_user", f"There is no user {req.user_id!r}.")
    return reply(LoginReply(user))


async def create_job(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    req: JobCreate = await read_body(request, JobCreate, MAX_BODY_BYTES)
    if not who.is_admin and who.ident != req.user_id:
        raise ApiError(403, "forbidden", "Users may submit jobs only for themselves.")
    key = request.get(idempotency_key)
    principal = f"{who.kind}:{who.ident}"
    created = await request.app[dispatcher_key].create(req, principal, key)
    if not created.replayed:
        return reply(created.job, status=201)
    response = reply(created.job)
    response.headers[idempotency.REPLAYED] = "true"
    return response


async def list_jobs(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    user_id = request.query.get("user_id")
    if not who.is_admin:
        user_id = who.ident
    state = request.query.get("state")
    return reply(JobList(request.app[dispatcher_key].store.jobs(user_id=user_id, state=state)))


async def get_job(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    job_id = request.match_info["job_id"]
    dispatcher = request.app[dispatcher_key]
    if who.kind == "device":
        return reply(await dispatcher.job_for_device(job_id, who.ident))
    job = dispatcher.store.job(job_id)
    if job is None or not (who.is_admin or job.user_id == who.ident):
        raise ApiError(404, "unknown_job", f"No job {job_id!r}.")
    return reply(job)


async def report_job(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    report: JobStatusReport = await read_body(request, JobStatusReport, MAX_BODY_BYTES)
    dispatcher = request.app[dispatcher_key]
    job = await dispatcher.report(request.match_info["job_id"], who.ident, report)
    return reply(job)


async def cache_snapshot(request: web.Request, _: Principal | None) -> web.Response:
    """The snapshot encoded once per version, gzipped for a client that takes it."""
    encoded = request.app[dispatcher_key].store.encoded_snapshot()
    headers = {"Vary": "Accept-Encoding"}
    body = encoded.body
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        body, headers["Content-Encoding"] = encoded.gzipped, "gzip"
    return web.Response(body=body, content_type="application/json", headers=headers)


async def send_outbox(request: web.Request, who: Principal | None) -> web.Response:
    assert who is not None
    batch: OutboxBatch = await read_body(request, OutboxBatch, MAX_BODY_BYTES)
    return reply(await request.app[outbox_key].run(who.ident, batch))


def push(request: web.Request, who: Principal | None) -> Awaitable[web.StreamResponse]:
    """The hub's coroutine itself, not awaited here: a push socket lasts for hours, and a
    frame of this function kept that long is ~0.3 kB a device (issue 12)."""
    assert who is not None
    return request.app[hub_key].serve(request, who.ident)


# Power (S4, S5): device sessions and delegations for the sleep proxy, card login, the
# user's data fetched at login and the release of held jobs. Handlers: panel/server/power_api.py.
POWER_ROUTES: list[Route] = [
    Route(
        "POST",
        f"{API}/power/heartbeat",
        power_api.heartbeat,
        "The device's own heartbeat: renews its session's lease (3 intervals). A device that"
        " speaks for itself again takes its session back from a proxy (the delegation ends)",
        ("device",),
        HeartbeatRequest,
        LeaseReply,
    ),
    Route(
        "POST",
        f"{API}/power/delegations",
        power_api.delegate,
        "Before sleeping: a signed, leased delegation letting a peer keep this device's session",
        ("device",),
        DelegationRequest,
        Delegation,
        201,
        refusals=((404, "The proxy is no registered device (unknown_device)"),),
    ),
    Route(
        "DELETE",
        f"{API}/power/delegations/{{delegation_id}}",
        power_api.revoke_delegation,
        "End one of this device's delegations (its peer declined, or it woke up); returns"
        " the device's session",
        ("device",),
        reply=SessionInfo,
    ),
    Route(
        "POST",
        f"{API}/proxy/heartbeat",
        power_api.proxy_heartbeat,
        "A proxy's heartbeat for the sleeping device its delegation names. 403 with"
        " delegation_forged, delegation_expired, delegation_revoked, delegation_not_yours or"
        " delegation_unknown when the delegation does not hold; the reply may carry a renewed"
        " token",
        ("device",),
        ProxyHeartbeat,
        ProxyLease,
    ),
    Route(
        "GET",
        f"{API}/proxy/push",
        power_api.proxy_channel,
        "WebSocket, server to proxy: proxy.wake frames when work arrives for a sleeper it keeps",
        ("device",),
    ),
    Route(
        "GET",
        f"{API}/devices/{{device_id}}/session",
        power_api.session_info,
        "A device's server session: mode, lease, keeper, lapses (devices: their own)",
        ("device", "admin"),
        reply=SessionInfo,
    ),
    Route(
        "POST",
        f"{API}/sessions/card",
        power_api.card_login,
        "Log in the owner of a card tapped at the device (401 unknown_card)",
        ("device",),
        CardLoginRequest,
        LoginReply,
        refusals=(
            (401, "Wrong device credentials, or a card registered to nobody (unknown_card)"),
            (429, "Too many unknown cards at this device lately: its reader waits a while"),
        ),
    ),
    Route(
        "POST",
        f"{API}/users/{{user_id}}/cards",
        power_api.assign_card,
        "Register a card that logs this user in",
        ("admin",),
        CardAssignment,
        CardAssignment,
        201,
    ),
    Route(
        "GET",
        f"{API}/users/{{user_id}}/data",
        power_api.user_data,
        "What a device fetches at login: the user, their preferences and their held jobs"
        " (devices: the user logged in there; users: themselves)",
        ("device", "user", "admin"),
        reply=UserData,
    ),
    Route(
        "PUT",
        f"{API}/users/{{user_id}}/preferences",
        power_api.set_preferences,
        "Set a user's preferences, e.g. print all held jobs on login",
        ("device", "user", "admin"),
        Preferences,
        Preferences,
    ),
    Route(
        "POST",
        f"{API}/jobs/release",
        power_api.release_jobs,
        "Give held jobs of the user logged in at this device to it (all when job_ids is"
        " empty); 409 not_held for a job that is not held for the user",
        ("device",),
        ReleaseRequest,
        ReleaseReply,
        refusals=((409, "A job is not held for this user (any more) (not_held)"),),
    ),
]

# Network fallback (S2): first communication information, a token a device presents over its
# networks in order of preference. Handlers: panel/server/reachability.py.
REACH_ROUTES: list[Route] = [
    Route(
        "POST",
        f"{API}/reach",
        reachability.issue_token,
        "A process is requested: a short-lived token (first communication information) the"
        " device presents over its networks to check which one reaches the server",
        ("device",),
        ReachRequest,
        ReachToken,
        201,
    ),
    Route(
        "POST",
        f"{API}/reach/check",
        reachability.check_token,
        "Present a token over a network: accepted when it is this device's and unexpired"
        " (403 reach_not_yours, 404 reach_unknown, 410 reach_expired); the network is recorded",
        ("device",),
        ReachCheck,
        ReachConfirm,
        refusals=(
            (404, "No such token (reach_unknown)"),
            (410, "The token has expired (reach_expired)"),
        ),
    ),
    Route(
        "GET",
        f"{API}/reach",
        reachability.list_records,
        "Tokens issued lately and the networks each arrived over, oldest first",
        ("admin",),
        reply=ReachRecordList,
        query=(Query("device_id", "Only this device's tokens"),),
    ),
]

# Device reports (issue 14): engine status and usage, durably queued on the device and sent in
# order; operators read a device's latest status. Handlers: panel/server/device_reports.py.
DEVICE_REPORT_ROUTES: list[Route] = [
    Route(
        "POST",
        f"{API}/devices/me/reports",
        device_reports.post_reports,
        "The device's status and usage reports, in the order it made them (at most 100)."
        " Each (device, stream, seq) is stored once: a batch sent again is accepted and"
        " changes nothing; a status older than the one held is recorded, not shown",
        ("device",),
        DeviceReportBatch,
        DeviceReportReply,
        refusals=(
            (
                400,
                "A report is not what this document says (bad_report, too_many_reports,"
                " malformed): the message names the field",
            ),
        ),
    ),
    Route(
        "GET",
        f"{API}/devices/{{device_id}}/status",
        device_reports.device_status,
        "A device's latest reported status (state, reasons with their codes, trays, toner,"
        " counters), its recent faults (raised and cleared) and its usage totals",
        ("operator", "admin"),
        reply=DeviceStatusInfo,
        refusals=((404, "No such device (unknown_device)"),),
    ),
]

# Shared files (S6): the fleet's index and the streamed relay. Handlers: panel/server/files/.
FILE_ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/files",
        files_api.list_files,
        "Files in document boxes across the fleet that the user may see (their own box and"
        " shared boxes; administrators: all), each with its holder's state: online, asleep"
        " (behind a sleep proxy: woken for a transfer) or offline. Devices act for the user"
        " logged in at them (none: shared boxes only)",
        ("device", "user", "admin"),
        reply=FileList,
        query=(Query("user_id", "The user to list for (devices: the user logged in there)"),),
        refusals=((403, "That user is not logged in at this device (not_logged_in_here)"),),
    ),
    Route(
        "POST",
        f"{API}/files/transfers",
        files_api.request_transfer,
        "Ask for a file held by another device; read it from GET /files/transfers/{id}",
        ("device", "user", "admin"),
        TransferRequest,
        TransferInfo,
        201,
        refusals=(
            (403, "Wrong box PIN (wrong_box_pin), or the user is not logged in here"),
            (404, "No such file in a box you may use (unknown_file)"),
            (409, "The holder is offline (holder_offline), or the file is here (already_here)"),
            (429, "Too many wrong PINs for this box from here (too_many_attempts)"),
            (503, "Too many transfers under way (busy)"),
        ),
    ),
    Route(
        "POST",
        f"{API}/files/deletions",
        files_api.delete_file,
        "Delete a file held by another device (its owner, or an administrator): the holder is"
        " told now and its removal report takes the file out of the list",
        ("device", "user", "admin"),
        FileDeletion,
        FileEntry,
        202,
        refusals=(
            (403, "Not the file's owner (not_owner), or the user is not logged in here"),
            (404, "No such file in a box you may use (unknown_file)"),
            (409, "The holder is not online (holder_offline)"),
        ),
    ),
    Route(
        "GET",
        f"{API}/files/transfers/{{transfer_id}}",
        files_api.read_transfer,
        "The file's bytes (application/octet-stream, X-File-SHA256), relayed from its holder"
        " as they arrive; Range: bytes=N- resumes (206)",
        ("device", "user", "admin"),
        refusals=(
            (403, "Another caller's transfer (not_your_transfer)"),
            (404, "No such transfer, or it expired (unknown_transfer)"),
            (416, "A Range other than bytes=N- within the file (bad_range)"),
            (502, "The holder sent a wrong number of bytes (holder_wrong_size)"),
            (503, "The holder is offline, did not wake or did not send (holder_*)"),
        ),
    ),
    Route(
        "PUT",
        f"{API}/files/transfers/{{transfer_id}}",
        files_api.send_transfer,
        "The holding device streams the file from byte `offset` (the file.send frame's);"
        " answered once the bytes are relayed",
        ("device",),
        reply=UploadReply,
        query=(Query("offset", "The first byte sent (as file.send asked)"),),
        refusals=(
            (400, "offset is no number (bad_offset), or the bytes are not the file's (wrong_size)"),
            (403, "Not the device holding the file (not_the_holder)"),
            (404, "No such transfer, or it expired (unknown_transfer)"),
            (409, "Nobody waits for this part of the transfer (not_wanted)"),
        ),
    ),
]

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
        "Check a user's ID and PIN at a device; the device then fetches the user's data",
        ("device",),
        LoginRequest,
        LoginReply,
        refusals=(
            (
                401,
                "Wrong user ID or PIN (invalid_credentials): attempts_left says how many more"
                " are allowed before a lock, lock_s how long it lasts; the one that starts it"
                " has retry_after_s",
            ),
            (
                429,
                "Locked after too many wrong PINs for this user at this device"
                " (too_many_attempts): retry_after_s and Retry-After say when to try again",
            ),
        ),
    ),
    Route(
        "POST",
        f"{API}/sessions/logout",
        logout,
        "The user logged out at the device",
        ("device",),
        LogoutRequest,
        LoginReply,
        refusals=((404, "No such user (unknown_user)"),),
    ),
    Route(
        "POST",
        f"{API}/jobs",
        create_job,
        "Create a print job for a user (admins for anyone, users for themselves). The document"
        f" is a PDF, JPEG or PNG of at most {MAX_DOCUMENT_BYTES} bytes (max_document_bytes in"
        " /health); its type comes from its bytes, checked by parsing them",
        ("admin", "user"),
        JobCreate,
        JobInfo,
        201,
        refusals=(
            (404, "No such user, or no such device (unknown_user, unknown_device)"),
            (413, f"The document is larger than {MAX_DOCUMENT_BYTES} bytes (document_too_large)"),
            (415, f"The document is not a valid {ACCEPTED_TYPES} (unsupported_document)"),
        ),
        idempotent=True,
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
            Query(
                "state",
                "Only jobs in this state",
                Annotated[str, Limit(choices=JOB_STATES, code="bad_state")],
            ),
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
        "The device reports printing, completed, failed or cancelled. A report naming an"
        " acting_user (a Cancel at the panel) is refused with 403 not_logged_in_here unless"
        " the server has that user logged in at this device, and 403 not_your_job unless they"
        " own the job or are an administrator",
        ("device",),
        JobStatusReport,
        JobInfo,
        refusals=((409, "The job is already in another final state (job_final)"),),
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
    *POWER_ROUTES,
    *REACH_ROUTES,
    *DEVICE_REPORT_ROUTES,
    *FILE_ROUTES,
]


# Remote maintenance (S3): operators log in to the console (cookie or `opt_` bearer token),
# devices call over a WebSocket. Kept apart from ROUTES until the OpenAPI document knows the
# "operator" credential (panel/server/openapi.py `_SCHEME`).
RELAY_ROUTES: list[Route] = [
    Route(
        "POST",
        f"{API}/operator/login",
        relay_http.operator_login,
        "Operator console login: sets an HttpOnly session cookie and returns a bearer token;"
        " an away operator becomes available (a waiting call is offered at once)",
        (),
        OperatorLoginRequest,
        OperatorLoginReply,
        refusals=(
            (401, "Wrong operator ID or password (invalid_credentials)"),
            (429, "Too many wrong passwords for this operator from here: Retry-After says when"),
        ),
    ),
    Route(
        "POST",
        f"{API}/operator/logout",
        relay_http.operator_logout,
        "End the operator's console login (and their session, if any); they become away",
        ("operator",),
        reply=OperatorInfo,
    ),
    Route(
        "GET",
        f"{API}/operator/me",
        relay_http.operator_me,
        "The logged-in operator and their presence",
        ("operator",),
        reply=OperatorInfo,
    ),
    Route(
        "PUT",
        f"{API}/operator/presence",
        relay_http.set_presence,
        "Set presence: available (offered calls, longest idle first), busy or away",
        ("operator",),
        PresenceChange,
        OperatorInfo,
        refusals=((409, "The operator is in a session: end it first (in_session)"),),
    ),
    Route(
        "GET",
        f"{API}/operator/events",
        relay_http.operator_events,
        "WebSocket: relay.state frames (presence, queue, the offer, the session) as they change",
        ("operator",),
    ),
    Route(
        "GET",
        f"{API}/maintenance/calls",
        relay_http.list_calls,
        "Maintenance calls waiting, offered or in session, with their request details",
        ("operator", "admin"),
        reply=CallList,
    ),
    Route(
        "POST",
        f"{API}/maintenance/calls/{{call_id}}/accept",
        relay_http.accept_call,
        "Accept the call offered to you (403 for any other call)",
        ("operator",),
        reply=SessionStart,
    ),
    Route(
        "GET",
        f"{API}/maintenance/calls/{{call_id}}/view",
        relay_http.view_call,
        "WebSocket: the live session of a call you accepted (403 otherwise): binary screen"
        " updates, consent, input, chat, end",
        ("operator",),
    ),
    Route(
        "GET",
        f"{API}/maintenance/call",
        relay_http.device_call,
        "WebSocket: the device's maintenance call (maint.request first), queue position,"
        " session, binary screen updates",
        ("device",),
    ),
    Route(
        "GET",
        f"{API}/maintenance/sessions",
        relay_http.session_log,
        "The log of maintenance calls, latest first (operators: their own sessions)",
        ("admin", "operator"),
        reply=SessionLog,
        query=(Query("operator_id", "Only this operator's sessions (admins)"),),
    ),
]


def bind(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The aiohttp handler for `route`: authenticate, authorise, then call it."""

    async def handler(request: web.Request) -> web.StreamResponse:
        who = None
        if route.auth:
            who = await _authenticate(request, route.auth)
            require(who, *route.auth)
        check_parameters(route, request)
        return await route.handler(request, who)

    return handler


def check_parameters(route: Route, request: web.Request) -> None:
    """Path and query parameters, checked as the decoder checks a body's fields (text without
    NUL or lone surrogates, a query's enum): a ProtocolError (400) names the parameter."""
    for name, value in request.match_info.items():
        check_value(value, str, name)
    for q in route.query:
        for value in request.query.getall(q.name, ()):
            check_value(value, q.hint, q.name)
    if route.idempotent and (key := request.headers.get(idempotency.HEADER)) is not None:
        try:
            request[idempotency_key] = idempotency.parse_key(key)
        except ValueError as exc:
            raise ApiError(400, "bad_idempotency_key", str(exc)) from None


async def _authenticate(request: web.Request, kinds: tuple[str, ...]) -> Principal:
    """Operators present a console login (cookie or bearer token); all others what the
    Authenticator checks."""
    if "operator" in kinds:
        operator = request.app[relay_key].accounts.principal(request)
        if operator is not None:
            return operator
        if kinds == ("operator",) and "Authorization" not in request.headers:
            raise ApiError(401, "unauthorized", "Log in to the operator console first.")
    return await request.app[auth_key].authenticate(request)
