"""`mfp-panel demo --devices N`: the panel windows tiled within the screen's available geometry,
side by side (or in a grid, when that draws the panels larger), each sized to its cell with its
panel scaled to fit; not stacked on top of each other."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect

from panel.ui.bezel import window_size
from panel.ui.dock import QaDock
from panel.ui.dock.qa_dock import TILED

if TYPE_CHECKING:
    from panel.ui.window import PanelWindow

Cell = tuple[int, int, int, int]  # x, y, width, height


def tile_cells(area: Cell, count: int, size_in: Callable[[int, int], float]) -> list[Cell]:
    """`count` equal cells of `area`, row by row, in the grid where a panel is drawn largest
    (`size_in(width, height)`: how large in a cell of that size); side by side on a tie."""
    x, y, width, height = area
    grids = [(columns, -(-count // columns)) for columns in range(count, 0, -1)]
    columns, rows = max(grids, key=lambda g: size_in(width // g[0], height // g[1]))
    cell_w, cell_h = width // columns, height // rows
    return [
        (x + (i % columns) * cell_w, y + (i // columns) * cell_h, cell_w, cell_h)
        for i in range(count)
    ]


def tile_windows(windows: Sequence[PanelWindow], area: Cell | None = None) -> None:
    """`--devices N`: the panel windows tiled within `area` (the screen's available geometry),
    each sized to its cell with the panel scaled to fit, instead of stacked on each other.
    A cell narrower than a panel's smallest scale (a quarter) leaves windows overlapping."""
    if len(windows) < 2:
        return
    first = windows[0]
    if area is None:
        available = first.screen().availableGeometry()
        area = (available.x(), available.y(), available.width(), available.height())
    # What the window manager adds around each window (title bar, borders); 0 on bare Xvfb.
    frame = first.frameGeometry()
    frame_w, frame_h = frame.width() - first.width(), frame.height() - first.height()
    beside = [_beside(window) for window in windows]

    def size_in(width: int, height: int) -> float:
        """The window's height in such a cell: it grows with the panel's scale."""
        cell = QRect(0, 0, width - frame_w, height - frame_h)
        return window_size(first.screen_size, cell, max(beside)).height()

    for window, extra, (x, y, width, height) in zip(
        windows, beside, tile_cells(area, len(windows), size_in), strict=True
    ):
        cell = QRect(0, 0, width - frame_w, height - frame_h)
        window.resize(window_size(window.screen_size, cell, extra))
        window.move(x, y)
        window.setProperty(TILED, True)  # the dock's F12 keeps it in its cell


def _beside(window: PanelWindow) -> int:
    """The width of what is docked beside the window's panel: the QA dock, when shown."""
    dock = window.findChild(QaDock)
    return dock.beside() if dock is not None and not dock.isHidden() else 0
