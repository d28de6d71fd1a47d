"""Print documents on the server's disk, beside its database.

A document is written to a temporary file, fsync'd and renamed into place, so a crash or a
full disk leaves either the whole file or nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def count_pages(data: bytes, name: str) -> int:
    """Pages a simulated engine prints: real page objects for a PDF, 60 lines a page for text."""
    if data.startswith(b"%PDF"):
        return max(1, len(_PDF_PAGE.findall(data)))
    if name.lower().endswith((".txt", ".text", ".log", ".csv")):
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        return max(1, -(-lines // 60))
    return 1


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

    def delete(self, job_id: str) -> None:
        self.path(job_id).unlink(missing_ok=True)
