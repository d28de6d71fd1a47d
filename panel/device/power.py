"""The device's power state (S4): active -> dimmed -> sleep as the panel stays idle, and back to
active on a wake source; auto-logout of a forgotten session.

Timers run on the device clock (a demo runs it faster; tests advance a ManualClock). A running
job or an open maintenance session holds sleep off (`hold`, `acquire`/`release`). Every change
is a POWER_CHANGED event; what sleeping means for the server session (a peer keeps it) is the
keepalive concern's business, not this one's.
"""

from __future__ import annotations

import contextlib
import enum
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from panel.device.clock import Clock, Timer
from panel.device.events import Event, EventBus, EventKind
from panel.device.model import JobKind, JobState
from panel.tasks import TaskOwner
from panel.text import marker
from panel.trace import Trace

# Notices the panel shows (translated there: they are marked).
SLEEPS_AFTER_WORK = marker("Core", "The device sleeps when the current work is done.")
LOGGED_OUT_IDLE = marker("Core", "You were logged out after a time without use.")


class PowerState(enum.Enum):
    """What the panel shows: lit, dimmed (animated), or dark with a slow-blinking Power LED."""

    ACTIVE = "active"
    DIMMED = "dimmed"
    SLEEP = "sleep"


class WakeSource(enum.Enum):
    """What brought the device back to active (the `cause` of a POWER_CHANGED to ACTIVE)."""

    TOUCH = "touch"
    HARDWARE_KEY = "hardware-key"
    ENERGY_SAVER_KEY = "energy-saver-key"
    PRESENCE = "presence"
    CARD = "card"
    LAN = "lan"  # a peer's wake message (the sleep proxy)
    WORK = "work"  # a job arrived over push


IDLE = "idle"  # the cause of dimming or sleeping after the idle time
# Holds that also keep the user's session and the screen bright: a maintenance call (S3) is
# someone working on the panel with the user, however long nobody touches it.
SESSION_HOLDS = frozenset({"maintenance"})
ENERGY_SAVER = "energy-saver-key"  # the cause of sleeping at the key


@dataclass(frozen=True)
class PowerSettings:
    """Timers of the power concern, in device-clock seconds. Defaults are a real device's:
    dim after 1 min, sleep after 15 min, log out after 1 min idle (0 = never). The heartbeat
    and wake timers belong to keeping the server session while asleep (S5)."""

    dim_after_s: float = 60.0
    sleep_after_s: float = 900.0
    auto_logout_s: float = 60.0
    heartbeat_s: float = 60.0  # own heartbeats while awake
    low_power_heartbeat_s: float = 300.0  # own heartbeats asleep when no peer keeps the session
    proxy_heartbeat_s: float = 120.0  # heartbeats this device sends for a sleeping peer
    wake_retry_s: float = 2.0  # a proxy repeats its wake message this often...
    wake_give_up_s: float = 45.0  # ...until the sleeper confirms, or this long has passed
    max_kept_sessions: int = 8  # sleeping peers this device keeps sessions for at once

    def __post_init__(self) -> None:
        positive = {
            "dim_after_s": self.dim_after_s,
            "heartbeat_s": self.heartbeat_s,
            "low_power_heartbeat_s": self.low_power_heartbeat_s,
            "proxy_heartbeat_s": self.proxy_heartbeat_s,
            "wake_retry_s": self.wake_retry_s,
            "wake_give_up_s": self.wake_give_up_s,
        }
        for name, value in positive.items():
            if not value > 0:
                raise ValueError(f"{name} must be more than 0 seconds, not {value!r}")
        if not self.sleep_after_s >= self.dim_after_s:
            raise ValueError(
                f"sleep_after_s ({self.sleep_after_s}) must not be shorter than dim_after_s "
                f"({self.dim_after_s}): the panel dims before it sleeps"
            )
        if not self.auto_logout_s >= 0:
            raise ValueError(f"auto_logout_s must be 0 (never) or more, not {self.auto_logout_s}")
        if self.max_kept_sessions < 0:
            raise ValueError("max_kept_sessions must be 0 or more")


