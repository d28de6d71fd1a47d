"""The wire protocol shared by device and server: one place, one version.

REST bodies live under `/api/v{PROTOCOL_VERSION}/`; every push (WebSocket) frame carries `"v"`.
Both ends decode with `panel.protocol.codec`, so a malformed or wrong-version message is a
`ProtocolError` with a clear message on either side, never a crash.
"""

from panel.protocol.codec import (
    PROTOCOL_VERSION,
    ProtocolError,
    decode_body,
    decode_frame,
    encode_body,
    encode_frame,
)

__all__ = [
    "PROTOCOL_VERSION",
    "ProtocolError",
    "decode_body",
    "decode_frame",
    "encode_body",
    "encode_frame",
]
