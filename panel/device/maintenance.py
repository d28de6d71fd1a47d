"""Remote maintenance on the device (S3): the call to the server's relay and the session after.

Headless like the rest of the core. The UI calls `request()` when the user presses the
Maintenance call key, shows what `MAINTENANCE_CHANGED` events say (calling, queue position,
the assigned operator, the session and its consent prompt, the end), asks the user for consent
and reports it with `set_consent()`, feeds `send_frame()` the regions of the screen that
changed (PNG or JPEG it encoded itself), and injects the operator's taps and key presses that
`MAINTENANCE_INPUT` events carry. Nothing here knows about Qt.

The device decides about consent: an unanswered prompt becomes "deny" after
`consent_timeout_s` of device time, and the relay is told. Operator input is passed on only
while the user allows operation, here as well as in the relay.

Screen updates follow the relay's flow control (panel.protocol.maintenance): at most `window`
updates beyond the last one the operator drew; what the UI sends meanwhile is coalesced
(latest wins) and goes out when the operator catches up. `wants_frame` tells the UI whether a
new grab would be sent now, so a slow operator lowers the frame rate instead of the UI
encoding images nobody sees.
"""

from __future__ import annotations

import asyncio
import enum
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from panel.device.clock import Clock, Timer
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.events import Event, EventBus, EventKind
from panel.protocol import ProtocolError, encode_frame
from panel.protocol.maintenance import (
    MAX_NOTE,
    MAX_RECTS,
    VIEW_WINDOW,
    CallAssigned,
    CallQueued,
    CallRequest,
    ChatMessage,
    ConsentReport,
    EndSession,
    PanelState,
    RemoteInput,
    ScreenRect,
    ScreenUpdate,
    SessionEnded,
    SessionStarted,
    ViewFlow,
    ViewRefresh,
    check_call_request,
    check_chat,
    check_rect,
    coalesce,
    decode_relay_frame,
    pack_screen,
)
from panel.protocol.messages import ErrorFrame, Frame
from panel.tasks import TaskOwner
from panel.trace import Trace

if TYPE_CHECKING:
    from panel.device.networks import Socket

__all__ = [
    "MAX_NOTE",
    "ChatLine",
    "Consent",
    "MaintenanceClient",
    "MaintenanceError",
    "MaintenancePhase",
    "MaintenanceStatus",
    "OperatorInput",
    "PanelState",
    "ScreenRect",
]

CONSENT_TIMEOUT_S = 30.0  # MeshCentral's: an unanswered consent prompt is a refusal
END_TIMEOUT_S = 5.0  # how long `end()` waits for the relay to confirm
HEARTBEAT_S = 10.0  # device time: a relay that stops answering pings is a lost call


class MaintenancePhase(enum.Enum):
    """Where the call is. The panel shows its banner in every phase but IDLE and ENDED."""

    IDLE = "idle"
    CALLING = "calling"  # connecting to the relay, request on its way
    QUEUED = "queued"  # no operator free: `position` in the queue
    ASSIGNED = "assigned"  # offered to `operator_name`, who has not accepted yet
    ACTIVE = "active"  # in session with `operator_name`
    ENDED = "ended"  # `end_reason`, ended `ended_by` device, operator or relay


class Consent(enum.Enum):
    """The panel user's answer to the operator: nothing, watch the screen, or operate it."""

    DENY = "deny"
    VIEW = "view"
    OPERATE = "operate"


@dataclass(frozen=True, slots=True)
class MaintenanceStatus:
    """The subject of every MAINTENANCE_CHANGED event."""

    phase: MaintenancePhase = MaintenancePhase.IDLE
    call_id: str = ""
    position: int = 0
    operator_name: str = ""
    consent: Consent | None = None  # None: not asked yet, or asked and not answered
    consent_deadline: float = 0.0  # device time when an unanswered prompt becomes DENY
    end_reason: str = ""
    ended_by: str = ""

    @property
    def in_call(self) -> bool:
        """A call is under way (the banner shows; sleep and auto-logout are held off)."""
        return self.phase not in (MaintenancePhase.IDLE, MaintenancePhase.ENDED)

    @property
    def consent_needed(self) -> bool:
        return self.phase is MaintenancePhase.ACTIVE and self.consent is None

    @property
    def viewing(self) -> bool:
        """The operator may see the screen: send frames."""
        return self.phase is MaintenancePhase.ACTIVE and self.consent in (
            Consent.VIEW,
            Consent.OPERATE,
        )


