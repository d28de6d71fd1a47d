"""Document boxes and shared files (S6): what a device stores, shares with the fleet, and fetches.

A device keeps boxes: one per user (`user:<user_id>`, created when that user first stores a
file) and shared boxes (`shared:<name>`), optionally with a box PIN the server checks (the
device reports only its salted hash). A file is stored durably: its bytes under
`<data dir>/box/<file_id>` (written to a temporary name, fsynced, renamed, the folder fsynced),
then its metadata (name, owner, box, pages, size, created, SHA-256) and the report that tells
the server, in one commit of the device store. The report goes through the device's report
queue (kind "box", panel/device/reports.py): a change made offline reaches the server once,
in order. A file whose metadata never committed (a kill between the two) is removed at start.

Relay: a device asks the server for a file held elsewhere (`fetch`); the server tells the
holder over its push channel (`FileSend`), the holder streams the bytes from the offset asked
(`send`), the server relays them as they arrive, and the requester writes them to
`<data dir>/incoming/<sha256>.part`, verifies size and SHA-256 and only then stores the file
in the user's box. A transfer cut off resumes from the bytes already on disk (HTTP Range).

For views (the "Shared files" screen; observe through `device.events`, call from the loop):
- `boxes()`, `files(box_id=None)`, `visible_to(user_id)`: what this device holds;
  `content_path(file_id)` is a stored file's bytes (a preview draws its first page from it;
  a file held elsewhere is fetched first).
- `await list_fleet(user_id)` -> `FileList`: every file the user may see across the fleet,
  with each holder's state ("online", "asleep", "offline"); FileError with a sentence if not.
- `await fetch(device_id, file_id, user_id, pin="")` -> `BoxFile` stored in the user's box;
  FileError (`.message` is for the panel) when it cannot come.
- `print_file(file_id, user_id, options)` -> the local Job printing it (a file held
  elsewhere is fetched first: `await print_remote(...)`).
- `await store(user_id, box_id, name, data, pages)`, `await store_scan(user, box_id, pages,
  title)` (Scan's "Store in box"), `await print_and_store(...)` (a job printed and stored),
  `await remove(file_id, user_id)` (the owner's, or `admin=True`; a file on another device:
  `await delete_remote(device_id, file_id, user_id)`), `create_shared_box(name,
  pin)`, `await seed_demo(n)` (the demo's files).
- FileError codes a view may tell apart: unknown_file, wrong_box_pin, too_many_attempts,
  holder_offline, holder_asleep, holder_missing, holder_wrong_size, checksum_mismatch,
  transfer_broken, already_coming, not_logged_in_here, bad_name, not_owner.
- Events: BOX_CHANGED (subject: the BoxFile, or the BoxInfo for change "box"; fields: change
  "added" | "removed" | "box"), FILE_TRANSFER (subject: TransferProgress: bytes done of
  total, rate, state "waiting" | "receiving" | "verifying" | "done" | "failed", message).
"""

from __future__ import annotations

import hashlib
import os
import time
import urllib.parse
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from panel.device.clock import Clock
from panel.device.connection import ServerLink
from panel.device.engine.status import PrintOptions
from panel.device.events import Event, EventBus, EventKind
from panel.device.jobs import JobManager
from panel.device.model import Job, JobKind, JobState, User
from panel.device.networks import ServerRefused, ServerUnreachable
from panel.device.reports import Reports
from panel.device.scanner import Renderer, ScanSpec, render_text
from panel.device.store import DeviceStore
from panel.pinhash import hash_pin
from panel.protocol.codec import ProtocolError, decode_body
from panel.protocol.files import (
    MAX_BOX_NAME,
    MAX_FILE_BYTES,
    MAX_PIN,
    BoxChange,
    BoxInfo,
    FileDelete,
    FileDeletion,
    FileEntry,
    FileList,
    FileMeta,
    FileSend,
    TransferInfo,
    TransferRequest,
    check_file_name,
)
from panel.protocol.messages import ErrorReply
from panel.tasks import TaskOwner
from panel.text import marker
from panel.threads import in_thread
from panel.trace import Trace

