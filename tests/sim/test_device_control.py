"""The device's control HTTP API over a real loopback socket: every endpoint drives the print
engine as the QA dock does, bad input is a 400 that says what to change, web pages are refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.engine_rig import Rig, a_job, counting, rig

from panel.device.engine.status import A3
from panel.sim.control import RunningControl
from panel.sim.device_control import start_device_control


@pytest.fixture
def engine_rig() -> Rig:
    return rig()


@pytest.fixture
async def control(engine_rig: Rig) -> AsyncIterator[RunningControl]:
    running = await start_device_control(engine_rig.engine, engine_rig.trace)
    yield running
    await running.stop()


class Api:
    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base

    async def call(
        self, method: str, path: str, body: Any = None, raw: bytes | None = None, **kw: Any
    ) -> tuple[int, Any]:
        json_body = body if raw is None and body is not None else None
        async with self.session.request(
            method, self.base + path, json=json_body, data=raw, **kw
        ) as reply:
            return reply.status, await reply.json()


@pytest.fixture
async def api(control: RunningControl) -> AsyncIterator[Api]:
    async with aiohttp.ClientSession() as session:
        yield Api(session, control.url)


async def test_it_listens_on_loopback_and_traces_its_address(
    control: RunningControl, engine_rig: Rig
) -> None:
    assert control.url.startswith("http://127.0.0.1:")
    assert engine_rig.trace.of("engine", "control-api") == [{"url": control.url}]
    with pytest.raises(ValueError, match="loopback only"):
        await start_device_control(engine_rig.engine, engine_rig.trace, "0.0.0.0", 0)


async def test_get_engine_shows_the_status(api: Api) -> None:
    status, body = await api.call("GET", "/engine")
    assert status == 200
    assert body["state"] == "idle"
    assert body["state_reasons"] == ["none"]
    assert [t["tray_id"] for t in body["trays"]] == ["tray-1", "tray-2", "bypass"]
    assert [t["colour"] for t in body["toner"]] == ["black", "cyan", "magenta", "yellow"]
    assert body["counters"] == {
        "total": 0, "colour": 0, "mono": 0, "duplex": 0, "sheets": 0, "per_user": {}
    }  # fmt: skip
    assert body["prompt"] is None


async def test_jam_and_clear(api: Api, engine_rig: Rig) -> None:
    status, body = await api.call("POST", "/engine/jam", {"location": "fuser"})
    assert status == 200
    assert body["state"] == "stopped"
    assert body["error_codes"] == ["J-0501"]
    reason = body["reasons"][0]
    assert (reason["ipp"], reason["icon"], reason["location"]) == (
        "media-jam-error",
        "jam-fuser",
        "fuser",
    )
    assert reason["steps"]
    status, body = await api.call("POST", "/engine/clear", {"code": "J-0101"})
    assert (status, body["error_codes"]) == (200, ["J-0501"])  # another jam: still there
    status, body = await api.call("POST", "/engine/clear")
    assert (status, body["state"]) == (200, "idle")
    faults = engine_rig.trace.of("engine", "fault")
    assert [(f["keyword"], f["severity"], f["code"]) for f in faults] == [
        ("media-jam", "error", "J-0501")
    ]


async def test_a_jam_during_a_job_stops_it_until_cleared_over_http(
    api: Api, engine_rig: Rig
) -> None:
    job = a_job(3)
    task = asyncio.create_task(engine_rig.engine.print_job(job, counting(job)))
    await engine_rig.clock.run_for(1.5)
    status, body = await api.call("POST", "/engine/jam", {})
    assert (status, body["state"], body["error_codes"]) == (200, "stopped", ["J-0101"])
    await engine_rig.clock.run_for(10)
    assert engine_rig.pages() == [1]
    status, body = await api.call("POST", "/engine/clear", {})
    assert body["state"] == "processing"
    await engine_rig.clock.run_for(2)
    await task
    assert engine_rig.pages() == [1, 2, 3]


async def test_cover_toner_tray_and_ppm(api: Api) -> None:
    status, body = await api.call("POST", "/engine/cover", {"open": True, "cover": "side-door"})
    assert (status, body["state_reasons"]) == (200, ["door-open-error"])
    status, body = await api.call("POST", "/engine/cover", {"open": False, "cover": "side-door"})
    assert body["state_reasons"] == ["none"]
    status, body = await api.call("POST", "/engine/cover", {"open": True})
    assert body["error_codes"] == ["C-0101"]  # the front cover by default
    await api.call("POST", "/engine/cover", {"open": False})

    status, body = await api.call("POST", "/engine/toner", {"colour": "cyan", "pct": 8})
    assert status == 200
    assert body["state_reasons"] == ["toner-low-warning"]
    assert {t["colour"]: t["level_pct"] for t in body["toner"]}["cyan"] == 8

    status, body = await api.call(
        "POST", "/engine/tray", {"tray_id": "tray-2", "level": 0, "media": A3}
    )
    tray2 = next(t for t in body["trays"] if t["tray_id"] == "tray-2")
    assert (tray2["level"], tray2["media_label"]) == (0, "A3")
    assert "media-empty-warning" in body["state_reasons"]

    status, body = await api.call("POST", "/engine/ppm", {"simplex": 45, "duplex": 30.5})
    assert (status, body["ppm_simplex"], body["ppm_duplex"]) == (200, 45.0, 30.5)


async def test_answer_a_prompt(api: Api, engine_rig: Rig) -> None:
    engine_rig.engine.set_toner("yellow", 0)
    job = a_job(2)
    from panel.device.engine import PrintOptions

    task = asyncio.create_task(
        engine_rig.engine.print_job(job, counting(job), PrintOptions(colour=True))
    )
    await engine_rig.clock.run_for(3)
    status, body = await api.call("GET", "/engine")
    assert body["prompt"]["kind"] == "toner-empty"
    assert [c["id"] for c in body["prompt"]["choices"]] == ["mono", "cancel"]
    status, body = await api.call("POST", "/engine/answer", {"choice": "tray:tray-9"})
    assert status == 400
    assert "not a choice" in body["error"]
    status, body = await api.call("POST", "/engine/answer", {"choice": "mono"})
    assert status == 200
    await engine_rig.clock.run_for(2)
    await task
    assert engine_rig.pages() == [1, 2]


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/engine/jam", {"location": "roof"}, "no media-jam at 'roof'"),
        ("/engine/jam", {"location": 7}, "location must be a name"),
        ("/engine/jam", {"where": "fuser"}, "unknown field(s): where"),
        ("/engine/cover", {}, "open must be true or false"),
        ("/engine/cover", {"open": "yes"}, "open must be true or false"),
        ("/engine/cover", {"open": True, "cover": "roof"}, "unknown cover 'roof'"),
        ("/engine/toner", {"colour": "black"}, "pct must be a whole number from 0 to 100"),
        ("/engine/toner", {"colour": "black", "pct": 101}, "from 0 to 100"),
        ("/engine/toner", {"colour": "black", "pct": True}, "from 0 to 100"),
        ("/engine/toner", {"colour": "green", "pct": 50}, "no green toner"),
        ("/engine/toner", {"pct": 50}, "colour must be a name (text), and is required"),
        ("/engine/tray", {"tray_id": "tray-9", "level": 5}, "no tray 'tray-9'"),
        ("/engine/tray", {"tray_id": "bypass", "level": 500}, "Bypass holds 0 to 100 sheets"),
        ("/engine/tray", {"tray_id": "tray-1", "level": -1}, "level must be a whole number"),
        ("/engine/tray", {"tray_id": "tray-1", "level": 1, "media": ""}, "media must be a name"),
        ("/engine/tray", {"tray_id": "tray-1", "level": 1, "media": "A5"}, "PWG media name"),
        ("/engine/ppm", {"simplex": 0}, "simplex must be more than 0"),
        ("/engine/ppm", {"simplex": "fast"}, "simplex must be a number"),
        ("/engine/ppm", {"simplex": 30, "duplex": -1}, "duplex must be more than 0"),
        ("/engine/ppm", {"simplex": 1e9}, "at most 100000"),
        ("/engine/answer", {"choice": "mono"}, "not a choice the engine is waiting on"),
        ("/engine/clear", {"code": 5}, "code must be a name"),
    ],
)
async def test_bad_input_is_a_400_that_says_what_to_change(
    api: Api, path: str, body: dict[str, Any], message: str
) -> None:
    status, reply = await api.call("POST", path, body)
    assert status == 400
    assert reply["status"] == 400
    assert message in reply["error"]


async def test_a_body_that_is_not_a_json_object_is_a_400(api: Api) -> None:
    status, reply = await api.call("POST", "/engine/jam", raw=b"{not json")
    assert (status, "not JSON" in reply["error"]) == (400, True)
    status, reply = await api.call("POST", "/engine/jam", raw=b"[1, 2]")
    assert (status, reply["error"]) == (400, "bad request body: a JSON object is expected")


async def test_web_pages_and_foreign_hosts_are_refused(api: Api, engine_rig: Rig) -> None:
    status, reply = await api.call(
        "POST", "/engine/jam", {}, headers={"Origin": "https://evil.example"}
    )
    assert status == 403
    assert "Origin" in reply["error"]
    status, reply = await api.call("GET", "/engine", headers={"Host": "evil.example"})
    assert status == 403
    assert "not a loopback address" in reply["error"]
    assert engine_rig.engine.status().reasons == ()  # nothing was done


async def test_unknown_paths_and_methods(api: Api) -> None:
    status, reply = await api.call("GET", "/engine/jam")
    assert status == 405
    assert reply["status"] == 405
    status, reply = await api.call("POST", "/engine/explode", {})
    assert status == 404


ENDPOINTS = ("jam", "clear", "cover", "toner", "tray", "ppm", "answer")
FIELDS = ("location", "code", "open", "cover", "colour", "pct", "tray_id", "level", "media")
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
bodies = st.dictionaries(
    st.sampled_from((*FIELDS, "simplex", "duplex", "choice")) | st.text(max_size=8),
    json_values | st.sampled_from(("tray-1", "fuser", "black", "front-cover", "mono")),
    max_size=4,
)


async def _answers(requests: list[tuple[str, Any]]) -> list[tuple[int, Any]]:
    engine_rig = rig()
    running = await start_device_control(engine_rig.engine, engine_rig.trace)
    try:
        async with aiohttp.ClientSession() as session:
            api = Api(session, running.url)
            return [await api.call("POST", f"/engine/{path}", body) for path, body in requests]
    finally:
        await running.stop()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests=st.lists(st.tuples(st.sampled_from(ENDPOINTS), bodies), min_size=1, max_size=6))
def test_no_body_makes_it_fail_it_answers_200_or_a_400_that_says_why(
    requests: list[tuple[str, Any]],
) -> None:
    for status, reply in asyncio.run(_answers(requests)):
        assert status in (200, 400), reply
        if status == 400:
            assert reply["status"] == 400
            assert isinstance(reply["error"], str)
            assert reply["error"]
        else:
            assert reply["state"] in ("idle", "stopped")
