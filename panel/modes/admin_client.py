"""The administrator's side of the REST API, used by `server submit` and by device enrolment.

On the server's own machine it speaks over the server's Unix socket (file permissions are the
credential); elsewhere it authenticates as an admin user with ID and PIN.
"""

from __future__ import annotations

import base64
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiohttp

from panel import config
from panel.protocol import PROTOCOL_VERSION, ProtocolError, decode_body, encode_body
from panel.protocol.messages import ErrorReply, JobCreate, JobInfo, RegisterReply, RegisterRequest
from panel.threads import in_thread

T = TypeVar("T")


class AdminError(RuntimeError):
    """A refusal or failure worth showing to the person at the terminal as it is."""


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


@dataclass
class AdminClient:
    server_url: str
    unix_path: Path | None = None
    basic: tuple[str, str] | None = None

    @classmethod
    def locate(cls, server_url: str | None, admin: str | None = None) -> AdminClient:
        """Prefer the local admin socket; fall back to admin ID + PIN (MFP_ADMIN_PIN)."""
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
        parts = urlsplit(server_url)
        if parts.hostname in ("127.0.0.1", "localhost", "::1") and parts.port and admin is None:
            path = config.server_socket(parts.port)
            if _alive(path):
                return cls(server_url, unix_path=path)
        if admin is None:
            raise AdminError(
                "no local admin socket for that server; pass --admin ID and set MFP_ADMIN_PIN"
            )
        pin = os.environ.get("MFP_ADMIN_PIN")
        if pin is None:
            import getpass

            pin = getpass.getpass(f"PIN for admin {admin}: ")
        return cls(server_url, basic=(admin, pin))

    async def _call(self, method: str, path: str, reply: type[T], body: Any) -> T:
        headers = {"Content-Type": "application/json"}
        base = self.server_url.rstrip("/")
        connector: aiohttp.BaseConnector | None = None
        if self.unix_path is not None:
            connector = aiohttp.UnixConnector(path=str(self.unix_path))
            base = "http://localhost"
        elif self.basic is not None:
            token = base64.b64encode(f"{self.basic[0]}:{self.basic[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        url = f"{base}/api/v{PROTOCOL_VERSION}{path}"
        try:
            async with (
                aiohttp.ClientSession(connector=connector) as session,
                session.request(method, url, data=encode_body(body), headers=headers) as resp,
            ):
                raw = await resp.read()
                status = resp.status
        except (aiohttp.ClientError, OSError) as exc:
            raise AdminError(f"cannot reach the server at {self.server_url}: {exc}") from exc
        try:
            if status >= 400:
                err = decode_body(ErrorReply, raw)
                raise AdminError(f"the server refused ({status} {err.error}): {err.message}")
            return decode_body(reply, raw, limit=16 * 1024 * 1024)
        except ProtocolError as exc:
            raise AdminError(f"unexpected reply from the server ({status}): {exc}") from exc

    async def register_device(self, name: str) -> RegisterReply:
        return await self._call("POST", "/devices", RegisterReply, RegisterRequest(name))

    async def submit(
        self, user_id: str, path: Path, title: str | None, copies: int, device_id: str | None
    ) -> JobInfo:
        try:
            data = await in_thread(path.read_bytes)
        except OSError as exc:
            raise AdminError(f"cannot read {path}: {exc.strerror}") from exc
        doc = base64.b64encode(data).decode()
        req = JobCreate(user_id, title or path.stem, doc, path.name, copies, device_id)
        return await self._call("POST", "/jobs", JobInfo, req)


async def register(server_url: str, name: str, admin: str | None) -> tuple[str, str]:
    """Enrol a device with the server; its secret is returned once and kept by the caller."""
    reply = await AdminClient.locate(server_url, admin).register_device(name)
    return reply.device_id, reply.secret
