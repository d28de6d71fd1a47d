"""The examples in scenarios/ that tap, press a key or look at the screen, run through the runner
with the panel offscreen on the virtual clock (the others run in
tests/integration/scenario/test_scenario_examples.py): CI runs every example."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from support.qt_loop import run

from panel.scenario.format import load
from panel.scenario.runner import RunOptions, needs_panel, run_scenario
from panel.scenario.summary import describe

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios"
WITH_PANEL = [p for p in sorted(EXAMPLES.glob("*.toml")) if needs_panel(load(p))]
RUN_MS = 120_000  # a deadline for a stuck run (an example takes seconds)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("path", WITH_PANEL, ids=[p.stem for p in WITH_PANEL])
def test_the_example_passes_with_the_panel(qtbot: QtBot, path: Path) -> None:
    options = RunOptions()
    result = run(qtbot, run_scenario(load(path), options), RUN_MS)
    assert result.passed, describe(result)


SHORTEST = EXAMPLES / "server-crash-while-logged-in.toml"  # the README's example, ~30 s long


@pytest.mark.realtime
@pytest.mark.timeout(180)
def test_the_readme_example_passes_with_the_panel_at_speed_20(qtbot: QtBot) -> None:
    """`scenario run --panel --speed 20`: its login `at = 1` is one second after the device is
    online, not 0.05 s into the start-up (which refused it: the device was still offline)."""
    result = run(qtbot, run_scenario(load(SHORTEST), RunOptions(speed=20)), RUN_MS)
    assert result.passed, describe(result)
    assert result.timeline_s < 120  # scenario time, on a clock 20 times real time
