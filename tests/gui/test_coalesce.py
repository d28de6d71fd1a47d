"""`Coalescer`: however many events arrive, each view update runs once per frame."""

from __future__ import annotations

import time

import pytest
from pytestqt.qtbot import QtBot

from panel.ui.coalesce import FRAME_MS, Coalescer

pytestmark = pytest.mark.gui


def test_each_function_runs_once_per_frame_in_the_order_first_scheduled(qtbot: QtBot) -> None:
    frame = Coalescer()
    ran: list[str] = []

    def rows() -> None:
        ran.append("rows")

    def counts() -> None:
        ran.append("counts")

    for _ in range(1_000):
        frame.schedule(rows)
        frame.schedule(counts)
    assert ran == []
    assert frame.pending
    qtbot.waitUntil(lambda: not frame.pending)
    assert ran == ["rows", "counts"]


def test_flush_runs_the_frame_now_and_what_it_schedules_joins_it() -> None:
    frame = Coalescer()
    ran: list[str] = []

    def first() -> None:
        ran.append("first")
        frame.schedule(second)

    def second() -> None:
        ran.append("second")

    frame.schedule(first)
    frame.flush()
    assert ran == ["first", "second"]
    assert not frame.pending
    frame.flush()  # nothing pending: nothing runs
    assert ran == ["first", "second"]


def test_a_lone_event_shows_at_the_next_turn_a_stream_once_per_frame(qtbot: QtBot) -> None:
    frame = Coalescer()
    ran: list[float] = []

    def show() -> None:
        ran.append(time.monotonic())

    frame.schedule(show)  # a new coalescer has had no frame yet: a quiet spell
    qtbot.waitUntil(lambda: len(ran) == 1)  # the next turn
    frame.schedule(show)  # right after a frame: waits for the frame to be over
    qtbot.waitUntil(lambda: len(ran) == 2)
    assert ran[1] - ran[0] >= FRAME_MS / 1000 * 0.9
