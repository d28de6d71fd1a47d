"""Network fallback on the panel (S2; issue 4, acceptance 3): a real server behind two simulated
networks ("Wired LAN" preferred, "LTE"), a real device core with both, its panel and the QA
dock that owns the networks. Cut "Wired LAN" in the dock: the status bar switches to "LTE";
restore it: the status bar returns to "Wired LAN". Synchronous pytest-qt tests; the server,
the networks and the device run as tasks on the session's qasync loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support import ALICE, ALICE_PIN
from support.dock_rig import LTE, WIRED, DockRig, dock_rig
from support.panel_touch import log_in_with_keypad

from panel.device.networks import FailoverPolicy

pytestmark = pytest.mark.gui

# The real stagger (RFC 8305's 250 ms); going back to the preferred network after 3 good
# probes over 0.6 s instead of 10 s, so that the test does not wait for the product's hold.
POLICY = FailoverPolicy(
    probe_interval_s=0.1, recover_probes=3, recover_hold_s=0.6, heartbeat_s=0.6, reuse_s=0.0
)


@pytest.fixture
def demo(qtbot: QtBot, tmp_path: Path) -> Iterator[DockRig]:
    yield from dock_rig(qtbot, tmp_path, "Glue MFP", failover=POLICY)


def test_cut_wired_lan_in_the_dock_the_panel_moves_to_lte_and_back(
    qtbot: QtBot, demo: DockRig
) -> None:
    window, dock, status = demo.window, demo.dock, demo.window.status_bar
    assert status.network_label.property("network") == "preferred"
    assert dock.cards[WIRED].in_use.isVisible()

    QTest.mouseClick(dock.cards[WIRED].down_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: demo.network_shown() == LTE, timeout=5000)
    assert status.network_label.property("network") == "fallback"
    assert dock.cards[LTE].in_use.isVisible()
    assert not demo.sims.get(WIRED).enabled
    assert "Failover: now on LTE" in dock.log_lines()
    qtbot.waitUntil(lambda: status.connection_label.text() == "Online", timeout=5000)
    assert not window.leds["attention"].is_on()  # a fallback is not a fault

    log_in_with_keypad(window, ALICE, ALICE_PIN)  # the panel works over LTE
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=5000)
    assert demo.server.store.device_of_user(ALICE) == demo.device.device_id

    QTest.mouseClick(dock.cards[WIRED].down_button, Qt.MouseButton.LeftButton)  # up again
    qtbot.waitUntil(lambda: demo.network_shown() == WIRED, timeout=10_000)
    assert status.network_label.property("network") == "preferred"
    assert "Back on Wired LAN (recovered)" in dock.log_lines()
    qtbot.waitUntil(lambda: status.connection_label.text() == "Online", timeout=5000)


def test_with_no_network_left_the_panel_says_so_and_attention_lights(
    qtbot: QtBot, demo: DockRig
) -> None:
    window, dock, status = demo.window, demo.dock, demo.window.status_bar
    for name in (WIRED, LTE):
        QTest.mouseClick(dock.cards[name].down_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: demo.network_shown() == "No network", timeout=10_000)
    qtbot.waitUntil(lambda: status.connection_label.text() == "Offline", timeout=10_000)
    assert status.network_label.property("network") == "none"
    assert window.leds["attention"].is_on()
    assert "No network reaches the server" in dock.log_lines()

    assert dock.restore_button is not None
    QTest.mouseClick(dock.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status.connection_label.text() == "Online", timeout=10_000)
    qtbot.waitUntil(lambda: demo.network_shown() == WIRED, timeout=10_000)
    assert not window.leds["attention"].is_on()
    # LTE too is shown reachable again, once the device has probed it (issue 11: the dock
    # kept it red "refused": no check tries LTE while Wired LAN works).
    lte = dock.cards[LTE]
    qtbot.waitUntil(lambda: lte.dot.property("state") == "reachable", timeout=5000)
    assert lte.detail.full_text().endswith(" ms")
    assert lte.detail.property("failed") is False
    assert dock.cards[WIRED].in_use.isVisible()


def test_a_wired_lan_slower_than_lte_by_more_than_the_stagger_loses_to_it(
    qtbot: QtBot, demo: DockRig
) -> None:
    card = demo.dock.cards[WIRED]
    index = card.latency_box.findData(2000)  # far beyond a wired LAN's 0.5 s budget
    card.latency_box.setCurrentIndex(index)
    card.latency_box.activated.emit(index)  # as a choice in the drop-down list
    assert demo.sims.get(WIRED).toxic("latency_downstream").attr("latency") == 2000
    demo.device.logout()  # a process: the device checks its networks with a new token
    log_in_with_keypad(demo.window, ALICE, ALICE_PIN)
    qtbot.waitUntil(lambda: demo.network_shown() == LTE, timeout=10_000)
    lines = demo.dock.log_lines()
    assert "Wired LAN unreachable: no answer within 250 ms; LTE answered first" in lines
    assert any(line.startswith("Check login") and "Wired LAN cancelled" in line for line in lines)
