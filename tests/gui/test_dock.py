"""The QA simulator dock over the view tests' fake core and real simulated networks (panel/sim:
loopback TCP proxies; nothing connects through them here). What the dock shows of the device,
what its controls do to the networks and the sensors, its log, hiding it. The dock against
the real core and server: test_networks_panel.py, test_power_panel.py."""

from __future__ import annotations

import asyncio
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice
from support.qt_loop import run

from panel.device.keepalive import SessionMode
from panel.device.model import ConnectionState, LoginResult
from panel.device.networks import Attempt, NetworkState, NetworkStatus, ReachOutcome
from panel.device.peers import Peer
from panel.device.power import PowerState
from panel.device.sleep_proxy import KeptSession
from panel.sim import NetworkSet, Toxic
from panel.ui.dock import DOCK_WIDTH, LOG_LINES, QaDock
from panel.ui.dock.log import FOLD_WINDOW
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

WIRED, LTE = "Wired LAN", "LTE"
CARDS = [("04A1B2C3D4E5F6", "Alice Martin's card"), ("04000000000000", "Unregistered card")]
PEER = Peer("dev-b", "Demo MFP 2", "127.0.0.1", 40001)


@pytest.fixture
def two_networks(device: FakeDevice) -> FakeDevice:
    device.set_networks(
        NetworkStatus(WIRED, NetworkState.REACHABLE, True, 3.0),
        NetworkStatus(LTE, NetworkState.REACHABLE, False, 41.0),
    )
    return device


def present(device: FakeDevice) -> bool:
    return device.presence.present


def docked(window: PanelWindow, device: FakeDevice, sims: NetworkSet | None = None) -> QaDock:
    return QaDock(window, device, sims, CARDS)


# -- networks -------------------------------------------------------------------------------------
def test_the_devices_networks_without_a_simulator_have_no_fault_controls(
    two_networks: FakeDevice, window: PanelWindow
) -> None:
    dock = docked(window, two_networks)
    assert list(dock.cards) == [WIRED, LTE]  # preferred first
    wired, lte = dock.cards[WIRED], dock.cards[LTE]
    assert wired.in_use.isVisible()
    assert not lte.in_use.isVisible()
    assert (wired.detail.text(), lte.detail.text()) == ("3 ms", "41 ms")
    assert wired.sim is None
    assert not hasattr(wired, "down_button")  # `mfp-panel run`: the networks are not ours
    assert dock.restore_button is None

    two_networks.set_network_state(WIRED, NetworkState.UNREACHABLE, "connection refused")
    two_networks.use_network(LTE, "failover")
    assert lte.in_use.isVisible()
    assert not wired.in_use.isVisible()
    assert wired.dot.property("state") == "unreachable"
    assert wired.detail.text() == "connection refused"
    assert dock.log_lines()[-2:] == [
        "Wired LAN unreachable: connection refused",
        "Failover: now on LTE",
    ]
    refused = "POST /reach/check over Wired LAN: refused: Cannot connect to host 127.0.0.1:9"
    two_networks.set_network_state(WIRED, NetworkState.UNREACHABLE, refused)
    assert wired.detail.text() == "refused"  # in a word; the whole message as its tip
    assert wired.detail.toolTip() == refused


