"""The store's cached information (versioned) and the outbox's idempotency ledger."""

from __future__ import annotations

import dataclasses
import gzip

import pytest

from panel.protocol import decode_body
from panel.protocol.messages import (
    AppInfo,
    CacheSnapshot,
    Destination,
    JobTemplate,
    OutboxItem,
)
from panel.server.demo_data import DEMO_APPS, DEMO_DESTINATIONS, DEMO_TEMPLATES, seed_cache
from panel.server.outbox import request_hash
from panel.server.store import OutgoingJob, ServerStore

DAY = 86400.0


DEST = Destination("ap", "Accounts Payable", "email", "ap@example.com")


def test_every_change_to_cached_information_grows_the_version_once(store):
    heard: list[int] = []
    store.add_cache_listener(heard.append)
    v = store.cache_version()
    assert store.add_destination(DEST) == v + 1
    assert store.add_destination(DEST) == v + 1  # identical: not a change
    assert store.add_destination(dataclasses.replace(DEST, address="ap2@example.com")) == v + 2
    assert store.add_template(JobTemplate("t", "Scan to PDF", "scan", "PDF")) == v + 3
    assert store.add_app(AppInfo("a", "Receipts", "Scan receipts")) == v + 4
    assert store.set_offline_login_allowed(True) == v + 4  # already allowed
    assert store.set_offline_login_allowed(False) == v + 5
    assert store.offline_login_allowed() is False
    store.add_user("1001", "Alice", "1234")
    assert store.cache_version() == v + 6
    assert store.remove_destination("ap") == v + 7
    assert store.remove_destination("ap") == v + 7  # nothing to remove
    assert store.remove_template("t") == v + 8
    assert store.remove_app("a") == v + 9
    assert heard == list(range(v + 1, v + 10))


def test_a_failed_change_rolls_back_with_its_version(store):
    v = store.cache_version()

    def fails_half_way() -> None:
        with store._cache.change() as db:
            db.execute("INSERT INTO destinations VALUES ('x', 'X', 'email', 'x@example.com')")
            raise RuntimeError("half-way")

    with pytest.raises(RuntimeError):
        fails_half_way()
    assert store.cache_version() == v
    assert store.destination("x") is None


def test_unknown_kinds_are_refused(store):
    with pytest.raises(ValueError, match="destination"):
        store.add_destination(Destination("x", "X", "fax", "123"))
    with pytest.raises(ValueError, match="template"):
        store.add_template(JobTemplate("x", "X", "print", "-"))


def test_snapshot_holds_everything_and_no_pin(store):
    store.add_user("1002", "Bob", "2345")
    store.add_user("1001", "Alice", "1234", "admin")
    seed_cache(store)
    snap = store.cache_snapshot()
    assert snap.version == store.cache_version()
    assert snap.offline_login_allowed is True
    assert [(u.user_id, u.name, u.role) for u in snap.users] == [
        ("1001", "Alice", "admin"),
        ("1002", "Bob", "user"),
    ]
    assert set(snap.destinations) == set(DEMO_DESTINATIONS)
    assert [d.name for d in snap.destinations] == sorted(d.name for d in DEMO_DESTINATIONS)
    assert set(snap.templates) == set(DEMO_TEMPLATES)
    assert set(snap.apps) == set(DEMO_APPS)
    assert "scrypt" not in repr(snap)


def test_the_snapshot_is_encoded_once_per_version_and_anew_after_any_change(store, tmp_path):
    """Thousands of devices fetch one version: it is encoded once; a change (here by another
    process's handle on the same store, as `server add-user` makes) gives new bytes."""
    seed_cache(store)
    first = store.encoded_snapshot()
    assert store.encoded_snapshot() is first
    assert decode_body(CacheSnapshot, first.body) == store.cache_snapshot()
    assert gzip.decompress(first.gzipped) == first.body
    other = ServerStore(tmp_path / "server.sqlite3")
    try:
        other.add_user("2001", "Carol", "1234")
    finally:
        other.close()
    second = store.encoded_snapshot()
    assert second.version == first.version + 1
    assert "2001" in {u.user_id for u in decode_body(CacheSnapshot, second.body).users}


def test_seeding_twice_changes_nothing(store):
    seed_cache(store)
    v = store.cache_version()
    seed_cache(store)
    assert store.cache_version() == v


def _job(claim, clock) -> OutgoingJob:
    e = claim.entry
    return OutgoingJob(e.job_id, e.device_id, e.key, "scan", "1001", "t", 1, "ap", 3, 1.0, clock())


