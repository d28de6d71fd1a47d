"""The first page of a box file, drawn for the Shared files screen (S6).

There is no PDF rasteriser in the panel's dependencies (QtPdf is in PySide6-Addons), so a PDF's
first page is drawn from its own content with pypdf, which the panel already uses to count a PDF's
pages: `read_first_page` (blocking: call it in a thread) parses the page into plain drawing
commands: paths filled or stroked in their colours and alpha, and the page's text where it
stands; `draw_page` (GUI thread) paints them with QPainter. That is all the scanner's documents
(panel/ui/scan_render.py) and the headless text PDFs (panel/pdf.py) use. Images (PNG, JPEG,
GIF, BMP, TIFF) are read by Qt. Anything else, or a PDF that cannot be read, gets a placeholder
that names the file type.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen

from panel.ui.i18n import translate

MAX_OPERATIONS = 200_000  # a page with more is drawn up to there
MAX_TEXTS = 2_000
MAX_IMAGE_BYTES = 64 * 1024 * 1024
_IMAGE_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def file_type(name: str, head: bytes = b"") -> str:
    """What the file is, in two to four capitals ("PDF", "PNG", "DOCX"): by its first bytes when
    they say, else by its name's extension ("FILE" without one)."""
    if head.startswith(b"%PDF-"):
        return "PDF"
    for magic, kind in _IMAGE_TYPES:
        if head.startswith(magic):
            return kind
    stem, dot, ext = name.rpartition(".")
    return ext.upper()[:5] if dot and stem and ext.isalnum() else "FILE"


@dataclass(slots=True)
class PagePlan:
    """A PDF page as drawing commands in the page's own units (y up, from the media box)."""

    x0: float
    y0: float
    width: float
    height: float
    paths: list[tuple[QPainterPath, QColor | None, QColor | None, float]] = field(
        default_factory=list
    )  # path, fill, stroke, stroke width
    texts: list[tuple[str, float, float, float, QColor]] = field(default_factory=list)


@dataclass(slots=True)
class FirstPage:
    """What `read_first_page` found: a page plan, an image, or neither (`kind` says what)."""

    kind: str
    plan: PagePlan | None = None
    image: QImage | None = None


def read_first_page(path: Path, name: str) -> FirstPage:
    """Read the first page of the file at `path` (blocking: in a thread). Never raises for a
    file it cannot read: the result then has neither plan nor image."""
    try:
        with path.open("rb") as src:
            head = src.read(16)
    except OSError:
        return FirstPage(file_type(name))
    kind = file_type(name, head)
    if kind == "PDF":
        try:
            return FirstPage(kind, plan=_plan(path))
        except Exception:  # any PDF pypdf cannot read is "no preview", never a failure
            return FirstPage(kind)
    if kind in {k for _, k in _IMAGE_TYPES} and path.stat().st_size <= MAX_IMAGE_BYTES:
        image = QImage(str(path))
        return FirstPage(kind, image=None if image.isNull() else image)
    return FirstPage(kind)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _floats(operands: list[Any]) -> list[float]:
    out = []
    for value in operands:
        try:
            out.append(float(value))
        except (TypeError, ValueError):
            out.append(0.0)
    return out


def _pattern(operands: list[Any]) -> bool:
    """A colour given by a pattern or shading (a name operand), not by numbers."""
    return any(isinstance(value, str) for value in operands)  # pypdf's NameObject is a str


def _colour(values: list[float], alpha: float) -> QColor:
    """Grey, RGB or CMYK operands as a colour."""
    v = [max(0.0, min(1.0, x)) for x in values]
    if len(v) == 1:
        return QColor.fromRgbF(v[0], v[0], v[0], alpha)
    if len(v) == 3:
        return QColor.fromRgbF(v[0], v[1], v[2], alpha)
    if len(v) == 4:
        c, m, y, k = v
        return QColor.fromRgbF((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k), alpha)
    return QColor.fromRgbF(0.85, 0.87, 0.9, alpha * 0.4)  # a pattern or a shading: a light tone


