"""The dock's Networks card (S2): one `NetworkCard` per network of the device, "Restore all"
when the panel owns the simulated networks, and the log lines of what the networks do."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton, QWidget

from panel.device.model import ConnectionState
from panel.ui.bridge import DeviceBridge
from panel.ui.dock.network_card import NetworkCard, Run, short_error, state_text
from panel.ui.dock.parts import Card, button, ms_text
from panel.ui.i18n import Text, translate

if TYPE_CHECKING:
    from panel.device.networks import NetworkStatus, ReachOutcome
    from panel.sim import NetworkEvent, NetworkSet
    from panel.ui.dock.parts import DockedDevice


class NetworksCard(Card):
    """The device's networks as it sees them; with `sims`, their faults too."""

    def __init__(
        self,
        device: DockedDevice,
        sims: NetworkSet | None,
        run: Run,
        log: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(Text("DockNetworks", "Networks"), parent)
        self.device = device
        self.sims = sims
        self._run = run
        self._log = log
        self.cards: dict[str, NetworkCard] = {}
        for status in device.networks:
            sim = None
            if sims is not None and status.name in sims:
                sim = sims.get(status.name)
            card = NetworkCard(status.name, sim, run, self)
            self.cards[status.name] = card
            self.column.addWidget(card)
        self.restore_button: QPushButton | None = None
        if sims is not None:
            self.restore_button = button(
                Text("DockNetworks", "Restore all networks"),
                Text("DockNetworks", "Every network up, every fault removed"),
                self,
            )
            self.restore_button.setObjectName("qaRestore")
            self.restore_button.clicked.connect(self.restore)
            self.column.addWidget(self.restore_button)

    def connect_bridge(self, bridge: DeviceBridge) -> None:
        bridge.network_changed.connect(self._on_network_changed)
        bridge.network_state_changed.connect(self._on_network_state)
        bridge.network_reach.connect(self._on_reach)
        bridge.connection_changed.connect(self._on_connection)

    def show_networks(self) -> None:
        for status in self.device.networks:
            card = self.cards.get(status.name)
            if card is not None:
                card.show_status(status)

    def restore(self) -> None:
        if self.sims is not None:
            from panel.sim.faults import restore

            self._run(restore(self.sims), translate("DockNetworks", "restoring the networks"))

    # -- what the device sees -------------------------------------------------------------------
    def _on_network_changed(self, status: NetworkStatus | None, reason: str) -> None:
        self.show_networks()
        if status is None:
            self._log(translate("DockNetworks", "No network reaches the server"))
        elif reason == "failover":
            self._log(
                translate("DockNetworks", "Failover: now on {network}").format(network=status.name)
            )
        elif reason == "recovered":
            self._log(
                translate("DockNetworks", "Back on {network} (recovered)").format(
                    network=status.name
                )
            )
        else:
            self._log(
                translate("DockNetworks", "Connected over {network}").format(network=status.name)
            )

    def _on_network_state(self, status: NetworkStatus) -> None:
        self.show_networks()
        state = status.state.value
        if state == "reachable":
            line = translate("DockNetworks", "{network} reachable {latency}")
            self._log(line.format(network=status.name, latency=ms_text(status.latency_ms)).rstrip())
        elif state == "unreachable" and status.error:
            line = translate("DockNetworks", "{network} unreachable: {error}")
            self._log(line.format(network=status.name, error=short_error(status.error)))
        else:
            line = translate("DockNetworks", "{network} {state}")
            self._log(line.format(network=status.name, state=state_text(state)))

    def _on_reach(self, outcome: ReachOutcome) -> None:
        """The check's attempts with the token; when no token was had, the token's attempts.
        A refusal or reset takes no time worth reading: without it, an offline device's
        retries are the same line, folded by the log."""
        self.show_networks()
        attempts = [a for a in outcome.attempts if a.stage == "check"] or list(outcome.attempts)
        tries = " · ".join(
            f"{a.network} {a.outcome}"
            + ("" if a.outcome in ("refused", "reset") else f" {a.ms:.0f} ms")
            for a in attempts
        )
        result = (
            translate("DockNetworks", "via {network}").format(network=outcome.network)
            if outcome.network
            else translate("DockNetworks", "FAILED")
        )
        token = f" {outcome.token[:6]}" if outcome.token else ""
        line = translate("DockNetworks", "Check {process}{token}: {tries} → {result}")
        self._log(
            line.format(process=outcome.process, token=token, tries=tries or "—", result=result)
        )

    def _on_connection(self, state: ConnectionState) -> None:
        line = translate("DockNetworks", "Server link {state}")
        self._log(line.format(state=state_text(state.value)))

    # -- the simulator --------------------------------------------------------------------------
    def on_sim_event(self, event: NetworkEvent) -> None:
        """A change of a simulated network, made here or over the control API."""
        kind = event.kind.value
        if kind.startswith("connection-"):
            return  # every TCP connection: too many to read
        card = self.cards.get(event.network)
        if card is not None:
            card.show_sim()
        what = {
            "enabled": translate("DockNetworks", "up"),
            "disabled": translate("DockNetworks", "down"),
            "reset": translate("DockNetworks", "restored"),
        }.get(kind, kind)
        if event.toxic is not None:
            attrs = ", ".join(f"{k} {v}" for k, v in event.toxic.attributes.items())
            what = f"{kind.replace('toxic-', '')} {event.toxic.name}" + (
                f" ({attrs})" if attrs and kind != "toxic-removed" else ""
            )
        self._log(f"[sim] {event.network} {what}")
