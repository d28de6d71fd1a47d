"""The PIN-guessing throttle (bounded, per source and per user) and panel logins in the store."""

from __future__ import annotations

import pytest

from panel.server.auth import LoginThrottle
from panel.server.http import ApiError
from panel.server.store import LOGIN_MAX_AGE_S, ServerStore


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def locked(throttle: LoginThrottle, user_id: str, source: str) -> bool:
    try:
        throttle.check(user_id, source)
    except ApiError as exc:
        return (exc.status, exc.code) == (429, "too_many_attempts")
    return False


def test_five_failures_lock_one_source_out_for_one_user():
    t = LoginThrottle(clock=FakeClock())
    for _ in range(4):
        t.failed("1001", "address:10.0.0.1")
    assert not locked(t, "1001", "address:10.0.0.1")
    t.failed("1001", "address:10.0.0.1")
    assert locked(t, "1001", "address:10.0.0.1")
    assert not locked(t, "1001", "address:10.0.0.2")
    assert not locked(t, "1002", "address:10.0.0.1")


def test_failures_from_many_sources_lock_the_user_out_everywhere():
    t = LoginThrottle(clock=FakeClock())
    for n in range(20):
        t.failed("1001", f"address:10.0.0.{n}")  # one each: no source is locked
    assert locked(t, "1001", "address:192.168.1.1")
    assert not locked(t, "1002", "address:192.168.1.1")


def test_a_lockout_ends_with_the_window_and_a_success_clears_its_source():
    clock = FakeClock()
    t = LoginThrottle(clock=clock)
    for _ in range(5):
        t.failed("1001", "a")
    clock.now += 299
    assert locked(t, "1001", "a")
    clock.now += 2
    assert not locked(t, "1001", "a")
    for _ in range(4):
        t.failed("1001", "b")
    t.succeeded("1001", "b")
    t.failed("1001", "b")
    assert not locked(t, "1001", "b")


def test_checking_makes_no_entry_and_old_entries_are_swept():
    clock = FakeClock()
    t = LoginThrottle(clock=clock)
    for n in range(1000):
        t.check(f"made-up-{n}", "a")
    assert len(t) == 0
    for n in range(100):
        t.failed(f"made-up-{n}", "a")
    assert len(t) == 200  # per (user, source) and per user
    clock.now += 301
    t.failed("1001", "a")  # the next failure after a window sweeps what expired
    assert len(t) == 2


def test_the_maps_have_a_ceiling():
    t = LoginThrottle(clock=FakeClock(), max_entries=50)
    for n in range(500):
        t.failed(f"made-up-{n}", "a")
    assert len(t) == 100
    t.failed("1001", "a")
    assert locked(t, "1001", "a") is False  # the newest entries are the ones kept
    for _ in range(4):
        t.failed("1001", "a")
    assert locked(t, "1001", "a")


@pytest.fixture
def store(tmp_path):
    s = ServerStore(tmp_path / "s.sqlite3", clock=FakeClock())
    s.add_user("1001", "Alice", "1234")
    s.add_user("1002", "Bob", "2345")
    yield s
    s.close()


def test_a_user_is_logged_in_at_one_panel_at_a_time(store):
    store.set_login("dev-a", "1001")
    store.set_login("dev-b", "1002")
    store.set_login("dev-b", "1001")  # Alice walked over to dev-b: Bob's session there ended
    assert store.device_of_user("1001") == "dev-b"
    assert store.device_of_user("1002") is None
    assert store.end_login("dev-a") is None  # nobody is at dev-a any more
    assert store.end_login("dev-b") == "1001"
    assert store.device_of_user("1001") is None


def test_a_login_older_than_the_limit_is_ignored(store):
    store.set_login("dev-a", "1001")
    store.clock.now += LOGIN_MAX_AGE_S - 1
    assert store.device_of_user("1001") == "dev-a"
    store.clock.now += 2
    assert store.device_of_user("1001") is None


def test_ending_only_a_login_made_before_a_time(store):
    store.set_login("dev-a", "1001")
    assert store.end_login("dev-a", before=store.clock.now) is None  # made at that time: kept
    assert store.end_login("dev-a", before=store.clock.now + 1) == "1001"
    assert store.device_of_user("1001") is None
