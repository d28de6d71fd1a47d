"""`mfp-panel bench apps`: server apps (S8) as a user feels them, on the real stack over loopback.

- launch -> first screen: an app's tile tapped on the Apps list -> the app's first screen painted
  (the whole handshake: launch, identifying information, device information, the request
  information stored and sent, the app's answer, the screen decoded and drawn; goal <= 300 ms);
- action -> next screen: a button tapped -> the next screen painted.

A server with its built-in apps, a device and its panel window (offscreen unless a display is
chosen) at 800x480; "Visitor badge" launched `runs` times, each run ended with the Home key.
"""

from __future__ import annotations

import os
import statistics
from typing import Any

from panel.bench import report


def bench_apps(runs: int, as_json: bool) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from panel.ui.qt_loop import run_qt

    figures: dict[str, Any] = {}

    async def main(_app: Any) -> int:
        from panel.ui.apps_bench import measure

        figures.update(await measure(runs))
        return 0

    code = run_qt(main)
    if code:
        return code
    launch, action = figures.pop("launch"), figures.pop("action")
    figures.update(
        {
            "runs": runs,
            "launch_to_first_screen_median_ms": round(statistics.median(launch), 1),
            "launch_to_first_screen_max_ms": round(max(launch), 1),
            "action_to_screen_median_ms": round(statistics.median(action), 1),
            "action_to_screen_max_ms": round(max(action), 1),
        }
    )
    lines = [
        f"Apps tile tapped -> first app screen painted: median"
        f" {figures['launch_to_first_screen_median_ms']} ms, max"
        f" {figures['launch_to_first_screen_max_ms']} ms (goal <= 300 ms; {runs} launches)",
        f"action -> next screen painted: median {figures['action_to_screen_median_ms']} ms,"
        f" max {figures['action_to_screen_max_ms']} ms",
    ]
    report(figures, as_json, lines)
    return 0
