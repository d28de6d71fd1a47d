"""A simulated network: a TCP proxy on loopback between the device and the server, with toxics.

The device connects to the network's listening port instead of the server's; every connection
gets its own connection to the upstream (the server), and bytes go through the toxics of each
direction (see toxics.py for what each one does). A toxic added, changed or removed applies to
the connections already open, as in Toxiproxy. A network that is not `enabled` is down: its
listening socket is closed, so a new connection is refused (ECONNREFUSED), and the connections
it had are cut.

    network = Network("Wired LAN", upstream=("127.0.0.1", 8631))
    await network.start()
    device_url = network.url               # http://127.0.0.1:<port>, in front of the server
    network.add_toxic(Toxic("latency", {"latency": 200, "jitter": 50}))
    await network.set_enabled(False)       # cable pulled
    await network.reset()                  # no toxics, up again
    await network.stop()

A NetworkSet holds the named networks of a session (the demo's "Wired LAN" and "LTE").

Toxics act in the time of the network's clock (`panel.device.clock.Clock`, real by default):
give the device's clock to share it, a ManualClock in tests. Every task and timer of a network
is owned by its TaskOwner: `stop()` cancels and awaits them, and leaves no socket open.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from panel.device.clock import Clock
from panel.sim.link import Link
from panel.sim.observe import (
    Listeners,
    NetworkEvent,
    NetworkEventKind,
    NetworkHandler,
    NetworkStats,
)
from panel.sim.toxics import Toxic, check_name
from panel.tasks import TaskOwner

Address = tuple[str, int]


class UnknownName(LookupError):
    """No network or toxic has this name."""


class NameTaken(ValueError):
    """A network or toxic of this name exists already."""


def parse_address(text: str) -> Address:
    """`HOST:PORT` (`[::1]:PORT` for IPv6) -> (host, port); ValueError when it is not one."""
    host, sep, port_text = text.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise ValueError(f"{text!r}: write an IPv6 address in brackets, e.g. [::1]:8631")
    if not sep or not host or not port_text.isdigit():
        raise ValueError(f"{text!r} is not HOST:PORT")
    return check_address((host, int(port_text)), "address")


def format_address(address: Address) -> str:
    host, port = address
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def check_address(address: Address, what: str) -> Address:
    host, port = address
    if not host or not 0 <= port <= 65535:
        raise ValueError(f"{what} {host}:{port}: the port must be 0..65535")
    return host, port


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Network:
    """One simulated network; `listen` must be on loopback (port 0: a free one is chosen).
    `clock`: the time its toxics act in (real time when None)."""

    def __init__(
        self,
        name: str,
        upstream: Address,
        listen: Address = ("127.0.0.1", 0),
        clock: Clock | None = None,
    ) -> None:
        self.name = check_name(name, "network")
        self.upstream = check_address(upstream, "upstream")
        self._listen = check_address(listen, "listen")
        if not is_loopback(self._listen[0]):
            raise ValueError(f"a simulated network listens on loopback only, not {listen[0]!r}")
        self.enabled = False
        self._started = False
        self._stopped = False
        self._server: asyncio.Server | None = None
        self._toxics: dict[str, Toxic] = {}  # in the order they act
        self._links: set[Link] = set()
        self._numbers = itertools.count(1)
        self._stats = NetworkStats()
        self._listeners = Listeners()
        self._lock = asyncio.Lock()  # one listening change at a time
        self.clock = clock or Clock()
        self._owner = TaskOwner(f"sim network {self.name}", self.clock)

    # -- where the device connects ---------------------------------------------------------

    @property
    def listen(self) -> Address:
        """The listening address (its real port once started)."""
        return self._listen

    @property
    def port(self) -> int:
        return self._listen[1]

    @property
    def url(self) -> str:
        """`http://HOST:PORT` of this network, to give the device instead of the server's."""
        return f"http://{format_address(self._listen)}"

    def url_for(self, path: str = "/") -> str:
        if not path.startswith("/"):
            raise ValueError(f"a path starts with '/': {path!r}")
        return self.url + path

    @property
    def stats(self) -> NetworkStats:
        """A copy of the counters."""
        return dataclasses.replace(self._stats)

    def subscribe(self, handler: NetworkHandler) -> Callable[[], None]:
        """Call `handler` with every NetworkEvent of this network; returns an unsubscriber."""
        return self._listeners.subscribe(handler)

    # -- up and down -------------------------------------------------------------------------

    async def start(self, enabled: bool = True) -> None:
        """Bind the listening port (fixing it when it was 0); `enabled=False` then closes it."""
        async with self._lock:
            if self._started:
                raise RuntimeError(f"network {self.name!r} was started already")
            await self._listen_now()
            self._started = True
            self.enabled = True
        if not enabled:
            await self.set_enabled(False)

    async def set_enabled(self, enabled: bool) -> None:
        """Up: listen again on the same port. Down: refuse new connections, cut existing ones."""
        async with self._lock:
            if not self._started or self._stopped:
                raise RuntimeError(f"network {self.name!r} is not running")
            if enabled == self.enabled:
                return
            if enabled:
                await self._listen_now()
                self.enabled = True
                self._publish(NetworkEventKind.ENABLED)
                return
            self.enabled = False
            await self._close_all("network down")
            self._publish(NetworkEventKind.DISABLED)

    async def reset(self) -> None:
        """Remove every toxic and enable the network (Toxiproxy's POST /reset)."""
        for name in list(self._toxics):
            self._remove(name)
        await self.set_enabled(True)
        self._publish(NetworkEventKind.RESET)

    async def stop(self) -> None:
        """Stop listening and close every connection; returns when all are closed."""
        async with self._lock:
            if self._stopped:
                return
            self._stopped = True
            self.enabled = False
            await self._close_all("network stopped")
            await self._owner.close()

    async def _listen_now(self) -> None:
        host, port = self._listen
        try:
            server = await asyncio.get_running_loop().create_server(self._accept, host, port)
        except OSError as exc:
            raise OSError(
                exc.errno, f"network {self.name!r} cannot listen on {host}:{port}: {exc.strerror}"
            ) from exc
        self._server = server
        self._listen = (host, server.sockets[0].getsockname()[1])

    async def _close_all(self, reason: str) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()  # the listening socket is closed now: connects are refused
        links = list(self._links)
        for link in links:
            link.abort(reason)
        await asyncio.gather(*(link.wait_closed() for link in links))
        if server is not None:
            await server.wait_closed()

    def _accept(self) -> asyncio.Protocol:
        link = Link(
            next(self._numbers),
            self.upstream,
            self._stats,
            self._toxics.values(),
            self._closed,
            self._owner,
            self.clock,
        )
        self._links.add(link)
        self._stats.connections_total += 1
        self._stats.connections_open += 1
        self._publish(NetworkEventKind.CONNECTION_OPENED, connection=link.number)
        if not self.enabled:  # accepted just as the network went down
            link.abort("network down")
        return link.device

    def _closed(self, link: Link) -> None:
        self._links.discard(link)
        self._stats.connections_open -= 1
        if link.failed:
            self._stats.connections_failed += 1
        self._publish(
            NetworkEventKind.CONNECTION_CLOSED, connection=link.number, reason=link.reason
        )

    # -- toxics ------------------------------------------------------------------------------

    @property
    def toxics(self) -> list[Toxic]:
        """The toxics, in the order they act on the data."""
        return list(self._toxics.values())

    def toxic(self, name: str) -> Toxic:
        try:
            return self._toxics[name]
        except KeyError:
            raise UnknownName(f"network {self.name!r} has no toxic {name!r}") from None

    def add_toxic(self, toxic: Toxic) -> Toxic:
        """Add `toxic` (after the others); it acts on open connections too."""
        if toxic.name in self._toxics:
            raise NameTaken(f"network {self.name!r} has a toxic {toxic.name!r} already")
        self._toxics[toxic.name] = toxic
        for link in list(self._links):
            link.add_toxic(toxic)
        self._publish(NetworkEventKind.TOXIC_ADDED, toxic=toxic)
        return toxic

    def update_toxic(
        self,
        name: str,
        attributes: Mapping[str, int] | None = None,
        toxicity: float | None = None,
    ) -> Toxic:
        """Change some attributes (the others are kept) or the toxicity of toxic `name`."""
        toxic = self.toxic(name).with_changes(attributes, toxicity)
        self._toxics[name] = toxic
        for link in list(self._links):
            link.update_toxic(toxic)
        self._publish(NetworkEventKind.TOXIC_UPDATED, toxic=toxic)
        return toxic

    def remove_toxic(self, name: str) -> None:
        self.toxic(name)  # UnknownName if there is none
        self._remove(name)

    def _remove(self, name: str) -> None:
        toxic = self._toxics.pop(name)
        for link in list(self._links):
            link.remove_toxic(toxic)
        self._publish(NetworkEventKind.TOXIC_REMOVED, toxic=toxic)

    # -- for observers -----------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Toxiproxy's proxy object, with this network's counters as `stats`."""
        return {
            "name": self.name,
            "listen": format_address(self._listen),
            "upstream": format_address(self.upstream),
            "enabled": self.enabled,
            "toxics": [toxic.to_json() for toxic in self._toxics.values()],
            "stats": self._stats.to_json(),
        }

    def _publish(
        self,
        kind: NetworkEventKind,
        toxic: Toxic | None = None,
        connection: int | None = None,
        reason: str = "",
    ) -> None:
        self._listeners.publish(NetworkEvent(self.name, kind, toxic, connection, reason))


