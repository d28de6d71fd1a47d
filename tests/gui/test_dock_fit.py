"""No text of the QA dock is clipped, at any of the panel's three sizes (issue 11, finding 6:
"Someone is in fror", "hin 250 ms; LTE answered first"). Every label, button and combo of the
dock is measured with its own font metrics against the width it got: a one-line text fits, a
wrapped text has room for each word and for all its lines, an elided text ("…") carries the
whole text in its tooltip. The dock is filled with its longest texts first: every fault on
(checked buttons are bold), the device's longest failure, someone in front, a sleep hold, the
sleep proxy's lines."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QWidget,
)
from pytestqt.qtbot import QtBot
from support.fake_device import FakeDevice
from support.i18n import in_language

from panel.device.keepalive import SessionMode
from panel.device.networks import NetworkState, NetworkStatus
from panel.device.power import PowerState
from panel.sim import NetworkSet
from panel.ui.dock import QaDock
from panel.ui.dock.parts import FitLabel
from panel.ui.window import SCREEN_SIZES, PanelWindow

pytestmark = pytest.mark.gui

WIRED, LTE = "Wired LAN", "LTE"
CARDS = [("04A1B2C3D4E5F6", "Alice Martin's card"), ("04000000000000", "Unregistered card")]
LEFT_BEHIND = "no answer within 250 ms; LTE answered first"  # the device's own words


def _widths(metrics: QFontMetrics, text: str) -> int:
    return max((metrics.horizontalAdvance(line) for line in text.splitlines()), default=0)


def _bold(widget: QWidget) -> QFontMetrics:
    font = QFont(widget.font())
    font.setBold(True)
    return QFontMetrics(font)


def clipped(widget: QWidget) -> str | None:
    """Why `widget`'s text does not fit its width, or None when it fits."""
    name = f"{type(widget).__name__} {widget.objectName()!r}"
    if isinstance(widget, FitLabel):
        room = widget.contentsRect().width()
        if _widths(widget.fontMetrics(), widget.text()) > room:
            return f"{name}: {widget.text()!r} wider than {room} px"
        if widget.elided() and widget.full_text() not in widget.toolTip():
            return f"{name}: elided {widget.text()!r} without its whole text as a tooltip"
        return None
    if isinstance(widget, QLabel):
        room = widget.contentsRect().width()
        metrics = widget.fontMetrics()
        if not widget.wordWrap():
            if _widths(metrics, widget.text()) > room:
                return f"{name}: {widget.text()!r} wider than {room} px"
            return None
        for word in widget.text().split():
            if metrics.horizontalAdvance(word) > room:
                return f"{name}: the word {word!r} is wider than {room} px"
        if widget.height() < widget.heightForWidth(widget.width()):
            return f"{name}: {widget.text()!r} needs {widget.heightForWidth(widget.width())} px"
        return None
    if isinstance(widget, QPushButton):
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        room = (
            widget.style()
            .subElementRect(QStyle.SubElement.SE_PushButtonContents, option, widget)
            .width()
        )
        # A checked fault button is bold (dock.qss): it must fit both ways.
        fonts = [widget.fontMetrics(), *([_bold(widget)] if widget.isCheckable() else [])]
        need = max(_widths(m, widget.text()) for m in fonts)
        return f"{name}: {widget.text()!r} needs {need} px of {room}" if need > room else None
    if isinstance(widget, QComboBox):
        combo_option = QStyleOptionComboBox()
        widget.initStyleOption(combo_option)
        room = (
            widget.style()
            .subControlRect(
                QStyle.ComplexControl.CC_ComboBox,
                combo_option,
                QStyle.SubControl.SC_ComboBoxEditField,
                widget,
            )
            .width()
        )
        for index in range(widget.count()):  # any item may be the one shown
            text = widget.itemText(index)
            if widget.fontMetrics().horizontalAdvance(text) > room:
                return f"{name}: item {text!r} wider than {room} px"
        return None
    return None


