from __future__ import annotations

from panel.device.backoff import Backoff


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_full_jitter_doubles_the_ceiling_up_to_the_cap():
    backoff = Backoff(base_s=1.0, cap_s=60.0, rng=lambda: 1.0, now=Clock())  # the top of each range
    assert [backoff.failed() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_delays_are_drawn_uniformly_below_the_ceiling():
    draws = iter([0.0, 0.5, 0.25])
    backoff = Backoff(base_s=1.0, cap_s=60.0, rng=lambda: next(draws), now=Clock())
    assert [backoff.failed() for _ in range(3)] == [0.0, 1.0, 1.0]


def test_count_resets_only_after_a_stable_period():
    clock = Clock()
    backoff = Backoff(base_s=1.0, cap_s=60.0, stable_s=30.0, rng=lambda: 1.0, now=clock)
    for _ in range(5):
        backoff.failed()
    backoff.succeeded()
    clock.t = 10.0
    assert backoff.failed() == 32  # a blip: the outage goes on counting
    backoff.succeeded()
    clock.t = 45.0
    assert backoff.failed() == 1  # stable for 30 s: a fresh outage starts from the base
