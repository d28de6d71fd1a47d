from __future__ import annotations

import sqlite3

from panel import pinhash
from panel.server import security
from panel.server.security import check_pin, hash_pin
from panel.server.store import ServerStore


def test_pins_are_stored_salted_and_slow_never_plain(tmp_path):
    pin = "80972315"  # long enough not to turn up in 96 random hex digits by chance
    store = ServerStore(tmp_path / "s.sqlite3")
    store.add_user("1001", "Alice", pin)
    store.add_user("1002", "Bob", pin)
    store.close()
    rows = sqlite3.connect(tmp_path / "s.sqlite3").execute("SELECT pin_hash FROM users").fetchall()
    hashes = [r[0] for r in rows]
    assert all(h.startswith("scrypt$") and pin not in h for h in hashes)
    assert hashes[0] != hashes[1]  # salted: same PIN, different hash


def test_pin_check():
    stored = hash_pin("2468")
    assert check_pin("2468", stored)
    assert not check_pin("2469", stored)
    assert not check_pin("2468", "garbage")
    assert not check_pin("2468", "scrypt$not-hex$00")


def test_the_server_hashes_pins_as_the_device_does():
    assert (security.hash_pin, security.check_pin) == (pinhash.hash_pin, pinhash.check_pin)
    assert pinhash.check_pin("1357", security.hash_pin("1357"))


def test_unknown_users_are_checked_against_one_dummy_hash(monkeypatch):
    checked: list[str] = []
    monkeypatch.setattr(security, "check_pin", lambda pin, stored: checked.append(stored) or True)
    assert not any(security.pin_matches("1234", None) for _ in range(3))
    assert len(checked) == 3  # the same work as for a known user: one check
    assert len(set(checked)) == 1  # against one hash, made once (a new one would be salted anew)
    assert checked[0].startswith("scrypt$")


def test_user_check_and_device_secret(tmp_path):
    store = ServerStore(tmp_path / "s.sqlite3")
    store.add_user("1001", "Alice", "1234", "admin")
    assert store.check_user("1001", "1234").role == "admin"
    assert store.check_user("1001", "4321") is None
    assert store.check_user("nobody", "1234") is None
    device_id, secret = store.register_device("MFP", "m")
    assert store.check_device(device_id, secret)
    assert not store.check_device(device_id, secret + "x")
    assert not store.check_device("dev-unknown", secret)
    row = store._db.execute("SELECT secret_hash FROM devices").fetchone()[0]
    assert secret not in row


def test_notifications_have_per_device_sequences(tmp_path):
    store = ServerStore(tmp_path / "s.sqlite3")
    store.add_user("u", "U", "1234")
    a, _ = store.register_device("A", "m")
    b, _ = store.register_device("B", "m")
    for n in range(3):
        store.create_job(f"j{n}", "u", "t", 1, 1, "d", 1)
    seqs = [
        store.assign_and_notify("j0", a).seq,
        store.assign_and_notify("j1", a).seq,
        store.assign_and_notify("j2", b).seq,
    ]
    assert seqs == [1, 2, 1]
    assert [n.job_id for n in store.notifications_after(a, 1)] == ["j1"]
    assert store.job("j2").state == "notified"
    assert store.job("j2").device_id == b
