"""The scanner's document drawn with Qt: a real multi-page A4 PDF, in memory, offscreen."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from panel.device.scanner import ScanSpec
from panel.ui.scan_render import render_scan

pytestmark = pytest.mark.gui


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("pages", [1, 3, 12])
def test_renders_a_pdf_with_one_page_per_scanned_sheet(qapp: QApplication, pages: int) -> None:
    pdf = render_scan(ScanSpec("Quarterly report", "1001", "Alice Martin", pages, 1_767_261_600.0))
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert page_count(pdf) == pages
    assert b"/MediaBox [0 0 595" in pdf  # A4: 595 x 842 points
    assert b"Quarterly report" in pdf  # the document's title, in its metadata


def test_same_scan_draws_the_same_and_a_title_is_not_needed(qapp: QApplication) -> None:
    spec = ScanSpec("", "1001", "Alice Martin", 2, 1_767_261_600.0)
    first = render_scan(spec)
    assert page_count(first) == 2
    assert len(first) == pytest.approx(len(render_scan(spec)), rel=0.02)


def test_renders_the_cores_scan_spec(qapp: QApplication) -> None:
    spec = ScanSpec(
        title="Signed contract", user_id="1001", user_name="Alice Martin", pages=2, at=0.0
    )
    assert page_count(render_scan(spec)) == 2
