"""The world a scenario runs in, built from product code: a real server on a loopback socket
over a real SQLite store in a temporary directory, per device its simulated networks
(`panel.sim`, real TCP proxies) in front of that server, and the device cores, all on one clock
(a ManualClock the runner steps, or a real one).

Kill and restart are in-process and faithful where it matters, in what survives and in what
the other side sees:
- kill: the victim is first cut off (a server's listeners stop and every connection it holds is
  aborted; a device's networks go down, so nothing it says on the way out reaches the server),
  its data directory is copied as it is at that instant, then its objects are torn down to
  release their tasks and sockets, and the copy is put back. What the teardown wrote (a
  logout, a "stop" trace line, a store close) is gone, as it would be after a SIGKILL; what was
  committed before the kill is there.
- restart: new objects over the same data directory (a server on the same port); a victim
  still running is first stopped cleanly, as a reboot or a service restart does.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from panel.device.clock import Clock, ManualClock
from panel.device.device import Device, DeviceConfig
from panel.device.events import Event, EventKind
from panel.device.model import ConnectionState, Job
from panel.device.networks import NetworkSettings
from panel.device.power import PowerSettings
from panel.device.scanner import Renderer, render_text
from panel.scenario.model import DeviceSpec, NetworkSpec, Scenario
from panel.server.api import trace_key
from panel.server.app import RunningServer, start_server
from panel.server.demo_data import seed_cache
from panel.sim import Network, NetworkSet
from panel.threads import in_thread
from panel.trace import Trace

_ENGINE_SETTINGS = ("ppm", "ppm_duplex", "warmup_s", "colour")
_POWER_SETTINGS = tuple(f.name for f in fields(PowerSettings))
DEVICE_SETTINGS = (*_ENGINE_SETTINGS, *_POWER_SETTINGS)
LOSSY_GRACE_S = 0.05  # real time an exchange over a lossy network has to be answered
START_S = 30.0  # real time a device has to come online before a real-time run's time zero


class WorldError(Exception):
    """The scenario asks for something this world cannot build (e.g. an unknown setting)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class TraceLine:
    """A trace line as the runner saw it: where from, and at which scenario time it was read
    (the runner reads after every step of the clock, so that is when it was written)."""

    source: str  # "device" | "server"
    device: str  # the device's scenario name; "" for the server
    at: float
    data: Mapping[str, Any]

    def show(self) -> str:
        """One line of a report: `  12.500 device mfp-1 network failover to='LTE'`."""
        skip = {"ts", "concern", "event", "device", "server"}
        rest = " ".join(f"{k}={v!r}" for k, v in self.data.items() if k not in skip)
        who = f"device {self.device}" if self.device else "server"
        head = f"{self.at:9.3f} {who} {self.data.get('concern')} {self.data.get('event')}"
        return f"{head} {rest}".rstrip()


class _Tail:
    """New complete lines of a trace file since the last read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self._partial = b""

    def read(self) -> list[dict[str, Any]]:
        try:
            with self.path.open("rb") as f:
                f.seek(self.offset)
                chunk = f.read()
        except FileNotFoundError:
            return []
        self.offset += len(chunk)
        text = self._partial + chunk
        *complete, self._partial = text.split(b"\n")
        found: list[dict[str, Any]] = []
        for raw in complete:
            if raw.strip():
                try:
                    found.append(json.loads(raw))
                except ValueError:
                    continue  # a line cut by a kill
        return found


def device_settings(spec: DeviceSpec) -> tuple[dict[str, Any], PowerSettings]:
    """The engine keyword arguments and power timers a device's `settings` give."""
    unknown = sorted(set(spec.settings) - set(DEVICE_SETTINGS))
    if unknown:
        raise WorldError(
            f"device {spec.name!r}: unknown setting {', '.join(unknown)} "
            f"(known: {', '.join(DEVICE_SETTINGS)})",
            spec.line,
        )
    engine = {k: v for k, v in spec.settings.items() if k in _ENGINE_SETTINGS}
    power = {k: v for k, v in spec.settings.items() if k in _POWER_SETTINGS}
    try:
        return engine, PowerSettings(**power)
    except (TypeError, ValueError) as exc:
        raise WorldError(f"device {spec.name!r}: {exc}", spec.line) from None


