"""`support.wait_event` subscribes when it is called, not when it is awaited, and a waiter that is
never awaited leaves no subscription and no task behind."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest
from support import wait_event

from panel.device import Event, EventBus, EventKind


@dataclass
class Publisher:
    events: EventBus = field(default_factory=EventBus)

    def subscribers(self) -> int:
        return len(self.events._handlers)


async def test_an_event_published_between_call_and_await_is_not_missed() -> None:
    device = Publisher()
    waiter = wait_event(device, EventKind.NOTICE, lambda e: e.subject == "second")
    device.events.publish(Event(EventKind.NOTICE, "first"))
    device.events.publish(Event(EventKind.NOTICE, "second"))  # before anyone awaits
    device.events.publish(Event(EventKind.NOTICE, "second", {"n": 2}))
    assert (await waiter) == Event(EventKind.NOTICE, "second")
    assert device.subscribers() == 0


async def test_awaiting_at_once_still_waits_for_the_event() -> None:
    device = Publisher()
    loop = asyncio.get_running_loop()
    loop.call_soon(device.events.publish, Event(EventKind.NOTICE, "later"))
    assert (await wait_event(device, EventKind.NOTICE)).subject == "later"
    assert device.subscribers() == 0


def forget(_: object) -> None:
    """Drop a value (a bare `wait_event(...)` statement is what mypy's unused-awaitable flags)."""


async def test_a_waiter_never_awaited_unsubscribes_as_it_goes() -> None:
    device = Publisher()
    forget(wait_event(device, EventKind.NOTICE))  # dropped at once: no task was started
    assert device.subscribers() == 0
    waiter = wait_event(device, EventKind.NOTICE)
    assert device.subscribers() == 1
    del waiter
    assert device.subscribers() == 0


async def test_no_event_in_time_is_a_timeout_and_unsubscribes() -> None:
    device = Publisher()
    with pytest.raises(TimeoutError):
        await wait_event(device, EventKind.NOTICE, timeout=0.01)
    assert device.subscribers() == 0
