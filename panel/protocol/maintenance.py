"""Remote maintenance (S3): the relay's wire messages, and the binary screen updates it carries.

Three WebSockets meet in the relay, all under `/api/v{PROTOCOL_VERSION}/`:

- `maintenance/call` (device): the device's `CallRequest` first; then `CallQueued` /
  `CallAssigned` / `SessionStarted`, and during the session `ConsentReport`, `RemoteInput`,
  `ChatMessage`, `ViewFlow`, `ViewRefresh`, `EndSession`, `SessionEnded`, and binary screen
  updates from the device.
- `operator/events` (operator console): `ConsoleState` whenever the operator's picture changes.
- `maintenance/calls/{call_id}/view` (operator, only for a call assigned to them): the session
  seen from the operator's side (`SessionDetails` first).

Text frames are JSON like every push frame (`{"v": 1, "type": ...}`, encoded with
`codec.encode_frame`, decoded with `decode_relay_frame`). Screen updates are binary messages so
that images cross the wire as they are, not as base64: see `pack_screen`.

Flow control of the live view (kept simple on purpose): the operator acknowledges each screen
message once drawn (`ViewAck`); the relay keeps at most `VIEW_WINDOW` messages unacknowledged
per operator and coalesces what waits meanwhile (a newer rectangle that covers an older one
replaces it: latest wins). Each acknowledgement goes on to the device as a `ViewFlow` (acked
sequence, the operator's drawn frames per second, the window): the device keeps at most
`window` updates beyond the acknowledged one and coalesces the rest the same way, so a slow
operator lowers the frame rate instead of filling buffers.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, ClassVar

from panel.protocol.codec import MAX_FRAME_BYTES, PROTOCOL_VERSION, ProtocolError, decode_frame
from panel.protocol.constraints import Limit, Seq
from panel.protocol.messages import ErrorFrame, Frame

# ---- vocabulary --------------------------------------------------------------------------------

CONSENT_CHOICES = ("deny", "view", "operate")  # Ricoh's prohibit / allow monitoring / operation
VIEWABLE = frozenset({"view", "operate"})
PANEL_KEYS = ("home", "stop", "reset")  # hardware keys an operator may press
INPUT_KINDS = ("tap", "key")
PRESENCES = ("available", "busy", "away")
Presence = Annotated[str, Limit(choices=PRESENCES, code="bad_presence")]

MAX_REASON = 100
MAX_NOTE = 1000
MAX_ERROR_CODES = 20
MAX_CHAT = 1000
MAX_SCREEN_SIDE = 4096
MAX_RECTS = 256
MAX_SCREEN_BYTES = 8 * 1024 * 1024  # one screen message: a full 1280x800 PNG fits easily
VIEW_WINDOW = 2  # unacknowledged screen messages in flight, device->relay and relay->operator

_ERROR_CODE = re.compile(r"^[A-Za-z0-9._-]{1,32}$")


# ---- REST bodies -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PanelState:
    """What the panel showed and did when the call was made; travels with the request."""

    screen: str = ""  # the screen on show: "home", "jobs", ...
    width: int = 0  # the touchscreen in logical pixels (taps use these coordinates)
    height: int = 0
    printer_state: str = ""  # idle | processing | stopped
    connection: str = ""  # online | connecting | offline
    user_id: str = ""  # who is logged in at the panel ("" nobody)
    active_jobs: int = 0
    outbox_held: int = 0


@dataclass(frozen=True, slots=True)
class OperatorLoginRequest:
    operator_id: str
    password: str


@dataclass(frozen=True, slots=True)
class OperatorInfo:
    """An operator as the console shows them. `idle_s`: since their last session ended or
    they became available (the longest idle is offered the next call)."""

    operator_id: str
    name: str
    presence: Presence
    call_id: str | None = None  # the call offered to them or in session with them
    idle_s: float = 0.0


@dataclass(frozen=True, slots=True)
class OperatorLoginReply:
    """`token` works as `Authorization: Bearer TOKEN`; browsers use the HttpOnly cookie."""

    operator: OperatorInfo
    token: str


@dataclass(frozen=True, slots=True)
class PresenceChange:
    presence: Presence


@dataclass(frozen=True, slots=True)
class CallInfo:
    """A maintenance call as operators see it. `position` counts from 1 among queued calls
    (0 when offered or in session)."""

    call_id: str
    device_id: str
    device_name: str
    reason: str
    note: str
    error_codes: list[str]
    panel: PanelState
    requested_at: float
    state: str  # queued | offered | active
    position: int = 0
    operator_name: str = ""


@dataclass(frozen=True, slots=True)
class CallList:
    calls: list[CallInfo]


@dataclass(frozen=True, slots=True)
class SessionStart:
    """The reply to accepting an offer: open `view_path` (a WebSocket) to see the panel."""

    call_id: str
    view_path: str


@dataclass(frozen=True, slots=True)
class SessionLogEntry:
    """One maintenance call as the server logged it. `consent` is the last choice the panel's
    user made ("" none), `consent_trail` all of them in order."""

    call_id: str
    device_id: str
    device_name: str
    reason: str
    requested_at: float
    operator_id: str | None
    operator_name: str
    started_at: float | None
    ended_at: float | None
    consent: str
    consent_trail: list[str]
    end_reason: str


@dataclass(frozen=True, slots=True)
class SessionLog:
    sessions: list[SessionLogEntry]


# ---- frames --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallRequest(Frame):
    """Device -> relay, first frame: the maintenance call."""

    TYPE: ClassVar[str] = "maint.request"
    reason: str
    note: str = ""
    error_codes: list[str] = field(default_factory=list)
    panel: PanelState = field(default_factory=PanelState)


@dataclass(frozen=True, slots=True)
class CallQueued(Frame):
    """Relay -> device: no operator is free; `position` in the queue (1 = next)."""

    TYPE: ClassVar[str] = "maint.queued"
    call_id: str
    position: int


@dataclass(frozen=True, slots=True)
class CallAssigned(Frame):
    """Relay -> device: the call is offered to this operator (they have a while to accept)."""

    TYPE: ClassVar[str] = "maint.assigned"
    call_id: str
    operator_name: str


@dataclass(frozen=True, slots=True)
class SessionStarted(Frame):
    """Relay -> device: the operator accepted; ask the panel's user for consent now."""

    TYPE: ClassVar[str] = "maint.started"
    call_id: str
    operator_name: str


