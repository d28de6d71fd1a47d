"""The QA trace: one JSON object per line for every state change and every device/server exchange.

End-to-end tests wait on these lines instead of sleeping; QA exports them with a field report.
Secrets never go in: callers pass only identifiers, states and sizes.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import threading
import time
from pathlib import Path
from typing import IO, Any

_log = logging.getLogger(__name__)

# One encoder for every line: json.dumps with options builds a new encoder per call.
_ENCODER = json.JSONEncoder(default=str, separators=(",", ":"))


class Trace:
    """Appends structured lines to `path`, in the order they were emitted.

    On an event loop, the lines of one loop iteration are handed at its end to a worker thread
    that writes them: a write can block for as long as the disk likes (a server with 5,000
    devices traces thousands of lines a second, issue 12), and the loop must not wait for it.
    Elsewhere (no loop) a line is written at once. Lines wait in one queue that writers drain
    under a lock, so however many writes are in flight the file keeps the order of `emit`;
    `flush` and `close` write everything still queued before they return.
    """

    def __init__(self, path: Path | None, **identity: str) -> None:
        self.identity = identity  # e.g. device="dev-1a2b": written on every line
        self._file: IO[str] | None = None
        self._queue: collections.deque[str] = collections.deque()  # appended on emit, FIFO
        self._lock = threading.Lock()  # one writer at a time: the order of the queue holds
        self._handing_over = False  # a hand-over is scheduled for the end of this iteration
        self._in_flight = False  # a worker is writing (at most one: a stuck disk holds one)
        self._flight_lock = threading.Lock()
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
        self._queue.append(_ENCODER.encode(line) + "\n")
        if self._handing_over:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop: write now
            self.flush()
            return
        self._handing_over = True
        loop.call_soon(self._hand_over, loop)

    def _hand_over(self, loop: asyncio.AbstractEventLoop) -> None:
        """End of a loop iteration: a worker thread writes what it queued (the one already
        writing, if any, writes it too before it ends)."""
        self._handing_over = False
        with self._flight_lock:
            if self._in_flight:
                return
            self._in_flight = True
        try:
            written = loop.run_in_executor(None, self._writer)
        except RuntimeError:  # the loop's executor is shut down (the loop is ending)
            self._writer()
            return
        written.add_done_callback(_report)

    def _writer(self) -> None:
        """A worker: write until the queue is empty, then give up the flight."""
        while True:
            try:
                self._write_queued()
            finally:
                with self._flight_lock:
                    self._in_flight = False
            with self._flight_lock:
                if not self._queue or self._in_flight:
                    return  # nothing left, or another worker took it
                self._in_flight = True  # queued while we gave up the flight: ours to write

    def _write_queued(self) -> None:
        with self._lock:
            if self._file is None or not self._queue:
                return
            lines = []
            while self._queue:
                lines.append(self._queue.popleft())
            self._file.write("".join(lines))
            self._file.flush()

    def flush(self) -> None:
        """Write every line emitted so far (blocking: tests and `close` call it)."""
        self._write_queued()

    def close(self) -> None:
        self.flush()
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
            self._queue.clear()


def _report(written: asyncio.Future[None]) -> None:
    if not written.cancelled() and (exc := written.exception()) is not None:
        _log.warning("the trace could not be written: %s", exc)
