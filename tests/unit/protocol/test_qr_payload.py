"""The QR payload (S7): a compact versioned URI that round-trips, stays under 120 bytes for any
valid field, and refuses every malformed text with a code and a sentence; the address rule."""

from __future__ import annotations

import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st

from panel.protocol.qr import (
    MAX_IMAGE_ID,
    MAX_PAYLOAD,
    MAX_TOKEN,
    MIN_TOKEN,
    QrPayload,
    QrPayloadError,
    decode,
    is_local_address,
)

TOKEN = "Zq3-aB_cD4eF5gH6iJ7kLm"
GOOD = f"mfpqr:1/192.168.1.20:8640/s3/{TOKEN}/1767261720"

_ID_CHARS = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
addresses = st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)).map(str)


@given(
    host=addresses,
    port=st.integers(1, 65535),
    image_id=st.text(_ID_CHARS, min_size=1, max_size=MAX_IMAGE_ID),
    token=st.text(_ID_CHARS, min_size=MIN_TOKEN, max_size=MAX_TOKEN),
    expires=st.integers(0, 10**11 - 1),
)
def test_every_valid_payload_round_trips_under_120_bytes(
    host: str, port: int, image_id: str, token: str, expires: int
) -> None:
    payload = QrPayload(host, port, image_id, token, expires)
    text = payload.encode()
    assert len(text.encode()) <= MAX_PAYLOAD
    assert decode(text) == payload


def test_a_typical_payload_is_small_enough_for_a_version_4_qr() -> None:
    assert decode(GOOD) == QrPayload("192.168.1.20", 8640, "s3", TOKEN, 1767261720)
    assert len(GOOD) < 70
    assert segno.make(GOOD, error="m").version <= 4


def test_ipv6_hosts_are_bracketed() -> None:
    text = QrPayload("fe80::1", 80, "a", TOKEN, 1).encode()
    assert "/[fe80::1]:80/" in text
    assert decode(text).host == "fe80::1"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("https://example.com/", "not_ours"),
        ("WIFI:S:home;T:WPA;P:secret;;", "not_ours"),
        ("", "not_ours"),
        ("mfpqr:2/192.168.1.20:8640/s3/" + TOKEN + "/1", "version"),
        ("mfpqr:x/192.168.1.20:8640/s3/" + TOKEN + "/1", "malformed"),
        ("mfpqr:1/192.168.1.20:8640/s3/" + TOKEN, "malformed"),  # a part missing
        ("mfpqr:1/192.168.1.20:8640/s3/" + TOKEN + "/1/extra", "malformed"),
        ("mfpqr:1/phone.local:8640/s3/" + TOKEN + "/1", "malformed"),  # a name, not an address
        ("mfpqr:1/192.168.1.20/s3/" + TOKEN + "/1", "malformed"),  # no port
        ("mfpqr:1/192.168.1.20:0/s3/" + TOKEN + "/1", "malformed"),
        ("mfpqr:1/192.168.1.20:65536/s3/" + TOKEN + "/1", "malformed"),
        ("mfpqr:1/192.168.1.20:-1/s3/" + TOKEN + "/1", "malformed"),
        ("mfpqr:1/999.1.1.1:80/s3/" + TOKEN + "/1", "malformed"),
        ("mfpqr:1/fe80::1:80/s3/" + TOKEN + "/1", "malformed"),  # IPv6 without brackets
        ("mfpqr:1/[fe80::1:80/s3/" + TOKEN + "/1", "malformed"),
        ("mfpqr:1/[fe80::1%eth0]:80/s3/" + TOKEN + "/1", "malformed"),  # a zone: the phone's
        ("mfpqr:1/[fe80::1%@8.8.8.8]:80/s3/" + TOKEN + "/1", "malformed"),
        ("mfpqr:1/[fe80::1%x#y]:80/s3/" + TOKEN + "/1", "malformed"),
        ("mfpqr:1/192.168.1.20:80//" + TOKEN + "/1", "malformed"),  # empty id
        ("mfpqr:1/192.168.1.20:80/../" + TOKEN + "/1", "malformed"),
        ("mfpqr:1/192.168.1.20:80/" + "a" * (MAX_IMAGE_ID + 1) + "/" + TOKEN + "/1", "malformed"),
        ("mfpqr:1/192.168.1.20:80/s3/short/1", "malformed"),
        ("mfpqr:1/192.168.1.20:80/s3/" + "t" * (MAX_TOKEN + 1) + "/1", "malformed"),
        ("mfpqr:1/192.168.1.20:80/s3/" + TOKEN + "/soon", "malformed"),
        ("mfpqr:1/192.168.1.20:80/s3/" + TOKEN + "/-5", "malformed"),
        ("mfpqr:1/192.168.1.20:80/s3/" + TOKEN + "/123456789012", "malformed"),
        ("mfpqr:1/192.168.1.20:80/s3/" + TOKEN + "?x=" + "y" * 200, "malformed"),
        ("mfpqr:1/192.168.1.20:80/s3/tok%2Fen%2F1234567890/1", "malformed"),
    ],
)
def test_malformed_or_foreign_texts_are_refused_with_a_code(text: str, code: str) -> None:
    with pytest.raises(QrPayloadError) as refused:
        decode(text)
    assert refused.value.code == code
    assert refused.value.message.endswith(".")


@given(st.text(max_size=300))
def test_any_text_either_decodes_or_is_refused_cleanly(text: str) -> None:
    try:
        payload = decode(text)
    except QrPayloadError:
        return
    assert decode(payload.encode()) == payload


def test_encode_refuses_fields_out_of_bounds() -> None:
    for bad in (
        QrPayload("phone.local", 80, "a", TOKEN, 1),
        QrPayload("fe80::1%eth0", 80, "a", TOKEN, 1),
        QrPayload("10.0.0.1", 0, "a", TOKEN, 1),
        QrPayload("10.0.0.1", 80, "a/b", TOKEN, 1),
        QrPayload("10.0.0.1", 80, "a", "short", 1),
        QrPayload("10.0.0.1", 80, "a", TOKEN, -1),
    ):
        with pytest.raises(QrPayloadError):
            bad.encode()


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.254",
        "192.168.0.10",
        "169.254.10.20",
        "::1",
        "fe80::1",
        "fd12:3456::1",
        "::ffff:192.168.1.2",
    ],
)
def test_local_addresses_are_allowed(host: str) -> None:
    assert is_local_address(host)


@pytest.mark.parametrize(
    "host",
    [
        "8.8.8.8",
        "172.32.0.1",
        "192.169.0.1",
        "100.64.0.1",
        "192.0.2.1",
        "224.0.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "2001:4860:4860::8888",
        "::ffff:8.8.8.8",
        "::",
        "localhost",
        "phone.local",
        "",
    ],
)
def test_addresses_outside_the_local_network_are_refused(host: str) -> None:
    assert not is_local_address(host)
