"""Property tests of every parser that reads bytes from the network or a file (issue 12).

Whatever arrives (bytes, text, JSON of any shape, a known frame type with fields of any type),
each parser answers with the message or its documented `ProtocolError`, nothing else: push and
relay frames, every REST body both ways (so the device's reading of the server's replies and
the outbox's answers, and the server's of the device's requests), the binary screen updates, the
device's cached snapshot on disk, and the delegation tokens a proxy presents. And for every
message the decoder accepts, decoding what was encoded gives back the same message.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import math
import typing
from typing import Any, Union

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel.protocol import (
    ProtocolError,
    decode_body,
    decode_frame,
    encode_body,
    encode_frame,
    maintenance,
    messages,
    power,
    reach,
)
from panel.protocol.codec import field_types, split_limit, to_dict
from panel.protocol.constraints import INT64_MAX, INT64_MIN
from panel.protocol.maintenance import (
    FORMATS,
    RELAY_FRAME_TYPES,
    ScreenRect,
    ScreenUpdate,
    decode_relay_frame,
    pack_screen,
    unpack_screen,
)
from panel.server.delegation import DelegationSigner
from panel.server.http import ApiError

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Every message class that crosses the wire as JSON.
MESSAGES: list[type[Any]] = sorted(
    {
        cls
        for module in (messages, power, reach, maintenance)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if dataclasses.is_dataclass(cls)
        and cls.__module__ == module.__name__
        and cls not in (ScreenRect, ScreenUpdate)  # binary: pack_screen / unpack_screen
    },
    key=lambda c: f"{c.__module__}.{c.__name__}",
)
FRAMES = sorted({*messages.FRAME_TYPES, *RELAY_FRAME_TYPES}, key=lambda c: c.TYPE)
BODIES = [cls for cls in MESSAGES if not issubclass(cls, messages.Frame)]

# ---- valid messages, drawn from the same type hints the decoder checks -------------------

_TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


def value_of(hint: Any) -> st.SearchStrategy[Any]:
    """Values the decoder must accept for a field of type `hint` (its limit included)."""
    hint, limit = split_limit(hint)
    origin = typing.get_origin(hint)
    if origin in (Union, typing.get_origin(int | None)):
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return st.none() | value_of(inner)
    if origin is list:
        (item,) = typing.get_args(hint)
        high = 3 if limit is None or limit.max_length is None else min(3, limit.max_length)
        return st.lists(value_of(item), max_size=high)
    if dataclasses.is_dataclass(hint):
        return message_of(typing.cast(type[Any], hint))
    if limit is not None and limit.choices:
        return st.sampled_from(limit.choices)
    if hint is str:
        low = limit.min_length if limit is not None and limit.min_length is not None else 0
        high = limit.max_length if limit is not None and limit.max_length is not None else 20
        return st.text(_TEXT, min_size=low, max_size=min(high, low + 20))
    if hint is bool:
        return st.booleans()
    low_n = limit.minimum if limit is not None and limit.minimum is not None else None
    high_n = limit.maximum if limit is not None and limit.maximum is not None else None
    if hint is int:
        return st.integers(
            INT64_MIN if low_n is None else int(low_n), INT64_MAX if high_n is None else int(high_n)
        )
    assert hint is float, hint
    return st.floats(low_n, high_n, allow_nan=False, allow_infinity=False)


def message_of(cls: type[Any]) -> st.SearchStrategy[Any]:
    hints = field_types(cls)
    fields = {f.name: value_of(hints[f.name]) for f in dataclasses.fields(cls)}
    return st.builds(cls, **fields)


# ---- arbitrary input ---------------------------------------------------------------------------

# What hurt before, or could: lone surrogates, NUL, integers beyond 64 bits or any float.
HOSTILE: list[Any] = [
    "\ud800",
    "a\x00b",
    "\udfff\ud800",
    10**400,
    -(10**400),
    2**63,
    -(2**63) - 1,
    -1,
    1e308,
    "",
    [],
    {},
]
# Any JSON value, the hostile ones about as often as all the others.
json_values = st.recursive(
    st.sampled_from(HOSTILE)
    | st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(st.characters(), max_size=12),
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def objects_like(cls: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid `cls` as JSON with one field (or a new key) set to any JSON value: the field
    checked last is reached too (the decoder stops at the first wrong field), or objects with
    some of `cls`'s fields, each of any JSON value."""
    names = sorted(f.name for f in dataclasses.fields(cls)) or ["x"]
    one_wrong = st.builds(
        lambda valid, key, value: {**to_dict(valid), key: value},
        message_of(cls),
        st.sampled_from(names) | st.text(max_size=6),
        json_values,
    )
    any_fields = st.fixed_dictionaries({}, optional=dict.fromkeys(names, json_values))
    return one_wrong | any_fields


