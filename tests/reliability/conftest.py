"""The crash-point sweep's table, printed at the end of every session that ran it (CI's log
shows it under `scripts/test`, no `-s` needed): every point, whether the workload reached it,
the restarts, the invariants checked after it and the verdict; then the count of points."""

from __future__ import annotations

import pytest
from support.crash_sweep import INVARIANTS, RESULTS, SweepResult

from panel import crashpoints


def _row(result: SweepResult) -> tuple[str, ...]:
    return (
        result.point or "(no crash: baseline)",
        "yes" if result.reached else "NO",
        str(result.restarts),
        f"{len(result.checked)}/{len(INVARIANTS)}",
        f"{result.print_jobs} jobs, {result.pages} pages, {result.scans} scans,"
        f" {result.copies} copies",
        f"{result.seconds:.1f} s",
        _outcome(result),
    )


def _outcome(result: SweepResult) -> str:
    """passed, or the invariants that failed (the details follow the table)."""
    if result.ok:
        return "passed"
    broken = list(dict.fromkeys(v.split(":", 1)[0] for v in result.violations))
    return "FAILED: " + (", ".join(broken) if broken else result.error.splitlines()[0][:120])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not RESULTS:
        return
    declared = crashpoints.all_points()
    swept = sorted(
        (r for r in RESULTS if r.point is None or r.point in declared),
        key=lambda r: (r.point is None, r.point or ""),
    )
    header = ("crash point", "reached", "restarts", "invariants", "work", "time", "result")
    rows = [header, *map(_row, swept)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    write = terminalreporter.write_line
    terminalreporter.section("crash-point sweep")
    for row in rows:
        write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1])
    points = {r.point for r in swept if r.point is not None}
    passed = sum(1 for r in swept if r.point is not None and r.ok)
    write(
        f"{len(points)} of {len(declared)} declared crash points swept, {passed} passed; "
        f"after each, the invariants checked:"
    )
    for name, text in INVARIANTS.items():
        write(f"  {name}: {text}")
    write(
        "work: print jobs on the server, sheets the engine put into the paper tray (a kill"
        " between a sheet and its count would print that one sheet twice: no point is there),"
        " scans delivered, copies made offline"
    )
    for r in swept:
        if not r.ok:
            write(f"{r.point or 'baseline'}: " + r.verdict())
