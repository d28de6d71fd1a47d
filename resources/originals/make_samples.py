"""Writes the sample originals the QA dock offers for Copy (run from the repository root:
`.venv/bin/python resources/originals/make_samples.py`). Small on purpose: text PDFs from
panel.pdf and a 96x128 PNG drawn pixel by pixel, no imaging library."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from panel.pdf import text_pdf

HERE = Path(__file__).resolve().parent


def letter() -> bytes:
    body = [
        ["Northwind Traders", "14 Harbour Street, Portsmouth", "", "Dear Ms Martin,"],
        ["Thank you for your order of 12 March.", "The items you asked about ship on Monday."],
        ["Kind regards,", "", "J. Okafor", "Customer service"],
    ]
    return text_pdf([[f"Letter - page {n} of 3", *lines] for n, lines in enumerate(body, 1)])


def report() -> bytes:
    return text_pdf(
        [
            [f"Quarterly report - page {n} of 5", "", f"Section {n}", "Figures and notes."]
            for n in range(1, 6)
        ]
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def photo(width: int = 96, height: int = 128) -> bytes:
    """A sky over a green hill with a sun: colour, as auto colour select should see it."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter: none
        for x in range(width):
            if (x - 70) ** 2 + (y - 28) ** 2 < 12**2:
                pixel = (250, 210, 60)
            elif y > 80 + 12 * ((x - 48) / 48) ** 2:
                pixel = (60, 140 + y // 4, 70)
            else:
                pixel = (90 + y, 150 + y // 2, 235)
            row += bytes(min(255, c) for c in pixel)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    for name, data in (("letter.pdf", letter()), ("report.pdf", report()), ("photo.png", photo())):
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")
