"""The settings an administrator changes at the panel (issue 19): what they are, their bounds,
where they are kept, and how each one applies to a running device, without a restart.

No Qt here. A problem with a value is a `SettingError` with a `Problem` code and the values
that explain it; the settings screen words it in the panel's language (a code maps to a text
in the view). The settings live in the device's JSON file in the platform's config dir
(`panel.config.DeviceSettings.panel`); a secret never does: the device's secret stays in the
keyring, and a server URL carrying a user name or password is refused.

Language and the date and time format are process-wide (one panel's person reads them):
`device_language()` is the language the login screen's per-session language key returns to at
logout, and `format_datetime` is the one way the panel writes a time.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from panel import config
    from panel.device.clock import Clock
    from panel.device.device import Device
    from panel.device.power import PowerSettings
    from panel.protocol.messages import Health

# Imported by the status bar before the panel's first paint: the core, the protocol and aiohttp
# are imported where they are used, not here.

LANGUAGES = ("en", "ja")
# How a date is written: 2026-12-06, 06/12/2026, 12/06/2026, 2026年12月6日.
DATE_STYLES = ("iso", "dmy", "mdy", "ja")
SCREENS = ("800x480", "1024x600", "1280x800")
MAX_NAME = 64
MAX_URL = 256
CHECK_TIMEOUT_S = 3.0  # a server that has not answered its health check by then is unreachable
# Timer bounds, in seconds: a panel that dims within 10 s is unusable, one that never sleeps
# wastes power; 0 auto-logout is "never" (a kiosk), otherwise at least 10 s to read a screen.
DIM_RANGE = (10, 3600)
SLEEP_RANGE = (60, 4 * 3600)
LOGOUT_RANGE = (10, 3600)


class Problem(enum.Enum):
    """Why a value was refused; the settings screen says it in the panel's words."""

    NAME_EMPTY = "name-empty"
    NAME_TOO_LONG = "name-too-long"
    NAME_UNPRINTABLE = "name-unprintable"
    NOT_A_NUMBER = "not-a-number"
    OUT_OF_RANGE = "out-of-range"  # values: low, high
    LOGOUT_RANGE = "logout-range"  # values: low, high (0 is allowed: never)
    SLEEP_BEFORE_DIM = "sleep-before-dim"  # values: dim, sleep
    URL_MALFORMED = "url-malformed"
    URL_HAS_SECRET = "url-has-secret"
    URL_UNREACHABLE = "url-unreachable"  # values: detail
    URL_NOT_A_SERVER = "url-not-a-server"  # values: detail
    NO_NETWORK = "no-network"
    UNKNOWN_CHOICE = "unknown-choice"  # values: value


class SettingError(ValueError):
    """`setting` (a field of PanelSettings) cannot take the value: `problem`, with `values`."""

    def __init__(self, setting: str, problem: Problem, **values: Any) -> None:
        super().__init__(f"{setting}: {problem.value} {values}" if values else setting)
        self.setting = setting
        self.problem = problem
        self.values = values


@dataclass(frozen=True)
class NetworkChoice:
    """One of the device's networks in the administrator's order; a disabled one is not used."""

    name: str
    enabled: bool = True


@dataclass(frozen=True)
class PanelSettings:
    """Everything the Settings screen changes. An empty `device_name` or `server_url` is the
    one the device was started with; empty `networks` is the device's own order."""

    device_name: str = ""
    server_url: str = ""
    networks: tuple[NetworkChoice, ...] = ()
    dim_after_s: int = 60
    sleep_after_s: int = 900
    auto_logout_s: int = 60
    language: str = "en"
    date_style: str = "iso"
    clock_24h: bool = True
    screen: str = "1024x600"
    key_click: bool = True

    def check(self) -> None:
        """Raises the first SettingError of these values (no network request: see
        `check_server` for the URL's server)."""
        check_name(self.device_name, allow_empty=True)
        if self.server_url:
            check_url(self.server_url)
        check_timers(self.dim_after_s, self.sleep_after_s, self.auto_logout_s)
        check_networks(self.networks)
        for setting, allowed in (
            ("language", LANGUAGES),
            ("date_style", DATE_STYLES),
            ("screen", SCREENS),
        ):
            value = getattr(self, setting)
            if value not in allowed:
                raise SettingError(setting, Problem.UNKNOWN_CHOICE, value=value)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["networks"] = [asdict(n) for n in self.networks]
        return data

    @classmethod
    def from_json(cls, data: object) -> PanelSettings:
        """The stored settings; a value that is missing, of the wrong type or out of bounds (a
        file edited by hand, an older version) falls back to its default, field by field."""
        settings = cls()
        if not isinstance(data, dict):
            return settings
        defaults = asdict(settings)
        for item in fields(cls):
            if item.name not in data:
                continue
            value = data[item.name]
            if item.name == "networks":
                value = _networks_from_json(value)
                if value is None:
                    continue
            elif type(value) is not type(defaults[item.name]):
                continue
            candidate = replace(settings, **{item.name: value})
            try:
                candidate.check()
            except SettingError:
                continue
            settings = candidate
        return settings

    def power(self, base: PowerSettings) -> PowerSettings:
        """`base` with these timers (the heartbeats and wake timers are not settings here)."""
        return replace(
            base,
            dim_after_s=float(self.dim_after_s),
            sleep_after_s=float(self.sleep_after_s),
            auto_logout_s=float(self.auto_logout_s),
        )

    @property
    def screen_size(self) -> tuple[int, int]:
        width, height = self.screen.split("x")
        return int(width), int(height)

    @property
    def display(self) -> DisplayFormat:
        return DisplayFormat(self.date_style, self.clock_24h)


