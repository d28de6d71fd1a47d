"""The sleep proxy end to end (S5, issue 5 acceptance 3): real devices find each other by DNS-SD
(real zeroconf, bound to loopback), a real server on a real socket. A device going to sleep has
a peer keep its session; a job for it wakes it through that peer and prints exactly once; the
woken device takes its session back; with no peer it keeps its own session in low power."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from support import ALICE, StartedDevices, submit, trace_matching, until, wait_event
from support.networks import run_for, run_until, settle

from panel.device import ConnectionState, Device, Event, EventKind, JobState
from panel.device.clock import Clock, ManualClock
from panel.device.keepalive import SessionMode
from panel.device.networks import NetworkSettings
from panel.device.peers import LanSettings
from panel.device.power import PowerSettings, PowerState
from panel.device.sleep_proxy import KeptState
from panel.server.api import hub_key
from panel.server.app import RunningServer
from panel.server.user_data import DEMO_CARDS, seed_demo_cards
from panel.sim import Network
from panel.sim.faults import Fault, set_fault

DAY = 24 * 3600.0
DISCOVERY_S = 15.0  # zeroconf announces after about a second of probing; slack for a busy box

LanDevice = Callable[..., Awaitable[Device]]


@pytest.fixture
async def lan_device(server: RunningServer, tmp_path: Path) -> AsyncIterator[LanDevice]:
    """Devices on the loopback LAN (DNS-SD and their endpoint on 127.0.0.1 only)."""
    started = StartedDevices(server, tmp_path)

    async def factory(
        name: str,
        power: PowerSettings | None = None,
        clock: Clock | None = None,
        networks: tuple[NetworkSettings, ...] = (),
    ) -> Device:
        power = power or PowerSettings()
        config = replace(started.config(name), lan=LanSettings(), power=power, networks=networks)
        return await started.start(config, clock)

    yield factory
    await started.stop_all()


def spawn_wait(
    device: Device, kind: EventKind, predicate: Callable[[Event], bool] = lambda _: True
) -> asyncio.Task[Event]:
    """Wait for an event that comes over a socket: the task subscribes at its first step,
    which runs before any answer can arrive."""
    return asyncio.ensure_future(wait_event(device, kind, predicate, timeout=15.0))


async def see_each_other(a: Device, b: Device) -> None:
    assert a.lan is not None
    assert b.lan is not None
    await until(lambda: a.lan.directory.peer(b.device_id) is not None, DISCOVERY_S, "a sees b")
    await until(lambda: b.lan.directory.peer(a.device_id) is not None, DISCOVERY_S, "b sees a")


async def online(device: Device) -> None:
    await until(lambda: device.connection_state is ConnectionState.ONLINE, what="online")


async def sleep_kept_by(sleeper: Device, keeper: Device) -> None:
    """Put `sleeper` to sleep at its Energy Saver key; `keeper` takes its session."""
    assert keeper.sleep_proxy is not None
    handed = spawn_wait(
        sleeper, EventKind.SESSION_KEEPER_CHANGED, lambda e: e.subject is SessionMode.PROXIED
    )
    kept = spawn_wait(
        keeper,
        EventKind.KEPT_SESSIONS_CHANGED,
        lambda e: any(k.device_id == sleeper.device_id for k in e.subject),
    )
    sleeper.power.energy_saver_key()
    assert sleeper.power.state is PowerState.SLEEP
    event = await handed
    assert event.fields["keeper"].device_id == keeper.device_id
    (session,) = [k for k in (await kept).subject if k.device_id == sleeper.device_id]
    assert session.state is KeptState.KEEPING


def trace_lines(device: Device, concern: str, event: str, **match: object) -> list[dict[str, Any]]:
    return trace_matching(device.trace, concern, event, **match)


async def test_a_job_for_a_sleeping_device_wakes_it_through_its_proxy_and_prints_once(
    server, lan_device
):
    a = await lan_device("Second floor MFP")
    b = await lan_device("Reception MFP")
    await see_each_other(a, b)
    await online(a)
    await sleep_kept_by(a, b)
    assert b.sleep_proxy is not None

    info = server.sessions.info(a.device_id)
    assert (info.mode, info.proxy_id, info.alive) == ("proxied", b.device_id, True)
    await until(lambda: not server.app[hub_key].connected(a.device_id), what="a off the network")

    woke = spawn_wait(a, EventKind.POWER_CHANGED, lambda e: e.subject is PowerState.ACTIVE)
    done = spawn_wait(
        a, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.COMPLETED
    )
    back = spawn_wait(
        a, EventKind.SESSION_KEEPER_CHANGED, lambda e: e.subject is SessionMode.ACTIVE
    )
    released = spawn_wait(b, EventKind.KEPT_SESSIONS_CHANGED, lambda e: e.subject == ())
    job = await submit(server, ALICE, "Wake-up call", pages=2, device_id=a.device_id)

    assert (await woke).fields["cause"] == "lan"
    assert (await done).subject.job_id == job.job_id
    await back
    await released
    await until(lambda: server.store.job(job.job_id).state == "completed", what="reported")

    # Exactly once: one notice, one print, one completion.
    assert [n.job_id for n in server.store.notifications_after(a.device_id, 0)] == [job.job_id]
    assert len(trace_lines(a, "jobs", "state", job_id=job.job_id, state="printing")) == 1
    assert len(trace_lines(a, "jobs", "state", job_id=job.job_id, state="completed")) == 1
    (woken,) = trace_lines(b, "proxy", "woken", device_id=a.device_id)
    assert woken["attempts"] == 1

    # The device has its session back; the delegation is over.
    info = server.sessions.info(a.device_id)
    assert (info.mode, info.proxy_id, info.alive) == ("active", None, True)
    assert info.lapses == 0
    delegation = server.store.delegation(
        trace_lines(a, "keepalive", "handed-over")[0]["delegation"]
    )
    assert delegation is not None
    assert delegation.revoked_reason == "taken back"
    assert a.keepalive.keeper is None
    assert b.sleep_proxy.kept == ()


async def test_a_card_tap_at_a_proxied_sleeper_logs_in_once_it_is_back_online(server, lan_device):
    seed_demo_cards(server.store)
    a = await lan_device("Second floor MFP")
    b = await lan_device("Reception MFP")
    await see_each_other(a, b)
    await online(a)
    await sleep_kept_by(a, b)
    result = await a.cards.tap(dict(DEMO_CARDS)[ALICE])
    assert result.ok
    assert a.power.state is PowerState.ACTIVE
    await until(lambda: a.keepalive.mode is SessionMode.ACTIVE, what="session taken back")
    assert server.store.device_of_user(ALICE) == a.device_id  # the reconnect did not undo it


async def test_with_no_peer_the_device_keeps_its_own_session_in_low_power(server, make_device):
    device = await make_device()  # no LAN: nobody to hand the session to
    await online(device)
    low = spawn_wait(
        device,
        EventKind.SESSION_KEEPER_CHANGED,
        lambda e: e.subject is SessionMode.LOW_POWER,
    )
    device.power.energy_saver_key()
    assert (await low).fields["keeper"] is None
    await until(lambda: server.sessions.info(device.device_id).mode == "low-power", what="beat")
    info = server.sessions.info(device.device_id)
    assert info.interval_s == device.power.settings.low_power_heartbeat_s  # slower heartbeats
    assert info.alive
    assert server.app[hub_key].connected(device.device_id)  # still reachable by push

    woke = spawn_wait(device, EventKind.POWER_CHANGED, lambda e: e.subject is PowerState.ACTIVE)
    done = spawn_wait(
        device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.COMPLETED
    )
    job = await submit(server, ALICE, "Straight in", device_id=device.device_id)
    assert (await woke).fields["cause"] == "work"
    assert (await done).subject.job_id == job.job_id
    await until(lambda: server.sessions.info(device.device_id).mode == "active", what="awake")


async def test_a_device_keeping_a_peers_session_stays_on_the_network_when_it_sleeps(
    server, lan_device
):
    a = await lan_device("Second floor MFP")
    b = await lan_device("Reception MFP")
    await see_each_other(a, b)
    await online(a)
    await sleep_kept_by(a, b)
    low = spawn_wait(
        b, EventKind.SESSION_KEEPER_CHANGED, lambda e: e.subject is SessionMode.LOW_POWER
    )
    b.power.energy_saver_key()
    await low  # it does not hand its own session to anyone: it answers for a
    assert b.sleep_proxy is not None
    assert [k.device_id for k in b.sleep_proxy.kept] == [a.device_id]
    assert server.app[hub_key].connected(b.device_id)
    assert trace_lines(b, "keepalive", "handed-over") == []


async def test_a_sleeping_device_whose_session_is_kept_declines_to_keep_others(server, lan_device):
    # Peers are asked in the order of their names.
    a = await lan_device("MFP 1")
    b = await lan_device("MFP 2")
    c = await lan_device("MFP 3")
    for x, y in ((a, b), (a, c), (b, c)):
        await see_each_other(x, y)
    await online(a)
    await online(c)
    await sleep_kept_by(a, b)  # a asks b first
    await sleep_kept_by(c, b)  # c asks a first: asleep, off the network, it says no
    (declined,) = trace_lines(c, "keepalive", "declined")
    assert declined["peer"] == a.device_id
    assert "asleep" in declined["reason"]
    assert b.sleep_proxy is not None
    assert sorted(k.device_id for k in b.sleep_proxy.kept) == sorted([a.device_id, c.device_id])
    assert a.sleep_proxy is not None
    assert a.sleep_proxy.kept == ()


async def test_the_proxy_wakes_the_sleeper_every_2_s_until_it_confirms(server, lan_device):
    clock = ManualClock()  # the proxy's: its retries are timed on it
    a = await lan_device("MFP 1")
    b = await lan_device("MFP 2", clock=clock)
    await see_each_other(a, b)
    await online(a)
    await sleep_kept_by(a, b)
    assert a.lan is not None
    assert b.sleep_proxy is not None
    (kept,) = b.sleep_proxy.kept
    await a.lan.endpoint.stop()  # the sleeper's network does not answer for now
    idle = clock.sleepers  # b's own timers; a wake waiting for its next try adds one

    woke = spawn_wait(a, EventKind.POWER_CHANGED, lambda e: e.subject is PowerState.ACTIVE)
    await submit(server, ALICE, "Wake-up call", device_id=a.device_id)
    for attempt in range(1, 6):  # tries at 0, 2, 4, 6 and 8 s find nobody
        await until(
            lambda n=attempt: kept.wake_attempts == n and clock.sleepers == idle + 1,
            what=f"failed attempt {attempt} and the wait for the next",
        )
        assert kept.state is KeptState.WAKING
        if attempt == 5:
            await a.lan.endpoint.start()  # back on the same port
        await settle(a, b)
        clock.advance(2.0)
    assert (await woke).fields["cause"] == "lan"
    await until(lambda: trace_lines(b, "proxy", "woken") != [], what="the proxy hears it")
    (woken,) = trace_lines(b, "proxy", "woken", device_id=a.device_id)
    assert (woken["attempts"], woken["after_s"]) == (6, 10.0)
    await until(lambda: a.keepalive.mode is SessionMode.ACTIVE, what="session taken back")
    await until(lambda: b.sleep_proxy is not None and b.sleep_proxy.kept == (), what="released")


async def test_the_proxy_gives_up_after_45_s_without_an_answer(server, lan_device):
    clock = ManualClock()
    a = await lan_device("MFP 1")
    b = await lan_device("MFP 2", clock=clock)
    await see_each_other(a, b)
    await online(a)
    await sleep_kept_by(a, b)
    assert a.lan is not None
    assert b.sleep_proxy is not None
    (kept,) = b.sleep_proxy.kept
    await a.lan.endpoint.stop()
    idle = clock.sleepers
    started = clock.monotonic()

    notice = spawn_wait(b, EventKind.NOTICE)
    await submit(server, ALICE, "Nobody home", device_id=a.device_id)
    for attempt in range(1, 23):  # at 0, 2, ..., 42 s; the 23rd, at 44 s, is the last
        await until(
            lambda n=attempt: kept.wake_attempts == n and clock.sleepers == idle + 1,
            what=f"failed attempt {attempt}",
        )
        await settle(a, b)
        clock.advance(2.0)
    assert (await notice).fields["text"] == "MFP 1 did not wake up for its work."
    assert clock.monotonic() - started == 44.0
    assert kept.wake_attempts == 23
    assert b.sleep_proxy.kept == ()  # it stopped keeping a session it cannot deliver
    (failed,) = trace_lines(b, "proxy", "wake-failed")
    assert failed["attempts"] == 23
    assert a.power.state is PowerState.SLEEP


async def test_the_sleepers_session_never_lapses_over_a_simulated_day(server, lan_device):
    """24 hours in a few seconds: the server and both devices run on one ManualClock, and the
    test advances it one heartbeat interval at a time, waiting after each step until the
    server has the heartbeats of that instant (a real exchange over real sockets). Leases
    and the delegation's expiry are judged on that clock, so a missed renewal would show."""
    clock = ManualClock()
    server.store.clock = clock.time
    every = 300.0
    settings = PowerSettings(
        sleep_after_s=2 * DAY,  # the keeper stays awake; its own timers run all the same
        heartbeat_s=every,
        low_power_heartbeat_s=every,
        proxy_heartbeat_s=every,
    )
    a = await lan_device("MFP 1", settings, clock)
    b = await lan_device("MFP 2", settings, clock)
    await see_each_other(a, b)
    await online(a)
    await sleep_kept_by(a, b)
    delegation_id = server.sessions.info(a.device_id).delegation_id
    assert delegation_id is not None
    first_token = b.sleep_proxy.kept[0].token if b.sleep_proxy else ""

    def beat_at(now: float) -> bool:
        sessions = [server.store.device_session(d) for d in (a.device_id, b.device_id)]
        return all(s is not None and s.last_heartbeat == now for s in sessions)

    for step in range(int(DAY / every)):
        await settle(a, b)  # no exchange in flight sees 300 s pass
        clock.advance(every)
        now = clock.time()
        await until(lambda now=now: beat_at(now), what=f"the heartbeats at step {step}")
        info = server.sessions.info(a.device_id)
        assert (info.alive, info.mode, info.proxy_id) == (True, "proxied", b.device_id)

    for device in (a, b):
        assert server.sessions.info(device.device_id).lapses == 0
    record = server.store.delegation(delegation_id)
    assert record is not None
    assert record.revoked_at is None
    assert record.expires_at > clock.time() + server.sessions.delegation_ttl_s / 2
    assert b.sleep_proxy is not None
    assert b.sleep_proxy.kept[0].token != first_token  # renewed along the way
    assert a.power.state is PowerState.SLEEP

    a.power.touch()  # morning
    await until(lambda: server.sessions.info(a.device_id).mode == "active", what="taken back")
    await until(lambda: b.sleep_proxy is not None and b.sleep_proxy.kept == (), what="released")