class NetworkSet:
    """The named networks of a session, all controlled together (and by the control API);
    their toxics act in the time of `clock` (real time when None)."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or Clock()
        self._networks: dict[str, Network] = {}
        self._unsubscribe: dict[str, Callable[[], None]] = {}
        self._listeners = Listeners()

    async def create(
        self,
        name: str,
        upstream: Address,
        listen: Address = ("127.0.0.1", 0),
        enabled: bool = True,
    ) -> Network:
        """A new network, started; NameTaken if one of that name exists."""
        if name in self._networks:
            raise NameTaken(f"a network named {name!r} exists already")
        network = Network(name, upstream, listen, self.clock)
        self._networks[name] = network  # the name is taken while it starts
        try:
            await network.start(enabled)
        except BaseException:
            del self._networks[name]
            raise
        self._unsubscribe[name] = network.subscribe(self._listeners.publish)
        self._listeners.publish(NetworkEvent(name, NetworkEventKind.CREATED))
        return network

    def get(self, name: str) -> Network:
        try:
            return self._networks[name]
        except KeyError:
            raise UnknownName(f"no network named {name!r}") from None

    async def delete(self, name: str) -> None:
        """Stop network `name` (its connections are closed) and forget it."""
        network = self.get(name)
        del self._networks[name]
        self._unsubscribe.pop(name, lambda: None)()
        await network.stop()
        self._listeners.publish(NetworkEvent(name, NetworkEventKind.DELETED))

    async def reset(self) -> None:
        """Every network enabled, without toxics."""
        for network in list(self._networks.values()):
            await network.reset()

    async def stop(self) -> None:
        """Stop and forget every network."""
        for name in list(self._networks):
            await self.delete(name)

    def subscribe(self, handler: NetworkHandler) -> Callable[[], None]:
        """`handler` gets the events of every network in the set, and their creation/deletion."""
        return self._listeners.subscribe(handler)

    def __iter__(self) -> Iterator[Network]:
        return iter(list(self._networks.values()))

    def __len__(self) -> int:
        return len(self._networks)

    def __contains__(self, name: object) -> bool:
        return name in self._networks

    def to_json(self) -> dict[str, Any]:
        """Toxiproxy's GET /proxies: name -> proxy object."""
        return {name: network.to_json() for name, network in self._networks.items()}
