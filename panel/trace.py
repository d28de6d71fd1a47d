"""The QA trace: one JSON object per line for every state change and every device/server exchange.

End-to-end tests wait on these lines instead of sleeping; QA exports them with a field report.
Secrets never go in: callers pass only identifiers, states and sizes.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import IO, Any


class Trace:
    """Appends structured lines to `path` (line-buffered, so a reader sees each line at once)."""

    def __init__(self, path: Path | None, **identity: str) -> None:
        self.identity = identity  # e.g. device="dev-1a2b": written on every line
        self._file: IO[str] | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a", encoding="utf-8", buffering=1)
            path.chmod(0o600)
        self.path = path

    def emit(self, concern: str, event: str, **fields: Any) -> None:
        if self._file is None:
            return
        line: dict[str, Any] = {"ts": round(time.time(), 6), **self.identity}
        line["concern"] = concern
        line["event"] = event
        line.update(fields)
        self._file.write(json.dumps(line, default=str, separators=(",", ":")) + "\n")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