if TYPE_CHECKING:  # aiohttp is imported once the panel has painted (README: start-up)
    import aiohttp

CHUNK = 256 * 1024
MAX_SCAN_PAGES = 50  # as Device.scan_to
MAX_ATTEMPTS_WITHOUT_PROGRESS = 3
RETRY_S = 0.5  # between two attempts of a transfer that broke off (doubles up to 4 s)
_BoxRow = tuple[str, str, str, str, int, int, float, str]


class FileError(Exception):
    """A box operation or a transfer that cannot be done; `message` is for the panel."""

    def __init__(self, message: str, code: str = "file_error") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class BoxFile:
    """A file in one of this device's boxes."""

    box_id: str
    meta: FileMeta


@dataclass(slots=True)
class TransferProgress:
    """A file coming in "via server": what a progress bar shows."""

    device_id: str
    file_id: str
    name: str
    total: int
    done: int = 0
    state: str = "waiting"
    message: str = ""
    rate_bps: float = 0.0
    resumed_from: int = 0
    started: float = field(default_factory=time.monotonic)


def personal_box(user_id: str) -> str:
    return f"user:{user_id}"


class DocumentBox:
    """The device's boxes, their durable files, and the relay's two ends (see module doc)."""

    def __init__(
        self,
        store: DeviceStore,
        link: ServerLink,
        reports: Reports,
        jobs: JobManager,
        events: EventBus,
        trace: Trace,
        clock: Clock,
        data_dir: Path,
        renderer: Renderer = render_text,
    ) -> None:
        self._store = store
        self._link = link
        self._reports = reports
        self._jobs = jobs
        self._events = events
        self._trace = trace
        self._clock = clock
        self._render = renderer
        self.folder = data_dir / "box"
        self.incoming = data_dir / "incoming"
        self._tasks = TaskOwner("files", clock, trace)
        self._boxes: dict[str, BoxInfo] = {}
        self._files: dict[str, BoxFile] = {}
        self._incoming: set[str] = set()  # "device/file" asked for and SHA-256s coming in

    # -- life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Load the boxes; remove content whose metadata never committed (a kill between)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.incoming.mkdir(parents=True, exist_ok=True)
        for box_id, name, owner, pin_hash in self._store.box_rows():
            self._boxes[box_id] = BoxInfo(box_id, name, owner, pin_hash)
        for row in self._store.box_file_rows():
            self._files[row[0]] = BoxFile(row[1], _meta(row))
        for path in self.folder.iterdir():
            if path.name not in self._files:
                path.unlink(missing_ok=True)
                self._trace.emit("files", "orphan-removed", file=path.name)

    async def stop(self) -> None:
        await self._tasks.close()

    # -- what views read -------------------------------------------------------------------------
    def boxes(self) -> list[BoxInfo]:
        return sorted(self._boxes.values(), key=lambda b: (not b.shared, b.box_id))

    def files(self, box_id: str | None = None) -> list[BoxFile]:
        return [f for f in self._files.values() if box_id is None or f.box_id == box_id]

    def get(self, file_id: str) -> BoxFile | None:
        return self._files.get(file_id)

    def visible_to(self, user_id: str) -> list[BoxFile]:
        """This device's files `user_id` may see: their own box's and the shared boxes'."""
        return [f for f in self._files.values() if self._may_see(f.box_id, user_id)]

    def content_path(self, file_id: str) -> Path:
        return self.folder / file_id

    def _may_see(self, box_id: str, user_id: str) -> bool:
        return box_id.startswith("shared:") or box_id == personal_box(user_id)

    # -- boxes -----------------------------------------------------------------------------------
    def create_shared_box(self, name: str, pin: str = "") -> BoxInfo:
        """A shared box (everyone's), with an optional PIN; the same name again sets its PIN."""
        name = name.strip()
        if not name or len(name) > MAX_BOX_NAME or any(c in name for c in "/\\"):
            raise FileError(f"A box name is 1 to {MAX_BOX_NAME} characters without / or \\.")
        if len(pin) > MAX_PIN or (pin and not pin.isdigit()):
            raise FileError(f"A box PIN is up to {MAX_PIN} digits.")
        box = BoxInfo(f"shared:{name}", name, "", hash_pin(pin) if pin else "")
        self._put_box(box)
        return box

    def _ensure_box(self, box_id: str, user_id: str) -> BoxInfo:
        box = self._boxes.get(box_id)
        if box is not None:
            return box
        if box_id != personal_box(user_id):
            raise FileError(marker("Core", "There is no such box on this device."), "unknown_box")
        box = BoxInfo(box_id, user_id, user_id, "")
        self._put_box(box)
        return box

    def _put_box(self, box: BoxInfo) -> None:
        with self._store.box_change() as tx:
            tx.put_box(box.box_id, box.name, box.owner, box.pin_hash)
            self._reports.add("box", BoxChange("box", box))
        self._boxes[box.box_id] = box
        self._trace.emit("files", "box", box=box.box_id, locked=bool(box.pin_hash))
        self._events.publish(Event(EventKind.BOX_CHANGED, box, {"change": "box"}))

    # -- storing and removing --------------------------------------------------------------------
    async def store(
        self, user_id: str, box_id: str, name: str, data: bytes | Path, pages: int
    ) -> BoxFile:
        """Store `data` (bytes, or a file to move in) durably in `box_id` as `name`."""
        if not self._may_see(box_id, user_id):
            raise FileError(
                marker("Core", "You may store files only in your own box or a shared box.")
            )
        try:
            name = check_file_name(name)
        except ProtocolError as exc:
            raise FileError(exc.message, "bad_name") from exc
        file_id = uuid.uuid4().hex
        if isinstance(data, Path):
            size, sha = await in_thread(_move_in, data, self.content_path(file_id))
        else:
            size, sha = await in_thread(_write_atomically, self.content_path(file_id), data)
        meta = FileMeta(file_id, name, user_id, max(0, pages), size, self._clock.time(), sha)
        return self._commit(box_id, user_id, meta)

    def _commit(self, box_id: str, user_id: str, meta: FileMeta) -> BoxFile:
        """Metadata and the report in one commit, once the bytes are durable."""
        try:
            box = self._ensure_box(box_id, user_id)
            with self._store.box_change() as tx:
                tx.add_file(_row(box_id, meta))
                self._reports.add("box", BoxChange("added", box, meta))
        except BaseException:
            self.content_path(meta.file_id).unlink(missing_ok=True)
            raise
        stored = self._files[meta.file_id] = BoxFile(box_id, meta)
        self._trace.emit(
            "files", "stored", file_id=meta.file_id, box=box_id, size=meta.size, owner=user_id
        )
        self._events.publish(Event(EventKind.BOX_CHANGED, stored, {"change": "added"}))
        return stored

    async def remove(self, file_id: str, user_id: str, *, admin: bool = False) -> None:
        """Delete a file: its owner (or an administrator) only."""
        stored = self._files.get(file_id)
        if stored is None:
            raise FileError(marker("Core", "That file is no longer in the box."), "unknown_file")
        if stored.meta.owner != user_id and not admin:
            raise FileError(marker("Core", "Only the file's owner may delete it."), "not_owner")
        box = self._boxes[stored.box_id]
        with self._store.box_change() as tx:
            tx.remove_file(file_id)
            self._reports.add("box", BoxChange("removed", box, stored.meta))
        del self._files[file_id]
        await in_thread(self.content_path(file_id).unlink, missing_ok=True)
        self._trace.emit("files", "removed", file_id=file_id, box=stored.box_id, by=user_id)
        self._events.publish(Event(EventKind.BOX_CHANGED, stored, {"change": "removed"}))

    async def store_scan(self, user: User, box_id: str, pages: int, title: str = "") -> BoxFile:
        """Scan's "Store in box" destination: scan `pages` pages into `box_id`."""
        if not 1 <= pages <= MAX_SCAN_PAGES:
            raise FileError(f"Scan 1 to {MAX_SCAN_PAGES} pages at a time.", "bad_pages")
        at = self._clock.time()
        title = title.strip()[:100] or time.strftime("Scan %Y-%m-%d %H%M", time.localtime(at))
        document = await in_thread(
            self._render, ScanSpec(title, user.user_id, user.name, pages, at)
        )
        return await self.store(user.user_id, box_id, f"{title}.pdf", document, pages)

    async def print_and_store(
        self,
        user_id: str,
        box_id: str,
        name: str,
        data: bytes,
        pages: int,
        options: PrintOptions | None = None,
    ) -> tuple[Job, BoxFile]:
        """A job printed and stored: stored first (durable), then printed from the box."""
        stored = await self.store(user_id, box_id, name, data, pages)
        return self.print_file(stored.meta.file_id, user_id, options), stored

    def print_file(
        self, file_id: str, user_id: str, options: PrintOptions | None = None, copies: int = 1
    ) -> Job:
        """Print a file of this device's boxes as a local job (JobManager.enqueue_local)."""
        stored = self._files.get(file_id)
        if stored is None or not self._may_see(stored.box_id, user_id):
            raise FileError(
                marker("Core", "That file is not in a box you may use."), "unknown_file"
            )
        meta = stored.meta
        job = Job(
            uuid.uuid4().hex,
            JobKind.LOCAL_PRINT,  # printed at the device, never a cloud job
            f"Box: {meta.name}"[:120],
            user_id,
            JobState.QUEUED,
            pages=max(1, meta.pages),
            copies=max(1, copies),
        )
        self._jobs.enqueue_local(job, options or PrintOptions())
        self._trace.emit("files", "print", file_id=file_id, job_id=job.job_id, user=user_id)
        return job

    async def print_remote(
        self,
        device_id: str,
        file_id: str,
        user_id: str,
        pin: str = "",
        options: PrintOptions | None = None,
    ) -> Job:
        """Print here a file held by another device: fetched into the user's box, printed."""
        stored = await self.fetch(device_id, file_id, user_id, pin)
        return self.print_file(stored.meta.file_id, user_id, options)

    async def seed_demo(self, number: int) -> int:
        """A few files in this demo device's boxes (its own user's box, Bob's, a shared box),
        once: a device that has files keeps them. Returns how many were stored."""
        if self._files:
            return 0
        shared = self.create_shared_box("Team")
        stored = 0
        for user_id, user_name, box_id, title, pages in (
            ("1001", "Alice Martin", personal_box("1001"), f"Site survey {number}", 3),
            ("1002", "Bob Okafor", personal_box("1002"), f"Expense claims {number}", 2),
            ("1001", "Alice Martin", shared.box_id, f"Team handbook {number}", 5),
        ):
            at = self._clock.time()
            document = await in_thread(self._render, ScanSpec(title, user_id, user_name, pages, at))
            await self.store(user_id, box_id, f"{title}.pdf", document, pages)
            stored += 1
        return stored

    # -- the fleet's index -----------------------------------------------------------------------
    async def list_fleet(self, user_id: str) -> FileList:
        """Every file `user_id` may see across the fleet, with its holder's state."""
        try:
            path = f"/files?user_id={urllib.parse.quote(user_id, safe='')}"
            return await self._link.call("GET", path, FileList)
        except ServerUnreachable as exc:
            raise FileError(
                marker("Core", "The server cannot be reached: the list needs it.")
            ) from exc
        except ServerRefused as exc:
            raise FileError(exc.message, exc.code) from exc

    async def delete_remote(self, device_id: str, file_id: str, user_id: str) -> None:
        """Delete a file its owner `user_id` keeps on another device: the server tells that
        device, whose removal report then takes it out of the list (BOX_CHANGED does not come
        here: list again). FileError when the server refuses (not_owner, holder_offline)."""
        try:
            await self._link.call(
                "POST", "/files/deletions", FileEntry, FileDeletion(device_id, file_id, user_id)
            )
        except ServerUnreachable as exc:
            raise FileError(
                marker("Core", "The server cannot be reached: try again when online.")
            ) from exc
        except ServerRefused as exc:
            raise FileError(exc.message, exc.code) from exc

    # -- requester: a file from another device ---------------------------------------------------
    async def fetch(
        self, device_id: str, file_id: str, user_id: str, pin: str = "", box_id: str = ""
    ) -> BoxFile:
        """Fetch a file held by `device_id` through the server into `box_id` (the user's own by
        default): resumed after a break from the bytes on disk, stored only once its size and
        SHA-256 match. FileError with the reason otherwise (nothing stored)."""
        box_id = box_id or personal_box(user_id)
        if not self._may_see(box_id, user_id):
            raise FileError(
                marker("Core", "You may store files only in your own box or a shared box.")
            )
        asked = f"{device_id}/{file_id}"
        if asked in self._incoming:
            raise FileError(marker("Core", "That file is already coming in."), "already_coming")
        self._incoming.add(asked)
        try:
            return await self._fetch(device_id, file_id, user_id, pin, box_id)
        finally:
            self._incoming.discard(asked)

    async def _fetch(
        self, device_id: str, file_id: str, user_id: str, pin: str, box_id: str
    ) -> BoxFile:
        info = await self._request(device_id, file_id, user_id, pin)
        meta = info.entry.file
        if meta.sha256 in self._incoming:  # one writer per part file (a copy elsewhere)
            raise FileError(marker("Core", "That file is already coming in."), "already_coming")
        progress = TransferProgress(device_id, file_id, meta.name, meta.size)
        self._publish(progress)
        self._incoming.add(meta.sha256)
        try:
            part = await self._receive(info, progress, user_id, pin)
        except FileError as exc:
            progress.state, progress.message = "failed", exc.message
            self._publish(progress)
            self._trace.emit("files", "fetch-failed", file_id=file_id, code=exc.code)
            raise
        finally:
            self._incoming.discard(meta.sha256)
        progress.state = "done"
        self._publish(progress)
        new = FileMeta(
            uuid.uuid4().hex, meta.name, user_id, meta.pages, meta.size, self._clock.time(),
            meta.sha256,
        )  # fmt: skip
        await in_thread(_install, part, self.content_path(new.file_id))
        return self._commit(box_id, user_id, new)

    async def _request(self, device_id: str, file_id: str, user_id: str, pin: str) -> TransferInfo:
        try:
            return await self._link.call(
                "POST",
                "/files/transfers",
                TransferInfo,
                TransferRequest(device_id, file_id, user_id, pin),
            )
        except ServerUnreachable as exc:
            raise FileError(
                marker("Core", "The server cannot be reached: try again when online.")
            ) from exc
        except ServerRefused as exc:
            raise FileError(exc.message, exc.code) from exc

    async def _receive(
        self, info: TransferInfo, progress: TransferProgress, user_id: str, pin: str
    ) -> Path:
        meta = info.entry.file
        part = self.incoming / f"{meta.sha256}.part"
        hasher = hashlib.sha256()
        offset = await in_thread(_hash_prefix, part, hasher, meta.size)
        progress.resumed_from = progress.done = offset
        transfer_id, misses, delay = info.transfer_id, 0, RETRY_S
        while True:
            before = offset
            try:
                offset = await self._read(transfer_id, part, hasher, offset, meta.size, progress)
            except (_client_error(), TimeoutError, ServerUnreachable, ConnectionError) as exc:
                offset = progress.done  # written and hashed up to here
                self._trace.emit(
                    "files", "broke-off", file_id=meta.file_id, at=offset, error=str(exc)
                )
            except _Restart:
                hasher, offset = hashlib.sha256(), 0
                continue
            except _Expired:
                renewed = await self._request(info.entry.device_id, meta.file_id, user_id, pin)
                transfer_id = renewed.transfer_id
                continue
            if offset >= meta.size:
                break
            misses = 0 if offset > before else misses + 1
            if misses >= MAX_ATTEMPTS_WITHOUT_PROGRESS:
                raise FileError(
                    f"The transfer broke off at {offset:,} of {meta.size:,} bytes and could"
                    " not go on; what came is kept to resume later.",
                    "transfer_broken",
                )
            progress.state = "waiting"
            self._publish(progress)
            await self._clock.sleep(delay)
            delay = min(4.0, delay * 2)
        progress.state = "verifying"
        self._publish(progress)
        if offset != meta.size or hasher.hexdigest() != meta.sha256:
            await in_thread(part.unlink, missing_ok=True)
            raise FileError(
                marker(
                    "Core", "The file that came does not match its checksum; nothing was stored."
                ),
                "checksum_mismatch",
            )
        return part

    async def _read(
        self,
        transfer_id: str,
        part: Path,
        hasher: Any,
        offset: int,
        size: int,
        progress: TransferProgress,
    ) -> int:
        """One GET of the transfer from `offset`, appended to `part`; the new offset."""
        route = await self._link.networks.current("files")
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        url = route.url(f"/files/transfers/{transfer_id}")
        async with route.session.get(url, headers=headers, timeout=_timeout()) as resp:
            if resp.status not in (200, 206):
                raise await _refusal(resp)
            if resp.status == 200 and offset:
                raise _Restart()  # the server sends it all again: start over
            fd = await in_thread(_open_part, part, offset)
            try:
                progress.state = "receiving"
                async for chunk in resp.content.iter_chunked(CHUNK):
                    if offset + len(chunk) > size:
                        raise FileError(
                            "The holding device sent more bytes than the file has; nothing"
                            " was stored.",
                            "holder_wrong_size",
                        )
                    await in_thread(_append, fd, chunk, hasher)
                    offset += len(chunk)
                    progress.done = offset
                    self._publish(progress)
                await in_thread(os.fsync, fd)
            finally:
                await in_thread(os.close, fd)
        return offset

    def _publish(self, progress: TransferProgress) -> None:
        elapsed = time.monotonic() - progress.started
        if elapsed > 0:
            progress.rate_bps = (progress.done - progress.resumed_from) / elapsed
        self._events.publish(Event(EventKind.FILE_TRANSFER, progress))

    # -- holder: a file for another device -------------------------------------------------------
    def async_send(self, frame: FileSend | FileDelete) -> None:
        """The push channel's `file.send` (stream the file) or `file.delete` (its owner
        deleted it elsewhere), in the background."""
        if isinstance(frame, FileDelete):
            _ = self._tasks.spawn(self._delete_for(frame), f"delete {frame.file_id}")
        else:
            _ = self._tasks.spawn(self.send(frame), f"send {frame.file_id}")

    async def _delete_for(self, frame: FileDelete) -> None:
        try:
            await self.remove(frame.file_id, frame.user_id)
        except FileError as exc:  # gone already, or not theirs: the server checked as much
            self._trace.emit("files", "delete-refused", file_id=frame.file_id, code=exc.code)

    async def send(self, frame: FileSend) -> None:
        """Stream file `frame.file_id` from `frame.offset` to the server's transfer."""
        stored = self._files.get(frame.file_id)
        try:
            route = await self._link.networks.current("files")
        except ServerUnreachable as exc:  # the requester asks again (resumes) when we are back
            self._trace.emit(
                "files", "send-unreachable", transfer=frame.transfer_id, error=str(exc)
            )
            return
        url = route.url(f"/files/transfers/{frame.transfer_id}?offset={frame.offset}")
        path = self.content_path(frame.file_id)
        data: AsyncIterator[bytes] | bytes = b""
        if stored is None or frame.offset > stored.meta.size:
            # Gone since the index was told: an empty body says so (the requester is told).
            self._trace.emit("files", "send-unknown", file_id=frame.file_id, offset=frame.offset)
        else:
            data = _chunks(path, frame.offset)
        self._trace.emit(
            "files",
            "sending",
            file_id=frame.file_id,
            transfer=frame.transfer_id,
            offset=frame.offset,
        )
        try:
            async with route.session.put(url, data=data, timeout=_timeout()) as resp:
                status = resp.status
                await resp.read()
        except (_client_error(), OSError) as exc:  # a break, a file gone meanwhile
            self._trace.emit("files", "send-broke-off", transfer=frame.transfer_id, error=str(exc))
            return
        self._trace.emit("files", "sent", transfer=frame.transfer_id, status=status)