def test_a_key_is_claimed_once_and_its_result_kept(store, clock):
    claim = store.claim_outbox_key("dev-a", "k1", "h1", stale_after_s=600)
    assert claim.claimed
    assert claim.entry.state == "in_progress"
    again = store.claim_outbox_key("dev-a", "k1", "h1", stale_after_s=600)
    assert not again.claimed
    assert again.entry.state == "in_progress"
    done = store.finish_outbox_item(claim, 201, job=_job(claim, clock))
    assert done is not None
    assert (done.state, done.status, done.executions) == ("done", 201, 1)
    assert done.job_id == claim.entry.job_id
    assert [j.job_id for j in store.outgoing_jobs("dev-a")] == [done.job_id]
    seen = store.claim_outbox_key("dev-a", "k1", "h1", stale_after_s=600)
    assert not seen.claimed
    assert seen.entry == done
    # keys are per device
    assert store.claim_outbox_key("dev-b", "k1", "h1", stale_after_s=600).claimed


def test_a_released_claim_can_be_claimed_again(store):
    claim = store.claim_outbox_key("dev-a", "k1", "h1", stale_after_s=600)
    store.release_outbox_claim(claim)
    assert store.ledger("dev-a") == []
    assert store.claim_outbox_key("dev-a", "k1", "h1", stale_after_s=600).claimed


def test_a_stale_claim_is_taken_over_and_the_old_owner_cannot_finish(store, clock):
    old = store.claim_outbox_key("dev-a", "k1", "h1", stale_after_s=600)
    clock.now += 599
    assert not store.claim_outbox_key("dev-a", "k1", "h1", stale_after_s=600).claimed
    clock.now += 2
    assert not store.claim_outbox_key("dev-a", "k1", "other", stale_after_s=600).claimed
    new = store.claim_outbox_key("dev-a", "k1", "h1", stale_after_s=600)
    assert new.claimed
    assert new.entry.job_id == old.entry.job_id  # the same document path is rewritten
    assert store.finish_outbox_item(old, 201, job=_job(old, clock)) is None
    assert store.outgoing_jobs() == []
    assert store.finish_outbox_item(new, 201, job=_job(new, clock)) is not None
    assert store.ledger("dev-a")[0].executions == 1


def test_ledger_is_in_acceptance_order_with_claims_in_progress_last(store, clock):
    claims = {k: store.claim_outbox_key("dev-a", k, "h", stale_after_s=600) for k in "abcd"}
    for k in "cab":
        clock.now += 1
        store.finish_outbox_item(claims[k], 400, f"refused {k}")
    assert [e.key for e in store.ledger("dev-a")] == ["c", "a", "b", "d"]
    assert [e.state for e in store.ledger("dev-a")] == ["done", "done", "done", "in_progress"]


def test_purge_keeps_keys_younger_than_the_retention(store, clock):
    old = store.claim_outbox_key("dev-a", "old", "h", stale_after_s=600)
    store.finish_outbox_item(old, 201, job=_job(old, clock))
    dead = store.claim_outbox_key("dev-a", "dead", "h", stale_after_s=600)  # its request died
    clock.now += 6 * DAY
    young = store.claim_outbox_key("dev-a", "young", "h", stale_after_s=600)
    store.finish_outbox_item(young, 201, job=_job(young, clock))
    running = store.claim_outbox_key("dev-a", "running", "h", stale_after_s=600)
    assert store.purge_ledger(7 * DAY, 600) == 0
    clock.now += 1 * DAY + 1
    assert store.purge_ledger(7 * DAY, 600) == 2
    assert {e.key for e in store.ledger("dev-a")} == {"young", "running"}
    assert dead.entry.key not in {e.key for e in store.ledger("dev-a")}
    assert len(store.outgoing_jobs("dev-a")) == 2  # the jobs themselves stay
    assert running.claimed


def test_request_hash_covers_every_field():
    item = OutboxItem("k", "scan", "1001", "t", 1, "ap", "QUJD", 1.0)
    assert request_hash(item) == request_hash(dataclasses.replace(item))
    for change in [
        {"key": "k2"},
        {"kind": "fax"},
        {"user_id": "1002"},
        {"title": "t2"},
        {"pages": 2},
        {"destination": "x"},
        {"document_b64": "QUJE"},
        {"composed_at": 2.0},
    ]:
        assert request_hash(dataclasses.replace(item, **change)) != request_hash(item), change


def test_an_apps_roles_are_cached_and_change_the_version_only_when_they_change(store):
    """Roles (S8) live in their own table: the same roles again (in any order, repeated) leave
    the version alone, so a server start does not make every device refresh."""
    v1 = store.add_app(AppInfo("staff", "Staff", "For admins", ["admin", "user"]))
    assert store.add_app(AppInfo("staff", "Staff", "For admins", ["user", "admin", "user"])) == v1
    assert [(a.app_id, a.roles) for a in store.apps()] == [("staff", ["admin", "user"])]
    v2 = store.add_app(AppInfo("staff", "Staff", "For admins", ["admin"]))
    assert v2 == v1 + 1
    assert store.cache_snapshot().apps[0].roles == ["admin"]
    assert store.remove_app("staff") == v2 + 1
    assert store.apps() == []