@dataclass(slots=True)
class _State:
    ctm: Matrix = _IDENTITY
    fill: list[float] = field(default_factory=lambda: [0.0])
    stroke: list[float] = field(default_factory=lambda: [0.0])
    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0
    width: float = 1.0

    def copy(self) -> _State:
        return _State(
            self.ctm, self.fill, self.stroke, self.fill_alpha, self.stroke_alpha, self.width
        )


def _plan(path: Path) -> PagePlan:
    import pypdf  # the panel starts without it

    with path.open("rb") as src:  # read as needed: a path would be read whole into memory
        return _plan_of(pypdf.PdfReader(src).pages[0])


def _plan_of(page: Any) -> PagePlan:
    box = page.mediabox
    plan = PagePlan(float(box.left), float(box.bottom), float(box.width), float(box.height))
    if plan.width <= 0 or plan.height <= 0:
        raise ValueError("an empty page")
    resources = page.get("/Resources")
    states: dict[str, tuple[float | None, float | None]] = {}
    if resources is not None:
        ext = resources.get_object().get("/ExtGState")
        if ext is not None:
            for key, value in ext.get_object().items():
                gs = value.get_object()
                fill_a, stroke_a = gs.get("/ca"), gs.get("/CA")
                states[str(key)] = (
                    None if fill_a is None else float(fill_a),
                    None if stroke_a is None else float(stroke_a),
                )
    contents = page.get_contents()
    if contents is not None:
        _interpret(contents.operations[:MAX_OPERATIONS], states, plan)

    def text(words: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if not words.strip() or len(plan.texts) >= MAX_TEXTS:
            return
        m = _mul(tuple(tm), tuple(cm))  # type: ignore[arg-type]
        scale = math.hypot(m[2], m[3]) or 1.0
        plan.texts.append((" ".join(words.split()), m[4], m[5], size * scale, QColor("#1d2733")))

    page.extract_text(visitor_text=text)
    return plan


def _interpret(
    operations: list[tuple[list[Any], Any]],
    states: dict[str, tuple[float | None, float | None]],
    plan: PagePlan,
) -> None:
    """Paths and their paint (text comes from pypdf's text visitor)."""
    state, stack = _State(), []
    current = QPainterPath()
    last = QPointF()

    def point(x: float, y: float) -> QPointF:
        a, b, c, d, e, f = state.ctm
        return QPointF(a * x + c * y + e, b * x + d * y + f)

    def paint(fill: bool, stroke: bool, even_odd: bool = False) -> None:
        nonlocal current
        if not current.isEmpty():
            current.setFillRule(Qt.FillRule.OddEvenFill if even_odd else Qt.FillRule.WindingFill)
            scale = math.sqrt(abs(state.ctm[0] * state.ctm[3] - state.ctm[1] * state.ctm[2]))
            plan.paths.append(
                (
                    current,
                    _colour(state.fill, state.fill_alpha) if fill else None,
                    _colour(state.stroke, state.stroke_alpha) if stroke else None,
                    max(0.0, state.width * scale),
                )
            )
        current = QPainterPath()

    for operands, raw in operations:
        op = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)  # pypdf: bytes
        n = _floats(operands) if op not in ("gs", "cs", "CS", "Do", "Tf") else []
        if op == "q":
            stack.append(state.copy())
        elif op == "Q":
            state = stack.pop() if stack else _State()
        elif op == "cm" and len(n) == 6:
            state.ctm = _mul(tuple(n), state.ctm)  # type: ignore[arg-type]
        elif op == "m" and len(n) >= 2:
            last = point(n[0], n[1])
            current.moveTo(last)
        elif op == "l" and len(n) >= 2:
            last = point(n[0], n[1])
            current.lineTo(last)
        elif op == "c" and len(n) >= 6:
            last = point(n[4], n[5])
            current.cubicTo(point(n[0], n[1]), point(n[2], n[3]), last)
        elif op == "v" and len(n) >= 4:
            end = point(n[2], n[3])
            current.cubicTo(last, point(n[0], n[1]), end)
            last = end
        elif op == "y" and len(n) >= 4:
            last = point(n[2], n[3])
            current.cubicTo(point(n[0], n[1]), last, last)
        elif op == "h":
            current.closeSubpath()
        elif op == "re" and len(n) >= 4:
            x, y, w, h = n[:4]
            corners = [point(x, y), point(x + w, y), point(x + w, y + h), point(x, y + h)]
            current.moveTo(corners[0])
            for corner in corners[1:]:
                current.lineTo(corner)
            current.closeSubpath()
            last = corners[0]
        elif op in ("f", "F", "f*"):
            paint(True, False, op == "f*")
        elif op in ("S", "s"):
            if op == "s":
                current.closeSubpath()
            paint(False, True)
        elif op in ("B", "B*", "b", "b*"):
            if op.startswith("b"):
                current.closeSubpath()
            paint(True, True, op.endswith("*"))
        elif op == "n":
            current = QPainterPath()
        elif op in ("g", "rg", "k", "sc", "scn"):
            state.fill = [] if _pattern(operands) else n  # [] : a pattern's light tone
        elif op in ("G", "RG", "K", "SC", "SCN"):
            state.stroke = [] if _pattern(operands) else n
        elif op == "w" and n:
            state.width = n[0]
        elif op == "gs" and operands:
            fill_a, stroke_a = states.get(str(operands[0]), (None, None))
            state.fill_alpha = state.fill_alpha if fill_a is None else fill_a
            state.stroke_alpha = state.stroke_alpha if stroke_a is None else stroke_a


