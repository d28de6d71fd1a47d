"""The one place where device-core events become Qt signals; views connect to the bridge only.

`PanelDevice` is the part of the device core the views use: the real `panel.device.Device`
satisfies it, and so does the GUI tests' fake (tests/gui/test_fake_device.py holds both to it).
`PoweredDevice` is the power, sensor, LAN and network side (S2, S4, S5): the real core and the
fake have it, the booting placeholder has not yet; `powered(device)` says which. The print
engine (`engine_of`) and the copier (`copier_of`) are there once the real core is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QObject, Signal

from panel.device.events import Event, EventBus, EventKind
from panel.device.model import (
    ConnectionState,
    Job,
    LoginResult,
    OutboxStats,
    PrinterState,
    User,
)
from panel.ui.i18n import Text
from panel.ui.widgets import CoreText

if TYPE_CHECKING:
    from pathlib import Path

    from panel.device.copying import CopySettings, CopyStatus, Original, Placement
    from panel.device.engine.status import EngineStatus, PrintOptions, Reason
    from panel.device.files import BoxFile
    from panel.device.keepalive import SessionMode
    from panel.device.networks import NetworkStatus
    from panel.device.peers import Peer
    from panel.device.power import PowerSettings, PowerState
    from panel.device.sleep_proxy import KeptSession
    from panel.protocol.files import BoxInfo, FileList
    from panel.protocol.messages import Destination, JobTemplate


class JobsView(Protocol):
    def all(self) -> list[Job]:
        """Every job, newest first."""
        ...


class CacheView(Protocol):
    """The server's information the device keeps for offline work (S1); readable offline."""

    @property
    def version(self) -> int: ...
    def destinations(self) -> list[Destination]: ...
    def templates(self) -> list[JobTemplate]: ...


class PanelDevice(Protocol):
    """What the panel reads from and calls on the device core."""

    @property
    def name(self) -> str: ...
    @property
    def events(self) -> EventBus: ...
    @property
    def user(self) -> User | None: ...
    @property
    def connection_state(self) -> ConnectionState: ...
    @property
    def printer_state(self) -> PrinterState: ...
    @property
    def jobs(self) -> JobsView: ...
    @property
    def cache(self) -> CacheView: ...
    @property
    def outbox_stats(self) -> OutboxStats: ...

    async def login(self, user_id: str, pin: str) -> LoginResult: ...
    async def scan_to(self, dest_id: str, pages: int, title: str = "") -> Job:
        """Compose a scan; returns once it is durably in the outbox. Raises ComposeError."""
        ...

    async def send_fax(self, number: str, pages: int) -> Job:
        """Compose a fax; returns once it is durably in the outbox. Raises ComposeError."""
        ...

    def logout(self) -> None: ...
    def cancel_job(self, job_id: str) -> bool: ...
    def cancel_current_job(self) -> Job | None: ...
    def time(self) -> float: ...


# -- the power, sensor, LAN and network side (S2, S4, S5) ------------------------------------------
class PowerControl(Protocol):
    """`panel.device.power.PowerManager` as the panel uses it: every tap and key press is use."""

    @property
    def state(self) -> PowerState: ...
    @property
    def settings(self) -> PowerSettings: ...
    @property
    def idle_s(self) -> float: ...
    @property
    def holds(self) -> dict[str, int]: ...
    def touch(self) -> None: ...
    def hardware_key(self) -> None: ...
    def energy_saver_key(self) -> None: ...


class PresenceControl(Protocol):
    """The simulated presence sensor (the QA dock and its shortcut drive it)."""

    @property
    def present(self) -> bool: ...
    def person_approached(self) -> None: ...
    def person_left(self) -> None: ...


class CardReaderControl(Protocol):
    """The simulated card reader: a tap wakes the panel and logs the card's owner in."""

    async def tap(self, card_id: str) -> LoginResult: ...


class SessionKeeperView(Protocol):
    """Who keeps this device's server session (`panel.device.keepalive.KeepAlive`)."""

    @property
    def mode(self) -> SessionMode: ...
    @property
    def keeper(self) -> Peer | None: ...


class KeptSessionsView(Protocol):
    """The sleeping peers whose sessions this device keeps (`SleepProxy`)."""

    @property
    def kept(self) -> tuple[KeptSession, ...]: ...


class PeersView(Protocol):
    @property
    def peers(self) -> tuple[Peer, ...]: ...


class LanView(Protocol):
    """The device on the LAN (DNS-SD): the peers it has found."""

    @property
    def directory(self) -> PeersView: ...


class ClockView(Protocol):
    @property
    def scale(self) -> float: ...


