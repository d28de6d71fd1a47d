"""`Device`: one simulated MFP, composed of one object per concern, observed through `events`.

The panel, a fleet or a test builds a Device, `await device.start()`, calls its methods and
subscribes to its events; nothing here knows about Qt.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from panel.device.auth import Session
from panel.device.clock import Clock
from panel.device.connection import ServerLink
from panel.device.engine import PrintEngine
from panel.device.events import Event, EventBus
from panel.device.jobs import JobManager
from panel.device.model import ConnectionState, Job, LoginResult, PrinterState, User
from panel.device.push import PushChannel
from panel.device.store import DeviceStore
from panel.trace import Trace


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
    clock_scale: float = 1.0


class Device:
    def __init__(self, config: DeviceConfig, clock: Clock | None = None) -> None:
        self.config = config
        self.name = config.name
        self.device_id = config.device_id
        self.clock = clock or Clock(config.clock_scale)
        self.events = EventBus()
        self.trace = Trace(config.data_dir / "trace.jsonl", device=config.device_id or "-")
        self.events.subscribe(self._trace_event)
        self.store = DeviceStore(config.data_dir / "device.sqlite3")
        self.link = ServerLink(
            self.events, self.trace, config.server_url, config.device_id, config.secret
        )
        self.engine = PrintEngine(self.events, self.trace, self.clock, config.ppm, config.warmup_s)
        self.session = Session(self.link, self.events, self.trace)
        self.jobs = JobManager(
            self.store, self.link, self.engine, self.events, self.trace, self.clock
        )
        self.push = PushChannel(self.link, self.store, self.jobs, self.trace)
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
        self.jobs.start()
        self._push_task = asyncio.ensure_future(self.push.run())

    async def stop(self) -> None:
        """Disconnect and close the store; safe to call more than once."""
        if self._stopped:
            return
        self._stopped = True
        if self._push_task is not None:
            self._push_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._push_task
            self._push_task = None
        await self.session.stop()
        await self.jobs.stop()
        await self.link.close()
        self.trace.emit("device", "stop")
        self.trace.close()
        self.store.close()

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
    def printer_state(self) -> PrinterState:
        return self.engine.state

    def time(self) -> float:
        return self.clock.time()

    # -- what views call -------------------------------------------------------------------------
    async def login(self, user_id: str, pin: str) -> LoginResult:
        return await self.session.login(user_id, pin)

    def logout(self) -> None:
        self.session.logout()

    def cancel_job(self, job_id: str) -> bool:
        return self.jobs.cancel_job(job_id)

    def cancel_current_job(self) -> Job | None:
        return self.jobs.cancel_current_job()
