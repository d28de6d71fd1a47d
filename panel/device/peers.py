"""The device on its LAN (S5): it advertises itself by DNS-SD (zeroconf, service type
`_mfp-panel._tcp`) with a small HTTP endpoint, browses for the other devices, and talks to them.

DNS-SD and the endpoint are bound to the addresses in `LanSettings`: loopback by default, as in
tests and the demo, so nothing leaves this machine; a real installation names its LAN address.
The endpoint answers only what the roles register on it (keep/release: the sleep proxy; wake:
keepalive). aiohttp and zeroconf are imported when the LAN starts (start-up time).

Requests to peers are timed on the device clock; resolving a peer belongs to the directory's
TaskOwner. (zeroconf's own probing and resolving run on its own timers, in real time.)
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from panel.device.clock import Clock
from panel.device.events import Event, EventBus, EventKind
from panel.protocol import ProtocolError, decode_body, encode_body
from panel.protocol.messages import ErrorReply
from panel.protocol.power import LAN_PREFIX
from panel.tasks import TaskOwner
from panel.trace import Trace

if TYPE_CHECKING:
    import aiohttp
    from aiohttp import web
    from zeroconf import ServiceStateChange, Zeroconf
    from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

    from panel.listener import OwnedSite

_log = logging.getLogger(__name__)

SERVICE_TYPE = "_mfp-panel._tcp.local."
LAN_TIMEOUT_S = 2.0
RESOLVE_TIMEOUT_MS = 3000
MAX_LAN_BODY = 16 * 1024
TXT_VERSION = "1"

T = TypeVar("T")
LanHandler = Callable[[Any, str], Awaitable[Any]]  # (decoded body, caller's address) -> reply


@dataclass(frozen=True)
class LanSettings:
    """Where the device is found on the LAN: the IPv4 addresses its endpoint listens on and
    DNS-SD runs on (loopback by default), and the endpoint's port (0: any free one)."""

    interfaces: tuple[str, ...] = ("127.0.0.1",)
    port: int = 0

    def __post_init__(self) -> None:
        if not self.interfaces:
            raise ValueError("name at least one interface address for the LAN")
        for address in self.interfaces:
            try:
                ipaddress.IPv4Address(address)
            except ValueError:
                raise ValueError(f"{address!r} is not an IPv4 interface address") from None
        if not 0 <= self.port <= 65535:
            raise ValueError(f"{self.port} is not a port number")


@dataclass(frozen=True, slots=True)
class Peer:
    """Another device found by DNS-SD, and where its LAN endpoint is."""

    device_id: str
    name: str
    host: str
    port: int


class PeerUnreachable(Exception):
    """The peer did not answer (no endpoint there, refused, timed out)."""


