"""`mfp-panel bench language`: a language switch, from the tap to every visible screen redrawn.

A real panel (PanelWindow over a real device core, offscreen Qt, 1024x600) whose user has a
full job list; the server runs in its own process. Each switch goes English -> Japanese or
back, alternately, through the two ways a person switches:

- the login screen's language key, tapped (the walk-up user's language for the session), with
  the home screen and the job list built and holding the last user's rows;
- the language applied while the user works (what Settings does: `i18n.set_language`), with the
  job list on the glass and the home screen built behind it.

Timed from the tap (or the call) to the window drawn again: every bound text set, every screen
that renders from state rendered (`notifier().changed`), Qt's LanguageChange events handled
(one turn of the event loop), then the whole window rendered (`QWidget.grab`). Each switch is
checked, after its timing: the texts on the glass are not the ones before it, every visible
bound widget shows its text in the new language (`i18n.stale_bindings`), and in Japanese no
visible label or button shows an English word outside the data (`panel.ui.i18n_check`); the
bench fails if not.
"""

from __future__ import annotations

import os

from panel.bench import report
from panel.bench.push import measure_on_panel

GOAL_MS = 200.0


def bench_language(switches: int, as_json: bool) -> int:
    """Print the switch times; 2 for a bad argument."""
    if not 2 <= switches <= 200:
        print("bench language: --switches is 2 to 200")
        return 2
    from panel.ui.language_bench import JOBS, SCREEN, run

    figures = measure_on_panel(lambda tmp: run(tmp, switches))
    if not figures:
        return 1
    f = figures
    report(
        figures,
        as_json,
        [
            f"language switch, {SCREEN[0]}x{SCREEN[1]} panel ({os.environ['QT_QPA_PLATFORM']} "
            f"platform), {JOBS} jobs listed, English <-> Japanese, tap -> window redrawn",
            f"  all          {f['language_switch_ms']:7.1f} ms median, "
            f"{f['language_switch_max_ms']:.1f} max of {f['switches']:.0f}  (goal <= {GOAL_MS:g})",
            f"  login key    {f['language_switch_login_key_median_ms']:7.1f} ms median, "
            f"{f['language_switch_login_key_max_ms']:.1f} max",
            f"  job list     {f['language_switch_job_list_median_ms']:7.1f} ms median, "
            f"{f['language_switch_job_list_max_ms']:.1f} max",
        ],
    )
    return 0
