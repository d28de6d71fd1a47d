"""Every message that crosses the wire, as frozen dataclasses.

Field types are the schema: `panel.protocol.codec` validates against them and
`panel.protocol.schema` turns them into the JSON Schema of the OpenAPI document.
Push frames have a `TYPE`; REST bodies do not (the route says what they are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, ClassVar

from panel.protocol.apps import Roles
from panel.protocol.constraints import Count, Limit, Seq

# Every state a job can be in on the server, and those a device reports.
JOB_STATES = ("held", "notified", "fetched", "printing", "completed", "failed", "cancelled")
DEVICE_REPORT_STATES = ("printing", "completed", "failed", "cancelled")
MAX_COPIES = 999
MAX_DEVICE_NAME = 64
MAX_USER_ID = 64
MAX_OUTBOX_ITEMS = 500
# A device's own server session (S5, panel/protocol/power.py): the modes a device says of itself
# in its heartbeat and the interval it promises. Here, not in `power`, because its heartbeat
# frames on the push socket carry them too (and `power` imports this module).
SESSION_MODES = ("active", "low-power")
MIN_INTERVAL_S = 1.0  # a heartbeat's interval, either a device's own or a proxy's
MAX_INTERVAL_S = 3600.0
HeartbeatMode = Annotated[str, Limit(choices=SESSION_MODES, code="bad_mode")]
Interval = Annotated[
    float, Limit(minimum=MIN_INTERVAL_S, maximum=MAX_INTERVAL_S, code="bad_interval")
]
# Names a request on the push socket, so its answer finds it: small, never negative.
MAX_REQUEST_ID = 2**31 - 1
RequestId = Annotated[int, Limit(minimum=1, maximum=MAX_REQUEST_ID)]
HttpStatus = Annotated[int, Limit(minimum=100, maximum=599)]

# ---- REST bodies -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErrorReply:
    """Every refusal: a stable machine code and a sentence for people.

    A refused PIN also says how close the caller is to a lock, and a lock how long it lasts
    (added within protocol 1: optional, so older peers neither send nor miss them).
    """

    OMIT_NONE: ClassVar[bool] = True  # every other refusal reads as before these fields

    error: str
    message: str
    attempts_left: int | None = None  # wrong PINs still allowed before a lock
    lock_s: int | None = None  # how long a lock lasts once it starts
    retry_after_s: int | None = None  # locked: seconds until the next try is allowed


@dataclass(frozen=True, slots=True)
class RegisterRequest:
    name: Annotated[str, Limit(1, MAX_DEVICE_NAME, code="bad_name")]
    model: str = "MFP-Emu 1"


@dataclass(frozen=True, slots=True)
class RegisterReply:
    """The secret is shown once; the server keeps only its hash."""

    device_id: str
    secret: str


@dataclass(frozen=True, slots=True)
class LoginRequest:
    user_id: str
    pin: str


@dataclass(frozen=True, slots=True)
class UserInfo:
    user_id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class LoginReply:
    user: UserInfo


@dataclass(frozen=True, slots=True)
class LogoutRequest:
    user_id: str


@dataclass(frozen=True, slots=True)
class JobCreate:
    """A print job for a user; without `device_id` it is held until the user logs in at a device."""

    user_id: str
    title: str
    document_b64: Annotated[str, Limit(min_length=1, code="empty_document")]
    document_name: str = "document.pdf"
    copies: Annotated[int, Limit(minimum=1, maximum=MAX_COPIES, code="bad_copies")] = 1
    device_id: str | None = None


@dataclass(frozen=True, slots=True)
class JobInfo:
    job_id: str
    user_id: str
    title: str
    pages: Count
    copies: Count
    state: Annotated[str, Limit(choices=JOB_STATES)]
    device_id: str | None
    created_at: float
    document_name: str
    document_size: Count
    pages_done: Count = 0
    reason: str = ""


@dataclass(frozen=True, slots=True)
class JobList:
    jobs: list[JobInfo]


@dataclass(frozen=True, slots=True)
class JobStatusReport:
    """The device's word on a job it was given: printing/completed/failed/cancelled.

    `acting_user`: the user at the panel who asked for this change (a Cancel); the server
    checks they are logged in at this device and own the job or are an administrator. Empty:
    the device's own word (the engine finished, failed, or was stopped)."""

    state: Annotated[str, Limit(choices=DEVICE_REPORT_STATES, code="bad_state")]
    pages_done: Annotated[int, Limit(minimum=0, code="bad_pages")] = 0
    reason: str = ""
    acting_user: Annotated[str, Limit(max_length=MAX_USER_ID, code="bad_user")] = ""


