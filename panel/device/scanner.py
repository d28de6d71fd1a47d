"""The simulated scanner: it produces a real document (a PDF) for each scan.

The panel injects a renderer that draws the pages with Qt; a headless device (tests, fleet)
uses the plain text renderer here, so the core never needs Qt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from panel.pdf import text_pdf


@dataclass(frozen=True, slots=True)
class ScanSpec:
    title: str
    user_id: str
    user_name: str
    pages: int
    at: float  # epoch seconds, on the device clock


Renderer = Callable[[ScanSpec], bytes]


def render_text(spec: ScanSpec) -> bytes:
    """Each page names the document, who scanned it and when, and its number."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(spec.at))
    return text_pdf(
        [
            [
                spec.title,
                f"Scanned by {spec.user_name} ({spec.user_id})",
                stamp,
                f"Page {n} of {spec.pages}",
            ]
            for n in range(1, spec.pages + 1)
        ]
    )
