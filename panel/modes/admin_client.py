"""The administrator's side of the REST API, used by `server submit` and by device enrolment.

On the server's own machine it speaks over the server's Unix socket (file permissions are the
credential); elsewhere it authenticates as an admin user with ID and PIN.
"""

from __future__ import annotations

import asyncio
import base64
import os
import socket
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar
from urllib.parse import urlsplit

import aiohttp

from panel import config
from panel.modes.server_url import AdminError, check_url
from panel.protocol import PROTOCOL_VERSION, ProtocolError, decode_body, encode_body, idempotency
from panel.protocol.messages import (
    ErrorReply,
    Health,
    JobCreate,
    JobInfo,
    RegisterReply,
    RegisterRequest,
)
from panel.threads import in_thread

T = TypeVar("T")


class NoReply(AdminError):
    """No answer came: the server may or may not have done what was asked. `connected` is
    False when no connection was made (the request never left)."""

    def __init__(self, message: str, connected: bool) -> None:
        super().__init__(message)
        self.connected = connected


CONNECT_TIMEOUT_S = 10.0
# Waits before sending a job again with the same Idempotency-Key after its reply was lost: time
# for a server that died between its commit and its reply to start again.
RESEND_AFTER_S = (0.5, 1.0, 2.0, 4.0, 8.0)
READ_TIMEOUT_S = 120.0  # a server checking a large PDF takes a while to answer
_CHUNK = 3 * 64 * 1024  # a multiple of 3: each chunk's base64 joins the next without padding


def unreachable(server_url: str, exc: BaseException) -> NoReply:
    """Name why the server could not be reached: refused, DNS, timeout, or what else."""
    host = urlsplit(server_url).hostname
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        why = f"the host name {host!r} does not resolve (DNS); check the URL"
    elif isinstance(exc, aiohttp.ClientConnectorError) and isinstance(
        exc.os_error, ConnectionRefusedError
    ):
        why = "connection refused (nothing listens there): is the server running on that port?"
    elif isinstance(exc, TimeoutError | aiohttp.ServerTimeoutError):
        why = f"no answer within {CONNECT_TIMEOUT_S:.0f} s (timeout): check the address and network"
    else:
        why = str(exc) or type(exc).__name__
    connected = not isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError)
    return NoReply(f"cannot reach the server at {server_url}: {why}", connected)


def _alive(path: Path) -> bool:
    """A socket a server still listens on (a crashed server leaves a stale file behind)."""
    if not path.is_socket():
        return False
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


async def _json_stream(head: bytes, f: BinaryIO, tail: bytes) -> AsyncIterator[bytes]:
    """A JSON body whose document is base64-encoded chunk by chunk as it is read, so a
    document never sits in memory whole (nor its base64)."""
    yield head
    while chunk := await in_thread(f.read, _CHUNK):
        yield base64.b64encode(chunk)
    yield tail