class _Restart(Exception):
    """The server sends the whole file, not the range asked: start from zero."""


class _Expired(Exception):
    """The server no longer knows the transfer: ask for a new one."""


def _client_error() -> type[Exception]:
    import aiohttp

    return aiohttp.ClientError


def _timeout() -> aiohttp.ClientTimeout:
    """No total limit (a large file takes its time); a stalled socket is a break (resumed)."""
    import aiohttp

    return aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=30)


async def _refusal(resp: aiohttp.ClientResponse) -> Exception:
    raw = await resp.content.read(64 * 1024)
    try:
        error = decode_body(ErrorReply, raw, limit=64 * 1024)
    except ProtocolError:
        error = ErrorReply("refused", f"The server answered {resp.status}.")
    if resp.status == 404 and error.error == "unknown_transfer":
        return _Expired()
    if resp.status >= 500 and error.error in ("holder_asleep", "holder_silent", "busy"):
        return ServerUnreachable(error.message)  # worth another attempt
    return FileError(error.message, error.error)


async def _chunks(path: Path, offset: int) -> AsyncIterator[bytes]:
    fd = await in_thread(os.open, path, os.O_RDONLY)
    try:
        await in_thread(os.lseek, fd, offset, os.SEEK_SET)
        while chunk := await in_thread(os.read, fd, CHUNK):
            yield chunk
    finally:
        await in_thread(os.close, fd)


