"""An aiohttp site that owns every connection it accepts, so stopping a server leaves none open.

Every HTTP endpoint of the product listens through it: the cloud server, a device's LAN
endpoint (S5) and the simulated networks' control API.

Why not `web.SockSite`: on Python 3.11 a connection accepted in the loop iteration in which the
listener closes is leaked. asyncio's `_accept_connection` accepts the socket and schedules
`_accept_connection2`; `asyncio.Server.close()` then sets the server's sockets to None, and when
the scheduled step builds the transport, `Server._attach()` fails its assertion. asyncio drops
that error (it reports it only in debug mode), so the half-built transport keeps the accepted
socket open with no protocol ever connected (ResourceWarning: unclosed socket). There is no
`Server.close_clients()` before 3.13 either.

This site accepts on the listening socket itself and hands each connection to aiohttp through
`loop.connect_accepted_socket`, which does not attach to an `asyncio.Server`. Stopping it stops
accepting first, waits for the connections in flight to reach aiohttp (so its graceful shutdown
sees them) and only then closes the listener; `abort_connections` closes what is still open
after the runner's cleanup.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

from aiohttp import web

from panel.tasks import TaskOwner

if TYPE_CHECKING:
    from panel.device.clock import Timer

_log = logging.getLogger(__name__)
ACCEPTS_PER_TICK = 100  # as asyncio does: let other callbacks run between bursts
RESOURCE_ERRORS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)
ACCEPT_RETRY_S = 1.0  # out of file descriptors: try again after this
# Connections the kernel queues before we accept them. Python's default (128) overflowed when a
# fleet of 5,000 devices reconnected at once (issue 12): every dropped SYN waits for a TCP
# retransmission (1 s, 3 s, ...), which fed the storm. The kernel caps it at
# net.core.somaxconn (4096 on Linux >= 5.4; 128 before: raise it there for a large fleet).
LISTEN_BACKLOG = 4096


class OwnedSite(web.BaseSite):
    """Serve the runner's application on an already listening socket (TCP or Unix); its
    accept queue is set to `backlog` (see LISTEN_BACKLOG) when the site starts."""

    def __init__(
        self, runner: web.BaseRunner, sock: socket.socket, backlog: int = LISTEN_BACKLOG
    ) -> None:
        super().__init__(runner)
        self._sock = sock
        self._backlog = backlog
        sockname = sock.getsockname()
        if sock.family == socket.AF_UNIX:
            self._name = f"http://unix:{sockname}:"
        else:
            self._name = f"http://{sockname[0]}:{sockname[1]}"
        self._owner = TaskOwner(f"site {self._name}")
        # Open transports are kept alive by the loop and aiohttp; a closed one just drops out.
        self._transports: weakref.WeakSet[asyncio.Transport] = weakref.WeakSet()
        self._accepting = False
        self._retry: Timer | None = None

    @property
    def name(self) -> str:
        return self._name

    async def start(self) -> None:
        await super().start()
        self._sock.listen(self._backlog)  # listening already: this only resizes its queue
        self._sock.setblocking(False)
        self._resume()

    async def stop(self) -> None:
        """Stop accepting, let the connections in flight reach aiohttp, close the listener."""
        self._pause()
        self._owner.cancel_timer(self._retry)
        if pending := list(self._owner.tasks):
            await asyncio.wait(pending)  # each ends within a loop iteration or two
        await self._owner.close()
        self._sock.close()
        await super().stop()

    def stall(self) -> None:
        """Stop accepting and stop reading every open connection: from outside, the server
        looks as a stopped process (SIGSTOP) or a blocked loop does. Tests and benches;
        `unstall` goes on where it stopped."""
        self._pause()
        for transport in self._transports:
            if not transport.is_closing():
                transport.pause_reading()

    def unstall(self) -> None:
        for transport in self._transports:
            if not transport.is_closing() and not transport.is_reading():
                transport.resume_reading()
        self._resume()

    def abort_connections(self) -> int:
        """Abort every connection this site accepted that is still open; returns how many."""
        open_ones = [t for t in self._transports if not t.is_closing()]
        for transport in open_ones:
            transport.abort()
        return len(open_ones)

    def _resume(self) -> None:
        self._retry = None
        if not self._accepting and self._sock.fileno() != -1:
            asyncio.get_running_loop().add_reader(self._sock.fileno(), self._accept)
            self._accepting = True

    def _pause(self) -> None:
        if self._accepting:
            asyncio.get_running_loop().remove_reader(self._sock.fileno())
            self._accepting = False

    def _accept(self) -> None:
        for _ in range(ACCEPTS_PER_TICK):
            try:
                conn, _addr = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue  # the peer gave up before we took it
            except OSError as exc:
                if exc.errno not in RESOURCE_ERRORS:
                    raise  # the loop reports it
                _log.warning(
                    "%s: cannot accept (%s), retrying in %s s", self.name, exc, ACCEPT_RETRY_S
                )
                self._pause()
                self._retry = self._owner.call_later(ACCEPT_RETRY_S, self._resume)
                return
            conn.setblocking(False)
            _ = self._owner.spawn(self._connect(conn), "connect")

    async def _connect(self, conn: socket.socket) -> None:
        server = self._runner.server
        assert server is not None, "the runner is set up before a site starts"
        try:
            transport, _ = await asyncio.get_running_loop().connect_accepted_socket(server, conn)
        except BaseException:
            conn.close()  # no transport took it over
            raise
        self._transports.add(transport)


async def stop_serving(runner: web.BaseRunner, sites: Iterable[OwnedSite]) -> None:
    """Stop listening, shut the connections down gracefully, then abort any still open."""
    await runner.cleanup()  # stops each site first: see OwnedSite.stop
    for site in sites:
        site.abort_connections()
