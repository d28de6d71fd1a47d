"""The trace viewer's data, without Qt: trace files tailed a chunk at a time, their lines parsed
into small entries, merged in time order and kept to a bound.

A trace (panel/trace.py) is appended by a worker thread in whole lines, but a read can land
between two writes and see half a line: the part after the last newline waits for the next read.
A file that shrinks (truncated) is read again from its start; a file replaced by another one
(rotated) is read to its end first, then the new one from its start. Only new bytes are read on
each poll, never the whole file again; a file that is already large when the viewer opens it is
read from its last `START_BYTES` only (the viewer keeps the newest lines anyway).
"""

from __future__ import annotations

import bisect
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

MAX_LINES = 100_000  # the newest lines kept in memory; older ones are dropped (and counted)
START_BYTES = 32 * 1024 * 1024  # a large file is read from its last 32 MB (well over MAX_LINES)
READ_BYTES = 1024 * 1024  # at most this much a file a poll (~5k lines): the view stays responsive

NORMAL, WARNING, FAULT = 0, 1, 2  # an entry's level: faults and warnings are marked in colour
IDENTITY = ("ts", "device", "server", "concern", "event")  # every line's own keys, not its fields

# Words in an event's name that make it a fault or a warning (the trace's own vocabulary:
# engine "fault", tasks "failed", push "server-error"; "refused", "unreachable", "timeout"...).
_FAULT_WORDS = ("fault", "fail", "error", "crash")
_WARNING_WORDS = (
    "unreachable",
    "refused",
    "timeout",
    "lost",
    "malformed",
    "unexpected",
    "dead",
    "broke",
    "declined",
    "offline",
    "shed",
    "no-answer",
    "unreadable",
    "wrong-pin",
    "not-fetched",
)
_WARNING_STATES = ("unreachable", "offline", "error", "stopped", "down")


_BY_NAME: dict[str, int] = {}  # an event name's level by its words (a trace has few names)
_DECODER = json.JSONDecoder()


def _level_of_name(event: str) -> int:
    level = _BY_NAME.get(event)
    if level is None:
        level = (
            FAULT
            if any(word in event for word in _FAULT_WORDS)
            else WARNING
            if any(word in event for word in _WARNING_WORDS)
            else NORMAL
        )
        if len(_BY_NAME) < 10_000:
            _BY_NAME[event] = level
    return level


def level_of(event: str, fields: dict[str, Any]) -> int:
    """FAULT, WARNING or NORMAL, from the event's name and a few telling fields (an engine
    fault's own severity, an HTTP status, a state, an error message)."""
    by_name = _level_of_name(event)
    if by_name == FAULT:
        return WARNING if fields.get("severity") in ("warning", "report") else FAULT
    status = fields.get("status")
    if isinstance(status, int) and status >= 500:
        return FAULT
    if by_name == WARNING:
        return WARNING
    if fields.get("state") in _WARNING_STATES or fields.get("error"):
        return WARNING
    if fields.get("outcome") not in (None, "ok"):
        return WARNING
    return NORMAL


@dataclass(slots=True)
class Entry:
    """One trace line: what the list, the lanes and the filters need, and the line itself (its
    fields are parsed again when shown: 100k parsed dicts would cost ~100 MB)."""

    ts: float
    seq: int  # the order lines arrived in: ties in time keep it
    source: str  # "device" or "server": whose trace the line is from
    device: str  # the device the line is from or about ("" for the server's own lines)
    concern: str
    event: str
    level: int
    raw: str

    @property
    def key(self) -> tuple[float, int]:
        return (self.ts, self.seq)

    def fields(self) -> dict[str, Any]:
        """Everything the line says, as written."""
        parsed: dict[str, Any] = json.loads(self.raw)
        return parsed

    def own_fields(self) -> dict[str, Any]:
        """The line's fields without its identity (time, device, server, concern, event)."""
        return {k: v for k, v in self.fields().items() if k not in IDENTITY}

    def summary(self) -> str:
        """`key=value` for each own field, on one line."""
        return "  ".join(f"{k}={_short(v)}" for k, v in self.own_fields().items())


def _short(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), default=str)