# -- blocking helpers (run in a thread) ---------------------------------------------------------
def _meta(row: _BoxRow) -> FileMeta:
    file_id, _box, name, owner, pages, size, created_at, sha = row
    return FileMeta(file_id, name, owner, pages, size, created_at, sha)


def _row(box_id: str, m: FileMeta) -> _BoxRow:
    return (m.file_id, box_id, m.name, m.owner, m.pages, m.size, m.created_at, m.sha256)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path: Path, data: bytes) -> tuple[int, str]:
    if len(data) > MAX_FILE_BYTES:
        raise FileError(marker("Core", "The file is too large for a box."))
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)
    _fsync_dir(path.parent)
    return len(data), hashlib.sha256(data).hexdigest()


def _move_in(source: Path, path: Path) -> tuple[int, str]:
    """Copy `source` in (hashing as it goes), atomically and durably."""
    hasher = hashlib.sha256()
    tmp = path.with_name(path.name + ".tmp")
    size = 0
    with source.open("rb") as src, tmp.open("wb") as out:
        while chunk := src.read(1024 * 1024):
            hasher.update(chunk)
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    if size > MAX_FILE_BYTES:
        tmp.unlink()
        raise FileError(marker("Core", "The file is too large for a box."))
    tmp.replace(path)
    _fsync_dir(path.parent)
    return size, hasher.hexdigest()


def _install(part: Path, path: Path) -> None:
    part.replace(path)
    _fsync_dir(path.parent)
    _fsync_dir(part.parent)


def _hash_prefix(part: Path, hasher: Any, size: int) -> int:
    """The bytes of an earlier attempt kept in `part` (hashed); a part longer than the file
    is started afresh."""
    try:
        have = part.stat().st_size
    except FileNotFoundError:
        return 0
    if have > size:
        part.unlink()
        return 0
    with part.open("rb") as src:
        while chunk := src.read(1024 * 1024):
            hasher.update(chunk)
    return have


def _open_part(part: Path, offset: int) -> int:
    fd = os.open(part, os.O_WRONLY | os.O_CREAT, 0o600)
    os.ftruncate(fd, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    return fd


def _append(fd: int, chunk: bytes, hasher: Any) -> None:
    view = memoryview(chunk)
    while view:
        view = view[os.write(fd, view) :]
    hasher.update(chunk)
