"""The runner's panel steps on the real panel (offscreen, virtual clock): a tap by a control's
visible text, a hard key, screen expectations; a tap on a control that is not there fails the
step and says what is there; a screen expectation that fails says what the panel showed."""

from __future__ import annotations

import time

import pytest
from pytestqt.qtbot import QtBot
from support.qt_loop import run

from panel.scenario.format import loads
from panel.scenario.runner import RunOptions, ScenarioResult, run_scenario

HEAD = """
[scenario]
name = "panel"

[[device]]
name = "mfp-1"

[[user]]
id = "1001"
name = "Alice"
pin = "1234"

[[step]]
at = 0
expect = "screen"
screen = "login"

[[step]]
at = 1
action = "login"
user = "1001"

[[step]]
at = 1
expect = "screen"
screen = "home"
id = "home"
"""


def play(qtbot: QtBot, text: str) -> ScenarioResult:
    options = RunOptions()
    scenario = loads(text, "panel.toml")
    return run(qtbot, run_scenario(scenario, options), 60_000)


def test_taps_keys_and_screens(qtbot: QtBot) -> None:
    result = play(
        qtbot,
        HEAD
        + """
[[step]]
after = "home"
at = 1
action = "tap"
target = "Device status"

[[step]]
after = "home"
at = 1
expect = "screen"
screen = "device-status"
id = "status"

[[step]]
after = "status"
at = 1
action = "key"
key = "home"

[[step]]
after = "status"
at = 1
expect = "screen"
screen = "home"

[[step]]
after = "status"
at = 2
action = "engine_fault"
code = "J-0101"

[[step]]
after = "status"
at = 2
expect = "screen"
screen = "engine_fault"
""",
    )
    assert result.passed, result.message


def test_a_tap_on_a_control_that_is_not_there_says_what_is(qtbot: QtBot) -> None:
    result = play(
        qtbot,
        HEAD
        + """
[[step]]
after = "home"
at = 1
action = "tap"
target = "Teleport"
""",
    )
    assert not result.passed
    assert "action tap (target='Teleport')" in result.message
    assert "no control 'Teleport' on the home screen" in result.message
    assert "Device status" in result.message  # what is there


def test_a_screen_expectation_says_what_the_panel_showed(qtbot: QtBot) -> None:
    result = play(
        qtbot,
        HEAD
        + """
[[step]]
after = "home"
at = 0
expect = "screen"
screen = "jobs"
within = 3
""",
    )
    assert not result.passed
    assert "expect screen (screen='jobs')" in result.message
    assert result.message.endswith("saw: home")


@pytest.mark.realtime
def test_speed_runs_a_real_clock_faster_with_the_panel_and_the_dock(qtbot: QtBot) -> None:
    """`--speed N`: the device's clock runs N times faster than real time (the network keeps
    real time, as in the demo); the panel is shown with the QA dock beside it."""
    text = HEAD.replace('screen = "home"\nid = "home"', 'screen = "home"\nid = "home"\nwithin = 30')
    text += '\n[[step]]\nafter = "home"\nat = 20\naction = "wait"\n'
    options = RunOptions(speed=20)
    started = time.monotonic()
    result = run(qtbot, run_scenario(loads(text, "speed.toml"), options), 60_000)
    took = time.monotonic() - started

    assert result.passed, result.message
    assert result.timeline_s >= 21
    assert took < result.timeline_s / 5  # far less real time than scenario time
