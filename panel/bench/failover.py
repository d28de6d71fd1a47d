"""`mfp-panel bench failover`: network fallback (S2) timed on this machine.

The server runs in its own process, as in real use; two simulated networks (panel.sim:
"Wired LAN", preferred, and "LTE") and a device core run here, with the demo's network
settings (NetworkSettings.wired, .cellular) and the default failover policy (only the way
back is quicker, so that runs follow each other fast).

- Failover: the device is online over Wired LAN; Wired LAN fails (refused: the network is
  down; reset: reset_peer; blackhole: a timeout toxic) and a process is requested at once.
  Measured from the fault to the process holding a network checked with its token (LTE).
- Dead link: Wired LAN is blackholed (no RST, no FIN) under an idle device. Measured from the
  fault to the push heartbeat declaring the link dead, and to the device online over LTE.

After each run Wired LAN is restored and the device goes back to it before the next.
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from panel.bench import report
from panel.bench.push import bench_dir, server_process
from panel.device import ConnectionState, Device, DeviceConfig, Event
from panel.device.networks import FailoverPolicy, NetworkSettings, NetworkState
from panel.sim import Network, Toxic

WIRED, LTE = "Wired LAN", "LTE"
POLICY = replace(FailoverPolicy(), probe_interval_s=0.1, recover_hold_s=0.2, flap_window_s=0.5)
FAULTS: dict[str, Toxic | None] = {
    "refused": None,  # the network is down
    "reset": Toxic("reset_peer", {"timeout": 0}, "upstream"),
    "blackhole": Toxic("timeout", {"timeout": 0}, "upstream"),
}
GOALS_MS = {"refused": 500, "reset": 500, "blackhole": 3000, "dead_link": 15000}
STEP_TIMEOUT_S = 30.0


async def _until(device: Device, ready: Callable[[], bool], what: str) -> float:
    """The loop time at which `ready()` first holds (looked at on every event)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[float] = loop.create_future()

    def check(_: Event | None = None) -> None:
        if not done.done() and ready():
            done.set_result(loop.time())

    unsubscribe = device.events.subscribe(check)
    try:
        check()
        return await asyncio.wait_for(done, STEP_TIMEOUT_S)
    except TimeoutError:
        raise RuntimeError(f"bench failover: no {what} within {STEP_TIMEOUT_S:g} s") from None
    finally:
        unsubscribe()


def _online_over(device: Device, name: str) -> Callable[[], bool]:
    def ready() -> bool:
        active = next((n.name for n in device.networks if n.active), None)
        return device.connection_state is ConnectionState.ONLINE and active == name

    return ready


async def _failover(device: Device, wired: Network, fault: str) -> float:
    await _until(device, _online_over(device, WIRED), "device online over Wired LAN")
    loop = asyncio.get_running_loop()
    started = loop.time()
    toxic = FAULTS[fault]
    if toxic is None:
        await wired.set_enabled(False)
    else:
        wired.add_toxic(toxic)
    route = await device.link.networks.establish("bench")
    took = loop.time() - started
    if route.name != LTE:
        raise RuntimeError(f"bench failover: {fault}: the process went over {route.name}")
    await wired.reset()
    return took


async def _dead_link(device: Device, wired: Network) -> tuple[float, float]:
    await _until(device, _online_over(device, WIRED), "device online over Wired LAN")

    def wired_dead() -> bool:
        return device.networks[0].state is NetworkState.UNREACHABLE

    loop = asyncio.get_running_loop()
    started = loop.time()
    wired.add_toxic(Toxic("timeout", {"timeout": 0}))  # nothing from the server gets through
    noticed = asyncio.ensure_future(_until(device, wired_dead, "dead link noticed"))
    online = await _until(device, _online_over(device, LTE), "device online over LTE")
    detected = await noticed
    await wired.reset()
    return detected - started, online - started


async def _measure(runs: int, tmp: Path) -> dict[str, list[float]]:
    async with server_process(tmp) as server:
        reg = await server.admin.register_device("Bench MFP")
        wired = Network(WIRED, ("127.0.0.1", server.port))
        lte = Network(LTE, ("127.0.0.1", server.port))
        await wired.start()
        await lte.start()
        device = Device(
            DeviceConfig(
                "Bench MFP",
                server.url,
                tmp / "device",
                reg.device_id,
                reg.secret,
                networks=(
                    NetworkSettings.wired(WIRED, wired.url),
                    NetworkSettings.cellular(LTE, lte.url),
                ),
                failover=replace(POLICY, reuse_s=0.0),  # every process is checked anew
            )
        )
        times: dict[str, list[float]] = {name: [] for name in (*FAULTS, "detect", "online")}
        await device.start()
        try:
            for _ in range(runs):
                for fault in FAULTS:
                    times[fault].append(await _failover(device, wired, fault))
            for _ in range(runs):
                detected, online = await _dead_link(device, wired)
                times["detect"].append(detected)
                times["online"].append(online)
            return times
        finally:
            await device.stop()
            await wired.stop()
            await lte.stop()


def bench_failover(runs: int, as_json: bool) -> int:
    """Print the median and max failover times (refused, reset, blackhole) and dead-link
    detection; 2 when `runs` is not positive."""
    if runs < 1:
        print("bench failover: --runs must be at least 1")
        return 2
    with bench_dir() as tmp:
        times = asyncio.run(_measure(runs, tmp))
    figures: dict[str, float | int] = {"runs": runs, "heartbeat_s": POLICY.heartbeat_s}
    lines = [
        f"failover: Wired LAN fails, a process is requested -> it has LTE, checked with its "
        f"token ({runs} runs each)"
    ]
    for name, key, goal in (
        ("refused", "failover_refused", GOALS_MS["refused"]),
        ("reset", "failover_reset", GOALS_MS["reset"]),
        ("blackhole", "failover_blackhole", GOALS_MS["blackhole"]),
        ("detect", "dead_link_detect", GOALS_MS["dead_link"]),
        ("online", "dead_link_online", None),
    ):
        ms = [t * 1000 for t in times[name]]
        median, worst = round(statistics.median(ms), 1), round(max(ms), 1)
        figures[f"{key}_median_ms"], figures[f"{key}_max_ms"] = median, worst
        if name == "detect":
            lines.append(
                f"dead link: Wired LAN blackholed under an idle device (heartbeat "
                f"{POLICY.heartbeat_s:g} s)"
            )
        label = {"detect": "noticed", "online": "online over LTE"}.get(name, name)
        target = f"  (goal <= {goal})" if goal else ""
        lines.append(f"  {label:<16} median {median:8.1f} ms   max {worst:8.1f} ms{target}")
    report(figures, as_json, lines)
    return 0