def _refused_or_ok(parse: Any, raw: Any) -> None:
    """`parse(raw)` returns, or raises a ProtocolError that says what and why; nothing else."""
    try:
        message = parse(raw)
    except ProtocolError as exc:
        refusal = exc
    else:
        _assert_harmless(message)
        return
    assert refusal.code
    assert refusal.message


def _assert_harmless(value: Any) -> None:
    """What the decoder lets through is safe downstream: text SQLite and UTF-8 take, integers
    SQLite holds, finite numbers."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _assert_harmless(getattr(value, f.name))
    elif isinstance(value, list | tuple):
        for item in value:
            _assert_harmless(item)
    elif isinstance(value, str):
        value.encode("utf-8")  # a lone surrogate raises here
        assert "\x00" not in value
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        assert INT64_MIN <= value <= INT64_MAX
    elif isinstance(value, float):
        assert math.isfinite(value)


@FUZZ
@given(raw=st.binary(max_size=300) | st.text(max_size=300))
def test_arbitrary_bytes_are_a_frame_or_a_protocol_error(raw: bytes | str) -> None:
    _refused_or_ok(decode_frame, raw)
    _refused_or_ok(decode_relay_frame, raw)


@FUZZ
@given(value=json_values)
def test_arbitrary_json_is_a_message_or_a_protocol_error(value: Any) -> None:
    raw = json.dumps(value)
    _refused_or_ok(decode_frame, raw)
    _refused_or_ok(decode_relay_frame, raw)
    for cls in BODIES:
        _refused_or_ok(lambda r, c=cls: decode_body(c, r), raw)


@FUZZ
@given(cls=st.sampled_from(FRAMES), version=st.sampled_from([1, 1, 1, 2, "1"]), data=st.data())
def test_known_frames_with_fields_of_any_type_are_refused_cleanly(
    cls: type[messages.Frame], version: Any, data: Any
) -> None:
    fields = data.draw(objects_like(cls))
    raw = json.dumps({**fields, "v": version, "type": cls.TYPE})
    _refused_or_ok(decode_frame, raw)
    _refused_or_ok(decode_relay_frame, raw)


@FUZZ
@given(cls=st.sampled_from(BODIES), data=st.data())
def test_bodies_with_fields_of_any_type_are_refused_cleanly(cls: type[Any], data: Any) -> None:
    fields = data.draw(objects_like(cls))
    _refused_or_ok(lambda r: decode_body(cls, r), json.dumps(fields))


@FUZZ
@given(raw=st.binary(max_size=400))
def test_arbitrary_binary_is_a_screen_update_or_a_protocol_error(raw: bytes) -> None:
    _refused_or_ok(unpack_screen, raw)


@FUZZ
@given(
    header=st.tuples(
        st.integers(0, 2), st.integers(0, 2), st.integers(0, 2**32 - 1), st.integers(0, 5000)
    ),
    tail=st.binary(max_size=200),
)
def test_screen_updates_with_a_plausible_header_are_refused_cleanly(
    header: tuple[int, int, int, int], tail: bytes
) -> None:
    version, kind, seq, side = header
    raw = bytes([version, kind]) + seq.to_bytes(4, "big") + side.to_bytes(2, "big") * 2 + tail
    _refused_or_ok(unpack_screen, raw)


@FUZZ
@given(
    token=st.text(max_size=120) | st.from_regex(r"v1\.[A-Za-z0-9_\-]{0,40}\.[A-Za-z0-9_\-]{0,50}")
)
def test_a_delegation_token_from_the_network_is_claims_or_a_refusal(token: str) -> None:
    signer = DelegationSigner(b"k" * 32)
    try:
        signer.verify(token)
    except ApiError as exc:
        status = exc.status
    else:
        return
    assert status in (400, 403)


# ---- valid messages round-trip ------------------------------------------------------------------


@FUZZ
@given(data=st.data(), cls=st.sampled_from(FRAMES))
def test_every_valid_frame_round_trips(data: Any, cls: type[messages.Frame]) -> None:
    frame = data.draw(message_of(cls))
    raw = encode_frame(frame)
    decode = decode_relay_frame if cls in RELAY_FRAME_TYPES else decode_frame
    assert decode(raw) == frame


@FUZZ
@given(data=st.data(), cls=st.sampled_from(MESSAGES))
def test_every_valid_body_round_trips(data: Any, cls: type[Any]) -> None:
    message = data.draw(message_of(cls))
    assert decode_body(cls, encode_body(message)) == message


_MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}


@st.composite
def screen_updates(draw: Any) -> ScreenUpdate:
    width, height = draw(st.integers(1, 4096)), draw(st.integers(1, 4096))
    rects = []
    for _ in range(draw(st.integers(1, 4))):
        x, y = draw(st.integers(0, width - 1)), draw(st.integers(0, height - 1))
        w, h = draw(st.integers(1, width - x)), draw(st.integers(1, height - y))
        fmt = draw(st.sampled_from(sorted(FORMATS)))
        rects.append(ScreenRect(fmt, x, y, w, h, _MAGIC[fmt] + draw(st.binary(max_size=40))))
    return ScreenUpdate(draw(st.integers(0, 2**32 - 1)), width, height, tuple(rects))


@FUZZ
@given(update=screen_updates())
def test_every_valid_screen_update_round_trips(update: ScreenUpdate) -> None:
    assert unpack_screen(pack_screen(update)) == update


@pytest.mark.parametrize("cls", MESSAGES, ids=lambda c: c.__name__)
@settings(max_examples=3, deadline=None)
@given(data=st.data())
def test_each_field_of_each_message_with_each_hostile_value(cls: type[Any], data: Any) -> None:
    """Exhaustive where random drawing is thin: every field of a valid message set in turn to
    each value that hurt before is decoded or refused, never a crash."""
    valid = to_dict(data.draw(message_of(cls)))
    encode = (
        (lambda d: json.dumps({**d, "v": 1, "type": cls.TYPE}))
        if issubclass(cls, messages.Frame)
        else json.dumps
    )
    decode = (
        decode_relay_frame
        if cls in RELAY_FRAME_TYPES
        else decode_frame
        if issubclass(cls, messages.Frame)
        else (lambda raw: decode_body(cls, raw))
    )
    for f in dataclasses.fields(cls):
        for value in HOSTILE:
            _refused_or_ok(decode, encode({**valid, f.name: value}))


def test_every_message_class_is_covered() -> None:
    """A message added later is fuzzed too (this list is found, not written down)."""
    assert len(MESSAGES) > 50
    assert messages.Hello in MESSAGES
    assert maintenance.CallRequest in MESSAGES
    assert set(FRAMES) <= set(MESSAGES)


@pytest.mark.parametrize("cls", [messages.CacheSnapshot, messages.OutboxReply, messages.JobList])
def test_a_damaged_cached_file_is_a_protocol_error(cls: type[Any], tmp_path: Any) -> None:
    """What a device reads back from disk goes through the same decoder (panel/device/cache)."""
    for damaged in (b"", b"\x00" * 10, b'{"version": 1', b'{"version": "\\ud800"}'):
        with pytest.raises(ProtocolError):
            decode_body(cls, damaged)


# ---- the device's reading of the outbox's answer ------------------------------------------------


@FUZZ
@given(
    keys=st.lists(st.text(_TEXT, min_size=1, max_size=6), min_size=1, max_size=6, unique=True),
    data=st.data(),
)
def test_any_outbox_answer_settles_or_holds_each_job_once(keys: list[str], data: Any) -> None:
    """Whatever the server answers (results missing, repeated, unknown keys, any status),
    each job sent is either settled (accepted or refused, for good) or held to send again."""
    from panel.device.model import Job, JobKind, JobState
    from panel.device.outbox import _sort_results

    jobs = [Job(key, JobKind.SCAN, "t", "1001", JobState.SENDING) for key in keys]
    result = st.builds(
        messages.OutboxResult,
        st.sampled_from(keys) | st.text(_TEXT, max_size=4),
        value_of(field_types(messages.OutboxResult)["status"]),
        st.text(_TEXT, max_size=4),
        st.text(_TEXT, max_size=8),
    )
    reply = messages.OutboxReply(data.draw(st.lists(result, max_size=8)))
    reply = decode_body(messages.OutboxReply, encode_body(reply))  # as the device reads it
    settled, held, _ = _sort_results(jobs, reply)
    assert sorted([j.job_id for j, _, _ in settled] + [j.job_id for j in held]) == sorted(keys)
    for _, state, _ in settled:
        assert state in (JobState.ACCEPTED, JobState.FAILED)