@runtime_checkable
class PoweredDevice(Protocol):
    """What the panel and the QA dock read from and call on the core's power, sensors, LAN and
    networks. `sleep_proxy` and `lan` are None on a device without a LAN."""

    @property
    def power(self) -> PowerControl: ...
    @property
    def presence(self) -> PresenceControl: ...
    @property
    def cards(self) -> CardReaderControl: ...
    @property
    def keepalive(self) -> SessionKeeperView: ...
    @property
    def sleep_proxy(self) -> KeptSessionsView | None: ...
    @property
    def lan(self) -> LanView | None: ...
    @property
    def clock(self) -> ClockView: ...
    @property
    def networks(self) -> Sequence[NetworkStatus]: ...


def powered(device: object) -> PoweredDevice | None:
    """The device's power and network side, or None while it has none (still booting)."""
    return device if isinstance(device, PoweredDevice) else None


# -- the print engine (issue 14) -------------------------------------------------------------------
class EngineControl(Protocol):
    """`panel.device.engine.PrintEngine` as the panel and the QA dock use it."""

    def status(self) -> EngineStatus: ...
    def clear(self, code: str | None = None) -> bool: ...
    def answer(self, choice_id: str) -> None: ...
    def jam(self, location: str = "tray-1") -> Reason: ...
    def open_cover(self, cover: str = "front-cover") -> None: ...
    def close_cover(self, cover: str = "front-cover") -> None: ...
    def set_toner(self, colour: str, pct: int) -> None: ...
    def set_tray(self, tray_id: str, level: int, media: str | None = None) -> None: ...
    def set_ppm(self, simplex: float, duplex: float | None = None) -> None: ...


@runtime_checkable
class EngineDevice(Protocol):
    @property
    def engine(self) -> EngineControl: ...


def engine_of(device: object) -> EngineControl | None:
    """The device's print engine, or None while it has none (still booting, or a fake)."""
    return device.engine if isinstance(device, EngineDevice) else None


# -- Copy (issue 14) -------------------------------------------------------------------------------
class CopyControl(Protocol):
    """`panel.device.copying.Copier` as the panel and the QA dock use it."""

    @property
    def original(self) -> Original | None: ...
    def status(self) -> CopyStatus: ...
    def start(self, settings: CopySettings) -> Job: ...
    def stop(self) -> bool: ...
    async def place_sample(self, key: str, placement: Placement) -> Original: ...
    async def place_file(self, path: Path, placement: Placement) -> Original: ...
    def remove_originals(self) -> None: ...


@runtime_checkable
class CopyingDevice(Protocol):
    @property
    def copier(self) -> CopyControl: ...


def copier_of(device: object) -> CopyControl | None:
    """The device's copier, or None (still booting, or a device without one)."""
    return device.copier if isinstance(device, CopyingDevice) else None


# -- Shared files (S6) -----------------------------------------------------------------------------
class FilesControl(Protocol):
    """`panel.device.files.DocumentBox` as the Shared files screen and Scan's "Store in box" use
    it (its module docstring says what each does)."""

    def boxes(self) -> list[BoxInfo]: ...
    def get(self, file_id: str) -> BoxFile | None: ...
    def visible_to(self, user_id: str) -> list[BoxFile]: ...
    def content_path(self, file_id: str) -> Path: ...
    async def list_fleet(self, user_id: str) -> FileList: ...
    async def fetch(
        self, device_id: str, file_id: str, user_id: str, pin: str = "", box_id: str = ""
    ) -> BoxFile: ...
    def print_file(
        self, file_id: str, user_id: str, options: PrintOptions | None = None, copies: int = 1
    ) -> Job: ...
    async def store(
        self, user_id: str, box_id: str, name: str, data: bytes | Path, pages: int
    ) -> BoxFile: ...
    async def store_scan(self, user: User, box_id: str, pages: int, title: str = "") -> BoxFile: ...
    async def remove(self, file_id: str, user_id: str, *, admin: bool = False) -> None: ...


@runtime_checkable
class FilesDevice(Protocol):
    @property
    def device_id(self) -> str: ...
    @property
    def files(self) -> FilesControl: ...


def files_of(device: object) -> FilesDevice | None:
    """The device with its document boxes, or None (still booting, or a device without)."""
    return device if isinstance(device, FilesDevice) else None


_JOB_CHANGES = frozenset(
    {EventKind.JOB_CREATED, EventKind.JOB_STATE_CHANGED, EventKind.JOB_PROGRESS}
)


def notice_text(fields: dict[str, object]) -> CoreText | Text:
    """A core notice in the panel's language: its marked `template` filled with its `values`,
    or its `text` (translated when the text itself is marked)."""
    template, values = fields.get("template"), fields.get("values")
    if isinstance(template, str) and template:
        return CoreText(template).format(**(values if isinstance(values, dict) else {}))
    return CoreText(str(fields.get("text", "")))