def _networks_from_json(value: object) -> tuple[NetworkChoice, ...] | None:
    if not isinstance(value, list):
        return None
    choices = []
    for item in value:
        if not isinstance(item, dict):
            return None
        name, enabled = item.get("name"), item.get("enabled", True)
        if not isinstance(name, str) or not isinstance(enabled, bool):
            return None
        choices.append(NetworkChoice(name, enabled))
    return tuple(choices)


# ---- checks -------------------------------------------------------------------------------


def check_name(name: str, allow_empty: bool = False) -> str:
    """The device name as it is kept (stripped); SettingError if it cannot be one."""
    name = name.strip()
    if not name:
        if allow_empty:
            return name
        raise SettingError("device_name", Problem.NAME_EMPTY)
    if len(name) > MAX_NAME:
        raise SettingError("device_name", Problem.NAME_TOO_LONG, high=MAX_NAME)
    if not name.isprintable():
        raise SettingError("device_name", Problem.NAME_UNPRINTABLE)
    return name


def check_url(url: str) -> str:
    """The server URL as it is kept: http(s)://HOST[:PORT][/PATH], no credentials in it (the
    settings file must hold no secret). SettingError otherwise; nothing is sent."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is not a number raises here
    except ValueError:
        raise SettingError("server_url", Problem.URL_MALFORMED) from None
    if (
        len(url) > MAX_URL
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or any(c.isspace() for c in url)
        or port == 0
    ):
        raise SettingError("server_url", Problem.URL_MALFORMED)
    if parts.username is not None or parts.password is not None:
        raise SettingError("server_url", Problem.URL_HAS_SECRET)
    return url.rstrip("/")


def parse_seconds(setting: str, text: str) -> int:
    """A timer typed on the panel: whole seconds, else SettingError NOT_A_NUMBER."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise SettingError(setting, Problem.NOT_A_NUMBER)
    return int(text)


def check_timers(dim_after_s: int, sleep_after_s: int, auto_logout_s: int) -> None:
    """Each timer within its bounds, and sleep no sooner than dimming (the panel dims first)."""
    for setting, value, (low, high) in (
        ("dim_after_s", dim_after_s, DIM_RANGE),
        ("sleep_after_s", sleep_after_s, SLEEP_RANGE),
    ):
        if not low <= value <= high:
            raise SettingError(setting, Problem.OUT_OF_RANGE, low=low, high=high)
    low, high = LOGOUT_RANGE
    if auto_logout_s != 0 and not low <= auto_logout_s <= high:
        raise SettingError("auto_logout_s", Problem.LOGOUT_RANGE, low=low, high=high)
    if sleep_after_s < dim_after_s:
        raise SettingError(
            "sleep_after_s", Problem.SLEEP_BEFORE_DIM, dim=dim_after_s, sleep=sleep_after_s
        )


def check_networks(networks: Sequence[NetworkChoice]) -> None:
    if networks and not any(n.enabled for n in networks):
        raise SettingError("networks", Problem.NO_NETWORK)
    names = [n.name for n in networks]
    if len(set(names)) != len(names):
        raise SettingError("networks", Problem.UNKNOWN_CHOICE, value=", ".join(names))


async def check_server(url: str, clock: Clock | None = None) -> Health:
    """Ask the server at `url` for its health (GET /api/v1/health) within CHECK_TIMEOUT_S of
    real time: its answer, or SettingError (malformed, unreachable, not an mfp-panel server)."""
    url = check_url(url)
    import aiohttp

    from panel.device.clock import Clock
    from panel.protocol import PROTOCOL_VERSION, ProtocolError, decode_body
    from panel.protocol.messages import Health

    clock = (clock or Clock()).unscaled()
    try:
        async with (
            clock.timeout(CHECK_TIMEOUT_S),
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout()) as session,
            session.get(f"{url}/api/v{PROTOCOL_VERSION}/health", allow_redirects=False) as reply,
        ):
            body = await reply.content.read(64 * 1024)
            status = reply.status
    except TimeoutError:
        raise SettingError("server_url", Problem.URL_UNREACHABLE, detail="timeout") from None
    except (aiohttp.ClientError, OSError) as exc:
        detail = type(exc).__name__
        raise SettingError("server_url", Problem.URL_UNREACHABLE, detail=detail) from None
    if status != 200:
        raise SettingError("server_url", Problem.URL_NOT_A_SERVER, detail=f"HTTP {status}")
    try:
        health = decode_body(Health, body)
    except ProtocolError:
        raise SettingError("server_url", Problem.URL_NOT_A_SERVER, detail="reply") from None
    if health.protocol != PROTOCOL_VERSION:
        detail = f"protocol {health.protocol}"
        raise SettingError("server_url", Problem.URL_NOT_A_SERVER, detail=detail)
    return health


