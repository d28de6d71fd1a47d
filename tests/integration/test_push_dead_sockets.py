"""A push socket whose device vanished leaves no frames behind for the cycle collector (issue
12: with thousands of sockets a full collection pauses the loop for a second or more)."""

from __future__ import annotations

import asyncio
import base64
import os

from support import until

from panel.protocol import encode_frame
from panel.protocol.messages import Hello
from panel.server.api import hub_key

PUSH = "/api/v1/push"


def _masked_text_frame(text: str) -> bytes:
    """One client-to-server WebSocket text frame (RFC 6455: clients mask their frames)."""
    payload = text.encode()
    assert len(payload) < 126
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + masked


async def test_the_error_a_vanished_device_leaves_holds_no_frames(server):
    device_id, secret = server.store.register_device("Vanishing MFP", "MFP-Emu 1")
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        f"GET {PUSH} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Authorization: Bearer {device_id}.{secret}\r\n\r\n".encode()
    )
    assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 101")
    writer.write(_masked_text_frame(encode_frame(Hello(last_seq=0))))
    hub = server.app[hub_key]
    await until(lambda: hub.connected(device_id), what="the welcome")
    ws = hub._sockets[device_id]

    writer.transport.abort()  # gone without a close frame: the server's own cannot be written
    await until(lambda: not hub.connected(device_id), what="the socket's end")
    await until(lambda: ws.exception() is not None, what="the close frame's failure")

    # The error and its message stay; where it was raised (frames that hold the socket) goes.
    error = ws.exception()
    assert "closing transport" in str(error)
    chain = []
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert [e.__traceback__ for e in chain] == [None] * len(chain)
