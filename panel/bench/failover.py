"""`mfp-panel bench failover`: network fallback (S2) timed on this machine.

The server runs in its own process, as in real use; two simulated networks (panel.sim:
"Wired LAN", preferred, and "LTE") and a device core run here, with the demo's network
settings (NetworkSettings.wired, .cellular) and the default failover policy (only the way
back is quicker, so that runs follow each other fast).

- Failover: the device is online over Wired LAN; Wired LAN fails (refused: the network is
  down; reset and blackhole: panel.sim's fault presets, as in the QA dock) and a process is
  requested at once. Measured from the fault to the process holding a network checked with
  its token (LTE).
- Dead link: Wired LAN is blackholed (no RST, no FIN) under an idle device. Measured from the
  fault to the push heartbeat declaring the link dead, and to the device online over LTE.

After each run Wired LAN is restored; the next fault waits until the device is back on it and
its network manager has settled (every network reachable, no check, probe or return under
way), so no run measures what the one before left behind.
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from panel.bench import report
from panel.bench.push import bench_dir, server_process
from panel.device import ConnectionState, Device, DeviceConfig, Event, EventKind
from panel.device.networks import FailoverPolicy, NetworkSettings, NetworkState
from panel.sim import Fault, Network, restore, set_fault

WIRED, LTE = "Wired LAN", "LTE"
POLICY = replace(FailoverPolicy(), probe_interval_s=0.1, recover_hold_s=0.2, flap_window_s=0.5)
FAULTS: dict[str, Fault] = {
    "refused": Fault.DOWN,
    "reset": Fault.RESET,
    "blackhole": Fault.BLACKHOLE,
}
GOALS_MS = {"refused": 500, "reset": 500, "blackhole": 3000, "dead_link": 15000}
STEP_TIMEOUT_S = 30.0
# Settled: no network event for this long (a few probe intervals: no check or probe in flight).
SETTLE_QUIET_S = max(0.5, 3 * POLICY.probe_interval_s)
_NETWORK_EVENTS = (
    EventKind.NETWORK_CHANGED,
    EventKind.NETWORK_STATE_CHANGED,
    EventKind.NETWORK_REACH,
    EventKind.CONNECTION_CHANGED,
)


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


async def _settled(device: Device) -> None:
    """Until the device is online over Wired LAN, every network is reachable (or not tried
    yet), and no network event has come for SETTLE_QUIET_S: the manager is idle."""
    online_over_wired = _online_over(device, WIRED)

    def settled() -> bool:
        calm = (NetworkState.REACHABLE, NetworkState.UNKNOWN)
        return online_over_wired() and all(n.state in calm for n in device.networks)

    loop = asyncio.get_running_loop()
    deadline = loop.time() + STEP_TIMEOUT_S
    while True:
        await _until(device, settled, "device settled on Wired LAN")
        if await _quiet(device, SETTLE_QUIET_S) and settled():
            return
        if loop.time() > deadline:
            raise RuntimeError(f"bench failover: networks not settled in {STEP_TIMEOUT_S:g} s")


async def _quiet(device: Device, seconds: float) -> bool:
    """True when no network or connection event comes for `seconds`."""
    changed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def note(_: Event) -> None:
        if not changed.done():
            changed.set_result(None)

    unsubscribe = device.events.subscribe(note, *_NETWORK_EVENTS)
    try:
        await asyncio.wait_for(changed, seconds)
    except TimeoutError:
        return True
    finally:
        unsubscribe()
    return False


async def _failover(device: Device, wired: Network, fault: str) -> float:
    await _settled(device)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await set_fault(wired, FAULTS[fault])
    route = await device.link.networks.establish("bench")
    took = loop.time() - started
    if route.name != LTE:
        raise RuntimeError(f"bench failover: {fault}: the process went over {route.name}")
    await restore(wired)
    return took


async def _dead_link(device: Device, wired: Network) -> tuple[float, float]:
    await _settled(device)

    def wired_dead() -> bool:
        return device.networks[0].state is NetworkState.UNREACHABLE

    loop = asyncio.get_running_loop()
    started = loop.time()
    await set_fault(wired, Fault.BLACKHOLE)  # nothing gets through, nothing is refused
    noticed = asyncio.ensure_future(_until(device, wired_dead, "dead link noticed"))
    try:
        online = await _until(device, _online_over(device, LTE), "device online over LTE")
        detected = await noticed
    finally:
        noticed.cancel()  # ended already, unless going online failed
        await asyncio.wait([noticed])
    await restore(wired)
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
