"""The panel window: a scaled touchscreen inside a dark bezel with hardware keys and LEDs.

It observes the device core through `DeviceBridge` and calls the device's methods; coroutines
(login, composing a scan or a fax, a maintenance call) run as tasks of the window's `TaskOwner`
on the asyncio loop Qt shares through qasync, and end when the window closes.

The window composes three parts, each in its own module: the bezel (`panel.ui.bezel`: keys and
LEDs), the compose controller (`panel.ui.composing`: Scan and Fax) and the maintenance call
(`panel.ui.maintenance_call`). It keeps the screens' navigation, login and what follows the
device's events.

Job and outbox events come in bursts of hundreds: each one only records what changed (O(1)),
and the job list, the held count, the drain banner, the jobs tile and the LEDs show it once per
frame (`panel.ui.coalesce`). `flush()` shows it at once (tests, screenshots).
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from panel.device.attention import attention
from panel.device.model import (
    ConnectionState,
    Job,
    JobRefused,
    JobState,
    OutboxStats,
    PrinterState,
    User,
)
from panel.device.power import PowerState
from panel.tasks import TaskOwner
from panel.ui import i18n, theme
from panel.ui.bezel import Bezel, window_size
from panel.ui.bridge import (
    DeviceBridge,
    EngineControl,
    PanelDevice,
    PoweredDevice,
    engine_of,
    powered,
)
from panel.ui.coalesce import Coalescer
from panel.ui.composing import ComposeController
from panel.ui.i18n import Text, bind, translate_marked
from panel.ui.idle_gc import IdleCollector
from panel.ui.maintenance_call import MaintenanceCall
from panel.ui.power_view import PowerView
from panel.ui.screens.login import LoginScreen, refusal_text
from panel.ui.widgets import CoreText, DrainBanner, HardKey, Led, ScreenView, StatusBar, Toast

if TYPE_CHECKING:
    from panel.device.copying import CopyStatus
    from panel.device.engine.status import EngineStatus
    from panel.device.files import TransferProgress
    from panel.ui.maintenance_bridge import MaintenanceService
    from panel.ui.remote_screen import RemoteScreen
    from panel.ui.screens.copy import CopyController, CopyScreen
    from panel.ui.screens.device_status import DeviceStatusScreen, EnginePill
    from panel.ui.screens.engine_fault import EngineFaultScreen
    from panel.ui.screens.fax import FaxScreen
    from panel.ui.screens.home import HomeScreen
    from panel.ui.screens.jobs import JobListScreen
    from panel.ui.screens.maintenance import (
        ConsentDialog,
        MaintenanceBanner,
        MaintenanceChat,
        MaintenanceScreen,
    )
    from panel.ui.screens.scan import ScanScreen
    from panel.ui.screens.shared_files import SharedFilesController, SharedFilesScreen


def _standing(status: EngineStatus) -> frozenset[str]:
    """The engine's errors and question now, as the fault screen's Later remembers them."""
    codes = {r.code for r in status.reasons if r.stops}
    if status.prompt is not None:
        codes.add(f"prompt:{status.prompt.kind}:{status.prompt.job_id}")
    return frozenset(codes)


# Logical resolutions of real panels; the first is the 7" class, the default the 9" class.
SCREEN_SIZES: tuple[tuple[int, int], ...] = ((800, 480), (1024, 600), (1280, 800))
DEFAULT_SCREEN = (1024, 600)

OFFLINE_LOGIN_TOAST = Text("Window", "Logged in offline — your PIN was checked on this device")
LOGIN_FAILED = Text("Window", "Login is not possible right now. Try again.")


def configured_language() -> str:
    """The device's language: MFP_LANGUAGE (demos and tests, a code of `i18n.LANGUAGES`), else
    the one Settings keep (`panel.device.settings.device_language`), else English."""
    code = os.environ.get(i18n.ENV_OVERRIDE, "")
    if code in i18n.LANGUAGES:
        return code
    from panel.device.settings import device_language

    saved = device_language()
    return saved if saved in i18n.LANGUAGES else i18n.ENGLISH


class PanelWindow(QMainWindow):
    """The emulated operation panel of one device."""

    login_painted = Signal()  # once: the login screen has really been painted
    _core: PoweredDevice | None = None  # the device's power and networks, once it has them

    def __init__(
        self,
        device: PanelDevice,
        screen: tuple[int, int] = DEFAULT_SCREEN,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        width, height = screen
        if width <= 0 or height <= 0:
            raise ValueError(f"screen size must be positive, got {screen!r}")
        self.device = device
        self.screen_size = QSize(width, height)
        # Login, composing and the maintenance call: cancelled and awaited when the window
        # closes; a failure is reported (log and trace), never dropped.
        self.tasks = TaskOwner(f"panel window {device.name}")
        self.tasks_closed: asyncio.Task[None] | None = None  # the owner closing (once closed)
        # What the device reported last (the LEDs and a maintenance call read them).
        self.connection = device.connection_state
        self.printer = device.printer_state
        self.outbox = OutboxStats()
        self.job_failed = False
        # The print engine's last status (None: a device without one, e.g. still booting); its
        # views are built at the first fault, or when the device status is first opened.
        self.engine_status: EngineStatus | None = None
        self._fault_screen: EngineFaultScreen | None = None
        # Later was pressed with these errors and question standing: hidden until another comes.
        self._fault_later: frozenset[str] | None = None
        self._status_screen: DeviceStatusScreen | None = None
        self._engine_pill: EnginePill | None = None
        bind(
            self,
            Text("Window", "{device} — operation panel").format(device=device.name),
            "setWindowTitle",
        )
        sheet = theme.stylesheet()
        self.setStyleSheet(sheet)

        # The touchscreen, at its logical resolution; ScreenView scales it into the window.
        self.touchscreen = QWidget()
        self.touchscreen.setObjectName("touchscreen")
        self.touchscreen.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.touchscreen.setStyleSheet(sheet)
        # One frame for every view: the rows, the counts and the LEDs change together.
        self.updates = Coalescer(parent=self)
        # Full garbage collections wait until the panel is quiet (a drain would freeze).
        self.idle_gc = IdleCollector(lambda: self.updates.last_frame, parent=self)
        self.idle_gc.start()
        self.status_bar = StatusBar(self.touchscreen)
        self.login_screen = LoginScreen()
        # Only the login screen is built before the first paint: home and the job list are
        # built right after it (or at first use), Scan and Fax when first opened.
        self._home_screen: HomeScreen | None = None
        self._jobs_screen: JobListScreen | None = None
        self.drain_banner = DrainBanner(self.touchscreen)
        self.stack = QStackedWidget(self.touchscreen)
        self.stack.addWidget(self.login_screen)
        column = QVBoxLayout(self.touchscreen)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.status_bar)
        column.addWidget(self.drain_banner)
        column.addWidget(self.stack, 1)
        self.toast = Toast(self.touchscreen)
        self.view = ScreenView(self.touchscreen, self.screen_size)

        self.bezel = Bezel(self.view, self)
        self.leds: dict[str, Led] = self.bezel.leds
        self.keys: dict[str, HardKey] = self.bezel.keys
        self.setCentralWidget(self.bezel)
        self._size_to_screen()
        self.compose = ComposeController(self)
        self._copy: CopyController | None = None  # built when Copy is first opened
        self._files: SharedFilesController | None = None  # built when Shared files is opened

        self.clock = QTimer(self)
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self._tick)
        self.clock.start()

        self.bridge = DeviceBridge(device.events, self)
        self._connect()
        self._connect_bridge()
        self.call = MaintenanceCall(self)
        self.call.attach()
        self._load_state()
        self._build_power()

    # -- construction -----------------------------------------------------------------------------
    def _size_to_screen(self, beside: int = 0) -> None:
        """Start at 1:1 when the desktop has room, scaled down to fit when it has not
        (`beside`: the width of what is docked beside the panel)."""
        self.resize(window_size(self.screen_size, self.screen().availableGeometry(), beside))

    def attach(self, device: PanelDevice) -> None:
        """Observe and drive `device` from now on: `mfp-panel run` paints the login screen
        over a `BootingDevice` and attaches the real core once it has loaded."""
        self.bridge.detach()
        self.bridge.deleteLater()
        self.device = device
        self.connection = device.connection_state
        self.printer = device.printer_state
        self.bridge = DeviceBridge(device.events, self)
        self._connect_bridge()
        self.call.attach()
        if self._jobs_screen is not None:
            self._jobs_screen.set_jobs(device.jobs.all())
        self.compose.set_destinations(device.cache.destinations())
        self._load_state()
        self._attach_power()

    def _connect_bridge(self) -> None:
        bridge = self.bridge
        bridge.job_changed.connect(self._on_job_changed)
        bridge.job_removed.connect(self._on_job_removed)
        bridge.session_changed.connect(self._on_session_changed)
        # The server ended the login while the device was away: the login screen says why.
        bridge.session_ended.connect(self.login_screen.show_logged_out)
        bridge.connection_changed.connect(self._on_connection_changed)
        bridge.printer_changed.connect(self._on_printer_changed)
        bridge.engine_changed.connect(self._on_engine_changed)
        bridge.notice.connect(self.show_toast)
        bridge.outbox_changed.connect(self._on_outbox_changed)
        bridge.cache_changed.connect(self._on_cache_changed)
        bridge.copy_changed.connect(self._on_copy_changed)
        bridge.box_changed.connect(self._on_box_changed)
        bridge.file_transfer.connect(self._on_file_transfer)

    def _connect(self) -> None:
        self.login_screen.first_painted.connect(self.login_painted)
        self.login_screen.first_painted.connect(self._build_after_paint)
        self.login_screen.submitted.connect(self._start_login)
        self.login_screen.language_chosen.connect(self.choose_language)

        self.keys["home"].clicked.connect(self.show_home)
        self.keys["login"].clicked.connect(self._on_login_key)
        self.keys["reset"].clicked.connect(self.reset)
        self.keys["stop"].clicked.connect(self._on_stop_key)
        self.keys["energy_saver"].clicked.connect(self._on_energy_saver_key)
        self.keys["maintenance"].clicked.connect(self.show_maintenance)

    def _load_state(self) -> None:
        device = self.device
        self.leds["power"].set_on(True)
        self.status_bar.set_device_name(device.name)
        self.status_bar.set_connection(self.connection)
        self._show_connection()
        self._tick()
        self._show_user(device.user)
        if device.jobs.all() or device.user is not None:
            _ = self.jobs_screen  # the LEDs and counts follow the job list's model
        engine = self.engine
        self._show_engine(engine.status() if engine is not None else None)
        self._on_outbox_changed(device.outbox_stats)  # also refreshes the job counts
        self.updates.flush()  # the first picture is complete
        if device.user is None:
            self.show_login()
        else:
            self.show_home()
        self.view.setFocus()

    def _build_after_paint(self) -> None:
        """Home and the job list, once the login screen is on the glass, so that they are
        ready when someone logs in (a queued call: never inside the paint event)."""
        QTimer.singleShot(0, self, self._build_screens)

    def _build_screens(self) -> None:
        _ = self.jobs_screen, self.home_screen

    @property
    def home_screen(self) -> HomeScreen:
        if self._home_screen is None:
            from panel.ui.screens.home import HomeScreen

            screen = self._home_screen = HomeScreen()
            self.stack.addWidget(screen)
            screen.open_jobs.connect(self.show_jobs)
            screen.open_scan.connect(self.show_scan)
            screen.open_fax.connect(self.show_fax)
            screen.open_copy.connect(self.show_copy)
            screen.open_files.connect(self.show_shared_files)
            screen.open_phone.connect(self.show_phone)
            screen.open_apps.connect(self.show_apps)
            screen.open_status.connect(self.show_device_status)
            screen.open_settings.connect(self.show_settings)
            screen.unavailable.connect(self._not_available)
            screen.set_user(self.device.user)
            if self._jobs_screen is not None:
                screen.set_active_jobs(self._jobs_screen.model.active_count())
        return self._home_screen

    @property
    def jobs_screen(self) -> JobListScreen:
        if self._jobs_screen is None:
            from panel.ui.screens.jobs import JobListScreen

            screen = self._jobs_screen = JobListScreen(self.updates)
            self.stack.addWidget(screen)
            screen.back.connect(self.show_home)
            screen.cancel_requested.connect(self._cancel_job)
            screen.set_viewer(self.device.user)
            screen.set_jobs(self.device.jobs.all())
            self.updates.schedule(self._show_summary)
        return self._jobs_screen

    @property
    def scan_screen(self) -> ScanScreen:
        return self.compose.scan_screen

    @property
    def fax_screen(self) -> FaxScreen:
        return self.compose.fax_screen

    # -- the maintenance call (panel.ui.maintenance_call) -----------------------------------------
    @property
    def maintenance(self) -> MaintenanceService | None:
        """The device's maintenance client (None: booting, or a device without one)."""
        return self.call.service

    @property
    def remote(self) -> RemoteScreen | None:
        return self.call.remote

    @property
    def maintenance_banner(self) -> MaintenanceBanner:
        return self.call.banner

    @property
    def maintenance_chat(self) -> MaintenanceChat:
        return self.call.chat

    @property
    def consent_dialog(self) -> ConsentDialog:
        return self.call.consent_dialog

    @property
    def maintenance_screen(self) -> MaintenanceScreen:
        return self.call.screen

    def show_maintenance(self) -> None:
        """The Maintenance call key: the request form, or where the call under way is."""
        self.call.show()

    def end_maintenance(self) -> None:
        """End the call (the banner's End, Cancel call, the Stop key)."""
        self.call.end()

    # -- navigation -------------------------------------------------------------------------------
    def current_screen(self) -> QWidget:
        """The screen the touchscreen shows now (login, home, jobs, scan or fax)."""
        page = self.stack.currentWidget()
        assert page is not None
        return page

    def show_login(self) -> None:
        """The login screen; shown anew, it is clean (nothing from whoever used it before)."""
        anew = self.stack.currentWidget() is not self.login_screen
        self.stack.setCurrentWidget(self.login_screen)
        if anew:
            self.login_screen.clear()
        self.login_screen.select_field(self.login_screen.active_field)

    def show_home(self) -> None:
        """The Home key: the home screen, or the login screen when nobody is logged in."""
        if self.device.user is None:
            self.show_login()
        else:
            self.stack.setCurrentWidget(self.home_screen)

    def show_jobs(self) -> None:
        if self.device.user is None:
            self.show_login()
            return
        self.jobs_screen.set_viewer(self.device.user)
        self.jobs_screen.set_jobs(self.device.jobs.all())
        self.stack.setCurrentWidget(self.jobs_screen)

    def show_scan(self) -> None:
        self.compose.show_scan()

    def show_fax(self) -> None:
        self.compose.show_fax()

    # -- Copy (panel.ui.screens.copy) -------------------------------------------------------------
    @property
    def copy(self) -> CopyController:
        if self._copy is None:
            from panel.ui.screens.copy import CopyController

            self._copy = CopyController(self)
        return self._copy

    @property
    def copy_screen(self) -> CopyScreen:
        return self.copy.screen

    def show_copy(self) -> None:
        self.copy.show()

    def _on_copy_changed(self, status: CopyStatus, change: str) -> None:
        if self._copy is not None:
            self._copy.status_changed(status, change)

    # -- Shared files (panel.ui.screens.shared_files, S6) -----------------------------------------
    @property
    def shared_files(self) -> SharedFilesController:
        if self._files is None:
            from panel.ui.screens.shared_files import SharedFilesController

            self._files = SharedFilesController(self)
        return self._files

    @property
    def shared_files_screen(self) -> SharedFilesScreen:
        return self.shared_files.screen

    def show_shared_files(self) -> None:
        self.shared_files.show()

    def show_apps(self) -> None:
        """The Apps screen (server apps, S8: panel.ui.screens.apps)."""
        from panel.ui.screens.apps import AppsController

        AppsController.of(self).show()

    def show_settings(self) -> None:
        """The administrator's Settings (panel.ui.settings); refused to anyone else."""
        from panel.ui.settings import SettingsController

        SettingsController.of(self).show()

    def show_phone(self) -> None:
        """The Phone screen (QR connection, S7: panel.ui.screens.phone)."""
        from panel.ui.screens.phone import PhoneController

        PhoneController.of(self).show()

    def _on_box_changed(self, subject: object, change: str) -> None:
        if self._files is not None:
            self._files.box_changed(subject, change)

    def _on_file_transfer(self, progress: TransferProgress) -> None:
        if self._files is not None:
            self._files.transfer(progress)

    def reset(self) -> None:
        """The Reset key: forget typed input and start over from home (or login)."""
        self.login_screen.reset()
        self.compose.reset()
        if self._copy is not None:
            self._copy.reset()
        if self._files is not None:
            self._files.reset()
        self.toast.hide()
        self.show_home()

    def flush(self) -> None:
        """Show every event received so far now, rather than at the end of the frame."""
        self.updates.flush()

    def show_toast(self, text: Text | str, level: str = "info") -> None:
        """A message over the screen; a plain string is the core's (translated if marked)."""
        self.toast.show_message(CoreText(text) if isinstance(text, str) else text, level)

    def _not_available(self, feature: str) -> None:
        """`feature`: a home tile's label (its English source, context "Home")."""
        self.show_toast(
            Text("Window", "{feature} is not available yet.").format(
                feature=translate_marked("Home", feature)
            )
        )

    # -- languages (issue 19) ---------------------------------------------------------------------
    def choose_language(self, code: str) -> None:
        """The login screen's language key: the whole panel in `code` for this session."""
        try:
            i18n.set_language(code)
        except FileNotFoundError:  # a build without its translations
            self.show_toast(Text("Window", "This language is not installed."), "warning")

    def restore_language(self) -> None:
        """Back to the device's language (logout, auto-logout, a walk-up user gone), whatever
        the login screen's language key chose for the session."""
        device = configured_language()
        if i18n.current_language() != device:
            self.choose_language(device)

    # -- hardware keys ----------------------------------------------------------------------------
    def _on_login_key(self) -> None:
        if self.device.user is not None:
            self.device.logout()  # SESSION_CHANGED(None) brings the login screen back
        else:
            self.show_login()

    def _on_stop_key(self) -> None:
        if self.call.stop_key_ends_call():
            return
        self.cancel_printing()

    def cancel_printing(self) -> None:
        """The Stop key outside a call: cancel the job printing now."""
        try:
            job = self.device.cancel_current_job()
        except JobRefused as refused:
            self.show_toast(refused.message, "warning")
            return
        if job is None:
            self.show_toast(Text("Window", "Nothing is printing."))
        else:
            self.show_toast(
                Text("Window", "Stopped: “{title}” was cancelled.").format(
                    title=job.title or job.job_id
                ),
                "warning",
            )

    def _cancel_job(self, job_id: str) -> None:
        try:
            cancelled = self.device.cancel_job(job_id)
        except JobRefused as refused:
            self.show_toast(refused.message, "warning")
            return
        if not cancelled:
            self.show_toast(Text("Window", "This job can no longer be cancelled."), "warning")

    # -- login ------------------------------------------------------------------------------------
    def _start_login(self, user_id: str, pin: str) -> None:
        _ = self.tasks.spawn(self._log_in(user_id, pin), "login")
        self.login_screen.set_checking(True)

    async def _log_in(self, user_id: str, pin: str) -> None:
        """A refusal shows on the login screen; a failure too, and the task owner reports it."""
        try:
            result = await self.device.login(user_id, pin)
        except Exception:
            self.login_screen.set_checking(False)
            self.login_screen.show_refusal(LOGIN_FAILED)
            raise
        self.login_screen.set_checking(False)
        if result.ok:
            self.login_screen.reset()
            self.show_home()
            if result.offline:
                self.show_toast(OFFLINE_LOGIN_TOAST)
        else:
            self.login_screen.show_refusal(refusal_text(result), result.retry_after_s)

    # -- device events ----------------------------------------------------------------------------
    def _on_job_changed(self, job: Job) -> None:
        self.jobs_screen.update_job(job)
        self.updates.schedule(self._show_summary)
        self.compose.job_changed(job)  # a scan or fax composed here: "Sent" once it is

    def _on_job_removed(self, job: Job) -> None:
        self.jobs_screen.remove_job(job)
        self.updates.schedule(self._show_summary)

    def _on_session_changed(self, user: User | None) -> None:
        self._show_user(user)
        if self._jobs_screen is not None:
            self._jobs_screen.set_viewer(user)  # only their own jobs, from the top
        if user is None:
            self.restore_language()  # the session's language ends with the session
            self.login_screen.reset()
            self.compose.reset()
            if self._copy is not None:
                self._copy.reset()
            if self._files is not None:
                self._files.reset()
            self.show_login()
        else:
            self.login_screen.logged_out_reason = ""  # read by now: the panel is in use again
            if self.current_screen() is self.login_screen:
                self.login_screen.reset()  # the PIN goes the moment the session begins
                self.show_home()

    def _on_connection_changed(self, state: ConnectionState) -> None:
        self.connection = state
        self.status_bar.set_connection(state)
        self._show_connection()
        self._refresh_attention()

    def _show_connection(self) -> None:
        self.compose.set_online(self.connection is ConnectionState.ONLINE)

    def _on_outbox_changed(self, stats: OutboxStats) -> None:
        """Held count in the status bar, the drain banner, and the Data LED's blinking."""
        self.outbox = stats
        self.updates.schedule(self._show_summary)

    def _show_summary(self) -> None:
        """What follows the job list's counts and the outbox, at the end of the frame."""
        stats = self.outbox
        self.status_bar.set_held(stats.held)
        self.drain_banner.set_stats(stats)
        self._refresh_jobs()

    def _on_cache_changed(self, _version: int) -> None:
        self.compose.set_destinations(self.device.cache.destinations())

    def _on_printer_changed(self, state: PrinterState) -> None:
        self.printer = state
        self._refresh_attention()

    def _show_user(self, user: User | None) -> None:
        self.status_bar.set_user(user)
        if self._home_screen is not None:
            self._home_screen.set_user(user)
        self.bezel.show_user(user)
        if self._status_screen is not None:
            self._status_screen.set_user(user)

    def active_jobs(self) -> int:
        """The jobs in progress, as the job list counts them (0 before it is built)."""
        return 0 if self._jobs_screen is None else self._jobs_screen.model.active_count()

    def _refresh_jobs(self) -> None:
        """Data LED, the jobs tile's number and Attention follow the job list's counts (O(1)).

        The Data LED blinks while the outbox holds jobs, is steady while other work is in
        progress, and is off when the device is idle.
        """
        model = None if self._jobs_screen is None else self._jobs_screen.model
        active = self.active_jobs()
        data = self.leds["data"]
        if self.outbox.held > 0:
            data.set_blinking(True)
        else:
            data.set_on(active > 0)
        if self._home_screen is not None:
            self._home_screen.set_active_jobs(active)
        self.job_failed = model is not None and model.count(JobState.FAILED) > 0
        self._refresh_attention()

    def _refresh_attention(self) -> None:
        """The device's one rule (`panel.device.attention`): lit for an error, blinking for a
        warning. A device without an engine (still booting) has only its printer state."""
        status = self.engine_status if self.engine_status is not None else self.printer
        self.bezel.show_attention(
            attention(
                status,
                self.connection,
                self.job_failed,
                self.outbox.held,
                off_network_ok=self._asleep_off_the_network(),
            )
        )

    def _tick(self) -> None:
        now = self.device.time()
        self.status_bar.set_time(now)
        self.compose.set_time(now)

    # -- the print engine (issue 14): faults, questions, device status ----------------------------
    @property
    def engine(self) -> EngineControl | None:
        """The device's print engine (None: still booting, or a device without one)."""
        return engine_of(self.device)

    @property
    def fault_screen(self) -> EngineFaultScreen:
        """Over the screen stack while an engine error stands or a question waits."""
        if self._fault_screen is None:
            from panel.ui.screens.engine_fault import EngineFaultScreen

            screen = self._fault_screen = EngineFaultScreen(self.touchscreen)
            screen.cover(self.stack)
            screen.clear_requested.connect(self._clear_fault)
            screen.answered.connect(self._answer_engine)
            screen.later.connect(self._fault_for_later)
        return self._fault_screen

    @property
    def device_status_screen(self) -> DeviceStatusScreen:
        if self._status_screen is None:
            from panel.ui.screens.device_status import DeviceStatusScreen

            screen = self._status_screen = DeviceStatusScreen()
            self.stack.addWidget(screen)
            screen.back.connect(self.show_home)
            screen.set_user(self.device.user)
            if self.engine_status is not None:
                screen.show_status(self.engine_status)
        return self._status_screen

    @property
    def engine_pill(self) -> EnginePill:
        """In the status bar, after the held count: the worst current engine reason."""
        if self._engine_pill is None:
            from panel.ui.screens.device_status import EnginePill

            pill = self._engine_pill = EnginePill(self.status_bar)
            row = self.status_bar.layout()
            assert isinstance(row, QHBoxLayout)
            row.insertWidget(row.indexOf(self.status_bar.held_label) + 1, pill)
            pill.clicked.connect(self._on_engine_pill)
        return self._engine_pill

    def show_device_status(self) -> None:
        """Trays, toner, counters, errors and warnings (anyone may look, as on a real panel)."""
        screen = self.device_status_screen
        if self.engine_status is not None:
            screen.show_status(self.engine_status)
        self.stack.setCurrentWidget(screen)

    def _on_engine_changed(self, status: EngineStatus, _change: str) -> None:
        self._show_engine(status)

    def _show_engine(self, status: EngineStatus | None) -> None:
        self.engine_status = status
        if status is not None:
            if self._engine_pill is not None or status.reasons:
                self.engine_pill.show_status(status)
            if self._status_screen is not None:
                self._status_screen.show_status(status)
            self._show_fault(status)
        elif self._fault_screen is not None:
            self._fault_screen.hide()
        self._refresh_attention()

    def _show_fault(self, status: EngineStatus) -> None:
        """Up by itself over any screen on an error or a question, gone once it is cleared;
        Later keeps it down until something new happens."""
        if self._fault_screen is None and status.prompt is None and not status.has_error:
            return
        screen = self.fault_screen
        if not screen.show_status(status):
            screen.hide()
            self._fault_later = None
            return
        if self._fault_later is not None and not _standing(status) <= self._fault_later:
            self._fault_later = None  # something new
        if self._fault_later is None and not screen.isVisible():
            screen.show()
            screen.raise_()
            self.toast.raise_()

    def _clear_fault(self, code: str) -> None:
        """Done on the fault screen: the user has taken the jammed paper out."""
        engine = self.engine
        if engine is not None and not engine.clear(code):
            self.show_toast(Text("Window", "The device still reports this problem."), "warning")

    def _answer_engine(self, choice_id: str) -> None:
        engine = self.engine
        if engine is None:
            return
        try:
            engine.answer(choice_id)
        except ValueError as refused:  # the question changed or went meanwhile
            self.show_toast(CoreText(str(refused)), "warning")

    def _fault_for_later(self) -> None:
        if self.engine_status is not None:
            self._fault_later = _standing(self.engine_status)
        self.fault_screen.hide()

    def lift_fault_screen(self) -> bool:
        """Put the fault screen down as Later does (a key that opens a screen of its own, such
        as Maintenance call, must not open it underneath); True if it was up."""
        if self._fault_screen is None or not self._fault_screen.isVisible():
            return False
        self._fault_for_later()
        return True

    def _on_engine_pill(self) -> None:
        """The pill: back to the fault screen while an error or a question stands, else the
        device status."""
        status = self.engine_status
        if status is not None and (status.has_error or status.prompt is not None):
            self._fault_later = None
            self._show_fault(status)
        else:
            self.show_device_status()

    # -- power (S4, S5) and networks (S2) ---------------------------------------------------------
    def _build_power(self) -> None:
        """Dimming, sleep and the Power LED; every tap and key press reported to the core."""
        self.power_view = PowerView(self.view, self.leds["power"], self.keys, parent=self)
        self._attach_power()

    def _attach_power(self) -> None:
        """Follow the power and the networks of `self.device` (a booting device has neither)."""
        core = self._core = powered(self.device)
        self.power_view.attach(core.power if core is not None else None)
        bridge = self.bridge
        bridge.power_changed.connect(self._on_power_changed)
        bridge.network_changed.connect(self._show_network)
        bridge.network_state_changed.connect(self._show_network)
        bridge.connection_changed.connect(self._show_network)  # after _on_connection_changed
        bridge.session_keeper_changed.connect(lambda *_: self._refresh_attention())
        self._show_network()
        self._refresh_attention()

    def _on_power_changed(self, state: PowerState, _cause: str) -> None:
        self.power_view.show_state(state)
        self.login_screen.clear()  # dim, sleep or wake: whoever comes next finds it clean
        if state is PowerState.SLEEP:
            self.toast.hide()  # a dark screen shows nothing
            if self.device.user is None:  # a language picked by someone who walked away
                self.restore_language()
        self._refresh_attention()

    def _show_network(self, *_: object) -> None:
        """The network in use in the status bar (S2); "No network" lights Attention through
        the connection going offline."""
        core = self._core
        offline = self.connection is ConnectionState.OFFLINE
        self.status_bar.set_network(core.networks if core is not None else (), offline)

    def _on_energy_saver_key(self) -> None:
        """Sleep now (once nothing holds sleep off), or wake a sleeping device."""
        if self._core is None:
            self.show_toast(Text("Window", "The device is still starting. Try again in a moment."))
            return
        self._core.power.energy_saver_key()

    def fit_to_screen(self, beside: int = 0) -> None:
        """Size the window for the panel and `beside` pixels docked next to it (the QA dock)."""
        if not (self.isMaximized() or self.isFullScreen()):
            self._size_to_screen(beside)

    def _asleep_off_the_network(self) -> bool:
        """Asleep while a peer keeps the server session (S5): offline on purpose, no fault."""
        core = self._core
        if core is None or core.power.state is not PowerState.SLEEP:
            return False
        from panel.device.keepalive import SessionMode

        return core.keepalive.mode is SessionMode.PROXIED

    # -- life cycle -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop observing the device and end the work started for this window: its tasks are
        cancelled now and awaited by `tasks_closed` (a task on the running loop)."""
        self.bridge.detach()
        self.call.close()
        self.clock.stop()
        self.idle_gc.stop()
        if self.tasks_closed is None:
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # no loop (the program is ending): nothing can be running
                for task in self.tasks.tasks:
                    task.cancel()
            else:
                self.tasks_closed = asyncio.ensure_future(self.tasks.close())
        super().closeEvent(event)
