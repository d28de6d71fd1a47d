"""The dock's trace viewer (issue 18) over trace files written here: the device's and the
server's lines merged in time order, the filters, live lines from the real `Trace` writer, the
fields of a clicked entry (in the list and on a lane), a fault marked on its lane, a partial
line held back until its newline, a truncated file, the bound on the lines kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support.fake_device import FakeDevice

from panel.trace import Trace
from panel.ui.dock import DOCK_WIDTH, QaDock
from panel.ui.dock.qa_dock import TRACE_WIDTH
from panel.ui.dock.trace_view import TraceView
from panel.ui.dock.trace_view_data import FAULT, NORMAL, WARNING, TraceTail, level_of
from panel.ui.dock.trace_view_lanes import TICKS
from panel.ui.dock.trace_view_model import CONCERN, EVENT, SOURCE
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

T0 = 1_796_000_000.0  # a trace time (time.time() when it was written)
DEV_A, DEV_B = "dev-aaaa", "dev-bbbb"


def line(ts: float, concern: str, event: str, who: str = DEV_A, **fields: Any) -> str:
    """A line as panel.trace writes it: ts, the writer's identity, concern, event, fields."""
    identity = {"server": "server"} if who == "server" else {"device": who}
    return json.dumps({"ts": ts, **identity, "concern": concern, "event": event, **fields}) + "\n"


