"""Print documents on the server's disk, beside its database.

A document is written to a temporary file, fsync'd and renamed into place, so a crash or a
full disk leaves either the whole file or nothing. A group commit's documents (`write_each`)
are written under their own names and synced before any row names them: a crash leaves a
file no row names, which the server's start removes, and a failed write leaves nothing.
"""

from __future__ import annotations

import base64
import binascii
import ctypes
import ctypes.util
import io
import os
import struct
import sys
import zlib
from pathlib import Path

import pypdf

from panel.server.http import ApiError

MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
_LIBC = (
    ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True) if sys.platform == "linux" else None
)
ACCEPTED_TYPES = "PDF (application/pdf), JPEG (image/jpeg), PNG (image/png)"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (the ones that carry the image's size): C0-CF but DHT, JPG, DAC.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _unsupported(why: str) -> ApiError:
    return ApiError(
        415,
        "unsupported_document",
        f"{why}. The server prints {ACCEPTED_TYPES}; convert the document to one of them.",
    )


def _pdf_pages(data: bytes) -> int:
    """Pages of a PDF, from its parsed page tree: a file that only starts like one is refused."""
    try:
        pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    except Exception as exc:  # any failure to parse hostile bytes means "not a PDF"
        raise _unsupported(f"The document starts like a PDF but is not one ({exc})") from None
    if pages < 1:
        raise _unsupported("The PDF has no pages")
    return pages


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, checked against its CRC."""
    if len(data) < 33 or data[12:16] != b"IHDR" or data[8:12] != b"\x00\x00\x00\x0d":
        raise _unsupported("The PNG image has no valid header")
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    crc = struct.unpack(">I", data[29:33])[0]
    valid_depths = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
    if (
        zlib.crc32(data[12:29]) != crc
        or not (0 < width < 2**31 and 0 < height < 2**31)
        or depth not in valid_depths.get(colour, set())
    ):
        raise _unsupported("The PNG image has a damaged header")
    return width, height


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height from a JPEG's start-of-frame segment, walking the segments to it."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            break
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # segments without a length
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if length < 2:
            break
        if marker in _JPEG_SOF:
            if pos + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            if width and height:
                return width, height
            break
        if marker in (0xD9, 0xDA):  # end of image, or image data before any frame header
            break
        pos += 2 + length
    raise _unsupported("The JPEG image has no valid frame header")


def document_pages(data: bytes) -> int:
    """Pages the engine prints: a PDF's own page count, one for a JPEG or PNG image.

    The type comes from the bytes (not the file name) and is confirmed by parsing them;
    anything else is refused with 415 naming the accepted types. Blocking (pypdf): call it
    in a thread.
    """
    if data.startswith(b"%PDF-"):
        return _pdf_pages(data)
    if data.startswith(_PNG_SIGNATURE):
        _png_size(data)
        return 1
    if data.startswith(b"\xff\xd8\xff"):
        _jpeg_size(data)
        return 1
    raise _unsupported("The document is not a PDF, JPEG or PNG file")


class DocumentStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, job_id: str) -> Path:
        return self.root / job_id

    def write(self, job_id: str, data: bytes) -> None:
        """Store atomically; raises OSError (e.g. ENOSPC) with nothing left behind."""
        tmp = self.root / f".{job_id}.tmp"
        try:
            with tmp.open("wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            tmp.replace(self.path(job_id))
        except OSError:
            tmp.unlink(missing_ok=True)
            raise

    def write_unsynced(self, job_id: str, data: bytes) -> None:
        """Write and rename into place; durable only after `sync()`."""
        tmp = self.root / f".{job_id}.tmp"
        try:
            tmp.write_bytes(data)
            tmp.replace(self.path(job_id))
        except OSError:
            tmp.unlink(missing_ok=True)
            raise

    def sync(self, job_ids: list[str]) -> None:
        """Make these writes durable: one syncfs of the filesystem on Linux (one flush for a
        whole batch, ~15 ms, where fsync per file costs ~1 ms each), else fsync each."""
        fd = os.open(self.root, os.O_RDONLY)
        try:
            if _LIBC is not None and _LIBC.syncfs(fd) == 0:
                return
            for job_id in job_ids:
                with self.path(job_id).open("rb") as f:
                    os.fsync(f.fileno())
            os.fsync(fd)
        finally:
            os.close(fd)

    def write_batch(self, items: list[tuple[str, bytes]]) -> tuple[int, OSError | None]:
        """Write documents in order, then sync once. Returns how many were written (and
        synced) and the error that stopped the rest, if any."""
        done, error = 0, None
        for job_id, data in items:
            try:
                self.write_unsynced(job_id, data)
            except OSError as exc:
                error = exc
                break
            done += 1
        try:
            self.sync([job_id for job_id, _ in items[:done]])
        except OSError as exc:
            return 0, exc
        return done, error

    def _write_new(self, job_id: str, data: bytes) -> OSError | None:
        """A new document under its name, unsynced; few system calls, as each one gives the
        GIL away and waits to get it back from a busy event loop."""
        path = f"{self.root}/{job_id}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            return exc
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        except OSError as exc:
            os.close(fd)
            self.delete(job_id)
            return exc
        os.close(fd)
        return None

    def write_each(self, items: list[tuple[str, bytes]]) -> list[OSError | None]:
        """Write documents that do not depend on each other, then sync once (a group commit's
        documents): per item, None when it is durable, else the error that stopped it (a
        failed write or sync leaves nothing of that item behind)."""
        errors = [self._write_new(job_id, data) for job_id, data in items]
        written = [job_id for (job_id, _), error in zip(items, errors, strict=True) if not error]
        if written:
            try:
                self.sync(written)
            except OSError as exc:
                for job_id in written:
                    self.delete(job_id)
                return [error or exc for error in errors]
        return errors

    def delete(self, job_id: str) -> None:
        self.path(job_id).unlink(missing_ok=True)


def decode_document(document_b64: str, too_large_status: int) -> bytes:
    """A document sent as base64, or an ApiError saying what is wrong with it."""
    try:
        data = base64.b64decode(document_b64, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(400, "bad_document", "document_b64 is not valid base64.") from None
    if not data:
        raise ApiError(400, "empty_document", "The document is empty.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ApiError(
            too_large_status,
            "document_too_large",
            f"Documents are limited to {MAX_DOCUMENT_BYTES} bytes, not {len(data)}.",
        )
    return data
