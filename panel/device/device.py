"""`Device`: one simulated MFP, composed of one object per concern, observed through `events`.

The panel, a fleet or a test builds a Device, `await device.start()`, calls its methods and
subscribes to its events; nothing here knows about Qt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from panel.device.apps import ServerApps
from panel.device.cache import DeviceCache
from panel.device.clock import Clock
from panel.device.connection import ServerLink
from panel.device.copying import Copier
from panel.device.engine import PrintEngine
from panel.device.events import Event, EventBus, EventKind
from panel.device.files import DocumentBox
from panel.device.jobs import JobManager
from panel.device.keepalive import KeepAlive
from panel.device.maintenance import MaintenanceClient
from panel.device.model import (
    ComposeError,
    ConnectionState,
    Job,
    JobKind,
    LoginOutcome,
    LoginResult,
    OutboxStats,
    PrinterState,
    User,
)
from panel.device.networks import (
    FailoverPolicy,
    NetworkSettings,
    NetworkStatus,
    check_networks,
)
from panel.device.outbox import Outbox, OutboxLimits
from panel.device.peers import Lan, LanSettings
from panel.device.power import PowerManager, PowerSettings, WorkWatcher
from panel.device.presence import CardReader, CardSession, PresenceSensor
from panel.device.push import PushChannel
from panel.device.qr import QrScanner
from panel.device.reports import Reports
from panel.device.scanner import Renderer, ScanSpec, render_text
from panel.device.sleep_proxy import SleepProxy
from panel.device.store import DeviceStore
from panel.device.user_data import UserDataFetcher
from panel.tasks import report_failure
from panel.text import marker
from panel.threads import in_thread
from panel.trace import Trace

_log = logging.getLogger(__name__)

MAX_SCAN_PAGES = 50
_FAX_NUMBER = re.compile(r"^[0-9+*#\- ]{3,32}$")


@dataclass(frozen=True)
class DeviceConfig:
    """What a device needs to run. The secret comes from the keyring, never from a file."""

    name: str
    server_url: str
    data_dir: Path
    device_id: str = ""  # empty until registered: see Device.identify
    secret: str = field(default="", repr=False)
    ppm: float = 30.0
    warmup_s: float = 1.0
    ppm_duplex: float | None = None  # None: as `ppm`
    colour: bool = True  # a colour (CMYK) engine; False: black toner only
    clock_scale: float = 1.0
    outbox: OutboxLimits = field(default_factory=OutboxLimits)
    power: PowerSettings = field(default_factory=PowerSettings)
    lan: LanSettings | None = None  # None: no DNS-SD, no LAN endpoint, no sleep proxy (S5)
    # Network fallback (S2): the routes to the server, preferred first; none: `server_url`
    # directly, as one network. `server_url` names the server either way (keyring, peers).
    networks: tuple[NetworkSettings, ...] = ()
    failover: FailoverPolicy = field(default_factory=FailoverPolicy)

    def __post_init__(self) -> None:
        check_networks(self.networks)  # a clear error before the device opens anything


class Device:
    def __init__(
        self, config: DeviceConfig, clock: Clock | None = None, renderer: Renderer = render_text
    ) -> None:
        self.config = config
        self._render = renderer
        self.name = config.name
        self.device_id = config.device_id
        self.clock = clock or Clock(config.clock_scale)
        # The panel's timers (dimming, sleep, auto-logout, consent, printing) run on `clock`,
        # which a demo may speed up; what talks to the server or the LAN runs at real speed.
        net_clock = self.clock.unscaled()
        self.events = EventBus()
        self.trace = Trace(config.data_dir / "trace.jsonl", device=config.device_id or "-")
        # Concerns trace their own state changes; notices have no concern of their own.
        self.events.subscribe(self._trace_event, EventKind.NOTICE)
        self.store = DeviceStore(config.data_dir / "device.sqlite3")
        self.link = ServerLink(
            self.events,
            self.trace,
            config.server_url,
            config.device_id,
            config.secret,
            networks=config.networks,
            policy=config.failover,
            clock=net_clock,
        )
        self.engine = PrintEngine(
            self.events,
            self.trace,
            self.clock,
            self.store,
            config.ppm,
            config.warmup_s,
            ppm_duplex=config.ppm_duplex,
            colour=config.colour,
        )
        self.cache = DeviceCache(self.store, self.link, self.events, self.trace)
        self.session = CardSession(
            self.link, self.events, self.trace, self.cache, self.store, self.clock
        )
        self.jobs = JobManager(
            self.store, self.link, self.engine, self.events, self.trace, self.clock
        )
        self.outbox = Outbox(
            self.store,
            self.link,
            self.jobs,
            self.events,
            self.trace,
            self.clock,
            config.data_dir / "outbox",
            config.outbox,
        )
        # Status and usage to the server (issue 14): queued durably, sent in order when online.
        self.reports = Reports(
            self.store, self.link, self.engine, self.events, self.trace, self.clock
        )
        # Copy: originals on the feeder or glass, local copy jobs, their usage through `reports`.
        self.copier = Copier(
            self.jobs,
            self.reports,
            self.events,
            self.trace,
            self.store,
            lambda: self.user,
            lambda: self.engine.state is not PrinterState.IDLE,
        )
        # Document boxes and shared files (S6): stored here, reported through `reports`.
        self.files = DocumentBox(
            self.store,
            self.link,
            self.reports,
            self.jobs,
            self.events,
            self.trace,
            net_clock,
            config.data_dir,
            renderer,
        )
        self.push = PushChannel(
            self.link,
            self.store,
            self.jobs,
            self.cache,
            self.events,
            self.trace,
            net_clock,
            session=self.session,
        )
        self.maintenance = MaintenanceClient(self.link, self.events, self.trace, self.clock)
        # Power (S4, S5): sleep dimming, presence and card login, the user's data at login, and
        # the server session a LAN peer keeps while the device sleeps.
        self.power = PowerManager(
            self.events, self.trace, self.clock, config.power, self.session.logout
        )
        self.push.file_sender = self.files.async_send
        # QR connection (S7): the camera scanner reads a phone's QR and fetches its images.
        self.qr = QrScanner(self.events, self.trace, self.clock, self.jobs, self.files)
        self.apps = ServerApps(  # S8: apps on the server, their screens drawn by the panel
            self.link,
            self.store,
            self.trace,
            net_clock,
            self.cache.apps,
            lambda: self.user,
            lambda: (self.device_id, self.name, "mfp-panel simulated MFP"),
            renderer,
            self.jobs,
        )
        self._work = WorkWatcher(self.events, self.power)
        self._maintenance_hold = False
        self.events.subscribe(self._hold_for_maintenance, EventKind.MAINTENANCE_CHANGED)
        self.presence = PresenceSensor(self.events, self.trace, self.power)
        self.cards = CardReader(self.session, self.power, self.link, self.events, self.clock)
        self.user_data = UserDataFetcher(self.link, self.events, self.trace, self.clock)
        self.lan = Lan(self.events, self.trace, config.lan, net_clock) if config.lan else None
        self.sleep_proxy = (
            SleepProxy(
                self.link,
                self.lan,
                self.events,
                self.trace,
                net_clock,
                lambda: self.power.settings,
                lambda: self.keepalive.refuse_to_keep(),
            )
            if self.lan
            else None
        )
        self.keepalive = KeepAlive(
            self.link,
            self.events,
            self.trace,
            net_clock,
            self.power,
            self.lan,
            self.sleep_proxy,
            self._suspend_push,
            self._resume_push,
            self.push,  # carries the device's own heartbeat while its session takes it
        )
        self._push_task: asyncio.Task[None] | None = None
        self._stopped = False

    # -- life cycle -------------------------------------------------------------------------------
    def identify(self, device_id: str, secret: str) -> None:
        """Give the device its identity when it was not known at construction.

        The panel is built and painted first; looking the secret up in the keyring or
        registering with the server comes after, without keeping the user waiting.
        """
        self.config = replace(self.config, device_id=device_id, secret=secret)
        self.device_id = device_id
        self.link.set_credentials(device_id, secret)
        self.trace.identity["device"] = device_id

    async def start(self) -> None:
        if not self.config.device_id or not self.config.secret:
            raise ValueError("the device has no identity yet: call identify() before start()")
        self.trace.emit("device", "start", name=self.name, server=self.config.server_url)
        if self.store.bind_identity(self.config.device_id):
            self.trace.emit("device", "identity-changed", device_id=self.config.device_id)
        self.cache.load()
        self.jobs.start()
        self.copier.resume()  # before the report queue drains (see Copier.resume)
        self.outbox.start()
        self.reports.start()
        self.files.start()
        self._push_task = self.push.start()
        if self.lan is not None:
            await self.lan.start(self.config.device_id, self.name, self.config.server_url)
        if self._stopped:
            return  # stopped while the LAN started: start no timers after the stop
        self.power.start()
        self.keepalive.start()

    async def stop(self) -> None:
        """Disconnect and close the store; safe to call more than once."""
        if self._stopped:
            return
        self._stopped = True
        # A device that goes away logs its user out: the server must not send that user's
        # jobs to an unattended panel.
        self.session.logout()
        # Each part stops before the parts that could start work in it: nothing wakes, dims
        # or sleeps once power stops; no notice or ONLINE comes once push stops (a notice
        # starts a fetch, ONLINE a drain or a user-data fetch); the link closes last, after
        # the logout had its chance. Every part cancels and awaits what it owns, and a part
        # that fails to stop (reported) keeps none of the others from stopping.
        steps = (
            self._stop_power,
            self.power.stop,
            self.maintenance.stop,
            self._stop_push,
            self.push.stop,
            self.outbox.stop,
            self.reports.stop,
            self.qr.stop,
            self.apps.stop,
            self.files.stop,
            self.user_data.stop,
            self.session.stop,
            self.jobs.stop,
            self.link.close,
        )
        try:
            for step in steps:
                try:
                    await step()
                except Exception as exc:
                    report_failure("device", f"stopping {step.__qualname__}", exc, self.trace)
        finally:
            self.trace.emit("device", "stop")
            self.trace.close()
            self.store.close()

    async def _stop_push(self) -> None:
        if self._push_task is not None:
            self._push_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._push_task
            self._push_task = None

    async def _stop_power(self) -> None:
        await self.keepalive.stop()
        if self.sleep_proxy is not None:
            await self.sleep_proxy.stop()
        if self.lan is not None:
            await self.lan.stop()

    async def _suspend_push(self) -> None:
        """Off the network while a peer keeps the session (S5): the server cannot reach us."""
        await self._stop_push()
        self.link.set_state(ConnectionState.OFFLINE)

    def _resume_push(self) -> None:
        if self._push_task is None and not self._stopped:
            self.link.set_state(ConnectionState.CONNECTING)  # from now, not the task's first turn
            self._push_task = self.push.start()

    def _trace_event(self, event: Event) -> None:
        subject = event.subject
        detail = getattr(subject, "value", None) or getattr(subject, "job_id", None)
        if detail is None and isinstance(subject, User):
            detail = subject.user_id
        self.trace.emit("events", event.kind.value, subject=detail, **event.fields)

    # -- what views read ------------------------------------------------------------------------
    @property
    def user(self) -> User | None:
        return self.session.user

    @property
    def connection_state(self) -> ConnectionState:
        return self.link.state

    @property
    def networks(self) -> list[NetworkStatus]:
        """The device's networks, preferred first: name, state, and which one is in use."""
        return self.link.networks.statuses

    @property
    def printer_state(self) -> PrinterState:
        return self.engine.state

    def _hold_for_maintenance(self, event: Event) -> None:
        """No dimming, sleep or auto-logout while a maintenance call is open (S3)."""
        in_call = bool(event.subject.in_call)
        if in_call != self._maintenance_hold:
            self._maintenance_hold = in_call
            if in_call:
                self.power.acquire("maintenance")
            else:
                self.power.release("maintenance")

    def time(self) -> float:
        return self.clock.time()

    # -- what views call -------------------------------------------------------------------------
    async def login(self, user_id: str, pin: str) -> LoginResult:
        if self._push_task is None:  # no identity yet (the panel paints before it has one)
            return LoginResult(
                LoginOutcome.UNREACHABLE,
                message=marker("Core", "The device is still starting. Try again."),
            )
        return await self.session.login(user_id, pin)

    def logout(self) -> None:
        self.session.logout()

    def cancel_job(self, job_id: str) -> bool:
        """Cancel a job of the user logged in (any job for an administrator); False when it can
        no longer be cancelled. Raises JobRefused for another user's job, or nobody's."""
        job = self.jobs.get(job_id)
        if job is not None and job.kind in (JobKind.SCAN, JobKind.FAX):
            self.jobs.check_may_manage(job, self.user)
            return self.outbox.cancel(job_id)
        return self.jobs.cancel_job(job_id, self.user)

    @property
    def outbox_stats(self) -> OutboxStats:
        return self.outbox.stats

    async def scan_to(self, dest_id: str, pages: int, title: str = "") -> Job:
        """Scan `pages` pages to an address-book destination; durable (held) on return."""
        user = self._composer()
        dest = self.cache.destination(dest_id)
        if dest is None:
            raise ComposeError(marker("Core", "That destination is not in the address book."))
        self._check_pages(pages)
        at = self.clock.time()
        title = title.strip()[:120] or f"Scan {time.strftime('%Y-%m-%d %H:%M', time.localtime(at))}"
        document = await in_thread(
            self._render, ScanSpec(title, user.user_id, user.name, pages, at)
        )
        return await self.outbox.compose(
            JobKind.SCAN, user, title, pages, dest.dest_id, dest.name, document
        )

    async def send_fax(self, number: str, pages: int) -> Job:
        """Fax `pages` pages to `number`; durable (held) on return."""
        user = self._composer()
        number = number.strip()
        if not _FAX_NUMBER.match(number) or sum(c.isdigit() for c in number) < 3:
            raise ComposeError(marker("Core", "Enter a fax number: digits, and + * # - or spaces."))
        self._check_pages(pages)
        title = f"Fax to {number}"
        spec = ScanSpec(title, user.user_id, user.name, pages, self.clock.time())
        document = await in_thread(self._render, spec)
        return await self.outbox.compose(JobKind.FAX, user, title, pages, number, number, document)

    def _composer(self) -> User:
        if self.user is None:
            raise ComposeError(marker("Core", "Log in first."))
        return self.user

    @staticmethod
    def _check_pages(pages: int) -> None:
        if not 1 <= pages <= MAX_SCAN_PAGES:
            raise ComposeError(
                marker("Core", "Scan 1 to {max} pages at a time."), {"max": MAX_SCAN_PAGES}
            )

    def cancel_current_job(self) -> Job | None:
        """The Stop key: cancel the job printing, if the user logged in may (JobRefused)."""
        return self.jobs.cancel_current_job(self.user)
