"""The connection manager's parts that need no server: the staggered race (RFC 8305), the
hysteresis that keeps a toggling network from being used again too soon, and settings that
cannot work refused with a clear message. The race runs on a ManualClock the tests step. The
full behaviour over real sockets is in tests/integration/test_failover.py."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest
from support import until

from panel.device import Device, DeviceConfig
from panel.device.clock import ManualClock
from panel.device.networks import (
    DEFAULT_NETWORK,
    AllFailed,
    FailoverPolicy,
    NetworkSettings,
    NetworkState,
    NetworkStatus,
    Route,
    ServerUnreachable,
    staggered_race,
)
from panel.protocol.messages import Health

STAGGER = 0.1


class Lab:
    """Attempts that answer when told to, recording when each started (device time)."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.clock = ManualClock()
        self.started: dict[str, float] = {}
        self.answers: dict[str, asyncio.Future[str]] = {}
        self.cancelled: set[str] = set()

    def answer(self, name: str) -> asyncio.Future[str]:
        return self.answers.setdefault(name, self.loop.create_future())

    def race(
        self, head_start: float, fatal: type[BaseException] | None = None
    ) -> asyncio.Task[tuple[str, str]]:
        """Wired LAN, then LTE, each with `head_start`: a task the test steps the clock for."""
        return asyncio.ensure_future(
            staggered_race(
                ["wired", "lte"],
                self.attempt,
                lambda _: head_start,
                self.clock,
                lambda exc: fatal is not None and isinstance(exc, fatal),
            )
        )

    async def attempt(self, name: str) -> str:
        self.started[name] = self.clock.monotonic()
        try:
            return await self.answer(name)
        except asyncio.CancelledError:
            self.cancelled.add(name)
            raise


async def test_the_first_attempt_that_answers_wins_and_the_others_are_cancelled():
    lab = Lab()
    lab.answer("lte").set_result("lte ok")
    race = lab.race(STAGGER)
    await lab.clock.run_for(STAGGER * 0.99)
    assert set(lab.started) == {"wired"}  # the silent first network has its head start
    await lab.clock.run_for(STAGGER * 0.01)
    assert await race == ("lte", "lte ok")
    assert lab.started["lte"] == pytest.approx(STAGGER)
    assert lab.cancelled == {"wired"}


async def test_a_failure_starts_the_next_attempt_at_once():
    lab = Lab()
    lab.answer("wired").set_exception(ConnectionRefusedError("refused"))
    lab.answer("lte").set_result("ok")
    winner, _ = await lab.race(10.0)
    assert winner == "lte"
    assert lab.started["lte"] == 0.0  # not after the ten-second head start


async def test_a_preferred_network_answering_within_its_head_start_is_the_only_one_tried():
    lab = Lab()
    lab.answer("wired").set_result("ok")
    assert await lab.race(STAGGER) == ("wired", "ok")
    assert set(lab.started) == {"wired"}
    assert lab.clock.pending == 0  # no stagger timer left behind


async def test_when_every_attempt_fails_the_failures_are_reported_in_order():
    lab = Lab()
    lab.answer("wired").set_exception(ConnectionRefusedError("wired refused"))
    lab.answer("lte").set_exception(ConnectionResetError("lte reset"))
    with pytest.raises(AllFailed) as caught:
        await lab.race(STAGGER)
    assert [(c, type(e)) for c, e in caught.value.failures] == [
        ("wired", ConnectionRefusedError),
        ("lte", ConnectionResetError),
    ]
    assert "wired refused" in str(caught.value)


async def test_a_fatal_answer_ends_the_race_and_cancels_the_rest():
    lab = Lab()
    lab.answer("lte").set_exception(PermissionError("credentials refused"))
    race = lab.race(STAGGER, fatal=PermissionError)
    await lab.clock.run_for(STAGGER)
    with pytest.raises(PermissionError):
        await race
    assert lab.cancelled == {"wired"}


def route() -> Route:
    settings = NetworkSettings("Wired LAN", "http://127.0.0.1:1")
    return Route(settings, 0, "Bearer x", 5.0, ManualClock())


