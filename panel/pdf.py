"""A minimal PDF writer (text lines on A4 pages) for documents made without Qt: demo print
jobs on the server, and scans of a headless device (the panel draws its scans with Qt); and the
page count of a PDF placed on the copier (Copy)."""

from __future__ import annotations

import io


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(pages: list[list[str]]) -> bytes:
    """A valid PDF with one page per entry, each showing its lines of text."""
    if not pages:
        raise ValueError("a PDF needs at least one page")
    objs = ["<< /Type /Catalog /Pages 2 0 R >>"]
    font = 3 + 2 * len(pages)
    kids = " ".join(f"{3 + i * 2} 0 R" for i in range(len(pages)))
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>")
    for i, lines in enumerate(pages):
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + i * 2} 0 R"
            f" /Resources << /Font << /F1 {font} 0 R >> >> >>"
        )
        body = "".join(
            f"BT /F1 {18 if n == 0 else 11} Tf 72 {770 - n * 22} Td ({_escape(line)}) Tj ET\n"
            for n, line in enumerate(lines)
        )
        objs.append(f"<< /Length {len(body)} >>\nstream\n{body}endstream")
    objs.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for n, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{obj}\nendobj\n".encode("latin-1", "replace")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def page_count(data: bytes) -> int:
    """Pages of a PDF from its parsed page tree; ValueError for bytes that are not a readable PDF
    with at least one page. Blocking (pypdf parses the whole file): call it in a thread."""
    import pypdf  # only readers of PDFs pay for it (the panel starts without it)

    if not data.startswith(b"%PDF-"):
        raise ValueError("not a PDF file")
    try:
        pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    except Exception as exc:  # any failure to parse outside bytes means "not readable"
        raise ValueError(f"the PDF cannot be read ({exc})") from None
    if pages < 1:
        raise ValueError("the PDF has no pages")
    return pages
