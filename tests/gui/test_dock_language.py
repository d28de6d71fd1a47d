"""The QA dock in Japanese (issue 19): every card's headings, buttons, tooltips, combo items and
state lines, the tabs and the trace viewer switch at run time, and back to English; what is left
in Latin letters is data (network and device names, figures, keys, ids)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from support.fake_device import FakeDevice
from support.i18n import in_language

from panel.device.networks import NetworkState, NetworkStatus
from panel.sim import NetworkSet
from panel.ui.dock import QaDock
from panel.ui.dock.trace_view_model import CONCERN
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

WIRED, LTE = "Wired LAN", "LTE"
CARDS = [("04A1B2C3D4E5F6", "Alice Martin's card")]
# Data and technical names: networks, the device, a demo card, the device's own error words,
# keys, the simulator's toxic names (Toxiproxy's vocabulary, as the control API takes them).
DATA = (WIRED, LTE, "Alice Martin's card", "connection refused", "ppm", "Shift+F8", "F8", "F12")
TOXICS = ("timeout toxic", "reset_peer", "latency toxic", "bandwidth toxic")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def texts(dock: QaDock) -> list[tuple[QWidget, str]]:
    """What the dock shows in words: labels, buttons, combo items, tooltips, the tabs."""
    found: list[tuple[QWidget, str]] = []
    others = getattr(dock, "recorder_card", None)  # the recorder's card: its own area (qa_recorder)
    for widget in dock.findChildren(QWidget):
        if not widget.isVisibleTo(dock) or widget.objectName() == "qaDevice":
            continue
        if others is not None and (widget is others or others.isAncestorOf(widget)):
            continue
        if isinstance(widget, QLabel | QPushButton):
            found.append((widget, widget.text()))
        if isinstance(widget, QComboBox):
            found += [(widget, widget.itemText(i)) for i in range(widget.count())]
        if widget.toolTip():
            found.append((widget, widget.toolTip()))
    found += [(dock.tabs, dock.tabs.tabText(i)) for i in range(dock.tabs.count())]
    return found


def english(text: str) -> bool:
    """A text with a Latin word that is not data (a name, an id, a figure, a key)."""
    for name in (*DATA, *TOXICS):
        text = text.replace(name, "")
    text = re.sub(r"\d+(\.\d+)?\s*(ms|KB/s|MB/s|s|%)", "", text)
    return bool(LATIN_WORD.search(text))


def test_the_dock_switches_to_japanese_and_back(
    qtbot: QtBot, sims: NetworkSet, device: FakeDevice, window: PanelWindow, tmp_path: Path
) -> None:
    device.set_networks(
        NetworkStatus(WIRED, NetworkState.REACHABLE, True, 3.0),
        NetworkStatus(LTE, NetworkState.UNREACHABLE, False, None, "connection refused"),
    )
    trace = tmp_path / "trace.jsonl"
    trace.write_text(
        '{"ts":1796000000.0,"device":"dev-a","concern":"engine","event":"fault","code":"J-1"}\n',
        encoding="utf-8",
    )
    dock = QaDock(window, device, sims, CARDS, traces=[trace])
    dock.trace_view.poll()
    restore = dock.restore_button
    assert restore is not None
    english_texts = {id(w): t for w, t in texts(dock)}
    with in_language("ja"):
        assert restore.text() == "すべてのネットワークを復旧"
        assert dock.tabs.tabText(1) == "トレース"
        assert dock.presence_label.text() == "前に人はいません"
        assert dock.cards[LTE].detail.toolTip() == "connection refused"  # the device's words
        assert dock.cards[WIRED].down_button.text() == "停止"
        leftovers = [f"{type(w).__name__} {w.objectName()!r}: {t!r}" for w, t in texts(dock)]
        leftovers = [
            line for (w, t), line in zip(texts(dock), leftovers, strict=True) if english(t)
        ]
        assert not leftovers, "\n".join(leftovers)
        dock.show_trace()
        view = dock.trace_view
        assert view.follow_button.text() == "ライブ"
        assert view.model.headerData(CONCERN, Qt.Orientation.Horizontal) == "分類"
        assert view.concern_box.itemText(0) == "すべての分類"
        assert view.status.full_text() == "1 行 · 障害: 1"
        dock.show_trace(False)
        device.presence.person_approached()
        QApplication.processEvents()
        assert dock.presence_label.text() == "前に人がいます"
        assert dock.log_lines()[-1] == "人感: 人が近づきました"
    assert restore.text() == "Restore all networks"
    assert dock.presence_label.text() == "Someone is in front"
    assert dock.trace_view.follow_button.text() == "Live"
    back = {id(w): t for w, t in texts(dock)}
    changed = [t for key, t in english_texts.items() if key in back and back[key] != t]
    assert changed == ["Nobody in front"]  # only what changed meanwhile (someone came)