@dataclass(frozen=True, slots=True)
class Destination:
    """An address-book entry a scan can be sent to."""

    dest_id: str
    name: str
    kind: str  # "email" | "folder" | "cloud"
    address: str


@dataclass(frozen=True, slots=True)
class JobTemplate:
    template_id: str
    name: str
    kind: str  # "scan" | "fax" | "copy"
    settings: str  # a short human summary, e.g. "PDF, 300 dpi, duplex"


@dataclass(frozen=True, slots=True)
class AppInfo:
    app_id: str
    name: str
    description: str
    # Who may use it (none listed: everyone); left out of the hash, so an AppInfo stays a set's.
    roles: Roles = field(default_factory=list, hash=False)


@dataclass(frozen=True, slots=True)
class DirectoryUser:
    """The part of the user directory a device may cache (no PIN, no hash)."""

    user_id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class CacheSnapshot:
    """The portion of the server's information a device keeps for offline work (S1).

    `version` grows whenever any part changes; a device refreshes when it sees a newer one.
    """

    version: Seq
    offline_login_allowed: bool
    users: list[DirectoryUser]
    destinations: list[Destination]
    templates: list[JobTemplate]
    apps: list[AppInfo]


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One job request from a device's outbox. `key` makes it idempotent: the server executes
    a key once, replays its first result on a retry, and refuses the key with another body."""

    key: str
    kind: str  # "scan" | "fax"
    user_id: str
    title: str
    pages: int
    destination: str  # a dest_id for a scan, a number for a fax
    document_b64: str
    composed_at: float


@dataclass(frozen=True, slots=True)
class OutboxBatch:
    """Items in the order the device composed them; the server executes them in that order."""

    items: Annotated[list[OutboxItem], Limit(max_length=MAX_OUTBOX_ITEMS, code="too_many_items")]


@dataclass(frozen=True, slots=True)
class OutboxResult:
    """status: 201 executed now, 200 replay of an earlier execution, 409 the same key is being
    executed right now (retry later), 422 the key was used with a different body, 400 refused."""

    key: str
    status: Annotated[int, Limit(minimum=100, maximum=599)]  # an HTTP status, per item
    job_id: str
    message: str = ""


@dataclass(frozen=True, slots=True)
class OutboxReply:
    results: list[OutboxResult]


# ---- push frames (WebSocket) -------------------------------------------------------------------


class Frame:
    """Base of every push frame; `TYPE` is its "type" on the wire."""

    __slots__ = ()
    TYPE: ClassVar[str] = ""


@dataclass(frozen=True, slots=True)
class LoginEnded:
    """The server ended a panel login while the device was away (its grace period ran out,
    or the user logged in at another device): `reason` for machines, `message` for the panel."""

    user_id: str
    reason: str  # "offline" | "elsewhere" | "unknown"
    message: str


@dataclass(frozen=True, slots=True)
class Hello(Frame):
    """Device -> server, first frame: the last notification sequence the device stored."""

    TYPE: ClassVar[str] = "hello"
    last_seq: Seq
    # Who the server logged in at this panel, as far as the device knows (None: nobody, or
    # a device older than this field); the server keeps that login or says it ended.
    user_id: str | None = None
    # The network the socket was opened over (None: a device older than this field): the
    # socket's handshake and the welcome are that network's reachability check (issue 12).
    network: str | None = None


@dataclass(frozen=True, slots=True)
class Welcome(Frame):
    """Server -> device: the session is up; notifications after `last_seq` follow."""

    TYPE: ClassVar[str] = "welcome"
    device_id: str
    last_seq: Seq
    server_time: float
    # The login the hello named is gone (set only then): the panel shows the login screen
    # with its message.
    login_ended: LoginEnded | None = None
    # The version of what devices cache (None: a server older than this field): a device
    # fetches the snapshot only when its own differs, not on every reconnect (issue 12).
    cache_version: Seq | None = None
    # True: the server takes the device's own session heartbeats (S5) on this socket
    # (`session.heartbeat`); None: a server older than this field, heartbeats go over HTTP.
    heartbeats: bool | None = None


@dataclass(frozen=True, slots=True)
class JobNotify(Frame):
    """Server -> device: a job waits for you; fetch its information by `job_id`."""

    TYPE: ClassVar[str] = "job.notify"
    seq: Seq
    job_id: str
    created_at: float


@dataclass(frozen=True, slots=True)
class Ack(Frame):
    """Device -> server: notification `seq` is stored on the device."""

    TYPE: ClassVar[str] = "ack"
    seq: Seq


@dataclass(frozen=True, slots=True)
class ErrorFrame(Frame):
    """Either way: the other side sent something we refuse.

    A refused request (a `session.heartbeat`) is named by its `id`, with the HTTP `status` the
    same refusal has over REST (added within protocol 1: optional, left out when not set, so
    every other error frame reads as before)."""

    OMIT_NONE: ClassVar[bool] = True

    TYPE: ClassVar[str] = "error"
    code: str
    message: str
    id: RequestId | None = None
    status: HttpStatus | None = None


@dataclass(frozen=True, slots=True)
class CacheChanged(Frame):
    """Server -> device: the cached information changed; fetch the snapshot if older."""

    TYPE: ClassVar[str] = "cache.changed"
    version: Seq


@dataclass(frozen=True, slots=True)
class LoginEndedNotice(Frame):
    """Server -> a connected device: the server ended the panel login named (the user logged
    in at another device); the panel shows the login screen with the message."""

    TYPE: ClassVar[str] = "login.ended"
    login: LoginEnded


@dataclass(frozen=True, slots=True)
class ProxyWake(Frame):
    """Server -> a sleep proxy, on its proxy channel: work arrived for the sleeping device whose
    session you keep under `delegation_id`; wake it (S5)."""

    TYPE: ClassVar[str] = "proxy.wake"
    device_id: str
    delegation_id: str
    job_id: str


@dataclass(frozen=True, slots=True)
class FileSend(Frame):
    """Server -> the device holding a shared file (S6, panel/protocol/files.py): stream file
    `file_id` from byte `offset` to `PUT /files/transfers/{transfer_id}?offset=offset`. Not
    recorded: a holder away when it is sent gets it again when the requester asks again."""

    TYPE: ClassVar[str] = "file.send"
    transfer_id: str
    file_id: str
    offset: Seq


@dataclass(frozen=True, slots=True)
class FileDelete(Frame):
    """Server -> the device holding a shared file (S6): its owner `user_id` deleted it from
    another device; remove it (the device checks the owner again) and report the removal."""

    TYPE: ClassVar[str] = "file.delete"
    file_id: str
    user_id: str


@dataclass(frozen=True, slots=True)
class SessionHeartbeat(Frame):
    """Device -> server, on a socket whose welcome said `heartbeats`: the device's own session
    heartbeat (S5), `power.HeartbeatRequest`'s fields and the `id` its answer names. Answered by
    `session.lease`, or by an `error` with that id refusing it as `POST /power/heartbeat` would;
    a device with no socket (or no answer in time) sends it over HTTP."""

    TYPE: ClassVar[str] = "session.heartbeat"
    id: RequestId
    mode: HeartbeatMode
    interval_s: Interval


@dataclass(frozen=True, slots=True)
class SessionLease(Frame):
    """Server -> device: the answer to `session.heartbeat` `id`, `power.LeaseReply`'s fields."""

    TYPE: ClassVar[str] = "session.lease"
    id: RequestId
    device_id: str
    mode: str
    lease_until: float
    server_time: float


FRAME_TYPES: tuple[type[Frame], ...] = (
    Hello,
    Welcome,
    JobNotify,
    Ack,
    ErrorFrame,
    CacheChanged,
    LoginEndedNotice,
    ProxyWake,
    FileSend,
    FileDelete,
    SessionHeartbeat,
    SessionLease,
)


@dataclass(frozen=True, slots=True)
class Health:
    status: str
    protocol: int
    version: str
    # The largest document a job may carry, in bytes (0: not said, a server older than this
    # field); clients check a file against it before reading it.
    max_document_bytes: int = 0
