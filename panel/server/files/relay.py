"""The streamed relay of shared files (S6): requester -> server -> holder -> server -> requester.

A transfer is asked for (`request`: access, box PIN and the holder's state checked at once; a
holder offline is a 409 with a sentence, not a wait). The requester then reads it with
`GET /files/transfers/{id}` (a Range `bytes=N-` resumes it): the server tells the holder over
its push socket (`file.send` with offset N), waking it first through its sleep proxy when it
sleeps (S5), and waits for the holder's `PUT /files/transfers/{id}?offset=N`. The GET handler
then reads the holder's request body and writes it to the requester's response as it comes,
256 kB at a time: aiohttp's flow control on both sockets bounds what is held (a few chunks),
never the whole file, in memory or on disk.

A holder that sends fewer or more bytes than its file has breaks the requester's response
before its last byte (the final chunk is held until the upload's end is seen), so a requester
never takes a wrong file for a whole one; the transfer remembers why, and the requester's next
GET is answered 502 with that sentence. Every transfer is traced: who, what, from, to, bytes.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from dataclasses import dataclass, field

import aiohttp
from aiohttp import http_exceptions, web

from panel.lockout import lock_left, locked_message
from panel.pinhash import check_pin
from panel.protocol.files import (
    FileDelete,
    FileDeletion,
    FileEntry,
    FileSend,
    TransferInfo,
    TransferRequest,
    UploadReply,
)
from panel.server.auth import Principal
from panel.server.files.index import FileIndex, IndexedFile
from panel.server.http import ApiError
from panel.server.push import PushHub
from panel.server.sessions import DeviceSessions
from panel.server.store import Notification, ServerStore
from panel.threads import in_thread
from panel.trace import Trace

CHUNK = 256 * 1024
TRANSFER_TTL_S = 600.0
MAX_TRANSFERS = 256  # live at once; beyond, 503
MAX_TRANSFERS_EACH = 16  # of one requester: one device cannot take every slot
WAKE_S = 30.0  # a sleeper woken through its proxy is back within this
UPLOAD_WAIT_S = 15.0  # from file.send to the holder's PUT
STALL_S = 30.0  # neither side moved a byte for this long: the relay breaks (and resumes)
_RANGE = re.compile(r"^bytes=(\d{1,19})-$")
PIN_TRIES = 5  # wrong box PINs from one caller for one box within PIN_LOCK_S lock it out
PIN_LOCK_S = 300.0


@dataclass(slots=True)
class Upload:
    """The holder's PUT, handed to the requester's GET; `done` carries the outcome back."""

    offset: int
    content: aiohttp.StreamReader
    done: asyncio.Future[str] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


@dataclass(slots=True)
class Transfer:
    transfer_id: str
    file: IndexedFile
    requester: Principal
    user_id: str
    created: float
    waiting: asyncio.Future[Upload] | None = None
    wanted: int = 0
    failure: str = ""
    failure_code: str = "holder_wrong_size"
    relayed: int = 0
    woken: bool = False  # told to wake through its sleep proxy: on its way back, not offline


class Relay:
    def __init__(
        self,
        store: ServerStore,
        index: FileIndex,
        hub: PushHub,
        sessions: DeviceSessions,
        trace: Trace,
        *,
        wake_s: float = WAKE_S,
        upload_wait_s: float = UPLOAD_WAIT_S,
        stall_s: float = STALL_S,
    ) -> None:
        self.store = store
        self.index = index
        self._hub = hub
        self._sessions = sessions
        self._trace = trace
        self.wake_s = wake_s
        self.upload_wait_s = upload_wait_s
        self.stall_s = stall_s
        self._transfers: dict[str, Transfer] = {}
        self._pin_fails: dict[tuple[str, str, str], list[float]] = {}

    # -- who may see what --------------------------------------------------------------------
    def acting_user(self, who: Principal, user_id: str) -> str | None:
        """The user a request acts for: a device for the user logged in at it ("" with nobody:
        shared boxes only), a user for themselves; None for an administrator (every box)."""
        if who.kind == "device":
            if user_id and self.store.device_of_user(user_id) != who.ident:
                raise ApiError(
                    403, "not_logged_in_here", "That user is not logged in at this device."
                )
            return user_id
        if who.is_admin and not user_id:
            return None
        if not who.is_admin and user_id and user_id != who.ident:
            raise ApiError(403, "forbidden", "Users may list and fetch only their own files.")
        return user_id or who.ident

    def holder_state(self, device_id: str) -> str:
        if self._hub.connected(device_id):
            return "online"
        if self.store.delegation_in_force(device_id) is not None:
            return "asleep"
        return "offline"

    def entry(self, f: IndexedFile, states: dict[str, str] | None = None) -> FileEntry:
        states = {} if states is None else states
        state = states.get(f.device_id) or states.setdefault(
            f.device_id, self.holder_state(f.device_id)
        )
        return FileEntry(
            f.device_id,
            f.device_name,
            state,
            f.box_id,
            f.box_name,
            f.shared,
            bool(f.pin_hash),
            f.meta,
        )

    def listing(self, user_id: str | None) -> list[FileEntry]:
        states: dict[str, str] = {}
        return [self.entry(f, states) for f in self.index.visible(user_id)]

    # -- deleting a file held elsewhere ---------------------------------------------------------
    async def delete(self, who: Principal, req: FileDeletion) -> FileEntry:
        """Its owner (or an administrator) deletes a file: the holder is told now; its removal
        report takes the file out of the index. A holder not online: 409 with a sentence."""
        user_id = self.acting_user(who, req.user_id)
        f = self.index.get(req.device_id, req.file_id)
        if f is None or not f.visible_to(user_id):
            raise ApiError(404, "unknown_file", "There is no such file in a box you may use.")
        if user_id is not None and f.meta.owner != user_id:
            raise ApiError(403, "not_owner", "Only the file's owner may delete it.")
        owner = f.meta.owner
        if not await self._hub.tell(f.device_id, FileDelete(f.meta.file_id, owner)):
            raise ApiError(
                409,
                "holder_offline",
                f"{f.device_name} holds that file and is not online; delete it when it is back.",
            )
        self._trace.emit(
            "files", "delete", who=user_id, by=who.ident, file=f.meta.file_id, holder=f.device_id
        )
        return self.entry(f)

    # -- asking for a transfer -------------------------------------------------------------------
    async def request(self, who: Principal, req: TransferRequest) -> TransferInfo:
        user_id = self.acting_user(who, req.user_id)
        f = self.index.get(req.device_id, req.file_id)
        if f is None or not f.visible_to(user_id):
            # Another user's private box is refused as if it did not exist: nothing leaks.
            self._trace.emit(
                "files",
                "refused",
                who=who.ident,
                user=user_id,
                device=req.device_id,
                file=req.file_id,
            )
            raise ApiError(404, "unknown_file", "There is no such file in a box you may use.")
        if f.pin_hash:
            await self._check_pin(who, f, req.pin)
        if who.kind == "device" and who.ident == f.device_id:
            raise ApiError(409, "already_here", "That file is on this device already.")
        state = self.holder_state(f.device_id)
        if state == "offline":
            raise ApiError(
                409,
                "holder_offline",
                f"{f.device_name} holds that file and is offline; try again when it is back.",
            )
        self._expire()
        mine = sum(1 for t in self._transfers.values() if t.requester.ident == who.ident)
        if len(self._transfers) >= MAX_TRANSFERS or mine >= MAX_TRANSFERS_EACH:
            raise ApiError(503, "busy", "Too many transfers are under way; try again shortly.")
        t = Transfer(uuid.uuid4().hex, f, who, user_id or "", time.monotonic())
        self._transfers[t.transfer_id] = t
        self._trace.emit(
            "files",
            "requested",
            transfer=t.transfer_id,
            who=user_id,
            requester=who.ident,
            file=f.meta.file_id,
            name=f.meta.name,
            size=f.meta.size,
            holder=f.device_id,
            holder_state=state,
        )
        if state == "asleep":
            await self._wake(t)
        return TransferInfo(t.transfer_id, self.entry(f), int(TRANSFER_TTL_S))

    async def _check_pin(self, who: Principal, f: IndexedFile, pin: str) -> None:
        """The box PIN, with a lock after PIN_TRIES wrong ones from this caller (429)."""
        key = (who.ident, f.device_id, f.box_id)
        fails = self._pin_fails.get(key, [])
        now = time.monotonic()
        left = lock_left(fails, PIN_TRIES, PIN_LOCK_S, now)
        if left > 0:
            raise ApiError(429, "too_many_attempts", locked_message(left))
        if await in_thread(check_pin, pin, f.pin_hash):
            self._pin_fails.pop(key, None)
            return
        fails = [*(t for t in fails if t > now - PIN_LOCK_S), now][-PIN_TRIES:]
        if len(self._pin_fails) > 10_000:  # bounded: the oldest callers' counts go first
            self._pin_fails.pop(next(iter(self._pin_fails)))
        self._pin_fails[key] = fails
        self._trace.emit("files", "wrong-pin", who=who.ident, device=f.device_id, box=f.box_id)
        raise ApiError(403, "wrong_box_pin", "That box's PIN is not right.")

    def _expire(self) -> None:
        now = time.monotonic()
        for tid in [k for k, t in self._transfers.items() if now - t.created > TRANSFER_TTL_S]:
            del self._transfers[tid]

    def _transfer(self, transfer_id: str) -> Transfer:
        self._expire()
        t = self._transfers.get(transfer_id)
        if t is None:
            raise ApiError(404, "unknown_transfer", "There is no such transfer (or it expired).")
        return t

    async def _wake(self, t: Transfer) -> None:
        note = Notification(t.file.device_id, 0, f"file:{t.transfer_id}", self.store.clock())
        await self._sessions.async_work_deferred(note)
        t.woken = True
        self._trace.emit("files", "wake", transfer=t.transfer_id, holder=t.file.device_id)

    async def _tell(self, t: Transfer, frame: FileSend) -> None:
        """Send `file.send` to the holder, waking it through its proxy first if it sleeps."""
        deadline = time.monotonic() + self.wake_s
        while not await self._hub.tell(t.file.device_id, frame):
            state = self.holder_state(t.file.device_id)
            if state == "asleep" and not t.woken:
                await self._wake(t)
            # A woken holder has left its proxy and is not connected yet for a while (long on a
            # loaded machine): that is waking up, not offline.
            if state == "offline" and not t.woken:
                raise ApiError(
                    503,
                    "holder_offline",
                    f"{t.file.device_name} holds that file and is offline; try again when it"
                    " is back.",
                )
            if time.monotonic() > deadline:
                raise ApiError(
                    503,
                    "holder_asleep",
                    f"{t.file.device_name} holds that file and did not wake up; try again shortly.",
                )
            await asyncio.sleep(0.05)

    # -- the requester's GET ---------------------------------------------------------------------
    async def download(self, request: web.Request, who: Principal) -> web.StreamResponse:
        t = self._transfer(request.match_info["transfer_id"])
        if (who.kind, who.ident) != (t.requester.kind, t.requester.ident):
            raise ApiError(
                403, "not_your_transfer", "This transfer was asked for by another device."
            )
        if t.failure:
            raise ApiError(502, t.failure_code, t.failure)
        size = t.file.meta.size
        offset = _range_start(request.headers.get("Range"), size)
        waiting: asyncio.Future[Upload] = asyncio.get_running_loop().create_future()
        _refuse(t.waiting, 409, "superseded", "A newer request for this transfer replaced it.")
        t.waiting, t.wanted = waiting, offset
        try:
            await self._tell(t, FileSend(t.transfer_id, t.file.meta.file_id, offset))
            upload = await asyncio.wait_for(asyncio.shield(waiting), self.upload_wait_s)
        except TimeoutError:
            raise ApiError(
                503, "holder_silent", f"{t.file.device_name} did not start sending the file."
            ) from None
        finally:
            waiting.cancel()  # no-op once it has its upload
        outcome = "broken"
        started = time.monotonic()
        try:
            resp = web.StreamResponse(status=206 if offset else 200)
            resp.content_type = "application/octet-stream"
            resp.content_length = size - offset
            resp.headers["Content-Range"] = (
                f"bytes {offset}-{size - 1}/{size}" if size else "bytes */0"
            )
            resp.headers["X-File-SHA256"] = t.file.meta.sha256
            await resp.prepare(request)
            try:
                outcome = await self._pump(t, upload, resp, size - offset)
            except (
                OSError,
                TimeoutError,
                aiohttp.ClientError,
                http_exceptions.HttpProcessingError,
            ):
                outcome = "broken"  # either side went away: the requester resumes
            if outcome == "ok":
                await resp.write_eof()
                self._transfers.pop(t.transfer_id, None)  # done: its slot is free
            elif request.transport is not None:
                request.transport.close()  # a short body: the requester sees the break
            return resp
        finally:
            self._trace.emit(
                "files",
                "relayed" if outcome == "ok" else "relay-failed",
                transfer=t.transfer_id,
                who=t.user_id,
                file=t.file.meta.file_id,
                holder=t.file.device_id,
                requester=t.requester.ident,
                offset=offset,
                bytes=t.relayed,
                ms=round((time.monotonic() - started) * 1000, 1),
                outcome=outcome,
            )
            if not upload.done.done():
                upload.done.set_result(outcome)

    async def _pump(
        self, t: Transfer, upload: Upload, resp: web.StreamResponse, remaining: int
    ) -> str:
        """Holder's body -> requester's response; the last chunk waits for the upload's end.
        A side that neither sends nor reads for `stall_s` breaks the relay (the requester
        resumes): a requester that stops reading cannot hold a holder's upload for ever."""
        content = upload.content
        t.relayed = 0
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(None) as stall:
            while remaining > 0:
                stall.reschedule(loop.time() + self.stall_s)
                chunk = await content.read(min(CHUNK, remaining))
                if not chunk:
                    t.failure = (
                        f"The holding device sent {t.wanted + t.relayed:,} of"
                        f" {t.file.meta.size:,} bytes; nothing was stored."
                    )
                    return "short"
                remaining -= len(chunk)
                if remaining == 0 and await content.read(1):
                    t.failure = (
                        "The holding device sent more bytes than the file has; nothing was stored."
                    )
                    return "long"
                await resp.write(chunk)
                t.relayed += len(chunk)
        return "ok"

    # -- the holder's PUT ----------------------------------------------------------------------
    async def upload(self, request: web.Request, who: Principal) -> UploadReply:
        t = self._transfer(request.match_info["transfer_id"])
        if who.kind != "device" or who.ident != t.file.device_id:
            raise ApiError(403, "not_the_holder", "Only the device holding the file sends it.")
        try:
            offset = int(request.query.get("offset", "0"))
        except ValueError:
            raise ApiError(400, "bad_offset", "offset is a whole number of bytes.") from None
        waiting = t.waiting
        if waiting is None or waiting.done() or offset != t.wanted:
            raise ApiError(409, "not_wanted", "Nobody waits for this part of the transfer now.")
        length = request.content_length
        due = t.file.meta.size - offset
        if length is not None and length != due:
            if length == 0:
                t.failure_code = "holder_missing"
                t.failure = f"{t.file.device_name} no longer has that file; nothing was stored."
            else:
                t.failure = (
                    f"The holding device sent {length:,} bytes where {due:,} were due;"
                    " nothing was stored."
                )
            _refuse(waiting, 502, t.failure_code, t.failure)
            raise ApiError(400, "wrong_size", t.failure)
        up = Upload(offset, request.content)
        waiting.set_result(up)
        outcome = await up.done
        if outcome in ("short", "long"):
            raise ApiError(400, "wrong_size", t.failure)
        return UploadReply(outcome, t.relayed)

    async def close(self) -> None:
        for t in self._transfers.values():
            _refuse(t.waiting, 503, "shutting_down", "The server is shutting down.")
        self._transfers.clear()


def _refuse(waiting: asyncio.Future[Upload] | None, status: int, code: str, message: str) -> None:
    """Answer a GET still waiting for its upload with a refusal (it raises it as its reply)."""
    if waiting is not None and not waiting.done():
        waiting.set_exception(ApiError(status, code, message))


def _range_start(header: str | None, size: int) -> int:
    if header is None:
        return 0
    match = _RANGE.match(header.strip())
    if match is None:
        raise ApiError(416, "bad_range", "Only a Range of the form bytes=N- is served.")
    start = int(match.group(1))
    if start > size:
        raise ApiError(416, "bad_range", f"The file has {size} bytes.")
    return start
