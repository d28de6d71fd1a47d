"""One maintenance call, from the device's request to its end: the two sockets it pairs, the
consent the panel's user gave, and what the relay lets through between them.

The rules the relay enforces live here: screen updates reach the operator only while the
panel's user allows viewing (or operation); operator input reaches the device only while
they allow operation; chat goes both ways, stamped with who said it.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

from aiohttp import web

from panel.protocol import ProtocolError, encode_frame
from panel.protocol.maintenance import (
    CONSENT_CHOICES,
    VIEWABLE,
    CallInfo,
    CallRequest,
    ChatMessage,
    ConsentReport,
    RemoteInput,
    ViewFlow,
    ViewRefresh,
    check_chat,
    check_input,
    unpack_screen,
)
from panel.protocol.messages import ErrorFrame, Frame
from panel.server.relay.assignment import CallState, Waiting
from panel.server.relay.view import ViewStream


async def send(ws: web.WebSocketResponse | None, frame: Frame) -> None:
    """Send a text frame if the socket is still open; a peer that just left is no error."""
    if ws is not None and not ws.closed:
        with contextlib.suppress(ConnectionResetError):
            await ws.send_str(encode_frame(frame))


@dataclass(eq=False)
class Call:
    """A maintenance call; `waiting` is its place in assignment (queued, offered, active)."""

    call_id: str
    device_id: str
    device_name: str
    request: CallRequest
    requested_at: float
    waiting: Waiting
    device_ws: web.WebSocketResponse
    operator_name: str = ""
    operator_ws: web.WebSocketResponse | None = None
    view: ViewStream | None = None
    consent_trail: list[str] = field(default_factory=list)
    told_device: tuple[str, object] = ("", None)  # last queue/assignment news sent to it
    last_device_seq: int = 0
    screen_size: tuple[int, int] = (0, 0)
    frames_in: int = 0
    inputs: int = 0
    refused_inputs: int = 0
    ended: bool = False

    def __post_init__(self) -> None:
        panel = self.request.panel
        self.screen_size = (panel.width, panel.height)

    @property
    def consent(self) -> str:
        """The panel user's latest choice; "" while they have not answered."""
        return self.consent_trail[-1] if self.consent_trail else ""

    @property
    def viewable(self) -> bool:
        return self.consent in VIEWABLE

    def info(self, position: int = 0) -> CallInfo:
        req = self.request
        return CallInfo(
            self.call_id,
            self.device_id,
            self.device_name,
            req.reason,
            req.note,
            list(req.error_codes),
            req.panel,
            self.requested_at,
            self.waiting.state.value,
            position,
            self.operator_name,
        )

    @property
    def active(self) -> bool:
        return not self.ended and self.waiting.state is CallState.ACTIVE

    # -- the operator's side -------------------------------------------------------------------
    async def attach(self, ws: web.WebSocketResponse) -> None:
        """The operator's view socket is open: reset the device's credit and, when viewing is
        allowed, ask it for the whole screen."""
        self.operator_ws = ws
        self.view = ViewStream(ws, self._ask_refresh)
        self.view.start()
        await send(self.device_ws, ViewFlow(self.last_device_seq, 0.0, self.view.window))
        if self.viewable:
            await send(self.device_ws, ViewRefresh("the operator started viewing"))

    async def operator_input(self, event: RemoteInput) -> str:
        """Pass an operator's tap or key press to the device if the panel's user allows
        operation; returns what happened ("sent", "refused" or "bad")."""
        if self.consent != "operate":
            self.refused_inputs += 1
            await send(
                self.operator_ws,
                ErrorFrame(
                    "input_refused",
                    "The panel's user has not allowed operation: input is not passed on.",
                ),
            )
            return "refused"
        try:
            check_input(event, *self.screen_size)
        except ProtocolError as exc:
            await send(self.operator_ws, ErrorFrame(exc.code, exc.message))
            return "bad"
        self.inputs += 1
        await send(self.device_ws, event)
        return "sent"

    async def view_ack(self, seq: int) -> None:
        flow = self.view.ack(seq) if self.view is not None else None
        if flow is not None:
            await send(self.device_ws, flow)

    # -- the device's side ---------------------------------------------------------------------
    async def consent_given(self, report: ConsentReport) -> bool:
        """Record the panel user's choice and tell the operator; False if it is no choice."""
        if report.choice not in CONSENT_CHOICES:
            await send(
                self.device_ws,
                ErrorFrame("bad_consent", f"Consent is one of {', '.join(CONSENT_CHOICES)}."),
            )
            return False
        was_viewable = self.viewable
        self.consent_trail.append(report.choice)
        if not self.viewable and self.view is not None:
            self.view.clear()
        await send(self.operator_ws, report)
        if self.viewable and not was_viewable and self.operator_ws is not None:
            await send(self.device_ws, ViewRefresh("viewing allowed"))
        return True

    async def screen(self, data: bytes) -> None:
        """A binary screen update from the device: to the operator only while viewing is
        allowed and they are attached; a malformed one is refused with a clear error."""
        try:
            update = unpack_screen(data)
        except ProtocolError as exc:
            await send(self.device_ws, ErrorFrame(exc.code, exc.message))
            return
        self.frames_in += 1
        self.last_device_seq = update.seq
        self.screen_size = (update.width, update.height)
        if self.viewable and self.view is not None:
            await self.view.push(update)

    # -- both ------------------------------------------------------------------------------------
    async def chat(self, message: ChatMessage, sender: str) -> None:
        try:
            text = check_chat(message.text)
        except ProtocolError as exc:
            ws = self.device_ws if sender == "panel" else self.operator_ws
            await send(ws, ErrorFrame(exc.code, exc.message))
            return
        stamped = ChatMessage(text, sender, time.time())
        await send(self.device_ws, stamped)
        await send(self.operator_ws, stamped)

    async def _ask_refresh(self, reason: str) -> None:
        """The view stream dropped what waited: the device sends the whole screen next."""
        await send(self.device_ws, ViewRefresh(reason))
