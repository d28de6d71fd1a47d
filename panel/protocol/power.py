"""Wire messages of the power features: device sessions and their heartbeats, signed
delegations a sleep proxy presents (S5), card login and the user's data fetched at login (S4),
and the small LAN protocol between peers (keep my session, release it, wake up).

Same conventions as `panel.protocol.messages`: frozen dataclasses whose field types are the
schema, validated by `panel.protocol.codec`. Server routes live under `/api/v1/`; the LAN
endpoint of a device under `/lan/v1/`. The push frames of this concern live in
`messages.FRAME_TYPES` with the other frames: the one the server sends a proxy (`ProxyWake`),
and a device's own heartbeat over its push socket (`SessionHeartbeat`, answered by
`SessionLease`: `HeartbeatRequest` and `LeaseReply` with a request id, converted here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from panel.protocol.constraints import Count, Limit
from panel.protocol.messages import (
    MAX_INTERVAL_S,
    MIN_INTERVAL_S,
    SESSION_MODES,
    HeartbeatMode,
    Interval,
    JobInfo,
    SessionHeartbeat,
    SessionLease,
    UserInfo,
)

# Declared in `messages` with the frames that carry them too; this concern's names all the same.
__all__ = ["MAX_INTERVAL_S", "MIN_INTERVAL_S", "SESSION_MODES", "SessionHeartbeat", "SessionLease"]

LAN_PREFIX = "/lan/v1"
MAX_CARD_ID = 64
CardId = Annotated[str, Limit(1, MAX_CARD_ID, code="bad_card")]

# ---- device sessions (server) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeartbeatRequest:
    """Device -> server: I am here, in this mode, and will beat again within `interval_s`."""

    mode: HeartbeatMode
    interval_s: Interval

    def frame(self, request_id: int) -> SessionHeartbeat:
        """This heartbeat on the push socket, as request `request_id`."""
        return SessionHeartbeat(request_id, self.mode, self.interval_s)

    @classmethod
    def of(cls, frame: SessionHeartbeat) -> HeartbeatRequest:
        """The heartbeat a `session.heartbeat` frame carries."""
        return cls(frame.mode, frame.interval_s)


@dataclass(frozen=True, slots=True)
class LeaseReply:
    """The session is alive until `lease_until` (server time) unless renewed."""

    device_id: str
    mode: str
    lease_until: float
    server_time: float

    def frame(self, request_id: int) -> SessionLease:
        """This lease on the push socket, answering request `request_id`."""
        return SessionLease(
            request_id, self.device_id, self.mode, self.lease_until, self.server_time
        )

    @classmethod
    def of(cls, frame: SessionLease) -> LeaseReply:
        """The lease a `session.lease` frame carries."""
        return cls(frame.device_id, frame.mode, frame.lease_until, frame.server_time)


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A device's server session as the server sees it. `mode` is "active", "low-power",
    "proxied" (a peer keeps it) or "none" (never seen); `lapses` counts the times its lease
    ran out before the next heartbeat."""

    device_id: str
    mode: str
    alive: bool
    lease_until: float
    last_heartbeat: float
    interval_s: float
    lapses: Count
    proxy_id: str | None = None
    delegation_id: str | None = None


@dataclass(frozen=True, slots=True)
class DelegationRequest:
    """Device -> server, before it sleeps: let this peer keep my session."""

    proxy_id: str


@dataclass(frozen=True, slots=True)
class Delegation:
    """Signed by the server: `device_id`'s session may be kept by `proxy_id` until
    `expires_at` (renewed while the proxy's heartbeats keep coming). `token` is what the proxy
    presents; the other fields repeat what it says, for the device's own use."""

    delegation_id: str
    device_id: str
    proxy_id: str
    issued_at: float
    expires_at: float
    token: str


@dataclass(frozen=True, slots=True)
class ProxyHeartbeat:
    """Proxy -> server: a heartbeat for the sleeping device the delegation names."""

    token: str
    interval_s: Interval


@dataclass(frozen=True, slots=True)
class ProxyLease:
    """The sleeping device's session is alive until `lease_until`; keep presenting `token`
    (a renewed one when the old was half-way to `expires_at`)."""

    device_id: str
    delegation_id: str
    lease_until: float
    server_time: float
    token: str
    expires_at: float


# ---- login by card and the user's data (S4) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardLoginRequest:
    """Device -> server: this card was tapped on the card reader."""

    card_id: CardId


@dataclass(frozen=True, slots=True)
class CardAssignment:
    """Administrator -> server: this card logs this user in."""

    card_id: CardId


@dataclass(frozen=True, slots=True)
class Preferences:
    """What a user set for their logins at any device."""

    print_all_on_login: bool = True


@dataclass(frozen=True, slots=True)
class UserData:
    """What a device fetches for the user who just logged in: who, what they set, what waits."""

    user: UserInfo
    preferences: Preferences
    held_jobs: list[JobInfo]


@dataclass(frozen=True, slots=True)
class ReleaseRequest:
    """Device -> server: give these held jobs of the user logged in here to this device
    (all of the user's held jobs when `job_ids` is empty)."""

    user_id: str
    job_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReleaseReply:
    released: list[JobInfo]


# ---- the LAN endpoint of a device (peer to peer) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeepRequest:
    """Sleeper -> peer: keep my server session with this delegation; wake me on `wake_port`."""

    device_id: str
    name: str
    token: str
    wake_port: int


@dataclass(frozen=True, slots=True)
class KeepRelease:
    """Sleeper -> its keeper: I am awake and have my session back; stop."""

    device_id: str
    delegation_id: str


@dataclass(frozen=True, slots=True)
class LanReply:
    """The answer to a keep or release request."""

    ok: bool
    message: str = ""


@dataclass(frozen=True, slots=True)
class WakeRequest:
    """Proxy -> sleeper: work arrived for you (`job_id` when known)."""

    device_id: str
    reason: str
    job_id: str = ""


@dataclass(frozen=True, slots=True)
class WakeReply:
    """Sleeper -> proxy: `awake` confirms the wake; `state` is the power state now."""

    awake: bool
    state: str
