"""The QA simulator dock beside the panel (DESIGN.md, "QA tools"): what a QA engineer needs to
reproduce a field issue without touching the code.

- Networks (S2): each of the device's networks, its state as the device sees it and whether it
  is in use; when the panel owns the simulated networks (the demo), their faults: down,
  blackhole, reset, latency, bandwidth, and "Restore all". The same networks answer the
  Toxiproxy-shaped control API, and the dock follows changes made there.
- A live log of connection events: the network in use, each network's state, every
  reachability check with its attempts, the simulator's changes, power and sensor events.
- Sensors (S4): the presence sensor (also F8 / Shift+F8 on the panel) and the card reader.
- Power and clock: the power state, the idle time, what holds sleep off, the clock's speed.
- LAN (S5): the peers found, whose sessions this device keeps, and who keeps its own.

F12 hides and shows the dock; the window narrows and widens with it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from panel.device.model import ConnectionState, LoginResult, User
from panel.device.power import PowerState
from panel.paths import resources_dir
from panel.ui.bridge import DeviceBridge, PanelDevice, PoweredDevice
from panel.ui.widgets import Label, repolish

if TYPE_CHECKING:
    from panel.device.keepalive import SessionMode
    from panel.device.networks import NetworkStatus, ReachOutcome
    from panel.device.peers import Peer
    from panel.device.sleep_proxy import KeptSession
    from panel.sim import Network, NetworkEvent, NetworkSet
    from panel.ui.window import PanelWindow

_log = logging.getLogger(__name__)

DOCK_WIDTH = 318
LOG_LINES = 400  # the log keeps the newest lines only
LATENCIES_MS = (0, 100, 500, 2000, 5000)
RATES_KBPS = (0, 1000, 100, 10)  # 0: unlimited
APPROACH_KEY, LEAVE_KEY, DOCK_KEY = "F8", "Shift+F8", "F12"


class DockedDevice(PanelDevice, PoweredDevice, Protocol):
    """The dock needs the device's events and name as well as its power and network side."""


def dock_stylesheet() -> str:
    return (resources_dir() / "style" / "dock.qss").read_text(encoding="utf-8")


# "POST /reach/check over Wired LAN: refused: Cannot connect to host ..." (networks.py)
_REQUEST_FAILED = re.compile(r"^[A-Z]+ \S+ over .+?: ([a-z][a-z-]*): ")


def short_error(error: str) -> str:
    """What a QA engineer reads first: "refused", "reset", "timeout", "too-slow", or the
    device's own words ("no answer within 250 ms; LTE answered first"). The device's trace
    has the whole message."""
    found = _REQUEST_FAILED.match(error)
    return found[1] if found else error


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.0f} ms"


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _latency_item(ms: int) -> str:
    if ms == 0:
        return "No delay"
    return f"+{ms} ms delay" if ms < 1000 else f"+{ms / 1000:g} s delay"


def _rate_item(kbps: int) -> str:
    if kbps == 0:
        return "Full speed"
    return f"{kbps} KB/s max" if kbps < 1000 else f"{kbps / 1000:g} MB/s max"


