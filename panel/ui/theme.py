"""The panel's look: where resources live, the style sheet, and SVG icons tinted to the theme."""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from panel.paths import resources_dir

# Icon tints: the touchscreen is light, the bezel and the status bar are dark.
INK = "#1d2733"
ACCENT = "#1b64c4"
ON_DARK = "#e6ebf1"
MUTED = "#8c98a5"

# Icons are drawn at twice their logical size so they stay sharp when the screen is scaled up.
_ICON_DPR = 2.0


@functools.cache
def stylesheet() -> str:
    """The panel's style sheet (resources/style/panel.qss)."""
    return (resources_dir() / "style" / "panel.qss").read_text(encoding="utf-8")


@functools.cache
def _svg(name: str) -> str:
    return (resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")


def pixmap(name: str, color: str = INK, size: int = 48) -> QPixmap:
    """Render icon `name` (stroke="currentColor" in the file) in `color` at `size` logical px."""
    svg = _svg(name).replace("currentColor", color)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    side = round(size * _ICON_DPR)
    image = QPixmap(side, side)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    image.setDevicePixelRatio(_ICON_DPR)
    return image


def icon(name: str, color: str = INK, size: int = 48) -> QIcon:
    """A QIcon of `name`; disabled buttons get the muted tint."""
    result = QIcon(pixmap(name, color, size))
    result.addPixmap(pixmap(name, MUTED, size), QIcon.Mode.Disabled)
    return result
