"""The Toxiproxy-shaped HTTP control API, end to end: aiohttp client -> API -> real traffic."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from support.sim import EchoServer, connected, read_all, read_exactly
from yarl import URL

from panel.sim import NetworkSet
from panel.sim.control import RunningControl, start_control


@pytest.fixture
async def networks() -> AsyncIterator[NetworkSet]:
    network_set = NetworkSet()
    yield network_set
    await network_set.stop()


@pytest.fixture
async def control(networks: NetworkSet) -> AsyncIterator[RunningControl]:
    running = await start_control(networks, "127.0.0.1", 0)
    yield running
    await running.stop()


@pytest.fixture
async def api(control: RunningControl) -> AsyncIterator[Api]:
    async with aiohttp.ClientSession() as session:
        yield Api(session, URL(control.url))


class Api:
    """Calls the control API; paths are given as segments (yarl quotes "Wired LAN")."""

    def __init__(self, session: aiohttp.ClientSession, base: URL) -> None:
        self.session = session
        self.base = base

    async def call(
        self, method: str, *path: str, body: Any = None, raw: bytes | None = None, **kw: Any
    ) -> tuple[int, Any]:
        url = self.base.joinpath(*path)
        data = raw if raw is not None else None
        json_body = body if raw is None and body is not None else None
        async with self.session.request(method, url, json=json_body, data=data, **kw) as reply:
            payload = await reply.json() if reply.status != 204 else None
            return reply.status, payload


async def create_lan(api: Api, echo: EchoServer, name: str = "Wired LAN") -> dict[str, Any]:
    status, proxy = await api.call(
        "POST", "proxies", body={"name": name, "upstream": f"127.0.0.1:{echo.port}"}
    )
    assert status == 201, proxy
    assert isinstance(proxy, dict)
    return proxy


def port_of(proxy: dict[str, Any]) -> int:
    return int(proxy["listen"].rsplit(":", 1)[1])


async def test_a_proxy_created_over_the_api_carries_traffic(
    api: Api, echo: EchoServer, networks: NetworkSet
) -> None:
    proxy = await create_lan(api, echo)
    assert proxy["name"] == "Wired LAN"
    assert proxy["upstream"] == f"127.0.0.1:{echo.port}"
    assert proxy["enabled"] is True
    assert proxy["toxics"] == []
    assert port_of(proxy) != 0
    assert "Wired LAN" in networks
    async with connected(port_of(proxy)) as (reader, writer):
        writer.write(b"via api")
        assert await read_exactly(reader, 7) == b"via api"
    status, listed = await api.call("GET", "proxies")
    assert status == 200
    assert list(listed) == ["Wired LAN"]
    assert listed["Wired LAN"]["stats"]["bytes_up"] == 7
    status, shown = await api.call("GET", "proxies", "Wired LAN")  # sent as Wired%20LAN
    assert (status, shown["listen"]) == (200, proxy["listen"])


async def test_disabling_over_the_api_refuses_connections_and_reset_restores(
    api: Api, echo: EchoServer
) -> None:
    proxy = await create_lan(api, echo)
    status, updated = await api.call("POST", "proxies", "Wired LAN", body={"enabled": False})
    assert (status, updated["enabled"]) == (200, False)
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", port_of(proxy))
    status, _ = await api.call("POST", "reset")
    assert status == 204
    async with connected(port_of(proxy)) as (reader, writer):
        writer.write(b"up")
        assert await read_exactly(reader, 2) == b"up"


async def test_a_toxiproxy_client_sending_the_whole_proxy_back_is_understood(
    api: Api, echo: EchoServer
) -> None:
    proxy = await create_lan(api, echo)
    proxy["enabled"] = False
    status, updated = await api.call("PATCH", "proxies", "Wired LAN", body=proxy)
    assert (status, updated["enabled"]) == (200, False)


async def test_toxics_are_added_shown_updated_and_removed(api: Api, echo: EchoServer) -> None:
    proxy = await create_lan(api, echo)
    status, toxic = await api.call(
        "POST",
        "proxies",
        "Wired LAN",
        "toxics",
        body={"type": "latency", "attributes": {"latency": 30_000, "jitter": 5}},
    )
    assert status == 200
    assert toxic == {
        "name": "latency_downstream",
        "type": "latency",
        "stream": "downstream",
        "toxicity": 1.0,
        "attributes": {"latency": 30_000, "jitter": 5},
    }
    async with connected(port_of(proxy)) as (reader, writer):
        writer.write(b"slow")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.read(10), 0.3)
        status, toxic = await api.call(
            "POST",
            "proxies",
            "Wired LAN",
            "toxics",
            "latency_downstream",
            body={"attributes": {"latency": 0}},
        )
        assert (status, toxic["attributes"]) == (200, {"latency": 0, "jitter": 5})
        assert await read_exactly(reader, 4) == b"slow"  # the change reached waiting data
    status, listed = await api.call("GET", "proxies", "Wired LAN", "toxics")
    assert (status, [t["name"] for t in listed]) == (200, ["latency_downstream"])
    status, shown = await api.call("GET", "proxies", "Wired LAN", "toxics", "latency_downstream")
    assert (status, shown) == (200, toxic)
    status, _ = await api.call("DELETE", "proxies", "Wired LAN", "toxics", "latency_downstream")
    assert status == 204
    status, listed = await api.call("GET", "proxies", "Wired LAN", "toxics")
    assert (status, listed) == (200, [])


async def test_a_blackhole_added_over_the_api_holds_the_device_connection(
    api: Api, echo: EchoServer
) -> None:
    proxy = await create_lan(api, echo)
    status, _ = await api.call(
        "POST",
        "proxies",
        "Wired LAN",
        "toxics",
        body={"name": "blackhole", "type": "timeout", "stream": "upstream"},
    )
    assert status == 200
    async with connected(port_of(proxy)) as (reader, writer):
        writer.write(b"anyone?")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.read(10), 0.3)
        assert echo.received == b""
        status, _ = await api.call("POST", "reset")
        assert status == 204
        assert await read_all(reader) == b""  # data was dropped: the link is closed


async def test_deleting_a_proxy_closes_its_port(
    api: Api, echo: EchoServer, networks: NetworkSet
) -> None:
    proxy = await create_lan(api, echo)
    status, _ = await api.call("DELETE", "proxies", "Wired LAN")
    assert status == 204
    assert len(networks) == 0
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", port_of(proxy))


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "message"),
    [
        ("GET", ("proxies", "LTE"), None, 404, "no network named 'LTE'"),
        ("POST", ("proxies", "LTE", "toxics"), {"type": "latency"}, 404, "no network"),
        ("GET", ("proxies", "Wired LAN", "toxics", "nope"), None, 404, "no toxic 'nope'"),
        ("DELETE", ("proxies", "Wired LAN", "toxics", "nope"), None, 404, "no toxic"),
        (
            "POST",
            ("proxies", "Wired LAN", "toxics"),
            {"type": "blackhole"},
            400,
            "unknown toxic type 'blackhole'",
        ),
        (
            "POST",
            ("proxies", "Wired LAN", "toxics"),
            {"type": "latency", "attributes": {"latency": "100ms"}},
            400,
            "'latency' must be a non-negative integer",
        ),
        (
            "POST",
            ("proxies", "Wired LAN", "toxics"),
            {"type": "bandwidth", "attributes": {"speed": 5}},
            400,
            "unknown attribute(s) for bandwidth: speed",
        ),
        ("POST", ("proxies",), {"name": "LTE"}, 400, "missing required field: upstream"),
        ("POST", ("proxies",), {"upstream": "127.0.0.1:1"}, 400, "missing required field: name"),
        (
            "POST",
            ("proxies",),
            {"name": "LTE", "upstream": "127.0.0.1"},
            400,
            "is not HOST:PORT",
        ),
        (
            "POST",
            ("proxies",),
            {"name": "LTE", "upstream": "127.0.0.1:1", "listen": "0.0.0.0:0"},
            400,
            "loopback only",
        ),
        (
            "POST",
            ("proxies",),
            {"name": "LTE", "upstream": "127.0.0.1:1", "colour": "red"},
            400,
            "unknown field(s): colour",
        ),
        ("POST", ("proxies", "Wired LAN"), {"enabled": "no"}, 400, "enabled must be true"),
        (
            "POST",
            ("proxies", "Wired LAN"),
            {"upstream": "127.0.0.1:1"},
            400,
            "upstream cannot be changed",
        ),
        ("POST", ("proxies",), [1, 2], 400, "a JSON object is expected"),
        ("GET", ("nothing", "here"), None, 404, "Not Found"),
        ("PUT", ("proxies",), None, 405, "Method Not Allowed"),
    ],
)
async def test_bad_requests_get_a_clear_json_error(
    api: Api,
    echo: EchoServer,
    method: str,
    path: tuple[str, ...],
    body: Any,
    status: int,
    message: str,
) -> None:
    await create_lan(api, echo)
    got, error = await api.call(method, *path, body=body)
    assert got == status
    assert error["status"] == status
    assert message in error["error"]


async def test_malformed_json_is_a_400(api: Api, echo: EchoServer) -> None:
    await create_lan(api, echo)
    status, error = await api.call(
        "POST", "proxies", "Wired LAN", "toxics", raw=b'{"type": "latency",'
    )
    assert status == 400
    assert error["error"].startswith("bad request body: not JSON")


async def test_names_taken_and_stream_changes_are_refused(api: Api, echo: EchoServer) -> None:
    await create_lan(api, echo)
    toxic = {"type": "latency", "stream": "upstream"}
    assert (await api.call("POST", "proxies", "Wired LAN", "toxics", body=toxic))[0] == 200
    status, error = await api.call("POST", "proxies", "Wired LAN", "toxics", body=toxic)
    assert (status, error["error"]) == (
        409,
        "network 'Wired LAN' has a toxic 'latency_upstream' already",
    )
    status, error = await api.call(
        "POST",
        "proxies",
        *("Wired LAN", "toxics", "latency_upstream"),
        body={"stream": "downstream"},
    )
    assert (status, error["error"]) == (
        400,
        "stream cannot be changed: delete the toxic and add it again",
    )
    status, error = await api.call(
        "POST", "proxies", body={"name": "Wired LAN", "upstream": f"127.0.0.1:{echo.port}"}
    )
    assert (status, error["error"]) == (409, "a network named 'Wired LAN' exists already")


async def test_a_port_in_use_is_a_conflict(api: Api, echo: EchoServer) -> None:
    proxy = await create_lan(api, echo)
    status, error = await api.call(
        "POST",
        "proxies",
        body={"name": "LTE", "upstream": "127.0.0.1:1", "listen": proxy["listen"]},
    )
    assert status == 409
    assert "cannot listen" in error["error"]


async def test_requests_from_web_pages_are_refused(api: Api, echo: EchoServer) -> None:
    await create_lan(api, echo)
    status, error = await api.call(
        "POST",
        "proxies",
        "Wired LAN",
        body={"enabled": False},
        headers={"Origin": "http://evil.example"},
    )
    assert (status, error["status"]) == (403, 403)
    status, error = await api.call("GET", "proxies", headers={"Host": "evil.example"})
    assert status == 403
    assert "not a loopback address" in error["error"]
    status, proxy = await api.call("GET", "proxies", "Wired LAN")
    assert proxy["enabled"] is True  # nothing changed


async def test_version(api: Api) -> None:
    status, reply = await api.call("GET", "version")
    assert status == 200
    assert reply["version"].startswith("mfp-panel ")
