from __future__ import annotations

import logging

from panel.device import Event, EventBus, EventKind


def test_subscribers_get_only_their_kinds_and_can_unsubscribe():
    bus = EventBus()
    jobs: list[Event] = []
    everything: list[Event] = []
    stop = bus.subscribe(jobs.append, EventKind.JOB_CREATED)
    bus.subscribe(everything.append)
    bus.publish(Event(EventKind.JOB_CREATED, "a"))
    bus.publish(Event(EventKind.NOTICE, None, {"text": "hi"}))
    stop()
    bus.publish(Event(EventKind.JOB_CREATED, "b"))
    assert [e.subject for e in jobs] == ["a"]
    assert [e.kind for e in everything] == [
        EventKind.JOB_CREATED,
        EventKind.NOTICE,
        EventKind.JOB_CREATED,
    ]


def test_a_failing_handler_does_not_stop_the_others(caplog):
    bus = EventBus()
    seen: list[Event] = []

    def broken(_: Event) -> None:
        raise RuntimeError("view bug")

    bus.subscribe(broken)
    bus.subscribe(seen.append)
    with caplog.at_level(logging.ERROR):
        bus.publish(Event(EventKind.NOTICE))
    assert len(seen) == 1
    assert "view bug" in caplog.text