@pytest.fixture
async def office(server: RunningServer) -> AsyncIterator[Network]:
    """A simulated network to the server whose toxics act on its own ManualClock (`.clock`)."""
    network = Network("Office LAN", ("127.0.0.1", server.port), clock=ManualClock())
    await network.start()
    yield network
    await network.stop()  # after the devices (set up after it) stopped


async def test_a_proxy_cut_off_from_the_server_backs_off_and_is_back_within_the_cap(
    server, office, lan_device
):
    """The proxy's channel to the server, lost for a minute of device time, is tried again
    with backoff (full jitter, at most 5 s apart, no busy loop); once the server is reachable
    again it reopens within that cap, and hears of the work that came for the sleeper
    meanwhile: the sleeper is woken for it."""
    clock = office.clock
    assert isinstance(clock, ManualClock)
    a = await lan_device("MFP 1")
    b = await lan_device("MFP 2", clock=clock, networks=(NetworkSettings(office.name, office.url),))
    await see_each_other(a, b)
    await online(a)
    await sleep_kept_by(a, b)
    await until(lambda: trace_lines(b, "proxy", "channel-open") != [], what="b's channel")

    await set_fault(office, Fault.DOWN)
    await run_for(clock, 60.0, b, faulted={office.name}, step=0.2)
    tries = len(trace_lines(b, "proxy", "channel-unreachable"))
    assert 12 <= tries <= 100, tries

    woke = spawn_wait(a, EventKind.POWER_CHANGED, lambda e: e.subject is PowerState.ACTIVE)
    done = spawn_wait(
        a, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.COMPLETED
    )
    job = await submit(server, ALICE, "Came while the proxy was cut off", device_id=a.device_id)
    await office.reset()
    took = await run_until(
        clock,
        lambda: len(trace_lines(b, "proxy", "channel-open")) == 2,
        b,
        within_s=30,
        what="the channel open again",
    )
    assert took <= 5.0 + 0.1  # the backoff's cap (and a step of the test's clock)
    assert (await woke).fields["cause"] == "lan"
    assert (await done).subject.job_id == job.job_id
