"""The codec refuses what it cannot trust with a clear, stable error; it never crashes."""

from __future__ import annotations

import json

import pytest

from panel.protocol import PROTOCOL_VERSION, ProtocolError, decode_body, decode_frame, encode_frame
from panel.protocol.codec import MAX_FRAME_BYTES
from panel.protocol.messages import Ack, Hello, JobInfo, JobList, JobNotify, LoginRequest


def test_frames_round_trip_with_version_and_type():
    raw = encode_frame(JobNotify(seq=7, job_id="job-1", created_at=12.5))
    assert json.loads(raw) == {
        "v": PROTOCOL_VERSION,
        "type": "job.notify",
        "seq": 7,
        "job_id": "job-1",
        "created_at": 12.5,
    }
    assert decode_frame(raw) == JobNotify(7, "job-1", 12.5)


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("{not json", "malformed", "not valid JSON"),
        ("[1, 2]", "malformed", "JSON object"),
        ('{"v": 2, "type": "ack", "seq": 1}', "unsupported_version", "version 2 is not supported"),
        ('{"type": "ack", "seq": 1}', "unsupported_version", "version None"),
        ('{"v": 1, "type": "launch.missiles"}', "unknown_type", "launch.missiles"),
        ('{"v": 1, "type": "ack"}', "malformed", "ack.seq is missing"),
        ('{"v": 1, "type": "ack", "seq": "3"}', "malformed", "ack.seq must be int, got str"),
        ('{"v": 1, "type": "ack", "seq": true}', "malformed", "not a boolean"),
        (b"\xff\xfe", "malformed", "not valid JSON"),
    ],
)
def test_bad_frames_are_refused_with_a_clear_error(raw, code, words):
    with pytest.raises(ProtocolError) as info:
        decode_frame(raw)
    assert info.value.code == code
    assert words in info.value.message


def test_oversized_frame_is_refused_before_parsing():
    raw = encode_frame(Hello(last_seq=0))[:-1] + ', "pad": "' + "x" * MAX_FRAME_BYTES + '"}'
    with pytest.raises(ProtocolError) as info:
        decode_frame(raw)
    assert info.value.code == "too_large"


def test_bodies_validate_nested_messages_and_optional_fields():
    job = {
        "job_id": "j",
        "user_id": "u",
        "title": "t",
        "pages": 2,
        "copies": 1,
        "state": "held",
        "device_id": None,
        "created_at": 1,
        "document_name": "d.pdf",
        "document_size": 10,
    }
    parsed = decode_body(JobList, json.dumps({"jobs": [job]}))
    assert parsed.jobs[0] == JobInfo(**{**job, "created_at": 1.0})
    bad = {**job, "pages": "two"}
    with pytest.raises(ProtocolError, match=r"JobList.jobs\[0\].pages must be int"):
        decode_body(JobList, json.dumps({"jobs": [bad]}))


def test_body_with_missing_field_names_it():
    with pytest.raises(ProtocolError, match=r"LoginRequest\.pin is missing"):
        decode_body(LoginRequest, '{"user_id": "1001"}')


def test_unknown_fields_are_ignored_for_forward_compatibility():
    assert decode_frame('{"v": 1, "type": "ack", "seq": 4, "later": true}') == Ack(4)


# ---- issue 12: bounds beyond the types ------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ('{"v": 1, "type": "ack", "seq": -1}', "malformed", "ack.seq is 0 to 9223372036854775807"),
        ('{"v": 1, "type": "ack", "seq": 9223372036854775808}', "malformed", "64-bit"),
        ('{"v": 1, "type": "hello", "last_seq": 0, "user_id": "\\u0000"}', "malformed", "NUL"),
        ('{"v": 1, "type": "hello", "last_seq": 0, "user_id": "\\udc00"}', "malformed", "hello"),
        (
            '{"v": 1, "type": "job.notify", "seq": 1, "job_id": "j", "created_at": NaN}',
            "malformed",
            "not valid JSON",
        ),
        (
            '{"v": 1, "type": "job.notify", "seq": 1, "job_id": "j", "created_at": 1e999}',
            "malformed",
            "finite",
        ),
    ],
)
def test_frames_out_of_bounds_are_refused_naming_the_field(raw, code, words):
    with pytest.raises(ProtocolError) as info:
        decode_frame(raw)
    assert info.value.code == code
    assert words in info.value.message


def test_a_valid_pair_of_surrogates_is_text():
    """A character beyond the BMP arrives as a surrogate pair in JSON: that is one scalar value."""
    hello = decode_frame('{"v": 1, "type": "hello", "last_seq": 0, "user_id": "\\ud83d\\ude00"}')
    assert hello == Hello(0, "\U0001f600")


def test_a_limit_keeps_the_refusal_code_the_server_used_before():
    from panel.protocol.messages import JobCreate, JobStatusReport, OutboxBatch

    cases = [
        (
            JobCreate,
            '{"user_id": "u", "title": "t", "document_b64": "", "copies": 1}',
            "empty_document",
            "JobCreate.document_b64 holds at least 1 characters, not 0",
        ),
        (
            JobCreate,
            '{"user_id": "u", "title": "t", "document_b64": "x", "copies": 1000}',
            "bad_copies",
            "JobCreate.copies is 1 to 999, not 1000",
        ),
        (JobStatusReport, '{"state": "exploded"}', "bad_state", "is one of printing"),
        (OutboxBatch, json.dumps({"items": [None] * 501}), "too_many_items", "at most 500 items"),
    ]
    for cls, raw, code, words in cases:
        with pytest.raises(ProtocolError) as info:
            decode_body(cls, raw)
        assert (info.value.code, words in info.value.message) == (code, True), info.value.message


def test_the_schema_declares_what_the_decoder_enforces():
    from panel.protocol.messages import JobCreate, OutboxBatch
    from panel.protocol.schema import component_schemas

    schemas = component_schemas([JobCreate, OutboxBatch, Ack])
    assert schemas["JobCreate"]["properties"]["copies"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 999,
    }
    assert schemas["OutboxBatch"]["properties"]["items"]["maxItems"] == 500
    assert schemas["Ack"]["properties"]["seq"]["minimum"] == 0