@dataclass
class AdminClient:
    server_url: str
    unix_path: Path | None = None
    basic: tuple[str, str] | None = None
    _limit: int | None = field(default=None, init=False, repr=False)  # max_document_bytes

    @classmethod
    def locate(cls, server_url: str | None, admin: str | None = None) -> AdminClient:
        """Prefer the local admin socket; else admin ID + PIN (MFP_ADMIN_PIN); else no
        credential, and a server that asks for one is answered with what to pass."""
        if server_url is None:
            sockets = [p for p in config.runtime_dir().glob("server-*.sock") if _alive(p)]
            if len(sockets) != 1:
                where = ", ".join(str(p) for p in sockets) or "none"
                raise AdminError(
                    f"cannot tell which server to use (local server sockets: {where}); "
                    "pass --server URL"
                )
            port = int(sockets[0].stem.removeprefix("server-"))
            return cls(f"http://127.0.0.1:{port}", unix_path=sockets[0])
        parts = urlsplit(check_url(server_url))
        if parts.hostname in ("127.0.0.1", "localhost", "::1") and parts.port and admin is None:
            path = config.server_socket(parts.port)
            if _alive(path):
                return cls(server_url, unix_path=path)
        if admin is None:
            return cls(server_url)
        pin = os.environ.get("MFP_ADMIN_PIN")
        if pin is None:
            import getpass

            pin = getpass.getpass(f"PIN for admin {admin}: ")
        return cls(server_url, basic=(admin, pin))

    async def _call(self, method: str, path: str, reply: type[T], body: Any) -> T:
        data = encode_body(body) if body is not None else None
        return await self._send(method, path, reply, data)

    async def _send(
        self,
        method: str,
        path: str,
        reply: type[T],
        data: bytes | AsyncIterable[bytes] | None,
        extra: dict[str, str] | None = None,
    ) -> T:
        headers = {"Content-Type": "application/json", **(extra or {})}
        base = self.server_url.rstrip("/")
        connector: aiohttp.BaseConnector | None = None
        if self.unix_path is not None:
            connector = aiohttp.UnixConnector(path=str(self.unix_path))
            base = "http://localhost"
        elif self.basic is not None:
            token = base64.b64encode(f"{self.basic[0]}:{self.basic[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        url = f"{base}/api/v{PROTOCOL_VERSION}{path}"
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=CONNECT_TIMEOUT_S, sock_read=READ_TIMEOUT_S
        )
        try:
            async with (
                aiohttp.ClientSession(connector=connector, timeout=timeout) as session,
                session.request(method, url, data=data, headers=headers) as resp,
            ):
                raw = await resp.read()
                status = resp.status
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise unreachable(self.server_url, exc) from exc
        try:
            if status >= 400:
                err = decode_body(ErrorReply, raw)
                if status == 401 and self.unix_path is None and self.basic is None:
                    raise AdminError(
                        f"the server at {self.server_url} asks for an administrator, and it has"
                        " no local admin socket on this machine: pass --admin ID and set"
                        " MFP_ADMIN_PIN"
                    )
                raise AdminError(f"the server refused ({status} {err.error}): {err.message}")
            return decode_body(reply, raw, limit=16 * 1024 * 1024)
        except ProtocolError as exc:
            raise AdminError(f"unexpected reply from the server ({status}): {exc}") from exc

    async def health(self) -> Health:
        return await self._call("GET", "/health", Health, None)

    async def register_device(self, name: str) -> RegisterReply:
        return await self._call("POST", "/devices", RegisterReply, RegisterRequest(name))

    async def submit(
        self, user_id: str, path: Path, title: str | None, copies: int, device_id: str | None
    ) -> JobInfo:
        """Check the file's size against the server's limit, then stream it up with a fresh
        Idempotency-Key; a reply lost on the way (the server died after its commit, the
        connection broke) is asked for again with the same key, so the job is made once."""
        if self._limit is None:  # asked once per client: a bench submits thousands
            self._limit = (await self.health()).max_document_bytes
        limit = self._limit
        try:
            f = await in_thread(path.open, "rb")
        except OSError as exc:
            raise AdminError(f"cannot read {path}: {exc.strerror}") from exc
        try:
            size = os.fstat(f.fileno()).st_size
            if limit and size > limit:
                raise AdminError(
                    f"{path} is {_megabytes(size)}; the server at {self.server_url} takes"
                    f" documents up to {_megabytes(limit)} ({limit} bytes): split or compress it"
                )
            req = JobCreate(user_id, title or path.stem, "", path.name, copies, device_id)
            head, tail = encode_body(req).split(b'"document_b64":""')
            key = {idempotency.HEADER: idempotency.new_key()}
            sent = False  # once a request may have reached the server, every failure is retried
            waits = iter(RESEND_AFTER_S)
            while True:
                await in_thread(f.seek, 0)
                stream = _json_stream(head + b'"document_b64":"', f, b'"' + tail)
                try:
                    return await self._send("POST", "/jobs", JobInfo, stream, key)
                except NoReply as exc:
                    sent = sent or exc.connected
                    wait = next(waits, None)
                    if not sent or wait is None:
                        raise
                await asyncio.sleep(wait)
        finally:
            f.close()


async def register(server_url: str, name: str, admin: str | None) -> tuple[str, str]:
    """Enrol a device with the server; its secret is returned once and kept by the caller."""
    reply = await AdminClient.locate(server_url, admin).register_device(name)
    return reply.device_id, reply.secret
