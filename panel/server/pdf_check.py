"""Checking submitted documents once: `document_pages`'s answer (pages, or its 415) remembered
by the document's SHA-256, so the same bytes sent again (a form printed by many, a retry) are
not parsed again. Parsing a PDF costs milliseconds of CPU holding the GIL, which every other
request on the event loop waits for.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from panel.server.documents import document_pages
from panel.server.http import ApiError
from panel.threads import in_thread

HASH_ON_LOOP_BYTES = 256 * 1024  # larger documents are hashed in the parsing thread (~1 ms/MB)
CACHE_ENTRIES = 4096  # ~100 bytes each


class PageCounts:
    """`document_pages` with a bounded memory of its answers (least recently used go)."""

    def __init__(self, entries: int = CACHE_ENTRIES) -> None:
        self._entries = entries
        # Pages, or a refusal's (status, code, message): never the exception itself, whose
        # traceback would keep the refused document's bytes alive.
        self._known: OrderedDict[bytes, int | tuple[int, str, str]] = OrderedDict()
        self.parsed = 0  # documents parsed (tests and benchmarks read it)

    async def pages(self, data: bytes) -> int:
        """The pages the engine prints, or the ApiError (415) `document_pages` raises."""
        if len(data) <= HASH_ON_LOOP_BYTES:
            digest = hashlib.sha256(data).digest()
        else:
            digest = await in_thread(_sha256, data)
        known = self._known.get(digest)
        if known is None:
            known = await in_thread(self._parse, data)
            self._known[digest] = known
            while len(self._known) > self._entries:
                self._known.popitem(last=False)
        else:
            self._known.move_to_end(digest)
        if isinstance(known, tuple):
            raise ApiError(*known)
        return known

    def _parse(self, data: bytes) -> int | tuple[int, str, str]:
        self.parsed += 1
        try:
            return document_pages(data)
        except ApiError as exc:
            return exc.status, exc.code, exc.message


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()
