"""What the dock's recorder makes of each thing a QA engineer does (the view tests' fake core and
real simulated networks, as tests/gui/test_dock.py): network faults as the scenario format can
say them (a lifted fault is a restore, then what stays), presence, a card login, engine faults,
hard keys; every recording reads back as a valid scenario. Record, replay and report over the
real core and server: test_recorder.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, FakeDevice
from support.i18n import in_language
from support.panel_touch import finger

from panel import config
from panel.device.clock import ManualClock
from panel.device.engine import PrintEngine
from panel.device.model import JobKind, JobState
from panel.device.networks import NetworkState, NetworkStatus
from panel.scenario.format import loads
from panel.scenario.model import Scenario
from panel.sim import NetworkSet
from panel.trace import Trace
from panel.ui.dock import QaDock
from panel.ui.dock.recorder import READY
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

WIRED, LTE = "Wired LAN", "LTE"
ALICE_CARD = "04A1B2C3D4E5F6"
CARDS = [(ALICE_CARD, "Alice Martin's card"), ("04000000000000", "Unregistered card")]


@pytest.fixture
def dock(
    sims: NetworkSet,  # before the window: its teardown runs the loop, after the window's
    device: FakeDevice,
    window: PanelWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> QaDock:
    # The fake core has no data directory: recordings go to the program's, here a temporary one.
    monkeypatch.setattr(config, "data_dir", lambda: tmp_path)
    device.set_networks(
        NetworkStatus(WIRED, NetworkState.REACHABLE, True, 3.0),
        NetworkStatus(LTE, NetworkState.REACHABLE, False, 41.0),
    )
    device.cards.owners[ALICE_CARD] = ALICE
    # The real print engine, for the dock's engine card (a jam, cleared).
    device.engine = PrintEngine(device.events, Trace(None), ManualClock(), None, ppm=30.0)  # type: ignore[attr-defined]
    return QaDock(window, device, sims, CARDS)


def recorded(qtbot: QtBot, dock: QaDock) -> Scenario:
    """Stop; the file written, read back by the parser (every recording is a valid file)."""
    path = dock.recorder_card.stop()
    assert path is not None
    assert path.parent.parent == config.data_dir()  # <data dir>/scenarios/recorded-*.toml
    return loads(path.read_text(encoding="utf-8"))


def actions(scenario: Scenario) -> list[tuple[str, dict[str, object]]]:
    return [(s.kind, dict(s.params)) for s in scenario.steps if not s.is_expectation]


def test_network_faults_are_recorded_as_the_format_can_replay_them(
    qtbot: QtBot, dock: QaDock, sims: NetworkSet
) -> None:
    card, wired = dock.cards[WIRED], sims.get(WIRED)
    dock.recorder_card.start()
    QTest.mouseClick(card.down_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wired.enabled)
    QTest.mouseClick(card.blackhole_button, Qt.MouseButton.LeftButton)
    QTest.keyClick(card.latency_box, Qt.Key.Key_Down)
    qtbot.waitUntil(
        lambda: dock.recorder_card.recorder.steps == 4
    )  # online, down, blackhole, latency
    QTest.keyClick(card.latency_box, Qt.Key.Key_Down)  # 500 ms, in place of 100 ms
    qtbot.waitUntil(lambda: dock.recorder_card.recorder.steps == 5)
    QTest.mouseClick(card.blackhole_button, Qt.MouseButton.LeftButton)  # lifted
    QTest.mouseClick(card.down_button, Qt.MouseButton.LeftButton)  # up again
    qtbot.waitUntil(lambda: wired.enabled)
    assert dock.restore_button is not None
    QTest.mouseClick(dock.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wired.toxics)

    scenario = recorded(qtbot, dock)
    assert actions(scenario) == [
        ("network_down", {"network": WIRED}),
        ("network_fault", {"network": WIRED, "fault": "blackhole"}),
        ("network_fault", {"network": WIRED, "fault": "latency", "value": 100}),
        ("network_fault", {"network": WIRED, "fault": "latency", "value": 500}),
        # A scenario lifts no single fault: a restore, then what stays is put back.
        ("network_restore", {"network": WIRED}),
        ("network_down", {"network": WIRED}),
        ("network_fault", {"network": WIRED, "fault": "latency", "value": 500}),
        ("network_up", {"network": WIRED}),
        ("network_restore", {"network": WIRED}),
    ]
    # The device was online at Record: every step counts from it being online again.
    assert scenario.steps[0].id == READY
    assert {s.after for s in scenario.steps[1:]} == {READY}


def test_presence_a_card_login_engine_faults_and_hard_keys(
    qtbot: QtBot, dock: QaDock, device: FakeDevice, window: PanelWindow
) -> None:
    dock.recorder_card.start()
    assert dock.recorder_card.status_label.isVisible()
    QTest.mouseClick(dock.approach_button, Qt.MouseButton.LeftButton)
    dock.card_box.setCurrentIndex(0)
    QTest.mouseClick(dock.tap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    QTest.mouseClick(dock.engine.jam_button, Qt.MouseButton.LeftButton)  # at tray 1
    QTest.mouseClick(dock.engine.clear_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(window.keys["home"], Qt.MouseButton.LeftButton)
    QTest.mouseClick(dock.leave_button, Qt.MouseButton.LeftButton)

    scenario = recorded(qtbot, dock)
    assert actions(scenario) == [
        ("presence", {"present": True}),
        ("card", {"card": ALICE_CARD}),
        ("engine_fault", {"code": "J-0101"}),
        ("engine_clear", {"code": "J-0101"}),
        ("key", {"key": "home"}),
        ("presence", {"present": False}),
    ]
    # Alice logged in by card: declared with her card and a stand-in PIN (the replay's).
    [alice] = scenario.users
    assert (alice.id, alice.card, alice.pin) == (ALICE.user_id, ALICE_CARD, "0000")
    drafts = [
        (s.kind, dict(s.params)) for s in scenario.steps if s.is_expectation and s.id != READY
    ]
    assert ("screen", {"screen": "home"}) in drafts
    assert ("trace", {"source": "device", "concern": "auth", "event": "session",
                      "fields": {"user_id": ALICE.user_id}}) in drafts  # fmt: skip
    assert not dock.recorder_card.recorder.recording
    assert dock.recorder_card.record_button.isEnabled()


def test_closing_the_panel_while_recording_writes_the_scenario(
    qtbot: QtBot, dock: QaDock, window: PanelWindow
) -> None:
    card = dock.recorder_card
    card.start()
    QTest.mouseClick(dock.approach_button, Qt.MouseButton.LeftButton)
    QApplication.sendEvent(window, QCloseEvent())
    assert not card.recorder.recording
    assert card.last_path is not None
    assert actions(loads(card.last_path.read_text(encoding="utf-8"))) == [
        ("presence", {"present": True})
    ]


def test_a_job_from_the_server_is_sent_again_on_replay_and_its_states_are_drafts(
    qtbot: QtBot, dock: QaDock, device: FakeDevice
) -> None:
    dock.recorder_card.start()
    job = device.add_job("Minutes", JobState.QUEUED, pages=3, copies=2)
    device.set_state(job.job_id, JobState.PRINTING)
    device.set_state(job.job_id, JobState.COMPLETED)
    device.add_job("Copy", kind=JobKind.COPY)  # made at the panel: not the server's

    scenario = recorded(qtbot, dock)
    assert actions(scenario) == [
        ("submit_job", {"user": ALICE.user_id, "title": "Minutes", "pages": 3, "copies": 2})
    ]
    # Its user, never logged in here: declared with a stand-in PIN, for the replay's server.
    assert [(u.id, u.pin) for u in scenario.users] == [(ALICE.user_id, "0000")]
    states = [
        s.params["state"]
        for s in scenario.steps
        if s.kind == "job_state" and s.params.get("title") == "Minutes"
    ]
    assert states == ["queued", "printing", "completed"]


def test_a_tap_on_a_panel_in_japanese_is_recorded_by_its_english_name(
    qtbot: QtBot, dock: QaDock, device: FakeDevice, window: PanelWindow
) -> None:
    device.sign_in(ALICE)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    tile = window.home_screen.tiles["jobs"]
    with in_language("ja"):
        assert tile.accessibleName() != "Print release / Jobs"  # shown in Japanese
        dock.recorder_card.start()
        finger(window, tile)
        qtbot.waitUntil(lambda: window.current_screen() is window.jobs_screen)
        scenario = recorded(qtbot, dock)
    # A replay runs in English: the tap names the tile as the runner finds it there.
    assert actions(scenario) == [("tap", {"target": "Print release / Jobs"})]


def test_a_logout_by_the_login_key_is_the_key_step_not_a_second_one(
    qtbot: QtBot, dock: QaDock, device: FakeDevice, window: PanelWindow
) -> None:
    device.sign_in(ALICE)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    dock.recorder_card.start()
    QTest.mouseClick(window.keys["login"], Qt.MouseButton.LeftButton)  # logs Alice out
    qtbot.waitUntil(lambda: window.current_screen() is window.login_screen)
    device.sign_in(ALICE)
    device.logout()  # by itself (an auto-logout, or a logout elsewhere): a step of its own
    scenario = recorded(qtbot, dock)
    assert actions(scenario) == [("key", {"key": "login"}), ("logout", {})]


def test_a_tap_counts_from_the_screen_it_was_made_on_even_before_the_loop_noted_it(
    qtbot: QtBot, dock: QaDock, device: FakeDevice, window: PanelWindow
) -> None:
    """A busy loop can deliver a tap before the turn that notes the screen just shown (seen
    under load): the tap still counts from that screen, not from the one before."""
    device.sign_in(ALICE)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    dock.recorder_card.start()
    window.show_jobs()  # the jobs screen shown; its note waits for the end of this turn
    finger(window, window.jobs_screen.back_button)  # tapped in the same turn
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    scenario = recorded(qtbot, dock)
    tap = next(s for s in scenario.steps if s.kind == "tap")
    shown = {s.id: s.params["screen"] for s in scenario.steps if s.kind == "screen"}
    assert tap.after is not None
    assert shown[tap.after] == "jobs"