@dataclass(frozen=True, slots=True)
class ConsentReport(Frame):
    """Device -> relay -> operator: the panel user's choice (deny, view or operate)."""

    TYPE: ClassVar[str] = "maint.consent"
    choice: str


@dataclass(frozen=True, slots=True)
class RemoteInput(Frame):
    """Operator -> relay -> device: a tap at (x, y) in panel logical pixels, or a key press."""

    TYPE: ClassVar[str] = "maint.input"
    kind: str  # tap | key
    x: int = 0
    y: int = 0
    key: str = ""  # for kind "key": one of PANEL_KEYS


@dataclass(frozen=True, slots=True)
class ChatMessage(Frame):
    """Either side -> relay: `text`. The relay stamps `sender` and `at` and sends it to both."""

    TYPE: ClassVar[str] = "maint.chat"
    text: str
    sender: str = ""  # "panel" or the operator's name
    at: float = 0.0


@dataclass(frozen=True, slots=True)
class ViewAck(Frame):
    """Operator -> relay: the screen message `seq` is drawn (see the module's flow control)."""

    TYPE: ClassVar[str] = "maint.view-ack"
    seq: Seq


@dataclass(frozen=True, slots=True)
class ViewFlow(Frame):
    """Relay -> device: screen updates up to `acked_seq` are drawn (or superseded); send at
    most `window` beyond it. `fps`: messages the operator drew in the last second."""

    TYPE: ClassVar[str] = "maint.flow"
    acked_seq: int
    fps: float
    window: int = VIEW_WINDOW


@dataclass(frozen=True, slots=True)
class ViewRefresh(Frame):
    """Relay -> device: send the whole screen next (an operator started or resumed viewing,
    or updates were dropped)."""

    TYPE: ClassVar[str] = "maint.refresh"
    reason: str = ""


@dataclass(frozen=True, slots=True)
class EndSession(Frame):
    """Either side -> relay: end the call (before or during its session)."""

    TYPE: ClassVar[str] = "maint.end"
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SessionEnded(Frame):
    """Relay -> both sides, last frame: why it ended and who ended it (device, operator, relay)."""

    TYPE: ClassVar[str] = "maint.ended"
    reason: str
    by: str


@dataclass(frozen=True, slots=True)
class SessionDetails(Frame):
    """Relay -> operator, first frame on the view socket: the call and the consent so far
    ("" while the panel's user has not answered)."""

    TYPE: ClassVar[str] = "maint.session"
    call: CallInfo
    consent: str = ""


