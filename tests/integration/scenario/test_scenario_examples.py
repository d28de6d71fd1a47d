"""Every example in scenarios/ runs headless through the runner (acceptance item 2 of issue 18:
CI runs each file). Files whose steps need no panel run here, on plain asyncio; those with a
tap, a key or a screen run offscreen with the panel in tests/gui/test_scenario_panel_examples.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from panel.scenario.format import load
from panel.scenario.runner import RunOptions, needs_panel, run_scenario
from panel.scenario.summary import describe

EXAMPLES = Path(__file__).resolve().parents[3] / "scenarios"
HEADLESS = [p for p in sorted(EXAMPLES.glob("*.toml")) if not needs_panel(load(p))]


def test_there_are_at_least_five_examples():
    assert len(list(EXAMPLES.glob("*.toml"))) >= 5


@pytest.mark.parametrize("path", HEADLESS, ids=[p.stem for p in HEADLESS])
async def test_the_example_passes(path: Path):
    result = await run_scenario(load(path), RunOptions())
    assert result.passed, describe(result)
    assert result.timeline_s >= load(path).length_s
