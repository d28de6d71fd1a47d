"""The trace is written off the event loop (issue 12): a disk that blocks a write does not stop
the loop, lines keep the order they were emitted in, and a clean stop loses none."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import IO, Any

from panel.trace import Trace


class GatedFile:
    """A trace file whose writes block until the test opens the gate (a stalled disk)."""

    def __init__(self, real: IO[str]) -> None:
        self.real = real
        self.gate = threading.Event()
        self.writing = threading.Event()

    def write(self, text: str) -> int:
        self.writing.set()
        assert self.gate.wait(30), "the test never opened the gate"
        return self.real.write(text)

    def flush(self) -> None:
        self.real.flush()

    def close(self) -> None:
        self.real.close()


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_a_blocked_disk_write_does_not_block_the_loop_and_order_is_kept(tmp_path: Path):
    trace = Trace(tmp_path / "trace.jsonl", server="s")
    gated = GatedFile(trace._file)  # type: ignore[arg-type]
    trace._file = gated  # type: ignore[assignment]
    try:
        trace.emit("t", "e", n=0)
        # The end of this iteration hands the line to a writer thread, which starts writing.
        assert await asyncio.get_running_loop().run_in_executor(None, gated.writing.wait, 30)
        # The writer is stuck in the disk; the loop goes on emitting (and is not blocked).
        for n in range(1, 2001):
            trace.emit("t", "e", n=n)
            if n % 100 == 0:
                await asyncio.sleep(0)
        gated.gate.set()
        trace.flush()
        assert [line["n"] for line in lines(tmp_path / "trace.jsonl")] == list(range(2001))
    finally:
        gated.gate.set()
        trace.close()


async def test_close_writes_every_line_emitted_before_it(tmp_path: Path):
    trace = Trace(tmp_path / "trace.jsonl", device="d")
    for n in range(500):
        trace.emit("t", "e", n=n)  # still queued: no loop iteration ended yet
    trace.close()
    written = lines(tmp_path / "trace.jsonl")
    assert [line["n"] for line in written] == list(range(500))
    assert all(line["device"] == "d" for line in written)
    trace.emit("t", "after close")  # ignored, no error
    assert len(lines(tmp_path / "trace.jsonl")) == 500


def test_without_a_loop_a_line_is_written_at_once(tmp_path: Path):
    trace = Trace(tmp_path / "trace.jsonl")
    try:
        trace.emit("t", "now", n=1)
        assert [line["n"] for line in lines(tmp_path / "trace.jsonl")] == [1]
    finally:
        trace.close()