class PowerManager:
    """The power state machine. Call `touch`, `hardware_key`, `energy_saver_key` or `wake` from
    the views and sensors; read `state`; subscribe to POWER_CHANGED."""

    def __init__(
        self,
        events: EventBus,
        trace: Trace,
        clock: Clock,
        settings: PowerSettings,
        logout: Callable[[], None],
    ) -> None:
        self._events = events
        self._trace = trace
        self._clock = clock
        self.settings = settings
        self._logout = logout
        self.state = PowerState.ACTIVE
        self._last_activity = clock.monotonic()
        self._holds: Counter[str] = Counter()
        self._sleep_pending = False  # the Energy Saver key was pressed while sleep was held
        self._user_present = False
        self._tasks = TaskOwner("power", clock, trace)
        self._timer: Timer | None = None  # the one timer, at the next deadline
        self._started = False
        events.subscribe(self._on_session, EventKind.SESSION_CHANGED)

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> None:
        self._started = True
        self._last_activity = self._clock.monotonic()
        self._reschedule()

    async def stop(self) -> None:
        """No timer after this: activity, holds and settings still change the state."""
        self._started = False
        self._timer = None
        await self._tasks.close()

    def configure(self, settings: PowerSettings) -> None:
        """New timers (the settings screen, the QA dock); they apply from now on."""
        self.settings = settings
        self._trace.emit(
            "power",
            "settings",
            dim_after_s=settings.dim_after_s,
            sleep_after_s=settings.sleep_after_s,
            auto_logout_s=settings.auto_logout_s,
        )
        self._reschedule()

    # -- what views and sensors call -----------------------------------------------------------
    def touch(self) -> None:
        """A touch on the screen: the panel is in use (and wakes if it was dimmed or asleep)."""
        self.wake(WakeSource.TOUCH)

    def hardware_key(self) -> None:
        """Home, Stop, Reset, Login/Logout or Maintenance pressed (not Energy Saver)."""
        self.wake(WakeSource.HARDWARE_KEY)

    def energy_saver_key(self) -> None:
        """Sleep now when awake (as soon as nothing holds sleep off); wake when asleep."""
        if self.state is PowerState.SLEEP:
            self.wake(WakeSource.ENERGY_SAVER_KEY)
            return
        if self._holds:
            self._sleep_pending = True
            self._trace.emit("power", "sleep-pending", holds=sorted(self._holds))
            self._events.publish(
                Event(
                    EventKind.NOTICE,
                    None,
                    {"text": SLEEPS_AFTER_WORK, "level": "info"},
                )
            )
            return
        self._enter(PowerState.SLEEP, ENERGY_SAVER)
        self._reschedule()

    def wake(self, source: WakeSource) -> None:
        """Activity from `source`: back to active if dimmed or asleep; the idle time restarts."""
        self._last_activity = self._clock.monotonic()
        self._sleep_pending = False
        if self.state is not PowerState.ACTIVE:
            self._enter(PowerState.ACTIVE, source.value)
            self._reschedule()
        # Awake already: the armed timer finds the idle time restarted and re-arms itself.

    @property
    def idle_s(self) -> float:
        """Device-clock seconds since the last activity."""
        return self._clock.monotonic() - self._last_activity

    # -- holding sleep off ---------------------------------------------------------------------
    def acquire(self, reason: str) -> None:
        """Hold sleep off for `reason` (e.g. "job", "maintenance") until `release(reason)`.
        Holds count: two acquires need two releases."""
        self._holds[reason] += 1
        self._trace.emit("power", "hold", reason=reason, count=self._holds[reason])

    def release(self, reason: str) -> None:
        if self._holds[reason] <= 0:
            raise ValueError(f"sleep is not held for {reason!r}")
        self._holds[reason] -= 1
        if self._holds[reason] == 0:
            del self._holds[reason]
        self._trace.emit("power", "release", reason=reason, count=self._holds[reason])
        if not self._holds and self._sleep_pending and self.state is not PowerState.SLEEP:
            self._enter(PowerState.SLEEP, ENERGY_SAVER)
        self._reschedule()  # an idle time that ran out while held takes effect now

    @contextlib.contextmanager
    def hold(self, reason: str) -> Iterator[None]:
        """`with power.hold("maintenance"):` keeps the device from sleeping inside the block."""
        self.acquire(reason)
        try:
            yield
        finally:
            self.release(reason)

    @property
    def holds(self) -> dict[str, int]:
        """What holds sleep off now, and how many times."""
        return dict(self._holds)

    # -- the timers ----------------------------------------------------------------------------
    def _on_session(self, event: Event) -> None:
        self._user_present = event.subject is not None
        if self._user_present:  # logging in is using the panel, and arms the auto-logout
            self._last_activity = self._clock.monotonic()
            self._reschedule()

    def _reschedule(self) -> None:
        """Apply what is due now and arm one timer for the next deadline."""
        if not self._started:
            return
        delay = self._apply_due()
        # One timer: the one armed before, or by a handler of a change just made, goes.
        self._tasks.cancel_timer(self._timer)
        self._timer = None
        if delay is not None and self._started:  # a handler of the change may have stopped us
            self._timer = self._tasks.call_later(delay, self._deadline)

    def _deadline(self) -> None:
        self._timer = None  # firing: it needs no cancelling
        self._reschedule()

    def _apply_due(self) -> float | None:
        """Log out, dim or sleep if their idle time has passed; seconds to the next deadline."""
        s = self.settings
        idle = self.idle_s
        keeps_session = any(reason in SESSION_HOLDS for reason in self._holds)
        # A maintenance call keeps the user's session: its hold ends with a reschedule.
        logout_armed = self._user_present and s.auto_logout_s > 0 and not keeps_session
        if logout_armed and idle >= s.auto_logout_s:
            self._trace.emit("power", "auto-logout", idle_s=round(idle, 3))
            self._user_present = False
            self._logout()
            self._events.publish(
                Event(
                    EventKind.NOTICE,
                    None,
                    {"text": LOGGED_OUT_IDLE, "level": "info"},
                )
            )
        if self.state is PowerState.ACTIVE and idle >= s.dim_after_s and not keeps_session:
            self._enter(PowerState.DIMMED, IDLE)
        if self.state is not PowerState.SLEEP and idle >= s.sleep_after_s and not self._holds:
            self._enter(PowerState.SLEEP, IDLE)
        deadlines = []
        if logout_armed:
            deadlines.append(s.auto_logout_s)
        if self.state is PowerState.ACTIVE and not keeps_session:
            deadlines.append(s.dim_after_s)
        if self.state is not PowerState.SLEEP and not self._holds:
            deadlines.append(s.sleep_after_s)
        if not deadlines:
            return None  # asleep (or held and dimmed): only a wake or a release changes that
        return max(0.0, min(deadlines) - self.idle_s)

    def _enter(self, state: PowerState, cause: str) -> None:
        """Change state (callers re-arm the timer). Handlers of the event run inside."""
        if state is self.state:
            return
        if state is PowerState.SLEEP:
            self._sleep_pending = False
            if self._user_present:  # nobody stays logged in at a dark panel
                self._user_present = False
                self._logout()
        previous, self.state = self.state, state
        self._trace.emit("power", "state", state=state.value, cause=cause, previous=previous.value)
        self._events.publish(
            Event(EventKind.POWER_CHANGED, state, {"cause": cause, "previous": previous.value})
        )


# Jobs the device is working on: they hold sleep off. HELD (an offline scan waiting for the
# link) does not: it may wait for hours.
_RUNNING = frozenset(
    {JobState.SENDING, JobState.NOTIFIED, JobState.FETCHING, JobState.QUEUED, JobState.PRINTING}
)


class WorkWatcher:
    """Arriving work wakes the device; work in progress holds sleep off (hold reason "job")."""

    HOLD = "job"

    def __init__(self, events: EventBus, power: PowerManager) -> None:
        self._power = power
        self._running: set[str] = set()
        events.subscribe(self._on_job, EventKind.JOB_CREATED, EventKind.JOB_STATE_CHANGED)

    def _on_job(self, event: Event) -> None:
        job = event.subject
        if (
            event.kind is EventKind.JOB_CREATED
            and job.kind is JobKind.CLOUD_PRINT
            and job.state is JobState.NOTIFIED
        ):
            self._power.wake(WakeSource.WORK)
        if job.state in _RUNNING:
            if job.job_id not in self._running:
                self._running.add(job.job_id)
                if len(self._running) == 1:
                    self._power.acquire(self.HOLD)
        elif job.job_id in self._running:
            self._running.discard(job.job_id)
            if not self._running:
                self._power.release(self.HOLD)