def network_settings(spec: NetworkSpec, url: str) -> NetworkSettings:
    """A route of the kind the file names: a wired LAN, Wi-Fi, or a cellular link."""
    if spec.kind == "cellular":
        return NetworkSettings.cellular(spec.name, url)
    if spec.kind == "wifi":
        return NetworkSettings(spec.name, url, connect_timeout_s=2.0, latency_budget_s=1.0)
    return NetworkSettings.wired(spec.name, url)


@dataclass
class DeviceSlot:
    """One device of the scenario across its lives (a kill ends one, a restart starts one)."""

    spec: DeviceSpec
    config: DeviceConfig
    nets: NetworkSet
    device: Device | None = None
    tail: _Tail | None = None
    # (scenario time, job id, title, user, state) of every job change seen, oldest first
    job_history: list[tuple[float, str, str, str, str]] = field(default_factory=list)
    unsubscribe: list[Any] = field(default_factory=list)

    @property
    def alive(self) -> Device:
        if self.device is None:
            raise RuntimeError(f"device {self.spec.name!r} is killed (restart_device first)")
        return self.device


class World:
    """Server, networks and devices of one scenario under `root` (a temporary directory)."""

    def __init__(
        self, scenario: Scenario, root: Path, clock: Clock, renderer: Renderer = render_text
    ) -> None:
        self.scenario = scenario
        self.root = root
        self.clock = clock
        self.renderer = renderer
        self.server: RunningServer | None = None
        self.port = 0
        self.slots: dict[str, DeviceSlot] = {}
        self.lines: list[TraceLine] = []
        # The server's jobs as job_history: an entry each time a job's state was seen change.
        self.server_history: list[tuple[float, str, str, str, str]] = []
        self._server_states: dict[str, str] = {}
        self._server_tail = _Tail(root / "server" / "trace.jsonl")
        self._t0 = clock.monotonic()
        self.activity = 0  # events the devices published: part of `fingerprint`
        # Called with a device each time one starts (the panel attaches its window).
        self.on_device_started: list[Any] = []
        self.on_device_stopping: list[Any] = []

    @property
    def server_trace(self) -> Trace | None:
        return None if self.server is None else self.server.app[trace_key]

    @property
    def net_clock(self) -> Clock:
        """What the networks' toxics act in: the devices' network time (see Clock.unscaled)."""
        return self.clock.unscaled()

    def now(self) -> float:
        return self.clock.monotonic() - self._t0

    # -- life cycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        self._t0 = self.clock.monotonic()
        self.server = await self._start_server(0)
        self.port = self.server.port
        store = self.server.store
        seed_cache(store)  # an address book for scans, templates, apps: as a demo server
        for user in self.scenario.users:
            store.add_user(user.id, user.name, user.pin, user.role)  # scrypt: slow on purpose
            if user.card:
                store.add_card(user.card, user.id)
        for spec in self.scenario.devices:
            engine, power = device_settings(spec)
            device_id, secret = store.register_device(spec.name, "MFP-Emu 1")
            nets = NetworkSet(self.net_clock)
            wanted = spec.networks or tuple(n.name for n in self.scenario.networks)
            kinds = {n.name: n for n in self.scenario.networks}
            routes = []
            for name in wanted:
                network = await nets.create(name, ("127.0.0.1", self.port))
                routes.append(network_settings(kinds.get(name, NetworkSpec(name)), network.url))
            config = DeviceConfig(
                spec.name,
                self.server.url,
                self.root / "devices" / _safe(spec.name),
                device_id,
                secret,
                power=power,
                networks=tuple(routes),
                **engine,
            )
            self.slots[spec.name] = DeviceSlot(spec, config, nets)
        for name in self.slots:
            await self.start_device(name)

    async def await_started(self, timeout_s: float = START_S) -> None:
        """Make the scenario's time zero the instant every device has finished starting: online,
        or its start settled (it tried and went offline), waited for in real time up to
        `timeout_s`. On a real clock, start-up (server, users, device stores) takes real seconds
        that a faster speed turns into scenario time; a step `at = 1` would run before the
        device is online. The headless loop gets there by itself: nothing moves its clock
        before the devices are quiet."""
        seen_connecting: set[str] = set()
        changed = asyncio.Event()
        unsubscribe = []
        for name, slot in self.slots.items():
            device = slot.device
            if device is None:
                continue

            def on_change(event: Event, name: str = name) -> None:
                if event.subject is ConnectionState.CONNECTING:
                    seen_connecting.add(name)
                changed.set()

            if device.connection_state is ConnectionState.CONNECTING:
                seen_connecting.add(name)
            unsubscribe.append(device.events.subscribe(on_change, EventKind.CONNECTION_CHANGED))

        def all_settled() -> bool:
            for name, slot in self.slots.items():
                if slot.device is None:
                    continue
                state = slot.device.connection_state
                if state is ConnectionState.OFFLINE and name in seen_connecting:
                    continue  # it tried and failed: started, offline
                if state is not ConnectionState.ONLINE:
                    return False
            return True

        try:
            async with asyncio.timeout(timeout_s):
                while not all_settled():
                    changed.clear()
                    await changed.wait()
        except TimeoutError:
            pass  # time zero now: the steps and expectations will show what is wrong
        finally:
            for undo in unsubscribe:
                undo()
        self._t0 = self.clock.monotonic()

    async def close(self) -> None:
        """Stop everything that is still running (cleanly: the scenario is over)."""
        for name, slot in self.slots.items():
            if slot.device is not None:
                await self._stop_device(name)
            await slot.nets.stop()
        if self.server is not None:
            self.read_traces()
            await self.server.stop()
            self.server = None

    async def _start_server(self, port: int) -> RunningServer:
        return await start_server(
            self.root / "server", port=port, admin_socket_dir=self.root / "run"
        )

    # -- devices ---------------------------------------------------------------------------------
    async def start_device(self, name: str) -> Device:
        slot = self.slots[name]
        device = Device(slot.config, clock=self.clock, renderer=self.renderer)
        slot.device = device
        if slot.tail is None:
            slot.tail = _Tail(slot.config.data_dir / "trace.jsonl")

        def on_job(event: Event) -> None:
            job = event.subject
            if isinstance(job, Job):
                slot.job_history.append(
                    (self.now(), job.job_id, job.title, job.user_id, job.state.value)
                )

        def on_any(_: Event) -> None:
            self.activity += 1

        slot.unsubscribe = [
            device.events.subscribe(on_job, EventKind.JOB_CREATED, EventKind.JOB_STATE_CHANGED),
            device.events.subscribe(on_any),
        ]
        await device.start()
        for job in device.jobs.all():  # what a restarted device holds from its store
            slot.job_history.append(
                (self.now(), job.job_id, job.title, job.user_id, job.state.value)
            )
        for callback in self.on_device_started:
            callback(name, device)
        return device

    async def _stop_device(self, name: str) -> None:
        slot = self.slots[name]
        device = slot.alive
        for callback in self.on_device_stopping:
            callback(name, device)
        for unsubscribe in slot.unsubscribe:
            unsubscribe()
        slot.unsubscribe = []
        self.read_traces()
        await device.stop()
        slot.device = None

    async def kill_device(self, name: str) -> None:
        """As a power cut: nothing more goes out, nothing after this instant is kept."""
        slot = self.slots[name]
        device = slot.alive
        device.trace.flush()
        self.read_traces()
        was_up = {network.name: network.enabled for network in slot.nets}
        for network in slot.nets:  # the goodbye of the teardown reaches nobody
            if network.enabled:
                await network.set_enabled(False)
        data = slot.config.data_dir
        saved = self.root / "killed" / _safe(name)
        await in_thread(_copy_dir, data, saved)
        await self._stop_device(name)
        await in_thread(_replace_dir, saved, data)
        for network in slot.nets:
            if was_up[network.name]:
                await network.set_enabled(True)

    async def restart_device(self, name: str) -> None:
        """A reboot: a running device shuts down cleanly first (a killed one just starts)."""
        if self.slots[name].device is not None:
            await self._stop_device(name)
        await self.start_device(name)

    # -- the server ------------------------------------------------------------------------------
    async def kill_server(self) -> None:
        """As SIGKILL: listeners closed and connections aborted at once, no goodbye; what the
        teardown writes is undone."""
        server = self.server
        if server is None:
            return
        for site in server.sites:  # from outside: a process gone
            site.stall()
            site.abort_connections()
        trace = server.app[trace_key]
        trace.flush()
        self.read_traces()
        data = self.root / "server"
        saved = self.root / "killed" / "server"
        await in_thread(_copy_dir, data, saved)
        self.server = None
        await server.stop()
        await in_thread(_replace_dir, saved, data)

    async def restart_server(self) -> None:
        """A restart: a running server stops cleanly first (a killed one just starts), on the
        same port over the same data."""
        if self.server is not None:
            server, self.server = self.server, None
            self.read_traces()
            await server.stop()
        self.server = await self._start_server(self.port)

    def fingerprint(self) -> tuple[object, ...]:
        """What changes when the devices or the server do anything: the devices' events, the
        lines of every trace (each exchange writes one on both sides), the timers on the
        clock, the exchanges on the wire. Equal over a round of the loop: all are quiet."""
        clock = self.clock
        timers = (clock.pending, clock.next_due()) if isinstance(clock, ManualClock) else ()
        wire = sum(s.device.link.networks.on_wire() for s in self.slots.values() if s.device)
        return (self.activity, wire, *timers, *self._trace_sizes())

    def _trace_sizes(self) -> list[int]:
        traces = [s.device.trace for s in self.slots.values() if s.device is not None]
        if (server := self.server_trace) is not None:
            traces.append(server)
        sizes = []
        for trace in traces:
            trace.flush()
            try:
                sizes.append(trace.path.stat().st_size if trace.path is not None else 0)
            except FileNotFoundError:
                sizes.append(0)
        return sizes

    # -- what expectations read --------------------------------------------------------------------
    def read_traces(self) -> None:
        """Take in every trace line written since the last call, stamped with the time now."""
        at = self.now()
        if (trace := self.server_trace) is not None:
            trace.flush()
        new = [TraceLine("server", "", at, data) for data in self._server_tail.read()]
        for name, slot in self.slots.items():
            if slot.device is not None:
                slot.device.trace.flush()
            if slot.tail is not None:
                new.extend(TraceLine("device", name, at, data) for data in slot.tail.read())
        new.sort(key=lambda line: float(line.data.get("ts", 0.0)))  # device and server merged
        self.lines.extend(new)
        if self.server is not None:
            for info in self.server.store.jobs():
                if self._server_states.get(info.job_id) != info.state:
                    self._server_states[info.job_id] = info.state
                    entry = (at, info.job_id, info.title, info.user_id, info.state)
                    self.server_history.append(entry)