def test_fault_controls_break_the_simulated_networks(
    qtbot: QtBot, sims: NetworkSet, two_networks: FakeDevice, window: PanelWindow
) -> None:
    dock = docked(window, two_networks, sims)
    card, wired = dock.cards[WIRED], sims.get(WIRED)
    assert card.sim is wired
    assert dock.cards[LTE].sim is sims.get(LTE)

    QTest.mouseClick(card.down_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wired.enabled)
    assert card.down_button.isChecked()
    assert card.property("fault") is True
    QTest.mouseClick(card.blackhole_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(card.reset_button, Qt.MouseButton.LeftButton)
    assert sorted((t.type, t.stream) for t in wired.toxics) == [
        ("reset_peer", "upstream"),
        ("timeout", "downstream"),
        ("timeout", "upstream"),
    ]
    QTest.keyClick(card.latency_box, Qt.Key.Key_Down)  # the first delay
    QTest.keyClick(card.latency_box, Qt.Key.Key_Down)
    assert wired.toxic("latency_downstream").attributes == {"latency": 500, "jitter": 50}
    QTest.keyClick(card.bandwidth_box, Qt.Key.Key_Down)
    assert wired.toxic("bandwidth_downstream").attributes == {"rate": 1000}
    QTest.mouseClick(card.blackhole_button, Qt.MouseButton.LeftButton)  # blackhole off again
    assert not [t for t in wired.toxics if t.type == "timeout"]
    assert sims.get(LTE).toxics == []  # the other network is untouched

    assert dock.restore_button is not None
    QTest.mouseClick(dock.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wired.enabled)
    assert wired.toxics == []
    assert not card.down_button.isChecked()
    assert not card.reset_button.isChecked()
    assert card.latency_box.currentText() == "No delay"
    assert card.bandwidth_box.currentText() == "Full speed"
    assert card.property("fault") is False
    lines = dock.log_lines()
    assert "[sim] Wired LAN down" in lines
    assert "[sim] Wired LAN added latency_downstream (latency 500, jitter 50)" in lines
    assert "[sim] Wired LAN restored" in lines


def test_the_dock_follows_faults_set_over_the_control_api(
    qtbot: QtBot, sims: NetworkSet, two_networks: FakeDevice, window: PanelWindow
) -> None:
    dock = docked(window, two_networks, sims)
    card, lte = dock.cards[LTE], sims.get(LTE)
    run(qtbot, lte.set_enabled(False))
    lte.add_toxic(Toxic("latency", {"latency": 750}))  # not one of the dock's choices
    lte.add_toxic(Toxic("timeout", {"timeout": 0}, "upstream"))
    assert card.down_button.isChecked()
    assert card.blackhole_button.isChecked()
    assert card.latency_box.currentText() == "+750 ms delay"
    lte.remove_toxic("latency_downstream")
    assert card.latency_box.currentText() == "No delay"
    assert "[sim] LTE down" in dock.log_lines()


def test_the_log_has_the_checks_and_not_every_tcp_connection(
    qtbot: QtBot, sims: NetworkSet, two_networks: FakeDevice, window: PanelWindow
) -> None:
    dock = docked(window, two_networks, sims)
    attempts = (
        Attempt(WIRED, "token", "ok", 2.0),
        Attempt(WIRED, "check", "refused", 1.2),
        Attempt(LTE, "check", "ok", 38.4),
    )
    outcome = ReachOutcome("login", "a1b2c3d4e5f6", LTE, attempts, 41.0)
    two_networks.reach(outcome)
    assert dock.log_lines()[-1] == "Check login a1b2c3: Wired LAN refused · LTE ok 38 ms → via LTE"
    before = len(dock.log_lines())
    _, writer = run(qtbot, asyncio.open_connection("127.0.0.1", sims.get(WIRED).port))
    writer.close()
    qtbot.waitUntil(lambda: sims.get(WIRED).stats.connections_total == 1)
    assert len(dock.log_lines()) == before  # connections opened and closed are not logged
    for n in range(LOG_LINES + 20):
        dock.log(f"line {n}")
    assert len(dock.log_lines()) == LOG_LINES  # the newest only
    assert dock.log_lines()[-1] == f"line {LOG_LINES + 19}"
    bar = dock.log_view.verticalScrollBar()
    assert bar.value() == bar.maximum() > 0  # the view follows the newest line


def test_an_offline_device_retrying_its_link_folds_its_repeats(
    two_networks: FakeDevice, window: PanelWindow
) -> None:
    """Offline, the core retries its link about three times a second: connecting, a check
    that fails on every network, offline. Twelve rounds are three lines with a count."""
    dock = docked(window, two_networks)
    for n in range(12):
        two_networks.set_connection(ConnectionState.CONNECTING)
        attempts = (Attempt(WIRED, "token", "refused", 1.0 + n), Attempt(LTE, "token", "reset", 2))
        two_networks.reach(ReachOutcome("push", "", None, attempts, 3.0 + n, "no network"))
        two_networks.set_connection(ConnectionState.OFFLINE)
    assert dock.log_lines()[-3:] == [
        "Server link connecting x12",
        "Check push: Wired LAN refused · LTE reset → FAILED x12",
        "Server link offline x12",
    ]
    before = dock.log_lines()
    two_networks.set_connection(ConnectionState.ONLINE)  # something new: a line of its own
    assert dock.log_lines() == [*before, "Server link online"]
    for n in range(FOLD_WINDOW + 1):
        dock.log(f"line {n}")
    two_networks.set_connection(ConnectionState.OFFLINE)  # long ago now: a new line again
    assert dock.log_lines()[-1] == "Server link offline"
    assert dock.log_lines().count("Server link offline x12") == 1


def test_log_time_stamps_are_the_devices_time_on_a_scaled_clock(
    device: FakeDevice, window: PanelWindow
) -> None:
    device.clock.scale = 10.0
    device.now = 1_767_261_600.0 + 3 * 3600 + 25.5  # the device's time, not the wall clock's
    dock = docked(window, device)
    assert dock.log_card.heading.text() == "CONNECTION LOG · DEVICE TIME \N{MULTIPLICATION SIGN}10"
    device.presence.person_approached()
    expected = time.strftime("%H:%M:%S", time.localtime(device.now)) + ".500"
    assert dock.log_view.toPlainText().splitlines()[-1] == (
        f"{expected}  Presence: a person approaches"
    )
    device.now += 2.25
    device.presence.person_left()
    device.presence.person_approached()  # folded, stamped with its latest time
    assert dock.log_view.toPlainText().splitlines()[-2] == (
        f"{time.strftime('%H:%M:%S', time.localtime(device.now))}.750"
        "  Presence: a person approaches x2"
    )


def test_on_a_real_time_clock_the_heading_says_nothing_of_time(
    device: FakeDevice, window: PanelWindow
) -> None:
    assert docked(window, device).log_card.heading.text() == "CONNECTION LOG"


# -- sensors ---------------------------------------------------------------------------------------
def test_presence_buttons_and_shortcuts_drive_the_sensor(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    dock = docked(window, device)
    device.set_power(PowerState.SLEEP)
    QTest.mouseClick(dock.approach_button, Qt.MouseButton.LeftButton)
    assert present(device)
    assert device.power.state is PowerState.ACTIVE  # the sensor woke the panel
    assert dock.presence_label.text() == "Someone is in front"
    QTest.mouseClick(dock.leave_button, Qt.MouseButton.LeftButton)
    assert not present(device)
    assert dock.presence_label.text() == "Nobody in front"

    dock.set_shown(False)  # the shortcuts work with the dock hidden
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window, Qt.Key.Key_F8)
    assert present(device)
    QTest.keyClick(window, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert not present(device)
    # The second approach and leave repeat lines just above: folded into them, with a count.
    assert dock.log_lines()[-3:] == [
        "Presence: a person approaches x2",
        "Power: active (presence)",
        "Presence: the person left x2",
    ]


def test_the_card_reader_logs_the_owner_in_or_says_why_not(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    device.cards.owners[CARDS[0][0]] = ALICE
    dock = docked(window, device)
    assert dock.card_box.currentText() == "Alice Martin's card"
    QTest.mouseClick(dock.tap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    assert device.cards.taps == [CARDS[0][0]]
    qtbot.waitUntil(lambda: f"Card {CARDS[0][0]}: Alice Martin logged in" in dock.log_lines())

    device.logout()
    dock.card_box.setCurrentIndex(1)  # the unregistered card
    QTest.mouseClick(dock.tap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.toast.isVisible())
    assert window.toast.text() == "This card is not registered. Log in with your user ID and PIN."
    assert window.current_screen() is window.login_screen

    dock.card_box.setEditText("04CAFE")  # a card id typed in
    QTest.mouseClick(dock.tap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(device.cards.taps) == 3)
    assert device.cards.taps[-1] == "04CAFE"

    dock.card_box.setEditText("   ")
    QTest.mouseClick(dock.tap_button, Qt.MouseButton.LeftButton)
    assert dock.log_lines()[-1] == "Card reader: pick a demo card or type a card id first"
    assert len(device.cards.taps) == 3


@pytest.mark.expect_errors(logger="panel.tasks", match="reader broke")
def test_a_failing_card_tap_is_in_the_log_and_reported(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(card_id: str) -> LoginResult:
        raise RuntimeError("reader broke")

    monkeypatch.setattr(device.cards, "tap", broken)
    dock = docked(window, device)
    QTest.mouseClick(dock.tap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Could not do the card tap: reader broke" in dock.log_lines())
    qtbot.waitUntil(lambda: len(window.tasks) == 0)  # the window's task owner reported it


# -- power, clock, LAN -----------------------------------------------------------------------------
def test_power_and_clock_lines(device: FakeDevice, window: PanelWindow) -> None:
    device.clock.scale = 10.0
    device.power.idle_s = 12.0
    dock = docked(window, device)
    assert dock.power_label.text() == "Active · idle 0:12, dims at 1:00"
    assert dock.clock_label.text().startswith("Device clock \N{MULTIPLICATION SIGN}10 · ")
    device.power.holds = {"job": 1}
    device.set_power(PowerState.DIMMED)
    assert dock.power_label.text() == (
        "Dimmed · idle 0:12, sleeps at 15:00\nSleep held off by: job"
    )
    device.power.holds = {}
    device.set_power(PowerState.SLEEP)
    assert dock.power_label.text().startswith("Asleep")
    assert dock.log_lines()[-1] == "Power: sleep (idle)"


def test_who_keeps_whose_session_on_the_lan(device: FakeDevice, window: PanelWindow) -> None:
    device.find_peers()  # on a LAN, nobody found yet
    dock = docked(window, device)
    assert dock.peers_label.text() == "Peers found: none yet"
    assert dock.keeps_label.text() == "Keeps the session of: nobody"
    assert dock.keeper_label.text() == "Own session: kept by this device"

    device.find_peers(PEER)
    kept = KeptSession("dev-b", "Demo MFP 2", "del-1", "127.0.0.1", 40001, 0.0, 0.0, "t")
    device.keep_for(kept)
    assert dock.peers_label.text() == "Peers found: Demo MFP 2"
    assert dock.keeps_label.text() == "Keeps the session of: Demo MFP 2 (keeping)"

    device.kept_by(SessionMode.PROXIED, PEER)
    assert dock.keeper_label.text() == "Own session: kept by Demo MFP 2 while this device sleeps"
    device.kept_by(SessionMode.LOW_POWER)
    assert dock.keeper_label.text() == (
        "Own session: kept by this device in low power (no peer accepted)"
    )


def test_without_a_lan_there_are_no_sleep_proxy_lines(
    device: FakeDevice, window: PanelWindow
) -> None:
    dock = docked(window, device)
    assert not dock.keeper_label.isVisibleTo(dock)


# -- showing, hiding, closing ----------------------------------------------------------------------
def test_hiding_the_dock_narrows_the_window_and_f12_brings_it_back(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow
) -> None:
    alone = window.width()
    dock = docked(window, device)
    assert dock.isVisible()
    assert window.width() > alone
    with_dock = window.width()
    assert dock.width() == DOCK_WIDTH

    hide = dock.titleBarWidget().findChild(type(dock.tap_button), "qaHide")
    assert hide is not None
    QTest.mouseClick(hide, Qt.MouseButton.LeftButton)
    assert not dock.isVisible()
    assert window.width() < with_dock
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window, Qt.Key.Key_F12)
    assert dock.isVisible()
    assert window.width() == with_dock


def test_a_closed_panel_leaves_the_device_and_networks_alone(
    qtbot: QtBot, sims: NetworkSet, two_networks: FakeDevice, window: PanelWindow
) -> None:
    dock = docked(window, two_networks, sims)
    window.close()
    lines = dock.log_lines()
    two_networks.use_network(LTE, "failover")
    run(qtbot, sims.get(WIRED).set_enabled(False))
    assert dock.log_lines() == lines
    assert not dock.ticker.isActive()
