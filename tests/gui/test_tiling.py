"""`mfp-panel demo --devices N` tiles its panel windows within the screen instead of opening
them on top of each other (issue 11, finding 6): each window, dock included, in a cell of its
own, none overlapping another, all within the available area."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect
from support.fake_device import FakeDevice

from panel.ui.dock import QaDock
from panel.ui.tiling import Cell, tile_cells, tile_windows
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

MakeWindow = Callable[..., PanelWindow]


def panels(make_window: MakeWindow, count: int, dock: bool = True) -> list[PanelWindow]:
    windows = []
    for number in range(count):
        device = FakeDevice(name=f"Demo MFP {number + 1}")
        window = make_window(dev=device)
        QaDock(window, device, shown=dock)
        windows.append(window)
    return windows


def assert_tiled(windows: list[PanelWindow], area: Cell) -> None:
    bounds = QRect(*area)
    rects = [window.frameGeometry() for window in windows]
    for index, rect in enumerate(rects):
        assert bounds.contains(rect), f"window {index} {rect} outside {bounds}"
        for other in rects[index + 1 :]:
            assert not rect.intersects(other), f"{rect} overlaps {other}"


def test_two_panels_on_a_wide_screen_are_side_by_side(make_window: MakeWindow) -> None:
    area = (0, 0, 3840, 1080)
    windows = panels(make_window, 2)
    tile_windows(windows, area)
    assert_tiled(windows, area)
    first, second = (window.frameGeometry() for window in windows)
    assert first.y() == second.y()
    assert second.x() >= first.right()  # beside it, not on it
    assert first.width() > 1024  # 1:1: there was room for the panel and its dock


def test_hiding_a_tiled_panels_dock_keeps_it_in_its_cell(make_window: MakeWindow) -> None:
    area = (0, 0, 3840, 1080)
    windows = panels(make_window, 2)
    tile_windows(windows, area)
    first = windows[0]
    dock = first.findChild(QaDock)
    assert dock is not None
    tiled = first.geometry()
    dock.set_shown(False)  # F12
    assert first.geometry() == tiled.adjusted(0, 0, -dock.beside(), 0)  # only the dock went
    assert_tiled(windows, area)
    dock.set_shown(True)
    assert first.geometry() == tiled


def test_four_panels_share_a_full_hd_screen_without_overlapping(make_window: MakeWindow) -> None:
    area = (0, 24, 1920, 1056)  # under a top bar: the available geometry, not the screen's
    windows = panels(make_window, 4)
    tile_windows(windows, area)
    assert_tiled(windows, area)
    assert len({window.x() for window in windows}) == 2  # a 2 x 2 grid draws them largest
    assert len({window.y() for window in windows}) == 2


def test_without_their_docks_the_panels_get_the_room(make_window: MakeWindow) -> None:
    area = (0, 0, 1920, 1080)
    windows = panels(make_window, 2, dock=False)
    tile_windows(windows, area)
    assert_tiled(windows, area)
    docks = [window.findChild(QaDock) for window in windows]
    assert all(dock is not None and not dock.isVisible() for dock in docks)


def test_one_panel_is_left_where_it_is(make_window: MakeWindow) -> None:
    (window,) = panels(make_window, 1)
    before = window.geometry()
    tile_windows([window], (0, 0, 3840, 2160))
    assert window.geometry() == before


def test_the_grid_that_draws_the_panels_largest_wins_side_by_side_on_a_tie() -> None:
    def square(width: int, height: int) -> float:
        return min(width, height)

    def wide(width: int, height: int) -> float:  # a panel that only width limits
        return width

    assert tile_cells((0, 0, 1000, 500), 2, square) == [(0, 0, 500, 500), (500, 0, 500, 500)]
    assert tile_cells((10, 20, 1000, 500), 2, wide) == [
        (10, 20, 1000, 250),
        (10, 270, 1000, 250),
    ]
    assert tile_cells((0, 0, 900, 600), 3, lambda w, h: 1.0) == [  # a tie: side by side
        (0, 0, 300, 600),
        (300, 0, 300, 600),
        (600, 0, 300, 600),
    ]
    assert tile_cells((0, 0, 1000, 1000), 4, square) == [
        (0, 0, 500, 500),
        (500, 0, 500, 500),
        (0, 500, 500, 500),
        (500, 500, 500, 500),
    ]
