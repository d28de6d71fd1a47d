"""Helpers of the simulated-network tests: a real echo server on loopback and clients on real
sockets."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field


@dataclass
class Received:
    """What one server-side connection of the echo server saw."""

    data: bytearray = field(default_factory=bytearray)
    first_at: float | None = None  # loop time of the first byte
    eof: bool = False
    lost: asyncio.Future[Exception | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class EchoProtocol(asyncio.Protocol):
    def __init__(self, server: EchoServer) -> None:
        self.server = server
        self.seen = Received()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.server.connections.append(self.seen)
        self.server.transports.add(transport)

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        if self.seen.first_at is None:
            self.seen.first_at = asyncio.get_running_loop().time()
        self.seen.data += data
        self.transport.write(data)
        if self.server.close_after_reply:
            self.transport.close()

    def eof_received(self) -> bool:
        self.seen.eof = True
        return False  # close once the echo is written

    def connection_lost(self, exc: Exception | None) -> None:
        assert self.transport is not None
        self.server.transports.discard(self.transport)
        self.seen.lost.set_result(exc)


class EchoServer:
    """Echoes every byte; `close_after_reply` makes it close right after its first reply."""

    def __init__(self) -> None:
        self.connections: list[Received] = []
        self.transports: set[asyncio.Transport] = set()
        self.close_after_reply = False
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: EchoProtocol(self), "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    @property
    def received(self) -> bytes:
        return b"".join(bytes(c.data) for c in self.connections)

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for transport in list(self.transports):
            transport.abort()
        await asyncio.gather(*(c.lost for c in self.connections), return_exceptions=True)
        await self._server.wait_closed()


@contextlib.asynccontextmanager
async def connected(port: int) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    """A client connection to 127.0.0.1:port, closed at the end whatever happened to it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        yield reader, writer
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def read_all(reader: asyncio.StreamReader, timeout: float = 10.0) -> bytes:
    """Everything until EOF."""
    return await asyncio.wait_for(reader.read(), timeout)


async def read_exactly(reader: asyncio.StreamReader, n: int, timeout: float = 10.0) -> bytes:
    return await asyncio.wait_for(reader.readexactly(n), timeout)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))
