"""The device's own session heartbeat on the push socket (S5, issue 12): its frames carry the
REST messages' fields, and what they added to older frames is optional both ways."""

from __future__ import annotations

import dataclasses
import json

from panel.protocol import decode_frame, encode_frame
from panel.protocol.codec import field_types
from panel.protocol.messages import ErrorFrame, SessionHeartbeat, SessionLease, Welcome
from panel.protocol.power import HeartbeatRequest, LeaseReply


def _fields(cls: type) -> dict[str, object]:
    return {f.name: field_types(cls)[f.name] for f in dataclasses.fields(cls)}


def test_the_frames_carry_the_rest_messages_fields_and_an_id():
    """A field added to the REST message must be added to its frame (and converted)."""
    assert _fields(SessionHeartbeat) == {"id": _fields(SessionHeartbeat)["id"]} | _fields(
        HeartbeatRequest
    )
    assert _fields(SessionLease) == {"id": _fields(SessionLease)["id"]} | _fields(LeaseReply)


def test_a_heartbeat_and_its_lease_convert_both_ways():
    beat = HeartbeatRequest("low-power", 300.0)
    frame = decode_frame(encode_frame(beat.frame(41)))
    assert frame == SessionHeartbeat(41, "low-power", 300.0)
    assert isinstance(frame, SessionHeartbeat)
    assert HeartbeatRequest.of(frame) == beat

    lease = LeaseReply("dev-1", "active", 1_900.5, 1_720.5)
    answer = decode_frame(encode_frame(lease.frame(41)))
    assert isinstance(answer, SessionLease)
    assert (answer.id, LeaseReply.of(answer)) == (41, lease)


def test_an_error_frame_without_a_request_reads_as_before():
    raw = encode_frame(ErrorFrame("malformed", "not valid JSON"))
    assert json.loads(raw) == {
        "v": 1,
        "type": "error",
        "code": "malformed",
        "message": "not valid JSON",
    }


def test_an_error_frame_naming_a_request_says_its_id_and_status():
    raw = encode_frame(ErrorFrame("internal", "The server failed.", id=3, status=500))
    assert json.loads(raw)["id"] == 3
    assert decode_frame(raw) == ErrorFrame("internal", "The server failed.", 3, 500)


def test_a_welcome_from_an_older_server_offers_no_heartbeats():
    raw = json.dumps(
        {"v": 1, "type": "welcome", "device_id": "d", "last_seq": 0, "server_time": 1.0}
    )
    welcome = decode_frame(raw)
    assert isinstance(welcome, Welcome)
    assert welcome.heartbeats is None
