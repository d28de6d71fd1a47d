"""Shared files (S6): the wire messages of document boxes, the fleet's file index and transfers.

A device reports its boxes and files as device reports of kind "box" (`BoxChange`, through
panel/protocol/device_reports.py's durable, in-order queue), so a change made offline reaches
the server once, in order. Any device lists the files its user may see across the fleet
(`GET /api/v1/files`) with each holder's state; a transfer is requested with
`POST /api/v1/files/transfers` and read from `GET /api/v1/files/transfers/{transfer_id}` (HTTP
Range resumes it). The server tells the holder with a push frame `file.send` (`FileSend`: the
transfer and the offset to start at), and the holder streams the bytes to
`PUT /api/v1/files/transfers/{transfer_id}?offset=N`; the server relays them as they arrive.

Names are display text only: a file's content is stored under its `file_id` (32 hex digits),
never under its name, so no name can reach a path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from panel.protocol.codec import ProtocolError
from panel.protocol.constraints import Count, Limit
from panel.protocol.messages import FileDelete, FileSend

__all__ = ["FileDelete", "FileSend"]  # push frames live with the others (FRAME_TYPES)

BOX_OPS = ("box", "added", "removed")  # a box defined (or its PIN changed), a file in, a file out
HOLDER_STATES = ("online", "asleep", "offline")
MAX_FILE_NAME = 120
MAX_BOX_NAME = 64
MAX_USER_ID = 64
MAX_PIN = 16
MAX_PAGES = 10_000
MAX_FILE_BYTES = 2 * 1024**3  # 2 GiB: a box file, declared before a transfer
MAX_FILES_LISTED = 2000
_HEX_ID = re.compile(r"^[0-9a-f]{32}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_BOX_ID = re.compile(r"^(user|shared):[^/\\\x00-\x1f]{1,64}$")

FileName = Annotated[str, Limit(1, MAX_FILE_NAME, code="bad_file")]
BoxName = Annotated[str, Limit(1, MAX_BOX_NAME, code="bad_file")]
UserId = Annotated[str, Limit(max_length=MAX_USER_ID, code="bad_file")]
Ident = Annotated[str, Limit(1, 80, code="bad_file")]
Sha256 = Annotated[str, Limit(64, 64, code="bad_file")]
Size = Annotated[int, Limit(minimum=0, maximum=MAX_FILE_BYTES, code="bad_file")]
Pages = Annotated[int, Limit(minimum=0, maximum=MAX_PAGES, code="bad_file")]
Pin = Annotated[str, Limit(max_length=MAX_PIN, code="bad_file")]


def check_file_name(name: str) -> str:
    """A display name without path separators, control characters or dot-only names; the
    name stripped. ProtocolError (a ValueError) otherwise."""
    cleaned = name.strip()
    if (
        not cleaned
        or len(cleaned) > MAX_FILE_NAME
        or any(c in cleaned for c in "/\\")
        or any(ord(c) < 32 or ord(c) == 127 for c in cleaned)
        or set(cleaned) <= {"."}
    ):
        raise ProtocolError(
            "bad_file",
            f"A file name is 1 to {MAX_FILE_NAME} characters without / \\ or control"
            " characters, and not only dots.",
        )
    return cleaned


def _check_id(value: str, what: str) -> None:
    if not _HEX_ID.match(value):
        raise ProtocolError("bad_file", f"{what} must be 32 lowercase hex digits")


@dataclass(frozen=True, slots=True)
class BoxInfo:
    """A document box: `user:<user_id>` (that user's own; `owner` is the user) or
    `shared:<name>` (everyone's; `owner` empty). `pin_hash`: the salted hash of the box PIN
    (panel.pinhash), empty when the box has none; the server checks a PIN against it."""

    box_id: Annotated[str, Limit(1, 80, code="bad_file")]
    name: BoxName
    owner: UserId = ""
    pin_hash: Annotated[str, Limit(max_length=200, code="bad_file")] = ""

    def __post_init__(self) -> None:
        if not _BOX_ID.match(self.box_id):
            raise ProtocolError("bad_file", "box_id is user:<user id> or shared:<name>")
        if self.box_id.startswith("user:") and self.owner != self.box_id[5:]:
            raise ProtocolError("bad_file", "a user's box is owned by that user")
        if self.box_id.startswith("shared:") and self.owner:
            raise ProtocolError("bad_file", "a shared box has no owner")

    @property
    def shared(self) -> bool:
        return self.box_id.startswith("shared:")


@dataclass(frozen=True, slots=True)
class FileMeta:
    """A file in a box: who stored it, its pages and bytes, when, and its SHA-256 (hex)."""

    file_id: Ident
    name: FileName
    owner: UserId
    pages: Pages
    size: Size
    created_at: Annotated[float, Limit(minimum=0, code="bad_file")]
    sha256: Sha256

    def __post_init__(self) -> None:
        _check_id(self.file_id, "file_id")
        check_file_name(self.name)
        if not _SHA256.match(self.sha256):
            raise ProtocolError("bad_file", "sha256 must be 64 lowercase hex digits")


@dataclass(frozen=True, slots=True)
class BoxChange:
    """A device report of kind "box": `op` "box" (the box defined; `file` None), "added" or
    "removed" (`file` the file)."""

    op: Annotated[str, Limit(choices=BOX_OPS, code="bad_file")]
    box: BoxInfo
    file: FileMeta | None = None

    def __post_init__(self) -> None:
        if (self.file is None) != (self.op == "box"):
            raise ProtocolError("bad_file", "a box change names a file unless its op is 'box'")


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file across the fleet, as a user sees it: where it is and whether its holder can
    send it now (`holder_state`: online, asleep behind a sleep proxy (woken for a transfer),
    offline). `locked`: the box has a PIN (asked for at a transfer)."""

    device_id: str
    device_name: str
    holder_state: Annotated[str, Limit(choices=HOLDER_STATES)]
    box_id: str
    box_name: str
    shared: bool
    locked: bool
    file: FileMeta


@dataclass(frozen=True, slots=True)
class FileList:
    files: Annotated[list[FileEntry], Limit(max_length=MAX_FILES_LISTED)]


@dataclass(frozen=True, slots=True)
class TransferRequest:
    """Ask for a file held by `device_id`, for `user_id` (a device asks for the user logged in
    at it; a user for themselves), with the box PIN when its box has one."""

    device_id: Ident
    file_id: Ident
    user_id: UserId = ""
    pin: Pin = ""


@dataclass(frozen=True, slots=True)
class TransferInfo:
    """A transfer the requester reads from `GET /files/transfers/{transfer_id}` (with Range to
    resume), valid for `expires_in_s`."""

    transfer_id: str
    entry: FileEntry
    expires_in_s: Count


@dataclass(frozen=True, slots=True)
class UploadReply:
    """What the holder's upload did: `outcome` "ok", or "short"/"long" (the bytes sent were not
    the file's), "broken" (the requester went away: it resumes with a new request)."""

    outcome: Annotated[str, Limit(choices=("ok", "short", "long", "broken"))]
    relayed: Count


@dataclass(frozen=True, slots=True)
class FileDeletion:
    """Delete a file held by `device_id` (its owner, or an administrator): the holder is told
    (`file.delete`) and its removal report takes it out of the index."""

    device_id: Ident
    file_id: Ident
    user_id: UserId = ""
