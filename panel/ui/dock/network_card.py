"""One network in the dock: its state as the device sees it and, when the panel owns the
simulated network (the demo), its faults as `panel.sim.faults` defines them: down, blackhole,
reset, latency, bandwidth."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from panel.ui.dock.parts import FitLabel, button, combo, follow_language, ms_text, select
from panel.ui.i18n import Text, bind, translate
from panel.ui.widgets import Label, repolish

if TYPE_CHECKING:
    from panel.device.networks import NetworkStatus
    from panel.sim import Network
    from panel.sim.faults import Fault

LATENCIES_MS = (0, 100, 500, 2000, 5000)
RATES_KBPS = (0, 1000, 100, 10)  # 0: unlimited

# "POST /reach/check over Wired LAN: refused: Cannot connect to host ..." (networks.py)
_REQUEST_FAILED = re.compile(r"^[A-Z]+ \S+ over .+?: ([a-z][a-z-]*): ")

Run = Callable[[Coroutine[Any, Any, Any], str], object]

# A network's or the server link's state in words (the device's values are English keywords).
STATES = {
    "unknown": Text("DockNetworks", "unknown"),
    "reachable": Text("DockNetworks", "reachable"),
    "unreachable": Text("DockNetworks", "unreachable"),
    "recovering": Text("DockNetworks", "recovering"),
    "online": Text("DockNetworks", "online"),
    "offline": Text("DockNetworks", "offline"),
    "connecting": Text("DockNetworks", "connecting"),
}
# panel.sim.faults.DESCRIPTION, translated (the simulator itself never imports Qt).
FAULT_TIPS = {
    "down": Text("DockNetworks", "Take the network down: connections refused, open ones cut"),
    "blackhole": Text(
        "DockNetworks",
        "Nothing gets through either way and nothing is refused (timeout toxic)",
    ),
    "reset": Text("DockNetworks", "Connections are reset as soon as the device sends (reset_peer)"),
    "latency": Text(
        "DockNetworks",
        "Delay added to every reply from the server (latency toxic, ±10 % jitter)",
    ),
    "bandwidth": Text(
        "DockNetworks", "Replies from the server limited to this rate (bandwidth toxic)"
    ),
}


def state_text(state: str) -> str:
    """`state` in the current language (an unknown keyword as it is)."""
    text = STATES.get(state)
    return str(text) if text is not None else state


def short_error(error: str) -> str:
    """What a QA engineer reads first: "refused", "reset", "timeout", "too-slow", or the
    device's own words ("no answer within 250 ms; LTE answered first"). The device's trace
    has the whole message."""
    found = _REQUEST_FAILED.match(error)
    return found[1] if found else error


def _latency_item(ms: int) -> Text:
    if ms == 0:
        return Text("DockNetworks", "No delay")
    if ms < 1000:
        return Text("DockNetworks", "+{ms} ms delay").format(ms=ms)
    return Text("DockNetworks", "+{s} s delay").format(s=f"{ms / 1000:g}")


def _rate_item(kbps: int) -> Text:
    if kbps == 0:
        return Text("DockNetworks", "Full speed")
    if kbps < 1000:
        return Text("DockNetworks", "{kbps} KB/s max").format(kbps=kbps)
    return Text("DockNetworks", "{mbps} MB/s max").format(mbps=f"{kbps / 1000:g}")


class NetworkCard(QFrame):
    """One network: its state as the device sees it; with a simulator, its faults.

    `run(coro, what)` runs a change of the simulator as a task the dock owns."""

    def __init__(
        self,
        name: str,
        sim: Network | None,
        run: Run,
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
        self.in_use = Label("", self)
        self.in_use.setObjectName("qaInUse")
        bind(self.in_use, Text("DockNetworks", "IN USE"))
        self.in_use.hide()
        self.detail = FitLabel(parent=self)  # the device's own words may be long: elided
        self.detail.setObjectName("qaDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.dot)
        top.addWidget(self.name_label)
        top.addWidget(self.in_use)
        top.addWidget(self.detail, 1)
        column.addLayout(top)
        self._status: NetworkStatus | None = None
        if sim is not None:
            column.addLayout(self._fault_controls())
            self.show_sim()
        follow_language(self, self._retranslate)

    def _fault_controls(self) -> QGridLayout:
        """The faults of `panel.sim.faults`, one control each (imported with a simulator only)."""
        from panel.sim.faults import Fault

        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(5)
        tips = FAULT_TIPS
        self.down_button = button(Text("DockNetworks", "Down"), tips["down"], self, True)
        self.blackhole_button = button(
            Text("DockNetworks", "Blackhole"), tips["blackhole"], self, True
        )
        self.reset_button = button(Text("DockNetworks", "Reset"), tips["reset"], self, True)
        self.down_button.toggled.connect(self._set_down)
        self.blackhole_button.toggled.connect(partial(self._set_toggle, Fault.BLACKHOLE))
        self.reset_button.toggled.connect(partial(self._set_toggle, Fault.RESET))
        self.latency_box = combo(
            [(_latency_item(delay), delay) for delay in LATENCIES_MS], tips["latency"], self
        )
        self.bandwidth_box = combo(
            [(_rate_item(rate), rate) for rate in RATES_KBPS], tips["bandwidth"], self
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
        self._status = status
        state = status.state.value
        self.dot.setProperty("state", state)
        repolish(self.dot)
        self.dot.setToolTip(state_text(state))
        self.in_use.setVisible(status.active)
        if state == "reachable" and status.latency_ms is not None:
            text = ms_text(status.latency_ms)
        elif status.error:
            text = short_error(status.error)
        else:
            text = state_text(state)
        self.detail.setProperty("failed", bool(status.error))
        repolish(self.detail)
        self.detail.set_full_text(text, status.error or state_text(state))

    def _retranslate(self) -> None:
        if self._status is not None:
            self.show_status(self._status)

    # -- the simulator --------------------------------------------------------------------------
    def show_sim(self) -> None:
        """Show the simulated network's faults as they are (set here or over the control API)."""
        sim = self.sim
        if sim is None:
            return
        from panel.sim.faults import Fault, faults_on

        on = faults_on(sim)
        for toggle, fault in (
            (self.down_button, Fault.DOWN),
            (self.blackhole_button, Fault.BLACKHOLE),
            (self.reset_button, Fault.RESET),
        ):
            toggle.blockSignals(True)
            toggle.setChecked(fault in on)
            toggle.blockSignals(False)
        latency, rate = on.get(Fault.LATENCY, 0), on.get(Fault.BANDWIDTH, 0)
        select(self.latency_box, latency, str(_latency_item(latency)))
        select(self.bandwidth_box, rate, str(_rate_item(rate)))
        # Any toxic is a fault, also one of a type the dock has no control for (control API).
        self.setProperty("fault", bool(on) or bool(sim.toxics))
        repolish(self)

    def _set_down(self, down: bool) -> None:
        from panel.sim.faults import Fault, set_fault

        assert self.sim is not None
        what = (
            translate("DockNetworks", "{network} down")
            if down
            else translate("DockNetworks", "{network} up")
        ).format(network=self.name)
        self._run(set_fault(self.sim, Fault.DOWN, int(down)), what)

    def _set_toggle(self, fault: Fault, on: bool) -> None:
        self._set_toxic(fault, int(on))

    def _set_latency(self, index: int) -> None:
        from panel.sim.faults import Fault

        self._set_toxic(Fault.LATENCY, int(self.latency_box.itemData(index)))

    def _set_bandwidth(self, index: int) -> None:
        from panel.sim.faults import Fault

        self._set_toxic(Fault.BANDWIDTH, int(self.bandwidth_box.itemData(index)))

    def _set_toxic(self, fault: Fault, value: int) -> None:
        """In place of any toxic of the fault's type; 0 lifts it."""
        from panel.sim.faults import set_toxic_fault

        assert self.sim is not None
        set_toxic_fault(self.sim, fault, value)
