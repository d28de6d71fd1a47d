"""The built-in apps in Japanese (issue 19): along every path of the three apps, each word a
person reads (titles, headings, labels, buttons, options, confirmations) is Japanese; only the
data (names typed, document names, ids) stays as it is; and every catalogue entry is used."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest

from panel.server.apps import builtin
from panel.server.apps.builtin import Call, builtin_apps
from panel.server.apps.words import JA, say, usable

PDF = base64.b64encode(b"%PDF-1.4\n% a scan\n").decode()
# The data of the walk (typed by the user, or made from it): never translated.
DATA = ("Ada Lovelace", "Analytical", "Minutes", "L1", "1001")
STEPS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "cloud-folder": [
        ("start", "", {}),
        ("action", "scanned", {"document": "not a pdf"}),
        ("action", "scan", {"name": "Minutes", "pages": "2"}),
        ("action", "scanned", {"document": PDF}),
        ("action", "scan", {"name": "Minutes", "pages": "1"}),
        ("action", "scanned", {"document": PDF}),
        ("resume", "", {}),
    ],
    "print-cloud": [
        ("start", "", {}),
        ("action", "print", {"document": "nothing like it"}),
        ("action", "print", {"document": "Minutes", "copies": "2"}),
        ("action", "printed", {"ok": True}),
        ("action", "printed", {"ok": False}),
    ],
    "visitor-badge": [
        ("start", "", {}),
        ("action", "preview", {"name": ""}),
        ("action", "preview", {"name": "Ada Lovelace", "company": "Analytical", "host": "it"}),
        ("action", "edit", {}),
        ("action", "preview", {"name": "Ada Lovelace", "host": "hr", "escort": True}),
        ("action", "print", {}),
        ("action", "printed", {"ok": True}),
        ("action", "again", {}),
    ],
}
SHOWN = ("title", "text", "label", "alt", "yes_label", "no_label")


def _shown(value: Any) -> list[str]:
    """Every string of a screen a person reads (not values, ids, actions or list items)."""
    if isinstance(value, list):
        return [s for v in value for s in _shown(v)]
    if not isinstance(value, dict):
        return []
    out = [v for k, v in value.items() if k in SHOWN and isinstance(v, str)]
    for key in ("elements", "options"):
        out += _shown(value.get(key))
    return out


async def _walk(tmp_path: Path, language: str) -> list[str]:
    apps = {m.app_id: h for m, h in builtin_apps(tmp_path)}
    empty = Call("L0", "start", "", {}, "1001", "Alice", language)
    shown = _shown(await apps["print-cloud"](empty))  # before any scan: an empty folder
    for app_id in ("cloud-folder", "print-cloud", "visitor-badge"):  # print reads the scans
        for event, action, values in STEPS[app_id]:
            call = Call("L1", event, action, values, "1001", "Alice", language)
            shown += _shown(await apps[app_id](call))
    return shown


async def test_every_word_of_every_built_in_screen_is_japanese_for_ja(tmp_path: Path) -> None:
    shown = await _walk(tmp_path, "ja")
    assert len(shown) > 60
    for words in shown:
        for data in DATA:
            words = words.replace(data, "")
        assert not re.search(r"[A-Za-z]{3,}", words), words
    assert "次へ" in shown
    assert "ページ数" in shown
    assert "クラウドフォルダーは空です。" in shown


async def test_english_and_any_other_language_are_english(tmp_path: Path) -> None:
    english = await _walk(tmp_path / "en", "en")
    assert "Continue" in english
    assert "Who is visiting today?" in english
    assert await _walk(tmp_path / "fr", usable("fr-FR")) == english


def test_every_catalogue_entry_is_a_word_the_apps_say() -> None:
    source = Path(builtin.__file__).read_text()
    assert [words for words in JA if f'"{words}"' not in source] == []


def test_placeholders_are_kept() -> None:
    for english, japanese in JA.items():
        assert sorted(re.findall(r"\{\w+\}", english)) == sorted(re.findall(r"\{\w+\}", japanese))


@pytest.mark.parametrize(
    ("header", "language"),
    [("ja", "ja"), ("ja-JP,ja;q=0.9,en;q=0.8", "ja"), ("JA", "ja"), ("en-GB", "en"), ("", "en")],
)
def test_a_header_or_a_field_picks_the_language(header: str, language: str) -> None:
    assert usable(header) == language


def test_say_fills_in_values_in_either_language() -> None:
    assert say("ja", "Printing “{name}”…", name="A") == "「A」を印刷しています…"
    assert say("en", "Printing “{name}”…", name="A") == "Printing “A”…"
    assert say("ja", "not in the catalogue") == "not in the catalogue"
