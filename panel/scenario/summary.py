"""The summary `scenario run` prints for each scenario: passed, or failed at which step (its
label: kind, id, parameters and line) with the device and server trace lines around it."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from panel.scenario.runner import ScenarioResult


def headline(result: ScenarioResult) -> str:
    """One line: `PASS path (name): 600.0 s of scenario time in 3.2 s`."""
    took = f"{result.timeline_s:.1f} s of scenario time in {result.wall_s:.2f} s"
    name = result.scenario.name
    if result.passed:
        return f"PASS {result.label} ({name}): {took}"
    return f"FAIL {result.label} ({name}) at {result.failed_at:.3f} s: {result.message}"


def describe(result: ScenarioResult) -> str:
    """The headline, and for a failure the trace lines before it (scenario seconds)."""
    lines = [headline(result)]
    if not result.passed:
        if result.trace:
            lines.append("  trace before the failure (scenario s, source, concern, event):")
            lines.extend(f"    {line}" for line in result.trace)
        else:
            lines.append("  (no trace lines in the seconds before the failure)")
    return "\n".join(lines)


def print_result(result: ScenarioResult, out: TextIO) -> None:
    print(describe(result), file=out, flush=True)
