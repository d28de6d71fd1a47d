"""Full garbage collections wait until the panel is quiet, so a drain never freezes on one."""

from __future__ import annotations

import gc
import time

from panel.ui.idle_gc import IdleCollector


def _full_collections() -> list[float]:
    seen: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            seen.append(time.monotonic())

    gc.callbacks.append(on_gc)
    return seen


def test_no_automatic_full_collection_while_a_panel_is_open() -> None:
    before = gc.get_threshold()
    collector = IdleCollector(time.monotonic)
    collector.start()
    try:
        assert gc.get_threshold()[2] >= 1 << 30
        assert gc.get_threshold()[:2] == before[:2]  # young generations as before
    finally:
        collector.stop()
    assert gc.get_threshold() == before


class FakeTime:
    """The collector's clock, moved by the test: `check()` is called as its timer would."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_collects_once_the_panel_is_quiet_not_while_it_is_busy() -> None:
    now = FakeTime()
    activity = [now.t]
    collector = IdleCollector(lambda: activity[0], quiet_s=0.2, longest_s=60, now=now)
    seen = _full_collections()
    collector.start()
    try:
        assert collector.checking
        for _ in range(25):  # 0.5 s of events every 20 ms: no full collection
            now.t += 0.02
            activity[0] = now.t
            collector.check()
        assert collector.collections == 0
        assert not seen
        now.t += 0.1
        collector.check()  # quiet for 0.1 s only
        assert collector.collections == 0
        now.t += 0.1
        collector.check()  # quiet for 0.2 s: now
        assert collector.collections == 1
        assert seen
        now.t += 0.3
        collector.check()
        assert collector.collections == 1  # quiet and nothing new: once is enough
    finally:
        collector.stop()
        gc.callbacks.pop()
    assert not collector.checking


def test_a_panel_busy_for_too_long_still_gets_collected() -> None:
    now = FakeTime()
    collector = IdleCollector(now, quiet_s=10, longest_s=0.2, now=now)  # always active
    collector.start()
    try:
        now.t += 0.1
        collector.check()
        assert collector.collections == 0
        now.t += 0.1
        collector.check()
        assert collector.collections == 1
    finally:
        collector.stop()
