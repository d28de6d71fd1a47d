"""The session keepers on the LAN (S5), as lines of the dock's power card: the peers found, whose
server sessions this device keeps while they sleep, and who keeps its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from panel.ui.bridge import DeviceBridge
from panel.ui.i18n import translate
from panel.ui.widgets import Label

if TYPE_CHECKING:
    from panel.device.keepalive import SessionMode
    from panel.device.peers import Peer
    from panel.device.sleep_proxy import KeptSession
    from panel.ui.dock.parts import DockedDevice


def keeper_text(mode: str, keeper: Peer | None) -> str:
    """Who keeps this device's server session, in words."""
    if mode == "proxied" and keeper is not None:
        text = translate("DockSessions", "kept by {peer} while this device sleeps")
        return text.format(peer=keeper.name)
    if mode == "low-power":
        return translate("DockSessions", "kept by this device in low power (no peer accepted)")
    return translate("DockSessions", "kept by this device")


def _kept(kept: tuple[KeptSession, ...]) -> str:
    states = {
        "keeping": translate("DockSessions", "keeping"),
        "waking": translate("DockSessions", "waking"),
        "woken": translate("DockSessions", "woken"),
    }
    names = ", ".join(f"{k.name} ({states.get(k.state.value, k.state.value)})" for k in kept)
    return names or translate("DockSessions", "nobody")


class SessionKeepers:
    """Three lines (shown on a device on a LAN only) and the log lines of their changes."""

    def __init__(self, device: DockedDevice, log: Callable[[str], None], parent: QWidget) -> None:
        self.device = device
        self._log = log
        self.lan = device.lan is not None
        self.peers_label = Label(parent=parent)
        self.keeps_label = Label(parent=parent)
        self.keeper_label = Label(parent=parent)
        for label in self.labels():
            label.setObjectName("qaLine")
            label.setVisible(self.lan)

    def labels(self) -> list[Label]:
        return [self.peers_label, self.keeps_label, self.keeper_label]

    def add_to(self, column: QVBoxLayout) -> None:
        """Under the power lines, on a device on a LAN."""
        if self.lan:
            for label in self.labels():
                label.setWordWrap(True)
                column.addWidget(label)

    def connect_bridge(self, bridge: DeviceBridge) -> None:
        bridge.peers_changed.connect(lambda _peers: self.show())
        bridge.kept_sessions_changed.connect(self._on_kept)
        bridge.session_keeper_changed.connect(self._on_keeper)

    def _on_kept(self, kept: tuple[KeptSession, ...]) -> None:
        self.show()
        line = translate("DockSessions", "Keeps the session of: {names}")
        self._log(line.format(names=_kept(kept)))

    def _on_keeper(self, mode: SessionMode, keeper: Peer | None) -> None:
        self.show()
        line = translate("DockSessions", "Own session: {keeper}")
        self._log(line.format(keeper=keeper_text(mode.value, keeper)))

    def show(self) -> None:
        device = self.device
        if device.lan is None:
            return
        peers = ", ".join(peer.name for peer in device.lan.directory.peers)
        line = translate("DockSessions", "Peers found: {peers}")
        self.peers_label.setText(line.format(peers=peers or translate("DockSessions", "none yet")))
        kept = device.sleep_proxy.kept if device.sleep_proxy is not None else ()
        line = translate("DockSessions", "Keeps the session of: {names}")
        self.keeps_label.setText(line.format(names=_kept(kept)))
        keepalive = device.keepalive
        line = translate("DockSessions", "Own session: {keeper}")
        self.keeper_label.setText(
            line.format(keeper=keeper_text(keepalive.mode.value, keepalive.keeper))
        )
