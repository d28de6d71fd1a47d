"""`bench scenario`: how much faster than its timeline a scenario runs headless on the virtual
clock, for the example scenarios in scenarios/ (or the files given).

Each scenario runs once through the runner, as `scenario run` runs it (a real server, real
simulated networks, the device cores on a ManualClock, the panel offscreen when a step needs
it), all in one process and one loop (Qt is started once, before the first run: not counted).

- `virtual_speedup`: the scenarios' timeline seconds over their wall seconds, all together
  (goal >= 50); `virtual_speedup_min` and `virtual_speedup_median` per scenario.
- `scenarios_per_min`: scenarios run a minute, one after the other.
- `scenarios`: per file its timeline (scenario seconds the run took), wall time and verdict.
A scenario that fails is reported (and the exit code is 1): a figure of a failing run is not
a figure of the runner.
"""

from __future__ import annotations

import asyncio
import statistics
from pathlib import Path
from typing import Any

from panel.bench import report
from panel.scenario.model import Scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios"


def example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.toml"))


def _figures(results: list[Any]) -> dict[str, Any]:
    per = [
        {
            "file": str(r.label),
            "timeline_s": round(r.timeline_s, 3),
            "wall_s": round(r.wall_s, 3),
            "speedup": round(r.timeline_s / r.wall_s, 1),
            "passed": r.passed,
        }
        for r in results
    ]
    timeline = sum(r.timeline_s for r in results)
    wall = sum(r.wall_s for r in results)
    speedups = [p["speedup"] for p in per]
    return {
        "scenarios": per,
        "scenario_count": len(per),
        "timeline_s": round(timeline, 3),
        "wall_s": round(wall, 3),
        "virtual_speedup": round(timeline / wall, 1),
        "virtual_speedup_min": min(speedups),
        "virtual_speedup_median": round(statistics.median(speedups), 1),
        "scenarios_per_min": round(len(per) * 60.0 / wall, 1),
        "all_passed": all(r.passed for r in results),
    }


def bench_scenario(files: list[Path], as_json: bool) -> int:
    from panel.scenario.format import load
    from panel.scenario.runner import RunOptions, needs_panel, run_scenario

    paths = files or example_files()
    if not paths:
        raise SystemExit(f"bench scenario: no scenario files (none in {EXAMPLES})")
    scenarios: list[Scenario] = [load(path) for path in paths]
    options = RunOptions()
    results: list[Any] = []

    async def main(_app: Any = None) -> int:
        for scenario in scenarios:
            results.append(await run_scenario(scenario, options))
        return 0

    if any(needs_panel(s) for s in scenarios):
        from panel.scenario.runner import run_with_qt

        run_with_qt(main, options)
    else:
        asyncio.run(main())
    figures = _figures(results)
    lines = [f"scenarios headless on the virtual clock ({len(results)}):"]
    for row in figures["scenarios"]:
        verdict = "" if row["passed"] else "  FAILED"
        lines.append(
            f"  {row['file']}: {row['timeline_s']:.1f} s of timeline in {row['wall_s']:.2f} s"
            f" ({row['speedup']:.0f}x){verdict}"
        )
    lines.append(
        f"  virtual speed-up: {figures['virtual_speedup']:.0f}x overall, "
        f"min {figures['virtual_speedup_min']:.0f}x, median "
        f"{figures['virtual_speedup_median']:.0f}x (goal >= 50x); "
        f"{figures['scenarios_per_min']:.1f} scenarios/min"
    )
    report(figures, as_json, lines)
    return 0 if figures["all_passed"] else 1
