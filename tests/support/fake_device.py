"""A stand-in for `panel.device.Device` that the views can observe and call.

Its spec is `panel.ui.bridge.PanelDevice`: tests/gui/test_fake_device.py checks it (mypy and run
time).

It has the real `EventBus` and domain objects, records every call the panel makes, and has
script methods (`add_job`, `set_state`, `progress`, `set_outbox`, `set_destinations`, ...) that
change its state and publish the same events the real core publishes. No Qt, no network.

Composing (S1): `scan_to` / `send_fax` make a SCAN / FAX job, HELD when the fake is offline
(else SENDING), count it in `outbox_stats` and publish JOB_CREATED + OUTBOX_CHANGED, as the
core does once the job is durable. `refuse_compose` makes them raise `ComposeError` with that
message; `hold_composes` makes them wait until `release_composes()` (the panel is "composing").
`drain()` sends the held jobs the way the core's drain does: SENDING, then ACCEPTED, in order.

Power, sensors, LAN and networks (S2, S4, S5; spec `panel.ui.bridge.PoweredDevice`): `power`
is a small state machine (a touch or a key wakes it, the Energy Saver key sleeps it) that
records its calls in `power.calls`, not in `calls`; `set_power` scripts the idle timers'
work. `set_networks` / `use_network` publish what the connection manager publishes; `cards`
answers taps from `card_owners`; `keep_for` and `kept_by` script the sleep proxy.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field, replace

from panel.device.events import Event, EventBus, EventKind
from panel.device.keepalive import SessionMode
from panel.device.model import (
    ComposeError,
    ConnectionState,
    Job,
    JobKind,
    JobRefused,
    JobState,
    LoginOutcome,
    LoginResult,
    OutboxStats,
    PrinterState,
    TimelineEntry,
    User,
    may_manage,
)
from panel.device.networks import NetworkState, NetworkStatus, ReachOutcome
from panel.device.peers import Peer
from panel.device.power import PowerSettings, PowerState
from panel.device.sleep_proxy import KeptSession
from panel.protocol.messages import Destination, JobTemplate

ALICE = User("1001", "Alice Martin")
BOB = User("2002", "Bob Okafor", "admin")
# user_id -> (PIN, user)
DEFAULT_USERS: dict[str, tuple[str, User]] = {
    ALICE.user_id: ("1234", ALICE),
    BOB.user_id: ("9876", BOB),
}


DESTINATIONS = [
    Destination("d-finance", "Finance share", "folder", r"\\files\finance\scans"),
    Destination("d-alice", "Alice (e-mail)", "email", "alice.martin@example.com"),
    Destination("d-archive", "Contracts archive", "cloud", "cloud://archive/contracts"),
]


@dataclass
class FakeCache:
    """The device's cached server information (S1): readable offline."""

    version: int = 1
    items: list[Destination] = field(default_factory=lambda: list(DESTINATIONS))
    template_items: list[JobTemplate] = field(default_factory=list)

    def destinations(self) -> list[Destination]:
        return list(self.items)

    def templates(self) -> list[JobTemplate]:
        return list(self.template_items)


@dataclass
class FakePower:
    """The power state machine's surface: touch and keys wake, Energy Saver sleeps."""

    events: EventBus
    state: PowerState = PowerState.ACTIVE
    settings: PowerSettings = field(default_factory=PowerSettings)
    idle_s: float = 0.0
    holds: dict[str, int] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def touch(self) -> None:
        self.calls.append("touch")
        self._wake("touch")

    def hardware_key(self) -> None:
        self.calls.append("hardware_key")
        self._wake("hardware-key")

    def energy_saver_key(self) -> None:
        self.calls.append("energy_saver_key")
        if self.state is PowerState.SLEEP:
            self._wake("energy-saver-key")
        else:
            self.set_state(PowerState.SLEEP, "energy-saver-key")

    def _wake(self, cause: str) -> None:
        self.idle_s = 0.0
        if self.state is not PowerState.ACTIVE:
            self.set_state(PowerState.ACTIVE, cause)

    def set_state(self, state: PowerState, cause: str = "idle") -> None:
        previous, self.state = self.state, state
        self.events.publish(
            Event(EventKind.POWER_CHANGED, state, {"cause": cause, "previous": previous.value})
        )


@dataclass
class FakePresence:
    events: EventBus
    power: FakePower
    present: bool = False

    def person_approached(self) -> None:
        self._set(True)
        self.power._wake("presence")

    def person_left(self) -> None:
        self._set(False)

    def _set(self, present: bool) -> None:
        if present is not self.present:
            self.present = present
            self.events.publish(Event(EventKind.PRESENCE_CHANGED, present))


