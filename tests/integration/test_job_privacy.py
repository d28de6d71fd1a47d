"""Job privacy over real sockets (issue 11): a device acting for the user logged in at its panel
may act only on that user's jobs (an administrator on all), and the server checks it against
its own record of who is logged in at that device, whatever the device claims."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from support import (
    ALICE,
    ALICE_PIN,
    device_config,
    running_server,
    submit,
    until,
    wait_event,
)
from support.networks import online_over

from panel.device import ConnectionState, Device, EventKind, JobState
from panel.device.clock import ManualClock
from panel.device.model import JobRefused
from panel.server.api import API, trace_key
from panel.server.app import RunningServer
from panel.server.demo_data import DEMO_USERS

CHEN, CHEN_PIN = DEMO_USERS[2][0], DEMO_USERS[2][2]
ADMIN, ADMIN_PIN = DEMO_USERS[3][0], DEMO_USERS[3][2]


@dataclass
class AtPanel:
    """A real device printing Alice's long job, Chen logged in at its panel."""

    server: RunningServer
    device: Device
    job_id: str
    http: aiohttp.ClientSession

    def server_state(self) -> str:
        job = self.server.store.job(self.job_id)
        assert job is not None
        return job.state

    def device_state(self) -> JobState:
        job = self.device.jobs.get(self.job_id)
        assert job is not None
        return job.state

    async def switch_user(self, user_id: str, pin: str) -> None:
        """Chen logs out (the server has heard it), then `user_id` logs in."""
        self.device.logout()
        await until(lambda: self.server.store.device_of_user(CHEN) is None, what="logout")
        assert (await self.device.login(user_id, pin)).ok

    def refusals(self) -> list[dict[str, object]]:
        """The job actions the server refused, from its trace."""
        path = self.server.app[trace_key].path
        assert path is not None
        lines = [json.loads(line) for line in path.read_text().splitlines()]
        return [line for line in lines if line["event"] == "action-refused"]

    async def post(self, path: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
        """A request as the device itself sends one (its own credentials)."""
        auth = {"Authorization": f"Bearer {self.device.device_id}.{self.device.config.secret}"}
        url = f"{self.server.url}{API}{path}"
        async with self.http.post(url, data=json.dumps(body), headers=auth) as response:
            return response.status, await response.json()


@pytest.fixture
async def at_panel(server: RunningServer, tmp_path: Path) -> AsyncIterator[AtPanel]:
    # On a clock that does not move, the job stays on its first page.
    device = Device(device_config(server, tmp_path / "device"), clock=ManualClock())
    await device.start()
    try:
        await online_over(device)
        printing = wait_event(
            device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.PRINTING
        )
        job = await submit(server, ALICE, "Alice's payslip", pages=50, device_id=device.device_id)
        await printing
        await until(lambda: getattr(server.store.job(job.job_id), "state", "") == "printing")
        assert (await device.login(CHEN, CHEN_PIN)).ok
        async with aiohttp.ClientSession() as http:
            yield AtPanel(server, device, job.job_id, http)
    finally:
        await device.stop()


async def test_the_core_refuses_to_cancel_another_users_job(at_panel: AtPanel) -> None:
    with pytest.raises(JobRefused, match="belongs to another user"):
        at_panel.device.cancel_job(at_panel.job_id)
    with pytest.raises(JobRefused):
        at_panel.device.cancel_current_job()  # the Stop key
    assert at_panel.device_state() is JobState.PRINTING
    assert at_panel.server_state() == "printing"


async def test_the_server_refuses_a_cancel_for_a_user_on_another_users_job(
    at_panel: AtPanel,
) -> None:
    status, body = await at_panel.post(
        f"/jobs/{at_panel.job_id}/status", {"state": "cancelled", "acting_user": CHEN}
    )
    assert (status, body["error"]) == (403, "not_your_job")
    assert "another user" in str(body["message"])
    assert at_panel.server_state() == "printing"
    await until(lambda: len(at_panel.refusals()) == 1, what="the refusal traced")
    assert at_panel.refusals()[0]["user_id"] == CHEN


async def test_the_server_refuses_a_cancel_for_a_user_not_logged_in_there(
    at_panel: AtPanel,
) -> None:
    """The device claims Alice, the job's owner, is at its panel: the server knows it is Chen."""
    status, body = await at_panel.post(
        f"/jobs/{at_panel.job_id}/status", {"state": "cancelled", "acting_user": ALICE}
    )
    assert (status, body["error"]) == (403, "not_logged_in_here")
    assert at_panel.server_state() == "printing"


async def test_the_server_refuses_to_release_another_users_held_job(at_panel: AtPanel) -> None:
    held = await submit(at_panel.server, ALICE, "Alice's held contract")
    assert held.state == "held"
    status, body = await at_panel.post("/jobs/release", {"user_id": CHEN, "job_ids": [held.job_id]})
    assert (status, body["error"]) == (409, "not_held")  # not held for Chen: never released
    status, body = await at_panel.post("/jobs/release", {"user_id": ALICE, "job_ids": []})
    assert (status, body["error"]) == (403, "not_logged_in_here")
    assert at_panel.server.store.jobs(user_id=ALICE, state="held") == [held]


async def test_an_administrator_at_the_panel_cancels_anyones_job(at_panel: AtPanel) -> None:
    await at_panel.switch_user(ADMIN, ADMIN_PIN)
    assert at_panel.device.cancel_job(at_panel.job_id)
    assert at_panel.device_state() is JobState.CANCELLED
    # The device's report names the administrator, and the server takes it in their name.
    await until(lambda: at_panel.server_state() == "cancelled", what="cancelled")
    assert at_panel.refusals() == []


async def test_the_owner_at_the_panel_cancels_her_job(at_panel: AtPanel) -> None:
    await at_panel.switch_user(ALICE, ALICE_PIN)
    assert at_panel.device.cancel_job(at_panel.job_id)
    await until(lambda: at_panel.server_state() == "cancelled", what="cancelled")
    assert at_panel.refusals() == []


async def test_the_core_refuses_to_cancel_another_users_fax(at_panel: AtPanel) -> None:
    """Outgoing jobs too: Chen's fax is his; Alice, at the panel next, cannot cancel it."""
    fax = await at_panel.device.send_fax("+44 20 7946 0000", 1)
    assert fax.user_id == CHEN
    at_panel.device.logout()
    await until(lambda: at_panel.server.store.device_of_user(CHEN) is None, what="logout")
    assert (await at_panel.device.login(ALICE, ALICE_PIN)).ok
    with pytest.raises(JobRefused, match="belongs to another user"):
        at_panel.device.cancel_job(fax.job_id)


@pytest.mark.parametrize(
    ("acting_user", "status", "code"),
    [("424242", 403, "not_logged_in_here"), ("9" * 65, 400, "bad_user")],
)
async def test_the_server_refuses_a_cancel_for_someone_it_does_not_know(
    at_panel: AtPanel, acting_user: str, status: int, code: str
) -> None:
    answer = await at_panel.post(
        f"/jobs/{at_panel.job_id}/status", {"state": "cancelled", "acting_user": acting_user}
    )
    assert (answer[0], answer[1]["error"]) == (status, code)
    assert acting_user not in str(answer[1]["message"])  # an unknown ID is not echoed
    assert at_panel.server_state() == "printing"


async def test_an_administrator_logged_in_offline_still_manages_every_job(tmp_path: Path) -> None:
    """The role comes from the server at an online login and is cached with the credential:
    offline, the administrator is still one."""
    server = await running_server(tmp_path)
    up = True
    device = Device(device_config(server, tmp_path / "device", ppm=1.0))  # a page a minute
    await device.start()
    try:
        await online_over(device)
        printing = wait_event(
            device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.PRINTING
        )
        job = await submit(
            server, ALICE, "Alice's long report", pages=5, device_id=device.device_id
        )
        await printing
        assert (await device.login(ADMIN, ADMIN_PIN)).ok
        device.logout()
        await until(lambda: device.store.credential(ADMIN) is not None, what="credential cached")
        await server.stop()
        up = False
        if device.connection_state is ConnectionState.ONLINE:
            await wait_event(
                device,
                EventKind.CONNECTION_CHANGED,
                lambda e: e.subject is not ConnectionState.ONLINE,
            )
        result = await device.login(ADMIN, ADMIN_PIN)
        assert result.ok
        assert result.offline
        assert result.user is not None
        assert result.user.is_admin
        assert device.cancel_job(job.job_id)
        cancelled = device.jobs.get(job.job_id)
        assert cancelled is not None
        assert cancelled.state is JobState.CANCELLED
    finally:
        await device.stop()
        if up:
            await server.stop()