@dataclass(frozen=True, slots=True)
class OperatorInput:
    """The subject of a MAINTENANCE_INPUT event: a tap at (x, y) in the panel's logical
    pixels, or a press of a hardware key ("home", "stop", "reset")."""

    kind: str  # "tap" | "key"
    x: int = 0
    y: int = 0
    key: str = ""


@dataclass(frozen=True, slots=True)
class ChatLine:
    """The subject of a MAINTENANCE_CHAT event; the panel's own lines come back too, in the
    order the relay put them."""

    sender: str  # "panel" or the operator's name
    text: str
    at: float
    from_panel: bool


class MaintenanceError(Exception):
    """A call the device cannot make now; `message` is a sentence for the panel's user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MaintenanceClient:
    def __init__(
        self,
        link: ServerLink,
        events: EventBus,
        trace: Trace,
        clock: Clock,
        consent_timeout_s: float = CONSENT_TIMEOUT_S,
    ) -> None:
        self._link = link
        self._events = events
        self._trace = trace
        self._clock = clock
        self.consent_timeout_s = consent_timeout_s
        self.status = MaintenanceStatus()
        self._ws: Socket | None = None
        self._panel = PanelState()
        self._control: deque[str] = deque()
        self._pending: list[ScreenRect] = []
        self._seq = 0  # last screen update sent
        self._acked = 0  # last one the operator drew (or that was superseded)
        self._window = VIEW_WINDOW
        self.view_fps = 0.0  # screen updates the operator drew in the last second
        self._wake = asyncio.Event()
        self._tasks = TaskOwner("maintenance", clock, trace)  # reader, writer, consent timer
        self._reader: asyncio.Task[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._consent_timer: Timer | None = None

    # -- what the UI reads ------------------------------------------------------------------------
    @property
    def wants_frame(self) -> bool:
        """A screen update sent now would go out at once (viewing, and the operator keeps up)."""
        return self.status.viewing and not self._pending and self._seq - self._acked < self._window

    # -- what the UI calls --------------------------------------------------------------------
    async def request(
        self,
        reason: str,
        note: str = "",
        error_codes: Iterable[str] = (),
        panel_state: PanelState | None = None,
    ) -> None:
        """Call for maintenance. Returns once the request is with the relay; what follows
        comes as MAINTENANCE_CHANGED events. MaintenanceError if a call is already under way,
        the request is not valid, or the relay cannot be reached."""
        if self._ws is not None or self.status.in_call:
            raise MaintenanceError("A maintenance call is already under way.")
        try:
            req = check_call_request(
                CallRequest(reason, note, list(error_codes), panel_state or PanelState())
            )
        except ProtocolError as exc:
            raise MaintenanceError(exc.message) from None
        self._panel = req.panel
        self._reset_view()
        self._set(MaintenanceStatus(MaintenancePhase.CALLING), "calling")
        self._trace.emit("maintenance", "calling", reason=req.reason, error_codes=req.error_codes)
        try:
            ws = await self._connect()
        except (ServerUnreachable, ServerRefused) as exc:
            if self.status.phase is not MaintenancePhase.CALLING:
                return  # the user ended the call meanwhile: nothing to report
            self._set(MaintenanceStatus(), "failed")
            self._trace.emit("maintenance", "failed", error=str(exc))
            raise MaintenanceError(
                "The maintenance service cannot be reached now. Try again later."
            ) from exc
        if self.status.phase is not MaintenancePhase.CALLING:  # ended while connecting
            await ws.close()
            return
        self._ws = ws
        self._control.append(encode_frame(req))
        self._writer = self._tasks.spawn(self._write(ws), "writer")
        self._reader = self._tasks.spawn(self._read(ws), "reader")
        self._wake.set()

    def set_consent(self, choice: Consent) -> None:
        """The panel user's answer (or a change of mind during the session)."""
        if self.status.phase is not MaintenancePhase.ACTIVE:
            raise MaintenanceError("No maintenance session is running.")
        self._stop_consent_timer()
        self._set(replace(self.status, consent=choice, consent_deadline=0.0), "consent")
        if not self.status.viewing:
            self._pending = []
        self._trace.emit("maintenance", "consent", choice=choice.value)
        self._send(ConsentReport(choice.value))

    def send_frame(self, rects: Sequence[ScreenRect]) -> bool:
        """Changed regions of the screen (in the size given with the request, in order);
        False when the operator may not see the screen now (nothing is kept). ValueError
        for a region outside the screen or an image that is not the format it says."""
        if not self.status.viewing or not rects:
            return False
        for rect in rects:
            try:
                check_rect(rect, self._panel.width, self._panel.height)
            except ProtocolError as exc:
                raise ValueError(exc.message) from None
        self._pending = coalesce(self._pending, rects)
        if len(self._pending) > MAX_RECTS:
            self._pending = []
            self._events.publish(Event(EventKind.MAINTENANCE_REFRESH))
            return True
        self._wake.set()
        return True

    def send_chat(self, text: str) -> None:
        if self.status.phase is not MaintenancePhase.ACTIVE:
            raise MaintenanceError("No maintenance session is running.")
        try:
            text = check_chat(text)
        except ProtocolError as exc:
            raise MaintenanceError(exc.message) from None
        self._send(ChatMessage(text))

    async def end(self, reason: str = "user") -> None:
        """End the call (queued, offered or in session) and wait for the relay to confirm."""
        reader = self._reader
        if self._ws is None and self.status.phase is MaintenancePhase.CALLING:
            self._ended("cancelled_by_panel", "device")  # `request` drops the socket it gets
            return
        if self._ws is None or reader is None or self.status.phase is MaintenancePhase.ENDED:
            return
        self._send(EndSession(reason))
        try:
            async with self._clock.timeout(END_TIMEOUT_S):
                await asyncio.wait({reader})  # the reader's failure is the owner's to report
        except TimeoutError:
            self._ended("ended_by_panel", "device")
            await self._close()

    async def stop(self) -> None:
        """The device stops: end any call, cancel every task and timer."""
        await self.end("device_stopped")
        await self._close()
        self._reader = None
        await self._tasks.close()

    # -- the socket ------------------------------------------------------------------------------
    async def _connect(self) -> Socket:
        """The relay's socket, its heartbeat on the device clock (ServerRefused or
        ServerUnreachable when it cannot be had)."""
        return await self._link.open_socket("/maintenance/call", HEARTBEAT_S)

    def _send(self, frame: Frame) -> None:
        self._control.append(encode_frame(frame))
        self._wake.set()

    async def _write(self, ws: Socket) -> None:
        """The one sender: control frames in order, then a screen update when there is credit."""
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self._control:
                    await ws.send_str(self._control.popleft())
                if self._pending and self.status.viewing and self._seq - self._acked < self._window:
                    await self._send_screen(ws)
        except ConnectionResetError:
            return  # the reader sees the socket end and says so

    async def _send_screen(self, ws: Socket) -> None:
        update = ScreenUpdate(
            self._seq + 1, self._panel.width, self._panel.height, tuple(self._pending)
        )
        self._pending = []
        try:
            data = pack_screen(update)
        except ProtocolError:  # more than a message holds: a whole screen is smaller
            self._events.publish(Event(EventKind.MAINTENANCE_REFRESH))
            return
        self._seq = update.seq
        await ws.ws.send_bytes(data)

    async def _read(self, ws: Socket) -> None:
        import aiohttp

        from panel.device.networks import DeadLink

        gone = {aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED}
        gone.add(aiohttp.WSMsgType.ERROR)  # the connection broke: aiohttp closed it
        try:
            while (msg := await ws.receive()).type not in gone:
                if msg.type is aiohttp.WSMsgType.TEXT:
                    self._handle(msg.data)
                if self.status.phase is MaintenancePhase.ENDED:
                    break
        except (aiohttp.ClientError, ConnectionResetError, DeadLink) as exc:
            self._trace.emit("maintenance", "lost", error=str(exc))
        finally:
            if self.status.in_call:
                self._ended("connection_lost", "relay")
            await self._close()

    async def _close(self) -> None:
        self._stop_consent_timer()
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.cancel()
            # A bug in the sender must not stop the call from ending: the owner reports it.
            await asyncio.wait({writer})
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()

    # -- what the relay says --------------------------------------------------------------------
    def _handle(self, raw: str) -> None:
        try:
            frame = decode_relay_frame(raw)
        except ProtocolError as exc:
            self._trace.emit("maintenance", "malformed", code=exc.code, error=exc.message)
            return
        status = self.status
        if isinstance(frame, CallQueued):
            self._trace.emit("maintenance", "queued", call=frame.call_id, position=frame.position)
            self._set(
                replace(
                    status,
                    phase=MaintenancePhase.QUEUED,
                    call_id=frame.call_id,
                    position=frame.position,
                    operator_name="",
                ),
                "queued",
            )
        elif isinstance(frame, CallAssigned):
            self._trace.emit("maintenance", "assigned", call=frame.call_id)
            self._set(
                replace(
                    status,
                    phase=MaintenancePhase.ASSIGNED,
                    call_id=frame.call_id,
                    position=0,
                    operator_name=frame.operator_name,
                ),
                "assigned",
            )
        elif isinstance(frame, SessionStarted):
            self._started(frame)
        elif isinstance(frame, ViewFlow):
            self._acked = min(max(self._acked, frame.acked_seq), self._seq)
            self._window = max(1, frame.window)
            self.view_fps = frame.fps
            self._wake.set()
        elif isinstance(frame, ViewRefresh):
            if status.viewing:
                self._events.publish(
                    Event(EventKind.MAINTENANCE_REFRESH, None, {"why": frame.reason})
                )
        elif isinstance(frame, RemoteInput):
            self._operator_input(frame)
        elif isinstance(frame, ChatMessage):
            line = ChatLine(frame.sender, frame.text, frame.at, frame.sender == "panel")
            self._events.publish(Event(EventKind.MAINTENANCE_CHAT, line))
        elif isinstance(frame, SessionEnded):
            self._ended(frame.reason, frame.by)
        elif isinstance(frame, ErrorFrame):
            self._trace.emit("maintenance", "relay-error", code=frame.code, error=frame.message)
        else:
            self._trace.emit("maintenance", "unexpected", type=type(frame).TYPE)

    def _started(self, frame: SessionStarted) -> None:
        deadline = self._clock.time() + self.consent_timeout_s
        self._trace.emit("maintenance", "started", call=frame.call_id)
        self._set(
            replace(
                self.status,
                phase=MaintenancePhase.ACTIVE,
                call_id=frame.call_id,
                position=0,
                operator_name=frame.operator_name,
                consent=None,
                consent_deadline=deadline,
            ),
            "started",
        )
        self._stop_consent_timer()
        self._consent_timer = self._tasks.call_later(self.consent_timeout_s, self._consent_default)

    def _consent_default(self) -> None:
        self._consent_timer = None
        if self.status.consent_needed:
            self._trace.emit("maintenance", "consent-timeout")
            self.set_consent(Consent.DENY)

    def _stop_consent_timer(self) -> None:
        timer, self._consent_timer = self._consent_timer, None
        self._tasks.cancel_timer(timer)

    def _operator_input(self, frame: RemoteInput) -> None:
        if self.status.consent is not Consent.OPERATE:  # the relay should not have sent it
            self._trace.emit("maintenance", "input-refused", kind=frame.kind)
            return
        self._trace.emit("maintenance", "input", kind=frame.kind, key=frame.key)
        event = OperatorInput(frame.kind, frame.x, frame.y, frame.key)
        self._events.publish(Event(EventKind.MAINTENANCE_INPUT, event))

    def _ended(self, reason: str, by: str) -> None:
        if self.status.phase is MaintenancePhase.ENDED:
            return
        self._stop_consent_timer()
        self._pending = []
        self._trace.emit("maintenance", "ended", reason=reason, by=by)
        self._set(
            replace(
                self.status,
                phase=MaintenancePhase.ENDED,
                position=0,
                consent_deadline=0.0,
                end_reason=reason,
                ended_by=by,
            ),
            "ended",
        )

    def _reset_view(self) -> None:
        self._pending, self._seq, self._acked = [], 0, 0
        self._window, self.view_fps = VIEW_WINDOW, 0.0
        self._control.clear()

    def _set(self, status: MaintenanceStatus, change: str, **fields: Any) -> None:
        self.status = status
        self._events.publish(
            Event(EventKind.MAINTENANCE_CHANGED, status, {"change": change, **fields})
        )
