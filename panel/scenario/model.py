"""A scenario: a field issue written down once (who, which devices and networks, what happened
when, what must be seen), read from TOML by `panel.scenario.format`, run by
`panel.scenario.runner`, written by the dock's recorder (`panel.scenario.writer`).

Plain frozen data, no I/O: the parser checks every value, so the runner trusts what it gets.
Every part keeps the line it came from, so a runner's failure can point into the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

# Action kinds and the parameters each takes (required, optional). The parser enforces this
# table; the runner has one handler per kind; the writer writes them back.
ACTIONS: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "login": (frozenset({"user"}), frozenset({"method"})),  # method: "pin" (default) | "card"
    "logout": (frozenset(), frozenset()),
    "tap": (frozenset({"target"}), frozenset()),  # a control's visible text or object name
    "key": (frozenset({"key"}), frozenset()),  # a hard key: "home", "stop", "start", "0".."9", ...
    "scan": (frozenset(), frozenset({"pages", "destination", "title"})),
    "copy": (frozenset(), frozenset({"copies", "sides", "pages"})),
    "submit_job": (frozenset({"user"}), frozenset({"title", "pages", "copies"})),  # on the server
    "network_down": (frozenset({"network"}), frozenset()),
    "network_up": (frozenset({"network"}), frozenset()),
    "network_fault": (  # fault: latency | loss | bandwidth | blackhole | reset
        frozenset({"network", "fault"}),
        frozenset({"value"}),
    ),
    "network_restore": (frozenset({"network"}), frozenset()),  # removes every fault
    "presence": (frozenset({"present"}), frozenset()),
    "card": (frozenset({"card"}), frozenset()),
    "engine_fault": (frozenset({"code"}), frozenset()),  # a catalogue code, e.g. "J-0101"
    "engine_clear": (frozenset(), frozenset({"code"})),  # none: every fault
    "sleep": (frozenset(), frozenset()),
    "wake": (frozenset(), frozenset()),
    "kill_device": (frozenset(), frozenset()),  # SIGKILL-like: no clean shutdown
    "restart_device": (frozenset(), frozenset()),
    "kill_server": (frozenset(), frozenset()),
    "restart_server": (frozenset(), frozenset()),
    "wait": (frozenset(), frozenset()),  # nothing: a point on the timeline
}

# Expectation kinds and their parameters (required, optional).
EXPECTATIONS: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    # a trace line from the device or the server whose fields include `fields`
    "trace": (frozenset({"concern", "event"}), frozenset({"fields", "source"})),
    "screen": (frozenset({"screen"}), frozenset()),  # the panel shows this screen (its name)
    "job_state": (
        frozenset({"state"}),
        frozenset({"title", "user", "side"}),
    ),  # side: device|server
    # how many of `what` (jobs | outbox | trace lines matching concern/event) satisfy `op` value
    "count": (frozenset({"what", "value"}), frozenset({"op", "concern", "event", "state"})),
}

SOURCES: Final = ("device", "server")
COUNT_OPS: Final = ("==", ">=", "<=", ">", "<")
DEFAULT_WITHIN_S: Final = 10.0  # an expectation's deadline when the file gives none
DEFAULT_TIMEOUT_S: Final = 600.0  # a whole scenario, in scenario time

# The values of the table-like keys, for the parser's checks and the JSON Schema.
NETWORK_KINDS: Final = ("lan", "wifi", "cellular")
ROLES: Final = ("user", "admin")
LOGIN_METHODS: Final = ("pin", "card")
# network_fault's `value`: latency in ms, loss in percent (0..100) of the connections that get
# nowhere, bandwidth in KB/s; blackhole and reset take none (panel.sim.faults says what each is).
FAULTS: Final = ("latency", "loss", "bandwidth", "blackhole", "reset")
FAULTS_WITH_VALUE: Final = ("latency", "loss", "bandwidth")
COUNTED: Final = ("jobs", "outbox", "trace")  # count's `what`
# The device's own values, written out so that reading a scenario does not import the device
# core (tests/unit/scenario checks they are still panel.device's JobState, Sides, MAX_COPIES).
JOB_STATES: Final = (
    "held", "sending", "accepted", "notified", "fetching", "queued", "printing", "completed",
    "failed", "cancelled",
)  # fmt: skip
COPY_SIDES: Final = ("1-1", "1-2", "2-2")
MAX_COPIES: Final = 999
MAX_PAGES: Final = 50
COMMON_KEYS: Final = frozenset({"at", "after", "device", "id", "within"})  # any step may have
EXPECTATION_ONLY_KEYS: Final = frozenset({"within"})


@dataclass(frozen=True)
class Param:
    """What one step parameter's value may be (its TOML/JSON type and bounds): the parser
    checks it and the JSON Schema says it, from this one table."""

    type: str  # "string" | "integer" | "number" | "boolean" | "fields"
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False  # `minimum` itself is not allowed
    refers_to: str = ""  # "user" | "network" | "card": must name one declared in the file
    description: str = ""


# Every parameter name of ACTIONS and EXPECTATIONS, by name (PARAM_OVERRIDES for a kind whose
# parameter of the same name differs).
PARAMS: Final[dict[str, Param]] = {
    "user": Param("string", refers_to="user", description="a declared user's id"),
    "method": Param("string", LOGIN_METHODS, description="how the user logs in (default pin)"),
    "target": Param("string", description="a control's visible text or object name"),
    "key": Param("string", description="a hard key: home, stop, start, reset, 0..9, ..."),
    "pages": Param("integer", minimum=1, maximum=MAX_PAGES),
    "destination": Param("string", description="a destination's name or address"),
    "title": Param("string"),
    "copies": Param("integer", minimum=1, maximum=MAX_COPIES),
    "sides": Param("string", COPY_SIDES, description="originals' sides -> copies' sides"),
    "network": Param("string", refers_to="network", description="a declared network's name"),
    "fault": Param("string", FAULTS),
    "value": Param(
        "number", minimum=0, exclusive_minimum=True, description="ms, percent or KB/s (FAULTS)"
    ),
    "present": Param("boolean", description="someone stands in front of the panel"),
    "card": Param("string", refers_to="card", description="a declared card, or a user's id"),
    "code": Param("string", description="an engine fault catalogue code, e.g. J-0101"),
    "concern": Param("string", description="a trace line's concern, e.g. networks"),
    "event": Param("string", description="a trace line's event, e.g. active"),
    "fields": Param("fields", description="fields the trace line must have (a subset)"),
    "source": Param("string", SOURCES, description="whose trace (default: either)"),
    "screen": Param("string", description="a panel screen's name: home, login, jobs, ..."),
    "state": Param("string", JOB_STATES),
    "side": Param("string", SOURCES, description="the job as the device or the server sees it"),
    "what": Param("string", COUNTED),
    "op": Param("string", COUNT_OPS, description="default =="),
}
PARAM_OVERRIDES: Final[dict[tuple[str, str], Param]] = {
    ("count", "value"): Param("integer", minimum=0, description="the number to compare with"),
    ("count", "state"): Param("string", description="jobs or outbox entries in this state"),
}


def param(kind: str, name: str) -> Param:
    """The rule for parameter `name` of action or expectation `kind`."""
    return PARAM_OVERRIDES.get((kind, name)) or PARAMS[name]


@dataclass(frozen=True)
class NetworkSpec:
    """A simulated network (the dock's and the demo's networks): `kind` lan | wifi | cellular."""

    name: str
    kind: str = "lan"
    line: int = 0


@dataclass(frozen=True)
class DeviceSpec:
    """A device: its networks in order of preference and settings (power timers, etc.)."""

    name: str
    networks: tuple[str, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True)
class UserSpec:
    """A user the server knows. The PIN is a test fixture, never a real secret."""

    id: str
    name: str
    pin: str
    card: str | None = None
    role: str = "user"  # user | admin
    line: int = 0


@dataclass(frozen=True)
class Step:
    """One point on the timeline: an action (`action` set) or an expectation (`expect` set).

    It happens `at` seconds after the start, or after the expectation named by `after` was met.
    `device` is a device's name (the first device when the file gives none).
    """

    kind: str  # a key of ACTIONS or EXPECTATIONS
    is_expectation: bool
    at: float = 0.0
    after: str | None = None  # the `id` of an earlier expectation
    device: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    id: str | None = None  # expectations may be named, for `after` and for reports
    within: float = DEFAULT_WITHIN_S  # expectations: the deadline, from when the step starts
    line: int = 0

    @property
    def label(self) -> str:
        """How a report names this step: `expect screen "jobs" (line 42)`."""
        what = "expect" if self.is_expectation else "action"
        name = f" [{self.id}]" if self.id else ""
        shown = ", ".join(f"{k}={v!r}" for k, v in sorted(self.params.items()))
        return f"{what} {self.kind}{name} ({shown}) at line {self.line}"


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str = ""
    path: Path | None = None
    timeout: float = DEFAULT_TIMEOUT_S
    devices: tuple[DeviceSpec, ...] = (DeviceSpec("mfp-1"),)
    users: tuple[UserSpec, ...] = ()
    networks: tuple[NetworkSpec, ...] = (NetworkSpec("lan"),)
    steps: tuple[Step, ...] = ()

    @property
    def length_s(self) -> float:
        """The timeline's length as far as the file says (the latest absolute `at`): steps
        placed `after` an expectation happen when it is met, known only once run (`bench
        scenario` measures the run's own timeline)."""
        return max((s.at for s in self.steps if s.after is None), default=0.0)