@dataclass(frozen=True, slots=True)
class ConsoleState(Frame):
    """Relay -> operator console: everything the console shows, sent whenever it changes.
    `offer` is the call offered to this operator, `offer_expires_in_s` the seconds left to
    accept it; `call_id` the call in session with them; `notice` a sentence for them."""

    TYPE: ClassVar[str] = "relay.state"
    operator: OperatorInfo
    queue: list[CallInfo]
    offer: CallInfo | None = None
    offer_expires_in_s: float = 0.0
    call_id: str | None = None
    notice: str = ""
    operators_available: int = 0


RELAY_FRAME_TYPES: tuple[type[Frame], ...] = (
    CallRequest,
    CallQueued,
    CallAssigned,
    SessionStarted,
    ConsentReport,
    RemoteInput,
    ChatMessage,
    ViewAck,
    ViewFlow,
    ViewRefresh,
    EndSession,
    SessionEnded,
    SessionDetails,
    ConsoleState,
    ErrorFrame,
)
_RELAY_FRAMES: dict[str, type[Frame]] = {cls.TYPE: cls for cls in RELAY_FRAME_TYPES}


def decode_relay_frame(raw: str | bytes, limit: int = MAX_FRAME_BYTES) -> Frame:
    """Parse and validate a relay text frame (any type above, or `error`): the push frames'
    decoder with the relay's types."""
    return decode_frame(raw, _RELAY_FRAMES, limit)


# ---- checks beyond the types ------------------------------------------------------------------


def check_call_request(req: CallRequest) -> CallRequest:
    """`req` with its texts trimmed, or a ProtocolError saying what is wrong with it."""
    reason, note = req.reason.strip(), req.note.strip()
    if not 0 < len(reason) <= MAX_REASON:
        raise ProtocolError("bad_reason", f"A reason is 1 to {MAX_REASON} characters.")
    if len(note) > MAX_NOTE:
        raise ProtocolError("bad_note", f"A note is at most {MAX_NOTE} characters.")
    if len(req.error_codes) > MAX_ERROR_CODES:
        raise ProtocolError("bad_error_codes", f"At most {MAX_ERROR_CODES} error codes.")
    for code in req.error_codes:
        if not _ERROR_CODE.match(code):
            raise ProtocolError(
                "bad_error_codes", f"Error code {code[:40]!r} is not 1-32 of A-Z a-z 0-9 . _ -."
            )
    panel = req.panel
    if not (0 <= panel.width <= MAX_SCREEN_SIDE and 0 <= panel.height <= MAX_SCREEN_SIDE):
        raise ProtocolError("bad_panel", f"A screen side is 0 to {MAX_SCREEN_SIDE} pixels.")
    return CallRequest(reason, note, list(req.error_codes), panel)


def check_input(event: RemoteInput, width: int, height: int) -> None:
    """Refuse an input the panel could not take: unknown kind or key, a tap off the screen."""
    if event.kind == "tap":
        if not (0 <= event.x < width and 0 <= event.y < height):
            raise ProtocolError(
                "bad_input",
                f"A tap is inside the {width}x{height} screen, not at {event.x},{event.y}.",
            )
    elif event.kind == "key":
        if event.key not in PANEL_KEYS:
            raise ProtocolError("bad_input", f"The keys are {', '.join(PANEL_KEYS)}.")
    else:
        raise ProtocolError("bad_input", f"An input is a {' or a '.join(INPUT_KINDS)}.")


def check_chat(text: str) -> str:
    text = text.strip()
    if not 0 < len(text) <= MAX_CHAT:
        raise ProtocolError("bad_chat", f"A chat message is 1 to {MAX_CHAT} characters.")
    return text


# ---- binary screen updates ----------------------------------------------------------------------

SCREEN_KIND = 1
FORMATS = {"png": 1, "jpeg": 2}
_FORMAT_NAMES = {n: name for name, n in FORMATS.items()}
_MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}
# version u8, kind u8, seq u32, screen width u16, height u16, rectangle count u16 (big-endian)
_HEADER = struct.Struct(">BBIHHH")
# format u8, x u16, y u16, w u16, h u16, image length u32; the image's bytes follow
_RECT = struct.Struct(">BHHHHI")


@dataclass(frozen=True, slots=True)
class ScreenRect:
    """A changed region of the panel's screen and its image (PNG or JPEG, encoded by the UI)."""

    fmt: str  # png | jpeg
    x: int
    y: int
    w: int
    h: int
    data: bytes

    def covers(self, other: ScreenRect) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and self.x + self.w >= other.x + other.w
            and self.y + self.h >= other.y + other.h
        )