@dataclass
class FakeCards:
    """The card reader: `owners` maps card ids to users; a tap logs the owner in."""

    device: FakeDevice
    owners: dict[str, User] = field(default_factory=dict)
    taps: list[str] = field(default_factory=list)

    async def tap(self, card_id: str) -> LoginResult:
        self.taps.append(card_id)
        self.device.power._wake("card")
        user = self.owners.get(card_id)
        if user is None:
            return LoginResult(
                LoginOutcome.REFUSED,
                message="This card is not registered. Log in with your user ID and PIN.",
            )
        self.device.sign_in(user)
        return LoginResult(LoginOutcome.ACCEPTED, user=user)


@dataclass
class FakeKeepAlive:
    mode: SessionMode = SessionMode.ACTIVE
    keeper: Peer | None = None


@dataclass
class FakeSleepProxy:
    kept: tuple[KeptSession, ...] = ()


@dataclass
class FakeDirectory:
    peers: tuple[Peer, ...] = ()


@dataclass
class FakeLan:
    directory: FakeDirectory = field(default_factory=FakeDirectory)


@dataclass
class FakeClock:
    scale: float = 1.0


def single_network() -> list[NetworkStatus]:
    return [NetworkStatus("Network", NetworkState.REACHABLE, True, 4.0)]


class FakeJobs:
    def __init__(self) -> None:
        self.by_id: dict[str, Job] = {}

    def all(self) -> list[Job]:
        """Every job, newest first (like the real JobManager)."""
        return list(reversed(self.by_id.values()))