def parse(line: bytes, seq: int) -> Entry | None:
    """The entry for one line, or None when it is not a trace line (damaged, not JSON)."""
    text = line.decode("utf-8", "replace")
    try:
        data = _DECODER.decode(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    ts, concern, event = data.get("ts"), data.get("concern"), data.get("event")
    if (
        not isinstance(ts, int | float)
        or not isinstance(concern, str)
        or not isinstance(event, str)
    ):
        return None
    keys = iter(data)
    next(keys)  # "ts" first, then the writer's identity (Trace(path, device=...)/(server=...))
    source = next(keys, "")
    device = data.get("device", "")
    return Entry(
        float(ts),
        seq,
        source if source in ("device", "server") else "trace",
        device if isinstance(device, str) else str(device),
        concern,
        event,
        level_of(event, data),
        text,
    )


class TraceTail:
    """New complete lines of one trace file, poll after poll (see the module's docstring)."""

    def __init__(self, path: Path, start_bytes: int = START_BYTES) -> None:
        self.path = path
        self.restarts = 0  # times the file was truncated or replaced under us
        self._start_bytes = start_bytes
        self._file: IO[bytes] | None = None
        self._inode: int | None = None
        self._offset = 0
        self._rest = b""  # a line's beginning, waiting for its newline
        self._skip_first = False  # opened mid-file: the first (partial) line is not ours
        self._opened_once = False

    def read(self, limit: int = READ_BYTES) -> list[bytes]:
        """The complete lines written since the last read (up to about `limit` bytes)."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return self._drain_and_close() if self._file is not None else []
        lines: list[bytes] = []
        if self._file is not None and stat.st_ino != self._inode:  # rotated: finish the old one
            lines = self._drain_and_close()
            self.restarts += 1
        if self._file is None:
            self._open(stat.st_size)
        elif stat.st_size < self._offset:  # truncated: read it again from its start
            assert self._file is not None
            self._file.seek(0)
            self._offset = 0
            self._rest = b""
            self.restarts += 1
        if self._file is None or stat.st_size <= self._offset:
            return lines
        return lines + self._split(self._file.read(limit))

    def _open(self, size: int) -> None:
        try:
            handle = self.path.open("rb")
        except OSError:
            return
        self._file = handle
        self._inode = os.fstat(handle.fileno()).st_ino
        self._offset, self._rest = 0, b""
        if not self._opened_once and size > self._start_bytes:
            self._offset = size - self._start_bytes
            handle.seek(self._offset)
            self._skip_first = True
        self._opened_once = True

    def _split(self, data: bytes) -> list[bytes]:
        self._offset += len(data)
        lines = (self._rest + data).split(b"\n")
        self._rest = lines.pop()  # b"" after a final newline, else a partial line
        if self._skip_first and lines:
            lines.pop(0)
            self._skip_first = False
        return [line for line in lines if line.strip()]

    def _drain_and_close(self) -> list[bytes]:
        assert self._file is not None
        lines = self._split(self._file.read())
        self.close()
        return lines

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file, self._inode, self._rest = None, None, b""
        self._offset = 0


class TraceStore:
    """Every kept entry of all the files, in time order (ties: arrival order); at most
    `limit`, the oldest dropped first. `add` says what changed, for the views."""

    def __init__(self, limit: int = MAX_LINES) -> None:
        self.limit = limit
        self.entries: list[Entry] = []
        self.dropped = 0  # entries dropped for the bound, in all
        self.unreadable = 0  # lines that were not trace lines
        self.faults = 0  # kept entries at the FAULT level
        self.concerns: dict[str, None] = {}  # in the order first seen
        self.devices: dict[str, None] = {}
        self._seq = 0

    def parse(self, lines: Iterable[bytes]) -> list[Entry]:
        """Entries for `lines`, numbered in arrival order (bad lines counted, not kept)."""
        made: list[Entry] = []
        for line in lines:
            entry = parse(line, self._seq)
            self._seq += 1
            if entry is None:
                self.unreadable += 1
                continue
            made.append(entry)
        return made

    def add(self, batch: Sequence[Entry]) -> tuple[list[Entry], list[Entry], int]:
        """Merge `batch` in: (late entries inserted before the newest kept one, entries
        appended at the end in order, how many of the oldest were dropped for the bound)."""
        ordered = sorted(batch, key=_key)
        newest = self.entries[-1].key if self.entries else None
        late: list[Entry] = []
        split = 0
        if newest is not None:
            split = bisect.bisect_left(ordered, newest, key=_key)
            late = ordered[:split]
            for entry in late:  # few: a line one file flushed after another file's newer ones
                bisect.insort(self.entries, entry, key=_key)
        appended = ordered[split:]
        self.entries.extend(appended)
        self.faults += sum(1 for entry in ordered if entry.level == FAULT)
        for entry in ordered:
            self.concerns.setdefault(entry.concern, None)
            if entry.device:
                self.devices.setdefault(entry.device, None)
        over = len(self.entries) - self.limit
        if over > 0:  # drop a tenth more than needed: not a list shift for every batch
            over = min(len(self.entries), over + self.limit // 10)
            self.faults -= sum(1 for entry in self.entries[:over] if entry.level == FAULT)
            del self.entries[:over]
            self.dropped += over
            if self.entries:  # what was dropped at once is not news for the views
                first = self.entries[0].key
                appended = appended[bisect.bisect_left(appended, first, key=_key) :]
                late = [entry for entry in late if entry.key >= first]
            else:
                appended, late = [], []
        return late, appended, max(over, 0)

    def first_key(self) -> tuple[float, int] | None:
        return self.entries[0].key if self.entries else None


def _key(entry: Entry) -> tuple[float, int]:
    return (entry.ts, entry.seq)
