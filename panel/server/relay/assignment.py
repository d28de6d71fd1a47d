"""Who takes which maintenance call: operators' presence, the FIFO queue, offers.

Longest-idle-agent assignment, as call-centre software does it (FreeSWITCH mod_callcenter): a
waiting call goes to the available operator idle longest, idle meaning since their last session
ended or since they became available. With nobody available calls wait in arrival order; an
operator who becomes available takes the queue's head. An offer not accepted in time marks its
operator away and the call goes back to its place at the head of the queue, to the next one.

Pure bookkeeping, no sockets and no timers: `Relay` applies what this decides.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from panel.server.http import ApiError


class Presence(enum.Enum):
    AVAILABLE = "available"
    BUSY = "busy"
    AWAY = "away"


class CallState(enum.Enum):
    QUEUED = "queued"
    OFFERED = "offered"
    ACTIVE = "active"
    ENDED = "ended"


@dataclass(eq=False)
class Operator:
    """An operator's presence as the relay keeps it (in memory: a restart makes all away)."""

    operator_id: str
    name: str
    presence: Presence = Presence.AWAY
    idle_since: float = 0.0
    idle_order: int = 0  # ties of idle_since go to whoever became idle first
    call_id: str | None = None  # offered to them, or in session with them
    notice: str = ""  # a sentence for their console, e.g. why they were marked away


@dataclass(eq=False)
class Waiting:
    """What assignment needs to know of a call; `Relay` keeps the rest."""

    call_id: str
    arrival: int
    state: CallState = CallState.QUEUED
    operator_id: str | None = None


class Assignment:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._order = itertools.count(1)
        self.operators: dict[str, Operator] = {}
        self.calls: dict[str, Waiting] = {}  # not ended, in arrival order

    # -- operators --------------------------------------------------------------------------------
    def operator(self, operator_id: str, name: str) -> Operator:
        """The operator's presence record, made (away) on first sight."""
        op = self.operators.get(operator_id)
        if op is None:
            op = self.operators[operator_id] = Operator(operator_id, name)
        return op

    def set_presence(self, op: Operator, presence: Presence) -> Waiting | None:
        """Change an operator's presence; returns the call offered to them that this withdraws
        (they went busy or away instead of accepting). 409 while they are in a session."""
        call = self.calls.get(op.call_id) if op.call_id else None
        if call is not None and call.state is CallState.ACTIVE:
            raise ApiError(409, "in_session", "End the session before changing presence.")
        op.notice = ""
        if presence is op.presence:
            return None
        if presence is Presence.AVAILABLE:
            self._idle_now(op)
        op.presence = presence
        if call is not None:  # an offer they turned down by leaving
            self._requeue(call, op)
            return call
        return None

    def available(self) -> list[Operator]:
        """Operators who could take a call now, longest idle first."""
        free = [
            op
            for op in self.operators.values()
            if op.presence is Presence.AVAILABLE and op.call_id is None
        ]
        return sorted(free, key=lambda op: (op.idle_since, op.idle_order))

    def on_duty(self) -> int:
        """How many operators are available, whether or not a call is being offered to them:
        the count a console shows, which includes the operator reading it."""
        return sum(op.presence is Presence.AVAILABLE for op in self.operators.values())

    def idle_s(self, op: Operator) -> float:
        if op.presence is not Presence.AVAILABLE or op.call_id is not None:
            return 0.0
        return max(0.0, self._clock() - op.idle_since)

    def _idle_now(self, op: Operator) -> None:
        op.idle_since = self._clock()
        op.idle_order = next(self._order)

    # -- calls ------------------------------------------------------------------------------------
    def enqueue(self, call_id: str) -> Waiting:
        call = self.calls[call_id] = Waiting(call_id, next(self._order))
        return call

    def queued(self) -> list[Waiting]:
        return [c for c in self.calls.values() if c.state is CallState.QUEUED]

    def positions(self) -> dict[str, int]:
        """Each queued call's place, 1 = next."""
        return {c.call_id: i for i, c in enumerate(self.queued(), start=1)}

    def match(self) -> list[tuple[Waiting, Operator]]:
        """Offer queued calls, head first, to available operators, longest idle first."""
        offers = []
        free = self.available()
        for call, op in zip(self.queued(), free, strict=False):
            call.state, call.operator_id, op.call_id = (
                CallState.OFFERED,
                op.operator_id,
                call.call_id,
            )
            offers.append((call, op))
        return offers

    def offer_expired(self, call: Waiting, notice: str) -> Operator | None:
        """The offer was not accepted in time: its operator is marked away, the call waits again."""
        if call.state is not CallState.OFFERED or call.operator_id is None:
            return None
        op = self.operators[call.operator_id]
        op.presence = Presence.AWAY
        op.notice = notice
        self._requeue(call, op)
        return op

    def accept(self, call: Waiting, op: Operator) -> None:
        if call.state is not CallState.OFFERED or call.operator_id != op.operator_id:
            raise ApiError(403, "not_offered", "This call is not offered to you.")
        call.state = CallState.ACTIVE
        op.presence = Presence.BUSY

    def end(self, call: Waiting) -> Operator | None:
        """Forget an ended call; its operator, if any, is free again (and idle from now on
        when they were in its session)."""
        self.calls.pop(call.call_id, None)
        previous, call.state = call.state, CallState.ENDED
        op = self.operators.get(call.operator_id) if call.operator_id else None
        if op is None or op.call_id != call.call_id:
            return None
        op.call_id = None
        if previous is CallState.ACTIVE:
            op.presence = Presence.AVAILABLE
            self._idle_now(op)
        return op

    def _requeue(self, call: Waiting, op: Operator) -> None:
        """Back to its place in the queue (arrival order keeps it at the head)."""
        call.state, call.operator_id, op.call_id = CallState.QUEUED, None, None