@dataclass
class FakeDevice:
    name: str = "MFP-3F-East"
    users: dict[str, tuple[str, User]] = field(default_factory=lambda: dict(DEFAULT_USERS))
    now: float = 1_767_261_600.0  # 2026-01-01 10:00 UTC; advance it to move the status clock
    events: EventBus = field(default_factory=EventBus)
    jobs: FakeJobs = field(default_factory=FakeJobs)
    user: User | None = None
    connection_state: ConnectionState = ConnectionState.ONLINE
    printer_state: PrinterState = PrinterState.IDLE
    cache: FakeCache = field(default_factory=FakeCache)
    outbox_stats: OutboxStats = field(default_factory=OutboxStats)
    # When set, scan_to() and send_fax() raise ComposeError(refuse_compose).
    refuse_compose: str | None = None
    # When True, scan_to() and send_fax() wait until release_composes(): "composing".
    hold_composes: bool = False
    # When True, login() waits until release_logins(): the panel is "checking".
    hold_logins: bool = False
    # When set, login() answers this refusal (a warning before a lock, a lock) whatever is typed.
    refuse_login: LoginResult | None = None
    # When True, a job composed online is HELD on return, as the real outbox keeps it (it is
    # sent right after); else it is SENDING at once.
    held_when_kept: bool = False
    calls: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)
    _held: list[asyncio.Future[None]] = field(default_factory=list)
    _composing: list[asyncio.Future[None]] = field(default_factory=list)
    _outbox: list[str] = field(default_factory=list)  # held outgoing job ids, oldest first
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # -- power, sensors, LAN, networks (PoweredDevice) --
    networks: list[NetworkStatus] = field(default_factory=single_network)
    clock: FakeClock = field(default_factory=FakeClock)
    keepalive: FakeKeepAlive = field(default_factory=FakeKeepAlive)
    sleep_proxy: FakeSleepProxy | None = None  # None: no LAN, as DeviceConfig(lan=None)
    lan: FakeLan | None = None
    power: FakePower = field(init=False)
    presence: FakePresence = field(init=False)
    cards: FakeCards = field(init=False)

    def __post_init__(self) -> None:
        self.power = FakePower(self.events)
        self.presence = FakePresence(self.events, self.power)
        self.cards = FakeCards(self)

    # -- the interface the panel uses -----------------------------------------------------------
    async def login(self, user_id: str, pin: str) -> LoginResult:
        self.calls.append(("login", (user_id, pin)))
        if self.hold_logins:
            gate = asyncio.get_running_loop().create_future()
            self._held.append(gate)
            await gate
        if self.refuse_login is not None:
            return self.refuse_login
        known = self.users.get(user_id)
        if known is None or known[0] != pin:
            return LoginResult(LoginOutcome.REFUSED, message="Wrong user ID or PIN.")
        self.sign_in(known[1])
        # Offline, the core checks the PIN against its cached credentials and says so.
        offline = self.connection_state is not ConnectionState.ONLINE
        return LoginResult(LoginOutcome.ACCEPTED, user=known[1], offline=offline)

    def logout(self) -> None:
        self.calls.append(("logout", ()))
        self.sign_in(None)

    async def scan_to(self, dest_id: str, pages: int, title: str = "") -> Job:
        self.calls.append(("scan_to", (dest_id, pages, title)))
        await self._compose_gate()
        found = [d for d in self.cache.items if d.dest_id == dest_id]
        if not found:
            raise ComposeError("This destination is no longer in the address book.")
        return self._compose(JobKind.SCAN, title or "Scan", pages, found[0].name)

    async def send_fax(self, number: str, pages: int) -> Job:
        self.calls.append(("send_fax", (number, pages)))
        await self._compose_gate()
        return self._compose(JobKind.FAX, f"Fax to {number}", pages, number)

    async def _compose_gate(self) -> None:
        if self.hold_composes:
            gate = asyncio.get_running_loop().create_future()
            self._composing.append(gate)
            await gate
        if self.user is None:
            raise ComposeError("Log in to send a job.")
        if self.refuse_compose is not None:
            raise ComposeError(self.refuse_compose)

    def _compose(self, kind: JobKind, title: str, pages: int, destination: str) -> Job:
        assert self.user is not None
        offline = self.connection_state is not ConnectionState.ONLINE
        state = JobState.HELD if offline or self.held_when_kept else JobState.SENDING
        job = self.add_job(
            title, state, user_id=self.user.user_id, pages=pages, kind=kind, destination=destination
        )
        if offline:
            self._outbox.append(job.job_id)
            stats = self.outbox_stats
            self.set_outbox(replace(stats, held=stats.held + 1, bytes_held=stats.bytes_held + 1000))
        return job

    def cancel_job(self, job_id: str) -> bool:
        self.calls.append(("cancel_job", (job_id,)))
        job = self.jobs.by_id.get(job_id)
        if job is None:
            return False
        self._check_may_manage(job)
        if job.state.is_final:
            return False
        self.set_state(job_id, JobState.CANCELLED, "cancelled at the panel")
        if job_id in self._outbox:
            self._outbox.remove(job_id)
            self.set_outbox(replace(self.outbox_stats, held=len(self._outbox)))
        return True

    def cancel_current_job(self) -> Job | None:
        self.calls.append(("cancel_current_job", ()))
        for job in self.jobs.all():
            if job.state is JobState.PRINTING:
                self._check_may_manage(job)
                self.set_state(job.job_id, JobState.CANCELLED, "cancelled at the panel")
                return job
        return None

    def _check_may_manage(self, job: Job) -> None:
        """As the core: another user's job (or nobody's) is refused."""
        if not may_manage(self.user, job):
            raise JobRefused("This job belongs to another user.")

    def time(self) -> float:
        return self.now

    # -- what tests look at ---------------------------------------------------------------------
    def called(self, name: str) -> list[tuple[object, ...]]:
        return [args for call, args in self.calls if call == name]

    # -- script: change state and publish what the real core would ------------------------------
    def release_composes(self) -> None:
        for gate in self._composing:
            if not gate.done():
                gate.set_result(None)
        self._composing.clear()

    def set_outbox(self, stats: OutboxStats) -> None:
        self.outbox_stats = stats
        self._publish(EventKind.OUTBOX_CHANGED, stats)

    def set_destinations(self, destinations: list[Destination]) -> None:
        self.cache.items = list(destinations)
        self.cache.version += 1
        self._publish(EventKind.CACHE_CHANGED, self.cache.version)

    def hold_outgoing(self, count: int, kind: JobKind = JobKind.SCAN) -> list[Job]:
        """`count` outgoing jobs composed offline, held in the outbox (one event each)."""
        jobs = []
        for n in range(count):
            job = self.add_job(
                f"Held {n + 1}", JobState.HELD, pages=1, kind=kind, destination="Finance share"
            )
            self._outbox.append(job.job_id)
            jobs.append(job)
        self.set_outbox(replace(self.outbox_stats, held=len(self._outbox)))
        return jobs

    def drain(self, batch: int = 200) -> None:
        """Send every held job as the core's drain does: batches go SENDING, then ACCEPTED."""
        total, done = len(self._outbox), 0
        while self._outbox:
            ids, self._outbox = self._outbox[:batch], self._outbox[batch:]
            for job_id in ids:
                self.set_state(job_id, JobState.SENDING)
            self.set_outbox(OutboxStats(len(self._outbox), len(ids), 0, done, total))
            for job_id in ids:
                self.set_state(job_id, JobState.ACCEPTED, "accepted")
            done += len(ids)
            self.set_outbox(OutboxStats(len(self._outbox), 0, 0, done, total))
        self.set_outbox(OutboxStats())

    def release_logins(self) -> None:
        for gate in self._held:
            if not gate.done():
                gate.set_result(None)
        self._held.clear()

    def sign_in(self, user: User | None) -> None:
        if user != self.user:
            self.user = user
            self._publish(EventKind.SESSION_CHANGED, user)

    def add_job(
        self,
        title: str,
        state: JobState = JobState.QUEUED,
        *,
        user_id: str = ALICE.user_id,
        pages: int = 4,
        copies: int = 1,
        kind: JobKind = JobKind.CLOUD_PRINT,
        job_id: str | None = None,
        destination: str = "",
    ) -> Job:
        job = Job(job_id or f"job-{next(self._ids)}", kind, title, user_id, state, pages, copies)
        job.destination = destination
        job.timeline.append(TimelineEntry(self.now, state))
        self.jobs.by_id[job.job_id] = job
        self._publish(EventKind.JOB_CREATED, job)
        return job

    def set_state(self, job_id: str, state: JobState, reason: str = "") -> Job:
        job = self.jobs.by_id[job_id]
        job.state = state
        if reason:
            job.reason = reason
        job.timeline.append(TimelineEntry(self.now, state, reason))
        self._publish(EventKind.JOB_STATE_CHANGED, job)
        return job

    def progress(self, job_id: str, pages_done: int) -> Job:
        job = self.jobs.by_id[job_id]
        job.pages_done = pages_done
        self._publish(EventKind.JOB_PROGRESS, job)
        return job

    def remove_job(self, job_id: str) -> Job:
        job = self.jobs.by_id.pop(job_id)
        self._publish(EventKind.JOB_REMOVED, job)
        return job

    def set_connection(self, state: ConnectionState) -> None:
        self.connection_state = state
        self._publish(EventKind.CONNECTION_CHANGED, state)

    def set_printer(self, state: PrinterState) -> None:
        self.printer_state = state
        self._publish(EventKind.PRINTER_STATE_CHANGED, state)

    def set_power(self, state: PowerState, cause: str = "idle") -> None:
        """What the core's idle timers do (dim, sleep), or a wake from elsewhere (LAN, work)."""
        self.power.set_state(state, cause)

    def set_networks(self, *statuses: NetworkStatus) -> None:
        """The connection manager's networks, preferred first (no event: see use_network)."""
        self.networks = list(statuses)

    def use_network(self, name: str | None, reason: str) -> None:
        """The network in use changes to `name` (None: none reaches the server)."""
        previous = next((n.name for n in self.networks if n.active), None)
        self.networks = [replace(n, active=n.name == name) for n in self.networks]
        subject = next((n for n in self.networks if n.active), None)
        self._publish(EventKind.NETWORK_CHANGED, subject, previous=previous, reason=reason)

    def set_network_state(self, name: str, state: NetworkState, error: str = "") -> None:
        found = next(n for n in self.networks if n.name == name)
        changed = replace(found, state=state, error=error)
        self.networks = [changed if n.name == name else n for n in self.networks]
        self._publish(EventKind.NETWORK_STATE_CHANGED, changed, previous=found.state)

    def reach(self, outcome: ReachOutcome) -> None:
        """One reachability check over the networks, as the connection manager reports it."""
        self._publish(EventKind.NETWORK_REACH, outcome)

    def find_peers(self, *peers: Peer) -> None:
        if self.lan is None:
            self.lan = FakeLan()
            self.sleep_proxy = FakeSleepProxy()
        self.lan.directory.peers = peers
        self._publish(EventKind.PEERS_CHANGED, peers)

    def keep_for(self, *kept: KeptSession) -> None:
        """This device keeps the sessions of these sleeping peers (KEPT_SESSIONS_CHANGED)."""
        assert self.sleep_proxy is not None, "find_peers first: keeping needs a LAN"
        self.sleep_proxy.kept = kept
        self._publish(EventKind.KEPT_SESSIONS_CHANGED, kept)

    def kept_by(self, mode: SessionMode, keeper: Peer | None = None) -> None:
        """Who keeps this device's own session (SESSION_KEEPER_CHANGED)."""
        self.keepalive.mode, self.keepalive.keeper = mode, keeper
        self._publish(EventKind.SESSION_KEEPER_CHANGED, mode, keeper=keeper)

    def notice(self, text: str, level: str = "info") -> None:
        self._publish(EventKind.NOTICE, None, text=text, level=level)

    def _publish(self, kind: EventKind, subject: object, **fields: object) -> None:
        self.events.publish(Event(kind, subject, dict(fields)))