def test_going_back_needs_enough_good_probes_over_the_hold():
    policy = FailoverPolicy(recover_probes=3, recover_hold_s=10.0, flap_window_s=60.0)
    r = route()
    r.failed("refused", now=0.0)
    r.probed(2.0, now=1.0)
    r.probed(2.0, now=2.0)
    r.probed(2.0, now=3.0)
    assert r.state is NetworkState.RECOVERING
    assert not r.ready_to_return(policy, now=10.9)  # three probes, but not 10 s of them yet
    assert r.ready_to_return(policy, now=11.0)
    r.failed("refused", now=11.5)  # one failure starts the hold again
    r.probed(2.0, now=12.0)
    assert not r.ready_to_return(policy, now=100.0)  # one good probe is not enough


def test_every_recent_failure_doubles_the_hold_up_to_eight_times():
    policy = FailoverPolicy(recover_hold_s=1.0, flap_window_s=60.0)
    r = route()
    holds = []
    for n in range(6):
        r.failed("refused", now=float(n))
        r.probed(1.0, now=n + 0.5)  # up again for a moment: the next failure is a flap
        holds.append(r.hold_s(policy, now=n + 0.5))
    assert holds == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert r.hold_s(policy, now=200.0) == 1.0  # the failures left the window


def test_network_settings_that_cannot_work_are_refused():
    with pytest.raises(ValueError, match="network name is 1 to 100"):
        NetworkSettings(" ", "http://127.0.0.1:1")
    with pytest.raises(ValueError, match="server URL must be http"):
        NetworkSettings("LTE", "127.0.0.1:8631")
    with pytest.raises(ValueError, match="latency_budget_s must be > 0"):
        NetworkSettings("LTE", "http://127.0.0.1:1", latency_budget_s=0)
    with pytest.raises(ValueError, match="recover_probes must be >= 1"):
        FailoverPolicy(recover_probes=0)


def test_a_device_needs_distinct_network_names(tmp_path: Path):
    same = NetworkSettings("LTE", "http://127.0.0.1:1")
    with pytest.raises(ValueError, match="network names must differ"):
        DeviceConfig("MFP", "http://127.0.0.1:1", tmp_path, networks=(same, same))


async def test_a_server_url_alone_is_one_network(tmp_path: Path):
    device = Device(DeviceConfig("MFP", "http://127.0.0.1:8631", tmp_path, "dev-1", "s"))
    try:
        assert device.networks == [NetworkStatus(DEFAULT_NETWORK, NetworkState.UNKNOWN, False)]
        assert device.link.base_url == "http://127.0.0.1:8631"
    finally:
        await device.stop()


class Silent:
    """A local TCP server that takes requests and never answers (a network that went quiet)."""

    def __init__(self) -> None:
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> str:
        async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.writers.append(writer)

        self.server = await asyncio.start_server(hold, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def __aexit__(self, *_: object) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()
        for writer in self.writers:
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
        await self.server.wait_closed()


async def test_a_reply_later_than_its_budget_fails_in_device_time():
    """The budget is device time: on a ManualClock nothing fails until the test moves it, and
    then exactly at the budget (30 s here, which real time would not reach within the test),
    with the request counted as sent (it may have run)."""
    clock = ManualClock()
    async with Silent() as url:
        route = Route(NetworkSettings("LTE", url, 1.0, 30.0), 1, "Bearer x", 60.0, clock)
        try:
            request = asyncio.ensure_future(route.request("GET", "/health", Health, None, 30.0))
            await until(lambda: route.awaiting == 1, what="the request sent")
            await clock.run_for(29.9)
            assert not request.done()
            await clock.run_for(0.1)
            with pytest.raises(ServerUnreachable) as caught:
                await asyncio.wait_for(request, 10)  # at once; real time would take 30 s
            assert (caught.value.kind, caught.value.sent) == ("too-slow", True)
            assert (route.sending, route.awaiting) == (0, 0)
            assert clock.pending == 0
        finally:
            await route.close()
