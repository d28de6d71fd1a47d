"""Python's cyclic garbage collector, kept from pausing a process that holds thousands of
long-lived objects (a server with 5,000 push sockets, a fleet worker with 2,500 devices).

CPython's full (generation 2) collection scans every live object. With 5,000 devices connected
it took 0.6-1.1 s in the server and 1.3-2.0 s in a fleet worker, more as the heap grew (issue 12,
measured with a `gc.callbacks` probe): every socket of the process waits that long, which is a
push latency p99 of seconds. Here what has survived a while is frozen (`gc.freeze`: moved out of
the collector's scans; reference counting still frees it), so each collection scans only what
is recent. Every `period_s` the recent objects are collected and the survivors frozen.

A frozen object that later becomes part of a garbage cycle is not collected until it is thawed.
So that memory held that way stays bounded, everything is thawed and collected in full when the
heap has grown by `growth` since the last full collection (a quarter by default, CPython's own
rule for its full collections; fleet workers wait for it to double): long pauses while a fleet
first connects (the heap grows), none in a steady state (it does not). Memory held by frozen
cycles is at most `growth - 1` times what is live.

The heap is measured in pymalloc's allocated blocks (`sys.getallocatedblocks`: a walk of its
pools, ~0.2 ms), not `gc.get_freeze_count()`: that walks every frozen object, ~200 ms in a fleet
worker holding 2,500 devices, and it was every step's own pause (issue 12: py-spy showed it as
10% of a worker's time, the push p99 of ~170 ms).

`young_only` (fleet workers): a step collects the young generations only, and what survived
them unscanned is frozen too. A step then costs what was allocated since the collector's last
young collection, not all that has lived for the last `period_s`; cycles among those survivors
wait for the next full collection.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from dataclasses import dataclass

from panel.trace import Trace
from panel.transport_cycles import break_transport_cycles

PERIOD_S = 2.0
GROWTH = 1.25  # the heap's growth that brings a full collection
FLOOR = 300_000  # below this many allocated blocks a full collection is cheap: no waiting


@dataclass
class GcStats:
    """What the policy did: steps, full collections, and the longest of each (ms)."""

    steps: int = 0
    full: int = 0
    longest_step_ms: float = 0.0
    longest_full_ms: float = 0.0


class GcPolicy:
    """`start()` from a running loop; `stop()` gives the process its collector back as it was."""

    def __init__(
        self,
        period_s: float = PERIOD_S,
        growth: float = GROWTH,
        floor: int = FLOOR,
        trace: Trace | None = None,
        young_only: bool = False,
    ) -> None:
        self.period_s = period_s
        self.young_only = young_only  # see `step`
        self.trace = trace  # a line for each full collection: the one pause it allows
        self.growth = growth
        self.floor = floor
        self.stats = GcStats()
        self._baseline = 0  # allocated blocks right after the last full collection
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            break_transport_cycles()  # a closed connection must not be frozen as garbage
            self.full_collection()
            self._task = asyncio.get_running_loop().create_task(self._run(), name="gc policy")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            gc.unfreeze()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.period_s)
            self.step()

    def step(self) -> None:
        """Collect what is recent and freeze the survivors; in full when the heap grew past
        `growth` times its size after the last full collection."""
        if sys.getallocatedblocks() > max(self.floor, self._baseline * self.growth):
            self.full_collection()
            return
        t0 = time.perf_counter()
        gc.collect(1 if self.young_only else 2)
        gc.freeze()
        self.stats.steps += 1
        self.stats.longest_step_ms = max(self.stats.longest_step_ms, _ms_since(t0))

    def full_collection(self) -> None:
        """Thaw, collect everything (cycles among once-frozen objects included), freeze."""
        t0 = time.perf_counter()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._baseline = sys.getallocatedblocks()
        self.stats.full += 1
        ms = _ms_since(t0)
        self.stats.longest_full_ms = max(self.stats.longest_full_ms, ms)
        if self.trace is not None:
            self.trace.emit("runtime", "gc-full", ms=round(ms, 1), heap_blocks=self._baseline)


def _ms_since(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000
