"""Full garbage collections wait until the panel is quiet, so a drain never freezes on one."""

from __future__ import annotations

import gc
import time

from pytestqt.qtbot import QtBot

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


def test_collects_once_the_panel_is_quiet_not_while_it_is_busy(qtbot: QtBot) -> None:
    activity = [time.monotonic()]
    collector = IdleCollector(lambda: activity[0], quiet_s=0.2, longest_s=60, check_ms=20)
    seen = _full_collections()
    collector.start()
    try:
        busy_until = time.monotonic() + 0.5
        while time.monotonic() < busy_until:  # events keep coming: no full collection
            activity[0] = time.monotonic()
            qtbot.wait(20)
        assert collector.collections == 0
        qtbot.waitUntil(lambda: collector.collections == 1, timeout=2000)
        assert seen
        assert seen[-1] - activity[0] >= 0.2  # only after the quiet spell
        qtbot.wait(300)
        assert collector.collections == 1  # quiet and nothing new: once is enough
    finally:
        collector.stop()
        gc.callbacks.pop()


def test_a_panel_busy_for_too_long_still_gets_collected(qtbot: QtBot) -> None:
    collector = IdleCollector(time.monotonic, quiet_s=10, longest_s=0.2, check_ms=20)
    collector.start()
    try:
        qtbot.waitUntil(lambda: collector.collections >= 1, timeout=2000)
    finally:
        collector.stop()
