"""Documents are checked by parsing them: PDF pages counted by pypdf, images one page each,
anything else refused with 415 naming the accepted types."""

from __future__ import annotations

import pytest
from support.documents import jpeg, png

from panel.pdf import text_pdf
from panel.server.documents import document_pages
from panel.server.http import ApiError


def test_a_pdf_counts_the_pages_of_its_page_tree():
    assert document_pages(text_pdf([["one"], ["two"], ["three"], ["four"], ["five"]])) == 5


@pytest.mark.parametrize("image", [png(), jpeg(), png(1, 1), jpeg(4000, 3000)])
def test_an_image_is_one_page(image):
    assert document_pages(image) == 1


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"line\n" * 121, "is not a PDF, JPEG or PNG"),
        (b"%PDF-1.4 x", "starts like a PDF but is not one"),
        (b"%PDF-1.7\n" + b"garbage" * 1000, "starts like a PDF but is not one"),
        (png()[:20], "PNG image has no valid header"),
        (png()[:29] + b"\0\0\0\0" + png()[33:], "PNG image has a damaged header"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image has no valid frame header"),
        (jpeg(0, 0), "JPEG image has no valid frame header"),
        (b"GIF89a", "is not a PDF, JPEG or PNG"),
    ],
)
def test_anything_else_is_415_naming_the_accepted_types(data, why):
    with pytest.raises(ApiError) as refused:
        document_pages(data)
    assert (refused.value.status, refused.value.code) == (415, "unsupported_document")
    assert why in refused.value.message
    assert "PDF (application/pdf), JPEG (image/jpeg), PNG (image/png)" in refused.value.message
