"""The QA simulator dock itself: the title bar, the cards one under the other, the shortcuts on
the panel window, showing and hiding, and the work the cards start.

The cards' changes (a fault, a card tap, restoring the networks) run as tasks of the panel
window's `TaskOwner`: they end when the window closes, and a failure is written to the dock's
log and reported (log and trace), never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from panel.ui.bridge import DeviceBridge
from panel.ui.dock.camera import DEFAULT_PHONE_URL, CameraCard
from panel.ui.dock.engine import EngineCard
from panel.ui.dock.log import LogCard
from panel.ui.dock.networks import NetworksCard
from panel.ui.dock.originals import OriginalsCard
from panel.ui.dock.parts import FitLabel, button, dock_stylesheet, follow_language
from panel.ui.dock.power import PowerCard
from panel.ui.dock.recorder import RecorderCard, chosen_card_of
from panel.ui.dock.sensors import APPROACH_KEY, LEAVE_KEY, SensorsCard
from panel.ui.dock.trace_view import TraceView
from panel.ui.i18n import Text, bind, translate

if TYPE_CHECKING:
    import asyncio

    from panel.sim import NetworkSet
    from panel.ui.dock.parts import DockedDevice
    from panel.ui.window import PanelWindow

T = TypeVar("T")

DOCK_WIDTH = 318
TRACE_WIDTH = 660  # the Trace tab: the list and the entry's fields side by side
DOCK_KEY = "F12"
TILED = "tiled"  # a window property: placed by panel.ui.tiling beside other panels


class QaDock(QDockWidget):
    """The simulator dock of one panel window; `sims` are the simulated networks the panel owns
    (None: the device's networks are shown, without fault controls); `cards` the demo's cards
    for the card reader, as (card id, label); `traces` the trace files its Trace tab shows
    (None: the device's own)."""

    def __init__(
        self,
        window: PanelWindow,
        device: DockedDevice,
        sims: NetworkSet | None = None,
        cards: Sequence[tuple[str, str]] = (),
        shown: bool = True,
        phone_url: str = DEFAULT_PHONE_URL,
        traces: Sequence[Path] | None = None,
    ) -> None:
        super().__init__("", window)
        bind(self, Text("Dock", "QA simulator"), "setWindowTitle")
        self.setObjectName("qaDock")
        self.panel_window = window
        self.device = device
        self.sims = sims
        self.setStyleSheet(dock_stylesheet())
        self.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.setTitleBarWidget(self._title_bar())
        self.dock_width = DOCK_WIDTH
        self.setFixedWidth(DOCK_WIDTH)

        body = QWidget()
        body.setObjectName("qaBody")
        self.log_card = LogCard(device.time, device.clock.scale, body)
        log = self.log_card.log
        self.networks = NetworksCard(device, sims, self._run, log, body)
        self.sensors = SensorsCard(device, cards, self._run, log, self._refused, body)
        self.power = PowerCard(device, log, body)
        self.originals = OriginalsCard(device, self._run, log, self._refused, body)
        self.engine = EngineCard(device, log, body)
        self.camera = CameraCard(device, phone_url, log, window.show_phone, body)
        self.recorder_card = RecorderCard(
            window, device, sims, chosen_card_of(self.sensors.card_box), self._run, log, body
        )
        self.sensors.tap_button.clicked.connect(self.recorder_card.recorder.card_tapped)
        column = QVBoxLayout(body)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(8)
        column.addWidget(self.recorder_card)  # Record / Stop / Report… first: QA's own work
        column.addWidget(self.networks)
        column.addWidget(self.engine)
        column.addWidget(self.sensors)
        column.addWidget(self.power)
        column.addWidget(self.originals)
        column.addWidget(self.camera)
        column.addWidget(self.log_card, 1)  # the rest of the height
        scroll = QScrollArea(self)
        scroll.setObjectName("qaScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.cards_scroll = scroll
        self.trace_view = TraceView(self._trace_files(traces), self._device_names(), self)
        self.recorder_card.traces = self._trace_files(traces)  # the bug report holds them too
        self.pages = QStackedWidget(self)  # the title bar's tabs choose the page
        self.pages.addWidget(scroll)
        self.pages.addWidget(self.trace_view)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setWidget(self.pages)
        # What QA scripts, the tests and the screenshots reach for.
        self.cards = self.networks.cards
        self.restore_button = self.networks.restore_button
        self.presence_label = self.sensors.presence_label
        self.approach_button = self.sensors.approach_button
        self.leave_button = self.sensors.leave_button
        self.card_box = self.sensors.card_box
        self.tap_button = self.sensors.tap_button
        self.power_label = self.power.power_label
        self.clock_label = self.power.clock_label
        self.peers_label = self.power.sessions.peers_label
        self.keeps_label = self.power.sessions.keeps_label
        self.keeper_label = self.power.sessions.keeper_label
        self.log_view = self.log_card.view

        self.bridge = DeviceBridge(device.events, self)
        for card in (self.networks, self.engine, self.sensors, self.power, self.originals):
            card.connect_bridge(self.bridge)
        self.camera.connect_bridge(self.bridge)
        self._unsubscribe_sims: Callable[[], None] | None = (
            sims.subscribe(self.networks.on_sim_event) if sims is not None else None
        )
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.power.show_power)
        self.ticker.start()
        self._add_shortcuts()
        window.installEventFilter(self)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        self._show_everything()
        self.setVisible(shown)
        window.fit_to_screen(self.beside() if shown else 0)

    # -- construction ---------------------------------------------------------------------------
    def _title_bar(self) -> QWidget:
        bar = QFrame(self)
        bar.setObjectName("qaTitleBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(12, 8, 8, 8)
        row.setSpacing(8)
        # The simulator's cards and the trace viewer, as tabs in the title bar: no height
        # taken from the cards (the dock should not scroll).
        self.tabs = QTabBar(bar)
        self.tabs.setObjectName("qaTabs")
        self.tabs.setDrawBase(False)
        self.tabs.setExpanding(False)
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.addTab("")
        self.tabs.addTab("")
        follow_language(self.tabs, self._name_tabs)
        self._name_tabs()
        self.device_label = FitLabel(self.device.name, bar)  # a long name is elided
        self.device_label.setObjectName("qaDevice")
        hide = button(
            Text("Dock", "Hide"),
            Text("Dock", "Hide the QA simulator ({key} shows it again)").format(key=DOCK_KEY),
            bar,
        )
        hide.setObjectName("qaHide")
        hide.clicked.connect(lambda: self.set_shown(False))
        row.addWidget(self.tabs)
        row.addWidget(self.device_label, 1)
        row.addWidget(hide)
        return bar

    def _name_tabs(self) -> None:
        self.tabs.setTabText(0, translate("Dock", "QA SIMULATOR"))
        self.tabs.setTabText(1, translate("Dock", "TRACE"))
        self.tabs.setTabToolTip(0, translate("Dock", "Faults, sensors and the connection log"))
        self.tabs.setTabToolTip(1, translate("Dock", "The device's and the server's trace"))

    def _trace_files(self, traces: Sequence[Path] | None) -> list[Path]:
        if traces is not None:
            return list(traces)
        trace = getattr(self.device, "trace", None)  # a real device core writes one
        path = getattr(trace, "path", None)
        return [path] if isinstance(path, Path) else []

    def _device_names(self) -> dict[str, str]:
        device_id = getattr(self.device, "device_id", None)
        return {device_id: self.device.name} if isinstance(device_id, str) else {}

    def _add_shortcuts(self) -> None:
        """On the panel window, so they work with the dock hidden too."""
        window = self.panel_window
        for text, key, slot in (
            (Text("Dock", "Person approaches"), APPROACH_KEY, self.sensors.person_approaches),
            (Text("Dock", "Person leaves"), LEAVE_KEY, self.sensors.person_leaves),
            (Text("Dock", "Show or hide the QA simulator"), DOCK_KEY, self.toggle),
        ):
            action = QAction(window)
            bind(action, text)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            window.addAction(action)

    def _show_everything(self) -> None:
        self.networks.show_networks()
        self.sensors.show_presence(self.device.presence.present)
        self.power.show_power()
        self.power.sessions.show()

    # -- showing and hiding ---------------------------------------------------------------------
    def toggle(self) -> None:
        self.set_shown(not self.isVisible())

    def set_shown(self, shown: bool) -> None:
        """Show or hide the dock; the window widens or narrows by the dock's width."""
        if shown == self.isVisible():
            return
        self.setVisible(shown)
        if shown:  # laid out from now on: show the newest lines
            QTimer.singleShot(0, self, self.log_card.show_end)
        window = self.panel_window
        layout = window.layout()
        if layout is not None:
            layout.activate()  # the window's minimum size follows the dock now, not later
        if window.property(TILED):  # beside other panels: keep its place and the panel's size
            window.resize(
                window.width() + (self.beside() if shown else -self.beside()), window.height()
            )
        else:
            window.fit_to_screen(self.beside() if shown else 0)

    def beside(self) -> int:
        """The width the dock takes beside the panel: itself and the splitter before it."""
        metric = QStyle.PixelMetric.PM_DockWidgetSeparatorExtent
        return self.dock_width + self.panel_window.style().pixelMetric(
            metric, None, self.panel_window
        )

    def show_trace(self, shown: bool = True) -> None:
        """The Trace tab (True) or the simulator's cards (False)."""
        self.tabs.setCurrentIndex(1 if shown else 0)

    def _tab_changed(self, index: int) -> None:
        """The Trace tab is wider (the list and the fields side by side): the window widens
        with it, as it does when the dock is shown."""
        self.pages.setCurrentIndex(index)
        width = TRACE_WIDTH if index == 1 else DOCK_WIDTH
        if width == self.dock_width:
            return
        grown = width - self.dock_width
        self.dock_width = width
        self.setFixedWidth(width)
        if not self.isVisible():
            return
        window = self.panel_window
        layout = window.layout()
        if layout is not None:
            layout.activate()
        if window.property(TILED):
            window.resize(window.width() + grown, window.height())
        else:
            window.fit_to_screen(self.beside())

    # -- actions QA takes -----------------------------------------------------------------------
    def restore_networks(self) -> None:
        self.networks.restore()

    def person_approaches(self) -> None:
        self.sensors.person_approaches()

    def person_leaves(self) -> None:
        self.sensors.person_leaves()

    def tap_card(self) -> None:
        self.sensors.tap_card()

    def _refused(self, message: str) -> None:
        self.panel_window.show_toast(message, "warning")

    # -- the log --------------------------------------------------------------------------------
    def log(self, text: str) -> None:
        """A line at the end of the log; the view follows the end unless scrolled back."""
        self.log_card.log(text)

    def log_lines(self) -> list[str]:
        """The log's lines, without their time stamps (tests, QA reports)."""
        return self.log_card.lines()

    # -- tasks and life cycle -------------------------------------------------------------------
    def _run(self, coro: Coroutine[Any, Any, T], what: str) -> asyncio.Task[T]:
        """Run `coro` as a task of the panel window (ended when it closes)."""
        return self.panel_window.tasks.spawn(self._logged(coro, what), f"QA dock: {what}")

    async def _logged(self, coro: Coroutine[Any, Any, T], what: str) -> T:
        """A failure is written to the dock's log for QA, then reported by the task owner."""
        try:
            return await coro
        except Exception as error:
            self.log(
                translate("Dock", "Could not do {what}: {error}").format(what=what, error=error)
            )
            raise

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.panel_window and event.type() == QEvent.Type.Close:
            self.detach()
        return False

    def detach(self) -> None:
        """Stop following the device and the networks (the window is closing; its task owner
        ends the work the dock started)."""
        self.bridge.detach()
        self.ticker.stop()
        self.trace_view.stop()
        if self._unsubscribe_sims is not None:
            self._unsubscribe_sims()
            self._unsubscribe_sims = None
