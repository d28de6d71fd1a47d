"""The persistent push connection (S9): notices of new jobs arrive here.

Each notice is stored as a reception record before it is acknowledged; on every (re)connect
the device says the last sequence it stored so the server replays what was missed.
"""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING

from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.jobs import JobManager
from panel.device.model import ConnectionState
from panel.device.store import DeviceStore
from panel.protocol import ProtocolError, decode_frame, encode_frame
from panel.protocol.messages import Ack, ErrorFrame, Hello, JobNotify, Welcome
from panel.trace import Trace

if TYPE_CHECKING:
    import aiohttp

RETRY_FIRST_S = 0.2
RETRY_CAP_S = 5.0


class PushChannel:
    def __init__(
        self, link: ServerLink, store: DeviceStore, jobs: JobManager, trace: Trace
    ) -> None:
        self._link = link
        self._store = store
        self._jobs = jobs
        self._trace = trace
        self.refused: ServerRefused | None = None

    async def run(self) -> None:
        """Stay connected for as long as the device runs, retrying with jittered backoff."""
        delay = RETRY_FIRST_S
        while True:
            self._link.set_state(ConnectionState.CONNECTING)
            try:
                await self._session()
                delay = RETRY_FIRST_S
            except ServerRefused as exc:
                # Our credentials were refused: retrying fast would only hammer the server.
                self.refused = exc
                self._trace.emit("push", "refused", error=str(exc))
                delay = RETRY_CAP_S
            except ServerUnreachable as exc:
                self._trace.emit("push", "unreachable", error=str(exc))
            self._link.set_state(ConnectionState.OFFLINE)
            await asyncio.sleep(random.uniform(0, delay))
            delay = min(RETRY_CAP_S, delay * 2)

    async def _session(self) -> None:
        import aiohttp  # loaded on first connect (see connection.py)

        ws = await self._link.open_push()
        try:
            await ws.send_str(encode_frame(Hello(last_seq=self._store.last_seq())))
            async for msg in ws:
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    continue
                await self._handle(ws, msg.data)
        except (aiohttp.ClientError, ConnectionResetError) as exc:
            raise ServerUnreachable(str(exc)) from exc
        finally:
            await ws.close()
        self._trace.emit("push", "closed", code=ws.close_code)

    async def _handle(self, ws: aiohttp.ClientWebSocketResponse, raw: str) -> None:
        try:
            frame = decode_frame(raw)
        except ProtocolError as exc:
            self._trace.emit("push", "malformed", code=exc.code, error=exc.message)
            await ws.send_str(encode_frame(ErrorFrame(exc.code, exc.message)))
            return
        if isinstance(frame, Welcome):
            self.refused = None
            self._trace.emit("push", "welcome", last_seq=frame.last_seq)
            self._link.set_state(ConnectionState.ONLINE)
            self._jobs.online()
        elif isinstance(frame, JobNotify):
            self._trace.emit("push", "notify", seq=frame.seq, job_id=frame.job_id)
            self._jobs.notified(frame.seq, frame.job_id)
            await ws.send_str(encode_frame(Ack(seq=frame.seq)))
        elif isinstance(frame, ErrorFrame):
            self._trace.emit("push", "server-error", code=frame.code, error=frame.message)
        else:
            self._trace.emit("push", "unexpected", type=type(frame).__name__)
