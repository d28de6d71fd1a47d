"""Panel logins across the device's absences (issue 11, finding 1): the store keeps a login for
the grace period while its device is away, takes it back when the device returns naming its user,
and remembers how a login ended so the device can be told."""

from __future__ import annotations

from panel.server.push import ended_message
from panel.server.store import LOGIN_GRACE_S, EndedLogin, ServerStore


def test_an_away_device_keeps_its_login_for_the_grace_period_and_takes_it_back(store, clock):
    store.set_login("dev-a", "1001")
    assert store.mark_login_away("dev-a") == "1001"
    clock.now += LOGIN_GRACE_S - 1
    assert store.device_of_user("1001") == "dev-a"  # jobs still go to it, replayed on return
    assert store.expire_logins() == []
    assert store.resume_login("dev-a", "1001") is None
    clock.now += 2 * LOGIN_GRACE_S  # back: its earlier absence no longer counts
    assert store.device_of_user("1001") == "dev-a"
    assert store.expire_logins() == []


def test_a_login_ends_when_its_device_stays_away_past_the_grace_period(store, clock):
    store.set_login("dev-a", "1001")
    store.set_login("dev-b", "1002")
    store.mark_login_away("dev-a")
    clock.now += LOGIN_GRACE_S
    assert store.device_of_user("1001") is None  # over, even before anything ended it
    assert store.device_of_user("1002") == "dev-b"  # connected all along
    assert store.expire_logins() == [EndedLogin("dev-a", "1001", "offline")]
    assert store.expire_logins() == []
    # The device comes back naming Alice: it is told how her login ended.
    assert store.resume_login("dev-a", "1001") == EndedLogin("dev-a", "1001", "offline")


def test_a_device_back_after_the_grace_period_learns_it_even_if_nothing_expired_it(store, clock):
    store.set_login("dev-a", "1001")
    store.mark_login_away("dev-a")
    clock.now += LOGIN_GRACE_S + 1
    assert store.resume_login("dev-a", "1001") == EndedLogin("dev-a", "1001", "offline")
    assert store.device_of_user("1001") is None


def test_a_login_taken_elsewhere_is_told_to_its_first_device(store):
    heard: list[EndedLogin] = []
    store.add_login_listener(heard.append)
    store.set_login("dev-a", "1001")
    store.mark_login_away("dev-a")
    store.set_login("dev-b", "1001")
    assert heard == [EndedLogin("dev-a", "1001", "elsewhere")]
    assert store.resume_login("dev-a", "1001") == EndedLogin("dev-a", "1001", "elsewhere")
    assert store.device_of_user("1001") == "dev-b"


def test_a_device_naming_a_user_the_server_never_logged_in_there_is_told_so(store):
    store.set_login("dev-a", "1002")
    assert store.resume_login("dev-a", "1001") == EndedLogin("dev-a", "1001", "unknown")
    assert store.device_of_user("1002") is None  # the panel says Bob is not there


def test_a_server_restart_starts_every_grace_period_anew(tmp_path, clock):
    first = ServerStore(tmp_path / "server.sqlite3", clock=clock)
    first.set_login("dev-a", "1001")  # connected when the server stopped
    first.close()
    clock.now += 3 * LOGIN_GRACE_S
    again = ServerStore(tmp_path / "server.sqlite3", clock=clock)
    try:
        again.mark_all_logins_away()  # the push hub, starting: no device is connected yet
        assert again.device_of_user("1001") == "dev-a"
        clock.now += LOGIN_GRACE_S
        assert again.device_of_user("1001") is None
    finally:
        again.close()


def test_the_reasons_read_as_sentences():
    assert ended_message("offline") == (
        "You were logged out: the device was offline for more than 2 minutes."
    )
    assert ended_message("offline", 90) == (
        "You were logged out: the device was offline for more than 90 seconds."
    )
    assert ended_message("elsewhere") == "You were logged out: you logged in at another device."
    assert ended_message("whatever") == "You were logged out: the server no longer had your login."


def test_a_login_made_while_the_push_connection_is_away_still_needs_the_device_back(store, clock):
    store.set_login("dev-a", "1001")
    store.mark_login_away("dev-a")
    clock.now += LOGIN_GRACE_S - 1
    store.set_login("dev-a", "1002")  # Bob logs in over HTTP: the device is reachable now
    clock.now += LOGIN_GRACE_S - 1
    assert store.device_of_user("1002") == "dev-a"
    clock.now += 2  # ...but its push connection never came back
    assert store.device_of_user("1002") is None
    assert store.expire_logins() == [EndedLogin("dev-a", "1002", "offline")]
