"""The QA trace: one JSON object per line for every state change and every device/server exchange.

End-to-end tests wait on these lines instead of sleeping; QA exports them with a field report.
Secrets never go in: callers pass only identifiers, states and sizes.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import IO, Any

# One encoder for every line: json.dumps with options builds a new encoder per call.
_ENCODER = json.JSONEncoder(default=str, separators=(",", ":"))


class Trace:
    """Appends structured lines to `path`. Lines emitted on an event loop are written together
    at the end of the loop's current iteration (a drain emits thousands); elsewhere at once.
    Either way a reader sees a line within one loop iteration of the event."""

    def __init__(self, path: Path | None, **identity: str) -> None:
        self.identity = identity  # e.g. device="dev-1a2b": written on every line
        self._file: IO[str] | None = None
        self._pending: list[str] = []
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a", encoding="utf-8")
            path.chmod(0o600)
        self.path = path

    def emit(self, concern: str, event: str, **fields: Any) -> None:
        if self._file is None:
            return
        line: dict[str, Any] = {"ts": round(time.time(), 6), **self.identity}
        line["concern"] = concern
        line["event"] = event
        line.update(fields)
        self._pending.append(_ENCODER.encode(line) + "\n")
        if len(self._pending) == 1:
            try:
                asyncio.get_running_loop().call_soon(self.flush)
            except RuntimeError:  # no loop: write now
                self.flush()

    def flush(self) -> None:
        if self._file is not None and self._pending:
            self._file.write("".join(self._pending))
            self._file.flush()
        self._pending.clear()

    def close(self) -> None:
        self.flush()
        if self._file is not None:
            self._file.close()
            self._file = None
