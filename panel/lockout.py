"""What a person is told about wrong PINs and the lock they lead to, in one wording for the
server's refusals and the panel (which counts the lock down)."""

from __future__ import annotations

import math
from collections.abc import Sequence

WRONG_PIN = "Wrong user ID or PIN."


def duration(seconds: float) -> str:
    """A wait as people say it: "4 min 30 s", "5 min", "45 s" (rounded up to the second)."""
    total = max(1, math.ceil(seconds))
    minutes, secs = divmod(total, 60)
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def locked_message(retry_after_s: float) -> str:
    """A lock under way, and when the next try is allowed."""
    return f"Too many wrong PINs. Try again in {duration(retry_after_s)}."


def wrong_pin_message(attempts_left: int | None, lock_s: float | None) -> str:
    """A wrong PIN; when the next wrong one would lock, a warning that says for how long."""
    if attempts_left == 1 and lock_s:
        minutes = lock_s / 60
        lock = (
            f"a {minutes:g}-minute lock"
            if minutes.is_integer()
            else f"a lock of {duration(lock_s)}"
        )
        return f"{WRONG_PIN} 1 attempt left before {lock}."
    return WRONG_PIN


def lock_left(fails: Sequence[float], limit: int, window_s: float, now: float) -> float:
    """Seconds a lock has to go (0: none): `limit` failures (times, oldest first) within
    `window_s` lock for `window_s` from the last of them; a lock that ends leaves a fresh count."""
    if len(fails) < limit or fails[-1] - fails[-limit] >= window_s:
        return 0.0
    return max(0.0, fails[-1] + window_s - now)


def recent(fails: Sequence[float], window_s: float, now: float) -> int:
    """The failures that still count: those within the last `window_s`."""
    return sum(1 for t in fails if t > now - window_s)
