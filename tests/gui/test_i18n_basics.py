"""Languages (issue 19): the language at start, and Japanese drawn with real glyphs, not boxes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QTextLayout
from pytestqt.qtbot import QtBot
from support.i18n import language  # noqa: F401  (fixture)

from panel.ui import i18n

JAPANESE_TEXT = "コピー スキャン ジョブ一覧 用紙詰まり 給紙トレイ 両面 省電力 ログアウト 日本語"


def _glyph_runs(text: str, family: str) -> list[tuple[str, str]]:
    """(font family, characters) of each run Qt lays `text` out with, in `family`."""
    layout = QTextLayout(text, QFont(family))
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs: list[tuple[str, str]] = []
    for run in layout.glyphRuns():
        raw = run.rawFont()
        chars = "".join(c for c in text if not c.isspace() and raw.supportsCharacter(ord(c)))
        runs.append((raw.familyName(), chars))
    return runs


@pytest.mark.parametrize("family", ["DejaVu Sans", "DejaVu Sans Mono"])
def test_japanese_is_drawn_from_a_japanese_font_with_every_glyph(qtbot: QtBot, family: str) -> None:
    japanese = QFontDatabase.families(QFontDatabase.WritingSystem.Japanese)
    if not japanese:
        pytest.skip("no Japanese font installed (scripts/bootstrap installs fonts-ipafont-gothic)")
    i18n.install_font_fallback()
    runs = _glyph_runs(JAPANESE_TEXT, family)
    cjk = [(fam, chars) for fam, chars in runs if fam in i18n.CJK_FAMILIES]
    assert cjk, f"Japanese laid out in {runs}, none of {i18n.CJK_FAMILIES}"
    missing = [
        c for c in JAPANESE_TEXT if not c.isspace() and not any(c in chars for fam, chars in cjk)
    ]
    assert not missing, f"no glyph in the Japanese font for {missing!r} (drawn as boxes)"


@pytest.mark.usefixtures("language")
def test_start_language_is_english_unless_saved_or_overridden(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(i18n.ENV_OVERRIDE, raising=False)
    assert i18n.start_language(None) == i18n.ENGLISH
    assert i18n.start_language(i18n.JAPANESE) == i18n.JAPANESE
    assert i18n.translate("Jobs", "Cancel") != "Cancel"  # the .qm loaded


@pytest.mark.usefixtures("language")
def test_the_environment_overrides_the_saved_language(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(i18n.ENV_OVERRIDE, i18n.JAPANESE)
    assert i18n.start_language(i18n.ENGLISH) == i18n.JAPANESE


@pytest.mark.usefixtures("language")
def test_an_unknown_saved_language_starts_in_english_with_a_warning(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv(i18n.ENV_OVERRIDE, raising=False)
    assert i18n.start_language("xx") == i18n.ENGLISH
    assert "language 'xx' not used" in caplog.text
