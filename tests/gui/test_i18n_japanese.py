"""Guard (issue 19): in Japanese, no screen still shows an English word.

Every screen is reached as a person reaches it (tests/support/screen_walk.py), the bezel's keys
and the QA dock included, and every visible text is read. A word of three or more ASCII
letters fails its screen's case unless it is an allowed token: a product or protocol name,
a unit, an error or IPP code, a URL or address, or a value from the data (user, device, job,
destination, app and network names), which is never translated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support.i18n import as_device_language
from support.screen_walk import DEVICE_NAME, JOB_TITLES, SCREENS, PanelWalk, describe, texts

from panel.server.demo_data import DEMO_DESTINATIONS, DEMO_OPERATORS, DEMO_TEMPLATES, DEMO_USERS
from panel.ui import i18n

pytestmark = pytest.mark.gui

# Words that are the same in a Japanese panel: names, protocols, units, abbreviations.
ALLOWED_WORDS = {
    "MFP",
    "PIN",
    "QR",
    "LAN",
    "WAN",
    "Wi-Fi",
    "Fi",
    "ID",
    "OK",
    "PDF",
    "URL",
    "USB",
    "LTE",
    "IPP",
    "DNS",
    "SMB",
    "HTTP",
    "HTTPS",
    "IP",
    "IPv4",
    "IPv6",
    "MAC",
    "PPM",
    "ppm",
    "dpi",
    "DPI",
    "JPEG",
    "PNG",
    "TIFF",
    "CMYK",
    "RGB",
    "MB",
    "KB",
    "GB",
    "kbit",
    "mfp",
    "panel",
    "QA",
    "NFC",
    "IC",
    "API",
    "JSON",
    "CSV",
    "SSID",
    "DHCP",
    "Bluetooth",
    "AirPrint",
    "Mopria",
    "Python",
    "PySide",
    "Letter",
}
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:pdf|png|jpe?g|txt)\b")
CODE = re.compile(r"\b[A-Z]{1,3}-\d{2,5}\b|\b[a-z]+(?:-[a-z0-9]+)+\b")  # J-0201, media-jam-error
WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")


def data_phrases(walk: PanelWalk) -> list[str]:
    """Values from the data the walk shows: shown as they are in any language."""
    phrases = [DEVICE_NAME, *JOB_TITLES, "MFP PANEL", *i18n.LANGUAGES.values()]  # the brand
    phrases += [name for _, name, _, _ in DEMO_USERS] + [name for _, name, _ in DEMO_OPERATORS]
    phrases += [d.name for d in DEMO_DESTINATIONS] + [d.address for d in DEMO_DESTINATIONS]
    phrases += [t.name for t in DEMO_TEMPLATES] + [t.settings for t in DEMO_TEMPLATES]
    apps = getattr(walk.window.device, "apps", None)
    if apps is not None:
        phrases += [p for app in apps.apps() for p in (app.name, app.description)]
    networks = getattr(walk.window.device, "networks", ())
    phrases += [n.name for n in (networks() if callable(networks) else networks)]
    return sorted({p for p in phrases if p}, key=len, reverse=True)


def english_words(text: str, phrases: list[str]) -> list[str]:
    for phrase in phrases:
        text = text.replace(phrase, " ")
    text = CODE.sub(" ", URL.sub(" ", text))
    return [w for w in WORD.findall(text) if len(w) >= 3 and w not in ALLOWED_WORDS]


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
