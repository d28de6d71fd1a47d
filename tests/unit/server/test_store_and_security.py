from __future__ import annotations

import sqlite3

from panel.server.demo_data import sample_pdf
from panel.server.documents import count_pages
from panel.server.security import check_pin, hash_pin
from panel.server.store import ServerStore


def test_pins_are_stored_salted_and_slow_never_plain(tmp_path):
    store = ServerStore(tmp_path / "s.sqlite3")
    store.add_user("1001", "Alice", "1234")
    store.add_user("1002", "Bob", "1234")
    store.close()
    rows = sqlite3.connect(tmp_path / "s.sqlite3").execute("SELECT pin_hash FROM users").fetchall()
    hashes = [r[0] for r in rows]
    assert all(h.startswith("scrypt$") and "1234" not in h for h in hashes)
    assert hashes[0] != hashes[1]  # salted: same PIN, different hash


def test_pin_check():
    stored = hash_pin("2468")
    assert check_pin("2468", stored)
    assert not check_pin("2469", stored)
    assert not check_pin("2468", "garbage")


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


def test_page_counts():
    assert count_pages(sample_pdf(5, "x"), "x.pdf") == 5
    assert count_pages(b"line\n" * 121, "notes.txt") == 3
    assert count_pages(b"\x89PNG....", "photo.png") == 1
