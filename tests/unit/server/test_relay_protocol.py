"""The relay's wire format: binary screen updates round-trip and bad ones are refused with a
clear error; coalescing keeps only what a newer rectangle does not cover; text frames and
requests are validated like every other message."""

from __future__ import annotations

import json
import struct

import pytest

from panel.protocol import PROTOCOL_VERSION, ProtocolError, encode_frame
from panel.protocol.maintenance import (
    MAX_RECTS,
    CallRequest,
    ConsoleState,
    OperatorInfo,
    PanelState,
    RemoteInput,
    ScreenRect,
    ScreenUpdate,
    check_call_request,
    check_input,
    coalesce,
    decode_relay_frame,
    pack_screen,
    unpack_screen,
)
from panel.protocol.messages import ErrorFrame

PNG = b"\x89PNG\r\n\x1a\n" + b"png-body"
JPEG = b"\xff\xd8\xff\xe0" + b"jpeg-body"


def rect(x: int, y: int, w: int, h: int, data: bytes = PNG, fmt: str = "png") -> ScreenRect:
    return ScreenRect(fmt, x, y, w, h, data)


def test_a_screen_update_round_trips_with_a_small_big_endian_header():
    update = ScreenUpdate(7, 1024, 600, (rect(0, 0, 1024, 600), rect(10, 20, 30, 40, JPEG, "jpeg")))
    raw = pack_screen(update)
    assert raw[:12] == struct.pack(">BBIHHH", PROTOCOL_VERSION, 1, 7, 1024, 600, 2)
    assert len(raw) == 12 + 2 * 13 + len(PNG) + len(JPEG)  # no base64, no JSON
    assert unpack_screen(raw) == update


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        (b"\x01\x01", "bad_screen", "shorter than its header"),
        (struct.pack(">BBIHHH", 9, 1, 1, 10, 10, 1), "unsupported_version", "version 9"),
        (struct.pack(">BBIHHH", 1, 1, 1, 0, 10, 1), "bad_screen", "screen side"),
        (struct.pack(">BBIHHH", 1, 1, 1, 10, 10, 0), "bad_screen", "1 to 256 rectangles"),
        (struct.pack(">BBIHHH", 1, 1, 1, 10, 10, 1), "bad_screen", "inside a rectangle header"),
        (
            struct.pack(">BBIHHH", 1, 1, 1, 10, 10, 1) + struct.pack(">BHHHHI", 1, 0, 0, 5, 5, 99),
            "bad_screen",
            "ends inside an image",
        ),
        (
            struct.pack(">BBIHHH", 1, 1, 1, 10, 10, 1)
            + struct.pack(">BHHHHI", 7, 0, 0, 5, 5, len(PNG))
            + PNG,
            "bad_screen",
            "Unknown image format 7",
        ),
        (
            struct.pack(">BBIHHH", 1, 1, 1, 10, 10, 1)
            + struct.pack(">BHHHHI", 1, 8, 0, 5, 5, len(PNG))
            + PNG,
            "bad_screen",
            "not inside the 10x10 screen",
        ),
        (
            struct.pack(">BBIHHH", 1, 1, 1, 10, 10, 1)
            + struct.pack(">BHHHHI", 2, 0, 0, 5, 5, len(PNG))
            + PNG,
            "bad_screen",
            "is not a jpeg",
        ),
        (
            struct.pack(">BBIHHH", 1, 1, 1, 10, 10, 1)
            + struct.pack(">BHHHHI", 1, 0, 0, 5, 5, len(PNG))
            + PNG
            + b"extra",
            "bad_screen",
            "bytes after its last image",
        ),
    ],
)
def test_bad_screen_updates_are_refused_with_a_clear_error(raw, code, words):
    with pytest.raises(ProtocolError) as info:
        unpack_screen(raw)
    assert info.value.code == code
    assert words in info.value.message


def test_packing_checks_what_it_sends():
    with pytest.raises(ProtocolError, match="not inside"):
        pack_screen(ScreenUpdate(1, 100, 100, (rect(90, 0, 20, 10),)))
    with pytest.raises(ProtocolError, match="rectangles"):
        pack_screen(ScreenUpdate(1, 100, 100, (rect(0, 0, 1, 1),) * (MAX_RECTS + 1)))
    with pytest.raises(ProtocolError, match="png or jpeg"):
        pack_screen(ScreenUpdate(1, 100, 100, (rect(0, 0, 1, 1, fmt="gif"),)))


def test_coalescing_drops_only_what_a_newer_rectangle_covers():
    old_corner = rect(0, 0, 10, 10, PNG + b"old")
    old_elsewhere = rect(50, 50, 10, 10, PNG + b"keep")
    partly = rect(5, 5, 20, 20, PNG + b"partly")
    newer = rect(0, 0, 30, 30, PNG + b"new")
    assert coalesce([old_corner, old_elsewhere], [newer]) == [old_elsewhere, newer]
    assert coalesce([old_corner], [partly]) == [old_corner, partly]  # not covered: both drawn
    same_place = rect(0, 0, 10, 10, PNG + b"latest")
    assert coalesce([old_corner], [same_place]) == [same_place]  # latest wins


def test_relay_frames_decode_by_type_and_version():
    raw = encode_frame(RemoteInput("tap", 3, 4))
    assert json.loads(raw) == {
        "v": 1,
        "type": "maint.input",
        "kind": "tap",
        "x": 3,
        "y": 4,
        "key": "",
    }
    assert decode_relay_frame(raw) == RemoteInput("tap", 3, 4)
    assert decode_relay_frame(encode_frame(ErrorFrame("x", "y"))) == ErrorFrame("x", "y")
    state = ConsoleState(OperatorInfo("op1", "Ann", "away"), [])
    assert decode_relay_frame(encode_frame(state)) == state
    for bad, code in [
        ('{"v": 1, "type": "job.notify"}', "unknown_type"),
        ('{"v": 2, "type": "maint.input", "kind": "tap"}', "unsupported_version"),
        ('{"v": 1, "type": "maint.input", "kind": 5}', "malformed"),
        ("[]", "malformed"),
        ("{", "malformed"),
    ]:
        with pytest.raises(ProtocolError) as info:
            decode_relay_frame(bad)
        assert info.value.code == code


def test_requests_are_checked_and_trimmed():
    req = check_call_request(CallRequest("  Paper jam ", " tray 2 ", ["J-101", "SC.542"]))
    assert (req.reason, req.note, req.error_codes) == ("Paper jam", "tray 2", ["J-101", "SC.542"])
    for bad, code in [
        (CallRequest(""), "bad_reason"),
        (CallRequest("x" * 101), "bad_reason"),
        (CallRequest("ok", "n" * 1001), "bad_note"),
        (CallRequest("ok", error_codes=["J 101"]), "bad_error_codes"),
        (CallRequest("ok", error_codes=["E"] * 21), "bad_error_codes"),
        (CallRequest("ok", panel=PanelState(width=5000)), "bad_panel"),
    ]:
        with pytest.raises(ProtocolError) as info:
            check_call_request(bad)
        assert info.value.code == code


def test_input_must_fit_the_panel():
    check_input(RemoteInput("tap", 1023, 599), 1024, 600)
    check_input(RemoteInput("key", key="reset"), 1024, 600)
    for bad in (
        RemoteInput("tap", 1024, 0),
        RemoteInput("tap", -1, 0),
        RemoteInput("key", key="power"),
        RemoteInput("swipe"),
    ):
        with pytest.raises(ProtocolError) as info:
            check_input(bad, 1024, 600)
        assert info.value.code == "bad_input"
