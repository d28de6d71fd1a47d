"""The dock's recorder and Report… (issue 18, acceptance 1): record a short session in the dock
(a login on the keypad, a tap, the wired LAN taken down), stop; the file reads as a scenario
with those steps and the outcomes as draft expectations; replayed headless by the runner it
gives the same outcome. The bug report made from the dock holds no PIN and no secret.

A real server behind two simulated networks, a real device core, its panel and the dock, on
the session's qasync loop (synchronous pytest-qt tests, as tests/gui/test_networks_panel.py).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support import device_config, running_server
from support.dock_rig import LTE, WIRED, DockRig, dock_rig
from support.panel_touch import finger, log_in_with_keypad
from support.qt_loop import run

from panel.device import ConnectionState, Device
from panel.scenario.format import load, loads
from panel.scenario.model import Scenario, Step
from panel.scenario.runner import RunOptions, run_scenario
from panel.ui.dock import QaDock
from panel.ui.dock.recorder import DRAFT, READY
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

# A user of this test only, with a PIN long enough that a grep of the report cannot find it
# by chance (in a time stamp's digits, say).
DANA, DANA_NAME, DANA_PIN = "4711", "Dana Recorder", "86420975"
BOX_PIN = "3917258"  # a shared box's PIN typed on the Shared files keypad (shown as dots)


@pytest.fixture
def rig(qtbot: QtBot, tmp_path: Path) -> Iterator[DockRig]:
    for rig in dock_rig(qtbot, tmp_path, "Recorded MFP"):  # once; on, after the test: teardown
        rig.server.store.add_user(DANA, DANA_NAME, DANA_PIN, "user")
        yield rig


def record_a_session(qtbot: QtBot, rig: DockRig) -> Path:
    """Record: log in on the keypad, tap the Jobs tile, take the wired LAN down; Stop."""
    window, card = rig.window, rig.dock.recorder_card
    QTest.mouseClick(card.record_button, Qt.MouseButton.LeftButton)
    assert not card.record_button.isEnabled()  # recording
    assert card.stop_button.isEnabled()
    log_in_with_keypad(window, DANA, DANA_PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=5000)
    finger(window, window.home_screen.tiles["jobs"])
    qtbot.waitUntil(lambda: window.current_screen() is window.jobs_screen, timeout=5000)
    QTest.mouseClick(rig.dock.cards[WIRED].down_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.status_bar.network_label.text() == LTE, timeout=15_000)
    with qtbot.waitSignal(card.written, timeout=5000) as written:  # the demo keeps its data
        QTest.mouseClick(card.stop_button, Qt.MouseButton.LeftButton)
    assert not card.recorder.recording
    assert card.last_path is not None
    assert written.args == [card.last_path]
    assert str(card.last_path) in card.status_label.full_text()
    return card.last_path


def actions(scenario: Scenario) -> list[tuple[str, dict[str, object]]]:
    return [(s.kind, dict(s.params)) for s in scenario.steps if not s.is_expectation]


def expectations(scenario: Scenario) -> list[Step]:
    return [s for s in scenario.steps if s.is_expectation]


def test_record_in_the_dock_then_replay_headless_gives_the_same_outcome(
    qtbot: QtBot, rig: DockRig
) -> None:
    path = record_a_session(qtbot, rig)
    assert path.is_relative_to(rig.device.config.data_dir)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Recorded by the mfp-panel QA dock on ")
    assert f"# {DRAFT}" in text

    scenario = load(path)
    assert actions(scenario) == [
        ("login", {"user": DANA, "method": "pin"}),
        ("tap", {"target": "Print release / Jobs"}),  # the tile, by its name
        ("network_down", {"network": WIRED}),
    ]
    assert [(u.id, u.name, u.pin) for u in scenario.users] == [(DANA, DANA_NAME, DANA_PIN)]
    assert [(n.name, n.kind) for n in scenario.networks] == [(WIRED, "lan"), (LTE, "cellular")]
    assert [d.name for d in scenario.devices] == ["Recorded MFP"]
    # A person acts on what the panel shows: each action after a screen was seen counts from
    # that screen (the replay waits for it), the first from the device being online, as it
    # was when Record was pressed.
    by_kind = {s.kind: s for s in scenario.steps if not s.is_expectation}
    shown = {s.id: s.params["screen"] for s in scenario.steps if s.kind == "screen"}
    assert by_kind["login"].after == READY
    assert scenario.steps[0].id == READY
    assert scenario.steps[0].params["fields"] == {"state": "online"}
    assert shown[by_kind["tap"].after] == "home"
    assert shown[by_kind["network_down"].after] == "jobs"
    screens = [s.params["screen"] for s in expectations(scenario) if s.kind == "screen"]
    assert screens == ["home", "jobs"]
    traced = {
        (s.params["concern"], s.params["event"], json.dumps(s.params.get("fields"), sort_keys=True))
        for s in expectations(scenario)
        if s.kind == "trace"
    }
    assert ("auth", "session", json.dumps({"user_id": DANA})) in traced
    failover = json.dumps({"network": LTE, "reason": "failover"}, sort_keys=True)
    assert ("networks", "active", failover) in traced
    # Each outcome is placed at the action that caused it: the failover at the network's cut.
    cut = next(s.at for s in scenario.steps if s.kind == "network_down")
    assert any(
        s.kind == "trace" and s.params["event"] == "active" and s.at == cut for s in scenario.steps
    )

    # Replayed headless by the runner, on its virtual clock, the panel offscreen: every draft
    # expectation (the screens, the session, the failover) is met again.
    result = run(qtbot, run_scenario(scenario, RunOptions()), timeout_ms=120_000)
    failed = [f"{r.step.label}: {r.status} {r.message}" for r in result.steps if r.status != "met"]
    failed = [line for line in failed if " action " not in f" {line}"]
    assert result.passed, f"{result.message}\n" + "\n".join(failed + result.trace)


def test_the_dock_report_holds_the_session_and_no_pin_or_secret(qtbot: QtBot, rig: DockRig) -> None:
    record_a_session(qtbot, rig)
    card = rig.dock.recorder_card
    with qtbot.waitSignal(card.written, timeout=10_000) as written:  # the demo keeps its data
        QTest.mouseClick(card.report_button, Qt.MouseButton.LeftButton)
    assert card.report_path is not None
    assert written.args == [card.report_path]
    assert str(card.report_path) in card.status_label.full_text()
    with zipfile.ZipFile(card.report_path) as bundle:
        contents = {name: bundle.read(name) for name in bundle.namelist()}
    assert {
        "README.txt",
        "versions.json",
        "settings.json",
        "screenshot.png",
        "scenario.toml",
    } <= set(contents)
    assert contents["screenshot.png"].startswith(b"\x89PNG")
    assert any(name.startswith("traces/") for name in contents)
    settings = json.loads(contents["settings.json"])
    assert settings["device"]["name"] == "Recorded MFP"
    scenario = contents["scenario.toml"].decode()
    assert f'id = "{DANA}"' in scenario
    for name, data in contents.items():
        for secret in (DANA_PIN, rig.device.config.secret):
            assert secret.encode() not in data, f"{secret!r} in {name}"


def test_a_box_pin_typed_on_the_keypad_is_neither_recorded_nor_reported(
    qtbot: QtBot, rig: DockRig
) -> None:
    """The Shared files box-PIN keypad types into a field shown as dots: its keys are not
    recorded as taps (only its OK, with a note that a PIN was typed), so neither the scenario
    nor any member of the report holds the PIN or its digits."""
    window, card = rig.window, rig.dock.recorder_card
    QTest.mouseClick(card.record_button, Qt.MouseButton.LeftButton)
    log_in_with_keypad(window, DANA, DANA_PIN)
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=5000)
    window.show_shared_files()
    files = window.shared_files_screen
    qtbot.waitUntil(lambda: window.current_screen() is files, timeout=5000)
    files.pages.setCurrentWidget(files.pin_page)  # as a locked box's file asks for its PIN
    qtbot.waitUntil(files.pin_field.isVisible)
    for digit in BOX_PIN:
        finger(window, files.pin_keypad.buttons[digit])
    assert files.pin_field.text() == BOX_PIN  # typed on the real keypad
    finger(window, files.pin_keypad.buttons["ok"])
    with qtbot.waitSignal(card.written, timeout=5000):
        QTest.mouseClick(card.stop_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(card.written, timeout=10_000):
        QTest.mouseClick(card.report_button, Qt.MouseButton.LeftButton)
    assert card.report_path is not None
    assert card.last is not None
    taps = [str(p["target"]) for kind, p in actions(card.last.scenario) if kind == "tap"]
    assert taps == ["OK"]
    assert not any(target.isdigit() for target in taps)
    with zipfile.ZipFile(card.report_path) as bundle:
        contents = {name: bundle.read(name) for name in bundle.namelist()}
    scenario = contents["scenario.toml"].decode()
    assert "a PIN or password was typed" in scenario
    recorded = loads(scenario)
    assert [p["target"] for kind, p in actions(recorded) if kind == "tap"] == ["OK"]
    for name, data in contents.items():
        assert BOX_PIN.encode() not in data, f"the box PIN in {name}"


def test_a_report_from_a_scenario_run_dock_holds_the_server_trace(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """`scenario run --panel` lays out <root>/server and <root>/devices/<name> (not the demo's
    layout) and gives the dock both traces for its Trace tab: its report holds both too."""
    root = tmp_path / "run"
    server = run(qtbot, running_server(root))
    device = Device(device_config(server, root / "devices" / "Runner MFP", "Runner MFP"))
    run(qtbot, device.start())
    window = PanelWindow(device)
    qtbot.addWidget(window)
    server_trace = root / "server" / "trace.jsonl"
    assert device.trace.path is not None
    dock = QaDock(window, device, None, (), shown=True, traces=[device.trace.path, server_trace])
    window.show()
    qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE, timeout=10_000)
    try:
        card = dock.recorder_card
        with qtbot.waitSignal(card.written, timeout=10_000):
            QTest.mouseClick(card.report_button, Qt.MouseButton.LeftButton)
        assert card.report_path is not None
        with zipfile.ZipFile(card.report_path) as bundle:
            names = set(bundle.namelist())
            server_lines = bundle.read("traces/server/trace.jsonl").decode().splitlines()
        assert {"traces/device/trace.jsonl", "traces/server/trace.jsonl"} <= names
        assert any(json.loads(line)["concern"] for line in server_lines)
    finally:
        window.close()
        run(qtbot, device.stop())
        run(qtbot, server.stop())
