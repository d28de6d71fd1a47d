"""The simulated presence sensor and card reader (S4), without a server: an approach wakes the
panel before any touch; a tap wakes it too, and a card that cannot be checked is refused with
a reason for the person at the panel."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from panel.device.cache import DeviceCache
from panel.device.clock import ManualClock
from panel.device.connection import ServerLink
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import ConnectionState, LoginOutcome, LoginResult
from panel.device.power import PowerManager, PowerSettings, PowerState
from panel.device.presence import CardReader, CardSession, PresenceSensor
from panel.device.store import DeviceStore
from panel.trace import Trace


@dataclass
class Parts:
    clock: ManualClock
    link: ServerLink
    events: EventBus
    power: PowerManager
    sensor: PresenceSensor
    reader: CardReader
    session: CardSession
    seen: list[Event]


def power_state(parts: Parts) -> PowerState:
    return parts.power.state  # read afresh (an attribute read would be narrowed by asserts)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    events, trace, clock = EventBus(), Trace(tmp_path / "trace.jsonl"), ManualClock()
    store = DeviceStore(tmp_path / "device.sqlite3")
    link = ServerLink(events, trace, f"http://127.0.0.1:{closed_port()}", "dev-x", "secret")
    session = CardSession(
        link, events, trace, DeviceCache(store, link, events, trace), store, clock
    )
    power = PowerManager(events, trace, clock, PowerSettings(), session.logout)
    seen: list[Event] = []
    events.subscribe(seen.append, EventKind.POWER_CHANGED, EventKind.PRESENCE_CHANGED)
    power.start()
    yield Parts(
        clock,
        link,
        events,
        power,
        PresenceSensor(events, trace, power),
        CardReader(session, power, link, events, clock),
        session,
        seen,
    )
    await power.stop()
    await session.stop()
    await link.close()
    store.close()
    trace.close()


def test_an_approach_wakes_the_sleeping_panel_before_any_touch(parts: Parts) -> None:
    parts.power.energy_saver_key()
    parts.sensor.person_approached()
    parts.sensor.person_approached()  # still there: no second event
    assert power_state(parts) is PowerState.ACTIVE
    assert parts.sensor.present is True
    parts.sensor.person_left()
    assert power_state(parts) is PowerState.ACTIVE  # leaving does not put it to sleep
    assert [(e.kind, e.subject) for e in parts.seen] == [
        (EventKind.POWER_CHANGED, PowerState.SLEEP),
        (EventKind.PRESENCE_CHANGED, True),
        (EventKind.POWER_CHANGED, PowerState.ACTIVE),
        (EventKind.PRESENCE_CHANGED, False),
    ]
    assert parts.seen[2].fields["cause"] == "presence"


async def test_a_card_tap_wakes_the_panel_even_when_the_card_cannot_be_checked(
    parts: Parts,
) -> None:
    parts.power.energy_saver_key()
    result = await parts.reader.tap("04A1B2C3D4E5F6")
    assert power_state(parts) is PowerState.ACTIVE
    assert parts.seen[-1].fields["cause"] == "card"
    assert result.outcome is LoginOutcome.UNREACHABLE
    assert "Log in with your user ID and PIN" in result.message
    assert parts.session.user is None


@pytest.mark.parametrize("card_id", ["", "   ", "9" * 65])
async def test_an_unreadable_card_is_refused_without_asking_the_server(
    parts: Parts, card_id: str
) -> None:
    result = await asyncio.wait_for(parts.reader.tap(card_id), 1)
    assert result.outcome is LoginOutcome.REFUSED
    assert result.message == "The card could not be read."


async def test_a_tap_while_the_link_comes_back_waits_for_it_in_device_time(
    parts: Parts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A panel woken off the network logs the card in once the link is up (the server ends
    logins made before the hello), and waits no more than 3 s of device time for it."""
    asked_at: list[float] = []

    async def login_card(card_id: str) -> LoginResult:
        asked_at.append(parts.clock.monotonic())
        return LoginResult(LoginOutcome.UNREACHABLE, message="no server in this test")

    monkeypatch.setattr(parts.session, "login_card", login_card)
    parts.link.set_state(ConnectionState.CONNECTING)
    tap = asyncio.ensure_future(parts.reader.tap("04A1B2C3D4E5F6"))
    await parts.clock.run_for(1.5)
    assert asked_at == []  # still waiting for the link
    parts.link.set_state(ConnectionState.ONLINE)
    await tap
    assert asked_at == [1.5]  # at once when the link is up

    parts.link.set_state(ConnectionState.CONNECTING)  # and a link that does not come back
    tap = asyncio.ensure_future(parts.reader.tap("04A1B2C3D4E5F6"))
    await parts.clock.run_for(2.9)
    assert len(asked_at) == 1
    await parts.clock.run_for(0.1)
    await tap
    assert asked_at == [1.5, 4.5]  # after 3 s of device time, not one more