def texts_of(dock: QaDock) -> list[QWidget]:
    kinds = (QLabel, QPushButton, QComboBox)
    found = [w for kind in kinds for w in dock.findChildren(kind) if w.isVisibleTo(dock)]
    assert len(found) > 20  # the walk reached the cards
    return found


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_text_of_the_dock_is_clipped(
    qtbot: QtBot,
    size: tuple[int, int],
    sims: NetworkSet,
    device: FakeDevice,
    make_window: Callable[..., PanelWindow],
) -> None:
    device.set_networks(
        NetworkStatus(WIRED, NetworkState.REACHABLE, False, 3.0),
        NetworkStatus(LTE, NetworkState.REACHABLE, True, 41.0),
    )
    device.find_peers()
    device.clock.scale = 10.0
    window = make_window(screen=size)
    dock = QaDock(window, device, sims, CARDS)
    for card in dock.cards.values():  # every fault on: the checked buttons are bold
        for toggle in (card.down_button, card.blackhole_button, card.reset_button):
            QTest.mouseClick(toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not sims.get(WIRED).enabled and not sims.get(LTE).enabled)
    device.set_network_state(WIRED, NetworkState.UNREACHABLE, LEFT_BEHIND)
    device.presence.person_approached()
    device.power.holds = {"job": 1, "maintenance": 1}
    device.set_power(PowerState.DIMMED)
    device.kept_by(SessionMode.LOW_POWER)
    for _ in range(5):  # a new text's layout request travels up one parent per round
        QApplication.processEvents()

    problems = [problem for w in texts_of(dock) if (problem := clipped(w))]
    assert not problems, "\n".join(problems)
    detail = dock.cards[WIRED].detail
    assert detail.full_text() == LEFT_BEHIND
    assert detail.toolTip() == LEFT_BEHIND  # elided or not, the whole message is its tip
    assert dock.presence_label.text() == "Someone is in front"  # in full, never elided


def test_the_measure_sees_a_clipped_text(qtbot: QtBot) -> None:
    """The check itself: the old presence line beside its buttons had 100 px for its text."""
    label = QLabel("Someone is in front")
    qtbot.addWidget(label)
    label.resize(label.fontMetrics().horizontalAdvance("Someone is in fr"), 20)
    assert clipped(label) is not None
    elided = FitLabel("no answer within 250 ms; LTE answered first")
    qtbot.addWidget(elided)
    elided.show()
    elided.resize(80, 20)
    assert elided.elided()
    assert elided.text().endswith("…")
    assert clipped(elided) is None  # elided, with the whole text as its tooltip
    assert elided.toolTip() == "no answer within 250 ms; LTE answered first"


def test_no_text_of_the_dock_or_its_trace_viewer_is_clipped_in_japanese(
    qtbot: QtBot, sims: NetworkSet, device: FakeDevice, make_window: Callable[..., PanelWindow]
) -> None:
    """The smallest panel (800x480): every label, button and combo of both tabs fits."""
    device.set_networks(
        NetworkStatus(WIRED, NetworkState.REACHABLE, True, 3.0),
        NetworkStatus(LTE, NetworkState.REACHABLE, False, 41.0),
    )
    window = make_window(screen=(800, 480))
    dock = QaDock(window, device, sims, CARDS)
    with in_language("ja"):
        for _ in range(5):  # a new text's layout request travels up one parent per round
            QApplication.processEvents()
        problems = [problem for w in texts_of(dock) if (problem := clipped(w))]
        dock.show_trace()
        for _ in range(5):
            QApplication.processEvents()
        kinds = (QLabel, QPushButton, QComboBox)
        shown = [w for k in kinds for w in dock.trace_view.findChildren(k) if w.isVisibleTo(dock)]
        assert len(shown) > 5
        problems += [problem for w in shown if (problem := clipped(w))]
    assert not problems, "\n".join(problems)
