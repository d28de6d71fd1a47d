"""The dock's power and clock card (S4): the power state, the idle time, what holds sleep off and
the device clock's speed; on a LAN also the session keepers (`panel.ui.dock.sessions`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from panel.device.power import PowerState
from panel.ui.bridge import DeviceBridge
from panel.ui.dock.parts import Card, duration, follow_language
from panel.ui.dock.sessions import SessionKeepers
from panel.ui.i18n import Text, translate
from panel.ui.widgets import Label, repolish

if TYPE_CHECKING:
    from panel.ui.dock.parts import DockedDevice


HOLDS = {  # what holds sleep off (the core's keywords)
    "job": Text("DockPower", "job"),
    "maintenance": Text("DockPower", "maintenance"),
}


class PowerCard(Card):
    """Power and clock; with a LAN, who keeps whose session (the sleep proxy)."""

    def __init__(
        self, device: DockedDevice, log: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        lan = device.lan is not None
        super().__init__(
            Text("DockPower", "Power, clock and sleep proxy")
            if lan
            else Text("DockPower", "Power and clock"),
            parent,
        )
        self.device = device
        self._log = log
        self.column.setSpacing(3)
        self.power_label = Label(parent=self)
        self.power_label.setObjectName("qaPower")
        self.clock_label = Label(parent=self)
        self.clock_label.setObjectName("qaClock")
        for label in (self.power_label, self.clock_label):
            label.setWordWrap(True)
            self.column.addWidget(label)
        self.sessions = SessionKeepers(device, log, self)
        self.sessions.add_to(self.column)
        follow_language(self, self.show_power)
        follow_language(self, self.sessions.show)

    def connect_bridge(self, bridge: DeviceBridge) -> None:
        bridge.power_changed.connect(self._on_power)
        self.sessions.connect_bridge(bridge)

    def _on_power(self, state: PowerState, cause: str) -> None:
        self.show_power()
        states = {
            PowerState.ACTIVE: translate("DockPower", "active"),
            PowerState.DIMMED: translate("DockPower", "dimmed"),
            PowerState.SLEEP: translate("DockPower", "sleep"),
        }
        line = translate("DockPower", "Power: {state} ({cause})")
        self._log(line.format(state=states.get(state, state.value), cause=cause))

    def show_power(self) -> None:
        device = self.device
        power = device.power
        settings = power.settings
        state = power.state
        idle = duration(power.idle_s)
        if state is PowerState.ACTIVE:
            line = translate("DockPower", "Active · idle {idle}, dims at {at}")
            line = line.format(idle=idle, at=duration(settings.dim_after_s))
        elif state is PowerState.DIMMED:
            line = translate("DockPower", "Dimmed · idle {idle}, sleeps at {at}")
            line = line.format(idle=idle, at=duration(settings.sleep_after_s))
        else:
            line = translate("DockPower", "Asleep · a touch, a key, a card or a person wakes it")
        if power.holds:
            held = translate("DockPower", "Sleep held off by: {holds}")
            holds = ", ".join(str(HOLDS.get(hold, hold)) for hold in sorted(power.holds))
            line += "\n" + held.format(holds=holds)
        self.power_label.setText(line)
        self.power_label.setProperty("state", state.value)
        repolish(self.power_label)
        clock = time.strftime("%H:%M:%S", time.localtime(device.time()))
        text = translate("DockPower", "Device clock {scale} · {clock}")
        self.clock_label.setText(
            text.format(scale=f"\N{MULTIPLICATION SIGN}{device.clock.scale:g}", clock=clock)
        )
