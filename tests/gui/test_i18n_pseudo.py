"""Guard (issue 19): no text is cut off at 800x480 when every string is 40% longer.

The pseudo language (panel.ui.i18n.PSEUDO) stands for the long languages (German, French):
each string comes out ~40% longer, accented and bracketed. Every screen is reached as a person
reaches it (tests/support/screen_walk.py) and every label and button whose text is wider than
its room, with no word wrap and no elision, is listed: widget, screen, text. The fix belongs in
the screen: word wrap, or an elided text with the whole text as its tooltip, not a fixed width.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from support.i18n import as_device_language
from support.screen_walk import SCREENS, PanelWalk, clipped

from panel.ui import i18n

pytestmark = pytest.mark.gui


@pytest.fixture
def walk(qtbot: QtBot, tmp_path: Path) -> Iterator[PanelWalk]:
    with as_device_language(i18n.PSEUDO):
        panel = PanelWalk(qtbot, tmp_path)
        try:
            yield panel
        finally:
            panel.close()


@pytest.mark.parametrize("screen", SCREENS)
def test_no_text_is_clipped_in_a_language_40_percent_longer(walk: PanelWalk, screen: str) -> None:
    root = walk.open(screen)
    found = clipped(screen, root)
    assert not found, f"clipped text on the {screen} screen at 800x480 (pseudo language):\n" + (
        "\n".join(map(str, found))
    )


def test_the_check_finds_text_wider_than_its_room_and_passes_wrapped_or_fitting_text(
    qtbot: QtBot,
) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    column = QVBoxLayout(page)
    narrow = QLabel("A label much wider than forty pixels")
    narrow.setObjectName("narrow")
    narrow.setFixedWidth(40)
    wrapped = QLabel("A label much wider than forty pixels")
    wrapped.setWordWrap(True)
    wrapped.setFixedWidth(40)
    button = QPushButton("A button much wider than forty pixels")
    button.setFixedWidth(40)
    fits = QPushButton("OK")
    tool = QToolButton()
    tool.setText("A tool button wider than forty pixels")
    tool.setFixedWidth(40)
    told = QToolButton()  # Qt elides it; the tooltip says it whole
    told.setText("A tool button wider than forty pixels")
    told.setToolTip(told.text())
    told.setFixedWidth(40)
    for widget in (narrow, wrapped, button, fits, tool, told):
        column.addWidget(widget)
    page.show()
    qtbot.waitExposed(page)
    found = clipped("test", page)
    assert [(c.widget, c.text) for c in found] == [
        ("QLabel#narrow", "A label much wider than forty pixels"),
        ("QPushButton", "A button much wider than forty pixels"),
        ("QToolButton", "A tool button wider than forty pixels"),
    ]
    assert all(c.needed > c.room for c in found)