def _safe(name: str) -> str:
    """A directory name for a device's scenario name."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "device"


def _copy_dir(src: Path, dst: Path) -> None:
    if dst.exists():
        shutil.rmtree(dst)
    if src.exists():
        shutil.copytree(src, dst)


def _replace_dir(saved: Path, dst: Path) -> None:
    if dst.exists():
        shutil.rmtree(dst)
    if saved.exists():
        saved.rename(dst)


async def settle_devices(
    world: World, timeout_s: float = 30.0, lossy_grace_s: float = LOSSY_GRACE_S
) -> None:
    """Until every exchange of the devices went out and those over networks without a fault
    have their answers (real time): a step of the clock now cannot time out an answer that is
    on its way. Exchanges over a faulted network answer only when the clock says it is too
    late, so they do not hold time up. A lossy network (some connections go nowhere) is given
    `lossy_grace_s` of real time: the exchanges that get through are answered within it."""
    loop = asyncio.get_running_loop()
    started = loop.time()

    def on_wire(lossy_count: bool) -> int:
        count = 0
        for slot in world.slots.values():
            device = slot.device
            if device is None:
                continue
            faulted = tuple(
                n.name
                for n in slot.nets
                if not n.enabled or (n.toxics and not (lossy_count and _lossy(n)))
            )
            count += device.link.networks.on_wire(faulted)
        return count

    while on_wire(lossy_count=loop.time() - started < lossy_grace_s):
        if loop.time() - started > timeout_s:
            raise TimeoutError(
                f"the devices' exchanges were not answered within {timeout_s:g} s of real time"
            )
        await asyncio.sleep(0.001)


def _lossy(network: Network) -> bool:
    """Only some of its connections go nowhere (a loss toxic below 100 %)."""
    return all(t.toxicity < 1.0 for t in network.toxics)


__all__ = [
    "DEVICE_SETTINGS",
    "DeviceSlot",
    "TraceLine",
    "World",
    "WorldError",
    "settle_devices",
]
