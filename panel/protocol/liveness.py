"""When a socket's link counts as dead, on both ends: the one rule, and why.

Why a rule that waits: a server holding 5,000 devices stalled its loop for ~1.5 s (documents
fsync'd on the loop, issue 12). Devices then pinged after a 3 s heartbeat of silence and gave
up when no answer came within 1.5 s: every device missed one pong at the same moment, all
reconnected at once, the listen queue overflowed and the storm fed itself for minutes. A link
that is merely slow for a few seconds (a busy server, a loaded device, a GC pause, a SIGSTOP)
must not be taken for a dead one; a dead one is still found within seconds.

The rule (device side, `panel.device.networks.Socket`): after `heartbeat_s` without a frame,
ping; then ping again every half heartbeat while still nothing came. Any frame (the pong or
any other) answers. The link is dead after PINGS_BEFORE_DEAD unanswered pings: a silence of
`dead_after_s(heartbeat_s)` (4 heartbeats: 12 s at the 3 s default). The silence before a
stall can already be a heartbeat long, and a server that resumes has thousands of pings and
a backlog of work to answer first: measured with 200 devices on this 2-core machine
(`mfp-panel bench fleet`), a 5 s SIGSTOP still left 68 of them 7.5 s (2.5 heartbeats) without
a frame; 4 heartbeats leave 4 s beyond the worst case of a 5 s stall for that. Misses are
counted, not measured in wall time, so a stall of the device's own loop counts as one miss,
whatever its length.

The server (`panel.server.push`): devices ping every heartbeat of silence, so a socket the
server hears nothing on for `server_heartbeat_s()` is gone; it pings then, and closes when no
pong comes within half of that (aiohttp's rule): 36 s of silence at the defaults.

The REST heartbeat of a device session (S5) follows the same idea: its lease lasts three
intervals (`panel.server.sessions.LEASE_FACTOR`), so two missed heartbeats cost nothing.
"""

from __future__ import annotations

DEVICE_HEARTBEAT_S = 3.0  # the default of FailoverPolicy.heartbeat_s
PINGS_BEFORE_DEAD = 6


def ping_interval_s(heartbeat_s: float, unanswered: int) -> float:
    """How long to wait for a frame before the next ping, with `unanswered` pings out."""
    return heartbeat_s if unanswered == 0 else heartbeat_s / 2


def dead_after_s(heartbeat_s: float) -> float:
    """The silence after which a device takes its link for dead."""
    return heartbeat_s + PINGS_BEFORE_DEAD * heartbeat_s / 2


def server_heartbeat_s(device_heartbeat_s: float = DEVICE_HEARTBEAT_S) -> float:
    """The server's ping interval (aiohttp's `heartbeat`): twice a device's dead-link time."""
    return 2 * dead_after_s(device_heartbeat_s)


# ---- coming back later ----------------------------------------------------------------------
# A server that sheds load closes a push socket with TRY_AGAIN_LATER (RFC 6455's 1013) and the
# reason "retry-after=N": the device waits at least N seconds (plus its own jitter) before it
# connects again. Before the upgrade the same is a 503 with Retry-After.
TRY_AGAIN_LATER = 1013
MAX_RETRY_AFTER_S = 600.0  # a server's word is bounded: a typo must not park a fleet for days
_RETRY_AFTER = "retry-after="


def retry_after_reason(seconds: int) -> bytes:
    """The close reason that asks a device to stay away `seconds`."""
    return f"{_RETRY_AFTER}{seconds}".encode()


def retry_after_s(reason: str | None) -> float:
    """Seconds a close reason asks for (bounded by MAX_RETRY_AFTER_S), 0 if it asks none."""
    if not reason or not reason.startswith(_RETRY_AFTER):
        return 0.0
    try:
        seconds = float(reason[len(_RETRY_AFTER) :])
    except ValueError:
        return 0.0
    if not seconds >= 0:  # negative, or NaN
        return 0.0
    return min(seconds, MAX_RETRY_AFTER_S)
