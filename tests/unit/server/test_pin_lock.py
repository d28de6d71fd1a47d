"""How long a PIN lock lasts and what a refusal says about it (panel/server/auth.py's
LoginThrottle, panel/lockout.py's wording)."""

from __future__ import annotations

import pytest

from panel.lockout import duration, locked_message, wrong_pin_message
from panel.server.auth import LoginThrottle, PinRefused


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_five_wrong_pins_spread_over_the_window_lock_for_a_whole_window_from_the_last():
    clock = FakeClock()
    t = LoginThrottle(clock=clock)
    t.failed("1001", "a")
    clock.now += 200
    for _ in range(4):
        t.failed("1001", "a")
    assert t.locked_for("1001", "a") == 300  # not the 100 s the first failure has left
    clock.now += 299
    assert t.locked_for("1001", "a") == pytest.approx(1)
    with pytest.raises(PinRefused) as refused:
        t.check("1001", "a")
    assert refused.value.status == 429
    assert refused.value.headers() == {"Retry-After": "1"}
    clock.now += 1
    assert t.locked_for("1001", "a") == 0
    assert t.attempts_left("1001", "a") == 5  # a lock that ends leaves a fresh count


def test_failures_further_apart_than_the_window_never_lock():
    clock = FakeClock()
    t = LoginThrottle(clock=clock)
    for _ in range(10):
        t.failed("1001", "a")
        assert t.locked_for("1001", "a") == 0
        assert t.attempts_left("1001", "a") == 4
        clock.now += 300


def test_the_refusal_counts_down_to_the_lock():
    t = LoginThrottle(clock=FakeClock())
    said = []
    for _ in range(5):
        t.failed("1001", "a")
        body = t.refusal("1001", "a", "invalid_credentials").body()
        said.append((body.attempts_left, body.retry_after_s, body.message))
    assert said == [
        (4, None, "Wrong user ID or PIN."),
        (3, None, "Wrong user ID or PIN."),
        (2, None, "Wrong user ID or PIN."),
        (1, None, "Wrong user ID or PIN. 1 attempt left before a 5-minute lock."),
        (0, 300, "Wrong user ID or PIN. Too many wrong PINs. Try again in 5 min."),
    ]


def test_the_users_overall_limit_counts_too():
    t = LoginThrottle(limit=5, user_limit=6, clock=FakeClock())
    for source in ("a", "b", "c", "d", "e"):
        t.failed("1001", source)
    assert t.attempts_left("1001", "f") == 1  # one more from anywhere locks the user out


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(270, "4 min 30 s"), (300, "5 min"), (299.2, "5 min"), (45, "45 s"), (0.1, "1 s")],
)
def test_durations_read_as_people_say_them(seconds: float, said: str):
    assert duration(seconds) == said
    assert locked_message(seconds) == f"Too many wrong PINs. Try again in {said}."


def test_the_warning_comes_only_before_the_last_try():
    assert wrong_pin_message(2, 300) == "Wrong user ID or PIN."
    assert wrong_pin_message(None, None) == "Wrong user ID or PIN."
    assert (
        wrong_pin_message(1, 90)
        == "Wrong user ID or PIN. 1 attempt left before a lock of 1 min 30 s."
    )
