"""Fixtures of the server's unit tests: a store on a clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from panel.server.store import ServerStore


class FakeClock:
    """Server time that moves only when a test sets `now`."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Iterator[ServerStore]:
    s = ServerStore(tmp_path / "server.sqlite3", clock=clock)
    yield s
    s.close()
