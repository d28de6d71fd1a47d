"""S4 over real sockets (issue 5, acceptance 2): a person approaches -> the sleeping panel wakes
with the login screen ready -> they log in (PIN or card) -> the device fetches their data (held
jobs, preferences) -> with "print all on login" the held jobs print at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from support import ALICE, ALICE_PIN, BOB, BOB_PIN, submit, until

from panel.device import ConnectionState, Device, Event, EventKind, JobState
from panel.device.connection import ServerRefused
from panel.device.power import PowerState
from panel.device.user_data import UserData
from panel.protocol import power as wire
from panel.server.api import trace_key
from panel.server.user_data import DEMO_CARDS, seed_demo_cards

ALICE_CARD = dict(DEMO_CARDS)[ALICE]


def expect(
    device: Device, kind: EventKind, predicate: Callable[[Event], bool] = lambda _: True
) -> asyncio.Future[Event]:
    """The next event of `kind` matching `predicate`; subscribed now, so an event published
    synchronously by the very next call is caught (await the future with a time-out)."""
    fut: asyncio.Future[Event] = asyncio.get_running_loop().create_future()

    def handler(event: Event) -> None:
        if not fut.done() and predicate(event):
            fut.set_result(event)
            unsubscribe()

    unsubscribe = device.events.subscribe(handler, kind)
    return fut


async def got(fut: asyncio.Future[Event]) -> Event:
    return await asyncio.wait_for(fut, 10)


def completed(device: Device, count: int) -> set[str]:
    """Ids of the jobs the device completed so far (checked by `until`)."""
    done = {j.job_id for j in device.jobs.all() if j.state is JobState.COMPLETED}
    return done if len(done) >= count else set()


async def online(device: Device) -> None:
    """Logins wait for the push connection: the server ends any login made before its hello."""
    await until(lambda: device.connection_state is ConnectionState.ONLINE, what="online")


async def asleep(device: Device) -> None:
    device.power.energy_saver_key()
    assert device.power.state is PowerState.SLEEP


async def test_approach_login_and_held_jobs_print_at_once(server, make_device):
    device = await make_device()
    await online(device)
    held = [await submit(server, ALICE, title) for title in ("Quarterly report", "Boarding pass")]
    await asleep(device)

    woke = expect(device, EventKind.POWER_CHANGED, lambda e: e.subject is PowerState.ACTIVE)
    device.presence.person_approached()
    event = await got(woke)
    assert event.fields["cause"] == "presence"
    assert device.user is None  # the login screen, lit and ready before any touch

    fetched = expect(device, EventKind.USER_DATA_CHANGED, lambda e: e.subject is not None)
    printing = expect(
        device, EventKind.NOTICE, lambda e: e.fields["text"].startswith("Printing your")
    )
    result = await device.login(ALICE, ALICE_PIN)
    assert result.ok
    data: UserData = (await got(fetched)).subject
    assert data.user.user_id == ALICE
    assert data.print_all_on_login is True
    assert [j.title for j in data.held] == ["Quarterly report", "Boarding pass"]
    assert (await got(printing)).fields["text"] == "Printing your 2 held jobs."

    wanted = {job.job_id for job in held}
    await until(lambda: completed(device, 2) == wanted, what="both held jobs printed")
    await until(
        lambda: all(server.store.job(j).state == "completed" for j in wanted),
        what="the server told",
    )
    assert device.user_data.current is not None
    assert device.user_data.current.held == ()


async def test_without_print_all_on_login_the_jobs_wait_for_the_user(server, make_device):
    server.store.set_preferences(BOB, wire.Preferences(print_all_on_login=False))
    device = await make_device()
    await online(device)
    job = await submit(server, BOB, "Floor plan")
    fetched = expect(device, EventKind.USER_DATA_CHANGED, lambda e: e.subject is not None)
    assert (await device.login(BOB, BOB_PIN)).ok
    data: UserData = (await got(fetched)).subject
    assert data.print_all_on_login is False
    assert [j.job_id for j in data.held] == [job.job_id]

    # Still held: the user releases it from the panel.
    assert await device.user_data.release() == [job.job_id]
    await until(lambda: completed(device, 1) == {job.job_id}, what="the released job printed")
    assert device.user_data.current is not None
    assert device.user_data.current.held == ()
    with pytest.raises(ServerRefused) as refused:
        await device.user_data.release([job.job_id])
    assert (refused.value.status, refused.value.code) == (409, "not_held")


async def test_the_preference_is_the_users_and_kept_by_the_server(server, make_device):
    device = await make_device()
    await online(device)
    fetched = expect(device, EventKind.USER_DATA_CHANGED, lambda e: e.subject is not None)
    assert (await device.login(BOB, BOB_PIN)).ok
    await got(fetched)
    await device.user_data.set_print_all_on_login(False)
    assert server.store.preferences(BOB) == wire.Preferences(print_all_on_login=False)
    assert device.user_data.current is not None
    assert device.user_data.current.print_all_on_login is False


async def test_a_card_tap_wakes_logs_in_and_prints_the_held_jobs(server, make_device):
    seed_demo_cards(server.store)
    device = await make_device()
    await online(device)
    job = await submit(server, ALICE, "Boarding pass")
    await asleep(device)
    woke = expect(device, EventKind.POWER_CHANGED, lambda e: e.subject is PowerState.ACTIVE)
    result = await device.cards.tap(ALICE_CARD)
    assert (await got(woke)).fields["cause"] == "card"
    assert result.ok
    assert device.user is not None
    assert device.user.user_id == ALICE
    await until(lambda: completed(device, 1) == {job.job_id}, what="the held job printed")

    refused = await device.cards.tap("04FFFFFFFFFFFF")
    assert not refused.ok
    assert refused.message == "This card is not registered. Log in with your user ID and PIN."
    device.trace.flush()
    server.app[trace_key].flush()
    for trace in (device.trace.path, server.app[trace_key].path):
        text = trace.read_text()
        assert ALICE_CARD not in text
        assert "04FFFFFFFFFFFF" not in text


async def test_a_device_sees_only_the_data_of_the_user_logged_in_there(server, make_device):
    device = await make_device()
    await online(device)
    fetched = expect(device, EventKind.USER_DATA_CHANGED, lambda e: e.subject is not None)
    assert (await device.login(ALICE, ALICE_PIN)).ok
    await got(fetched)
    with pytest.raises(ServerRefused) as refused:
        await device.link.call("GET", f"/users/{BOB}/data", wire.UserData)
    assert (refused.value.status, refused.value.code) == (403, "not_logged_in_here")
    with pytest.raises(ServerRefused) as refused:
        await device.link.call("POST", "/jobs/release", wire.ReleaseReply, wire.ReleaseRequest(BOB))
    assert refused.value.code == "not_logged_in_here"

    cleared = expect(device, EventKind.USER_DATA_CHANGED, lambda e: e.subject is None)
    device.logout()
    await got(cleared)
    assert device.user_data.current is None
