"""Building and running the server inside the current event loop (an AppRunner serving a TCP
socket, and a Unix socket for the local administrator), as aiohttp's own examples do.
"""

from __future__ import annotations

import functools
import json
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from panel.listener import OwnedSite, stop_serving
from panel.server.api import (
    RELAY_ROUTES,
    ROUTES,
    add_root_page,
    auth_key,
    bind,
    dispatcher_key,
    hub_key,
    outbox_key,
    trace_key,
)
from panel.server.apps.routes import APP_ROUTES, setup_apps
from panel.server.auth import Authenticator
from panel.server.device_reports import DeviceReports, reports_key
from panel.server.dispatch import Dispatcher
from panel.server.documents import DocumentStore
from panel.server.edge import PREAUTH_LIMIT, PreAuthGate
from panel.server.edge import log as edge_log
from panel.server.errors import answer_error
from panel.server.files.api import files_key
from panel.server.files.relay import Relay as FileRelay
from panel.server.http import MAX_BODY_BYTES
from panel.server.openapi import build_openapi
from panel.server.outbox import CLAIM_STALE_S, LEDGER_RETENTION_S, PURGE_INTERVAL_S, Outbox
from panel.server.power_api import logins_key, sessions_key
from panel.server.push import PushHub
from panel.server.reachability import ReachRegistry, reach_key
from panel.server.relay import Relay, RelaySettings, relay_key
from panel.server.relay.console import add_console
from panel.server.sessions import DeviceSessions
from panel.server.store import ServerStore
from panel.server.user_data import PanelLogins
from panel.tasks import TaskOwner
from panel.trace import Trace

gate_key = web.AppKey("preauth_gate", PreAuthGate)
LINGER_S = 1.0  # see start_server


def edge_middleware(gate: PreAuthGate, trace: Trace) -> Middleware:
    """The server's one middleware: the pre-authentication cap (`edge`), every error in the
    API's shape (`errors`), and a trace line for each exchange.

    One middleware, not three: a device's push socket is a request that lasts for hours, and
    each middleware is a coroutine frame kept for as long (aiohttp adds one of its own). With
    thousands of devices that was ~0.5 kB a connection (issue 12: memory per connection)."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        started = time.perf_counter()
        try:
            slot = gate.enter(request)  # Busy (503) beyond the cap: answered as any error
            try:
                response = await handler(request)
            finally:
                slot.release()
        except Exception as exc:
            response = await answer_error(request, exc)
        ms = round((time.perf_counter() - started) * 1000, 2)
        trace.emit(
            "http",
            "exchange",
            method=request.method,
            path=request.path,
            status=response.status,
            ms=ms,
        )
        return response

    return middleware


def make_app(
    data_dir: Path,
    trace_name: str = "server",
    ledger_retention_s: float = LEDGER_RETENTION_S,
    purge_interval_s: float = PURGE_INTERVAL_S,
    claim_stale_s: float = CLAIM_STALE_S,
    relay_settings: RelaySettings | None = None,
    preauth_limit: int = PREAUTH_LIMIT,
) -> web.Application:
    """The aiohttp application over the store in `data_dir` (created if missing).

    The outbox's idempotency keys are kept `ledger_retention_s` after their result and purged
    every `purge_interval_s`; a claim older than `claim_stale_s` may be taken over.
    `relay_settings`: remote maintenance (the time an operator has to accept an offer).
    `preauth_limit`: requests at once before their caller is authenticated (see `edge`).
    """
    store = ServerStore(data_dir / "server.sqlite3")
    trace = Trace(data_dir / "trace.jsonl", server=trace_name)
    hub = PushHub(store, trace)
    store.add_cache_listener(hub.async_cache_changed)
    dispatcher = Dispatcher(store, DocumentStore(data_dir / "documents"), hub, trace)
    outbox = Outbox(
        store, DocumentStore(data_dir / "outgoing"), trace, ledger_retention_s, claim_stale_s
    )

    gate = PreAuthGate(preauth_limit)
    app = web.Application(
        middlewares=[edge_middleware(gate, trace)], client_max_size=MAX_BODY_BYTES
    )
    app[gate_key] = gate
    app[dispatcher_key] = dispatcher
    app[hub_key] = hub
    app[outbox_key] = outbox
    app[trace_key] = trace
    authenticator = app[auth_key] = Authenticator(store)
    sessions = app[sessions_key] = DeviceSessions(store, trace)
    hub.add_deferred_listener(sessions.async_work_deferred)  # S5: wake a sleeper via its proxy
    hub.take_heartbeats(sessions.heartbeat)  # S5: a device's own heartbeat on its push socket
    app[logins_key] = PanelLogins(store, hub, trace)
    relay = app[relay_key] = Relay(store, trace, relay_settings)
    relay.accounts.threads = authenticator.pin_threads  # passwords: scrypt, as PINs
    app[reach_key] = ReachRegistry(trace)  # S2: tokens devices check their networks with
    app[reports_key] = DeviceReports(store, trace)  # issue 14: devices' status and usage
    files = app[files_key] = FileRelay(store, store.file_index, hub, sessions, trace)  # S6
    setup_apps(app, store, trace, data_dir)  # S8: server apps, built-in ones mounted here
    for route in [*ROUTES, *RELAY_ROUTES, *APP_ROUTES]:
        app.router.add_route(route.method, route.path, bind(route))
    add_console(app)
    add_root_page(app)
    openapi = _openapi_text()

    async def openapi_doc(_: web.Request) -> web.Response:
        return web.Response(text=openapi, content_type="application/json")

    app.router.add_get("/api/openapi.json", openapi_doc)

    async def shutdown(_: web.Application) -> None:
        await sessions.close_all()
        await relay.close_all()
        await files.close()
        await hub.close_all()

    async def close_store(_: web.Application) -> None:
        authenticator.close()
        store.close()
        trace.close()

    async def purge_ledger(_app: web.Application) -> AsyncIterator[None]:
        owner = TaskOwner("outbox purge", trace=trace)
        _ = owner.spawn(outbox.purge_forever(purge_interval_s), "purging the ledger")
        yield
        await owner.close()

    app.cleanup_ctx.append(purge_ledger)  # runs before close_store: registered first
    app.on_shutdown.append(shutdown)
    app.on_cleanup.append(close_store)
    return app


@functools.cache
def _openapi_text() -> str:
    """The OpenAPI document, built once a process: it depends only on the code, and writing
    it indented takes ~0.3 s (every server start of a scenario run or a test paid it)."""
    return json.dumps(build_openapi(), indent=1)


@dataclass
class RunningServer:
    """A server listening in this loop; `url` is where devices and browsers reach it."""

    runner: web.AppRunner
    app: web.Application
    url: str
    port: int
    unix_path: Path | None
    sites: list[OwnedSite]

    @property
    def store(self) -> ServerStore:
        return self.app[dispatcher_key].store

    @property
    def dispatcher(self) -> Dispatcher:
        return self.app[dispatcher_key]

    @property
    def reach(self) -> ReachRegistry:
        """Network fallback (S2): the tokens issued and the networks each arrived over."""
        return self.app[reach_key]

    @property
    def relay(self) -> Relay:
        """Remote maintenance: operators, calls and their sessions."""
        return self.app[relay_key]

    @property
    def sessions(self) -> DeviceSessions:
        """Device sessions, their leases and the sleep proxies' delegations (S5)."""
        return self.app[sessions_key]

    @property
    def logins(self) -> PanelLogins:
        """Card login, preferences and held-job release around a panel login (S4)."""
        return self.app[logins_key]

    @property
    def gate(self) -> PreAuthGate:
        """The cap on requests not yet authenticated (503 beyond it)."""
        return self.app[gate_key]

    @property
    def outbox(self) -> Outbox:
        """The outbox executor; `outbox.docs` is the DocumentStore its documents go to."""
        return self.app[outbox_key]

    async def stop(self) -> None:
        """Stop listening, shut the connections down gracefully, then abort any still open."""
        await stop_serving(self.runner, self.sites)
        if self.unix_path is not None:
            self.unix_path.unlink(missing_ok=True)


