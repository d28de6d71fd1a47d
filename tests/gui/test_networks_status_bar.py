"""The status bar names the network in use (S2) beside Online/Offline, and its state by colour:
the preferred network, a fallback, or none. Over the view tests' fake core; the real
connection manager moves it in test_networks_panel.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support.fake_device import FakeDevice

from panel.device.model import ConnectionState
from panel.device.networks import NetworkState, NetworkStatus
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

WIRED, LTE = "Wired LAN", "LTE"
WindowFactory = Callable[..., PanelWindow]


def two_networks(device: FakeDevice, active: str | None = WIRED) -> None:
    device.set_networks(
        NetworkStatus(WIRED, NetworkState.REACHABLE, active == WIRED, 3.0),
        NetworkStatus(LTE, NetworkState.REACHABLE, active == LTE, 40.0),
    )


def test_one_network_shows_only_online_or_offline(window: PanelWindow) -> None:
    assert not window.status_bar.network_label.isVisible()
    assert window.status_bar.connection_label.text() == "Online"


def test_the_network_in_use_and_its_state(device: FakeDevice, make_window: WindowFactory) -> None:
    two_networks(device)
    window = make_window()
    label = window.status_bar.network_label
    assert label.isVisible()
    assert (label.text(), label.property("network")) == (WIRED, "preferred")

    device.set_network_state(WIRED, NetworkState.UNREACHABLE, "refused")
    device.use_network(LTE, "failover")
    assert (label.text(), label.property("network")) == (LTE, "fallback")
    assert label.toolTip() == "Connected over LTE (fallback)"
    assert not window.leds["attention"].is_on()  # a fallback works: no fault

    device.set_connection(ConnectionState.OFFLINE)  # the server is gone: no network reaches it
    assert (label.text(), label.property("network")) == ("No network", "none")
    device.use_network(None, "unreachable")
    assert (label.text(), label.property("network")) == ("No network", "none")
    assert window.status_bar.connection_label.text() == "Offline"
    assert window.leds["attention"].is_on()

    device.set_connection(ConnectionState.ONLINE)
    device.use_network(WIRED, "recovered")
    assert (label.text(), label.property("network")) == (WIRED, "preferred")
    assert not window.leds["attention"].is_on()


def test_before_any_check_the_panel_is_searching(
    device: FakeDevice, make_window: WindowFactory
) -> None:
    device.set_networks(
        NetworkStatus(WIRED, NetworkState.UNKNOWN, False),
        NetworkStatus(LTE, NetworkState.UNKNOWN, False),
    )
    window = make_window()
    assert window.status_bar.network_label.text() == "Searching…"
