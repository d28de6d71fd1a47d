"""The dead-link rule and a busy server's "come back later" (panel.protocol.liveness, issue 12)."""

from __future__ import annotations

import math

import pytest

from panel.device.backoff import Backoff
from panel.device.clock import ManualClock
from panel.protocol import liveness


def test_a_device_gives_a_link_up_only_after_several_unanswered_pings():
    waits = [liveness.ping_interval_s(3.0, n) for n in range(liveness.PINGS_BEFORE_DEAD + 1)]
    assert waits == [3.0, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5]
    assert liveness.dead_after_s(3.0) == sum(waits) == 12.0  # 4 heartbeats: 5 s is no stall
    # The server waits out a device's whole rule before it pings, then half that for a pong.
    assert liveness.server_heartbeat_s(3.0) * 1.5 > liveness.dead_after_s(3.0)


@pytest.mark.parametrize(
    ("reason", "seconds"),
    [
        ("retry-after=12", 12.0),
        ("retry-after=0", 0.0),
        ("retry-after=99999", liveness.MAX_RETRY_AFTER_S),
        ("retry-after=-3", 0.0),
        ("retry-after=nan", 0.0),
        ("retry-after=soon", 0.0),
        ("server shutting down", 0.0),
        ("", 0.0),
        (None, 0.0),
    ],
)
def test_a_close_reason_says_how_long_to_stay_away(reason, seconds):
    assert liveness.retry_after_s(reason) == seconds


def test_the_reason_a_server_sends_reads_back():
    assert liveness.retry_after_s(liveness.retry_after_reason(20).decode()) == 20


def test_what_the_server_asked_for_is_a_floor_under_the_jitter():
    clock = ManualClock()
    backoff = Backoff(0.5, 30.0, 30.0, rng=lambda: 1.0, now=clock.monotonic)
    assert backoff.failed(at_least=20) == 20.5  # 20 s asked, plus the first ceiling
    assert backoff.failed() == 1.0  # the count went on
    backoff = Backoff(0.5, 30.0, 30.0, rng=lambda: 0.0, now=clock.monotonic)
    assert backoff.failed(at_least=5) == 5  # never sooner than asked
    assert not math.isnan(backoff.failed(at_least=-1))