def _section(title: str, parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
    box = QFrame(parent)
    box.setObjectName("qaSection")
    column = QVBoxLayout(box)
    column.setContentsMargins(8, 6, 8, 8)
    column.setSpacing(5)
    heading = Label(title.upper(), box)
    heading.setObjectName("qaHeading")
    column.addWidget(heading)
    return box, column


def _button(text: str, tip: str, parent: QWidget, checkable: bool = False) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName("qaButton")
    button.setToolTip(tip)
    button.setCheckable(checkable)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the panel keeps the keyboard
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def _combo(items: Sequence[tuple[str, int]], tip: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName("qaCombo")
    _narrow(combo)
    combo.setToolTip(tip)
    combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for text, value in items:
        combo.addItem(text, value)
    return combo


def _narrow(combo: QComboBox) -> None:
    """As narrow as the dock needs, not as wide as the longest item."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


def _select(combo: QComboBox, value: int, text: str) -> None:
    """Show `value` in `combo` without acting on it (an item is added for a value set elsewhere,
    e.g. through the control API)."""
    index = combo.findData(value)
    if index < 0:
        combo.addItem(text, value)
        index = combo.count() - 1
    combo.blockSignals(True)
    combo.setCurrentIndex(index)
    combo.blockSignals(False)


class NetworkCard(QFrame):
    """One network: its state as the device sees it; with a simulator, its faults."""

    def __init__(
        self,
        name: str,
        sim: Network | None,
        run: Callable[[Coroutine[Any, Any, Any], str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("qaNetwork")
        self.name = name
        self.sim = sim
        self._run = run
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 5, 6, 6)
        column.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(6)
        self.dot = Label("●", self)
        self.dot.setObjectName("qaDot")
        self.name_label = Label(name, self)
        self.name_label.setObjectName("qaNetworkName")
        self.in_use = Label("IN USE", self)
        self.in_use.setObjectName("qaInUse")
        self.in_use.hide()
        self.detail = Label(parent=self)
        self.detail.setObjectName("qaDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.dot)
        top.addWidget(self.name_label)
        top.addWidget(self.in_use)
        top.addWidget(self.detail, 1)
        column.addLayout(top)
        if sim is not None:
            column.addLayout(self._fault_controls())
            self.show_sim()

    def _fault_controls(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(5)
        self.down_button = _button(
            "Down", "Take the network down: connections refused, open ones cut", self, True
        )
        self.blackhole_button = _button(
            "Blackhole", "Nothing gets through and nothing is refused (timeout toxic)", self, True
        )
        self.reset_button = _button(
            "Reset", "Connections are reset as soon as the device sends (reset_peer)", self, True
        )
        self.down_button.toggled.connect(self._set_down)
        self.blackhole_button.toggled.connect(self._set_blackhole)
        self.reset_button.toggled.connect(self._set_reset)
        self.latency_box = _combo(
            [(_latency_item(ms), ms) for ms in LATENCIES_MS],
            "Delay added to every reply from the server (latency toxic, ±10 % jitter)",
            self,
        )
        self.bandwidth_box = _combo(
            [(_rate_item(rate), rate) for rate in RATES_KBPS],
            "Replies from the server limited to this rate (bandwidth toxic)",
            self,
        )
        self.latency_box.activated.connect(self._set_latency)
        self.bandwidth_box.activated.connect(self._set_bandwidth)
        grid.addWidget(self.down_button, 0, 0)
        grid.addWidget(self.blackhole_button, 0, 1)
        grid.addWidget(self.reset_button, 0, 2)
        combos = QHBoxLayout()
        combos.setSpacing(6)
        combos.addWidget(self.latency_box, 1)
        combos.addWidget(self.bandwidth_box, 1)
        grid.addLayout(combos, 1, 0, 1, 3)
        return grid

    # -- what the device sees -------------------------------------------------------------------
    def show_status(self, status: NetworkStatus) -> None:
        """Reachable: its latency; failing: why, in a word (the whole message as a tip)."""
        state = status.state.value
        self.dot.setProperty("state", state)
        repolish(self.dot)
        self.dot.setToolTip(state)
        self.in_use.setVisible(status.active)
        if state == "reachable" and status.latency_ms is not None:
            text = _ms(status.latency_ms)
        elif status.error:
            text = short_error(status.error)
        else:
            text = state
        self.detail.setText(text)
        self.detail.setProperty("failed", bool(status.error))
        repolish(self.detail)
        self.detail.setToolTip(status.error or state)

    # -- the simulator --------------------------------------------------------------------------
    def show_sim(self) -> None:
        """Show the simulated network's faults as they are (set here or over the control API)."""
        sim = self.sim
        if sim is None:
            return
        from panel.sim import Fault, faults_on

        faults = faults_on(sim)
        for button, fault in (
            (self.down_button, Fault.DOWN),
            (self.blackhole_button, Fault.BLACKHOLE),
            (self.reset_button, Fault.RESET),
        ):
            button.blockSignals(True)
            button.setChecked(fault in faults)
            button.blockSignals(False)
        latency = faults.get(Fault.LATENCY, 0)
        rate = faults.get(Fault.BANDWIDTH, 0)
        _select(self.latency_box, latency, _latency_item(latency))
        _select(self.bandwidth_box, rate, _rate_item(rate))
        self.setProperty("fault", not sim.enabled or bool(sim.toxics))
        repolish(self)

    def _set_down(self, down: bool) -> None:
        from panel.sim import Fault, set_fault

        assert self.sim is not None
        self._run(set_fault(self.sim, Fault.DOWN, down), f"{self.name} {'down' if down else 'up'}")

    def _set_toxic_fault(self, name: str, value: int) -> None:
        """Put fault preset `name` on at `value` (0 lifts it): as the benches and tests do."""
        from panel.sim import Fault, set_toxic_fault

        assert self.sim is not None
        set_toxic_fault(self.sim, Fault(name), value)

    def _set_blackhole(self, on: bool) -> None:
        self._set_toxic_fault("blackhole", on)

    def _set_reset(self, on: bool) -> None:
        self._set_toxic_fault("reset", on)

    def _set_latency(self, index: int) -> None:
        self._set_toxic_fault("latency", int(self.latency_box.itemData(index)))

    def _set_bandwidth(self, index: int) -> None:
        self._set_toxic_fault("bandwidth", int(self.bandwidth_box.itemData(index)))


class QaDock(QDockWidget):
    """The simulator dock of one panel window; `sims` are the simulated networks the panel owns
    (None: the device's networks are shown, without fault controls)."""

    def __init__(
        self,
        window: PanelWindow,
        device: DockedDevice,
        sims: NetworkSet | None = None,
        cards: Sequence[tuple[str, str]] = (),
        shown: bool = True,
    ) -> None:
        super().__init__("QA simulator", window)
        self.setObjectName("qaDock")
        self.panel_window = window
        self.device = device
        self.sims = sims
        self._cards = cards  # (card id, label): the demo's cards
        self._tasks: set[asyncio.Task[Any]] = set()
        self.setStyleSheet(dock_stylesheet())
        self.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.setTitleBarWidget(self._title_bar())
        self.setFixedWidth(DOCK_WIDTH)

        body = QWidget()
        body.setObjectName("qaBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(8)
        column.addWidget(self._networks_section(body))
        column.addWidget(self._sensors_section(body))
        column.addWidget(self._power_section(body, lan=device.lan is not None))
        column.addWidget(self._log_section(body), 1)  # the rest of the height
        scroll = QScrollArea(self)
        scroll.setObjectName("qaScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.setWidget(scroll)

        self.bridge = DeviceBridge(device.events, self)
        self._connect_bridge()
        self._unsubscribe_sims: Callable[[], None] | None = (
            sims.subscribe(self._on_sim_event) if sims is not None else None
        )
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._show_power)
        self.ticker.start()
        self._add_shortcuts()
        window.installEventFilter(self)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        self._show_everything()
        self.setVisible(shown)
        window.fit_to_screen(self._beside() if shown else 0)

    # -- construction ---------------------------------------------------------------------------
    def _title_bar(self) -> QWidget:
        bar = QFrame(self)
        bar.setObjectName("qaTitleBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(12, 8, 8, 8)
        row.setSpacing(8)
        title = Label("QA SIMULATOR", bar)
        title.setObjectName("qaTitle")
        self.device_label = Label(self.device.name, bar)
        self.device_label.setObjectName("qaDevice")
        hide = _button("Hide", f"Hide the QA simulator ({DOCK_KEY} shows it again)", bar)
        hide.setObjectName("qaHide")
        hide.clicked.connect(lambda: self.set_shown(False))
        row.addWidget(title)
        row.addWidget(self.device_label, 1)
        row.addWidget(hide)
        return bar

    def _networks_section(self, parent: QWidget) -> QFrame:
        box, column = _section("Networks", parent)
        self.cards: dict[str, NetworkCard] = {}
        for status in self.device.networks:
            sim = None
            if self.sims is not None and status.name in self.sims:
                sim = self.sims.get(status.name)
            card = NetworkCard(status.name, sim, self._run, box)
            self.cards[status.name] = card
            column.addWidget(card)
        self.restore_button: QPushButton | None = None
        if self.sims is not None:
            self.restore_button = _button(
                "Restore all networks", "Every network up, every fault removed", box
            )
            self.restore_button.setObjectName("qaRestore")
            self.restore_button.clicked.connect(self.restore_networks)
            column.addWidget(self.restore_button)
        return box

    def _log_section(self, parent: QWidget) -> QFrame:
        box, column = _section("Connection log", parent)
        self.log_view = QPlainTextEdit(box)
        self.log_view.setObjectName("qaLog")
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(LOG_LINES)
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.log_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.log_view.setMinimumHeight(64)
        # All the height the other sections leave, and no more: the dock should not scroll.
        self.log_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        column.addWidget(self.log_view, 1)
        return box

    def _sensors_section(self, parent: QWidget) -> QFrame:
        box, column = _section("Presence sensor and card reader", parent)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.presence_label = Label(parent=box)
        self.presence_label.setObjectName("qaPresence")
        self.presence_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.approach_button = _button(
            "Approaches", f"A person approaches the panel ({APPROACH_KEY})", box
        )
        self.leave_button = _button("Leaves", f"The person leaves ({LEAVE_KEY})", box)
        self.approach_button.clicked.connect(self.person_approaches)
        self.leave_button.clicked.connect(self.person_leaves)
        row.addWidget(self.presence_label, 1)
        row.addWidget(self.approach_button)
        row.addWidget(self.leave_button)
        column.addLayout(row)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.card_box = QComboBox(box)
        self.card_box.setObjectName("qaCombo")
        self.card_box.setEditable(True)
        self.card_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.card_box.setToolTip("A demo card, or type a card id")
        _narrow(self.card_box)
        for card_id, label in self._cards:
            self.card_box.addItem(label, card_id)
        self.tap_button = _button("Tap card", "Hold the card to the panel's reader", box)
        self.tap_button.clicked.connect(self.tap_card)
        row.addWidget(self.card_box, 1)
        row.addWidget(self.tap_button)
        column.addLayout(row)
        return box

    def _power_section(self, parent: QWidget, lan: bool) -> QFrame:
        """Power, the clock, and (on a LAN) the sleep proxy: who keeps whose session."""
        box, column = _section("Power, clock and sleep proxy" if lan else "Power and clock", parent)
        column.setSpacing(3)
        self.power_label = Label(parent=box)
        self.power_label.setObjectName("qaPower")
        self.clock_label = Label(parent=box)
        self.clock_label.setObjectName("qaClock")
        self.peers_label = Label(parent=box)
        self.keeps_label = Label(parent=box)
        self.keeper_label = Label(parent=box)
        lines = [self.power_label, self.clock_label]
        if lan:
            lines += [self.peers_label, self.keeps_label, self.keeper_label]
        for label in lines:
            label.setWordWrap(True)
            column.addWidget(label)
        for label in (self.peers_label, self.keeps_label, self.keeper_label):
            label.setObjectName("qaLine")
            label.setVisible(lan)
        return box

    def _add_shortcuts(self) -> None:
        """On the panel window, so they work with the dock hidden too."""
        window = self.panel_window
        for text, key, slot in (
            ("Person approaches", APPROACH_KEY, self.person_approaches),
            ("Person leaves", LEAVE_KEY, self.person_leaves),
            ("Show or hide the QA simulator", DOCK_KEY, self.toggle),
        ):
            action = QAction(text, window)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            window.addAction(action)

    def _connect_bridge(self) -> None:
        bridge = self.bridge
        bridge.network_changed.connect(self._on_network_changed)
        bridge.network_state_changed.connect(self._on_network_state)
        bridge.network_reach.connect(self._on_reach)
        bridge.connection_changed.connect(self._on_connection)
        bridge.power_changed.connect(self._on_power)
        bridge.presence_changed.connect(self._on_presence)
        bridge.session_changed.connect(self._on_session)
        bridge.peers_changed.connect(lambda _peers: self._show_lan())
        bridge.kept_sessions_changed.connect(self._on_kept)
        bridge.session_keeper_changed.connect(self._on_keeper)

    def _show_everything(self) -> None:
        self._show_networks()
        self._show_presence(self.device.presence.present)
        self._show_power()
        self._show_lan()

    # -- showing and hiding ---------------------------------------------------------------------
    def toggle(self) -> None:
        self.set_shown(not self.isVisible())

    def set_shown(self, shown: bool) -> None:
        """Show or hide the dock; the window widens or narrows by the dock's width."""
        if shown == self.isVisible():
            return
        self.setVisible(shown)
        if shown:  # laid out from now on: show the newest lines
            QTimer.singleShot(0, self, self._show_log_end)
        layout = self.panel_window.layout()
        if layout is not None:
            layout.activate()  # the window's minimum size follows the dock now, not later
        self.panel_window.fit_to_screen(self._beside() if shown else 0)

    def _beside(self) -> int:
        """The width the dock takes beside the panel: itself and the splitter before it."""
        metric = QStyle.PixelMetric.PM_DockWidgetSeparatorExtent
        return DOCK_WIDTH + self.panel_window.style().pixelMetric(metric, None, self.panel_window)

    # -- networks -------------------------------------------------------------------------------
    def _show_networks(self) -> None:
        for status in self.device.networks:
            card = self.cards.get(status.name)
            if card is not None:
                card.show_status(status)

    def _on_network_changed(self, status: NetworkStatus | None, reason: str) -> None:
        self._show_networks()
        if status is None:
            self.log("No network reaches the server")
        elif reason == "failover":
            self.log(f"Failover: now on {status.name}")
        elif reason == "recovered":
            self.log(f"Back on {status.name} (recovered)")
        else:
            self.log(f"Connected over {status.name}")

    def _on_network_state(self, status: NetworkStatus) -> None:
        self._show_networks()
        state = status.state.value
        if state == "reachable":
            self.log(f"{status.name} reachable {_ms(status.latency_ms)}".rstrip())
        elif state == "unreachable" and status.error:
            self.log(f"{status.name} unreachable: {short_error(status.error)}")
        else:
            self.log(f"{status.name} {state}")

    def _on_reach(self, outcome: ReachOutcome) -> None:
        self._show_networks()
        tries = " · ".join(
            f"{a.network} {a.outcome} {a.ms:.0f} ms" for a in outcome.attempts if a.stage == "check"
        )
        result = f"via {outcome.network}" if outcome.network else "FAILED"
        self.log(f"Check {outcome.process} {outcome.token[:6]}: {tries or '—'} → {result}")

    def _on_connection(self, state: ConnectionState) -> None:
        self.log(f"Server link {state.value}")

    def _on_sim_event(self, event: NetworkEvent) -> None:
        kind = event.kind.value
        if kind.startswith("connection-"):
            return  # every TCP connection: too many to read
        card = self.cards.get(event.network)
        if card is not None:
            card.show_sim()
        what = {"enabled": "up", "disabled": "down", "reset": "restored"}.get(kind, kind)
        if event.toxic is not None:
            attrs = ", ".join(f"{k} {v}" for k, v in event.toxic.attributes.items())
            what = f"{kind.replace('toxic-', '')} {event.toxic.name}" + (
                f" ({attrs})" if attrs and kind != "toxic-removed" else ""
            )
        self.log(f"[sim] {event.network} {what}")

    def restore_networks(self) -> None:
        if self.sims is not None:
            _ = self._run(self.sims.reset(), "restoring the networks")

    # -- sensors --------------------------------------------------------------------------------
    def person_approaches(self) -> None:
        self.device.presence.person_approached()

    def person_leaves(self) -> None:
        self.device.presence.person_left()

    def _on_presence(self, present: bool) -> None:
        self._show_presence(present)
        self.log("Presence: a person approaches" if present else "Presence: the person left")

    def _show_presence(self, present: bool) -> None:
        self.presence_label.setText("Someone is in front" if present else "Nobody in front")
        self.presence_label.setProperty("present", present)
        repolish(self.presence_label)

    def tap_card(self) -> None:
        """Tap the chosen (or typed) card on the reader; a refusal shows on the panel."""
        text = self.card_box.currentText().strip()
        index = self.card_box.findText(text)
        card_id = str(self.card_box.itemData(index)) if index >= 0 else text
        if not card_id:
            self.log("Card reader: pick a demo card or type a card id first")
            return
        task = self._run(self.device.cards.tap(card_id), "the card tap")
        task.add_done_callback(lambda done: self._card_read(card_id, done))

    def _card_read(self, card_id: str, task: asyncio.Task[LoginResult]) -> None:
        if task.cancelled() or task.exception() is not None:
            return  # _run logged it
        result = task.result()
        if result.ok and result.user is not None:
            self.log(f"Card {card_id}: {result.user.name} logged in")
        else:
            self.log(f"Card {card_id}: refused: {result.message}")
            self.panel_window.show_toast(result.message, "warning")

    def _on_session(self, user: User | None) -> None:
        self.log(f"Session: {user.name} logged in" if user is not None else "Session: logged out")

    # -- power and clock ------------------------------------------------------------------------
    def _on_power(self, state: PowerState, cause: str) -> None:
        self._show_power()
        self.log(f"Power: {state.value} ({cause})")

    def _show_power(self) -> None:
        power, device = self.device.power, self.device
        settings = power.settings
        state = power.state
        line = {
            PowerState.ACTIVE: f"Active · idle {_duration(power.idle_s)}, dims at "
            f"{_duration(settings.dim_after_s)}",
            PowerState.DIMMED: f"Dimmed · idle {_duration(power.idle_s)}, sleeps at "
            f"{_duration(settings.sleep_after_s)}",
            PowerState.SLEEP: "Asleep · a touch, a key, a card or a person wakes it",
        }[state]
        if power.holds:
            line += f"\nSleep held off by: {', '.join(sorted(power.holds))}"
        self.power_label.setText(line)
        self.power_label.setProperty("state", state.value)
        repolish(self.power_label)
        clock = time.strftime("%H:%M:%S", time.localtime(device.time()))
        self.clock_label.setText(
            f"Device clock \N{MULTIPLICATION SIGN}{device.clock.scale:g} · {clock}"
        )

    # -- LAN and sleep proxy (S5) ---------------------------------------------------------------
    def _on_kept(self, kept: tuple[KeptSession, ...]) -> None:
        self._show_lan()
        names = ", ".join(f"{k.name} ({k.state.value})" for k in kept) or "nobody"
        self.log(f"Keeps the session of: {names}")

    def _on_keeper(self, mode: SessionMode, keeper: Peer | None) -> None:
        self._show_lan()
        self.log(f"Own session: {self._keeper_text(mode.value, keeper)}")

    def _show_lan(self) -> None:
        device = self.device
        if device.lan is None:
            return
        peers = ", ".join(peer.name for peer in device.lan.directory.peers)
        self.peers_label.setText(f"Peers found: {peers or 'none yet'}")
        kept = device.sleep_proxy.kept if device.sleep_proxy is not None else ()
        names = ", ".join(f"{k.name} ({k.state.value})" for k in kept)
        self.keeps_label.setText(f"Keeps the session of: {names or 'nobody'}")
        keepalive = device.keepalive
        self.keeper_label.setText(
            f"Own session: {self._keeper_text(keepalive.mode.value, keepalive.keeper)}"
        )

    @staticmethod
    def _keeper_text(mode: str, keeper: Peer | None) -> str:
        if mode == "proxied" and keeper is not None:
            return f"kept by {keeper.name} while this device sleeps"
        if mode == "low-power":
            return "kept by this device in low power (no peer accepted)"
        return "kept by this device"

    # -- the log --------------------------------------------------------------------------------
    def log(self, text: str) -> None:
        """A line at the end of the log; the view follows the end unless scrolled back."""
        now = time.time()
        stamp = time.strftime("%H:%M:%S", time.localtime(now)) + f".{int(now % 1 * 1000):03d}"
        bar = self.log_view.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 2 or not self.log_view.isVisible()
        self.log_view.appendPlainText(f"{stamp}  {text}")
        if following:
            bar.setValue(bar.maximum())

    def _show_log_end(self) -> None:
        bar = self.log_view.verticalScrollBar()
        bar.setValue(bar.maximum())

    def log_lines(self) -> list[str]:
        """The log's lines, without their time stamps (tests, QA reports)."""
        lines = self.log_view.toPlainText().splitlines()
        return [line.split("  ", 1)[1] if "  " in line else line for line in lines]

    # -- tasks and life cycle -------------------------------------------------------------------
    def _run(self, coro: Coroutine[Any, Any, Any], what: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda done: self._report_failure(done, what))
        return task

    def _report_failure(self, task: asyncio.Task[Any], what: str) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            _log.warning("QA dock: %s failed", what, exc_info=error)
            self.log(f"Could not do {what}: {error}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.panel_window and event.type() == QEvent.Type.Close:
            self.detach()
        return False

    def detach(self) -> None:
        """Stop following the device and the networks (the window is closing)."""
        self.bridge.detach()
        self.ticker.stop()
        if self._unsubscribe_sims is not None:
            self._unsubscribe_sims()
            self._unsubscribe_sims = None
        for task in list(self._tasks):
            task.cancel()
