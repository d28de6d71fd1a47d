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
