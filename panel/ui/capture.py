"""Screenshots of a panel window, for the documentation and for QA reports."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QWidget


def capture(window: QWidget, path: Path) -> QPixmap:
    """Save what `window` shows on screen as a PNG at `path`.

    On a real display (xcb) the pixels come from the screen itself; elsewhere, or when grabbing
    fails, the window renders itself.
    """
    QApplication.processEvents()
    shot = QPixmap()
    if QApplication.platformName() == "xcb":
        shot = window.screen().grabWindow(window.winId())
    if shot.isNull():
        shot = window.grab()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not shot.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return shot
