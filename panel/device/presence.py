"""The panel's simulated sensors for S4: a presence sensor (a person approaching wakes the panel
before it is touched) and a card reader (a tap logs the card's owner in).

The QA dock, a keyboard shortcut and scenario files drive them through these calls, as the
hardware would.
"""

from __future__ import annotations

import asyncio
import contextlib

from panel.device.auth import MAX_FIELD, Session
from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import ConnectionState, LoginOutcome, LoginResult, User
from panel.device.power import PowerManager, WakeSource
from panel.protocol.messages import LoginReply
from panel.protocol.power import CardLoginRequest
from panel.text import marker
from panel.trace import Trace

CARD_UNREADABLE = marker("Core", "The card could not be read.")
CARD_UNKNOWN = marker("Core", "This card is not registered. Log in with your user ID and PIN.")
CARD_NEEDS_SERVER = marker(
    "Core",
    "Card login needs the server, which cannot be reached. Log in with your user ID and PIN.",
)


class CardSession(Session):
    """The panel session, with login by card beside ID + PIN. A card is checked by the server
    only: the device caches no card ids, so a card cannot log anyone in offline."""

    async def login_card(self, card_id: str) -> LoginResult:
        card_id = card_id.strip()
        if not card_id or len(card_id) > MAX_FIELD:
            return LoginResult(LoginOutcome.REFUSED, message=CARD_UNREADABLE)
        try:
            reply = await self._link.call(
                "POST", "/sessions/card", LoginReply, CardLoginRequest(card_id)
            )
        except ServerRefused as exc:  # the card id never goes into the trace: it logs people in
            self._trace.emit("auth", "card-refused", code=exc.code)
            if exc.code == "unknown_card":
                return LoginResult(
                    LoginOutcome.REFUSED,
                    message=CARD_UNKNOWN,
                )
            return LoginResult(LoginOutcome.REFUSED, message=exc.message)
        except ServerUnreachable:
            self._trace.emit("auth", "card-unreachable")
            return LoginResult(
                LoginOutcome.UNREACHABLE,
                message=CARD_NEEDS_SERVER,
            )
        user = User(reply.user.user_id, reply.user.name, reply.user.role)
        self._trace.emit("auth", "card-login", user_id=user.user_id)
        self._set_user(user)
        return LoginResult(LoginOutcome.ACCEPTED, user=user)


class PresenceSensor:
    """Someone in front of the panel (PRESENCE_CHANGED); an approach wakes the panel, so the
    login screen is lit and ready before the first touch."""

    def __init__(self, events: EventBus, trace: Trace, power: PowerManager) -> None:
        self._events = events
        self._trace = trace
        self._power = power
        self.present = False

    def person_approached(self) -> None:
        self._set(True)
        self._power.wake(WakeSource.PRESENCE)

    def person_left(self) -> None:
        self._set(False)

    def _set(self, present: bool) -> None:
        if present is not self.present:
            self.present = present
            self._trace.emit("presence", "sensor", present=present)
            self._events.publish(Event(EventKind.PRESENCE_CHANGED, present))


class CardReader:
    """A card tapped on the reader: the panel wakes and the card's owner is logged in.

    A panel woken from sleep off the network reconnects first: the server ends every login
    made before a device's push connection says hello, so logging in before that would be
    undone a moment later."""

    LINK_WAIT_S = 3.0  # device time

    def __init__(
        self,
        session: CardSession,
        power: PowerManager,
        link: ServerLink,
        events: EventBus,
        clock: Clock,
    ) -> None:
        self._session = session
        self._power = power
        self._link = link
        self._events = events
        self._clock = clock

    async def tap(self, card_id: str) -> LoginResult:
        self._power.wake(WakeSource.CARD)
        await self._link_up()
        return await self._session.login_card(card_id)

    async def _link_up(self) -> None:
        if self._link.state is not ConnectionState.CONNECTING:
            return  # online, or offline (then the login says the server cannot be reached)
        up: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def on_change(event: Event) -> None:
            if event.subject is not ConnectionState.CONNECTING and not up.done():
                up.set_result(None)

        unsubscribe = self._events.subscribe(on_change, EventKind.CONNECTION_CHANGED)
        try:
            with contextlib.suppress(TimeoutError):
                await self._clock.wait_for(up, self.LINK_WAIT_S)
        finally:
            unsubscribe()
