"""An operator without a browser: what the console does, over the same REST calls and sockets.

For benchmarks (`mfp-panel bench remote`), scripts and tests. It authenticates with the
bearer token the login returns (the browser uses the cookie instead).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

import aiohttp

from panel.protocol import PROTOCOL_VERSION, ProtocolError, decode_body, encode_body, encode_frame
from panel.protocol.maintenance import (
    CallList,
    ChatMessage,
    ConsoleState,
    EndSession,
    OperatorInfo,
    OperatorLoginReply,
    OperatorLoginRequest,
    PresenceChange,
    RemoteInput,
    ScreenUpdate,
    SessionDetails,
    SessionLog,
    SessionStart,
    ViewAck,
    decode_relay_frame,
    unpack_screen,
)
from panel.protocol.messages import ErrorReply, Frame

T = TypeVar("T")
API = f"/api/v{PROTOCOL_VERSION}"
STATE_LIMIT = 4 * 1024 * 1024  # a console state lists the whole queue


class RelayRefused(Exception):
    """The relay answered and said no (`status`, `code` as in its ErrorReply)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class Inbox:
    """What a socket received, in order, and waiting for the next thing of a kind."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.history: list[Frame | ScreenUpdate] = []
        self.closed = False

    async def receive(self, wait_s: float = 10.0) -> Frame | ScreenUpdate | None:
        """The next frame or screen update; None once the socket has closed."""
        if self.closed:
            return None
        msg = await self.ws.receive(wait_s)
        item: Frame | ScreenUpdate
        if msg.type is aiohttp.WSMsgType.TEXT:
            item = decode_relay_frame(msg.data, STATE_LIMIT)
        elif msg.type is aiohttp.WSMsgType.BINARY:
            item = unpack_screen(msg.data)
        else:
            self.closed = True
            return None
        self.history.append(item)
        await self.received(item)
        return item

    async def received(self, item: Frame | ScreenUpdate) -> None:
        """Called for each item as it arrives (the live view acknowledges screen updates)."""

    async def wait(
        self, kind: type[T], predicate: Callable[[T], bool] = lambda _: True, wait_s: float = 10.0
    ) -> T:
        """The next item of `kind` that satisfies `predicate` (others stay in `history`)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_s
        while True:
            item = await self.receive(max(0.0, deadline - loop.time()))
            if item is None:
                raise ConnectionError(f"the socket closed before a {kind.__name__} came")
            if isinstance(item, kind) and predicate(item):
                return item

    async def send(self, frame: Frame) -> None:
        await self.ws.send_str(encode_frame(frame))

    async def close(self) -> None:
        await self.ws.close()


class ConsoleFeed(Inbox):
    """The console socket: a `ConsoleState` whenever the operator's picture changes."""

    async def state(
        self, predicate: Callable[[ConsoleState], bool] = lambda _: True, wait_s: float = 10.0
    ) -> ConsoleState:
        return await self.wait(ConsoleState, predicate, wait_s)


class LiveView(Inbox):
    """The view socket of an accepted call: screen updates (acknowledged once received, as
    the console does once drawn), consent, chat, errors, the end."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, auto_ack: bool = True) -> None:
        super().__init__(ws)
        self.auto_ack = auto_ack

    async def received(self, item: Frame | ScreenUpdate) -> None:
        if self.auto_ack and isinstance(item, ScreenUpdate):
            await self.ack(item.seq)

    async def ack(self, seq: int) -> None:
        """Screen update `seq` is drawn: the relay may send the next."""
        await self.send(ViewAck(seq))

    async def details(self) -> SessionDetails:
        return await self.wait(SessionDetails)

    async def screen(self, wait_s: float = 10.0) -> ScreenUpdate:
        return await self.wait(ScreenUpdate, wait_s=wait_s)

    async def tap(self, x: int, y: int) -> None:
        await self.send(RemoteInput("tap", x, y))

    async def key(self, name: str) -> None:
        await self.send(RemoteInput("key", key=name))

    async def chat(self, text: str) -> None:
        await self.send(ChatMessage(text))

    async def end(self, reason: str = "done") -> None:
        await self.send(EndSession(reason))


class OperatorClient:
    def __init__(self, base_url: str, session: aiohttp.ClientSession | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._own_session = session is None
        self.session = session or aiohttp.ClientSession()
        self.token = ""
        self.info: OperatorInfo | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def close(self) -> None:
        if self._own_session:
            await self.session.close()

    async def __aenter__(self) -> OperatorClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def call(self, method: str, path: str, reply: type[T], body: Any = None) -> T:
        data = encode_body(body) if body is not None else None
        async with self.session.request(
            method,
            f"{self.base_url}{API}{path}",
            data=data,
            headers={**self.headers, "Content-Type": "application/json"},
        ) as resp:
            raw = await resp.read()
            if resp.status >= 400:
                try:
                    err = decode_body(ErrorReply, raw)
                except ProtocolError:
                    err = ErrorReply("http_error", raw[:200].decode(errors="replace"))
                raise RelayRefused(resp.status, err.error, err.message)
            return decode_body(reply, raw, STATE_LIMIT)

    async def login(self, operator_id: str, password: str) -> OperatorInfo:
        reply = await self.call(
            "POST",
            "/operator/login",
            OperatorLoginReply,
            OperatorLoginRequest(operator_id, password),
        )
        self.token, self.info = reply.token, reply.operator
        return reply.operator

    async def logout(self) -> OperatorInfo:
        return await self.call("POST", "/operator/logout", OperatorInfo)

    async def me(self) -> OperatorInfo:
        return await self.call("GET", "/operator/me", OperatorInfo)

    async def set_presence(self, presence: str) -> OperatorInfo:
        return await self.call("PUT", "/operator/presence", OperatorInfo, PresenceChange(presence))

    async def calls(self) -> CallList:
        return await self.call("GET", "/maintenance/calls", CallList)

    async def accept(self, call_id: str) -> SessionStart:
        return await self.call("POST", f"/maintenance/calls/{call_id}/accept", SessionStart)

    async def log(self) -> SessionLog:
        return await self.call("GET", "/maintenance/sessions", SessionLog)

    async def console(self) -> ConsoleFeed:
        return ConsoleFeed(await self._socket(f"{API}/operator/events"))

    async def view(self, call_id: str, auto_ack: bool = True) -> LiveView:
        ws = await self._socket(f"{API}/maintenance/calls/{call_id}/view")
        return LiveView(ws, auto_ack)

    async def _socket(self, path: str) -> aiohttp.ClientWebSocketResponse:
        try:
            return await self.session.ws_connect(
                f"{self.base_url}{path}", headers=self.headers, max_msg_size=0
            )
        except aiohttp.WSServerHandshakeError as exc:
            raise RelayRefused(exc.status, "refused", exc.message) from exc