async def start_server(
    data_dir: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    admin_socket_dir: Path | None = None,
    ledger_retention_s: float = LEDGER_RETENTION_S,
    purge_interval_s: float = PURGE_INTERVAL_S,
    claim_stale_s: float = CLAIM_STALE_S,
    relay_settings: RelaySettings | None = None,
    preauth_limit: int = PREAUTH_LIMIT,
) -> RunningServer:
    """Start listening on host:port (0 = a free port) and, if given a directory, on the local
    administrator's Unix socket `server-PORT.sock` in it. The outbox, relay and pre-auth
    settings: see make_app."""
    app = make_app(
        data_dir,
        ledger_retention_s=ledger_retention_s,
        purge_interval_s=purge_interval_s,
        claim_stale_s=claim_stale_s,
        relay_settings=relay_settings,
        preauth_limit=preauth_limit,
    )
    # aiohttp's own inflating of compressed bodies is off: `http.read_bytes` inflates them,
    # within each endpoint's limit and only once the handler reads (after authentication).
    # Its request handlers log through `edge.log`: a malformed request is one line there.
    # A body refused before it was read (too large, no credentials) is read and dropped for
    # LINGER_S after the answer, so the client reads the answer before the connection closes;
    # aiohttp's default (10 s) also goes on after the client has closed (its lingering does not
    # see the connection's end), holding a task for nothing.
    runner = web.AppRunner(
        app,
        access_log=None,
        shutdown_timeout=2.0,
        auto_decompress=False,
        logger=edge_log,
        lingering_time=LINGER_S,
    )
    await runner.setup()
    sock = socket.create_server((host, port), reuse_port=False)
    sites = [OwnedSite(runner, sock)]
    bound = sock.getsockname()[1]
    unix_path = None
    if admin_socket_dir is not None:
        unix_path = admin_socket_dir / f"server-{bound}.sock"
        unix_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        unix_path.unlink(missing_ok=True)
        admin = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        admin.bind(str(unix_path))
        unix_path.chmod(0o600)
        admin.listen()
        sites.append(OwnedSite(runner, admin))
    for site in sites:
        await site.start()
    shown = f"[{host}]" if ":" in host else host
    app[trace_key].emit("server", "listening", url=f"http://{shown}:{bound}")
    return RunningServer(runner, app, f"http://{shown}:{bound}", bound, unix_path, sites)
