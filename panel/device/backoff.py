"""Retry delays with full jitter (AWS's "Exponential Backoff and Jitter"): the n-th retry waits
a uniform random time in [0, min(cap, base * 2**n)], so a fleet that lost the same server does
not come back in lock-step. The count resets once the link has worked for a stable period.
A server that is overloaded says how long to stay away (503 Retry-After, or the push socket's
close reason, see panel.protocol.liveness): that is a floor, and the jitter still spreads the
fleet beyond it.

`now` is the device clock's `monotonic` (tests step it instead of waiting).
"""

from __future__ import annotations

import random
from collections.abc import Callable


class Backoff:
    def __init__(
        self,
        base_s: float = 1.0,
        cap_s: float = 60.0,
        stable_s: float = 30.0,
        rng: Callable[[], float] = random.random,
        *,
        now: Callable[[], float],
    ) -> None:
        self.base_s, self.cap_s, self.stable_s = base_s, cap_s, stable_s
        self._rng, self._now = rng, now
        self.failures = 0
        self._ok_since: float | None = None

    def failed(self, at_least: float = 0.0) -> float:
        """Record a failure; return how long to wait before the next attempt: the jittered
        delay, after `at_least` (what the server asked for) when it asked."""
        if self._ok_since is not None and self._now() - self._ok_since >= self.stable_s:
            self.failures = 0  # the link had been stable: this is a fresh outage
        self._ok_since = None
        ceiling = min(self.cap_s, self.base_s * 2.0**self.failures)
        self.failures += 1
        return max(0.0, at_least) + float(self._rng() * ceiling)

    def succeeded(self) -> None:
        """Record a success: the stable period starts with the first one after a failure."""
        if self._ok_since is None:
            self._ok_since = self._now()