def draw_page(plan: PagePlan, width: int) -> QImage:
    """The page `width` pixels wide (its aspect kept), on white paper (GUI thread: fonts)."""
    scale = width / plan.width
    image = QImage(QSize(width, max(1, round(plan.height * scale))), QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(0, image.height())
    painter.scale(scale, -scale)
    painter.translate(-plan.x0, -plan.y0)
    for path, fill, stroke, pen_width in plan.paths:
        painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
        if stroke is None:
            painter.setPen(Qt.PenStyle.NoPen)
        else:
            painter.setPen(QPen(stroke, pen_width))
        painter.drawPath(path)
    font = QFont("DejaVu Sans")
    for words, x, y, size, colour in plan.texts:
        painter.save()
        painter.translate(x, y)
        painter.scale(1, -1)  # text stands upright in a y-up page
        font.setPixelSize(max(1, round(size)))
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(QPointF(0, 0), words)
        painter.restore()
    painter.end()
    return image


def placeholder(kind: str, note: str, size: QSize) -> QImage:
    """A blank sheet with the file type in large letters and a note under it (a file of no
    known type says "file" in the panel's language)."""
    if kind == "FILE":
        kind = translate("FilePreview", "FILE")
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    sheet = QRectF(1, 1, size.width() - 2, size.height() - 2)
    painter.setPen(QPen(QColor("#c9d1da"), 1.5))
    painter.setBrush(QColor("#f6f8fa"))
    painter.drawRoundedRect(sheet, 6, 6)
    font = QFont("DejaVu Sans")
    font.setBold(True)
    font.setPixelSize(max(12, size.width() // 5))
    painter.setFont(font)
    painter.setPen(QColor("#8c98a5"))
    middle = sheet.adjusted(8, 0, -8, -sheet.height() * 0.2)
    painter.drawText(middle, Qt.AlignmentFlag.AlignCenter, kind)
    font.setBold(False)
    font.setPixelSize(max(10, size.width() // 14))
    painter.setFont(font)
    below = QRectF(sheet.left() + 8, sheet.center().y() + 4, sheet.width() - 16, sheet.height() / 2)
    painter.drawText(below, Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, note)
    painter.end()
    return image


def preview_image(first: FirstPage, size: QSize, note: str | None = None) -> QImage:
    """The first page fitted into `size` (GUI thread), or the placeholder naming its type with
    `note` under it ("No preview" in the panel's language by default)."""
    if first.plan is not None:
        page = draw_page(first.plan, size.width())
        if page.height() > size.height():
            page = page.scaledToHeight(size.height(), Qt.TransformationMode.SmoothTransformation)
        return page
    if first.image is not None:
        return first.image.scaled(
            size,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    if note is None:
        note = translate("FilePreview", "No preview")
    return placeholder(first.kind, note, size)