@dataclass(frozen=True, slots=True)
class ScreenUpdate:
    """One binary message: the rectangles to draw, in order, on a `width` x `height` screen."""

    seq: int
    width: int
    height: int
    rects: tuple[ScreenRect, ...]


def check_rect(rect: ScreenRect, width: int, height: int) -> None:
    if rect.fmt not in FORMATS:
        raise ProtocolError("bad_screen", f"An image is {' or '.join(FORMATS)}, not {rect.fmt!r}.")
    if rect.w <= 0 or rect.h <= 0 or rect.x + rect.w > width or rect.y + rect.h > height:
        raise ProtocolError(
            "bad_screen",
            f"Rectangle {rect.x},{rect.y} {rect.w}x{rect.h} is not inside the {width}x{height}"
            " screen.",
        )
    if not rect.data.startswith(_MAGIC[rect.fmt]):
        raise ProtocolError("bad_screen", f"The image at {rect.x},{rect.y} is not a {rect.fmt}.")


def pack_screen(update: ScreenUpdate) -> bytes:
    """The binary message for `update`; its rectangles are checked first."""
    if not (0 < update.width <= MAX_SCREEN_SIDE and 0 < update.height <= MAX_SCREEN_SIDE):
        raise ProtocolError("bad_screen", f"A screen side is 1 to {MAX_SCREEN_SIDE} pixels.")
    if not 0 < len(update.rects) <= MAX_RECTS:
        raise ProtocolError("bad_screen", f"A screen update has 1 to {MAX_RECTS} rectangles.")
    parts = [
        _HEADER.pack(
            PROTOCOL_VERSION,
            SCREEN_KIND,
            update.seq,
            update.width,
            update.height,
            len(update.rects),
        )
    ]
    for rect in update.rects:
        check_rect(rect, update.width, update.height)
        parts.append(_RECT.pack(FORMATS[rect.fmt], rect.x, rect.y, rect.w, rect.h, len(rect.data)))
        parts.append(rect.data)
    out = b"".join(parts)
    if len(out) > MAX_SCREEN_BYTES:
        raise ProtocolError("too_large", f"a screen update of {len(out)} bytes is too large")
    return out


def unpack_screen(raw: bytes) -> ScreenUpdate:
    """Parse and check a binary screen message; a ProtocolError says what is wrong with it."""
    if len(raw) > MAX_SCREEN_BYTES:
        raise ProtocolError("too_large", f"a screen update of {len(raw)} bytes is too large")
    if len(raw) < _HEADER.size:
        raise ProtocolError("bad_screen", "A screen update is shorter than its header.")
    version, kind, seq, width, height, count = _HEADER.unpack_from(raw)
    if version != PROTOCOL_VERSION or kind != SCREEN_KIND:
        raise ProtocolError(
            "unsupported_version", f"binary message version {version}, kind {kind} is unknown"
        )
    if not (0 < width <= MAX_SCREEN_SIDE and 0 < height <= MAX_SCREEN_SIDE):
        raise ProtocolError("bad_screen", f"A screen side is 1 to {MAX_SCREEN_SIDE} pixels.")
    if not 0 < count <= MAX_RECTS:
        raise ProtocolError("bad_screen", f"A screen update has 1 to {MAX_RECTS} rectangles.")
    rects: list[ScreenRect] = []
    at = _HEADER.size
    for _ in range(count):
        if at + _RECT.size > len(raw):
            raise ProtocolError("bad_screen", "A screen update ends inside a rectangle header.")
        fmt, x, y, w, h, length = _RECT.unpack_from(raw, at)
        at += _RECT.size
        if at + length > len(raw):
            raise ProtocolError("bad_screen", "A screen update ends inside an image.")
        name = _FORMAT_NAMES.get(fmt)
        if name is None:
            raise ProtocolError("bad_screen", f"Unknown image format {fmt}.")
        rect = ScreenRect(name, x, y, w, h, bytes(raw[at : at + length]))
        check_rect(rect, width, height)
        rects.append(rect)
        at += length
    if at != len(raw):
        raise ProtocolError("bad_screen", "A screen update has bytes after its last image.")
    return ScreenUpdate(seq, width, height, tuple(rects))


def coalesce(pending: Sequence[ScreenRect], newer: Iterable[ScreenRect]) -> list[ScreenRect]:
    """`pending` then `newer`, without the pending rectangles a newer one covers (latest
    wins): what waits for a slow reader is bounded by the screen, not by the time it waits."""
    fresh = list(newer)
    kept = [old for old in pending if not any(new.covers(old) for new in fresh)]
    return kept + fresh
