"""The collector policy of servers and fleet workers (issue 12): a collection scans only what is
recent, and garbage cycles among frozen objects are still collected once the heap grows."""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import weakref
from collections.abc import Iterator

import pytest

from panel.gc_policy import GcPolicy
from panel.trace import Trace


class Node:
    """A container the collector tracks, which can be part of a cycle."""

    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def restore_gc() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.collect()


def _cycle() -> weakref.ref[Node]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.mark.usefixtures("restore_gc")
def test_long_lived_objects_leave_the_collectors_scans() -> None:
    policy = GcPolicy(floor=10**9)
    held = [Node() for _ in range(50_000)]  # a fleet's sockets, say
    policy.step()
    scanned = sum(len(gc.get_objects(generation)) for generation in range(3))
    assert scanned < 5_000  # what a full collection now walks: not the 50,000 held
    assert gc.get_freeze_count() >= len(held)
    fresh = _cycle()
    gc.collect()
    assert fresh() is None  # what is recent is collected as usual


@pytest.mark.usefixtures("restore_gc")
def test_a_frozen_cycle_is_collected_once_the_heap_grows_by_a_quarter() -> None:
    policy = GcPolicy(floor=0)
    policy.full_collection()
    baseline = sys.getallocatedblocks()
    alive = Node()
    alive.other = Node()
    alive.other.other = alive
    old = weakref.ref(alive)
    policy.step()  # the cycle, still in use, is frozen with the rest
    del alive  # now garbage: a dead connection's objects, say
    gc.collect()
    assert old() is not None  # frozen: not collected by the collector's runs ...
    growth = [Node() for _ in range(baseline // 4 + 1000)]
    policy.step()  # ... frozen once more: now over 1.25 times the baseline
    policy.step()  # a full collection: thawed, collected, frozen again
    assert old() is None
    assert policy.stats.full == 2
    assert len(growth) > baseline // 4


@pytest.mark.usefixtures("restore_gc")
def test_a_step_never_walks_the_frozen_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting frozen objects walks all of them: ~200 ms a step in a fleet worker with 2,500
    devices (issue 12). The policy measures the heap in allocated blocks instead."""
    policy = GcPolicy(floor=0)
    policy.full_collection()

    def walk() -> int:
        raise AssertionError("gc.get_freeze_count() walks every frozen object")

    monkeypatch.setattr(gc, "get_freeze_count", walk)
    held = [Node() for _ in range(10_000)]
    policy.step()
    policy.step()
    assert policy.stats.steps == 2
    assert len(held) == 10_000


@pytest.mark.usefixtures("restore_gc")
def test_a_young_only_step_freezes_old_survivors_unscanned_until_a_full_collection() -> None:
    """A fleet worker's step collects the young generations only: a cycle that outlived them
    is frozen with the rest, and the next full collection still frees it."""
    policy = GcPolicy(floor=10**9, young_only=True)
    policy.full_collection()
    a = Node()
    a.other = Node()
    a.other.other = a
    gc.collect(1)  # survived the young generations: now old (unfrozen) ...
    old = weakref.ref(a)
    del a  # ... and garbage
    fresh = _cycle()  # young garbage
    policy.step()
    assert fresh() is None  # young cycles are collected by the step
    assert old() is not None  # the old one was frozen, not scanned
    policy.full_collection()
    assert old() is None


@pytest.mark.realtime  # the policy's timer is the loop's (a server has no device clock)
@pytest.mark.usefixtures("restore_gc")
async def test_start_runs_steps_on_the_loop_and_stop_thaws() -> None:
    policy = GcPolicy(period_s=0.01, floor=10**9)
    policy.start()
    try:
        assert policy.stats.full == 1  # at once: what the process holds at start is frozen
        await asyncio.sleep(0.5)  # the policy's period runs on the loop's own time
        assert policy.stats.steps >= 2
        assert gc.get_freeze_count() > 0
    finally:
        await policy.stop()
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("restore_gc")
def test_each_full_collection_is_a_line_in_the_trace(tmp_path) -> None:
    """The one pause the policy allows is where QA can see it, beside the server's exchanges."""
    trace = Trace(tmp_path / "trace.jsonl", server="server")
    policy = GcPolicy(floor=0, trace=trace)
    policy.full_collection()
    policy.step()  # no growth: a step, no line
    trace.close()
    lines = [json.loads(line) for line in (tmp_path / "trace.jsonl").read_text().splitlines()]
    assert [(line["concern"], line["event"]) for line in lines] == [("runtime", "gc-full")]
    assert lines[0]["heap_blocks"] > 0
    assert lines[0]["ms"] >= 0
