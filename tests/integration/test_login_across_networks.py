"""A panel login is a device session, not a socket (issue 11, finding 1), over real sockets: a
real server behind two simulated networks ("Wired LAN" preferred, "LTE"), a real device core on
a ManualClock the tests step (support.networks).

A user logged in when Wired LAN fails (refused, reset, blackhole) is still logged in on the
server once the device is back over LTE, so a job submitted for them reaches the panel. A
device away longer than the grace period loses the login, and the panel says why when it comes
back; a logout still ends the login at once.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from support import ALICE, ALICE_PIN, device_config, submit, wait_event
from support.networks import (
    LTE,
    POLICY,
    WIRED,
    Nets,
    cut_all_networks,
    is_completed,
    is_online_over,
    online_over,
    run_until,
    traced,
)

from panel.device import Device, EventKind, LoginOutcome
from panel.device.clock import ManualClock
from panel.server.api import trace_key
from panel.server.app import RunningServer
from panel.server.store import LOGIN_GRACE_S
from panel.sim.faults import Fault, set_fault


@pytest.fixture
async def device(
    server: RunningServer, nets: Nets, clock: ManualClock, tmp_path: Path
) -> AsyncIterator[Device]:
    """A device on `clock` with both networks, online over Wired LAN, Alice logged in."""
    config = replace(
        device_config(server, tmp_path / "device"), networks=nets.settings(), failover=POLICY
    )
    device = Device(config, clock=clock)
    await device.start()
    try:
        await run_until(clock, lambda: is_online_over(device, WIRED), device)
        login = asyncio.ensure_future(device.login(ALICE, ALICE_PIN))
        await run_until(clock, login.done, device, what="the login")
        assert login.result().outcome is LoginOutcome.ACCEPTED
        assert server.store.device_of_user(ALICE) == device.device_id
        yield device
    finally:
        await device.stop()


def server_traced(server: RunningServer, concern: str, event: str) -> list[dict[str, Any]]:
    """The server's trace lines of `concern`/`event`, oldest first."""
    trace = server.app[trace_key]
    trace.flush()
    assert trace.path is not None
    lines = [json.loads(line) for line in trace.path.read_text().splitlines()]
    return [t for t in lines if t["concern"] == concern and t["event"] == event]


SWITCHES = {
    "refused": Fault.DOWN,
    "reset": Fault.RESET,
    "blackhole": Fault.BLACKHOLE,
}


@pytest.mark.parametrize("fault", list(SWITCHES))
async def test_a_job_submitted_after_a_network_switch_reaches_the_user_still_logged_in(
    device, server, nets, clock, fault
):
    await set_fault(nets.wired, SWITCHES[fault])
    # The push connection over Wired LAN ends (cut, reset, or found dead by the heartbeat) and
    # comes back over LTE.
    await run_until(
        clock,
        lambda: is_online_over(device, LTE) and traced(device, "push", "welcome")[1:] != [],
        device,
        faulted={WIRED},
        within_s=10,
        what="online again over LTE",
    )
    assert device.user is not None
    assert device.user.user_id == ALICE
    # ...and the server agrees: the login went away with the socket and came back with the hello.
    assert server.store.device_of_user(ALICE) == device.device_id
    assert [t["user_id"] for t in server_traced(server, "auth", "resumed")] == [ALICE]
    assert server_traced(server, "auth", "ended") == []

    job = await submit(server, ALICE, "after the switch")  # for Alice, wherever she is
    assert (job.state, job.device_id) == ("notified", device.device_id)
    await run_until(
        clock,
        lambda: is_completed(device, job.job_id),
        device,
        faulted={WIRED},
        within_s=10,
        what="the job printed",
    )
    printed = device.jobs.get(job.job_id)
    assert printed is not None
    assert printed.user_id == ALICE
    exchanges = traced(device, "connection", "exchange")
    (fetch,) = [e for e in exchanges if e["path"].endswith(job.job_id)]
    assert fetch["network"] == LTE


async def test_the_login_ends_after_the_grace_period_away_and_the_panel_says_why(
    device, server, nets, clock
):
    await cut_all_networks(nets, clock, device)
    # Within the grace period the login is kept: a job for Alice waits for her device.
    kept = await submit(server, ALICE, "while away")
    assert kept.device_id == device.device_id
    # The grace period (server time) runs out with the device still unreachable.
    server.store.clock = lambda: time.time() + LOGIN_GRACE_S + 1
    assert server.store.device_of_user(ALICE) is None
    held = await submit(server, ALICE, "after the grace period")
    assert (held.state, held.device_id) == ("held", None)
    assert device.user is not None  # the panel cannot know yet

    ended = wait_event(device, EventKind.SESSION_CHANGED, lambda e: e.subject is None)
    await nets.lte.set_enabled(True)
    await run_until(
        clock,
        lambda: device.user is None,
        device,
        faulted={WIRED},
        within_s=10,
        what="the panel learns the login ended",
    )
    event = await ended
    assert event.fields["reason"] == (
        "You were logged out: the device was offline for more than 2 minutes."
    )
    (end,) = server_traced(server, "auth", "ended")
    assert (end["user_id"], end["reason"]) == (ALICE, "offline")
    # Nobody is logged in: nothing more goes to this device for Alice.
    assert server.store.device_of_user(ALICE) is None


async def test_a_logout_still_ends_the_login_at_once(device, server, clock):
    device.logout()
    await run_until(
        clock,
        lambda: server.store.device_of_user(ALICE) is None,
        device,
        within_s=5,
        what="the server hears of the logout",
    )
    job = await submit(server, ALICE, "after the logout")
    assert (job.state, job.device_id) == ("held", None)
    (end,) = server_traced(server, "auth", "logout")
    assert end["user_id"] == ALICE


async def test_logging_in_at_another_device_ends_the_login_at_the_first_and_its_panel_says_why(
    server, make_device
):
    first = await make_device("MFP first floor")
    second = await make_device("MFP second floor")
    await online_over(first)
    await online_over(second)
    assert (await first.login(ALICE, ALICE_PIN)).outcome is LoginOutcome.ACCEPTED
    ended = wait_event(first, EventKind.SESSION_CHANGED, lambda e: e.subject is None)
    assert (await second.login(ALICE, ALICE_PIN)).outcome is LoginOutcome.ACCEPTED
    event = await ended
    assert event.fields["reason"] == "You were logged out: you logged in at another device."
    assert first.user is None
    assert server.store.device_of_user(ALICE) == second.device_id
