"""JUnit XML for CI: one testcase per scenario (its file as the class, its name as the case),
a failure whose message names the step and its line, and the trace before it as the text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from panel.scenario.runner import ScenarioResult


def junit_xml(results: Sequence[ScenarioResult], bad: Sequence[tuple[str, str]] = ()) -> str:
    """The document: `bad` are (file, message) of files that could not be read or built (an
    error each)."""
    suite = ET.Element(
        "testsuite",
        name="scenarios",
        tests=str(len(results) + len(bad)),
        failures=str(sum(not r.passed for r in results)),
        errors=str(len(bad)),
        time=f"{sum(r.wall_s for r in results):.3f}",
    )
    for result in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=str(result.scenario.path or "scenario"),
            name=result.scenario.name,
            time=f"{result.wall_s:.3f}",
        )
        if not result.passed:
            failure = ET.SubElement(case, "failure", message=result.message, type="expectation")
            failure.text = "\n".join(result.trace)
    for where, message in bad:
        case = ET.SubElement(suite, "testcase", classname=where, name=Path(where).stem)
        ET.SubElement(case, "error", message=message, type="scenario")
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(
    path: Path, results: Sequence[ScenarioResult], bad: Sequence[tuple[str, str]] = ()
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(junit_xml(results, bad), encoding="utf-8")
