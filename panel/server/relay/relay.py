"""The relay (S3): devices call for maintenance, operators are offered the calls, and each
accepted call pairs the device's socket with its operator's.

Every call is logged in the store (device, operator, times, consent, end reason) and traced.
An operator reaches a device only through a call assigned to them and only while its session
lasts: accepting needs the offer, and the view socket needs the accepted, unended call.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from panel.protocol import PROTOCOL_VERSION, ProtocolError
from panel.protocol.maintenance import (
    MAX_SCREEN_BYTES,
    CallAssigned,
    CallList,
    CallQueued,
    CallRequest,
    ChatMessage,
    ConsentReport,
    ConsoleState,
    EndSession,
    OperatorInfo,
    RemoteInput,
    SessionDetails,
    SessionEnded,
    SessionLog,
    SessionStart,
    SessionStarted,
    ViewAck,
    check_call_request,
    decode_relay_frame,
)
from panel.protocol.messages import ErrorFrame, Frame
from panel.server.http import ApiError, open_websocket
from panel.server.relay.accounts import OperatorAccounts
from panel.server.relay.assignment import Assignment, CallState, Operator, Presence
from panel.server.relay.session import Call, send
from panel.server.store import ServerStore
from panel.tasks import TaskOwner
from panel.trace import Trace

if TYPE_CHECKING:
    from panel.device.clock import Timer

OFFER_TIMEOUT_S = 20.0
REQUEST_TIMEOUT_S = 10.0  # from the device's upgrade to its CallRequest
HEARTBEAT_S = 10.0
CONTROL_FRAME_BYTES = 64 * 1024
CLOSE_PROTOCOL_ERROR = 4002
CLOSE_GRACE_S = 5.0  # at shutdown, for the sockets' closing handshakes
API = f"/api/v{PROTOCOL_VERSION}"


@dataclass
class RelaySettings:
    """`offer_timeout_s`: how long an operator has to accept an offer (then they are marked
    away and the next is tried), and to open the live view after accepting."""

    offer_timeout_s: float = OFFER_TIMEOUT_S
    clock: Callable[[], float] = field(default=time.monotonic)


class Relay:
    def __init__(self, store: ServerStore, trace: Trace, settings: RelaySettings | None = None):
        self.store = store
        self.settings = settings or RelaySettings()
        self.accounts = OperatorAccounts(store)
        self.assignment = Assignment(self.settings.clock)
        self.trace = trace
        self._calls: dict[str, Call] = {}
        self._by_device: dict[str, Call] = {}
        self._consoles: dict[str, set[web.WebSocketResponse]] = {}
        self._deadlines: dict[str, Timer] = {}  # call id -> offer/attach deadline
        # ...and its loop time: qasync's call_later returns a Handle without `when()`.
        self._deadline_at: dict[str, float] = {}
        self._owner = TaskOwner("relay", trace=trace)  # socket closes and missed deadlines
        self._closing = False

    # -- operators ------------------------------------------------------------------------------
    def operator(self, operator_id: str) -> Operator:
        """The operator's presence record (401 if their account was removed meanwhile)."""
        op = self.assignment.operators.get(operator_id)
        if op is not None:
            return op
        account = self.store.operator(operator_id)
        if account is None:
            raise ApiError(401, "unauthorized", "No such operator.")
        return self.assignment.operator(account.operator_id, account.name)

    def operator_info(self, op: Operator) -> OperatorInfo:
        idle = round(self.assignment.idle_s(op), 1)
        return OperatorInfo(op.operator_id, op.name, op.presence.value, op.call_id, idle)

    async def set_presence(self, operator_id: str, presence: str) -> OperatorInfo:
        try:
            wanted = Presence(presence)
        except ValueError:
            raise ApiError(
                400, "bad_presence", f"Presence is one of {', '.join(p.value for p in Presence)}."
            ) from None
        op = self.operator(operator_id)
        withdrawn = self.assignment.set_presence(op, wanted)
        self.trace.emit("relay", "presence", operator=op.operator_id, presence=wanted.value)
        if withdrawn is not None:
            self._cancel_deadline(withdrawn.call_id)
            self._calls[withdrawn.call_id].operator_name = ""
            self.trace.emit("relay", "offer-declined", call=withdrawn.call_id, operator=operator_id)
        await self._dispatch()
        return self.operator_info(op)

    async def logged_in(self, operator_id: str) -> OperatorInfo:
        """A console login: an away operator becomes available, so a waiting call is offered
        to them at once (logging in is starting work; an offer not taken in time sets them
        away again). One who is busy, e.g. in a session from another tab, stays so."""
        op = self.operator(operator_id)
        if op.presence is Presence.AWAY:
            return await self.set_presence(operator_id, Presence.AVAILABLE.value)
        return self.operator_info(op)

    async def logged_out(self, operator_id: str) -> None:
        """An operator logged out: their session ends, and they are away."""
        op = self.operator(operator_id)
        call = self._calls.get(op.call_id) if op.call_id else None
        if call is not None and call.active:
            await self.end(call, "operator_logged_out", "operator")
        await self.set_presence(operator_id, Presence.AWAY.value)

    # -- what operators read ----------------------------------------------------------------------
    def call(self, call_id: str) -> Call | None:
        """A call not yet ended (its counters say what the relay passed on and dropped)."""
        return self._calls.get(call_id)

    def calls(self) -> CallList:
        positions = self.assignment.positions()
        return CallList(
            [call.info(positions.get(call.call_id, 0)) for call in self._calls.values()]
        )

    def log(self, operator_id: str | None) -> SessionLog:
        return SessionLog(self.store.maintenance_log(operator_id))

    def console_state(self, op: Operator) -> ConsoleState:
        positions = self.assignment.positions()
        queue = [
            call.info(positions.get(call.call_id, 0))
            for call in self._calls.values()
            if call.waiting.state in (CallState.QUEUED, CallState.OFFERED)
        ]
        mine = self._calls.get(op.call_id) if op.call_id else None
        offer = (
            mine.info() if mine is not None and mine.waiting.state is CallState.OFFERED else None
        )
        expires = 0.0
        at = self._deadline_at.get(op.call_id or "")
        if offer is not None and at is not None and op.call_id in self._deadlines:
            expires = round(max(0.0, at - asyncio.get_running_loop().time()), 1)
        return ConsoleState(
            self.operator_info(op),
            queue,
            offer,
            expires,
            mine.call_id if mine is not None and mine.active else None,
            op.notice,
            self.assignment.on_duty(),
        )

    # -- accepting --------------------------------------------------------------------------------
    async def accept(self, operator_id: str, call_id: str) -> SessionStart:
        """The operator takes the call offered to them; 403 for any other call."""
        op = self.operator(operator_id)
        call = self._calls.get(call_id)
        if call is None or call.ended:
            raise ApiError(403, "not_offered", "This call is not offered to you.")
        self.assignment.accept(call.waiting, op)
        self._cancel_deadline(call_id)
        call.operator_name = op.name
        self.store.log_call_started(call_id, op.operator_id, op.name, time.time())
        self.trace.emit("relay", "accepted", call=call_id, operator=operator_id)
        await send(call.device_ws, SessionStarted(call_id, op.name))
        self._arm_deadline(call, self._attach_missed)
        await self._publish()
        return SessionStart(call_id, f"{API}/maintenance/calls/{call_id}/view")

    # -- the device's socket ----------------------------------------------------------------------
    async def serve_device(self, request: web.Request, device_id: str) -> web.WebSocketResponse:
        ws = await open_websocket(
            request, HEARTBEAT_S, max_msg_size=MAX_SCREEN_BYTES + 1024, compress=False
        )
        call = await self._receive_request(ws, device_id)
        if call is None:
            return ws
        try:
            async for msg in ws:
                if msg.type is WSMsgType.BINARY:
                    if call.active:
                        await call.screen(msg.data)
                elif msg.type is WSMsgType.TEXT:
                    frame = await self._decode(ws, msg.data)
                    if frame is not None and not await self._from_device(call, frame):
                        break
        finally:
            await self.end(call, "panel_disconnected", "device")
            await ws.close()
        return ws

    async def _receive_request(self, ws: web.WebSocketResponse, device_id: str) -> Call | None:
        try:
            first = await asyncio.wait_for(ws.receive(), REQUEST_TIMEOUT_S)
        except TimeoutError:
            await ws.close(code=CLOSE_PROTOCOL_ERROR, message=b"no request")
            return None
        frame = await self._decode(ws, first.data) if first.type is WSMsgType.TEXT else None
        try:
            if not isinstance(frame, CallRequest):
                raise ProtocolError("expected_request", "The first frame must be a maint.request.")
            req = check_call_request(frame)
        except ProtocolError as exc:
            await send(ws, ErrorFrame(exc.code, exc.message))
            await ws.close(code=CLOSE_PROTOCOL_ERROR, message=exc.code.encode())
            return None
        old = self._by_device.get(device_id)
        if old is not None:
            await self.end(old, "replaced", "relay")
        call_id = f"mc-{uuid.uuid4().hex[:12]}"
        name = self.store.device_name(device_id) or device_id
        call = Call(
            call_id, device_id, name, req, time.time(), self.assignment.enqueue(call_id), ws
        )
        self._calls[call_id] = self._by_device[device_id] = call
        self.store.log_call(
            call_id, device_id, name, req.reason, req.note, req.error_codes, call.requested_at
        )
        self.trace.emit(
            "relay", "requested", call=call_id, device=device_id, reason=req.reason,
            error_codes=req.error_codes,
        )  # fmt: skip
        await self._dispatch()
        return call

    async def _from_device(self, call: Call, frame: Frame) -> bool:
        """Handle a device frame; False when the call is over."""
        if isinstance(frame, EndSession):
            reason = "ended_by_panel" if call.active else "cancelled_by_panel"
            await self.end(call, reason, "device")
            return False
        if not call.active:
            await send(call.device_ws, ErrorFrame("not_in_session", "No session has started."))
        elif isinstance(frame, ConsentReport):
            if await call.consent_given(frame):
                self.store.log_call_consent(call.call_id, call.consent_trail)
                self.trace.emit("relay", "consent", call=call.call_id, choice=frame.choice)
        elif isinstance(frame, ChatMessage):
            await call.chat(frame, "panel")
        else:
            self.trace.emit("relay", "unexpected", call=call.call_id, type=type(frame).TYPE)
        return True

    # -- the operator's view socket -----------------------------------------------------------
    async def serve_view(
        self, request: web.Request, operator_id: str, call_id: str
    ) -> web.WebSocketResponse:
        """The live session for the operator it was assigned to: 403 for anyone else, for a
        call not (or no longer) in session, and for a second view of the same session."""
        call = self._calls.get(call_id)
        if call is None or not call.active or call.waiting.operator_id != operator_id:
            self.trace.emit("relay", "view-refused", call=call_id, operator=operator_id)
            raise ApiError(403, "not_your_session", "This session is not yours, or it has ended.")
        if call.operator_ws is not None:
            raise ApiError(403, "already_viewing", "This session is already open elsewhere.")
        ws = await open_websocket(request, HEARTBEAT_S, max_msg_size=CONTROL_FRAME_BYTES)
        self._cancel_deadline(call_id)
        await send(ws, SessionDetails(call.info(), call.consent))
        await call.attach(ws)
        self.trace.emit("relay", "viewing", call=call_id, operator=operator_id)
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame = await self._decode(ws, msg.data)
                if frame is not None and not await self._from_operator(call, frame):
                    break
        finally:
            await self.end(call, "operator_disconnected", "operator")
            await ws.close()
        return ws

    async def _from_operator(self, call: Call, frame: Frame) -> bool:
        if not call.active:
            return False
        if isinstance(frame, RemoteInput):
            outcome = await call.operator_input(frame)
            self.trace.emit(
                "relay", "input", call=call.call_id, kind=frame.kind, key=frame.key, outcome=outcome
            )
        elif isinstance(frame, ViewAck):
            await call.view_ack(frame.seq)
        elif isinstance(frame, ChatMessage):
            await call.chat(frame, call.operator_name)
        elif isinstance(frame, EndSession):
            await self.end(call, "ended_by_operator", "operator")
            return False
        else:
            self.trace.emit("relay", "unexpected", call=call.call_id, type=type(frame).TYPE)
        return True

    # -- the operator's console socket ------------------------------------------------------------
    async def serve_console(self, request: web.Request, operator_id: str) -> web.WebSocketResponse:
        """Pushes `ConsoleState` to an operator's console whenever it changes."""
        op = self.operator(operator_id)
        ws = await open_websocket(request, HEARTBEAT_S, max_msg_size=CONTROL_FRAME_BYTES)
        self._consoles.setdefault(operator_id, set()).add(ws)
        try:
            await send(ws, self.console_state(op))
            async for _ in ws:  # nothing to read: the console acts through REST
                pass
        finally:
            sockets = self._consoles.get(operator_id, set())
            sockets.discard(ws)
            if not sockets:
                self._consoles.pop(operator_id, None)
        return ws

    # -- ending ---------------------------------------------------------------------------------
    async def end(self, call: Call, reason: str, by: str) -> None:
        """End a call once: log it, tell both sides why, free its operator, move the queue."""
        if call.ended:
            return
        started = call.waiting.state is CallState.ACTIVE
        call.ended = True
        self._cancel_deadline(call.call_id)
        self.assignment.end(call.waiting)
        self._calls.pop(call.call_id, None)
        if self._by_device.get(call.device_id) is call:
            del self._by_device[call.device_id]
        view = call.view
        if view is not None:
            await view.close()
        self.store.log_call_ended(call.call_id, time.time(), reason)
        self.trace.emit(
            "relay", "ended", call=call.call_id, reason=reason, by=by, started=started,
            consent=call.consent, frames_in=call.frames_in,
            frames_out=view.sent if view else 0, dropped=view.dropped if view else 0,
            inputs=call.inputs, refused_inputs=call.refused_inputs,
        )  # fmt: skip
        ended = SessionEnded(reason, by)
        for ws in (call.device_ws, call.operator_ws):
            if ws is not None and not ws.closed:
                await send(ws, ended)
                self._spawn(ws.close(message=reason.encode()[:100]))
        if not self._closing:
            await self._dispatch()

    async def close_all(self) -> None:
        """Server shutdown: every call ends ("server_shutdown"), every socket is closed."""
        self._closing = True
        for call in list(self._calls.values()):
            await self.end(call, "server_shutdown", "relay")
        for sockets in list(self._consoles.values()):
            for ws in list(sockets):
                self._spawn(ws.close(code=1001, message=b"server shutting down"))
        for timer in self._deadlines.values():
            self._owner.cancel_timer(timer)
        self._deadlines.clear()
        if closing := self._owner.tasks:  # the sockets' closing handshakes, a moment to finish
            await asyncio.wait(closing, timeout=CLOSE_GRACE_S)
        await self._owner.close()

    # -- assignment applied -----------------------------------------------------------------------
    async def _dispatch(self) -> None:
        """Make the offers assignment decides, tell queued devices their place, and show
        every console what changed."""
        for waiting, op in self.assignment.match():
            call = self._calls[waiting.call_id]
            self._arm_deadline(call, self._offer_missed)
            self.trace.emit("relay", "offered", call=call.call_id, operator=op.operator_id)
            call.operator_name = op.name
            call.told_device = ("assigned", op.operator_id)
            await send(call.device_ws, CallAssigned(call.call_id, op.name))
        for call_id, position in self.assignment.positions().items():
            call = self._calls[call_id]
            if call.told_device != ("queued", position):
                call.told_device = ("queued", position)
                await send(call.device_ws, CallQueued(call_id, position))
        await self._publish()

    async def _publish(self) -> None:
        for operator_id, sockets in list(self._consoles.items()):
            op = self.assignment.operators.get(operator_id)
            if op is None:
                continue
            state = self.console_state(op)
            for ws in list(sockets):
                await send(ws, state)

    def _arm_deadline(
        self, call: Call, missed: Callable[[Call], Coroutine[Any, Any, None]]
    ) -> None:
        self._cancel_deadline(call.call_id)
        loop = asyncio.get_running_loop()
        self._deadline_at[call.call_id] = loop.time() + self.settings.offer_timeout_s
        self._deadlines[call.call_id] = self._owner.call_later(
            self.settings.offer_timeout_s, lambda: self._spawn(missed(call))
        )

    def _cancel_deadline(self, call_id: str) -> None:
        self._deadline_at.pop(call_id, None)
        self._owner.cancel_timer(self._deadlines.pop(call_id, None))

    async def _offer_missed(self, call: Call) -> None:
        """No answer in time: the operator is marked away and the call offered to the next."""
        self._deadlines.pop(call.call_id, None)
        seconds = f"{self.settings.offer_timeout_s:g}"
        op = self.assignment.offer_expired(
            call.waiting,
            f"You did not accept the call from {call.device_name} within {seconds} s,"
            " so you were set to away.",
        )
        if op is not None:
            call.operator_name = ""
            self.trace.emit("relay", "no-answer", call=call.call_id, operator=op.operator_id)
            await self._dispatch()

    async def _attach_missed(self, call: Call) -> None:
        """Accepted but never opened: the device must not wait for an operator who is gone."""
        self._deadlines.pop(call.call_id, None)
        if call.active and call.operator_ws is None:
            await self.end(call, "operator_absent", "relay")

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        _ = self._owner.spawn(coro, getattr(coro, "__qualname__", "relay work"))

    async def _decode(self, ws: web.WebSocketResponse, raw: str) -> Frame | None:
        """A valid frame, or None after telling the peer what was wrong with it."""
        try:
            return decode_relay_frame(raw)
        except ProtocolError as exc:
            self.trace.emit("relay", "malformed", code=exc.code, error=exc.message)
            await send(ws, ErrorFrame(exc.code, exc.message))
            return None


relay_key = web.AppKey("relay", Relay)
