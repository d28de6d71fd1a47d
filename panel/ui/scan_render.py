"""The scanner's document, drawn with Qt: the device core's `renderer` for a scan (S1).

`render_scan(spec)` returns a real A4 PDF of `spec.pages` pages that look like scanned sheets:
a header (title, who scanned it, when, "Page n of N"), a body of text lines, a table and a
figure drawn as shapes, a faint shadow along the scanner's edge and a hint of skew. It is
drawn into memory (QPdfWriter on a QBuffer); the core writes the bytes durably. It needs a
QGuiApplication (fonts), works on the offscreen platform, and touches no file.
"""

from __future__ import annotations

import random
import time

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QLinearGradient,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from panel.device.scanner import ScanSpec

DPI = 150  # device units per inch; the PDF itself is vector, so this is only the grid
MM = DPI / 25.4


def render_scan(spec: ScanSpec) -> bytes:
    """An A4 PDF of `spec.pages` scanned-looking pages (at least one), as bytes."""
    pages = max(1, int(spec.pages))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    writer.setTitle(spec.title or "Scan")
    writer.setCreator("mfp-panel scanner")
    painter = QPainter()
    if not painter.begin(writer):
        buffer.close()
        raise RuntimeError("could not start drawing the scanned document")
    try:
        for number in range(1, pages + 1):
            if number > 1:
                writer.newPage()
            _draw_page(painter, writer.width(), writer.height(), spec, number, pages)
    finally:
        painter.end()
        buffer.close()
    return bytes(data.data())


def _font(pixels_mm: float, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(1, round(pixels_mm * MM)))
    font.setBold(bold)
    return font


def _draw_page(
    painter: QPainter, width: int, height: int, spec: ScanSpec, number: int, pages: int
) -> None:
    # One generator per page, seeded by what the page shows: the same scan draws the same.
    rng = random.Random(f"{spec.title}|{spec.user_id}|{spec.at}|{number}")
    page = QRectF(0, 0, width, height)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(page, QColor("#fdfdfb"))  # scanned paper is never quite white

    # A sheet on a glass is never perfectly square: turn the content a fraction of a degree.
    painter.save()
    painter.translate(page.center())
    painter.rotate(rng.uniform(-0.35, 0.35))
    painter.translate(-page.center())
    _draw_header(painter, width, spec, number, pages)
    _draw_body(painter, width, height, rng)
    painter.restore()
    _draw_scanner_edge(painter, page, rng)


def _draw_header(painter: QPainter, width: int, spec: ScanSpec, number: int, pages: int) -> None:
    left, right = 18 * MM, width - 18 * MM
    top = 16 * MM
    painter.setPen(QColor("#1d2733"))
    painter.setFont(_font(6.2, bold=True))
    title_box = QRectF(left, top, right - left - 40 * MM, 10 * MM)
    title = painter.fontMetrics().elidedText(
        spec.title or "Scan", Qt.TextElideMode.ElideRight, int(title_box.width())
    )
    painter.drawText(title_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    painter.setFont(_font(3.4, bold=True))
    painter.setPen(QColor("#46525f"))
    painter.drawText(
        QRectF(right - 40 * MM, top, 40 * MM, 10 * MM),
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        f"Page {number} of {pages}",
    )
    painter.setFont(_font(3.2))
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(spec.at))
    who = f"Scanned by {spec.user_name or spec.user_id} ({spec.user_id})"
    painter.drawText(
        QRectF(left, top + 11 * MM, right - left, 6 * MM),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        who,
    )
    painter.drawText(
        QRectF(left, top + 11 * MM, right - left, 6 * MM),
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        when,
    )
    painter.setPen(QPen(QColor("#1b64c4"), 0.7 * MM))
    painter.drawLine(QPointF(left, top + 19 * MM), QPointF(right, top + 19 * MM))


def _draw_body(painter: QPainter, width: int, height: int, rng: random.Random) -> None:
    """Paragraphs as grey text lines, a table, and a figure: a page of a document, at a glance."""
    left, right = 18 * MM, width - 18 * MM
    y, bottom = 44 * MM, height - 24 * MM
    ink = QColor(70, 78, 88, 150)
    line_h, gap = 2.4 * MM, 5.2 * MM
    figure_at = rng.randint(1, 3)  # the figure comes after this many paragraphs
    paragraph = 0
    while y < bottom - 30 * MM:
        paragraph += 1
        if paragraph == figure_at + 1:
            y = _draw_figure(painter, QRectF(left, y, right - left, 62 * MM), rng) + 8 * MM
            continue
        if paragraph == figure_at + 3:
            y = _draw_table(painter, QRectF(left, y, right - left, 40 * MM), rng) + 8 * MM
            continue
        # A paragraph heading now and then, then 3-7 lines, the last one short.
        if rng.random() < 0.35:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(35, 45, 58, 190))
            painter.drawRoundedRect(
                QRectF(left, y, (right - left) * rng.uniform(0.25, 0.45), 3.2 * MM), 1, 1
            )
            y += 7 * MM
        for line in range(rng.randint(3, 7)):
            last = line > 0 and rng.random() < 0.22
            share = rng.uniform(0.35, 0.7) if last else rng.uniform(0.88, 1.0)
            _draw_words(painter, left, y, (right - left) * share, line_h, ink, rng)
            y += gap
            if last or y > bottom - 8 * MM:
                break
        y += 4 * MM
    # Footer rule and a page mark, as office documents have.
    painter.setPen(QPen(QColor(120, 128, 138, 120), 0.3 * MM))
    painter.drawLine(QPointF(left, bottom + 6 * MM), QPointF(right, bottom + 6 * MM))


