"""Guard (issue 19): in Japanese, no screen still shows an English word.

Every screen is reached as a person reaches it (tests/support/screen_walk.py), the bezel's keys
and the QA dock included, and every visible text is read. A word of three or more ASCII
letters fails its screen's case unless it is an allowed token: a product or protocol name,
a unit, an error or IPP code, a URL or address, or a value from the data (user, device, job,
destination, app and network names), which is never translated.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support.i18n import as_device_language
from support.screen_walk import DEVICE_NAME, JOB_TITLES, SCREENS, PanelWalk, describe, texts

from panel.ui import i18n
from panel.ui.i18n_check import demo_phrases, english_words

pytestmark = pytest.mark.gui


def data_phrases(walk: PanelWalk) -> list[str]:
    """Values from the data the walk shows: shown as they are in any language."""
    phrases = [DEVICE_NAME, *JOB_TITLES]
    apps = getattr(walk.window.device, "apps", None)
    if apps is not None:
        phrases += [p for app in apps.apps() for p in (app.name, app.description)]
    networks = getattr(walk.window.device, "networks", ())
    phrases += [n.name for n in (networks() if callable(networks) else networks)]
    return demo_phrases(*phrases)


@pytest.fixture
def walk(qtbot: QtBot, tmp_path: Path) -> Iterator[PanelWalk]:
    with as_device_language(i18n.JAPANESE):
        panel = PanelWalk(qtbot, tmp_path)
        try:
            yield panel
        finally:
            panel.close()


def _english_on(walk: PanelWalk, screen: str, root: QWidget) -> list[str]:
    phrases = data_phrases(walk)
    return [
        f"{screen}: {describe(widget)} {text!r}: {', '.join(words)}"
        for widget, text in texts(root)
        if (words := english_words(text, phrases))
    ]


@pytest.mark.parametrize("screen", [*SCREENS, "bezel", "dock"])
def test_no_screen_shows_english_in_japanese(walk: PanelWalk, screen: str) -> None:
    if screen == "bezel":
        walk.open("home")
        root: QWidget = walk.window.bezel
    elif screen == "dock":
        walk.open("home")
        root = walk.dock
    else:
        root = walk.open(screen)
    found = _english_on(walk, screen, root)
    assert not found, f"English left on the {screen} screen in Japanese:\n" + "\n".join(found)


def test_the_check_finds_english_and_passes_data_codes_and_japanese() -> None:
    phrases = ["Alice Martin", "Walk MFP"]
    assert english_words("ようこそ、Alice Martin さん", phrases) == []
    assert english_words("J-0201 · media-jam-error 用紙詰まり", phrases) == []
    assert english_words("http://127.0.0.1:8631/console PIN QR Wi-Fi OK", phrases) == []
    assert english_words("Walk MFP: 3 ppm", phrases) == []
    assert english_words("Paper jam 用紙詰まり", phrases) == ["Paper", "jam"]
    assert english_words("Cancel", phrases) == ["Cancel"]
