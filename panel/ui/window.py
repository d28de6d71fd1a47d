"""The panel window: a scaled touchscreen inside a dark bezel with hardware keys and LEDs.

It observes the device core through `DeviceBridge` and calls the device's methods; coroutines
(login, composing a scan or a fax) run as tasks on the asyncio loop Qt shares through qasync.

Job and outbox events come in bursts of hundreds: each one only records what changed (O(1)),
and the job list, the held count, the drain banner, the jobs tile and the LEDs show it once per
frame (`panel.ui.coalesce`). `flush()` shows it at once (tests, screenshots).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from panel.device.model import (
    ComposeError,
    ConnectionState,
    Job,
    JobState,
    LoginResult,
    OutboxStats,
    PrinterState,
    User,
)
from panel.device.power import PowerState
from panel.ui import theme
from panel.ui.bridge import DeviceBridge, PanelDevice, PoweredDevice, powered
from panel.ui.coalesce import Coalescer
from panel.ui.idle_gc import IdleCollector
from panel.ui.power_view import PowerView
from panel.ui.screens.login import LoginScreen

if TYPE_CHECKING:
    # The maintenance client pulls in the protocol and the network stack: imported by the
    # methods that need it at run time, which run once a real device is attached (after the
    # first paint).
    from panel.device.maintenance import (
        ChatLine,
        Consent,
        MaintenanceStatus,
        OperatorInput,
        PanelState,
    )
    from panel.ui.maintenance_bridge import MaintenanceBridge, MaintenanceService
    from panel.ui.remote_screen import RemoteScreen
    from panel.ui.screens.compose import ComposeScreen
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
from panel.ui.widgets import DrainBanner, HardKey, Label, Led, ScreenView, StatusBar, Toast

_log = logging.getLogger(__name__)

# Logical resolutions of real panels; the first is the 7" class, the default the 9" class.
SCREEN_SIZES: tuple[tuple[int, int], ...] = ((800, 480), (1024, 600), (1280, 800))
DEFAULT_SCREEN = (1024, 600)

_BEZEL_MARGIN = 18
_FRAME_PAD = 12
_KEY_PANEL_WIDTH = 200

OFFLINE_LOGIN_TOAST = "Logged in offline — your PIN was checked on this device"

# The screen on show, as a maintenance call reports it to the operator.
_SCREEN_NAMES = {
    "loginScreen": "login",
    "homeScreen": "home",
    "jobListScreen": "jobs",
    "scanScreen": "scan",
    "faxScreen": "fax",
}


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
        self._tasks: set[asyncio.Task[Any]] = set()
        self._connection = device.connection_state
        self._printer = device.printer_state
        self._outbox = OutboxStats()
        self._job_failed = False
        self.setWindowTitle(f"{device.name} — operation panel")
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
        self._scan_screen: ScanScreen | None = None
        self._fax_screen: FaxScreen | None = None
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

        self.leds: dict[str, Led] = {
            "power": Led("power", "#3ddc5a"),
            "data": Led("data", "#3ddc5a"),
            "attention": Led("attention", "#ff9f1a"),
        }
        self.keys: dict[str, HardKey] = {
            "home": HardKey("Home", "home"),
            "login": HardKey("Login", "login"),
            "reset": HardKey("Reset", "reset"),
            "energy_saver": HardKey("Energy\nSaver", "energy"),
            "maintenance": HardKey("Maintenance call", "maintenance"),
            "stop": HardKey("Stop", "stop", stop=True),
        }
        self.setCentralWidget(self._build_bezel())
        self._size_to_screen()

        self.clock = QTimer(self)
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self._tick)
        self.clock.start()

        self.bridge = DeviceBridge(device.events, self)
        self._connect()
        self._connect_bridge()
        self._build_maintenance()
        self._load_state()
        self._build_power()

    # -- construction -----------------------------------------------------------------------------
    def _build_bezel(self) -> QWidget:
        bezel = QWidget(self)
        bezel.setObjectName("bezel")
        bezel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)

        frame = QFrame(bezel)
        frame.setObjectName("screenFrame")
        framed = QVBoxLayout(frame)
        framed.setContentsMargins(_FRAME_PAD, _FRAME_PAD, _FRAME_PAD, _FRAME_PAD)
        framed.addWidget(self.view)

        panel = QFrame(bezel)
        panel.setObjectName("keyPanel")
        panel.setFixedWidth(_KEY_PANEL_WIDTH)
        keys = QVBoxLayout(panel)
        keys.setContentsMargins(14, 14, 14, 16)
        keys.setSpacing(10)
        brand = Label("MFP PANEL", panel)
        brand.setObjectName("brandLabel")
        brand.setAlignment(Qt.AlignmentFlag.AlignCenter)
        keys.addWidget(brand)

        lamps = QGridLayout()
        lamps.setHorizontalSpacing(6)
        lamps.setVerticalSpacing(4)
        for column, (name, text) in enumerate(
            (("power", "Power"), ("data", "Data"), ("attention", "Attention"))
        ):
            lamps.addWidget(self.leds[name], 0, column, Qt.AlignmentFlag.AlignHCenter)
            label = Label(text, panel)
            label.setObjectName("ledLabel")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lamps.addWidget(label, 1, column)
        keys.addLayout(lamps)
        keys.addSpacing(8)

        grid = QGridLayout()
        grid.setSpacing(10)
        grid.addWidget(self.keys["home"], 0, 0)
        grid.addWidget(self.keys["login"], 0, 1)
        grid.addWidget(self.keys["reset"], 1, 0)
        grid.addWidget(self.keys["energy_saver"], 1, 1)
        grid.addWidget(self.keys["maintenance"], 2, 0, 1, 2)
        self.keys["maintenance"].setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.keys["maintenance"].setMinimumHeight(64)
        keys.addLayout(grid)
        keys.addStretch(1)
        stop = self.keys["stop"]
        stop.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        stop.setMinimumHeight(96)
        keys.addWidget(stop)

        row = QHBoxLayout(bezel)
        row.setContentsMargins(_BEZEL_MARGIN, _BEZEL_MARGIN, _BEZEL_MARGIN, _BEZEL_MARGIN)
        row.setSpacing(_BEZEL_MARGIN)
        row.addWidget(frame, 1)
        row.addWidget(panel)
        return bezel

    def _size_to_screen(self, beside: int = 0) -> None:
        """Start at 1:1 when the desktop has room, scaled down to fit when it has not
        (`beside`: the width of what is docked beside the panel)."""
        area = self.screen().availableGeometry()
        chrome_w = _KEY_PANEL_WIDTH + 3 * _BEZEL_MARGIN + 2 * _FRAME_PAD + beside
        chrome_h = 2 * _BEZEL_MARGIN + 2 * _FRAME_PAD
        width, height = self.screen_size.width(), self.screen_size.height()
        scale = min(1.0, (area.width() - chrome_w) / width, (area.height() - chrome_h) / height)
        scale = max(scale, 0.25)
        self.resize(round(width * scale) + chrome_w, round(height * scale) + chrome_h)

    def attach(self, device: PanelDevice) -> None:
        """Observe and drive `device` from now on: `mfp-panel run` paints the login screen
        over a `BootingDevice` and attaches the real core once it has loaded."""
        self.bridge.detach()
        self.bridge.deleteLater()
        self.device = device
        self._connection = device.connection_state
        self._printer = device.printer_state
        self.bridge = DeviceBridge(device.events, self)
        self._connect_bridge()
        self._attach_maintenance()
        if self._jobs_screen is not None:
            self._jobs_screen.set_jobs(device.jobs.all())
        if self._scan_screen is not None:
            self._scan_screen.set_destinations(device.cache.destinations())
        self._load_state()
        self._attach_power()

    def _connect_bridge(self) -> None:
        bridge = self.bridge
        bridge.job_changed.connect(self._on_job_changed)
        bridge.job_removed.connect(self._on_job_removed)
        bridge.session_changed.connect(self._on_session_changed)
        bridge.connection_changed.connect(self._on_connection_changed)
        bridge.printer_changed.connect(self._on_printer_changed)
        bridge.notice.connect(self.show_toast)
        bridge.outbox_changed.connect(self._on_outbox_changed)
        bridge.cache_changed.connect(self._on_cache_changed)

    def _connect(self) -> None:
        self.login_screen.first_painted.connect(self.login_painted)
        self.login_screen.first_painted.connect(self._build_after_paint)
        self.login_screen.submitted.connect(self._start_login)

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
        self.status_bar.set_connection(self._connection)
        self._show_connection()
        self._tick()
        self._show_user(device.user)
        if device.jobs.all() or device.user is not None:
            _ = self.jobs_screen  # the LEDs and counts follow the job list's model
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
            screen.set_jobs(self.device.jobs.all())
            self.updates.schedule(self._show_summary)
        return self._jobs_screen

    # -- navigation -------------------------------------------------------------------------------
    def current_screen(self) -> QWidget:
        """The screen the touchscreen shows now (login, home, jobs, scan or fax)."""
        page = self.stack.currentWidget()
        assert page is not None
        return page

    def show_login(self) -> None:
        self.stack.setCurrentWidget(self.login_screen)
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
        self.jobs_screen.set_jobs(self.device.jobs.all())
        self.stack.setCurrentWidget(self.jobs_screen)

    @property
    def scan_screen(self) -> ScanScreen:
        if self._scan_screen is None:
            from panel.ui.screens.scan import ScanScreen

            screen = self._scan_screen = ScanScreen()
            self.stack.addWidget(screen)
            screen.back.connect(self.show_home)
            screen.scan_requested.connect(self._start_scan)
            screen.set_destinations(self.device.cache.destinations())
            screen.set_online(self._connection is ConnectionState.ONLINE)
            screen.set_time(self.device.time())
        return self._scan_screen

    @property
    def fax_screen(self) -> FaxScreen:
        if self._fax_screen is None:
            from panel.ui.screens.fax import FaxScreen

            screen = self._fax_screen = FaxScreen()
            self.stack.addWidget(screen)
            screen.back.connect(self.show_home)
            screen.send_requested.connect(self._start_fax)
            screen.set_online(self._connection is ConnectionState.ONLINE)
        return self._fax_screen

    def _compose_screens(self) -> list[ScanScreen | FaxScreen]:
        """The Scan and Fax screens built so far."""
        return [s for s in (self._scan_screen, self._fax_screen) if s is not None]

    def show_scan(self) -> None:
        if self.device.user is None:
            self.show_login()
            return
        self.scan_screen.set_time(self.device.time())
        self.stack.setCurrentWidget(self.scan_screen)

    def show_fax(self) -> None:
        if self.device.user is None:
            self.show_login()
            return
        self.stack.setCurrentWidget(self.fax_screen)
        self.fax_screen.focus_number()

    def reset(self) -> None:
        """The Reset key: forget typed input and start over from home (or login)."""
        self.login_screen.reset()
        self._reset_compose()
        self.toast.hide()
        self.show_home()

    def _reset_compose(self) -> None:
        """Forget what was chosen on the Scan and Fax screens (not a job being composed)."""
        for screen in self._compose_screens():
            if not screen.busy:
                screen.reset()

    def flush(self) -> None:
        """Show every event received so far now, rather than at the end of the frame."""
        self.updates.flush()

    def show_toast(self, text: str, level: str = "info") -> None:
        self.toast.show_message(text, level)

    def _not_available(self, feature: str) -> None:
        self.show_toast(f"{feature} is not available yet.")

    # -- hardware keys ----------------------------------------------------------------------------
    def _on_login_key(self) -> None:
        if self.device.user is not None:
            self.device.logout()  # SESSION_CHANGED(None) brings the login screen back
        else:
            self.show_login()

    def _on_stop_key(self) -> None:
        if self._stop_key_ends_call():
            return
        self._cancel_printing()

    def _cancel_printing(self) -> None:
        job = self.device.cancel_current_job()
        if job is None:
            self.show_toast("Nothing is printing.")
        else:
            self.show_toast(f"Stopped: “{job.title or job.job_id}” was cancelled.", "warning")

    def _cancel_job(self, job_id: str) -> None:
        if not self.device.cancel_job(job_id):
            self.show_toast("This job can no longer be cancelled.", "warning")

    # -- tasks ------------------------------------------------------------------------------------
    def _run(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run `coro` on the shared loop; the window keeps it until it is done (or closes)."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- login ------------------------------------------------------------------------------------
    def _start_login(self, user_id: str, pin: str) -> None:
        self._run(self.device.login(user_id, pin)).add_done_callback(self._login_done)
        self.login_screen.set_checking(True)

    def _login_done(self, task: asyncio.Task[LoginResult]) -> None:
        if task.cancelled():
            return
        self.login_screen.set_checking(False)
        error = task.exception()
        if error is not None:
            _log.error("login failed", exc_info=error)
            self.login_screen.show_refusal("Login is not possible right now. Try again.")
            return
        result = task.result()
        if result.ok:
            self.login_screen.reset()
            self.show_home()
            if result.offline:
                self.show_toast(OFFLINE_LOGIN_TOAST)
        else:
            self.login_screen.show_refusal(result.message)

    # -- composing outgoing jobs (S1) -------------------------------------------------------------
    def _start_scan(self, dest_id: str, pages: int, title: str) -> None:
        chosen = self.scan_screen.selected_destination()
        where = chosen.name if chosen is not None else dest_id
        self.scan_screen.set_busy(True)
        task = self._run(self.device.scan_to(dest_id, pages, title))
        task.add_done_callback(partial(self._composed, self.scan_screen, f"Sending to {where}…"))

    def _start_fax(self, number: str, pages: int) -> None:
        self.fax_screen.set_busy(True)
        task = self._run(self.device.send_fax(number, pages))
        task.add_done_callback(
            partial(self._composed, self.fax_screen, f"Sending fax to {number}…")
        )

    def _composed(self, screen: ComposeScreen, sending: str, task: asyncio.Task[Job]) -> None:
        """The device kept the job (toast, ready for the next) or refused it (red, on screen)."""
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, ComposeError):
            screen.set_busy(False)
            screen.show_error(error.message)
            return
        if error is not None:
            _log.error("composing a job failed", exc_info=error)
            screen.set_busy(False)
            screen.show_error("The job could not be kept on this device. Try again.")
            return
        job = task.result()
        screen.composed()
        from panel.ui.screens.jobs import HELD_NOTE

        self.show_toast(HELD_NOTE if job.state is JobState.HELD else sending)

    # -- device events ----------------------------------------------------------------------------
    def _on_job_changed(self, job: Job) -> None:
        self.jobs_screen.update_job(job)
        self.updates.schedule(self._show_summary)

    def _on_job_removed(self, job: Job) -> None:
        self.jobs_screen.remove_job(job)
        self.updates.schedule(self._show_summary)

    def _on_session_changed(self, user: User | None) -> None:
        self._show_user(user)
        if user is None:
            self.login_screen.reset()
            self._reset_compose()
            self.show_login()
        elif self.current_screen() is self.login_screen:
            self.login_screen.reset()  # the PIN goes the moment the session begins
            self.show_home()

    def _on_connection_changed(self, state: ConnectionState) -> None:
        self._connection = state
        self.status_bar.set_connection(state)
        self._show_connection()
        self._refresh_attention()

    def _show_connection(self) -> None:
        online = self._connection is ConnectionState.ONLINE
        for screen in self._compose_screens():
            screen.set_online(online)

    def _on_outbox_changed(self, stats: OutboxStats) -> None:
        """Held count in the status bar, the drain banner, and the Data LED's blinking."""
        self._outbox = stats
        self.updates.schedule(self._show_summary)

    def _show_summary(self) -> None:
        """What follows the job list's counts and the outbox, at the end of the frame."""
        stats = self._outbox
        self.status_bar.set_held(stats.held)
        self.drain_banner.set_stats(stats)
        self._refresh_jobs()

    def _on_cache_changed(self, _version: int) -> None:
        if self._scan_screen is not None:
            self._scan_screen.set_destinations(self.device.cache.destinations())

    def _on_printer_changed(self, state: PrinterState) -> None:
        self._printer = state
        self._refresh_attention()

    def _show_user(self, user: User | None) -> None:
        self.status_bar.set_user(user)
        if self._home_screen is not None:
            self._home_screen.set_user(user)
        if user is None:
            self.keys["login"].set_label("Login", "login")
        else:
            self.keys["login"].set_label("Logout", "logout")

    def _refresh_jobs(self) -> None:
        """Data LED, the jobs tile's number and Attention follow the job list's counts (O(1)).

        The Data LED blinks while the outbox holds jobs, is steady while other work is in
        progress, and is off when the device is idle.
        """
        model = None if self._jobs_screen is None else self._jobs_screen.model
        active = 0 if model is None else model.active_count()  # None: no job yet
        data = self.leds["data"]
        if self._outbox.held > 0:
            data.set_blinking(True)
        else:
            data.set_on(active > 0)
        if self._home_screen is not None:
            self._home_screen.set_active_jobs(active)
        self._job_failed = model is not None and model.count(JobState.FAILED) > 0
        self._refresh_attention()

    def _refresh_attention(self) -> None:
        self.leds["attention"].set_on(
            (self._connection is ConnectionState.OFFLINE and not self._asleep_off_the_network())
            or self._printer is PrinterState.STOPPED
            or self._job_failed
        )

    def _tick(self) -> None:
        now = self.device.time()
        self.status_bar.set_time(now)
        if self._scan_screen is not None:
            self._scan_screen.set_time(now)

    # -- remote maintenance (S3) ------------------------------------------------------------------
    _banner: MaintenanceBanner
    _chat: MaintenanceChat
    _consent: ConsentDialog

    @property
    def maintenance_banner(self) -> MaintenanceBanner:
        """Across the top for the whole of a call (hidden otherwise)."""
        self._build_maintenance_views()
        return self._banner

    @property
    def maintenance_chat(self) -> MaintenanceChat:
        self._build_maintenance_views()
        return self._chat

    @property
    def consent_dialog(self) -> ConsentDialog:
        self._build_maintenance_views()
        return self._consent

    def _build_maintenance(self) -> None:
        """The link to the device's maintenance client. Its views (banner, chat strip, consent
        prompt) and the client itself are loaded only for a device that has one: not before
        the first paint (they pull in the protocol and the network stack)."""
        self._maintenance_views_built = False
        self._maintenance_screen: MaintenanceScreen | None = None
        self._screen_before_call: QWidget | None = None
        self.maintenance: MaintenanceService | None = None
        self.maintenance_bridge: MaintenanceBridge | None = None
        self.remote: RemoteScreen | None = None
        self._attach_maintenance()

    def _build_maintenance_views(self) -> None:
        """The banner and chat strip across the top (hidden until a call), the consent prompt
        over the touchscreen."""
        if self._maintenance_views_built:
            return
        from panel.ui.screens.maintenance import ConsentDialog, MaintenanceBanner, MaintenanceChat

        self._maintenance_views_built = True
        banner = self._banner = MaintenanceBanner(self.touchscreen)
        chat = self._chat = MaintenanceChat(self.touchscreen)
        column = self.touchscreen.layout()
        assert isinstance(column, QVBoxLayout)
        column.insertWidget(1, banner)  # right under the status bar
        column.insertWidget(2, chat)
        self._consent = ConsentDialog(lambda: self.device.time(), self.touchscreen)
        self._consent.chosen.connect(self._set_consent)
        banner.end_requested.connect(self.end_maintenance)
        banner.change_requested.connect(self._change_consent)
        banner.details_requested.connect(self.show_maintenance)

    def _attach_maintenance(self) -> None:
        """Follow the maintenance client of `self.device`, if it has one."""
        self._close_maintenance()
        self.maintenance = None
        if getattr(self.device, "maintenance", None) is None:  # booting, or a fake
            if self._maintenance_views_built:
                from panel.device.maintenance import MaintenanceStatus

                self._show_call(MaintenanceStatus(), "")
            return
        from panel.ui.maintenance_bridge import MaintenanceBridge, maintenance_of
        from panel.ui.remote_screen import RemoteScreen

        service = self.maintenance = maintenance_of(self.device)
        if service is None:
            return
        self._build_maintenance_views()
        bridge = self.maintenance_bridge = MaintenanceBridge(self.device.events, self)
        bridge.changed.connect(self._show_call)
        bridge.chat.connect(self._on_maintenance_chat)
        bridge.operator_input.connect(self._on_operator_input)
        self.remote = RemoteScreen(self.view, service, self._press_remote_key, parent=self)
        bridge.refresh.connect(self.remote.refresh)
        self._show_call(service.status, "")

    def _close_maintenance(self) -> None:
        if self.maintenance_bridge is not None:
            self.maintenance_bridge.detach()
            self.maintenance_bridge.deleteLater()
            self.maintenance_bridge = None
        if self.remote is not None:
            self.remote.stop()
            self.remote.tap_mark.deleteLater()
            self.remote.deleteLater()
            self.remote = None

    @property
    def maintenance_screen(self) -> MaintenanceScreen:
        if self._maintenance_screen is None:
            from panel.ui.screens.maintenance import MaintenanceScreen

            screen = self._maintenance_screen = MaintenanceScreen()
            self.stack.addWidget(screen)
            screen.back.connect(self._leave_maintenance_screen)
            screen.call_requested.connect(self._start_call)
            screen.cancel_call.connect(self.end_maintenance)
        return self._maintenance_screen

    def show_maintenance(self) -> None:
        """The Maintenance call key: the request form, or where the call under way is."""
        service = self.maintenance
        if service is None:
            self.show_toast("Remote maintenance is not available right now.")
            return
        screen = self.maintenance_screen
        current = self.current_screen()
        if current is not screen:
            self._screen_before_call = current
        status = service.status
        if not status.in_call:
            screen.reset()
            codes, summary = self._call_attachments()
            screen.set_attachments(codes, summary)
        screen.set_status(status)
        self.stack.setCurrentWidget(screen)

    def _leave_maintenance_screen(self) -> None:
        """Back to where the user was when they pressed the Maintenance call key."""
        before = self._screen_before_call
        self._screen_before_call = None
        if before is None or before is self.login_screen or self.device.user is None:
            self.show_home()
        else:
            self.stack.setCurrentWidget(before)

    def _panel_state(self) -> PanelState:
        """What the panel shows and does now: it travels with the call."""
        from panel.device.maintenance import PanelState

        before = self._screen_before_call or self.current_screen()
        user = self.device.user
        model = None if self._jobs_screen is None else self._jobs_screen.model
        return PanelState(
            screen=_SCREEN_NAMES.get(before.objectName(), before.objectName()),
            width=self.screen_size.width(),
            height=self.screen_size.height(),
            printer_state=self._printer.value,
            connection=self._connection.value,
            user_id=user.user_id if user is not None else "",
            active_jobs=0 if model is None else model.active_count(),
            outbox_held=self._outbox.held,
        )

    def _call_attachments(self) -> tuple[list[str], str]:
        """The error codes (what lights Attention) and the panel's state, in words."""
        state = self._panel_state()
        user = self.device.user
        jobs = [f"printer {state.printer_state}"]
        if state.active_jobs:
            jobs.append(f"{state.active_jobs} active job{'s' if state.active_jobs != 1 else ''}")
        if state.outbox_held:
            jobs.append(f"{state.outbox_held} held")
        lines = [
            f"Screen: {state.screen} · {state.width}x{state.height}",
            f"{user.name} logged in" if user is not None else "Nobody logged in",
            f"{' · '.join(jobs)} · {state.connection}".capitalize(),
        ]
        from panel.ui.screens.maintenance import error_codes

        codes = error_codes(self._printer, self._connection, self._job_failed)
        return codes, "\n".join(lines)

    def _start_call(self, reason: str, note: str) -> None:
        service = self.maintenance
        if service is None:
            return
        screen = self.maintenance_screen
        screen.set_busy(True)
        codes, _ = self._call_attachments()
        task = self._run(service.request(reason, note, codes, self._panel_state()))
        task.add_done_callback(self._call_made)

    def _call_made(self, task: asyncio.Task[None]) -> None:
        from panel.device.maintenance import MaintenanceError

        if task.cancelled():
            return
        screen = self.maintenance_screen
        screen.set_busy(False)
        error = task.exception()
        if isinstance(error, MaintenanceError):
            screen.show_error(error.message)
        elif error is not None:
            _log.error("the maintenance call failed", exc_info=error)
            screen.show_error("The call could not be made. Try again.")

    def end_maintenance(self) -> None:
        """End the call (the banner's End, Cancel call, the Stop key)."""
        service = self.maintenance
        if service is not None and service.status.in_call:
            _ = self._run(service.end("user"))  # the end comes as MAINTENANCE_CHANGED

    def _stop_key_ends_call(self) -> bool:
        """During a call the Stop key ends it (a second press stops printing)."""
        service = self.maintenance
        if service is None or not service.status.in_call:
            return False
        self.end_maintenance()
        return True

    def _show_call(self, status: MaintenanceStatus, change: str) -> None:
        """Everything that follows the call: banner, request screen, consent prompt, stream."""
        from panel.device.maintenance import Consent

        self.maintenance_banner.set_status(status)
        if self._maintenance_screen is not None:
            self._maintenance_screen.set_status(status)
        if self.remote is not None:
            if status.viewing:
                self.remote.start()
            else:
                self.remote.stop()
        dialog = self.consent_dialog
        prompting = dialog.isVisible()
        if status.consent_needed:
            if change == "started" or not prompting:
                if self.current_screen() is self._maintenance_screen:
                    self._leave_maintenance_screen()
                timeout = self.maintenance.consent_timeout_s if self.maintenance else 30.0
                dialog.ask(status.operator_name, status.consent_deadline, timeout)
        elif not status.in_call:
            dialog.hide()
        if change == "consent" and prompting and status.consent is Consent.DENY:
            dialog.hide()  # nobody answered: the core said no
            self.show_toast(
                "No answer: the operator may not see this panel. Tap Change to allow it.",
                "warning",
            )
        if change == "ended":
            self.maintenance_chat.clear()
            if self.current_screen() is self._maintenance_screen:
                self._leave_maintenance_screen()
            from panel.ui.screens.maintenance import end_text

            self.show_toast(end_text(status.end_reason))

    def _set_consent(self, choice: Consent) -> None:
        from panel.device.maintenance import MaintenanceError

        service = self.maintenance
        if service is None:
            return
        try:
            service.set_consent(choice)
        except MaintenanceError as exc:
            self.show_toast(exc.message, "warning")

    def _change_consent(self) -> None:
        from panel.device.maintenance import MaintenancePhase

        status = self.maintenance.status if self.maintenance is not None else None
        if status is not None and status.phase is MaintenancePhase.ACTIVE and status.consent:
            self.consent_dialog.change(status.operator_name, status.consent)

    def _on_maintenance_chat(self, line: ChatLine) -> None:
        self.maintenance_chat.add_line(line)

    def _on_operator_input(self, event: OperatorInput) -> None:
        if self.remote is not None:
            self.remote.inject(event)

    def _press_remote_key(self, name: str) -> None:
        """The operator pressed a hardware key: the key lights up and does what it does."""
        handlers = {"home": self.show_home, "reset": self.reset, "stop": self._cancel_printing}
        handler = handlers.get(name)
        if handler is None:
            return
        key = self.keys[name]
        key.setDown(True)
        QTimer.singleShot(180, key, lambda: key.setDown(False))
        handler()

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
        if state is PowerState.SLEEP:
            self.toast.hide()  # a dark screen shows nothing
        self._refresh_attention()

    def _show_network(self, *_: object) -> None:
        """The network in use in the status bar (S2); "No network" lights Attention through
        the connection going offline."""
        core = self._core
        offline = self._connection is ConnectionState.OFFLINE
        self.status_bar.set_network(core.networks if core is not None else (), offline)

    def _on_energy_saver_key(self) -> None:
        """Sleep now (once nothing holds sleep off), or wake a sleeping device."""
        if self._core is None:
            self.show_toast("The device is still starting. Try again in a moment.")
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
        """Stop observing the device and drop work started for this window."""
        self.bridge.detach()
        self._close_maintenance()
        self.clock.stop()
        self.idle_gc.stop()
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()
        super().closeEvent(event)