def write(path: Path, *lines: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write("".join(lines))


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    device, server = tmp_path / "device" / "trace.jsonl", tmp_path / "server" / "trace.jsonl"
    device.parent.mkdir()
    server.parent.mkdir()
    write(
        device,
        line(T0 + 0.0, "device", "start", name="Demo MFP"),
        line(T0 + 2.0, "auth", "login", user_id="1001"),
        line(T0 + 4.0, "engine", "fault", keyword="media-jam", severity="error", code="J-0101"),
        line(T0 + 6.0, "jobs", "state", job_id="j-1", state="printing"),
    )
    write(
        server,
        line(T0 + 1.0, "http", "exchange", "server", method="POST", path="/reach", status=201),
        line(T0 + 3.0, "auth", "login", "server", device=DEV_A, user_id="1001"),
        line(T0 + 5.0, "push", "hello", "server", device=DEV_B, last_seq=0),
    )
    return device, server


@pytest.fixture
def view(qtbot: QtBot, files: tuple[Path, Path]) -> Iterator[TraceView]:
    widget = TraceView(files, {DEV_A: "Demo MFP"})
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.poll()
    yield widget
    widget.stop()


def shown(view: TraceView) -> list[tuple[str, str]]:
    return [(entry.concern, entry.event) for entry in view.model.rows]


def test_lines_from_both_files_merge_in_time_order(view: TraceView) -> None:
    rows = view.model.rows
    assert [entry.ts - T0 for entry in rows] == [0, 1, 2, 3, 4, 5, 6]
    assert [entry.source for entry in rows] == ["device", "server"] * 3 + ["device"]
    model = view.model
    assert model.index(0, SOURCE).data() == "Demo MFP"  # the device's name, not its id
    assert model.index(1, SOURCE).data() == "Server"
    assert model.index(4, EVENT).data() == "fault"
    assert "keyword=media-jam" in model.index(4, EVENT + 1).data()
    assert model.headerData(CONCERN, Qt.Orientation.Horizontal) == "Concern"


def test_a_late_line_of_one_file_goes_where_its_time_belongs(
    view: TraceView, files: tuple[Path, Path]
) -> None:
    device, server = files
    write(device, line(T0 + 8.0, "jobs", "state", state="completed"))
    view.poll()
    write(server, line(T0 + 7.0, "jobs", "created", "server", device=DEV_A))  # flushed later
    view.poll()
    assert [entry.ts - T0 for entry in view.model.rows][-3:] == [6, 7, 8]


def test_filters_by_concern_device_and_text(view: TraceView) -> None:
    assert view.concern_box.count() == 1 + 6  # All concerns, then each one seen, sorted
    view.set_concern("auth")
    assert shown(view) == [("auth", "login"), ("auth", "login")]
    view.set_concern(None)
    view.set_device(DEV_B)  # the server's lines about it
    assert shown(view) == [("push", "hello")]
    assert view.device_box.currentText() == DEV_B
    view.set_device(DEV_A)  # its own lines and the server's about it
    assert len(view.model.rows) == 5
    view.search.setText("MEDIA-JAM")  # any case, anywhere in the line; with the device filter
    assert shown(view) == [("engine", "fault")]
    view.set_device(None)
    view.search.setText("/reach")
    assert shown(view) == [("http", "exchange")]
    assert "1 of 7 lines" in view.status.full_text()
    view.search.clear()
    assert len(view.model.rows) == 7


def test_new_lines_appear_live_and_the_list_follows_them(
    qtbot: QtBot, view: TraceView, files: tuple[Path, Path]
) -> None:
    trace = Trace(files[0], device=DEV_A)  # the real writer (no loop here: it writes at once)
    try:
        for n in range(200):
            trace.emit("jobs", "progress", job_id="j-1", page=n)
        qtbot.waitUntil(lambda: len(view.model.rows) == 207)  # read by the poll timer
        bar = view.table.verticalScrollBar()
        qtbot.waitUntil(lambda: bar.value() == bar.maximum() > 0)
        assert view.lanes.visible_range()[1] >= view.model.rows[-1].ts  # the live edge

        view.set_following(False)  # paused: the view holds still, the new lines are counted
        bar.setValue(0)
        trace.emit("jobs", "progress", job_id="j-1", page=200)
        qtbot.waitUntil(lambda: len(view.model.rows) == 208)
        assert bar.value() == 0
        assert view.follow_button.text() == "Paused · 1 new"
        QTest.mouseClick(view.follow_button, Qt.MouseButton.LeftButton)
        assert view.following
        assert view.follow_button.text() == "Live"
        qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    finally:
        trace.close()


def test_clicking_an_entry_shows_its_fields(qtbot: QtBot, view: TraceView) -> None:
    table = view.table
    rect = table.visualRect(view.model.index(4, EVENT))  # the jam
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    fields = view.fields
    assert fields.title.full_text() == "engine · fault"
    assert fields.field_text("keyword") == "media-jam"
    assert fields.field_text("code") == "J-0101"
    assert fields.field_text("concern") is None  # the identity is in the title, not repeated
    assert not view.following  # a click holds the list still
    assert view.lanes.selected is view.model.rows[4]


def test_a_fault_is_marked_on_its_lane_and_a_click_there_shows_it(
    qtbot: QtBot, view: TraceView
) -> None:
    lanes = view.lanes
    lanes.zoom(10.0)  # the window: the 7 s of the trace and a little after
    fault = next(entry for entry in view.model.rows if entry.level == FAULT)
    x, y = lanes.tick_x(fault), round(lanes.lane_y("engine"))
    image = lanes.grab().toImage()
    assert QColor(image.pixel(x, y)) == TICKS[FAULT]
    login = view.model.rows[2]
    assert QColor(image.pixel(lanes.tick_x(login), round(lanes.lane_y("auth")))) == (TICKS[NORMAL])
    QTest.mouseClick(lanes, Qt.MouseButton.LeftButton, pos=QPoint(x + 2, y))
    assert view.fields.title.full_text() == "engine · fault"
    assert view.table.currentIndex().row() == 4  # selected in the list too
    QTest.mouseClick(lanes, Qt.MouseButton.LeftButton, pos=QPoint(10, y))  # the lane's name
    assert shown(view) == [("engine", "fault")]
    assert lanes.lanes() == ["engine"]


def test_a_partial_line_waits_for_its_newline(view: TraceView, files: tuple[Path, Path]) -> None:
    whole = line(T0 + 9.0, "power", "state", state="sleep")
    write(files[0], whole[:25])  # the writer's thread is between two writes
    view.poll()
    assert len(view.model.rows) == 7
    assert view.store.unreadable == 0  # not taken for a damaged line either
    write(files[0], whole[25:])
    view.poll()
    assert shown(view)[-1] == ("power", "state")


def test_a_truncated_or_replaced_file_is_read_again_from_its_start(
    view: TraceView, files: tuple[Path, Path]
) -> None:
    device = files[0]
    device.write_text(line(T0 + 10.0, "device", "start", name="again"), encoding="utf-8")
    view.poll()
    assert shown(view)[-1] == ("device", "start")
    replaced = device.with_suffix(".new")
    replaced.write_text(line(T0 + 11.0, "device", "stop"), encoding="utf-8")
    replaced.replace(device)
    view.poll()
    assert shown(view)[-1] == ("device", "stop")
    assert "files truncated or replaced: 2" in view.status.full_text()


def test_only_the_newest_lines_are_kept(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "trace.jsonl"
    write(path, *(line(T0 + n, "jobs", "progress", page=n) for n in range(1500)))
    view = TraceView([path], limit=1000)
    qtbot.addWidget(view)
    view.poll()
    rows = view.model.rows
    assert len(rows) <= 1000
    assert rows[-1].ts == T0 + 1499  # the newest kept, the oldest dropped
    assert view.store.dropped == 1500 - len(rows)
    assert f"{view.store.dropped:,} older lines dropped" in view.status.full_text()
    view.stop()


def test_a_large_file_is_read_from_its_end(tmp_path: Path) -> None:
    path = tmp_path / "trace.jsonl"
    write(path, *(line(T0 + n, "jobs", "progress", page=n) for n in range(1000)))
    tail = TraceTail(path, start_bytes=10_000)
    lines = tail.read()
    assert 0 < len(lines) < 1000
    assert json.loads(lines[-1])["page"] == 999
    assert all(json.loads(raw)["concern"] == "jobs" for raw in lines)  # no half line first
    tail.close()


def test_what_counts_as_a_fault_or_a_warning() -> None:
    assert level_of("fault", {"severity": "error"}) == FAULT
    assert level_of("fault", {"severity": "warning"}) == WARNING  # toner low
    assert level_of("failed", {}) == FAULT
    assert level_of("exchange", {"status": 503}) == FAULT
    assert level_of("exchange", {"status": 200}) == NORMAL
    assert level_of("unreachable", {}) == WARNING
    assert level_of("state", {"state": "unreachable", "error": ""}) == WARNING
    assert level_of("attempt", {"outcome": "ok"}) == NORMAL


def test_the_dock_has_a_trace_tab_that_widens_it(
    qtbot: QtBot, device: FakeDevice, window: PanelWindow, files: tuple[Path, Path]
) -> None:
    dock = QaDock(window, device, traces=files)
    assert dock.width() == DOCK_WIDTH
    narrow = window.width()
    dock.show_trace()
    assert dock.width() == TRACE_WIDTH
    qtbot.waitUntil(lambda: len(dock.trace_view.model.rows) == 7)
    assert window.width() != narrow or window.isMaximized()
    dock.show_trace(False)
    assert dock.width() == DOCK_WIDTH


def test_the_lanes_zoom_pan_back_in_time_and_return_to_the_live_edge(
    qtbot: QtBot, view: TraceView
) -> None:
    lanes = view.lanes
    end = lanes.visible_range()[1]
    assert end >= T0 + 6.0  # the live edge: the newest line in view
    y = round(lanes.lane_y("jobs"))
    middle = QPoint(lanes.width() // 2, y)
    QTest.mousePress(lanes, Qt.MouseButton.LeftButton, pos=middle)
    QTest.mouseMove(lanes, QPoint(middle.x() + 200, y))
    QTest.mouseRelease(lanes, Qt.MouseButton.LeftButton, pos=QPoint(middle.x() + 200, y))
    assert not view.lanes.following  # dragged back in time: the view holds still
    assert view.follow_button.text() == "Paused"
    assert lanes.visible_range()[1] < end
    span = lanes.span
    lanes.zoom(span / 4)
    assert lanes.span == span / 4
    QTest.mouseDClick(lanes, Qt.MouseButton.LeftButton, pos=middle)
    assert view.following
    assert lanes.visible_range()[1] >= T0 + 6.0