def _draw_words(
    painter: QPainter,
    x: float,
    y: float,
    width: float,
    height: float,
    ink: QColor,
    rng: random.Random,
) -> None:
    # Plain rectangles: they stay small in the PDF (a rounded one is eight curves).
    words = []
    end = x + width
    while x < end - 4 * MM:
        word = min(rng.uniform(4, 17) * MM * 0.6, end - x)
        words.append(QRectF(x, y, word, height))
        x += word + 1.6 * MM
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink)
    painter.drawRects(words)


def _draw_figure(painter: QPainter, box: QRectF, rng: random.Random) -> float:
    """A bar chart in a light frame, with a caption line; returns the bottom."""
    frame = QRectF(box.left(), box.top(), box.width() * 0.62, box.height())
    painter.setPen(QPen(QColor(120, 128, 138, 150), 0.3 * MM))
    painter.setBrush(QColor(235, 240, 246))
    painter.drawRect(frame)
    bars = rng.randint(5, 9)
    slot = (frame.width() - 10 * MM) / bars
    base = frame.bottom() - 6 * MM
    painter.setPen(Qt.PenStyle.NoPen)
    for n in range(bars):
        tall = rng.uniform(0.2, 0.85) * (frame.height() - 14 * MM)
        painter.setBrush(QColor(27, 100, 196, 120 if n % 2 else 170))
        painter.drawRect(QRectF(frame.left() + 5 * MM + n * slot, base - tall, slot * 0.6, tall))
    painter.setPen(QPen(QColor(70, 78, 88, 170), 0.35 * MM))
    painter.drawLine(QPointF(frame.left() + 4 * MM, base), QPointF(frame.right() - 4 * MM, base))
    # Text flowing beside the figure.
    ink = QColor(70, 78, 88, 150)
    x = frame.right() + 6 * MM
    y = frame.top() + 2 * MM
    while y < frame.bottom() - 4 * MM:
        _draw_words(painter, x, y, (box.right() - x) * rng.uniform(0.8, 1.0), 2.4 * MM, ink, rng)
        y += 5.2 * MM
    return frame.bottom()


def _draw_table(painter: QPainter, box: QRectF, rng: random.Random) -> float:
    """A ruled table with a shaded header row; returns the bottom."""
    rows, columns = rng.randint(4, 6), rng.randint(3, 5)
    row_h = box.height() / rows
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(225, 231, 238))
    painter.drawRect(QRectF(box.left(), box.top(), box.width(), row_h))
    painter.setPen(QPen(QColor(110, 118, 128, 170), 0.3 * MM))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(box.left(), box.top(), box.width(), row_h * rows))
    for r in range(1, rows):
        painter.drawLine(
            QPointF(box.left(), box.top() + r * row_h), QPointF(box.right(), box.top() + r * row_h)
        )
    col_w = box.width() / columns
    for c in range(1, columns):
        x = box.left() + c * col_w
        painter.drawLine(QPointF(x, box.top()), QPointF(x, box.top() + rows * row_h))
    for r in range(rows):
        for c in range(columns):
            shade = QColor(40, 48, 58, 200) if r == 0 else QColor(70, 78, 88, 140)
            cell_w = (col_w - 6 * MM) * rng.uniform(0.4, 0.9)
            _draw_words(
                painter,
                box.left() + c * col_w + 3 * MM,
                box.top() + r * row_h + row_h / 2 - 1.2 * MM,
                cell_w,
                2.4 * MM,
                shade,
                rng,
            )
    return box.top() + rows * row_h


def _draw_scanner_edge(painter: QPainter, page: QRectF, rng: random.Random) -> None:
    """The faint grey shadow a lid leaves along the glass's edges, and a speck or two of dust."""
    depth = rng.uniform(4.0, 7.0) * MM
    for edge, start, end in (
        (QRectF(0, 0, depth, page.height()), QPointF(0, 0), QPointF(depth, 0)),
        (QRectF(0, 0, page.width(), depth * 0.7), QPointF(0, 0), QPointF(0, depth * 0.7)),
    ):
        shade = QLinearGradient(start, end)
        shade.setColorAt(0.0, QColor(60, 64, 70, 70))
        shade.setColorAt(0.35, QColor(90, 94, 100, 26))
        shade.setColorAt(1.0, QColor(120, 124, 130, 0))
        painter.fillRect(edge, shade)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(60, 64, 70, 90))
    for _ in range(rng.randint(1, 4)):
        at = QPointF(rng.uniform(0, page.width()), rng.uniform(0, page.height()))
        painter.drawEllipse(at, rng.uniform(0.15, 0.45) * MM, rng.uniform(0.15, 0.45) * MM)