class DeviceBridge(QObject):
    """Re-emits the device's events as typed Qt signals on the GUI thread (qasync: one loop)."""

    job_changed = Signal(object)  # Job: created, state changed, or pages_done changed
    job_removed = Signal(object)  # Job
    session_changed = Signal(object)  # User | None
    # Why the server ended the login (after session_changed(None)): its sentence, and its
    # reason code ("offline", "elsewhere", "logout"; "" when not known).
    session_ended = Signal(str, str)
    connection_changed = Signal(object)  # ConnectionState
    printer_changed = Signal(object)  # PrinterState
    engine_changed = Signal(object, str)  # EngineStatus, change ("fault", "cleared", "levels"...)
    # text (a Text, or a str: the core's words, translated where marked), level ("info" |
    # "warning" | "error")
    notice = Signal(object, str)
    outbox_changed = Signal(object)  # OutboxStats
    cache_changed = Signal(int)  # the cache's new version
    # Power, sensors, LAN (S4, S5) and networks (S2): see panel.device.events for the subjects.
    power_changed = Signal(object, str)  # PowerState, cause ("idle", a WakeSource value, ...)
    presence_changed = Signal(bool)  # someone is in front of the panel
    user_data_changed = Signal(object)  # UserData | None
    peers_changed = Signal(object)  # tuple[Peer, ...]
    session_keeper_changed = Signal(object, object)  # SessionMode, keeper (Peer | None)
    kept_sessions_changed = Signal(object)  # tuple[KeptSession, ...]
    network_changed = Signal(object, str)  # NetworkStatus in use | None, reason
    network_state_changed = Signal(object)  # NetworkStatus of one network
    network_reach = Signal(object)  # ReachOutcome of one reachability check
    copy_changed = Signal(object, str)  # CopyStatus, change (see EventKind.COPY_CHANGED)
    box_changed = Signal(object, str)  # BoxFile | BoxInfo, change ("added", "removed", "box")
    file_transfer = Signal(object)  # TransferProgress of a file coming in via the server
    qr_changed = Signal(object)  # QrStatus of the camera scanner (S7, panel/device/qr.py)

    def __init__(self, events: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = events.subscribe(self._on_event)

    def detach(self) -> None:
        """Stop listening to the device (the window is closing)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_event(self, event: Event) -> None:
        kind = event.kind
        if kind in _JOB_CHANGES:
            self.job_changed.emit(event.subject)
        elif kind is EventKind.JOB_REMOVED:
            self.job_removed.emit(event.subject)
        elif kind is EventKind.SESSION_CHANGED:
            self.session_changed.emit(event.subject)
            if reason := event.fields.get("reason"):
                self.session_ended.emit(str(reason), str(event.fields.get("code", "")))
        elif kind is EventKind.CONNECTION_CHANGED:
            self.connection_changed.emit(event.subject)
        elif kind is EventKind.PRINTER_STATE_CHANGED:
            self.printer_changed.emit(event.subject)
        elif kind is EventKind.ENGINE_STATUS_CHANGED:
            self.engine_changed.emit(event.subject, str(event.fields.get("change", "")))
        elif kind is EventKind.OUTBOX_CHANGED:
            self.outbox_changed.emit(event.subject)
        elif kind is EventKind.CACHE_CHANGED:
            self.cache_changed.emit(int(event.subject))
        elif kind is EventKind.NOTICE:
            level = str(event.fields.get("level", "info"))
            self.notice.emit(notice_text(event.fields), level)
        else:
            self._relay_power_and_networks(event)

    def _relay_power_and_networks(self, event: Event) -> None:
        kind, subject = event.kind, event.subject
        if kind is EventKind.POWER_CHANGED:
            self.power_changed.emit(subject, str(event.fields.get("cause", "")))
        elif kind is EventKind.PRESENCE_CHANGED:
            self.presence_changed.emit(bool(subject))
        elif kind is EventKind.USER_DATA_CHANGED:
            self.user_data_changed.emit(subject)
        elif kind is EventKind.PEERS_CHANGED:
            self.peers_changed.emit(subject)
        elif kind is EventKind.SESSION_KEEPER_CHANGED:
            self.session_keeper_changed.emit(subject, event.fields.get("keeper"))
        elif kind is EventKind.KEPT_SESSIONS_CHANGED:
            self.kept_sessions_changed.emit(subject)
        elif kind is EventKind.NETWORK_CHANGED:
            self.network_changed.emit(subject, str(event.fields.get("reason", "")))
        elif kind is EventKind.NETWORK_STATE_CHANGED:
            self.network_state_changed.emit(subject)
        elif kind is EventKind.NETWORK_REACH:
            self.network_reach.emit(subject)
        elif kind is EventKind.COPY_CHANGED:
            self.copy_changed.emit(subject, str(event.fields.get("change", "")))
        elif kind is EventKind.BOX_CHANGED:
            self.box_changed.emit(subject, str(event.fields.get("change", "")))
        elif kind is EventKind.FILE_TRANSFER:
            self.file_transfer.emit(subject)
        elif kind is EventKind.QR_CHANGED:
            self.qr_changed.emit(subject)