# ---- how dates and times are written ---------------------------------------------------------


@dataclass(frozen=True)
class DisplayFormat:
    """A date style (DATE_STYLES) and a 24 or 12 hour clock."""

    date_style: str = "iso"
    clock_24h: bool = True

    def date(self, seconds: float) -> str:
        t = time.localtime(seconds)
        if self.date_style == "dmy":
            return f"{t.tm_mday:02d}/{t.tm_mon:02d}/{t.tm_year}"
        if self.date_style == "mdy":
            return f"{t.tm_mon:02d}/{t.tm_mday:02d}/{t.tm_year}"
        if self.date_style == "ja":
            return f"{t.tm_year}年{t.tm_mon}月{t.tm_mday}日"
        return f"{t.tm_year}-{t.tm_mon:02d}-{t.tm_mday:02d}"

    def time(self, seconds: float, with_seconds: bool = False) -> str:
        t = time.localtime(seconds)
        tail = f":{t.tm_sec:02d}" if with_seconds else ""
        if self.clock_24h:
            return f"{t.tm_hour:02d}:{t.tm_min:02d}{tail}"
        hour = t.tm_hour % 12 or 12
        return f"{hour}:{t.tm_min:02d}{tail} {'AM' if t.tm_hour < 12 else 'PM'}"

    def datetime(self, seconds: float, with_seconds: bool = False) -> str:
        return f"{self.date(seconds)} {self.time(seconds, with_seconds)}"


@dataclass
class _Shown:
    """What the person at the panel reads in (process-wide, as the Qt translator is)."""

    language: str = "en"
    display: DisplayFormat = field(default_factory=DisplayFormat)


_shown = _Shown()


def device_language() -> str:
    """The device's language (Settings): the login screen's language key returns to it when
    the session's user logs out."""
    return _shown.language


def current_format() -> DisplayFormat:
    return _shown.display


def format_datetime(seconds: float, with_date: bool = True, with_seconds: bool = False) -> str:
    """A time as the device's Settings say to write it (the status bar clock, job times)."""
    display = _shown.display
    if with_date:
        return display.datetime(seconds, with_seconds)
    return display.time(seconds, with_seconds)


def show_as(settings: PanelSettings) -> None:
    """Make `settings`' language and date format the ones the panel shows from now on."""
    _shown.language = settings.language
    _shown.display = settings.display


# ---- where they are kept, and applying them ------------------------------------------------


class SettingsStore:
    """The settings of one device in its JSON file (`panel.config.DeviceSettings`): read at
    start, written before they are applied, and told to whoever listens (the panel's view)."""

    def __init__(self, file: config.DeviceSettings) -> None:
        self.file = file
        self.current = PanelSettings.from_json(file.panel)
        if file.server_url and not self.current.server_url:
            self.current = replace(self.current, server_url=file.server_url)
        self._listeners: list[Callable[[PanelSettings, PanelSettings], None]] = []

    def subscribe(self, listener: Callable[[PanelSettings, PanelSettings], None]) -> None:
        """`listener(old, new)` after every change that was saved."""
        self._listeners.append(listener)

    def update(self, **changes: Any) -> PanelSettings:
        """Check, save, then tell: SettingError (nothing saved) if a value cannot be taken."""
        new = replace(self.current, **changes)
        new.check()
        old = self.current
        if new == old:
            return new
        data = new.to_json()
        del data["server_url"]  # kept where `mfp-panel run` reads it
        self.file.panel = data
        if new.server_url != old.server_url:  # else the file's (registration may set it)
            self.file.server_url = new.server_url
        self.file.save()
        self.current = new
        for listener in list(self._listeners):
            listener(old, new)
        return new


def network_order(settings: PanelSettings, names: Sequence[str]) -> list[NetworkChoice]:
    """The device's networks (`names`, its own order) in the administrator's order: networks
    the settings do not name (new ones) come last, enabled; names the device lacks are dropped."""
    known = [n for n in settings.networks if n.name in names]
    named = {n.name for n in known}
    return known + [NetworkChoice(name) for name in names if name not in named]


def apply_to_device(device: Device, settings: PanelSettings) -> None:
    """The device side of `settings`, now: the power manager's timers (the auto-logout, dimming
    and sleep count from the last activity with the new times) and the networks' order."""
    power = settings.power(device.power.settings)
    if power != device.power.settings:
        device.power.configure(power)
    if settings.networks:
        manager = device.link.networks
        order = network_order(settings, manager.names)
        enabled = [n.name for n in order if n.enabled]
        if enabled != [r.name for r in manager.routes]:  # another change: the order stays
            manager.set_order([n.name for n in order], set(enabled))
    if settings.device_name and settings.device_name != device.name:
        device.name = settings.device_name
        device.trace.emit("device", "renamed", name=settings.device_name)