class PeerRefused(Exception):
    """The peer answered with an error."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class LanEndpoint:
    """The device's HTTP endpoint for its peers, under `/lan/v1/`. Bodies are protocol
    messages; a malformed one is a 400 with an ErrorReply, as on the server."""

    def __init__(self, trace: Trace, settings: LanSettings) -> None:
        self._trace = trace
        self._settings = settings
        self._routes: dict[str, tuple[type[Any], LanHandler]] = {}
        self._runner: web.AppRunner | None = None
        self._sites: list[OwnedSite] = []
        self.port = settings.port

    def add_route(
        self, path: str, body: type[T], handler: Callable[[T, str], Awaitable[Any]]
    ) -> None:
        """Answer POST `/lan/v1{path}` with `handler(body, caller_address)` (before start)."""
        if self._runner is not None:
            raise RuntimeError("routes are added before the LAN endpoint starts")
        self._routes[path] = (body, handler)

    async def start(self) -> int:
        """Listen on every interface address, on the port chosen at the first start."""
        from aiohttp import web

        from panel.listener import OwnedSite, stop_serving

        app = web.Application(client_max_size=MAX_LAN_BODY)
        for path, (body, handler) in self._routes.items():
            app.router.add_post(f"{LAN_PREFIX}{path}", self._bind(path, body, handler))
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        sites: list[OwnedSite] = []
        try:
            for address in self._settings.interfaces:
                sock = socket.create_server((address, self.port))
                self.port = sock.getsockname()[1]
                sites.append(OwnedSite(runner, sock))
                await sites[-1].start()
        except BaseException:
            await stop_serving(runner, sites)
            raise
        self._runner, self._sites = runner, sites
        self._trace.emit("lan", "listening", port=self.port, interfaces=self._settings.interfaces)
        return self.port

    async def stop(self) -> None:
        """Stop answering; a later `start` listens on the same port again."""
        runner, self._runner = self._runner, None
        if runner is not None:
            from panel.listener import stop_serving

            await stop_serving(runner, self._sites)
            self._trace.emit("lan", "stopped", port=self.port)

    def _bind(
        self, path: str, body: type[Any], handler: LanHandler
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        from aiohttp import web

        def reply(message: Any, status: int = 200) -> web.Response:
            return web.Response(
                status=status, body=encode_body(message), content_type="application/json"
            )

        async def handle(request: web.Request) -> web.Response:
            remote = request.remote or ""
            try:
                message = decode_body(body, await request.read(), limit=MAX_LAN_BODY)
            except ProtocolError as exc:
                self._trace.emit("lan", "malformed", path=path, peer=remote, code=exc.code)
                return reply(ErrorReply(exc.code, exc.message), 400)
            try:
                answer = await handler(message, remote)
            except Exception:
                _log.exception("LAN request %s failed", path)
                return reply(ErrorReply("internal", "The device failed; see its log."), 500)
            self._trace.emit("lan", "answered", path=path, peer=remote)
            return reply(answer)

        return handle


class LanClient:
    """Requests to peers' endpoints: short time-outs (a peer on the LAN answers at once, or
    not at all), every exchange traced."""

    def __init__(self, trace: Trace, clock: Clock) -> None:
        self._trace = trace
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None

    async def call(
        self,
        host: str,
        port: int,
        path: str,
        body: Any,
        reply: type[T],
        timeout_s: float = LAN_TIMEOUT_S,
    ) -> T:
        import aiohttp

        if self._session is None:
            # No time-outs of aiohttp's own (loop time): each call has one on the device clock.
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout())
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{port}{LAN_PREFIX}{path}"
        started = self._clock.monotonic()
        try:
            async with (
                self._clock.timeout(timeout_s),
                self._session.post(
                    url, data=encode_body(body), headers={"Content-Type": "application/json"}
                ) as resp,
            ):
                raw = await resp.read()
                status = resp.status
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            self._trace.emit("lan", "unreachable", peer=f"{shown}:{port}", path=path)
            why = str(exc) or type(exc).__name__
            raise PeerUnreachable(f"{shown}:{port}{path}: {why}") from exc
        ms = round((self._clock.monotonic() - started) * 1000, 2)
        self._trace.emit("lan", "exchange", peer=f"{shown}:{port}", path=path, status=status, ms=ms)
        try:
            if status >= 400:
                err = decode_body(ErrorReply, raw)
                raise PeerRefused(status, err.error, err.message)
            return decode_body(reply, raw)
        except ProtocolError as exc:
            raise PeerRefused(status, exc.code, f"malformed answer: {exc.message}") from exc

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class PeerDirectory:
    """Advertises this device by DNS-SD and keeps the peers it finds (PEERS_CHANGED).

    Only peers of the same server count: a device of another installation on the same LAN
    could not keep this one's session anyway. TXT: id, name, port, srv (the server), v."""

    def __init__(self, events: EventBus, trace: Trace, settings: LanSettings, clock: Clock) -> None:
        self._events = events
        self._trace = trace
        self._settings = settings
        self._zc: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._info: AsyncServiceInfo | None = None
        self._owner = TaskOwner("peers", clock, trace)
        self._by_name: dict[str, Peer] = {}
        self._device_id = ""
        self._server_url = ""

    @property
    def peers(self) -> tuple[Peer, ...]:
        return tuple(sorted(self._by_name.values(), key=lambda p: (p.name, p.device_id)))

    def peer(self, device_id: str) -> Peer | None:
        return next((p for p in self._by_name.values() if p.device_id == device_id), None)

    async def start(self, device_id: str, name: str, server_url: str, port: int) -> None:
        """Browse at once; the announcement (probing takes about a second) goes on behind."""
        from zeroconf import IPVersion
        from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

        self._device_id, self._server_url = device_id, server_url
        self._zc = AsyncZeroconf(
            interfaces=list(self._settings.interfaces), ip_version=IPVersion.V4Only
        )
        self._info = AsyncServiceInfo(
            SERVICE_TYPE,
            f"{device_id}.{SERVICE_TYPE}",
            addresses=[socket.inet_aton(a) for a in self._settings.interfaces],
            port=port,
            properties={
                "id": device_id,
                "name": name[:100],
                "port": str(port),
                "srv": server_url,
                "v": TXT_VERSION,
            },
            server=f"{device_id}.local.",
        )
        self._owner.reopen()  # a LAN started again after a stop
        _ = self._owner.spawn(self._advertise(), "advertise")
        self._browser = AsyncServiceBrowser(
            self._zc.zeroconf, [SERVICE_TYPE], handlers=[self._on_change]
        )

    async def _advertise(self) -> None:
        assert self._zc is not None
        assert self._info is not None
        announced = await self._zc.async_register_service(self._info)  # probed: name is ours
        await announced
        self._trace.emit("lan", "advertised", service=SERVICE_TYPE, port=self._info.port)

    async def stop(self) -> None:
        """Cancel and await advertising and resolving; stop browsing; say goodbye."""
        await self._owner.close()
        if self._browser is not None:
            await self._browser.async_cancel()
            self._browser = None
        if self._zc is not None:
            await self._zc.async_close()  # unregisters (goodbye packets) and closes the sockets
            self._zc = None

    def _spawn(self, coro: Coroutine[Any, Any, None], what: str) -> None:
        """Zeroconf calls back after the stop has begun: that work is not started any more."""
        with contextlib.suppress(RuntimeError):  # closed (spawn closed the coroutine)
            _ = self._owner.spawn(coro, what)

    def _on_change(
        self,
        zeroconf: Zeroconf,
        service_type: str,
        name: str,
        state_change: ServiceStateChange,
    ) -> None:
        from zeroconf import ServiceStateChange

        if state_change is ServiceStateChange.Removed:
            if self._by_name.pop(name, None) is not None:
                self._trace.emit("lan", "peer-gone", service=name)
                self._publish()
        else:
            self._spawn(self._resolve(service_type, name), f"resolve {name}")

    async def _resolve(self, service_type: str, name: str) -> None:
        from zeroconf.asyncio import AsyncServiceInfo

        assert self._zc is not None
        info = AsyncServiceInfo(service_type, name)
        if not await info.async_request(self._zc.zeroconf, RESOLVE_TIMEOUT_MS):
            self._trace.emit("lan", "unresolved", service=name)
            return
        txt = {
            k.decode(errors="replace"): (v or b"").decode(errors="replace")
            for k, v in info.properties.items()
        }
        addresses = info.parsed_addresses()
        device_id = txt.get("id", "")
        if not device_id or device_id == self._device_id or not addresses or not info.port:
            return
        if txt.get("srv") != self._server_url or txt.get("v") != TXT_VERSION:
            self._trace.emit("lan", "peer-ignored", device_id=device_id, reason="other server")
            return
        peer = Peer(device_id, txt.get("name", device_id), addresses[0], info.port)
        if self._by_name.get(name) != peer:
            self._by_name[name] = peer
            self._trace.emit("lan", "peer", device_id=device_id, host=peer.host, port=peer.port)
            self._publish()

    def _publish(self) -> None:
        self._events.publish(Event(EventKind.PEERS_CHANGED, self.peers))


class Lan:
    """The device's LAN presence: its endpoint, its client to peers, the peers found."""

    def __init__(self, events: EventBus, trace: Trace, settings: LanSettings, clock: Clock) -> None:
        self.settings = settings
        self.endpoint = LanEndpoint(trace, settings)
        self.client = LanClient(trace, clock)
        self.directory = PeerDirectory(events, trace, settings, clock)
        self.device_id = ""
        self.name = ""

    async def start(self, device_id: str, name: str, server_url: str) -> None:
        self.device_id, self.name = device_id, name
        port = await self.endpoint.start()
        await self.directory.start(device_id, name, server_url, port)

    async def stop(self) -> None:
        await self.directory.stop()
        await self.endpoint.stop()
        await self.client.close()
